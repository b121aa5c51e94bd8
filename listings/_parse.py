"""Parse the value formats Belgian listing sources publish.

Every function takes the text as published (or ``None``) and never raises on
odd input: it returns ``None`` (or a result object whose fields are ``None``
with a ``reason``) when the text does not say what is asked. Amounts follow
the Belgian convention (``€ 1.250,50``) but also accept the English one that
Immoweb's English pages use (``€1,700``); a group of exactly three digits
after a single separator is always read as thousands.

``price-parser`` turns one amount token into a number; ``dateparser`` reads
dates written with month names (Dutch, French, English). Numeric and ISO
dates take a strict fast path and never reach ``dateparser``; relative words
(``morgen``, ``next week``) are never read as dates.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from price_parser import Price as _PPrice

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

__all__ = [
    "AVAILABILITY_AT_DEED",
    "AVAILABILITY_BY_AGREEMENT",
    "AVAILABILITY_UNPARSED",
    "EPC_LABELS",
    "PRICE_EMPTY",
    "PRICE_FOR_SALE",
    "PRICE_NOT_EURO",
    "PRICE_NO_AMOUNT",
    "PRICE_ON_REQUEST",
    "PRICE_PER_DAY",
    "PRICE_PER_M2",
    "PRICE_PER_WEEK",
    "PRICE_RANGE",
    "PRICE_RENTED",
    "PRICE_ZERO",
    "Availability",
    "Epc",
    "Price",
    "parse_amount",
    "parse_area",
    "parse_availability",
    "parse_bool",
    "parse_date",
    "parse_epc",
    "parse_int",
    "parse_price",
]

# -- reasons ---------------------------------------------------------------------------

#: :attr:`Price.reason`: there is no price text at all.
PRICE_EMPTY = "empty"
#: :attr:`Price.reason`: the text holds no amount.
PRICE_NO_AMOUNT = "no amount"
#: :attr:`Price.reason`: the price is given on request (``Prijs op aanvraag``).
PRICE_ON_REQUEST = "on request"
#: :attr:`Price.reason`: the dwelling is already rented (``Verhuurd``).
PRICE_RENTED = "rented"
#: :attr:`Price.reason`: the text is a sale price (``te koop``).
PRICE_FOR_SALE = "for sale"
#: :attr:`Price.reason`: the amount is zero (Zimmo publishes ``0`` for "on request").
PRICE_ZERO = "zero amount"
#: :attr:`Price.reason`: a price per week cannot be turned into a monthly rent unambiguously.
PRICE_PER_WEEK = "per week"
#: :attr:`Price.reason`: a price per day or night is not a monthly rent.
PRICE_PER_DAY = "per day"
#: :attr:`Price.reason`: a price per m² is not a monthly rent.
PRICE_PER_M2 = "per m²"
#: :attr:`Price.reason`: the text gives a range (``€ 700 - € 800``), not one rent.
PRICE_RANGE = "range"
#: :attr:`Price.reason`: the amount is in another currency than the euro.
PRICE_NOT_EURO = "not in euro"

#: :attr:`Availability.reason`: the date is to be agreed (``in overleg``, ``à convenir``).
AVAILABILITY_BY_AGREEMENT = "by agreement"
#: :attr:`Availability.reason`: available when the deed is signed (``bij akte``).
AVAILABILITY_AT_DEED = "at deed"
#: :attr:`Availability.reason`: the text could not be read as a date or a condition.
AVAILABILITY_UNPARSED = "unparsed"

#: EPC labels of the Flemish residential EPC, best first.
EPC_LABELS: tuple[str, ...] = ("A+", "A", "B", "C", "D", "E", "F")


# -- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Price:
    """A parsed rent price (result of :func:`parse_price`).

    Amounts are EUR per month. ``charges_eur`` is ``None`` when the text says
    nothing about charges. ``reason`` says why ``rent_eur`` is ``None`` (one of
    the ``PRICE_*`` constants of this module) and is ``None`` when a rent was read.
    ``raw`` is the text as given.
    """

    rent_eur: float | None
    charges_eur: float | None
    reason: str | None
    raw: str


@dataclass(frozen=True)
class Epc:
    """A parsed EPC: score in kWh/m² per year and label ``A+``..``F``, as published."""

    kwh_m2: float | None
    label: str | None


@dataclass(frozen=True)
class Availability:
    """When a dwelling can be rented (result of :func:`parse_availability`).

    ``available_now`` is ``True`` for "immediately" (or a date not after
    today), ``False`` for a future date or a condition (``in overleg``,
    ``bij akte``) and ``None`` when the text says nothing readable.
    ``reason`` says why there is no date (``AVAILABILITY_*`` constants).
    """

    available_from: date | None
    available_now: bool | None
    reason: str | None


# -- numbers ---------------------------------------------------------------------------

_SPACES = "\u00a0\u202f\u2009"
# One amount: digit groups of three with a thousands separator (and optional decimals),
# or plain digits with optional decimals. ASCII digits only.
_NUMBER_RE = re.compile(
    rf"(?<![0-9])(?:[1-9][0-9]{{0,2}}(?:[.,'’ {_SPACES}][0-9]{{3}})+(?:[.,][0-9]{{1,2}})?"
    r"|[0-9]+(?:[.,][0-9]{1,2})?)(?![0-9])"
)
# A number directly followed by one of these is a count or a surface, not an amount.
_NOT_MONEY_AFTER_RE = re.compile(
    r"\s*(?:m²|m2|m³|%|maanden|months|mois|weken|weeks|jaren|years|ans\b|"
    r"slaapkamers?|slpk|kamers?|personen|pers\b)",
    re.IGNORECASE,
)
_MAX_DIGITS = 15


def _number(token: str) -> float | None:
    """Turn one number token (``1.250,50``, ``1,700``, ``75``) into a float."""
    if sum(ch.isdigit() for ch in token) > _MAX_DIGITS:
        return None
    for space in " " + _SPACES:
        token = token.replace(space, "")
    try:
        amount = _PPrice.fromstring(token).amount
    except (InvalidOperation, ValueError):  # pragma: no cover - defensive
        return None
    if amount is None:
        return None
    value = float(amount)
    return value if math.isfinite(value) else None


def _money_tokens(text: str) -> list[tuple[re.Match[str], float]]:
    tokens: list[tuple[re.Match[str], float]] = []
    for match in _NUMBER_RE.finditer(text):
        if _NOT_MONEY_AFTER_RE.match(text, match.end()):
            continue
        value = _number(match.group())
        if value is not None:
            tokens.append((match, value))
    return tokens


def parse_amount(text: str | None) -> float | None:
    """Read one Belgian or English money amount; the first one when there are several.

    >>> parse_amount("€ 1.250")
    1250.0
    >>> parse_amount("€1,700")
    1700.0
    >>> parse_amount("€ 1.250,50")
    1250.5
    >>> parse_amount("750 EUR/maand")
    750.0
    >>> parse_amount("€ 795,-")
    795.0
    >>> parse_amount("op aanvraag") is None
    True
    """
    if not text:
        return None
    tokens = _money_tokens(text)
    return tokens[0][1] if tokens else None


# -- prices ----------------------------------------------------------------------------


def _words(*words: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)


_ON_REQUEST_RE = _words(
    r"op aanvraag", r"prijs op aanvraag", r"sur demande", r"prix sur demande",
    r"on request", r"price on request", r"p\.o\.a", r"poa",
)  # fmt: skip
_RENTED_RE = _words(r"verhuurd", r"lou[ée]e?", r"rented", r"let agreed")
_SALE_RE = _words(r"te koop", r"à vendre", r"a vendre", r"for sale", r"verkocht", r"vendu")
_FOREIGN_RE = re.compile(r"\$|£|\b(?:USD|GBP|CHF)\b", re.IGNORECASE)
_CHARGES_RE = re.compile(
    r"kosten|lasten|charges|costs|provisie|provision|syndic|gemeenschappelijke",
    re.IGNORECASE,
)
_RENT_WORD_RE = re.compile(r"huur|loyer|\brent\b|prijs|\bprix\b|price", re.IGNORECASE)
_INCLUDED_RE = re.compile(r"incl|inbegrepen|inclus|compris|included", re.IGNORECASE)
_RANGE_RE = re.compile(
    r"^\s*(?:€|eur|euro)?\s*(?:-|–|—|tot|à|a|to)\s*(?:€|eur|euro)?\s*$", re.IGNORECASE
)
_PER = r"(?:/|\bper\b|\bpar\b|\bpro\b|\ba\b|\bla\b|\bp\.?)\s*"


def _period_re(per_words: str, words: str) -> re.Pattern[str]:
    """Match a period: ``per``/``/`` + a unit (``/maand``), or a word that says it alone."""
    return re.compile(rf"{_PER}(?:{per_words})\b|\b(?:{words})\b", re.IGNORECASE)


# A period counts only when a "per" marks it ("€ 600/jaar", "per week") or the word is
# unambiguous ("jaarhuur"): "jaarlijks geïndexeerd" or "3 jaar contract" do not make a
# monthly rent yearly.
_PERIODS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("m2", re.compile(_PER + r"m(?:²|2)(?![0-9])", re.IGNORECASE)),
    ("week", _period_re(r"week|semaine|wk|w", r"weekly|wekelijks|weekhuur|p/w")),
    ("day", _period_re(r"dag|nacht|day|night|nuit|nuitée|jour", r"daily|nightly|p/n")),
    ("year", _period_re(r"jaar|year|yr|an|annum|j", r"jaarhuur|yearly|p/j")),
    ("month", _period_re(r"maand|month|mois|mnd|m", r"maandhuur|monthly|mensuel|p/m")),
)
_PERIOD_REASONS = {"m2": PRICE_PER_M2, "week": PRICE_PER_WEEK, "day": PRICE_PER_DAY}
_MONTHS_PER_YEAR = 12


def _period(after: str, before: str) -> str | None:
    """Return the period of an amount: the first marker after it, else the last before it."""
    found = [(m.start(), name) for name, rx in _PERIODS for m in rx.finditer(after)]
    if found:
        return min(found)[1]
    found = [(m.end(), name) for name, rx in _PERIODS for m in rx.finditer(before)]
    return max(found)[1] if found else None


def _monthly(value: float, period: str | None) -> tuple[float | None, str | None]:
    """Turn ``value`` into EUR per month, or give the reason why it cannot be."""
    if period is None or period == "month":
        return value, None
    if period == "year":
        return round(value / _MONTHS_PER_YEAR, 2), None
    return None, _PERIOD_REASONS[period]


def parse_price(text: str | None) -> Price:
    """Read a rent price: rent and charges in EUR per month, or ``None`` with a reason.

    The first amount is the rent; an amount after ``+`` or next to a word such as
    ``kosten``, ``lasten`` or ``charges`` is the charges. A yearly price is divided
    by twelve; a price per week, per day or per m² is not converted.

    >>> parse_price("€ 1.250")
    Price(rent_eur=1250.0, charges_eur=None, reason=None, raw='€ 1.250')
    >>> parse_price("€1,700 (+ €125)")
    Price(rent_eur=1700.0, charges_eur=125.0, reason=None, raw='€1,700 (+ €125)')
    >>> p = parse_price("Huurprijs: € 795 + € 50 kosten")
    >>> p.rent_eur, p.charges_eur
    (795.0, 50.0)
    >>> p = parse_price("€ 700 + 75 lasten")
    >>> p.rent_eur, p.charges_eur
    (700.0, 75.0)
    >>> parse_price("650 €/mois").rent_eur
    650.0
    >>> parse_price("€ 9.600 per jaar").rent_eur
    800.0
    >>> parse_price("Prijs op aanvraag")
    Price(rent_eur=None, charges_eur=None, reason='on request', raw='Prijs op aanvraag')
    >>> parse_price("Verhuurd").reason
    'rented'
    >>> parse_price("€ 250 per week").reason
    'per week'
    """
    raw = "" if text is None else text
    if not raw.strip():
        return Price(None, None, PRICE_EMPTY, raw)
    if _RENTED_RE.search(raw):
        return Price(None, None, PRICE_RENTED, raw)
    if _SALE_RE.search(raw):
        return Price(None, None, PRICE_FOR_SALE, raw)
    if _ON_REQUEST_RE.search(raw):
        return Price(None, None, PRICE_ON_REQUEST, raw)
    if _FOREIGN_RE.search(raw):
        return Price(None, None, PRICE_NOT_EURO, raw)
    tokens = _money_tokens(raw)
    if not tokens:
        return Price(None, None, PRICE_NO_AMOUNT, raw)

    # The text around each amount: `before` runs from the previous amount, `after`
    # up to the next one.
    bounds = [0, *(m.end() for m, _ in tokens)]
    nexts = [*(m.start() for m, _ in tokens[1:]), len(raw)]
    rent: tuple[float, str, str, int] | None = None
    charges: tuple[float, str, str, int] | None = None
    for i, (match, value) in enumerate(tokens):
        before = raw[bounds[i] : match.start()]
        after = raw[match.end() : nexts[i]]
        if (
            i == 1
            and rent is not None
            and _RANGE_RE.match(before)
            and not _CHARGES_RE.search(after)
        ):
            return Price(None, None, PRICE_RANGE, raw)
        is_charge = not _RENT_WORD_RE.search(before) and (
            _CHARGES_RE.search(before) is not None
            or (i > 0 and ("+" in before or _CHARGES_RE.search(after) is not None))
        )
        if is_charge and charges is None:
            charges = (value, before, after, match.start())
        elif not is_charge and rent is None:
            rent = (value, before, after, match.start())

    charges_eur: float | None = None
    if charges is not None:
        charges_eur, _ = _monthly(charges[0], _period(charges[2], ""))
    if rent is None:
        return Price(None, charges_eur, PRICE_NO_AMOUNT, raw)
    value, _, after, start = rent
    rent_eur, reason = _monthly(value, _period(after, raw[:start]))
    if rent_eur == 0:
        return Price(None, charges_eur, PRICE_ZERO, raw)
    if (
        rent_eur is not None
        and charges is not None
        and charges_eur is not None
        and _INCLUDED_RE.search(charges[1])
        and charges_eur < rent_eur
    ):
        # "€ 750 (incl. € 50 kosten)": the rent without charges is 700.
        rent_eur = round(rent_eur - charges_eur, 2)
    return Price(rent_eur, charges_eur, reason, raw)


# -- areas and counts ------------------------------------------------------------------

_AREA_RE = re.compile(
    r"(?<![0-9.,])([0-9][0-9.,]*)\s*(?:m²|m2|m\^2|sqm|vierkante\s+meter|vk\s*m)",
    re.IGNORECASE,
)
_RANGE_BEFORE_RE = re.compile(r"[0-9]\s*(?:m²|m2)?\s*(?:-|–|tot|à)\s*$", re.IGNORECASE)
_PLAIN_NUMBER_RE = re.compile(
    r"\s*(?:ca\.?|±|\+/-|circa|env\.?|about)?\s*([0-9][0-9.,]*)\s*(?:[mM]\b\.?)?\s*"
)


def parse_area(text: str | None) -> float | None:
    """Read a surface in m² (``75 m²``, ``75m2``, ``75,5 m²``, ``ca. 80 m²``, ``87``).

    A bare number is read as m², also with a bare ``m`` after it (``75 m``, a
    detail-page fact); a range (``75-80 m²``) gives ``None``.

    >>> parse_area("75 m²")
    75.0
    >>> parse_area("75,5 m²")
    75.5
    >>> parse_area("ca. 80 m2")
    80.0
    >>> parse_area("1.200 m²")
    1200.0
    >>> parse_area("75-80 m²") is None
    True
    >>> parse_area("75 m")
    75.0
    """
    if not text:
        return None
    match = _AREA_RE.search(text)
    if match is None:
        match = _PLAIN_NUMBER_RE.fullmatch(text)
        if match is None:
            return None
    elif _RANGE_BEFORE_RE.search(text[: match.start()]):
        return None
    value = _number(match.group(1))
    return value if value is not None and value > 0 else None


_INT_RE = re.compile(r"(?<![0-9])([0-9]+)((?:[.,][0-9]+)*)")
_MAX_INT_DIGITS = 9
_MINUS_SIGNS = "-−"


def parse_int(text: str | None, *, signed: bool = False) -> int | None:
    """Read the first whole number in the text (``3 slaapkamers`` → 3).

    A first number with decimals (``2,5``) gives ``None``. With ``signed``, a
    minus sign written right before the number (not after a letter or digit)
    makes it negative, as in a floor below ground (``Verdieping: -1``);
    without it the sign is ignored.

    >>> parse_int("3 slaapkamers")
    3
    >>> parse_int("op aanvraag") is None
    True
    >>> parse_int("2,5") is None
    True
    >>> parse_int("Verdieping: -1", signed=True), parse_int("Verdieping: -1")
    (-1, 1)
    """
    if not text:
        return None
    match = _INT_RE.search(text)
    if match is None or match.group(2) or len(match.group(1)) > _MAX_INT_DIGITS:
        return None
    value = int(match.group(1))
    start = match.start()
    if (
        signed
        and start > 0
        and text[start - 1] in _MINUS_SIGNS
        and (start < 2 or not text[start - 2].isalnum())
    ):
        return -value
    return value


# -- EPC -------------------------------------------------------------------------------

_KWH_RE = re.compile(
    r"([-−]?\s*[0-9][0-9.,]*)\s*kwh(?:\s*(?:/|per)?\s*(?:m²|m2|m\^2))?"
    r"(?:\s*[./]?\s*(?:jaar|j|year|yr|jr|an|a)\b)?",
    re.IGNORECASE,
)
_LABEL_AFTER_WORD_RE = re.compile(
    r"\b(?:label|klasse|classe|class|epc|peb|score|energielabel|energieklasse)\b\s*[:=-]?\s*"
    r"(A\s*\+\s*\+|A\s*\+|A_PLUS_PLUS|A_PLUS|[A-G](?:[+-]|_MINUS|_PLUS)?)(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_LABEL_ONLY_RE = re.compile(
    r"(A\s*\+\s*\+|A\s*\+|A_PLUS_PLUS|A_PLUS|[A-G](?:[+-]|_MINUS|_PLUS)?)",
    re.IGNORECASE,
)
_EPC_NOISE_RE = re.compile(
    r"\b(?:epc|peb|label|energielabel|energieklasse|klasse|classe|class|score|"
    r"energiescore|kengetal|waarde|energiewaarde)\b|[():,;=]",
    re.IGNORECASE,
)


def _label(text: str) -> str | None:
    """Normalise a label token: ``a`` → ``A``, ``A++`` → ``A+``, ``C+`` → ``C``; G → None."""
    token = re.sub(r"\s+", "", text).upper().replace("_PLUS", "+").replace("_MINUS", "-")
    if token.startswith("A+"):
        return "A+"
    letter = token.rstrip("+-")
    return letter if letter in EPC_LABELS else None


def parse_epc(text: str | None) -> Epc:
    """Read an EPC score (kWh/m² per year) and label, keeping both as published.

    >>> parse_epc("245 kWh/m²")
    Epc(kwh_m2=245.0, label=None)
    >>> parse_epc("EPC: 245 kWh/m².jaar")
    Epc(kwh_m2=245.0, label=None)
    >>> parse_epc("label C")
    Epc(kwh_m2=None, label='C')
    >>> parse_epc("C (245 kWh/m²)")
    Epc(kwh_m2=245.0, label='C')
    >>> parse_epc("A+")
    Epc(kwh_m2=None, label='A+')
    >>> parse_epc("88")
    Epc(kwh_m2=88.0, label=None)
    >>> parse_epc("EPC-waarde: 312")
    Epc(kwh_m2=312.0, label=None)
    """
    if not text or not text.strip():
        return Epc(None, None)
    kwh: float | None = None
    rest = text
    match = _KWH_RE.search(text)
    if match is not None:
        number = match.group(1).replace(" ", "").replace("−", "-")
        value = _number(number.lstrip("-"))
        if value is not None:
            kwh = -value if number.startswith("-") else value
        rest = text[: match.start()] + " " + text[match.end() :]
    label: str | None = None
    word = _LABEL_AFTER_WORD_RE.search(rest)
    if word is not None:
        label = _label(word.group(1))
    else:
        bare = _EPC_NOISE_RE.sub(" ", rest).strip(" .-/\t\n")
        if _LABEL_ONLY_RE.fullmatch(bare):
            label = _label(bare)
        elif kwh is None and re.fullmatch(r"-?[0-9][0-9.,]*", bare):
            value = _number(bare.lstrip("-"))
            if value is not None:
                kwh = -value if bare.startswith("-") else value
    return Epc(kwh, label)


# -- dates -----------------------------------------------------------------------------

_ISO_RE = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")
_DMY_RE = re.compile(r"(?<![0-9])([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4}|[0-9]{2})(?![0-9])")
_DM_RE = re.compile(r"(?<![0-9/.-])([0-9]{1,2})[/.]([0-9]{1,2})(?![0-9/.-])")
_CENTURY = 2000
_FILLER_RE = re.compile(
    r"\b(?:vrij|beschikbaar|beschikbaarheid|vanaf|op|ten|vroegste|per|datum|"
    r"disponible|disponibilité|libre|à|a|partir|du|de|le|dès|"
    r"available|availability|from|as|of|on|date)\b|[:]",
    re.IGNORECASE,
)
_MAX_DATEPARSER_TEXT = 40
_NOW_RE = _words(
    r"onmiddellijk", r"direct", r"dadelijk", r"per direct", r"meteen", r"immediately",
    r"immediate", r"imm[ée]diatement", r"imm[ée]diat", r"tout de suite", r"de suite",
    r"nu vrij", r"nu beschikbaar", r"available now", r"now",
)  # fmt: skip
_NOW_ONLY_RE = re.compile(r"\s*(?:vrij|leeg|libre|free|nu)\s*", re.IGNORECASE)
_AGREEMENT_RE = _words(
    r"in overleg", r"mits overleg", r"overeen te komen", r"te bespreken", r"af te spreken",
    r"[àa] convenir", r"[àa] discuter", r"en concertation", r"to be agreed", r"by agreement",
    r"to be defined", r"to be determined", r"op aanvraag", r"sur demande", r"on request",
    r"na opzeg", r"mits opzeg",
)  # fmt: skip
_DEED_RE = _words(
    r"bij akte", r"na akte", r"bij het verlijden", r"[àa] l'acte", r"upon exchange of deeds",
    r"after deed", r"at deed", r"on deed",
)  # fmt: skip

_DATEPARSER_SETTINGS: dict[str, Any] = {
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",
    "PREFER_DATES_FROM": "future",
    "PARSERS": ["absolute-time"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}
_DATE_LANGUAGES = ["nl", "fr", "en"]


@lru_cache(maxsize=4)
def _date_parser(today: date | None) -> DateDataParser:
    """One dateparser instance per reference day; ``None`` = a year is required."""
    from dateparser.date import DateDataParser

    settings = dict(_DATEPARSER_SETTINGS)
    if today is None:
        settings["REQUIRE_PARTS"] = ["month", "year"]
    else:
        settings["REQUIRE_PARTS"] = ["month"]
        settings["RELATIVE_BASE"] = datetime(today.year, today.month, today.day)
    return DateDataParser(languages=_DATE_LANGUAGES, settings=settings)


@lru_cache(maxsize=1024)
def _dateparser_date(text: str, today: date | None) -> date | None:
    try:
        found = _date_parser(today).get_date_data(text).date_obj
    except Exception:  # dateparser raises various errors on odd text: not a date.
        return None
    return found.date() if found is not None else None


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _numeric_date(text: str, today: date | None) -> tuple[bool, date | None]:
    """Fast path: ISO and d/m/Y dates. Returns (found a numeric date, the date)."""
    if match := _ISO_RE.search(text):
        year, month, day = (int(g) for g in match.groups())
        return True, _make_date(year, month, day)
    if match := _DMY_RE.search(text):
        day, month, year = (int(g) for g in match.groups())
        if year < 100:
            year += _CENTURY
        return True, _make_date(year, month, day)
    if today is not None and (match := _DM_RE.search(text)):
        day, month = int(match.group(1)), int(match.group(2))
        found = _make_date(today.year, month, day)
        if found is not None and found < today:
            found = _make_date(today.year + 1, month, day)
        return True, found
    return False, None


def _find_date(text: str, today: date | None) -> date | None:
    numeric, found = _numeric_date(text, today)
    if numeric:
        return found
    rest = " ".join(_FILLER_RE.sub(" ", text).split())
    if (
        not rest
        or len(rest) > _MAX_DATEPARSER_TEXT
        or not re.search(r"[A-Za-zÀ-ÿ]{3}", rest)  # dates without a number have a month name
    ):
        return None
    return _dateparser_date(rest, today)


def parse_date(text: str | None) -> date | None:
    """Read a plain date: ISO, day/month/year, or a month name with a year.

    Day first (``01/12/2026`` is 1 December); a month without day is its first day.

    >>> parse_date("2026-12-01")
    datetime.date(2026, 12, 1)
    >>> parse_date("01/12/2026")
    datetime.date(2026, 12, 1)
    >>> parse_date("1 december 2026")
    datetime.date(2026, 12, 1)
    >>> parse_date("1er décembre 2026")
    datetime.date(2026, 12, 1)
    >>> parse_date("morgen") is None
    True
    """
    if not text or not text.strip():
        return None
    return _find_date(text, None)


def parse_availability(text: str | None, *, today: date | None = None) -> Availability:
    """Read when a dwelling is available: a date, "now", or a condition with a reason.

    ``today`` (default: the current date) decides whether a date means "now"
    and which year a date without year falls in (the next one to come).

    >>> day = date(2026, 11, 27)
    >>> parse_availability("Vrij op 01/12/2026", today=day)
    Availability(available_from=datetime.date(2026, 12, 1), available_now=False, reason=None)
    >>> parse_availability("Beschikbaar vanaf 1 december 2026", today=day).available_from
    datetime.date(2026, 12, 1)
    >>> parse_availability("onmiddellijk", today=day)
    Availability(available_from=None, available_now=True, reason=None)
    >>> parse_availability("Nu", today=day).available_now
    True
    >>> parse_availability("in overleg", today=day)
    Availability(available_from=None, available_now=False, reason='by agreement')
    >>> parse_availability("bij akte", today=day).reason
    'at deed'
    >>> parse_availability("2026-10-01", today=day).available_now
    True
    """
    if not text or not text.strip():
        return Availability(None, None, None)
    today = today or date.today()
    words = text.replace("_", " ")
    if _DEED_RE.search(words):
        return Availability(None, False, AVAILABILITY_AT_DEED)
    if _AGREEMENT_RE.search(words):
        return Availability(None, False, AVAILABILITY_BY_AGREEMENT)
    found = _find_date(text, today)
    if found is not None:
        return Availability(found, found <= today, None)
    if _NOW_RE.search(words) or _NOW_ONLY_RE.fullmatch(words):
        return Availability(None, True, None)
    return Availability(None, None, AVAILABILITY_UNPARSED)


# -- booleans --------------------------------------------------------------------------

_TRUE = frozenset(
    {"ja", "yes", "oui", "true", "1", "y", "j", "waar", "vrai", "aanwezig", "toegelaten"}
)
_FALSE = frozenset(
    {"nee", "neen", "no", "non", "false", "0", "n", "onwaar", "faux", "niet aanwezig",
     "afwezig", "niet toegelaten"}
)  # fmt: skip


def parse_bool(text: str | bool | None) -> bool | None:
    """Read a yes/no value (``ja``/``nee``/``yes``/``no``/``oui``/``non``/``true``/``1``...).

    Detail-page facts also say ``aanwezig`` (present) or ``niet toegelaten`` (not allowed).

    >>> parse_bool("Ja"), parse_bool("non"), parse_bool(True), parse_bool("misschien")
    (True, False, True, None)
    >>> parse_bool("Aanwezig"), parse_bool("niet\u00a0 toegelaten")
    (True, False)
    """
    if text is None or isinstance(text, bool):
        return text
    word = " ".join(text.split()).strip(".!").lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return None
