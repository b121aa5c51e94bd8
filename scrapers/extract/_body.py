"""What every extractor does with a fetched body first: decode it, spot a bot challenge, read JSON.

Also the readers of machine-written numbers. These run for every page and every
advert, so they are apart from the dataclasses of :mod:`scrapers.extract._base`
(which re-exports them): this module is compiled with the extractors in the
mypyc build (pyproject.toml), those classes stay ordinary Python classes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = [
    "decode_body",
    "decode_json",
    "detect_challenge",
    "json_after",
    "to_float",
    "to_int",
]


# -- bot challenges -----------------------------------------------------------

_CF_TITLES = ("just a moment...", "just a moment…", "attention required! | cloudflare")
_CAPTCHA_MARKERS = (
    "captcha-delivery.com",
    "g-recaptcha",
    "h-captcha",
    "hcaptcha.com",
    "cf-turnstile",
    "challenges.cloudflare.com",
)
_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def detect_challenge(status: int, headers: Mapping[str, str], body: str) -> str | None:
    """Return a reason text when a response is a bot-challenge page, else ``None``.

    Recognises Cloudflare (``cf-mitigated`` header, "Just a moment..." page),
    DataDome (403 with a DataDome header or its captcha script) and other captcha
    walls served with an error status or as the whole page.

    >>> detect_challenge(200, {"Content-Type": "text/html"}, "<title>Just a moment...</title>")
    'Cloudflare challenge page ("Just a moment...")'
    >>> detect_challenge(403, {"cf-mitigated": "challenge"}, "")
    'Cloudflare challenge (cf-mitigated: challenge)'
    >>> detect_challenge(403, {"X-DataDome": "protected"}, "blocked")
    'DataDome block (HTTP 403)'
    >>> detect_challenge(200, {}, '{"totalItems": 3}') is None
    True
    """
    lower_headers = {str(k).lower(): str(v) for k, v in headers.items()} if headers else {}
    mitigated = lower_headers.get("cf-mitigated")
    if mitigated:
        return f"Cloudflare challenge (cf-mitigated: {mitigated})"
    head = body[:20_000]
    match = _TITLE_RE.search(head) if "<" in head else None  # no tag, no title
    title = " ".join(match.group(1).split()).lower() if match else ""
    if title in _CF_TITLES or title.startswith("just a moment"):
        return 'Cloudflare challenge page ("Just a moment...")'
    if status not in (403, 429, 503) and "captcha" not in title and "robot" not in title:
        return None  # neither rule below can match: skip lower-casing the body
    lower_body = head.lower()
    datadome = any("datadome" in k or "datadome" in v.lower() for k, v in lower_headers.items())
    if status == 403 and (datadome or "captcha-delivery.com" in lower_body):
        return f"DataDome block (HTTP {status})"
    captcha = any(marker in lower_body for marker in _CAPTCHA_MARKERS)
    if captcha and (status in (403, 429, 503) or "captcha" in title or "robot" in title):
        return f"captcha page (HTTP {status})"
    return None


# -- bodies, JSON and numbers -------------------------------------------------


def decode_body(body: str | bytes) -> str:
    """Return the body as text (UTF-8, undecodable bytes replaced).

    >>> decode_body("café".encode())
    'café'
    """
    if isinstance(body, bytes):
        return body.decode("utf-8", errors="replace")
    return body


#: One decoder for every :func:`json_after` call (``raw_decode`` keeps no state).
_DECODER = json.JSONDecoder()
#: Matches the JSON whitespace a decoder skips around a value.
_JSON_SPACE: Callable[[str, int], re.Match[str]] = json.decoder.WHITESPACE.match  # type: ignore[attr-defined]


def decode_json(
    text: str,
    decoder: json.JSONDecoder = _DECODER,
    fallback: Callable[[str], Any] | None = None,
) -> Any:
    """Return ``decoder.decode(text)`` (or ``fallback(text)``), reading the usual text cheaply.

    A text that is one JSON value between JSON whitespace is read by the decoder's
    C scanner directly, without ``decode``'s two Python-level calls around it (the
    value is the one ``decode`` gives). Anything else is handed to ``fallback``
    (default ``decoder.decode``), so its errors and answers are unchanged; for
    ``json.loads`` semantics (a byte-order mark refused) pass ``fallback=json.loads``.

    >>> decode_json(' {"a": [1]} '), decode_json('"x"')
    ({'a': [1]}, 'x')
    >>> decode_json('{"a": 1} x')
    Traceback (most recent call last):
    json.decoder.JSONDecodeError: Extra data: line 1 column 10 (char 9)
    """
    # "{" is not JSON whitespace: the leading-whitespace match would end at 0
    start = 0 if text[:1] == "{" else _JSON_SPACE(text, 0).end()
    try:
        value, end = decoder.scan_once(text, start)  # type: ignore[attr-defined]
    except (StopIteration, ValueError):
        pass  # no value there: the full decoder says why
    else:
        if end == len(text) or _JSON_SPACE(text, end).end() == len(text):
            return value
    return (fallback or decoder.decode)(text)


def json_after(text: str, marker: str | re.Pattern[str], start: int = 0) -> Any:
    """Decode the JSON value that follows ``marker`` in ``text`` (raw_decode, not a greedy regex).

    Raises :class:`ValueError` when the marker is absent or no JSON value follows it.

    >>> json_after('<script>window.classified = {"id": 1, "t": "a}b"};</script>',
    ...            "window.classified =")
    {'id': 1, 't': 'a}b'}
    """
    if isinstance(marker, str):
        pos = text.find(marker, start)
        if pos < 0:
            raise ValueError(f"marker {marker!r} not found")
        end = pos + len(marker)
    else:
        found = marker.search(text, start)
        if found is None:
            raise ValueError(f"marker {marker.pattern!r} not found")
        end = found.end()
    while end < len(text) and text[end].isspace():
        end += 1
    value, _ = _DECODER.raw_decode(text, end)
    return value


def to_float(value: object) -> float | None:
    """Convert a machine-written number (JSON number, ``"51.05"``) to float; junk gives ``None``.

    For coordinates, ids and counts that a site's data gives as numbers. Text as
    published (``€ 1.250``, ``75 m²``, ``EPC 245``) is read by :mod:`listings._parse`.

    >>> to_float("75"), to_float(82.5), to_float(None), to_float("op aanvraag")
    (75.0, 82.5, None, None)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def to_int(value: object) -> int | None:
    """Convert a machine-written number (JSON number, ``"3"``) to int; unknown gives ``None``.

    >>> to_int("3"), to_int(2.0), to_int(""), to_int(None)
    (3, 2, None, None)
    """
    number = to_float(value)
    return None if number is None else int(number)
