"""Shared pieces of the pure extractors: :class:`Problem`, :class:`Extraction` and helpers.

Extractors turn one fetched page (URL + body) into candidate listings, problems,
links to follow and the next search page. This module never imports Scrapy, so
extractors can be unit-tested on saved pages and reused outside a crawl.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from listings._model import Listing, validation_problems

__all__ = [
    "Extraction",
    "Problem",
    "decode_body",
    "decode_json",
    "detect_challenge",
    "invalid_problem",
    "json_after",
    "merge_items",
    "to_float",
    "to_int",
]


@dataclass(frozen=True)
class Problem:
    """Why one item (or a whole page) was dropped during extraction or validation.

    ``code`` is a short slug used for the "dropped by reason" counts: ``sale``,
    ``no_price``, ``not_residential``, ``invalid``, ``parse_error``, ``project``,
    ``challenge``... ``message`` is English and names the field and value.
    """

    url: str
    """URL of the page the problem was found on."""
    code: str
    """Short slug of the reason (``"sale"``, ``"invalid"``...)."""
    message: str
    """Human-readable English explanation naming the field and the value."""
    source_id: str | None = None
    """The advert's id on its source, when the problem concerns one advert."""
    field: str | None = None
    """The offending field name, when one field is to blame."""
    value: object = None
    """The offending value, when one field is to blame."""


@dataclass
class Extraction:
    """What an extractor found on one page.

    >>> ext = Extraction(items=[{"source": "zimmo", "source_id": "A1",
    ...                          "url": "https://www.zimmo.be/nl/a1/", "bedrooms": 40}])
    >>> listings, problems = ext.validated()
    >>> listings, problems[0].code, problems[0].field, problems[0].value
    ([], 'invalid', 'bedrooms', 40)
    """

    items: list[dict[str, Any]] = field(default_factory=list)
    """Candidate listings: dicts keyed by :class:`~listings.Listing` field names, not validated."""
    problems: list[Problem] = field(default_factory=list)
    """Items dropped during extraction, and page-level problems."""
    links: list[str] = field(default_factory=list)
    """Detail pages to follow (absolute URLs), in page order."""
    next_page: str | None = None
    """Absolute URL of the next search page, or ``None`` on the last page."""
    total: int | None = None
    """Total number of results the source announces, if any."""
    challenge: str | None = None
    """Reason text when the body is a bot-challenge page, else ``None``."""

    def validated(self) -> tuple[list[Listing], list[Problem]]:
        """Run the :class:`~listings.Listing` model on every item.

        Returns the valid listings and one ``invalid`` problem per rejected item,
        whose message names each failing field and its value. Problems already
        found during extraction are not repeated here.
        """
        listings: list[Listing] = []
        problems: list[Problem] = []
        for item in self.items:
            try:
                listings.append(Listing.model_validate(item))
            except ValidationError as exc:
                problems.append(invalid_problem(item, exc))
        return listings, problems


def invalid_problem(item: Mapping[str, Any], exc: ValidationError) -> Problem:
    """Build the ``invalid`` :class:`Problem` for an item the Listing model rejected."""
    triples = validation_problems(exc)
    message = "; ".join(f"{fld}={val!r}: {reason}" for fld, val, reason in triples)
    first_field, first_value = (triples[0][0], triples[0][1]) if triples else (None, None)
    source_id = item.get("source_id")
    return Problem(
        url=str(item.get("url") or ""),
        code="invalid",
        message=message,
        source_id=None if source_id is None else str(source_id),
        field=first_field,
        value=first_value,
    )


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


# -- merging and small helpers ------------------------------------------------


def merge_items(card: Mapping[str, Any], detail: Mapping[str, Any]) -> dict[str, Any]:
    """Merge a detail-page item into the search-card item of the same advert.

    Detail values win where they are not ``None``; ``image_urls`` comes from the
    detail page only when it has pictures.

    >>> merge_items({"rent_eur": 700, "bedrooms": 2, "image_urls": ["https://a/1.jpg"]},
    ...             {"rent_eur": 750, "bedrooms": None, "image_urls": []})
    {'rent_eur': 750, 'bedrooms': 2, 'image_urls': ['https://a/1.jpg']}
    """
    merged = dict(card)
    for key, value in detail.items():
        if key == "image_urls":
            if value:
                merged[key] = list(value)
            else:
                merged.setdefault(key, [])
        elif value is not None:
            merged[key] = value
    return merged


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
