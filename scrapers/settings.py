"""Scrapy settings of the immolijst crawlers: polite by default.

Live crawls obey robots.txt, use AutoThrottle, one request at a time per domain
with at least one second between requests, retry 429/5xx with exponential
backoff, and identify themselves with a contact address (``IMMOLIJST_CONTACT``,
also read from the environment). Replay runs (``IMMOLIJST_REPLAY_DIR``) switch
the delays off: see :func:`replay_overrides`. ``IMMOLIJST_HTTPCACHE=1`` in the
environment turns Scrapy's HTTP cache on for development.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["contact_user_agent", "record_overrides", "replay_overrides"]

BOT_NAME = "immolijst"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

#: Contact address put in the user agent so site owners can reach us.
IMMOLIJST_CONTACT = os.environ.get("IMMOLIJST_CONTACT", "woonclub W13, see immolijst README")


def contact_user_agent(contact: str) -> str:
    """Return the identifying user agent for a contact address.

    >>> contact_user_agent("woonclub@example.org")
    'immolijst/0.1 (+contact: woonclub@example.org)'
    """
    return f"immolijst/0.1 (+contact: {contact})"


USER_AGENT = contact_user_agent(IMMOLIJST_CONTACT)

# -- politeness -----------------------------------------------------------------
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
COOKIES_ENABLED = False
#: Items of one response handled at a time. The pipelines are synchronous, so more
#: gives no parallelism, only overhead: Scrapy starts this many asyncio workers
#: for every response (the default, 100, was most of a replayed crawl's time).
CONCURRENT_ITEMS = 1
#: No telnet console: nothing listens on a port during a (nightly) crawl.
TELNETCONSOLE_ENABLED = False
#: Dropped items are logged with their URL and reason only (not the whole item).
LOG_FORMATTER = "scrapers.pipelines.DropLogFormatter"
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8",
    "Accept-Language": "nl-BE,nl;q=0.9,en;q=0.7",
}

# -- retries with exponential backoff (scrapers.middlewares.BackoffRetryMiddleware) ------
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
#: First retry waits this many seconds, doubling each retry (``Retry-After`` wins when longer).
IMMOLIJST_RETRY_BACKOFF_BASE = 2.0
#: Longest wait before one retry, seconds.
IMMOLIJST_RETRY_BACKOFF_MAX = 60.0

# -- run bookkeeping ----------------------------------------------------------------
#: 429/5xx responses in one crawl from which the run counts as a "storm" (partial).
IMMOLIJST_ERROR_STORM = 3
#: Listings per store upsert batch.
IMMOLIJST_STORE_BATCH = 200
#: Store URL; ``None`` means the store's default (``$IMMOLIJST_DATABASE_URL`` or the user data dir).
IMMOLIJST_DATABASE_URL = os.environ.get("IMMOLIJST_DATABASE_URL")
#: Directory of cassettes to replay (``<dir>/<spider>.yaml``); ``None`` = live.
IMMOLIJST_REPLAY_DIR = None
#: Directory to record cassettes into; ``None`` = no recording.
IMMOLIJST_RECORD_DIR = None

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapers.middlewares.BackoffRetryMiddleware": 550,
    "scrapers.middlewares.CrawlStatsMiddleware": 560,
    "scrapers.middlewares.CassetteMiddleware": 950,
}
ITEM_PIPELINES = {
    "scrapers.pipelines.ValidatePipeline": 100,
    "scrapers.pipelines.NormalisePipeline": 200,
    "scrapers.pipelines.StorePipeline": 300,
}

# -- development cache (never in replay or record) --------------------------------------
HTTPCACHE_ENABLED = os.environ.get("IMMOLIJST_HTTPCACHE", "") not in ("", "0", "false")
HTTPCACHE_EXPIRATION_SECS = 24 * 3600
HTTPCACHE_DIR = "httpcache"

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("IMMOLIJST_LOG_LEVEL", "INFO")


def replay_overrides(directory: str) -> dict[str, Any]:
    """Return the settings for replaying cassettes from ``directory``: no delays, cache or backoff.

    >>> replay_overrides("rec")["DOWNLOAD_DELAY"], replay_overrides("rec")["AUTOTHROTTLE_ENABLED"]
    (0, False)
    """
    return {
        "IMMOLIJST_REPLAY_DIR": directory,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "HTTPCACHE_ENABLED": False,
        "IMMOLIJST_RETRY_BACKOFF_BASE": 0.0,
        "RETRY_TIMES": 0,
    }


def record_overrides(directory: str) -> dict[str, Any]:
    """Return the settings for recording cassettes into ``directory`` (polite, no cache)."""
    return {"IMMOLIJST_RECORD_DIR": directory, "HTTPCACHE_ENABLED": False}
