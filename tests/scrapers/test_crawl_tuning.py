"""Crawl tuning: dropped-item log lines, replay crawls one source at a time, settings."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from scrapers.pipelines import DropLogFormatter
from scrapers.run import RECORDINGS_DIR, _crawl_in_turn, crawl_settings
from scrapers.spiders._base import SourceSpider

ROOT = Path(__file__).resolve().parents[2]
DAY1 = RECORDINGS_DIR / "2026-11-20"


class _Spider(SourceSpider):
    name = "zimmo"
    source = "zimmo"


def _render(entry: dict[str, Any]) -> str:
    return str(entry["msg"] % entry["args"])


def test_dropped_item_is_logged_with_url_and_reason_only() -> None:
    crawler = get_crawler(_Spider)
    spider = _Spider.from_crawler(crawler)
    url = "https://www.zimmo.be/nl/k1/"
    item = {"item": {"source_id": "K1", "description": "x" * 5000}, "url": url}
    entry = DropLogFormatter().dropped(item, DropItem("bedrooms=40: too many"), None, spider)
    text = _render(entry)
    assert text == f"Dropped {url}: bedrooms=40: too many"
    assert "description" not in text
    assert entry["level"] == logging.WARNING


def test_dropped_item_whose_reason_names_the_url_is_not_repeated() -> None:
    crawler = get_crawler(_Spider)
    spider = _Spider.from_crawler(crawler)
    url = "https://www.zimmo.be/nl/k1/"
    reason = DropItem(f"invalid listing {url}: bedrooms=40")
    text = _render(DropLogFormatter().dropped({"item": {}, "url": url}, reason, None, spider))
    assert text == f"Dropped: invalid listing {url}: bedrooms=40"


def test_project_settings_use_the_quiet_formatter_and_no_item_workers() -> None:
    settings = crawl_settings(replay_dir=DAY1)
    assert settings.get("LOG_FORMATTER") == "scrapers.pipelines.DropLogFormatter"
    assert settings.getint("CONCURRENT_ITEMS") == 1
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is False
    assert settings.getfloat("DOWNLOAD_DELAY") == 0
    live = crawl_settings()
    assert live.getbool("AUTOTHROTTLE_ENABLED") is True
    assert live.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1


class _FakeProcess:
    def __init__(self) -> None:
        self.started: list[tuple[str, dict[str, Any]]] = []
        self.deferreds: list[Deferred[None]] = []

    def crawl(self, crawler: str, **kwargs: Any) -> Deferred[None]:
        self.started.append((crawler, kwargs))
        deferred: Deferred[None] = Deferred()
        self.deferreds.append(deferred)
        return deferred


def test_crawl_in_turn_starts_each_crawl_when_the_previous_one_ends() -> None:
    process = _FakeProcess()
    _crawl_in_turn(process, ["a", "b", "c"], {"postcodes": "8500"})
    assert process.started == [("a", {"postcodes": "8500"})]
    process.deferreds[0].callback(None)
    assert [name for name, _ in process.started] == ["a", "b"]
    process.deferreds[1].errback(RuntimeError("spider failed"))  # a failure does not stop it
    assert [name for name, _ in process.started] == ["a", "b", "c"]
    process.deferreds[1].addErrback(lambda _: None)
    process.deferreds[2].callback(None)
    assert len(process.started) == 3


PROGRESS_SCRIPT = """
import json, sys
from scrapers.run import run_crawl
calls = []
summaries = run_crawl(
    ["realtor", "2dehands"],
    replay_dir=sys.argv[1],
    store_url=sys.argv[2],
    progress=lambda source, counts: calls.append(source),
)
print(json.dumps({"calls": calls, "summaries": [
    [s.source, s.status, s.counts["pages"], s.counts["duration_s"]] for s in summaries]}))
"""


def test_replay_crawls_the_sources_one_after_the_other(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-P",
            "-c",
            PROGRESS_SCRIPT,
            str(DAY1),
            f"sqlite:///{tmp_path / 'r.sqlite3'}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    calls = result["calls"]
    first_2dehands = calls.index("2dehands")
    assert set(calls[:first_2dehands]) == {"realtor"}
    assert set(calls[first_2dehands:]) == {"2dehands"}
    assert [row[:3] for row in result["summaries"]] == [
        ["realtor", "complete", 14],
        ["2dehands", "complete", 31],
    ]
