"""Shared pieces of the pure extractors: :class:`Problem`, :class:`Extraction` and helpers.

The helpers every page goes through (decoding, bot challenges, JSON, numbers) are
defined in :mod:`scrapers.extract._body` and re-exported here.

Extractors turn one fetched page (URL + body) into candidate listings, problems,
links to follow and the next search page. This module never imports Scrapy, so
extractors can be unit-tested on saved pages and reused outside a crawl.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from listings._model import Listing, validation_problems

# The per-page helpers live in _body (compiled in the mypyc build) and are re-exported here.
from scrapers.extract._body import (
    decode_body,
    decode_json,
    detect_challenge,
    json_after,
    to_float,
    to_int,
)

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
