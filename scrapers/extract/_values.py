"""Scraping helpers shared by the extractors: page text, types, slugs, streets, facts.

The value formats themselves (Belgian money amounts, ``75 m²``, EPC, ``ja``/``nee``,
dates and availability) are read by :mod:`listings._parse`; this module only
adds what is specific to scraping pages: collapsing page whitespace, mapping type
words and street lines, turning a labelled detail-page fact into listing fields,
and turning a parsed price into the :class:`~scrapers.extract.Problem` that drops
an advert. Nothing here raises on odd input.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from functools import lru_cache

from listings._parse import PRICE_FOR_SALE, PRICE_RENTED, Price
from scrapers.extract._base import Problem
from scrapers.extract._cached import (
    parse_amount,
    parse_area,
    parse_availability,
    parse_bool,
    parse_epc,
    parse_int,
)

__all__ = [
    "PRICE_PROBLEM_CODES",
    "availability_of",
    "clean",
    "fact_fields",
    "fact_fields_on",
    "price_problem",
    "property_type_of",
    "slugify",
    "split_address_line",
]


def clean(text: str | None) -> str | None:
    r"""Collapse whitespace (also no-break spaces); empty text gives ``None``.

    >>> clean("  €\u00a0750 \n per maand ")
    '€ 750 per maand'
    >>> clean("   ") is None
    True
    """
    if text is None:
        return None
    # str.split() splits on exactly the characters re's \s matches (no-break spaces too)
    out = " ".join(text.split())
    return out or None


_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("studio", "studio"),
    ("kamer", "room"),
    ("kot", "room"),
    ("appartement", "apartment"),
    ("apartment", "apartment"),
    ("flat", "apartment"),
    ("penthouse", "apartment"),
    ("duplex", "apartment"),
    ("loft", "apartment"),
    ("dwelling", "house"),
    ("woning", "house"),
    ("huis", "house"),
    ("house", "house"),
    ("villa", "house"),
    ("bungalow", "house"),
    ("residence", "house"),
)
_NON_RESIDENTIAL = (
    "garage",
    "parking",
    "staanplaats",
    "kantoor",
    "handelspand",
    "winkel",
    "magazijn",
    "grond",
    "bouwgrond",
    "office",
    "commercial",
)


@lru_cache(maxsize=8192)
def property_type_of(text: str | None) -> str | None:
    """Normalised property type of a type word, ``"other"`` for non-residential, else ``None``.

    >>> property_type_of("Appartement te huur"), property_type_of("Rijwoning")
    ('apartment', 'house')
    >>> property_type_of("Garage te huur"), property_type_of("")
    ('other', None)
    """
    lower = (text or "").lower()
    if not lower:
        return None
    if any(word in lower for word in _NON_RESIDENTIAL):
        return "other"
    for word, kind in _TYPE_WORDS:
        if word in lower:
            return kind
    return None


_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """URL slug of a place name: lower case, no accents, hyphens.

    >>> slugify("Spiere-Helkijn"), slugify("Sint-Eloois-Vijve"), slugify("Kortrijk")
    ('spiere-helkijn', 'sint-eloois-vijve', 'kortrijk')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG_JUNK.sub("-", ascii_text.lower()).strip("-")


_STREET_LINE = re.compile(
    r"^(?P<street>.*?[^\d\s])\s+(?P<number>\d+[A-Za-z]?)"
    r"(?:\s*(?:/|\bbus\b|\bbte\b|\bbox\b|\bb\b\.?)\s*(?P<box>[\w.]+))?\s*$",
    re.IGNORECASE,
)


def split_address_line(line: str | None) -> tuple[str | None, str | None, str | None]:
    """Split a street line into street, house number and box.

    >>> split_address_line("Doorniksestr. 12/3")
    ('Doorniksestr.', '12', '3')
    >>> split_address_line("Doorniksestraat 12 bus 3")
    ('Doorniksestraat', '12', '3')
    >>> split_address_line("Koning Albert I-Laan 66")
    ('Koning Albert I-Laan', '66', None)
    >>> split_address_line("Rijselstraat, 40A b.2")
    ('Rijselstraat', '40A', '2')
    >>> split_address_line("Grote Markt")
    ('Grote Markt', None, None)
    """
    if line is None or type(line) is str:
        return _split_address_line_cached(line)
    return _split_address_line(line)  # e.g. a str subclass: not memoised


def _split_address_line(line: str | None) -> tuple[str | None, str | None, str | None]:
    text = clean(line)
    if text is None:
        return (None, None, None)
    match = _STREET_LINE.match(text)
    if not match:
        return (text, None, None)
    return (match.group("street").rstrip(" ,"), match.group("number"), match.group("box"))


#: :func:`split_address_line` memoised: street lines repeat across pages (results are tuples).
_split_address_line_cached = lru_cache(maxsize=8192)(_split_address_line)


_LABEL_JUNK = re.compile(r"[^a-z0-9²]+")


def _label_key(label: str) -> str:
    return _LABEL_JUNK.sub(" ", label.lower()).strip()


_FACT_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("referentie", "reference"), "source_id"),
    (("slaapkamer", "bedroom"), "bedrooms"),
    (("bewoonbare", "woonoppervlakte", "livable", "leefruimte"), "living_area_m2"),
    (("epc label", "energielabel", "epc klasse"), "epc_label"),
    (("epc", "energieverbruik", "energy"), "epc_kwh_m2"),
    (("beschikbaar", "vrij op", "available"), "available_from"),
    (("kosten", "lasten", "charges"), "charges_eur"),
    (("huisdier", "pets"), "pets_allowed"),
    (("gemeubeld", "furnished"), "furnished"),
    (("verdieping", "floor"), "floor"),
    (("lift", "elevator"), "elevator"),
    (("terras", "balkon", "terrace"), "terrace"),
    (("tuin", "garden"), "garden"),
    (("parking", "garage", "staanplaats"), "parking"),
    (("waarborg", "deposit"), "deposit_eur"),
    (("prijs", "huurprijs", "price"), "price_raw"),
)


def availability_of(text: str | None) -> tuple[date | None, bool | None]:
    """Return ``(available_from, available_now)`` of an availability text, as extractors fill them.

    Read by :func:`listings._parse.parse_availability`. A date gives only
    ``available_from`` (whether it has passed is decided when the listing is
    used, not when the page is read); "immediately" gives ``available_now=True``;
    a condition (``in overleg``, ``bij akte``) or unreadable text gives neither.

    >>> availability_of("Vrij op 01/12/2026")
    (datetime.date(2026, 12, 1), None)
    >>> availability_of("Onmiddellijk"), availability_of("IMMEDIATELY")
    ((None, True), (None, True))
    >>> availability_of("in overleg"), availability_of(None)
    ((None, None), (None, None))
    """
    found = parse_availability(text)
    if found.available_from is not None:
        return found.available_from, None
    return None, True if found.available_now else None


#: Price reason (:attr:`listings._parse.Price.reason`) → problem code, for the reasons
#: that say more than "no monthly rent" (``no_price``).
PRICE_PROBLEM_CODES: Mapping[str, str] = {PRICE_FOR_SALE: "sale", PRICE_RENTED: "rented"}


def price_problem(
    url: str,
    source_id: str | None,
    price: Price,
    codes: Mapping[str, str] = PRICE_PROBLEM_CODES,
) -> Problem | None:
    """Return the problem that drops an advert for its parsed price text, or ``None``.

    A reason in ``codes`` gives that code (``sale``, ``rented``); any other price
    without a monthly rent gives ``no_price``, naming the reason in the message.

    >>> from listings._parse import parse_price
    >>> price_problem("https://x.be/1", "1", parse_price("Verhuurd")).code
    'rented'
    >>> price_problem("https://x.be/1", "1", parse_price("Prijs op aanvraag")).message
    "price_raw='Prijs op aanvraag': no monthly rent (on request)"
    >>> price_problem("https://x.be/1", "1", parse_price("Verhuurd"), codes={}).code
    'no_price'
    >>> price_problem("https://x.be/1", "1", parse_price("€ 750")) is None
    True
    """
    raw = price.raw or None
    code = codes.get(price.reason or "")
    if code is not None:
        return Problem(url, code, f"price_raw={raw!r}: {price.reason}", source_id, "price_raw", raw)
    if price.rent_eur is None:
        return Problem(
            url,
            "no_price",
            f"price_raw={raw!r}: no monthly rent ({price.reason})",
            source_id,
            "price_raw",
            raw,
        )
    return None


def fact_fields(label: str, value: str | None) -> dict[str, object]:
    """Return the listing fields of one labelled detail-page fact (``"Slaapkamers:"``, ``"2"``).

    Values are read with :mod:`listings._parse`. Unknown labels and unreadable
    values give an empty dict. An availability text such as ``onmiddellijk`` sets
    ``available_now``; an EPC fact that also names the label sets ``epc_label``.

    >>> fact_fields("Slaapkamers:", "2")
    {'bedrooms': 2}
    >>> fact_fields("Bewoonbare opp.:", "75 m²")
    {'living_area_m2': 75.0}
    >>> fact_fields("Totale kosten:", "€ 50")
    {'charges_eur': 50.0}
    >>> fact_fields("Beschikbaar vanaf:", "Onmiddellijk")
    {'available_now': True}
    >>> fact_fields("Beschikbaar vanaf:", "01/12/2026")
    {'available_from': datetime.date(2026, 12, 1)}
    >>> fact_fields("Huisdieren toegelaten:", "Nee")
    {'pets_allowed': False}
    >>> fact_fields("Verdieping:", "-1"), fact_fields("Verdieping:", "Gelijkvloers")
    ({'floor': -1}, {'floor': 0})
    >>> fact_fields("EPC:", "C (245 kWh/m²)")
    {'epc_kwh_m2': 245.0, 'epc_label': 'C'}
    >>> fact_fields("Zwembad", "Ja")
    {}
    """
    return dict(fact_fields_on(label, value, date.today()))


@lru_cache(maxsize=8192)
def fact_fields_on(label: str, value: str | None, today: date) -> dict[str, object]:
    """:func:`fact_fields` as of the day ``today``, memoised; the result must not be changed.

    For extractors reading many facts of one page: they take the date once.

    >>> fact_fields_on("Slaapkamers:", "2", date(2026, 11, 20))
    {'bedrooms': 2}
    """
    key = _label_key(label)
    text = clean(value)
    if not key or text is None:
        return {}
    for words, field in _FACT_RULES:
        if not any(word in key for word in words):
            continue
        result: object
        if field == "floor":
            result = 0 if "gelijkvloers" in text.lower() else parse_int(text, signed=True)
        elif field == "bedrooms":
            result = parse_int(text)
        elif field == "living_area_m2":
            result = parse_area(text)
        elif field == "epc_kwh_m2":
            epc = parse_epc(text)
            found = {"epc_kwh_m2": epc.kwh_m2, "epc_label": epc.label}
            return {k: v for k, v in found.items() if v is not None}
        elif field == "epc_label":
            result = parse_epc(text).label
        elif field == "available_from":
            available_from, available_now = availability_of(text)
            if available_now:
                return {"available_now": True}
            result = available_from
        elif field in ("charges_eur", "deposit_eur"):
            result = parse_amount(text)
        elif field in ("source_id", "price_raw"):
            result = text
        else:
            result = parse_bool(text)
        return {} if result is None else {field: result}
    return {}
