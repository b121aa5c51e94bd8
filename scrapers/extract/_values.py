"""Small text helpers shared by the immoscoop, immovlan, 2dehands and realtor extractors.

These read the few value formats the pages of those sources use (Belgian money
amounts, ``75 m²``, ``ja``/``nee``, ``01/12/2026``, street lines such as
``Doorniksestr. 12/3``). Full normalisation (places, street spelling) happens
later in the pipeline; these helpers only lift values out of page text and
never raise on odd input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

__all__ = [
    "PriceText",
    "clean",
    "fact_fields",
    "parse_area_text",
    "parse_date_text",
    "parse_epc_score",
    "parse_int_text",
    "parse_money",
    "parse_price_text",
    "parse_yes_no",
    "property_type_of",
    "slugify",
    "split_address_line",
]

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_AMOUNT = re.compile(r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?:,\d{1,2})?(?!\d)|\d+(?:[.,]\d{1,2})?")
_MONEY = re.compile(
    r"(?:€|eur\b|euro\b)\s*(?P<a>" + _AMOUNT.pattern + r")"
    r"|(?P<b>" + _AMOUNT.pattern + r")\s*(?:€|eur\b|euro\b)",
    re.IGNORECASE,
)
_ON_REQUEST = ("op aanvraag", "sur demande", "on request", "prijs n.o.t.k", "zie omschrijving")
_RENTED = ("verhuurd", "loué", "rented")
_SALE = ("te koop", "à vendre", "for sale", "verkocht")
_CHARGE_WORDS = ("kosten", "lasten", "charges", "costs", "gemeenschappelijk", "provisie")


def clean(text: str | None) -> str | None:
    r"""Collapse whitespace (also no-break spaces); empty text gives ``None``.

    >>> clean("  €\u00a0750 \n per maand ")
    '€ 750 per maand'
    >>> clean("   ") is None
    True
    """
    if text is None:
        return None
    out = _SPACES.sub(" ", text).strip()
    return out or None


def _amount_value(token: str) -> float | None:
    token = _SPACES.sub(" ", token).strip().replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", token):
        return float(re.sub(r"[.,]", "", token))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d{1,2}", token):
        return float(token.replace(".", "").replace(",", "."))
    try:
        return float(token.replace(",", "."))
    except ValueError:
        return None


def parse_money(text: str | None) -> float | None:
    r"""Read the first euro amount of a text (Belgian or English thousands marks).

    >>> parse_money("€\u00a0750"), parse_money("€ 1.250"), parse_money("€1,700")
    (750.0, 1250.0, 1700.0)
    >>> parse_money("825")
    825.0
    >>> parse_money("€ 1.250,50"), parse_money("prijs op aanvraag")
    (1250.5, None)
    """
    if not text:
        return None
    match = _MONEY.search(text)
    if match:
        return _amount_value(match.group("a") or match.group("b"))
    bare = _AMOUNT.search(text)
    return _amount_value(bare.group(0)) if bare else None


@dataclass(frozen=True)
class PriceText:
    """A rent read from a price text: rent and charges in EUR a month, or why there is none."""

    rent_eur: float | None
    """Monthly rent without charges, EUR."""
    charges_eur: float | None
    """Monthly charges when the text names them (``+ € 50 kosten``), else ``None``."""
    reason: str | None
    """Why there is no rent: ``"on_request"``, ``"rented"``, ``"sale"`` or ``"no_amount"``."""


def parse_price_text(text: str | None) -> PriceText:
    r"""Read a published price text into rent, charges and a reason.

    >>> parse_price_text("€ 700 + € 50 kosten")
    PriceText(rent_eur=700.0, charges_eur=50.0, reason=None)
    >>> parse_price_text("€\u00a0750")
    PriceText(rent_eur=750.0, charges_eur=None, reason=None)
    >>> parse_price_text("Prijs op aanvraag").reason
    'on_request'
    >>> parse_price_text("Verhuurd").reason
    'rented'
    """
    cleaned = clean(text) or ""
    lower = cleaned.lower()
    if any(word in lower for word in _ON_REQUEST):
        return PriceText(None, None, "on_request")
    if any(word in lower for word in _RENTED):
        return PriceText(None, None, "rented")
    if any(word in lower for word in _SALE):
        return PriceText(parse_money(cleaned), None, "sale")
    amounts = [_amount_value(m.group("a") or m.group("b")) for m in _MONEY.finditer(cleaned)] or [
        parse_money(cleaned)
    ]
    rent = amounts[0]
    if rent is None:
        return PriceText(None, None, "no_amount")
    charges: float | None = None
    if "+" in cleaned:
        tail = cleaned.split("+", 1)[1]
        charges = parse_money(tail)
    elif len(amounts) > 1 and any(word in lower for word in _CHARGE_WORDS):
        charges = amounts[1]
    return PriceText(rent, charges, None)


def parse_int_text(text: str | None) -> int | None:
    """First whole number of a text.

    >>> parse_int_text("2 slaapkamers"), parse_int_text("geen"), parse_int_text(None)
    (2, None, None)
    """
    if not text:
        return None
    match = re.search(r"-?\d+", text)
    return int(match.group(0)) if match else None


def parse_area_text(text: str | None) -> float | None:
    """Area in m² from a text such as ``75 m²``, ``75m2`` or ``82,5 m²``.

    >>> parse_area_text("75 m²"), parse_area_text("82,5 m2"), parse_area_text("onbekend")
    (75.0, 82.5, None)
    """
    if not text:
        return None
    match = re.search(r"(\d+(?:[.,]\d+)?)\s*(?:m²|m2|m\b|vierkante)", text, re.IGNORECASE)
    if not match:
        match = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*", text)
    return float(match.group(1).replace(",", ".")) if match else None


def parse_epc_score(text: str | None) -> float | None:
    """EPC score in kWh/m² from a text (``245 kWh/m²``, ``EPC 245``, ``245``).

    >>> parse_epc_score("245 kWh/m².jaar"), parse_epc_score("EPC-waarde: 312"), parse_epc_score("C")
    (245.0, 312.0, None)
    """
    if not text:
        return None
    match = re.search(r"(-?\d+(?:[.,]\d+)?)", text)
    return float(match.group(1).replace(",", ".")) if match else None


def parse_yes_no(text: str | None) -> bool | None:
    """``ja``/``nee`` (and ``yes``/``no``, ``oui``/``non``) to a bool; anything else ``None``.

    >>> parse_yes_no("Ja"), parse_yes_no("nee"), parse_yes_no("in overleg")
    (True, False, None)
    """
    word = (clean(text) or "").lower().rstrip(".")
    if word in ("ja", "yes", "oui", "true", "1", "aanwezig"):
        return True
    if word in ("nee", "neen", "no", "non", "false", "0", "niet toegelaten"):
        return False
    return None


_MONTHS = {
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}


def parse_date_text(text: str | None) -> date | None:
    """Read a date written ``01/12/2026``, ``1-12-2026``, ``2026-12-01`` or ``1 december 2026``.

    >>> parse_date_text("Vrij op 01/12/2026"), parse_date_text("2026-12-01")
    (datetime.date(2026, 12, 1), datetime.date(2026, 12, 1))
    >>> parse_date_text("1 januari 2027"), parse_date_text("in overleg")
    (datetime.date(2027, 1, 1), None)
    """
    if not text:
        return None
    try:
        iso = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        dmy = re.search(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
        if dmy:
            return date(int(dmy.group(3)), int(dmy.group(2)), int(dmy.group(1)))
        words = re.search(r"(\d{1,2})\s+([a-z]+)\s+(\d{4})", text.lower())
        if words and words.group(2) in _MONTHS:
            return date(int(words.group(3)), _MONTHS[words.group(2)], int(words.group(1)))
    except ValueError:
        return None
    return None


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


def slugify(text: str) -> str:
    """URL slug of a place name: lower case, no accents, hyphens.

    >>> slugify("Spiere-Helkijn"), slugify("Sint-Eloois-Vijve"), slugify("Kortrijk")
    ('spiere-helkijn', 'sint-eloois-vijve', 'kortrijk')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


_STREET_LINE = re.compile(
    r"^(?P<street>.*?[^\d\s])\s+(?P<number>\d+[A-Za-z]?)"
    r"(?:\s*(?:/|\bbus\b|\bbte\b|\bbox\b|\bb\b)\s*(?P<box>[\w.]+))?\s*$",
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
    >>> split_address_line("Grote Markt")
    ('Grote Markt', None, None)
    """
    text = clean(line)
    if text is None:
        return (None, None, None)
    match = _STREET_LINE.match(text)
    if not match:
        return (text, None, None)
    return (match.group("street"), match.group("number"), match.group("box"))


def _label_key(label: str) -> str:
    return re.sub(r"[^a-z0-9²]+", " ", label.lower()).strip()


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


def fact_fields(label: str, value: str | None) -> dict[str, object]:
    """Return the listing fields of one labelled detail-page fact (``"Slaapkamers:"``, ``"2"``).

    Unknown labels and unreadable values give an empty dict. An availability text
    such as ``onmiddellijk`` sets ``available_now``.

    >>> fact_fields("Slaapkamers:", "2")
    {'bedrooms': 2}
    >>> fact_fields("Bewoonbare opp.:", "75 m²")
    {'living_area_m2': 75.0}
    >>> fact_fields("Totale kosten:", "€ 50")
    {'charges_eur': 50.0}
    >>> fact_fields("Beschikbaar vanaf:", "Onmiddellijk")
    {'available_now': True}
    >>> fact_fields("Huisdieren toegelaten:", "Nee")
    {'pets_allowed': False}
    >>> fact_fields("Zwembad", "Ja")
    {}
    """
    key = _label_key(label)
    text = clean(value)
    if not key or text is None:
        return {}
    for words, field in _FACT_RULES:
        if not any(word in key for word in words):
            continue
        result: object
        if field in ("bedrooms", "floor"):
            lower = text.lower()
            result = 0 if field == "floor" and "gelijkvloers" in lower else parse_int_text(text)
        elif field == "living_area_m2":
            result = parse_area_text(text)
        elif field == "epc_kwh_m2":
            result = parse_epc_score(text)
        elif field == "epc_label":
            label_match = re.search(r"\b(A\+|[A-F])\b", text.upper())
            result = label_match.group(1) if label_match else None
        elif field == "available_from":
            lower = text.lower()
            if re.search(r"\b(onmiddellijk|direct|immediately|nu)\b", lower):
                return {"available_now": True}
            result = parse_date_text(text)
        elif field in ("charges_eur", "deposit_eur"):
            result = parse_money(text)
        elif field in ("source_id", "price_raw"):
            result = text
        else:
            result = parse_yes_no(text)
        return {} if result is None else {field: result}
    return {}
