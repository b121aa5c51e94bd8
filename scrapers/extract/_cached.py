"""Memoised value parsers for the extractors (same answers as :mod:`listings._parse`).

The parsers of :mod:`listings._parse` are pure functions of their text, and the
texts repeat a lot across pages (``€ 750``, ``2``, ``Ja``, ``C``), so the
extractors call these cached copies. Results are immutable (frozen dataclasses,
numbers, dates). Availability depends on the current date, which is part of its
cache key.

>>> parse_price("€ 750").rent_eur, parse_price("€ 750") is parse_price("€ 750")
(750.0, True)
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from listings import _parse
from listings._parse import Availability

__all__ = [
    "parse_amount",
    "parse_area",
    "parse_availability",
    "parse_bool",
    "parse_date",
    "parse_epc",
    "parse_int",
    "parse_price",
]

_SIZE = 8192

parse_amount = lru_cache(maxsize=_SIZE, typed=True)(_parse.parse_amount)
parse_area = lru_cache(maxsize=_SIZE, typed=True)(_parse.parse_area)
parse_bool = lru_cache(maxsize=_SIZE, typed=True)(_parse.parse_bool)
parse_date = lru_cache(maxsize=_SIZE, typed=True)(_parse.parse_date)
parse_epc = lru_cache(maxsize=_SIZE, typed=True)(_parse.parse_epc)
parse_int = lru_cache(maxsize=_SIZE, typed=True)(_parse.parse_int)
parse_price = lru_cache(maxsize=_SIZE, typed=True)(_parse.parse_price)


@lru_cache(maxsize=_SIZE, typed=True)
def _availability(text: str | None, today: date) -> Availability:
    return _parse.parse_availability(text, today=today)


def parse_availability(text: str | None) -> Availability:
    """:func:`listings._parse.parse_availability` of ``text`` as of today, memoised per day."""
    return _availability(text, date.today())
