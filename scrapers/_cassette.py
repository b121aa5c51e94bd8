"""Replay and record Scrapy crawls with vcrpy YAML cassettes.

vcrpy patches the common HTTP client libraries but not Twisted, so Scrapy cannot
use it directly. :class:`CassetteMiddleware` is a downloader middleware that

* in **replay** mode (setting ``IMMOLIJST_REPLAY_DIR``) answers every request
  from ``<dir>/<spider name>.yaml`` and fails loudly (error in the log, counted
  in ``immolijst/cassette_miss``, the request errors) on a request the cassette
  does not hold;
* in **record** mode (setting ``IMMOLIJST_RECORD_DIR``) lets requests go to the
  network and writes every response into ``<dir>/<spider name>.yaml`` when the
  spider closes, with cookies and secret headers filtered out.

Cassettes use vcrpy's own format and serializer (``version: 1``,
``interactions: [{request, response}]``), so a cassette written by vcrpy around
plain HTTP code can be replayed here and vice versa. Requests match on method +
canonical URL (+ body for POST/PUT/PATCH).
"""

from __future__ import annotations

import gzip
import logging
import zlib
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Headers, Request, Response
from scrapy.http.response.html import HtmlResponse
from scrapy.responsetypes import responsetypes
from vcr import serialize as vcr_serialize  # type: ignore[import-untyped]
from vcr.request import Request as VcrRequest  # type: ignore[import-untyped]
from vcr.serializers import yamlserializer  # type: ignore[import-untyped]
from w3lib.url import canonicalize_url

__all__ = [
    "FILTERED_REQUEST_HEADERS",
    "FILTERED_RESPONSE_HEADERS",
    "Cassette",
    "CassetteMiddleware",
    "CassetteMissError",
    "Interaction",
    "match_key",
]

logger = logging.getLogger(__name__)

#: Request headers never written to a cassette (cookies and credentials).
FILTERED_REQUEST_HEADERS = frozenset(
    {"cookie", "authorization", "proxy-authorization", "x-api-key", "x-auth-token", "x-csrf-token"}
)
#: Response headers never written to a cassette (cookies; transfer details that no longer apply).
FILTERED_RESPONSE_HEADERS = frozenset(
    {"set-cookie", "content-encoding", "transfer-encoding", "content-length"}
)
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

#: Statistics key counting requests a replay cassette did not hold.
STAT_CASSETTE_MISS = "immolijst/cassette_miss"


class CassetteMissError(Exception):
    """A request in replay mode that the cassette does not hold (the crawl is incomplete)."""

    def __init__(self, method: str, url: str, cassette: Path) -> None:
        self.method = method
        self.url = url
        self.cassette = cassette
        super().__init__(f"{method} {url} is not in cassette {cassette}")


def match_key(method: str, url: str, body: bytes | str | None = None) -> tuple[str, str, bytes]:
    """Return the key a request is matched on: method, canonical URL, body for POST/PUT/PATCH.

    >>> match_key("get", "https://x.be/a?b=2&a=1#frag")
    ('GET', 'https://x.be/a?a=1&b=2', b'')
    """
    method = method.upper()
    raw = body.encode() if isinstance(body, str) else (body or b"")
    return (method, canonicalize_url(url), raw if method in _BODY_METHODS else b"")


@dataclass
class Interaction:
    """One recorded request/response pair."""

    method: str
    """HTTP method, upper case."""
    url: str
    """Absolute URL as requested."""
    status: int
    """HTTP status code of the response."""
    body: bytes
    """Response body (decoded from any content encoding)."""
    headers: dict[str, list[str]] = field(default_factory=dict)
    """Response headers, name → values."""
    request_headers: dict[str, list[str]] = field(default_factory=dict)
    """Request headers (filtered), name → values."""
    request_body: bytes = b""
    """Request body (for POST)."""
    message: str = "OK"
    """HTTP reason phrase."""

    @property
    def key(self) -> tuple[str, str, bytes]:
        """The match key of this interaction's request."""
        return match_key(self.method, self.url, self.request_body)


def _filtered(headers: Mapping[str, Iterable[str]], drop: frozenset[str]) -> dict[str, list[str]]:
    return {k: [str(v) for v in vs] for k, vs in headers.items() if k.lower() not in drop}


class Cassette:
    """A list of interactions read from or written to a vcrpy YAML cassette."""

    def __init__(self, path: Path, interactions: Iterable[Interaction] = ()) -> None:
        self.path = Path(path)
        self.interactions: list[Interaction] = list(interactions)
        self._queues: dict[tuple[str, str, bytes], deque[Interaction]] = defaultdict(deque)
        self._last: dict[tuple[str, str, bytes], Interaction] = {}
        for interaction in self.interactions:
            self._queues[interaction.key].append(interaction)

    @classmethod
    def load(cls, path: str | Path) -> Cassette:
        """Read a cassette file written by vcrpy or by :meth:`save`."""
        path = Path(path)
        text = path.read_text(encoding="utf-8")
        loaded = vcr_serialize.deserialize(text, yamlserializer)
        requests, responses = loaded[0], loaded[1]
        interactions = []
        for req, resp in zip(requests, responses, strict=True):
            body = resp.get("body", {}).get("string", b"")
            if isinstance(body, str):
                body = body.encode("utf-8")
            headers = {
                str(k): [str(x) for x in (v if isinstance(v, list) else [v])]
                for k, v in (resp.get("headers") or {}).items()
            }
            status = resp.get("status") or {}
            interactions.append(
                Interaction(
                    method=str(req.method).upper(),
                    url=str(req.uri),
                    status=int(status.get("code", 200)),
                    message=str(status.get("message", "")),
                    body=body,
                    headers=headers,
                    request_headers={str(k): [str(v)] for k, v in dict(req.headers).items()},
                    request_body=req.body or b"",
                )
            )
        return cls(path, interactions)

    def add(self, interaction: Interaction) -> None:
        """Append an interaction (record mode)."""
        self.interactions.append(interaction)
        self._queues[interaction.key].append(interaction)

    def find(self, method: str, url: str, body: bytes | None = None) -> Interaction | None:
        """Return the next recorded interaction matching the request, or ``None``.

        Repeated identical requests get the recorded answers in order; once they
        are used up the last one is served again.
        """
        key = match_key(method, url, body)
        queue = self._queues.get(key)
        if queue:
            self._last[key] = queue.popleft()
        return self._last.get(key)

    def dumps(self, header: str = "") -> str:
        """Serialise to vcrpy's YAML format, with ``header`` as leading ``#`` comment lines."""
        requests = []
        responses = []
        for it in self.interactions:
            req_headers = {
                k: v[0] if len(v) == 1 else ", ".join(v) for k, v in it.request_headers.items()
            }
            requests.append(VcrRequest(it.method, it.url, it.request_body or None, req_headers))
            responses.append(
                {
                    "status": {"code": it.status, "message": it.message},
                    "headers": it.headers,
                    "body": {"string": it.body},
                }
            )
        text: str = vcr_serialize.serialize(
            {"requests": requests, "responses": responses}, yamlserializer
        )
        comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
        return comment + text

    def save(self, header: str = "") -> Path:
        """Write the cassette file (creating its directory) and return its path."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(self.dumps(header), encoding="utf-8")
        return self.path


def _decode_content(body: bytes, encoding: str) -> bytes:
    encoding = encoding.lower().strip()
    if encoding in ("gzip", "x-gzip"):
        return gzip.decompress(body)
    if encoding == "deflate":
        try:
            return zlib.decompress(body)
        except zlib.error:
            return zlib.decompress(body, -zlib.MAX_WBITS)
    return body


class CassetteMiddleware:
    """Downloader middleware that replays from or records into vcrpy cassettes.

    Enabled by ``IMMOLIJST_REPLAY_DIR`` or ``IMMOLIJST_RECORD_DIR`` (not both);
    without either it does nothing. Install it closest to the downloader
    (priority 950) so requests carry all their headers when recorded.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        replay = settings.get("IMMOLIJST_REPLAY_DIR")
        record = settings.get("IMMOLIJST_RECORD_DIR")
        if replay and record:
            raise ValueError("IMMOLIJST_REPLAY_DIR and IMMOLIJST_RECORD_DIR cannot both be set")
        self.replay_dir = Path(replay) if replay else None
        self.record_dir = Path(record) if record else None
        self.cassette: Cassette | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CassetteMiddleware:
        """Build the middleware from the crawler's settings."""
        return cls(crawler)

    def _cassette_path(self, directory: Path) -> Path:
        name = self.crawler.spider.name if self.crawler.spider is not None else "crawl"
        return directory / f"{name}.yaml"

    def spider_opened(self) -> None:
        """Load the replay cassette, or start an empty one to record into."""
        if self.replay_dir is not None:
            path = self._cassette_path(self.replay_dir)
            if path.exists():
                self.cassette = Cassette.load(path)
            else:
                logger.error("replay cassette %s does not exist: every request will fail", path)
                self.cassette = Cassette(path)
        elif self.record_dir is not None:
            self.cassette = Cassette(self._cassette_path(self.record_dir))

    def spider_closed(self) -> None:
        """Write the recorded cassette (record mode)."""
        if self.record_dir is not None and self.cassette is not None:
            header = (
                "LIVE recording made by `immolijst scrape --record`; cookies and secret headers "
                "were filtered out.\nReplay with `immolijst scrape --replay DIR`."
            )
            path = self.cassette.save(header)
            logger.info("wrote %d interactions to %s", len(self.cassette.interactions), path)

    def process_request(self, request: Request) -> Response | None:
        """Replay: answer from the cassette or fail loudly. Record: ask for an uncompressed body."""
        if self.cassette is None:
            return None
        if self.record_dir is not None:
            request.headers.pop(b"Accept-Encoding", None)
            return None
        found = self.cassette.find(request.method, request.url, request.body)
        if found is None:
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value(STAT_CASSETTE_MISS)
            error = CassetteMissError(request.method, request.url, self.cassette.path)
            logger.error("replay: %s", error)
            raise error
        headers = Headers(found.headers)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=found.body)
        if cls is Response and found.body.lstrip()[:1] == b"<":
            cls = HtmlResponse
        return cls(
            url=request.url,
            status=found.status,
            headers=headers,
            body=found.body,
            request=request,
            flags=["cassette"],
        )

    def process_response(self, request: Request, response: Response) -> Response:
        """Record: store the live response (decoded, cookies filtered) in the cassette."""
        if self.record_dir is None or self.cassette is None or "cassette" in response.flags:
            return response
        body = response.body
        encoding = response.headers.get(b"Content-Encoding")
        if encoding:
            try:
                body = _decode_content(body, encoding.decode("latin-1"))
            except (OSError, zlib.error):
                logger.warning("could not decode %s body of %s", encoding, request.url)
        resp_headers = {
            k.decode("latin-1"): [v.decode("latin-1") for v in vs]
            for k, vs in response.headers.items()
        }
        req_headers = {
            k.decode("latin-1"): [v.decode("latin-1") for v in vs]
            for k, vs in request.headers.items()
        }
        self.cassette.add(
            Interaction(
                method=request.method,
                url=request.url,
                status=response.status,
                body=body,
                headers=_filtered(resp_headers, FILTERED_RESPONSE_HEADERS),
                request_headers=_filtered(req_headers, FILTERED_REQUEST_HEADERS),
                request_body=request.body,
            )
        )
        return response
