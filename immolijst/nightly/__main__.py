"""``python -m immolijst.nightly``: run the nightly job once and exit with its code.

The same as ``immolijst nightly``; options: ``--db URL``, ``--replay DIR``,
``--source NAME`` (repeatable), ``--date YYYY-MM-DD``, ``--json`` (print the
report on stdout), ``-s NAME=VALUE`` (a Scrapy setting for the crawler).
Logs are JSON lines on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from immolijst.nightly._job import run_nightly
from immolijst.nightly._logging import configure_logging
from immolijst.settings import load_settings


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, run the job and return its exit code."""
    parser = argparse.ArgumentParser(prog="python -m immolijst.nightly", description=__doc__)
    parser.add_argument("--db", metavar="URL", help="store URL (default: the settings')")
    parser.add_argument("--replay", metavar="DIR", help="replay recorded cassettes from DIR")
    parser.add_argument("--source", action="append", help="source to crawl (repeatable)")
    parser.add_argument("--date", help="apply the rules of this date (default: today)")
    parser.add_argument("--json", action="store_true", help="print the run report as JSON")
    parser.add_argument(
        "-s",
        dest="scrapy_settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="Scrapy setting for the crawler (repeatable)",
    )
    args = parser.parse_args(argv)
    pairs = dict(item.partition("=")[::2] for item in args.scrapy_settings)
    configure_logging()
    settings = load_settings(database_url=args.db)
    now = datetime.fromisoformat(args.date).replace(tzinfo=UTC) if args.date else None
    report = run_nightly(
        settings, replay_dir=args.replay, sources=args.source, now=now, scrapy_settings=pairs
    )
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str))
    return report.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
