"""Linking adverts that describe the same home: scoring, blocking and clustering.

Pure functions over :class:`~listings.Listing` objects; no store, no I/O. The
store integration (dwelling ids, merges, history) is in :mod:`listings._dwellings`.

How two adverts are judged (:func:`compare`): each field comparison adds
evidence with a weight (a log-odds contribution: positive for agreement,
negative for disagreement); the sum goes through a logistic curve to a score
between 0 and 1. Two adverts are the same home when the score reaches the
threshold and there is no *hard conflict*: a different house number, a
different box (bus) or a clearly different street means a different home, even
when everything else is equal (flats in one building, identical new-build
units, neighbouring houses).

Which pairs are judged (:func:`candidate_pairs`): only adverts that share a
block: postcode + normalised street + house number, postcode + house number +
the street's first letters, postcode + street for an advert without a number,
and, when an advert lacks a street or number, a grid cell of coordinates or
postcode + EPC score. Blocks stay small, so linking 100,000 adverts compares a
few hundred thousand pairs, not billions.

How pairs become homes (:func:`cluster`, :class:`Linker`): accepted pairs are
joined strongest first with union-find; two groups are never joined when they
hold different house numbers, boxes, streets or EPC scores, so a hard negative
holds transitively too.

>>> from listings import Listing
>>> a = Listing(source="immoweb", source_id="1", url="https://www.immoweb.be/1",
...             street="Sint-Jansstraat", house_number="12", box="3", postcode="8500",
...             rent_eur=750, epc_kwh_m2=245, living_area_m2=75, bedrooms=2)
>>> b = a.model_copy(update={"source": "zimmo", "street": "St.-Jansstr."})
>>> match = compare(a, b)
>>> match.same, [e.text for e in match.evidence][:3]
(True, ['zelfde straat en nummer', 'EPC 245 = 245', 'huur € 750 = € 750'])
>>> compare(a, b.model_copy(update={"box": "4"})).same
False
>>> cluster([a, b, b.model_copy(update={"box": "4"})])
[0, 0, 1]
"""

from __future__ import annotations

import gc
import math
import re
import unicodedata
from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from rapidfuzz import fuzz

from listings._model import Listing

__all__ = [
    "DEFAULT_THRESHOLD",
    "Advert",
    "Evidence",
    "LinkDecision",
    "Linker",
    "Match",
    "candidate_pairs",
    "cluster",
    "compare",
    "normalise_street",
]

#: What :class:`Linker` links: a :class:`~listings.Listing`, or a mapping of its field
#: values (a store row: the store links without building model objects).
Advert = Listing | Mapping[str, Any]

#: Score (0..1) from which two adverts without a hard conflict are the same home.
DEFAULT_THRESHOLD: Final = 0.5
#: Summed evidence weight that maps to a score of 0.5 (the logistic curve's centre).
_CENTRE: Final = 4.5

# Evidence weights (log-odds contributions).
_W_ADDRESS: Final = 4.0  # same street and number
_W_ADDRESS_SIMILAR: Final = 3.0  # similar street name, same number
_W_STREET_ONLY: Final = 1.5  # same street, a number missing
_W_OTHER_STREET: Final = -4.0
_W_SAME_BOX: Final = 1.0
_W_OTHER_POSTCODE: Final = -2.5
_W_RENT_EQUAL: Final = 1.5
_W_RENT_CLOSE: Final = 0.5
_W_RENT_WITH_CHARGES: Final = 1.0
_W_RENT_OFF: Final = -2.0
_W_AREA_EQUAL: Final = 1.0
_W_AREA_CLOSE: Final = 0.5
_W_AREA_OFF: Final = -2.0
_W_BEDS_EQUAL: Final = 0.5
_W_BEDS_OFF_ONE: Final = -1.5
_W_BEDS_OFF: Final = -3.0
_W_EPC_EQUAL: Final = 2.5
_W_EPC_CLOSE: Final = 1.0
_W_EPC_OFF: Final = -5.0
_W_TYPE_OFF: Final = -1.5
_W_TYPE_NEAR: Final = -0.5  # studio vs apartment: portals disagree on small flats
_W_NEAR: Final = 1.0
_W_CLOSE: Final = 0.3
_W_FAR: Final = -1.0
_W_AGENCY: Final = 0.5
_W_TEXT: Final = 0.5

# Tolerances.
_RENT_EQUAL_EUR: Final = 5.0
_RENT_CLOSE_FRACTION: Final = 0.05
_RENT_TOLERATED_FRACTION: Final = 0.10
_AREA_EQUAL_M2: Final = 1.0
_AREA_CLOSE_FRACTION: Final = 0.05
_AREA_CLOSE_M2: Final = 3.0
_AREA_TOLERATED_FRACTION: Final = 0.12
_EPC_EQUAL: Final = 0.5
_EPC_CLOSE: Final = 3.0
_NEAR_M: Final = 30.0
_CLOSE_M: Final = 150.0
_FAR_M: Final = 2000.0
_STREET_SAME: Final = 90.0  # rapidfuzz ratio (0..100) from which streets are the same
_STREET_SIMILAR: Final = 75.0  # below this, two streets are different streets
_AGENCY_SAME: Final = 90.0
_TEXT_SAME: Final = 90.0
_TEXT_CHARS: Final = 200
#: Weak blocks (coordinates, EPC) larger than this are not used: they would
#: pair a whole agency's stock that shares the office's coordinates.
_MAX_WEAK_BLOCK: Final = 1000
#: Grid cells for coordinate blocking, per degree (1/1000 degree is about 110 m x 70 m).
_CELLS_PER_DEGREE: Final = 1000
#: Leading characters of the normalised street in the postcode + number block.
_STREET_PREFIX: Final = 4
_M_PER_DEGREE: Final = 111_195.0
_PRIVATE_AGENCIES: Final = frozenset({"particulier", "prive", "eigenaar", "private"})
_TYPE_NAMES: Final = {
    "apartment": "appartement",
    "house": "huis",
    "studio": "studio",
    "room": "kamer",
    "other": "ander",
}


@dataclass(frozen=True)
class Evidence:
    """One reason for or against two adverts being the same home.

    ``text`` is Dutch, for workers (``"EPC 245 = 245"``); ``weight`` is its
    contribution to the score (log-odds: positive for, negative against).
    """

    text: str
    weight: float


@dataclass(frozen=True)
class Match:
    """The judgement of one pair of adverts.

    ``score`` is 0..1; ``same`` is true when the score reaches the threshold and
    no hard conflict (different house number, box or street) separates them.
    ``evidence`` lists every comparison that counted, strongest first.
    """

    score: float
    same: bool
    evidence: tuple[Evidence, ...]

    @property
    def conflict(self) -> bool:
        """True when a hard conflict makes the adverts different homes whatever the score."""
        return any(math.isinf(e.weight) for e in self.evidence)

    def summary(self) -> str:
        """Join the evidence texts for display: ``"zelfde straat en nummer, EPC 245 = 245"``."""
        return ", ".join(e.text for e in self.evidence)


@dataclass(frozen=True)
class LinkDecision:
    """What :meth:`Linker.add` decided for one new (or re-linked) advert.

    ``cluster`` is the advert's cluster label after the call. ``matched`` is the
    id of the advert it was linked to with ``match`` (the strongest accepted
    match), or ``None`` when it started a new cluster. ``merged`` lists the
    labels of clusters that existed before the call and were folded into
    ``cluster`` because of this advert (older labels survive).
    """

    id: Hashable
    cluster: int
    matched: Hashable | None
    match: Match | None
    merged: tuple[int, ...] = ()

    @property
    def new_cluster(self) -> bool:
        """True when the advert matched nothing and started its own cluster."""
        return self.matched is None


# -- normalisation ------------------------------------------------------------------

_ABBREVIATIONS: Final = {
    "st": "sint",
    "sint": "sint",
    "ste": "sinte",
    "o.l.v": "onze lieve vrouw",
    "olv": "onze lieve vrouw",
    "dr": "dokter",
    "burg": "burgemeester",
    "kon": "koning",
    "kon.": "koning",
    "pr": "prins",
    "min": "minister",
    "ir": "ingenieur",
    "pres": "president",
    "gen": "generaal",
    "str": "straat",
    "stwg": "steenweg",
    "stw": "steenweg",
    "stnwg": "steenweg",
    "ln": "laan",
    "pl": "plein",
    "stwg.": "steenweg",
}
# Abbreviated endings of compound street names: "Doorniksestr." -> "Doorniksestraat".
_SUFFIXES: Final = (
    (re.compile(r"(?<=\w)(?:str|straat)\.?$"), "straat"),
    (re.compile(r"(?<=\w)(?:stwg|stnwg|stw|steenw)\.?$"), "steenweg"),
    (re.compile(r"(?<=\w)(?:ln)\.?$"), "laan"),
    (re.compile(r"(?<=\w)(?:pln|pl)\.$"), "plein"),
)
_TOKEN_SPLIT: Final = re.compile(r"[\s,;/()\-'`’]+")
_NON_ALNUM: Final = re.compile(r"[^0-9a-z]+")
_NUMBER_IN_STREET: Final = re.compile(
    r"^(?P<street>.*?\D)\s+(?P<number>\d+\s?[a-zA-Z]?)"
    r"(?:\s*(?:/|\bbus\b|\bbte\b|\bbox\b|\bb\b\.?)\s*(?P<box>[\w.]+))?\s*$"
)
_NUMBER: Final = re.compile(
    r"^\s*(?P<number>\d+\s?[a-zA-Z]?(?:\s?-\s?\d+)?)"
    r"(?:\s*(?:/|\bbus\b|\bbte\b|\bbox\b|\bb\b\.?)\s*(?P<box>[\w.]+))?\s*$",
    re.IGNORECASE,
)
_BOX_PREFIX: Final = re.compile(r"^(?:bus|bte|box|b)\.?\s*", re.IGNORECASE)


def _fold(text: str) -> str:
    """Lower-case ``text`` and strip accents (``"Bévèrestraat"`` -> ``"beverestraat"``).

    Other non-ASCII characters (``€``, ``²``) are dropped: this is for comparing.
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def normalise_street(street: str | None) -> str | None:
    """Normalise a street name so the spellings of one street compare equal.

    Lower case, accents stripped, hyphens as spaces, the usual abbreviations
    spelled out (``St.``/``Sint-`` -> ``sint``, ``str.`` -> ``straat``,
    ``stwg`` -> ``steenweg``, ``Min.`` -> ``minister`` ...), punctuation
    dropped, single spaces. ``None`` or an empty name gives ``None``.

    >>> normalise_street("Sint-Jansstr.")
    'sint jansstraat'
    >>> normalise_street("St. Jansstraat") == normalise_street("SINT-JANSSTRAAT")
    True
    >>> normalise_street("Brugse Stwg"), normalise_street("Doorniksestr.")
    ('brugse steenweg', 'doorniksestraat')
    >>> normalise_street("Rue de l'Église"), normalise_street("  ")
    ('rue de l eglise', None)
    """
    # Cached: a region has a few thousand street spellings, and adverts repeat them.
    return None if street is None else _normalise_street(street)


@lru_cache(maxsize=65_536)
def _normalise_street(street: str) -> str | None:
    tokens: list[str] = []
    for raw in _TOKEN_SPLIT.split(_fold(street).replace(".", ". ")):
        token = raw.strip()
        if not token:
            continue
        bare = token.rstrip(".")
        if bare in _ABBREVIATIONS and (
            token.endswith(".") or bare in ("st", "sint", "stwg", "str")
        ):
            tokens.extend(_ABBREVIATIONS[bare].split())
            continue
        for pattern, full in _SUFFIXES:
            replaced = pattern.sub(full, token)
            if replaced != token:
                token = replaced
                break
        token = _NON_ALNUM.sub("", token)
        if token:
            tokens.append(token)
    # "sint jan s straat" never happens; but "st.-jansstr." splits into "sint", "jansstraat".
    return " ".join(tokens) or None


@lru_cache(maxsize=65_536)
def _split_street(street: str) -> tuple[str, str | None, str | None]:
    """Split ``"Doorniksestraat 12 bus 3"`` into street, number and box (when a number is in it)."""
    found = _NUMBER_IN_STREET.match(street.strip())
    if found:
        return found["street"], found["number"], found["box"]
    return street, None, None


@lru_cache(maxsize=65_536)
def _split_number(number: str) -> tuple[str, str | None]:
    """Split ``"12/3"`` or ``"12 bus 3"`` into number and box."""
    found = _NUMBER.match(number)
    if found:
        return found["number"], found["box"]
    return number, None


def _norm_number(number: str | None) -> str | None:
    if number is None:
        return None
    text = re.sub(r"\s+", "", number).lower()
    stripped = text.lstrip("0")
    return (stripped or "0") if text else None


def _norm_box(box: str | None) -> str | None:
    if box is None:
        return None
    text = _BOX_PREFIX.sub("", box.strip()).lower().replace(" ", "").strip("/")
    if text.isdigit():
        text = text.lstrip("0") or "0"
    return text or None


def _norm_agency(name: str | None) -> str | None:
    return None if name is None else _norm_agency_text(name)


@lru_cache(maxsize=16_384)
def _norm_agency_text(name: str) -> str | None:
    text = _NON_ALNUM.sub(" ", _fold(name)).strip()
    if not text or text in _PRIVATE_AGENCIES:
        return None
    return text


# -- features -----------------------------------------------------------------------


class _Features:
    """The comparable values of one advert, extracted once (no pydantic in hot loops)."""

    __slots__ = (
        "agency",
        "area",
        "beds",
        "box",
        "charges",
        "epc",
        "lat",
        "lon",
        "number",
        "partial",
        "postcode",
        "ptype",
        "rent",
        "street",
        "street_display",
        "street_key",
        "text",
    )

    def __init__(self, values: Mapping[str, Any]) -> None:
        street_raw: str | None = values.get("street")
        number_raw: str | None = values.get("house_number")
        box_raw: str | None = values.get("box")
        if street_raw and not number_raw:
            street_raw, number_raw, box_in_street = _split_street(street_raw)
            box_raw = box_raw or box_in_street
        if number_raw:
            number_raw, box_in_number = _split_number(number_raw)
            box_raw = box_raw or box_in_number
        self.street_display = street_raw.strip() if street_raw else None
        self.street = normalise_street(street_raw)
        self.street_key = self.street.replace(" ", "") if self.street else None
        self.number = _norm_number(number_raw)
        self.box = _norm_box(box_raw)
        self.postcode: str | None = values.get("postcode")
        self.rent: float | None = values.get("rent_eur")
        self.charges: float | None = values.get("charges_eur")
        self.area: float | None = values.get("living_area_m2")
        self.beds: int | None = values.get("bedrooms")
        self.epc: float | None = values.get("epc_kwh_m2")
        self.lat: float | None = values.get("latitude")
        self.lon: float | None = values.get("longitude")
        ptype = values.get("property_type")
        self.ptype: str | None = None if ptype is None else str(getattr(ptype, "value", ptype))
        self.agency = _norm_agency(values.get("agency_name"))
        description = values.get("description") or values.get("title")
        self.text = _fold(description[:_TEXT_CHARS]) if description else None
        #: Without street or number: only such adverts use the weak blocks.
        self.partial = self.street_key is None or self.number is None


def _features(listing: Advert) -> _Features:
    if isinstance(listing, Listing):
        # pydantic keeps validated values in __dict__: read them without model overhead.
        return _Features(listing.__dict__)
    return _Features(listing)


# -- formatting (Belgian style, no dependency on matcher) ---------------------------


def _eur(amount: float) -> str:
    """``€ 1.234`` or ``€ 750,50``."""
    if abs(amount - round(amount)) < 0.005:
        return "€ " + f"{round(amount):,}".replace(",", ".")
    text = f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return "€ " + text


def _num(value: float) -> str:
    if abs(value - round(value)) < 0.05:
        return str(round(value))
    return f"{value:.1f}".replace(".", ",")


def _distance_m(a: _Features, b: _Features) -> float:
    assert a.lat is not None
    assert a.lon is not None
    assert b.lat is not None
    assert b.lon is not None
    dlat = (a.lat - b.lat) * _M_PER_DEGREE
    dlon = (a.lon - b.lon) * _M_PER_DEGREE * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(dlat, dlon)


def _street_similarity(a: str, b: str) -> float:
    if a == b:
        return 100.0
    return float(fuzz.ratio(a, b))


# -- scoring ------------------------------------------------------------------------

_HARD: Final = -math.inf


def _score(
    a: _Features, b: _Features, explain: bool, decide_at: float | None = None
) -> tuple[float, bool, list[Evidence]]:
    """Return ``(summed weight, hard conflict, evidence)``; evidence only when ``explain``.

    With ``decide_at`` (a summed weight; linking only needs the decision), a
    hard conflict returns at once and the description, the costliest
    comparison, is only compared when it can move the sum across ``decide_at``.
    """
    total = 0.0
    conflict = False
    ev: list[Evidence] = []

    # Address.
    if a.street_key is not None and b.street_key is not None:
        similarity = _street_similarity(a.street_key, b.street_key)
        if similarity < _STREET_SIMILAR:
            conflict = True
            total += _W_OTHER_STREET
            if explain:
                ev.append(
                    Evidence(f"andere straat ({a.street_display} ≠ {b.street_display})", _HARD)
                )
        elif a.number is not None and b.number is not None:
            if a.number != b.number:
                conflict = True
                if explain:
                    ev.append(Evidence(f"ander huisnummer ({a.number} ≠ {b.number})", _HARD))
            elif similarity >= _STREET_SAME:
                total += _W_ADDRESS
                if explain:
                    ev.append(Evidence("zelfde straat en nummer", _W_ADDRESS))
            else:
                total += _W_ADDRESS_SIMILAR
                if explain:
                    ev.append(
                        Evidence(
                            f"gelijkaardige straat ({a.street_display} ~ {b.street_display}),"
                            " zelfde nummer",
                            _W_ADDRESS_SIMILAR,
                        )
                    )
        else:
            weight = _W_STREET_ONLY if similarity >= _STREET_SAME else _W_STREET_ONLY / 2
            total += weight
            if explain:
                ev.append(Evidence("zelfde straat, huisnummer ontbreekt", weight))
    elif a.number is not None and b.number is not None and a.number != b.number:
        conflict = True
        if explain:
            ev.append(Evidence(f"ander huisnummer ({a.number} ≠ {b.number})", _HARD))
    if a.box is not None and b.box is not None:
        if a.box != b.box:
            conflict = True
            if explain:
                ev.append(Evidence(f"ander busnummer ({a.box} ≠ {b.box})", _HARD))
        else:
            total += _W_SAME_BOX
            if explain:
                ev.append(Evidence(f"zelfde bus ({a.box})", _W_SAME_BOX))
    elif explain and (a.box is not None or b.box is not None) and a.number == b.number:
        ev.append(Evidence("busnummer ontbreekt in één advert", 0.0))
    if a.postcode is not None and b.postcode is not None and a.postcode != b.postcode:
        total += _W_OTHER_POSTCODE
        if explain:
            ev.append(Evidence(f"andere postcode ({a.postcode} ≠ {b.postcode})", _W_OTHER_POSTCODE))

    if conflict and decide_at is not None:
        return total, conflict, ev

    # Rent.
    if a.rent is not None and b.rent is not None:
        gap = abs(a.rent - b.rent)
        high = max(a.rent, b.rent)
        if gap <= _RENT_EQUAL_EUR:
            total += _W_RENT_EQUAL
            if explain:
                sign = "=" if gap < 0.5 else "≈"
                ev.append(Evidence(f"huur {_eur(a.rent)} {sign} {_eur(b.rent)}", _W_RENT_EQUAL))
        elif (a.charges is not None and abs(a.rent + a.charges - b.rent) <= _RENT_EQUAL_EUR) or (
            b.charges is not None and abs(b.rent + b.charges - a.rent) <= _RENT_EQUAL_EUR
        ):
            total += _W_RENT_WITH_CHARGES
            if explain:
                ev.append(
                    Evidence(
                        f"huur met kosten gelijk ({_eur(a.rent)} / {_eur(b.rent)})",
                        _W_RENT_WITH_CHARGES,
                    )
                )
        elif gap <= _RENT_CLOSE_FRACTION * high:
            total += _W_RENT_CLOSE
            if explain:
                ev.append(Evidence(f"huur {_eur(a.rent)} ≈ {_eur(b.rent)}", _W_RENT_CLOSE))
        elif gap > _RENT_TOLERATED_FRACTION * high:
            total += _W_RENT_OFF
            if explain:
                ev.append(
                    Evidence(f"huur verschilt ({_eur(a.rent)} ≠ {_eur(b.rent)})", _W_RENT_OFF)
                )
        elif explain:
            ev.append(Evidence(f"huur licht anders ({_eur(a.rent)} / {_eur(b.rent)})", 0.0))

    # Living area.
    if a.area is not None and b.area is not None:
        gap = abs(a.area - b.area)
        high = max(a.area, b.area)
        if gap <= _AREA_EQUAL_M2:
            weight, pattern = _W_AREA_EQUAL, "opp. {} m² = {} m²"
        elif gap <= max(_AREA_CLOSE_M2, _AREA_CLOSE_FRACTION * high):
            weight, pattern = _W_AREA_CLOSE, "opp. {} m² ≈ {} m²"
        elif gap > _AREA_TOLERATED_FRACTION * high:
            weight, pattern = _W_AREA_OFF, "opp. verschilt ({} m² ≠ {} m²)"
        else:
            weight, pattern = 0.0, "opp. licht anders ({} m² / {} m²)"
        total += weight
        if explain:
            ev.append(Evidence(pattern.format(_num(a.area), _num(b.area)), weight))

    # Bedrooms.
    if a.beds is not None and b.beds is not None:
        gap_beds = abs(a.beds - b.beds)
        if gap_beds == 0:
            weight, sign = _W_BEDS_EQUAL, "="
        else:
            weight, sign = (_W_BEDS_OFF_ONE if gap_beds == 1 else _W_BEDS_OFF), "≠"
        total += weight
        if explain:
            ev.append(Evidence(f"slaapkamers {a.beds} {sign} {b.beds}", weight))

    # EPC score: identical scores are strong evidence.
    if a.epc is not None and b.epc is not None:
        gap = abs(a.epc - b.epc)
        if gap <= _EPC_EQUAL:
            weight, sign = _W_EPC_EQUAL, "="
        elif gap <= _EPC_CLOSE:
            weight, sign = _W_EPC_CLOSE, "≈"
        else:
            weight, sign = _W_EPC_OFF, "≠"
        total += weight
        if explain:
            ev.append(Evidence(f"EPC {_num(a.epc)} {sign} {_num(b.epc)}", weight))

    # Property type.
    if a.ptype is not None and b.ptype is not None and a.ptype != b.ptype:
        near = {a.ptype, b.ptype} == {"studio", "apartment"}
        weight = _W_TYPE_NEAR if near else _W_TYPE_OFF
        total += weight
        if explain:
            names = (_TYPE_NAMES.get(a.ptype, a.ptype), _TYPE_NAMES.get(b.ptype, b.ptype))
            ev.append(Evidence(f"ander type ({names[0]} ≠ {names[1]})", weight))

    # Coordinates (rounded differently per portal; a realtor may give its office's).
    if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
        metres = _distance_m(a, b)
        if metres <= _NEAR_M:
            weight = _W_NEAR
        elif metres <= _CLOSE_M:
            weight = _W_CLOSE
        elif metres > _FAR_M:
            weight = _W_FAR
        else:
            weight = 0.0
        total += weight
        if explain and weight:
            if metres <= _CLOSE_M:
                what = "zelfde ligging" if metres <= _NEAR_M else "dicht bij elkaar"
                text = f"{what} ({metres:.0f} m)"
            else:
                text = f"ver uit elkaar ({_num(metres / 1000)} km)"
            ev.append(Evidence(text, weight))

    # Agency.
    if (
        a.agency is not None
        and b.agency is not None
        and (a.agency == b.agency or fuzz.ratio(a.agency, b.agency) >= _AGENCY_SAME)
    ):
        total += _W_AGENCY
        if explain:
            ev.append(Evidence("zelfde makelaar", _W_AGENCY))

    # Description.
    if (
        (decide_at is None or decide_at - _W_TEXT <= total < decide_at)
        and a.text is not None
        and b.text is not None
        and (a.text == b.text or fuzz.ratio(a.text, b.text) >= _TEXT_SAME)
    ):
        total += _W_TEXT
        if explain:
            ev.append(Evidence("gelijkaardige beschrijving", _W_TEXT))

    return total, conflict, ev


def _probability(total: float) -> float:
    return 1.0 / (1.0 + math.exp(-(total - _CENTRE)))


def _check_threshold(threshold: float | None) -> float:
    value = DEFAULT_THRESHOLD if threshold is None else float(threshold)
    if not 0.0 < value < 1.0:
        raise ValueError(f"threshold={threshold!r} must be between 0 and 1 (exclusive)")
    return value


def _match(a: _Features, b: _Features, threshold: float) -> Match:
    total, conflict, ev = _score(a, b, explain=True)
    score = _probability(total)
    # Hard conflicts first, then the strongest evidence for, then against (stable sort).
    ordered = sorted(ev, key=lambda e: (not math.isinf(e.weight), -e.weight))
    return Match(round(score, 4), score >= threshold and not conflict, tuple(ordered))


def compare(a: Listing, b: Listing, *, threshold: float | None = None) -> Match:
    """Score one pair of adverts and explain the score.

    >>> from listings import Listing
    >>> a = Listing(source="immoweb", source_id="1", url="https://www.immoweb.be/1",
    ...             street="Grote Markt", house_number="12", postcode="8500", rent_eur=750)
    >>> compare(a, a.model_copy(update={"house_number": "14"})).summary()
    'ander huisnummer (12 ≠ 14), huur € 750 = € 750'
    """
    return _match(_features(a), _features(b), _check_threshold(threshold))


# -- blocking -----------------------------------------------------------------------


def _strong_keys(f: _Features) -> list[tuple[Any, ...]]:
    """Return the address blocks of an advert (see :func:`candidate_pairs`)."""
    if f.street_key is None or f.number is None:
        return []
    return [
        ("a", f.postcode, f.street_key, f.number),
        # Same number, street spelled differently beyond normalisation.
        ("n", f.postcode, f.number, f.street_key[:_STREET_PREFIX]),
    ]


def _weak_keys(f: _Features) -> list[tuple[Any, ...]]:
    """Return the coordinate and EPC blocks of an advert."""
    keys: list[tuple[Any, ...]] = []
    if f.lat is not None and f.lon is not None:
        y = f.lat * _CELLS_PER_DEGREE
        x = f.lon * _CELLS_PER_DEGREE
        keys.append(("g", math.floor(y), math.floor(x)))
        keys.append(("h", math.floor(y + 0.5), math.floor(x + 0.5)))
    if f.epc is not None and f.postcode is not None:
        keys.append(("e", f.postcode, round(f.epc)))
    return keys


class _Index:
    """Blocking index over advert positions.

    Address blocks pair adverts with the same street and number. Street
    blocks pair an advert without a number with every advert of its street.
    Weak blocks (coordinate cells, postcode + EPC) only pair when at least one
    side lacks a street or number: two fully addressed adverts are the same
    home only if their addresses agree, which the address blocks cover.
    """

    def __init__(self) -> None:
        self.strong: dict[tuple[Any, ...], list[int]] = {}
        self.weak_all: dict[tuple[Any, ...], list[int]] = {}
        self.weak_partial: dict[tuple[Any, ...], list[int]] = {}
        self.streets: dict[tuple[str | None, str], list[int]] = {}
        self.streets_without_number: dict[tuple[str | None, str], list[int]] = {}

    def add(self, position: int, f: _Features) -> None:
        for key in _strong_keys(f):
            self.strong.setdefault(key, []).append(position)
        for key in _weak_keys(f):
            self.weak_all.setdefault(key, []).append(position)
            if f.partial:
                self.weak_partial.setdefault(key, []).append(position)
        if f.street_key is not None:
            street = (f.postcode, f.street_key)
            self.streets.setdefault(street, []).append(position)
            if f.number is None:
                self.streets_without_number.setdefault(street, []).append(position)

    def candidates(self, position: int, f: _Features) -> set[int]:
        """Positions sharing a block with ``f`` that are lower than ``position``."""
        found: set[int] = set()
        for key in _strong_keys(f):
            found.update(self.strong.get(key, ()))
        weak = self.weak_all if f.partial else self.weak_partial
        for key in _weak_keys(f):
            members = weak.get(key, ())
            if len(members) <= _MAX_WEAK_BLOCK:
                found.update(members)
        if f.street_key is not None:
            street = (f.postcode, f.street_key)
            if f.number is None:
                found.update(self.streets.get(street, ()))
            else:
                found.update(self.streets_without_number.get(street, ()))
        found.discard(position)
        return {p for p in found if p < position}


def candidate_pairs(listings: Sequence[Listing]) -> Iterator[tuple[int, int]]:
    """Yield the pairs ``(i, j)``, ``i < j``, of adverts worth comparing (blocking).

    Two adverts are candidates when they share a postcode and a normalised
    street and house number; a postcode, house number and the street's first
    letters (a street spelled differently); a postcode and street where one
    has no number; or, when one of them lacks a street or number, a coordinate
    cell of about 100 m or a postcode and EPC score. Each pair is yielded once.

    >>> from listings import Listing
    >>> def ad(i, **kw):
    ...     return Listing(source="zimmo", source_id=str(i), url=f"https://z.be/{i}", **kw)
    >>> sorted(candidate_pairs([ad(1, postcode="8500", street="Sint-Jansstraat"),
    ...                         ad(2, postcode="8500", street="St. Jansstr.", house_number="4"),
    ...                         ad(3, postcode="8500", street="Leiestraat", house_number="4")]))
    [(0, 1)]
    """
    index = _Index()
    for j, listing in enumerate(listings):
        f = _features(listing)
        index.add(j, f)
        for i in sorted(index.candidates(j, f)):
            yield (i, j)


# -- clustering ---------------------------------------------------------------------


class _Group:
    """What a cluster holds that can conflict with another cluster."""

    __slots__ = ("boxes", "epcs", "numbers", "streets")

    def __init__(self, f: _Features) -> None:
        self.streets: set[str] = {f.street_key} if f.street_key is not None else set()
        self.numbers: set[str] = {f.number} if f.number is not None else set()
        self.boxes: set[str] = {f.box} if f.box is not None else set()
        self.epcs: set[float] = {f.epc} if f.epc is not None else set()

    def conflicts(self, other: _Group) -> bool:
        if self.numbers and other.numbers and self.numbers != other.numbers:
            return True
        if self.boxes and other.boxes and self.boxes != other.boxes:
            return True
        if (
            self.epcs
            and other.epcs
            and not any(abs(a - b) <= _EPC_CLOSE for a in self.epcs for b in other.epcs)
        ):
            return True
        for a in self.streets:
            for b in other.streets:
                if a != b and _street_similarity(a, b) < _STREET_SIMILAR:
                    return True
        return False

    def absorb(self, other: _Group) -> None:
        self.streets |= other.streets
        self.numbers |= other.numbers
        self.boxes |= other.boxes
        self.epcs |= other.epcs


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: building many small objects triggers it needlessly."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Linker:
    """Incremental linking state: blocking index, features and clusters of every advert seen.

    :meth:`add` links new adverts against everything added before (and each
    other); :meth:`load` puts already-linked adverts in with known cluster
    labels, without comparing them (the store does this with its dwellings);
    :meth:`relink` compares adverts already in the state again (after they
    changed) and may merge their cluster with others. Cluster labels are
    integers; when two clusters merge, the lower (older) label survives.
    Linking a set in one call or in several gives the same clusters unless
    competing matches are decided in a different order.

    >>> from listings import Listing
    >>> flat = Listing(source="immoweb", source_id="1", url="https://www.immoweb.be/1",
    ...                street="Doorniksestraat", house_number="12", box="3", postcode="8500",
    ...                rent_eur=750, epc_kwh_m2=245)
    >>> linker = Linker()
    >>> [d.cluster for d in linker.add([flat], ids=["immoweb:1"])]
    [0]
    >>> copy = flat.model_copy(update={"source": "zimmo", "street": "Doorniksestr."})
    >>> [(d.cluster, d.matched) for d in linker.add([copy], ids=["zimmo:1"])]
    [(0, 'immoweb:1')]
    >>> linker.clusters()
    {'immoweb:1': 0, 'zimmo:1': 0}
    """

    def __init__(self, threshold: float | None = None) -> None:
        self.threshold = _check_threshold(threshold)
        # Summed weight from which a pair is accepted (the threshold on the weight scale).
        self._min_total = _CENTRE + math.log(self.threshold / (1.0 - self.threshold))
        self._features: list[_Features] = []
        self._ids: list[Hashable] = []
        self._positions: dict[Hashable, int] = {}
        self._parent: list[int] = []
        self._label: dict[int, int] = {}  # root position -> cluster label
        self._root: dict[int, int] = {}  # cluster label -> root position
        self._group: dict[int, _Group] = {}  # root position -> conflict sets
        self._next_label = 0
        self._index = _Index()

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def next_label(self) -> int:
        """The label the next new cluster will get (every existing label is lower)."""
        return self._next_label

    # -- union-find --------------------------------------------------------------------

    def _find(self, position: int) -> int:
        parent = self._parent
        root = position
        while parent[root] != root:
            root = parent[root]
        while parent[position] != root:
            parent[position], position = root, parent[position]
        return root

    def _union(self, ra: int, rb: int) -> int:
        """Join two roots; the lower label survives. Return the surviving root."""
        la, lb = self._label[ra], self._label[rb]
        keep, drop = (ra, rb) if la <= lb else (rb, ra)
        self._parent[drop] = keep
        self._group[keep].absorb(self._group.pop(drop))
        del self._root[self._label.pop(drop)]
        return keep

    def _append(self, listing: Advert, ident: Hashable, label: int | None) -> int:
        if ident in self._positions:
            raise ValueError(f"advert id {ident!r} is already linked")
        position = len(self._ids)
        f = _features(listing)
        self._features.append(f)
        self._ids.append(ident)
        self._positions[ident] = position
        self._index.add(position, f)
        if label is None:
            label = self._next_label
            self._next_label += 1
        else:
            root = self._root.get(label)
            if root is not None:
                self._parent.append(root)
                self._group[root].absorb(_Group(f))
                return position
            self._next_label = max(self._next_label, label + 1)
        self._parent.append(position)
        self._label[position] = label
        self._root[label] = position
        self._group[position] = _Group(f)
        return position

    # -- public --------------------------------------------------------------------------

    def load(
        self, listings: Sequence[Advert], ids: Sequence[Hashable], labels: Sequence[int]
    ) -> None:
        """Add adverts that are already linked, with their cluster ``labels``, without comparing.

        Labels are kept as given (the store passes dwelling ids); clusters
        created later get labels above the highest loaded one.
        """
        if not len(listings) == len(ids) == len(labels):
            raise ValueError("listings, ids and labels must have the same length")
        with _gc_paused():
            for listing, ident, label in zip(listings, ids, labels, strict=True):
                self._append(listing, ident, int(label))

    def add(
        self,
        listings: Sequence[Advert],
        ids: Sequence[Hashable] | None = None,
        *,
        explain: bool = True,
    ) -> list[LinkDecision]:
        """Link new adverts; return one :class:`LinkDecision` per advert, in input order.

        ``ids`` name the adverts (default: their position over all adds). Every
        new advert is compared with the adverts sharing a block, old and new;
        accepted pairs are joined strongest first unless the two clusters
        conflict (different house number, box or street). With
        ``explain=False`` a decision's ``match`` carries the score but no
        evidence (faster when only the clusters matter).
        """
        if ids is None:
            ids = range(len(self._ids), len(self._ids) + len(listings))
        if len(ids) != len(listings):
            raise ValueError("ids must have one id per listing")
        first_new = self._next_label
        with _gc_paused():
            positions = [
                self._append(lst, ident, None) for lst, ident in zip(listings, ids, strict=True)
            ]
            return self._link(positions, first_new, explain)

    def relink(self, ids: Sequence[Hashable], listings: Sequence[Advert]) -> list[LinkDecision]:
        """Compare adverts already in the state again, with their new content.

        An advert keeps its cluster (a cluster is never split); it can bring
        its cluster together with others it now matches.
        """
        positions: list[int] = []
        for ident, listing in zip(ids, listings, strict=True):
            position = self._positions[ident]
            f = _features(listing)
            self._features[position] = f
            self._index.add(position, f)  # old blocks stay: harmless extra candidates
            positions.append(position)
        # Rebuild the conflict sets of the clusters involved from their members' new values.
        roots = {self._find(p) for p in positions}
        rebuilt: dict[int, _Group] = {}
        for member in range(len(self._ids)):
            root = self._find(member)
            if root in roots:
                group = _Group(self._features[member])
                if root in rebuilt:
                    rebuilt[root].absorb(group)
                else:
                    rebuilt[root] = group
        self._group.update(rebuilt)
        with _gc_paused():
            return self._link(positions, self._next_label, True)

    def _link(self, positions: list[int], first_new: int, explain: bool) -> list[LinkDecision]:
        """Score the candidates of ``positions`` and join accepted pairs, strongest first.

        Clusters with a label below ``first_new`` existed before this call:
        joining two of them is reported as a merge.
        """
        features = self._features
        min_total = self._min_total
        limit = len(self._ids)
        focus = set(positions)
        pairs: list[tuple[float, int, int]] = []
        for position in positions:
            f = features[position]
            for other in self._index.candidates(limit, f):
                if other == position or (other in focus and other > position):
                    continue  # itself, or a pair scored from the other side
                total, conflict, _ = _score(f, features[other], False, min_total)
                if total >= min_total and not conflict:
                    pairs.append((total, position, other))
        pairs.sort(key=lambda p: (-p[0], p[1], p[2]))

        best: dict[int, tuple[float, int]] = {}
        merged: dict[int, list[int]] = {}
        for total, a, b in pairs:
            ra, rb = self._find(a), self._find(b)
            if ra != rb:
                if self._group[ra].conflicts(self._group[rb]):
                    continue
                la, lb = self._label[ra], self._label[rb]
                self._union(ra, rb)
                if la < first_new and lb < first_new:
                    merged.setdefault(a, []).append(max(la, lb))
            for x, y in ((a, b), (b, a)):
                if x in focus and (x not in best or best[x][0] < total):
                    best[x] = (total, y)

        decisions: list[LinkDecision] = []
        for position in positions:
            label = self._label[self._find(position)]
            if position in best:
                other = best[position][1]
                if explain:
                    match = _match(features[position], features[other], self.threshold)
                else:
                    match = Match(round(_probability(best[position][0]), 4), True, ())
                decisions.append(
                    LinkDecision(
                        self._ids[position],
                        label,
                        self._ids[other],
                        match,
                        tuple(merged.get(position, ())),
                    )
                )
            else:
                decisions.append(LinkDecision(self._ids[position], label, None, None))
        return decisions

    def clusters(self) -> dict[Hashable, int]:
        """Return the cluster label of every advert in the state, by id."""
        return {ident: self._label[self._find(p)] for p, ident in enumerate(self._ids)}

    def cluster_of(self, ident: Hashable) -> int:
        """Return the cluster label of one advert."""
        return self._label[self._find(self._positions[ident])]


def cluster(listings: Sequence[Listing], *, threshold: float | None = None) -> list[int]:
    """Link a set of adverts in one go; return a cluster label per advert.

    Labels are ``0..k-1``, numbered in order of each cluster's first advert.

    >>> from listings import Listing
    >>> def ad(i, number, box=None):
    ...     return Listing(source="zimmo", source_id=str(i), url=f"https://z.be/{i}",
    ...                    postcode="8500", street="Leiestraat", house_number=number, box=box,
    ...                    rent_eur=700, living_area_m2=70, bedrooms=2, epc_kwh_m2=200)
    >>> cluster([ad(1, "4", "1"), ad(2, "4", "2"), ad(3, "4", "1"), ad(4, "6")])
    [0, 1, 0, 2]
    """
    linker = Linker(threshold)
    linker.add(listings, ids=range(len(listings)), explain=False)
    found = linker.clusters()
    relabel: dict[int, int] = {}
    result: list[int] = []
    for position in range(len(listings)):
        label = found[position]
        if label not in relabel:
            relabel[label] = len(relabel)
        result.append(relabel[label])
    return result
