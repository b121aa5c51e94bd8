"""Downloader middlewares: crawl statistics and challenge detection, retry backoff, cassettes.

:class:`CassetteMiddleware` (replay/record from vcrpy cassettes) lives in
:mod:`scrapers._cassette` and is re-exported here.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

from scrapers._cassette import STAT_CASSETTE_MISS, CassetteMiddleware
from scrapers.extract import detect_challenge
from scrapers.spiders._base import STAT_CHALLENGE, STAT_PREFIX

__all__ = [
    "STAT_CASSETTE_MISS",
    "STAT_HTTP_ERRORS",
    "STAT_PAGES",
    "BackoffRetryMiddleware",
    "CassetteMiddleware",
    "CrawlStatsMiddleware",
    "backoff_delay",
]

logger = logging.getLogger(__name__)

#: Stats key counting pages fetched (2xx/3xx responses, robots.txt excluded).
STAT_PAGES = "immolijst/pages"
#: Stats key counting HTTP 429 and 5xx responses (every attempt, retries included).
STAT_HTTP_ERRORS = "immolijst/http_429_5xx"


def _is_robots(request: Request) -> bool:
    return request.url.split("?", 1)[0].endswith("/robots.txt")


class CrawlStatsMiddleware:
    """Count pages and 429/5xx responses, and spot bot-challenge pages on every response."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlStatsMiddleware:
        """Build the middleware for a crawler."""
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        """Update the counters and record a challenge; the response passes on unchanged."""
        stats = self.crawler.stats
        if stats is None or _is_robots(request):
            return response
        if response.status == 429 or response.status >= 500:
            stats.inc_value(STAT_HTTP_ERRORS)
        elif response.status < 400:
            stats.inc_value(STAT_PAGES)
        headers = {
            k.decode("latin-1"): b", ".join(v).decode("latin-1")
            for k, v in response.headers.items()
        }
        text = response.body[:20_000].decode("utf-8", errors="replace")
        reason = detect_challenge(response.status, headers, text)
        if reason:
            logger.error("bot challenge at %s: %s", request.url, reason)
            if not stats.get_value(STAT_CHALLENGE):
                stats.set_value(STAT_CHALLENGE, f"{reason} at {request.url}")
            stats.inc_value(f"{STAT_PREFIX}challenges")
        return response


def backoff_delay(
    retries: int, base: float, maximum: float, retry_after: str | None = None
) -> float:
    """Return the wait before retry ``retries + 1``: exponential, capped; ``Retry-After`` wins.

    >>> backoff_delay(0, 2.0, 60.0), backoff_delay(3, 2.0, 60.0), backoff_delay(10, 2.0, 60.0)
    (2.0, 16.0, 60.0)
    >>> backoff_delay(0, 2.0, 60.0, retry_after="30")
    30.0
    """
    delay = min(maximum, base * (2**retries)) if base > 0 else 0.0
    if retry_after and retry_after.strip().isdigit():
        delay = max(delay, min(maximum, float(retry_after.strip())))
    return delay


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry middleware with an exponential wait before each retry.

    The wait is :func:`backoff_delay` of the retry count, using
    ``IMMOLIJST_RETRY_BACKOFF_BASE`` / ``IMMOLIJST_RETRY_BACKOFF_MAX`` and the
    server's ``Retry-After``. It does not hold a download slot while waiting.
    """

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("IMMOLIJST_RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("IMMOLIJST_RETRY_BACKOFF_MAX", 60.0)

    async def process_request(self, request: Request) -> None:
        """Wait the backoff delay a retried request carries, then let it through."""
        delay = float(request.meta.pop("immolijst_backoff", 0) or 0)
        if delay > 0:
            from twisted.internet import reactor  # the crawler's installed reactor

            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))

    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        """Retry a 429/5xx response after a backoff, as Scrapy's middleware would."""
        result = super().process_response(request, response)
        if isinstance(result, Request) and result is not request:
            retry_after = response.headers.get(b"Retry-After")
            result.meta["immolijst_backoff"] = backoff_delay(
                int(request.meta.get("retry_times", 0)),
                self.backoff_base,
                self.backoff_max,
                retry_after.decode("latin-1") if retry_after else None,
            )
        return result
