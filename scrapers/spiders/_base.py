"""The base class of every source spider: postcodes, following extractions, stats.

A spider only decides what to fetch and follow; the pure extractor of its source
(:mod:`scrapers.extract`) reads the pages. :class:`SourceSpider` turns an
:class:`~scrapers.extract.Extraction` into items for the pipeline and requests
for detail and next pages, and records problems and bot challenges in the
crawler stats that the pipeline turns into the crawl-run record.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import scrapy
import yaml
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from listings import _places
from scrapers.extract import Extraction, Problem, extract, merge_items

__all__ = [
    "SOURCES_FILE",
    "STAT_CHALLENGE",
    "STAT_ERRORS",
    "STAT_PREFIX",
    "STAT_SEARCH_FAILED",
    "SourceSpider",
    "load_sources",
    "resolve_postcodes",
]

#: The bundled source settings file (``scrapers/sources.yaml``).
SOURCES_FILE = Path(__file__).resolve().parent.parent / "sources.yaml"

#: Prefix of every crawler-stats key this project writes.
STAT_PREFIX = "immolijst/"
#: Stats key holding the reason text of the first bot challenge seen.
STAT_CHALLENGE = "immolijst/challenge"
#: Stats key counting failed requests (download errors, HTTP errors, missing cassette entries).
STAT_ERRORS = "immolijst/errors"
#: Stats key counting search pages that could not be fetched or read.
STAT_SEARCH_FAILED = "immolijst/search_failed"


def _split(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    parts = value.split(",") if isinstance(value, str) else list(value)
    return [p.strip() for p in parts if p and p.strip()]


def resolve_postcodes(
    postcodes: str | Sequence[str] | None = None,
    municipalities: str | Sequence[str] | None = None,
) -> list[str]:
    """Return the sorted postcodes a spider covers.

    ``postcodes`` and ``municipalities`` are lists or comma-separated strings
    (``"8500,8501"``, ``"Kortrijk,Menen"``); municipalities are resolved with
    :func:`listings._places.municipality_postcodes`. With neither given, all W13
    postcodes are covered.

    >>> resolve_postcodes("8501, 8500,8500")
    ['8500', '8501']
    """
    codes = set(_split(postcodes))
    names = _split(municipalities)
    if names:
        resolver: Callable[[str], Iterable[str]] = _places.municipality_postcodes
        for name in names:
            codes.update(resolver(name))
    if not codes and not names:
        codes.update(_places.W13_POSTCODES)
    return sorted(codes)


def load_sources(path: str | Path | None = None) -> dict[str, Any]:
    """Read the source settings YAML (default :data:`SOURCES_FILE`): ``{source: {...}}``.

    >>> sorted(load_sources())[:2]
    ['immoweb', 'realtor']
    """
    with open(path or SOURCES_FILE, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path or SOURCES_FILE}: expected a mapping of source settings")
    return data


class SourceSpider(scrapy.Spider):
    """Base spider of one listing source.

    Subclasses set ``name`` and ``source`` and implement :meth:`search_urls`; the
    default :meth:`parse` and :meth:`parse_detail` run the source's extractor.
    Spider arguments: ``postcodes`` and/or ``municipalities`` (comma-separated
    on the command line: ``-a postcodes=8500,8501``).
    """

    source: ClassVar[str]
    """Source slug of the listings this spider yields (``"immoweb"``...)."""

    def __init__(
        self,
        postcodes: str | list[str] | None = None,
        municipalities: str | list[str] | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.postcodes: list[str] = resolve_postcodes(postcodes, municipalities)

    def source_config(self) -> dict[str, Any]:
        """Return this spider's section of the sources YAML.

        The file is the spider argument ``sources_file``, else the setting
        ``IMMOLIJST_SOURCES_FILE``, else the bundled :data:`SOURCES_FILE`.
        """
        path = getattr(self, "sources_file", None)
        if path is None and getattr(self, "crawler", None) is not None:
            path = self.crawler.settings.get("IMMOLIJST_SOURCES_FILE")
        section = load_sources(path).get(self.name) or {}
        return dict(section)

    def run_sources(self) -> list[str]:
        """Return the listing sources this crawl covers: one store run (and gone-marking) each.

        Default: ``[self.source]``. A spider whose listings carry several
        sources (the realtor spider: ``realtor:<office>``) returns them all.
        """
        return [self.source]

    # -- what to fetch ------------------------------------------------------

    def search_urls(self) -> list[str]:
        """Return the first search page URL(s) to fetch, in a deterministic order."""
        raise NotImplementedError(f"{type(self).__name__} must implement search_urls()")

    def search_request(self, url: str, **kwargs: Any) -> Request:
        """Build a request for a search page (failures mark the run partial)."""
        meta = dict(kwargs.pop("meta", None) or {})
        meta["immolijst_role"] = "search"
        return Request(
            url,
            callback=kwargs.pop("callback", self.parse),
            errback=self.on_error,
            meta=meta,
            **kwargs,
        )

    def detail_request(
        self, url: str, card: dict[str, Any] | None = None, **kwargs: Any
    ) -> Request:
        """Build a request for a detail page, carrying the search card to merge into."""
        meta = dict(kwargs.pop("meta", None) or {})
        meta["immolijst_role"] = "detail"
        if card is not None:
            meta["immolijst_card"] = card
        return Request(
            url,
            callback=kwargs.pop("callback", self.parse_detail),
            errback=self.on_error,
            meta=meta,
            **kwargs,
        )

    async def start(self) -> AsyncIterator[Any]:
        """Yield the first search requests (Scrapy ≥ 2.13 entry point)."""
        for url in self.search_urls():
            yield self.search_request(url)

    # -- reading pages --------------------------------------------------------

    def extract(self, response: Response) -> Extraction:
        """Run this source's pure extractor on a response."""
        return extract(self.source, response.url, response.body)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Parse a search page: yield card items, detail requests and the next page."""
        yield from self.follow_extraction(
            response, self.extract(response), detail_callback=self.parse_detail
        )

    def parse_detail(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Parse a detail page and merge it into the card carried in ``meta``."""
        extraction = self.extract(response)
        card = response.meta.get("immolijst_card")
        if card is not None:
            if extraction.challenge:
                # Keep what the search page said; the challenge marks the run partial.
                extraction.items = [card]
            else:
                extraction.items = [merge_items(card, item) for item in extraction.items]
                if not extraction.items and not extraction.problems:
                    extraction.items = [card]
        extraction.links = []
        extraction.next_page = None
        yield from self.follow_extraction(response, extraction)

    def follow_extraction(
        self,
        response: Response,
        extraction: Extraction,
        *,
        detail_callback: Callable[..., Any] | None = None,
        card_meta: bool = True,
    ) -> Iterator[Request | dict[str, Any]]:
        """Turn an extraction into pipeline items and follow-up requests.

        Problems are logged and counted as ``dropped/<code>``; a challenge is
        recorded (the run becomes partial) and nothing on the page is followed.
        Items are yielded as ``{"item": dict, "url": ...}``; with a
        ``detail_callback``, an item whose URL is among ``links`` travels in the
        detail request's meta instead, so the detail page merges into it.
        """
        for problem in extraction.problems:
            self.record_problem(problem)
        if extraction.challenge:
            self.record_challenge(response.url, extraction.challenge)
            if response.meta.get("immolijst_role") == "search":
                self._inc(STAT_SEARCH_FAILED)
            return
        links = list(dict.fromkeys(extraction.links))
        cards: dict[str, dict[str, Any]] = {}
        for item in extraction.items:
            url = str(item.get("url") or response.url)
            if detail_callback is not None and card_meta and url in links and url not in cards:
                cards[url] = item
            else:
                yield {"item": item, "url": url}
        if detail_callback is not None:
            for link in links:
                yield self.detail_request(link, cards.get(link), callback=detail_callback)
        else:
            for link in links:
                yield self.detail_request(link)
        if extraction.next_page:
            yield self.search_request(
                extraction.next_page,
                callback=response.request.callback
                if response.request and response.request.callback
                else self.parse,
            )

    # -- bookkeeping ------------------------------------------------------------

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)

    def record_problem(self, problem: Problem) -> None:
        """Log a dropped item or page with its URL and reason, and count it by code."""
        self.logger.warning("dropped %s (%s): %s", problem.url, problem.code, problem.message)
        self._inc(f"{STAT_PREFIX}dropped/{problem.code}")

    def record_challenge(self, url: str, reason: str) -> None:
        """Record a bot challenge: logged as an error, kept in stats (the run becomes partial)."""
        self.logger.error("bot challenge at %s: %s", url, reason)
        if self.crawler is not None and self.crawler.stats is not None:
            if not self.crawler.stats.get_value(STAT_CHALLENGE):
                self.crawler.stats.set_value(STAT_CHALLENGE, f"{reason} at {url}")
            self.crawler.stats.inc_value(f"{STAT_PREFIX}challenges")

    def on_error(self, failure: Failure) -> Iterator[dict[str, Any]]:
        """Errback: log and count a failed request; a failed detail page keeps its card."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        self.logger.error("request failed: %s: %s", url, failure.getErrorMessage())
        self._inc(STAT_ERRORS)
        if request is None:
            return
        if request.meta.get("immolijst_role") == "search":
            self._inc(STAT_SEARCH_FAILED)
        card = request.meta.get("immolijst_card")
        if card is not None:
            yield {"item": card, "url": str(card.get("url") or url)}
