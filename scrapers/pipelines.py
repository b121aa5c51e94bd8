"""Item pipelines: validate with the Listing model → normalise → upsert into the store.

:class:`StorePipeline` also opens and closes the crawl-run record: on spider
close it writes the counts (pages, seen, new, updated, unchanged, dropped by
reason, coverage per field, duration, challenge, errors) and the status:
``COMPLETE`` only when there was no bot challenge, no request missing from a
replay cassette, no failed search page, no spider error and no 429/5xx storm;
otherwise ``PARTIAL`` (so nothing is marked gone); ``FAILED`` when the store
step itself raised or the crawl was aborted.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.logformatter import LogFormatter

from listings._model import Listing
from scrapers.extract._base import invalid_problem
from scrapers.middlewares import STAT_CASSETTE_MISS, STAT_HTTP_ERRORS, STAT_PAGES
from scrapers.spiders._base import (
    STAT_CHALLENGE,
    STAT_ERRORS,
    STAT_PREFIX,
    STAT_SEARCH_FAILED,
)

__all__ = [
    "COVERAGE_FIELDS",
    "DropLogFormatter",
    "NormalisePipeline",
    "StorePipeline",
    "ValidatePipeline",
    "coverage",
    "dropped_counts",
    "run_status",
]

logger = logging.getLogger(__name__)

_DROPPED = f"{STAT_PREFIX}dropped/"
#: Stats key of the run summary ``{"source", "run_id", "status", "counts"}`` set on close.
STAT_SUMMARY = f"{STAT_PREFIX}summary"

#: Coverage keys and the test whether a listing has that information.
COVERAGE_FIELDS: dict[str, Any] = {
    "rent_eur": lambda lst: lst.rent_eur is not None,
    "postcode": lambda lst: lst.postcode is not None,
    "epc": lambda lst: lst.epc_kwh_m2 is not None or lst.epc_label is not None,
    "bedrooms": lambda lst: lst.bedrooms is not None,
    "living_area_m2": lambda lst: lst.living_area_m2 is not None,
    "availability": lambda lst: lst.available_from is not None or lst.available_now is not None,
}


def coverage(listings: Iterable[Listing]) -> dict[str, float]:
    """Return the share (0..1, 3 decimals) of listings that have each :data:`COVERAGE_FIELDS` key.

    >>> lst = Listing(source="zimmo", source_id="1", url="https://x.be/1", rent_eur=700)
    >>> coverage([lst, lst.model_copy(update={"rent_eur": None})])["rent_eur"]
    0.5
    >>> coverage([])["postcode"]
    0.0
    """
    items = list(listings)
    if not items:
        return dict.fromkeys(COVERAGE_FIELDS, 0.0)
    return {
        key: round(sum(1 for lst in items if test(lst)) / len(items), 3)
        for key, test in COVERAGE_FIELDS.items()
    }


def dropped_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """Collect ``immolijst/dropped/<code>`` stats into ``{code: n}``, sorted by code.

    >>> dropped_counts({"immolijst/dropped/sale": 2, "immolijst/pages": 3})
    {'sale': 2}
    """
    return {
        key.removeprefix(_DROPPED): int(value)
        for key, value in sorted(stats.items())
        if key.startswith(_DROPPED)
    }


def run_status(stats: Mapping[str, Any], *, storm: int = 3) -> tuple[str, list[str]]:
    """Decide ``"complete"`` or ``"partial"`` from crawler stats, with the reasons for partial.

    >>> run_status({"immolijst/pages": 4})
    ('complete', [])
    >>> run_status({"immolijst/challenge": "DataDome block (HTTP 403) at https://x.be/"})
    ('partial', ['bot challenge: DataDome block (HTTP 403) at https://x.be/'])
    """
    reasons: list[str] = []
    if stats.get(STAT_CHALLENGE):
        reasons.append(f"bot challenge: {stats[STAT_CHALLENGE]}")
    if stats.get(STAT_CASSETTE_MISS):
        reasons.append(f"{stats[STAT_CASSETTE_MISS]} request(s) missing from the cassette")
    if stats.get(STAT_SEARCH_FAILED):
        reasons.append(f"{stats[STAT_SEARCH_FAILED]} search page(s) failed")
    if int(stats.get(STAT_HTTP_ERRORS, 0)) >= storm:
        reasons.append(f"{stats[STAT_HTTP_ERRORS]} HTTP 429/5xx responses")
    spider_errors = sum(int(v) for k, v in stats.items() if k.startswith("spider_exceptions/"))
    if spider_errors:
        reasons.append(f"{spider_errors} spider error(s)")
    return ("partial" if reasons else "complete"), reasons


class DropLogFormatter(LogFormatter):
    """Scrapy log formatter that logs a dropped item by its URL and reason only.

    Scrapy's default logs the whole item at WARNING, which buries the reason in a
    long dict and costs formatting time; the reason (``DropItem``'s message)
    already names the offending field and value.
    """

    def dropped(  # type: ignore[override]
        self, item: Any, exception: BaseException, response: Any, spider: Any = None
    ) -> dict[str, Any]:
        """Return the log entry of an item dropped by a pipeline: URL and reason."""
        entry = super().dropped(item, exception, response, spider)
        url = item.get("url") if isinstance(item, Mapping) else None
        if url is None and response is not None:
            url = getattr(response, "url", None)
        if url is None or str(url) in str(exception):  # the reason names the URL already
            entry["msg"] = "Dropped: %(exception)s"
            entry["args"] = {"exception": exception}
        else:
            entry["msg"] = "Dropped %(url)s: %(exception)s"
            entry["args"] = {"url": url, "exception": exception}
        return entry


class ValidatePipeline:
    """Validate each candidate with the :class:`~listings.Listing` model.

    An invalid candidate is dropped with a reason naming the field and value,
    and counted as ``dropped/invalid``; the crawl goes on.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        """Build the pipeline for a crawler."""
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        """Add the validated ``listing`` to the item, or raise :class:`DropItem`."""
        candidate = item.get("item")
        if not isinstance(candidate, Mapping):
            raise DropItem(f"item from {item.get('url')} has no candidate listing")
        try:
            listing = Listing.model_validate(dict(candidate))
        except ValidationError as exc:
            problem = invalid_problem(candidate, exc)
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value(f"{_DROPPED}invalid")
            raise DropItem(f"invalid listing {problem.url}: {problem.message}") from None
        item["listing"] = listing
        return item


class NormalisePipeline:
    """Normalise places, prices and addresses with ``listings._normalise.normalise_listing``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        from listings._normalise import normalise_listing

        self.normalise = normalise_listing

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalisePipeline:
        """Build the pipeline for a crawler."""
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        """Replace ``listing`` by its normalised copy; a listing that fails is dropped."""
        listing: Listing = item["listing"]
        try:
            item["listing"] = self.normalise(listing)
        except (ValueError, ValidationError) as exc:
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value(f"{_DROPPED}invalid")
            raise DropItem(f"listing {listing.url} failed normalisation: {exc}") from None
        return item


class StorePipeline:
    """Upsert listings into the store in batches and keep the crawl-run records.

    One store run per listing source: the spider's ``run_sources()`` (default
    its ``source``) are started when the spider opens; a listing of another
    source (``realtor:<office>`` of the realtor spider) starts its own run on
    first sight. Every run gets the crawl's status; counts are per run for
    ``seen/new/updated/unchanged/coverage`` and crawl-wide for the rest.
    Settings: ``IMMOLIJST_DATABASE_URL`` (``None`` = the store's default),
    ``IMMOLIJST_STORE_BATCH`` (listings per upsert), ``IMMOLIJST_ERROR_STORM``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.url: str | None = settings.get("IMMOLIJST_DATABASE_URL") or None
        self.batch_size = settings.getint("IMMOLIJST_STORE_BATCH", 200)
        self.storm = settings.getint("IMMOLIJST_ERROR_STORM", 3)
        self.store: Any = None
        self.source = ""
        self.runs: dict[str, int] = {}
        self.pending: list[Listing] = []
        self.stored: dict[str, list[Listing]] = {}
        self.totals: dict[str, dict[str, int]] = {}
        self.failed: str | None = None
        self.started = time.monotonic()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        """Build the pipeline for a crawler."""
        return cls(crawler)

    @property
    def run_id(self) -> int | None:
        """Id of the spider's main run (its own source's, else the first one)."""
        if self.source in self.runs:
            return self.runs[self.source]
        return next(iter(self.runs.values()), None)

    def _start(self, source: str) -> int:
        if source not in self.runs:
            self.runs[source] = int(self.store.start_run(source))
            self.stored[source] = []
            self.totals[source] = {"new": 0, "updated": 0, "unchanged": 0}
        return self.runs[source]

    def spider_opened(self) -> None:
        """Open the store and start the crawl-run record(s)."""
        from listings._store import Store

        spider = self.crawler.spider
        self.source = str(getattr(spider, "source", None) or getattr(spider, "name", "unknown"))
        self.started = time.monotonic()
        self.store = Store(self.url)
        run_sources = getattr(spider, "run_sources", None)
        for source in run_sources() if callable(run_sources) else [self.source]:
            self._start(str(source))

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        """Queue the listing; upsert when a batch is full."""
        self.pending.append(item["listing"])
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        """Upsert the queued listings into the store, one call per source."""
        if not self.pending or self.store is None:
            return
        batch, self.pending = self.pending, []
        by_source: dict[str, list[Listing]] = {}
        for listing in batch:
            by_source.setdefault(listing.source, []).append(listing)
        for source, listings in by_source.items():
            try:
                result = self.store.upsert(listings, run_id=self._start(source))
            except Exception as exc:
                logger.exception("store upsert of %d %s listings failed", len(listings), source)
                self.failed = f"store upsert failed: {exc}"
                continue
            self.stored[source].extend(listings)
            for key, total in self.totals[source].items():
                self.totals[source][key] = total + int(getattr(result, key))

    def counts(self, source: str | None = None) -> dict[str, Any]:
        """Build the counts of one run (``source``) or of the whole crawl (``None``)."""
        stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
        errors = int(stats.get(STAT_ERRORS, 0)) + sum(
            int(v) for k, v in stats.items() if k.startswith("spider_exceptions/")
        )
        sources = [source] if source is not None else list(self.runs)
        stored = [lst for src in sources for lst in self.stored.get(src, [])]
        totals = {
            key: sum(self.totals.get(src, {}).get(key, 0) for src in sources)
            for key in ("new", "updated", "unchanged")
        }
        return {
            "pages": int(stats.get(STAT_PAGES, 0)),
            "seen": len(stored),
            **totals,
            "dropped": dropped_counts(stats),
            "coverage": coverage(stored),
            "duration_s": round(time.monotonic() - self.started, 3),
            "challenge": stats.get(STAT_CHALLENGE) or None,
            "errors": errors,
        }

    def spider_closed(self, reason: str) -> None:
        """Flush, then finish every crawl-run record with the status and counts."""
        from listings._store import RunStatus

        self.flush()
        stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
        status_name, reasons = run_status(stats, storm=self.storm)
        if self.failed or reason not in ("finished", "closespider_itemcount"):
            status_name = "failed"
            reasons.append(self.failed or f"crawl ended with reason {reason!r}")
        if reasons:
            logger.warning("crawl of %s is %s: %s", self.source, status_name, "; ".join(reasons))
        status = {"complete": RunStatus.COMPLETE, "partial": RunStatus.PARTIAL}.get(
            status_name, RunStatus.FAILED
        )
        gone = 0
        try:
            for source, run_id in self.runs.items():
                counts = self.counts(source)
                if reasons:
                    counts["reasons"] = reasons
                run = self.store.finish_run(run_id, status, counts)
                gone += int(getattr(run, "gone_marked", 0) or 0)
        finally:
            if self.store is not None:
                self.store.close()
        summary_counts = self.counts()
        summary_counts["gone"] = gone
        if reasons:
            summary_counts["reasons"] = reasons
        if len(self.runs) > 1:
            summary_counts["runs"] = dict(self.runs)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value(
                STAT_SUMMARY,
                {
                    "source": self.source,
                    "run_id": self.run_id,
                    "status": status_name,
                    "counts": summary_counts,
                },
            )
