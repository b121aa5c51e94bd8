"""Run the spiders in one Scrapy process and return one summary per source.

Library use: :func:`run_crawl`. Command line (one crawl per process, because
Twisted's reactor cannot be restarted)::

    python -m scrapers.run [--source NAME ...] [--replay DIR | --record DIR]
                           [--db URL] [--postcodes 8500,8501] [-a KEY=VALUE ...] [--json]

The exit code is 0 when every run is complete, 3 when one is partial and 1
when one failed.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_RECORDINGS",
    "RECORDINGS_DIR",
    "SOURCE_MODULES",
    "SourceSummary",
    "available_sources",
    "crawl_settings",
    "main",
    "run_crawl",
    "spider_class",
]

#: Directory holding the bundled recording sets (``<set>/<source>.yaml``).
RECORDINGS_DIR = Path(__file__).resolve().parent / "recordings"
#: The first bundled recording set, replayed by default in demos and tests.
DEFAULT_RECORDINGS = RECORDINGS_DIR / "2026-11-20"

#: Source slug → module of its spider, in the default crawl order.
SOURCE_MODULES: dict[str, str] = {
    "immoweb": "scrapers.spiders.immoweb",
    "zimmo": "scrapers.spiders.zimmo",
    "immoscoop": "scrapers.spiders.immoscoop",
    "immovlan": "scrapers.spiders.immovlan",
    "2dehands": "scrapers.spiders.tweedehands",
    "realtor": "scrapers.spiders.realtor",
}

#: Progress callback: ``(source, {"pages": n, "seen": n, "dropped": n})``.
Progress = Callable[[str, dict[str, Any]], None]


@dataclass(frozen=True)
class SourceSummary:
    """Outcome of one source's crawl."""

    source: str
    """Source slug (spider name)."""
    run_id: int | None
    """Id of the crawl-run record in the store (``None`` if the run never started)."""
    status: str
    """``complete``, ``partial`` or ``failed``."""
    counts: dict[str, Any] = field(default_factory=dict)
    """The run's counts (pages, seen, new, updated, unchanged, dropped, coverage...)."""


def available_sources() -> list[str]:
    """Return the sources whose spider module exists, in the default crawl order."""
    return [slug for slug, mod in SOURCE_MODULES.items() if importlib.util.find_spec(mod)]


def spider_class(source: str) -> type[Any]:
    """Return the spider class of ``source`` (the spider whose ``name`` is the slug)."""
    from scrapers.spiders._base import SourceSpider

    if source not in SOURCE_MODULES:
        raise KeyError(f"unknown source {source!r} (known: {', '.join(SOURCE_MODULES)})")
    module = importlib.import_module(SOURCE_MODULES[source])
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, SourceSpider)
            and getattr(value, "name", None) == source
        ):
            return value
    raise KeyError(f"module {module.__name__} has no spider named {source!r}")


def crawl_settings(
    *,
    store_url: str | None = None,
    replay_dir: str | Path | None = None,
    record_dir: str | Path | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Any:
    """Build the Scrapy :class:`~scrapy.settings.Settings` for a crawl.

    Project settings first, then replay or record overrides, then ``settings``.
    """
    from scrapy.settings import Settings

    from scrapers import settings as project_settings

    result = Settings()
    result.setmodule(project_settings, priority="project")
    if replay_dir is not None and record_dir is not None:
        raise ValueError("replay_dir and record_dir cannot both be given")
    if replay_dir is not None:
        result.update(project_settings.replay_overrides(str(replay_dir)), priority="cmdline")
    if record_dir is not None:
        result.update(project_settings.record_overrides(str(record_dir)), priority="cmdline")
    if store_url is not None:
        result.set("IMMOLIJST_DATABASE_URL", store_url, priority="cmdline")
    extra = dict(settings or {})
    if "IMMOLIJST_CONTACT" in extra and "USER_AGENT" not in extra:
        extra["USER_AGENT"] = project_settings.contact_user_agent(str(extra["IMMOLIJST_CONTACT"]))
    result.update(extra, priority="cmdline")
    return result


def run_crawl(
    sources: Sequence[str] | None = None,
    *,
    store_url: str | None = None,
    replay_dir: str | Path | None = None,
    record_dir: str | Path | None = None,
    settings: Mapping[str, Any] | None = None,
    spider_args: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> list[SourceSummary]:
    """Crawl ``sources`` (default: every available one) in one process and summarise each.

    ``replay_dir`` serves every request from ``<dir>/<source>.yaml`` (fast, no
    delays); ``record_dir`` crawls live and writes the cassettes there.
    ``spider_args`` go to every spider (``postcodes``, ``municipalities``...).
    Can run once per process (Twisted's reactor cannot restart): run it in a
    subprocess (``python -m scrapers.run``) when calling it more than once.
    """
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from scrapers.middlewares import STAT_PAGES
    from scrapers.pipelines import STAT_SUMMARY, dropped_counts

    names = list(sources) if sources else available_sources()
    classes = [(name, spider_class(name)) for name in names]
    process = CrawlerProcess(
        crawl_settings(
            store_url=store_url, replay_dir=replay_dir, record_dir=record_dir, settings=settings
        )
    )
    crawlers = []
    keep_alive: list[Callable[..., None]] = []
    for name, cls in classes:
        crawler = process.create_crawler(cls)
        if progress is not None:
            seen = [0]

            def report(
                *_: Any,
                _name: str = name,
                _crawler: Any = crawler,
                _seen: list[int] = seen,
                **__: Any,
            ) -> None:
                stats = _crawler.stats.get_stats() if _crawler.stats else {}
                progress(
                    _name,
                    {
                        "pages": int(stats.get(STAT_PAGES, 0)),
                        "seen": _seen[0],
                        "dropped": sum(dropped_counts(stats).values()),
                    },
                )

            def scraped(*_: Any, _seen: list[int] = seen, _report: Any = report, **__: Any) -> None:
                _seen[0] += 1
                _report()

            keep_alive.extend([report, scraped])
            crawler.signals.connect(scraped, signal=signals.item_scraped)
            for signal in (signals.response_received, signals.item_dropped):
                crawler.signals.connect(report, signal=signal)
        crawlers.append((name, crawler))
    kwargs = dict(spider_args or {})
    if replay_dir is not None and len(crawlers) > 1:
        # Replay has no network waits to overlap: crawl the sources one after the
        # other, so each run's duration is its own and the CPU is not shared.
        _crawl_in_turn(process, [crawler for _, crawler in crawlers], kwargs)
    else:
        for _, crawler in crawlers:
            process.crawl(crawler, **kwargs)
    if replay_dir is not None:
        _warm_up()
    process.start()
    summaries = []
    for name, crawler in crawlers:
        summary = crawler.stats.get_value(STAT_SUMMARY) if crawler.stats else None
        if summary:
            summaries.append(
                SourceSummary(
                    source=name,
                    run_id=summary["run_id"],
                    status=summary["status"],
                    counts=summary["counts"],
                )
            )
        else:
            summaries.append(SourceSummary(source=name, run_id=None, status="failed"))
    return summaries


def _crawl_in_turn(process: Any, crawlers: list[Any], kwargs: dict[str, Any]) -> None:
    """Schedule ``crawlers`` on ``process`` one after the other (each starts when the last ends).

    The next crawl is started from the previous one's completion callback, before
    :meth:`CrawlerProcess.join` looks again, so ``process.start()`` waits for all.
    """
    pending = list(crawlers)

    def next_crawl(result: Any = None) -> Any:
        if pending:
            deferred = process.crawl(pending.pop(0), **kwargs)
            deferred.addBoth(next_crawl)
        return result

    next_crawl()


def _warm_up() -> None:
    """Load what the extractors load lazily on first use (the date parser's language data).

    Done once before a replayed crawl starts, so that one-off start-up cost is
    counted with the process start and not in the first source's crawl time.
    """
    from listings._parse import parse_availability, parse_date

    parse_date("1 december 2026")
    parse_availability("onmiddellijk")


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scrapers.run", description=__doc__)
    parser.add_argument("--source", action="append", help="source to crawl (repeatable)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--replay", metavar="DIR", help="replay the cassettes in DIR")
    mode.add_argument("--record", metavar="DIR", help="crawl live and record cassettes into DIR")
    parser.add_argument("--db", metavar="URL", help="store URL (default: the store's default)")
    parser.add_argument("--postcodes", help="comma-separated postcodes (default: W13)")
    parser.add_argument("--municipalities", help="comma-separated municipalities")
    parser.add_argument(
        "-a",
        dest="spider_args",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="spider argument",
    )
    parser.add_argument(
        "-s",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="Scrapy setting",
    )
    parser.add_argument("--json", action="store_true", help="print the summaries as JSON")
    return parser.parse_args(argv)


def _pairs(values: Sequence[str], what: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep:
            raise SystemExit(f"{what} {value!r} is not KEY=VALUE")
        pairs[key] = val
    return pairs


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    args = _parse_args(argv)
    spider_args: dict[str, Any] = _pairs(args.spider_args, "spider argument")
    if args.postcodes:
        spider_args["postcodes"] = args.postcodes
    if args.municipalities:
        spider_args["municipalities"] = args.municipalities
    summaries = run_crawl(
        args.source,
        store_url=args.db,
        replay_dir=args.replay,
        record_dir=args.record,
        settings=_pairs(args.settings, "setting"),
        spider_args=spider_args,
    )
    if args.json:
        print(json.dumps([asdict(s) for s in summaries], indent=2, default=str))
    else:
        for s in summaries:
            c = s.counts
            print(
                f"{s.source:<10} run {s.run_id}  {s.status:<8} pages={c.get('pages')} "
                f"seen={c.get('seen')} new={c.get('new')} updated={c.get('updated')} "
                f"dropped={c.get('dropped')}"
            )
    statuses = {s.status for s in summaries}
    if "failed" in statuses:
        return 1
    return 3 if "partial" in statuses else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
