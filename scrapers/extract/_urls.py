"""Fast, exact shortcuts for the two ``urljoin`` calls the extractors make per item.

``urllib.parse.urljoin`` costs a few microseconds; for the plain cases that the
sites' data gives (an absolute path on a fixed site root, or a protocol-relative
image URL) the answer is plain concatenation. Anything else (dot segments,
double slashes, query, fragment, parameters, spaces or control characters,
non-ASCII hosts) goes through ``urljoin`` itself, so results never differ.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlparse, urlsplit

__all__ = ["join_on_page", "join_path", "join_scheme", "join_url", "netloc_path", "url_path"]

_PLAIN_PATH = re.compile(r"/[^\x00-\x20/?#;.\\][^\x00-\x20?#;\\]*")
_PLAIN_ABSOLUTE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?:/[^\x00-\x20?#;\\\[\]\x7f]*)?")
_PLAIN_NETLOC_URL = re.compile(r"//[A-Za-z0-9.-]+(?:/[^\x00-\x20?#;\\\[\]\x7f]*)?")


def join_path(root: str, path: str) -> str:
    """Return ``urljoin(root, path)`` for a site ``root`` without path (``https://host``).

    >>> join_path("https://www.2dehands.be", "/v/huizen/m1-x")
    'https://www.2dehands.be/v/huizen/m1-x'
    >>> join_path("https://www.2dehands.be", "/v/../a")
    'https://www.2dehands.be/a'
    """
    if _PLAIN_PATH.fullmatch(path) and "//" not in path and "/." not in path:
        return root + path
    return join_url(root, path)


def join_scheme(scheme: str, url: str) -> str:
    """Return ``urljoin(scheme, url)`` for a bare scheme base (``"https:"``).

    >>> join_scheme("https:", "//images.2dehands.com/api/1.jpg")
    'https://images.2dehands.com/api/1.jpg'
    >>> join_scheme("https:", "http://x.be/a")
    'http://x.be/a'
    """
    if url.isascii() and _PLAIN_NETLOC_URL.fullmatch(url):
        return scheme + url
    return urljoin(scheme, url)


def join_url(base: str, url: str) -> str:
    """Return ``urljoin(base, url)``; a plain absolute ``http(s)`` URL is returned as it is.

    >>> join_url("https://x.be/a/b", "https://y.be/c")
    'https://y.be/c'
    >>> join_url("https://x.be/a/b", "c")
    'https://x.be/a/c'
    """
    if url.isascii() and _PLAIN_ABSOLUTE_URL.fullmatch(url):
        return url
    return urljoin(base, url)


@lru_cache(maxsize=256)
def _site_root(page_url: str) -> str | None:
    parts = urlsplit(page_url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def join_on_page(page_url: str, href: str) -> str:
    """Return ``urljoin(page_url, href)``: a link found on the page ``page_url``.

    An absolute path (``/te-huur/...``) only needs the page's site root.

    >>> join_on_page("https://x.be/te-huur?page=1", "/te-huur/kortrijk/123")
    'https://x.be/te-huur/kortrijk/123'
    >>> join_on_page("https://x.be/te-huur?page=1", "?page=2")
    'https://x.be/te-huur?page=2'
    """
    if _PLAIN_PATH.fullmatch(href) and "//" not in href and "/." not in href:
        root = _site_root(page_url)
        if root is not None:
            return root + href
    return join_url(page_url, href)


#: A plain ``http(s)`` URL up to its query or fragment: a host of printable ASCII
#: without ``/?#[]``, then an empty path or one of printable ASCII without ``?#;``.
_PLAIN_URL = re.compile(
    r"https?://(?P<netloc>[ -\"$-.0->@-Z\\^-~]*)(?P<path>(?:/[ -\"$-:<->@-~]*)?)(?=[?#]|\Z)"
)


def netloc_path(url: str) -> tuple[str, str]:
    """``(urlparse(url).netloc, urlparse(url).path)``; a plain URL is cut without parsing it.

    Exact for the URLs :data:`_PLAIN_URL` matches: a lower-case ``http``/``https``
    scheme, then printable ASCII up to the first ``?`` or ``#`` or the end, so
    ``urlsplit`` strips and removes nothing there and has no non-ASCII host to
    check; a host without brackets (nothing to validate) ending at the first
    ``/``, ``?`` or ``#``, as ``urlsplit`` cuts it; and a path without ``;``
    (``urlparse``'s parameters) ending at the first ``?`` or ``#``, as
    ``urlsplit`` cuts it. Anything else goes to ``urlparse``.

    >>> netloc_path("https://www.x.be/te-huur/1?page=2")
    ('www.x.be', '/te-huur/1')
    """
    match = _PLAIN_URL.match(url)
    if match is not None:
        netloc, path = match.group("netloc", "path")
        return netloc, path
    parts = urlparse(url)
    return parts.netloc, parts.path


def url_path(url: str) -> str:
    """``urlparse(url).path``, cheaply for a plain URL (see :func:`netloc_path`).

    >>> url_path("https://immovlan.be/nl/detail/huis/te-huur/8500/kortrijk/rbu1#foto")
    '/nl/detail/huis/te-huur/8500/kortrijk/rbu1'
    """
    return netloc_path(url)[1]
