"""A seeded generator of synthetic W13 rental adverts with known duplicates.

Used by the labelled dedup set (``tests/listings/data/dedupe_labelled.jsonl``,
written by ``tools/build_dedupe_set.py``) and by the dedup benchmark
(``bench/bench_dedupe.py``). Every advert is a valid :class:`~listings.Listing`
in the form the scrapers' pipeline stores it (after
:func:`~listings.normalise_listing`: box apart from the house number, official
municipality), and carries the id of the true dwelling it advertises.

The generator draws *groups* of dwellings at one address or next to each
other, then advertises each dwelling on one to four sources, applying the
variations seen across Belgian portals:

- addresses: ``"Sint-"`` / ``"St."``, ``"straat"`` / ``"str."``,
  ``"steenweg"`` / ``"stwg"``, a missing box, a missing house number;
- rents rounded (745 / 750) or updated (a price drop, a re-listing), areas
  a few m² apart, bedrooms or area missing, EPC score or label missing;
- other titles and descriptions, coordinates jittered or missing, agency
  names written differently, re-listing under a new id on the same source;

and the hard negatives: several flats in one building (same street and
number, boxes 1..6, similar rents and areas), identical new-build units (the
same in everything but the box) and neighbouring houses (12 and 14) with
similar properties. Variations that would make two dwellings impossible to
tell apart from the adverts alone are not applied (a new-build unit never
loses its box; a flat that loses its box keeps its exact rent and EPC score).

Street names of the labelled set are real streets of the 14 W13
municipalities; a large run (the benchmark) adds plausible compound names
built from real stems, so that a street holds a realistic number of adverts.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from listings import _places
from listings._model import Listing, PropertyType

__all__ = [
    "GROUP_KINDS",
    "PATTERNS",
    "SyntheticAdvert",
    "SyntheticSet",
    "epc_label",
    "synthetic_adverts",
]

#: Kinds of dwelling groups the generator draws.
GROUP_KINDS: tuple[str, ...] = ("single", "building", "newbuild", "neighbours")

#: Names of the variations an advert may carry (see :attr:`SyntheticAdvert.patterns`).
PATTERNS: tuple[str, ...] = (
    "sint_abbrev",
    "straat_abbrev",
    "steenweg_abbrev",
    "no_box",
    "no_number",
    "rent_rounded",
    "rent_updated",
    "no_rent",
    "area_differs",
    "no_area",
    "no_bedrooms",
    "no_epc_score",
    "no_epc",
    "coords_jittered",
    "coords_far",
    "no_coords",
    "agency_variant",
    "relisted",
)

# (postcode, street): real streets of the W13 municipalities.
_REAL_STREETS: tuple[tuple[str, str], ...] = (
    ("8500", "Doorniksestraat"),
    ("8500", "Sint-Jansstraat"),
    ("8500", "Lange Steenstraat"),
    ("8500", "Overleiestraat"),
    ("8500", "Gentsesteenweg"),
    ("8500", "Minister Tacklaan"),
    ("8500", "Brugsesteenweg"),
    ("8500", "Budastraat"),
    ("8500", "Leiestraat"),
    ("8500", "Rijselsestraat"),
    ("8500", "Sint-Denijsestraat"),
    ("8500", "Zwevegemsestraat"),
    ("8500", "Harelbeeksestraat"),
    ("8500", "Sint-Sebastiaanslaan"),
    ("8500", "Wandelingstraat"),
    ("8500", "Beekstraat"),
    ("8500", "Groeningestraat"),
    ("8501", "Meensesteenweg"),
    ("8501", "Izegemsestraat"),
    ("8501", "Lagaeplein"),
    ("8510", "Rollegemstraat"),
    ("8510", "Markekerkstraat"),
    ("8511", "Aalbekeplaats"),
    ("8520", "Brugsesteenweg"),
    ("8520", "Kortrijksestraat"),
    ("8520", "Sint-Katarinastraat"),
    ("8520", "Ringlaan"),
    ("8530", "Marktstraat"),
    ("8530", "Kortrijksesteenweg"),
    ("8530", "Gentsesteenweg"),
    ("8530", "Stasegemsesteenweg"),
    ("8530", "Deerlijksestraat"),
    ("8530", "Zuidstraat"),
    ("8531", "Kerkstraat"),
    ("8540", "Harelbeekstraat"),
    ("8540", "Vichtesteenweg"),
    ("8540", "Pladijsstraat"),
    ("8550", "Otegemstraat"),
    ("8550", "Avelgemstraat"),
    ("8550", "Bekaertstraat"),
    ("8550", "Harelbekestraat"),
    ("8551", "Heestertplaats"),
    ("8560", "Lauwestraat"),
    ("8560", "Ieperstraat"),
    ("8560", "Kortrijkstraat"),
    ("8560", "Menenstraat"),
    ("8570", "Kerkstraat"),
    ("8570", "Stationsstraat"),
    ("8580", "Doorniksesteenweg"),
    ("8580", "Oudenaardsesteenweg"),
    ("8580", "Kerkstraat"),
    ("8587", "Sint-Amandusstraat"),
    ("8710", "Sint-Bavostraat"),
    ("8710", "Kerkstraat"),
    ("8790", "Stationsstraat"),
    ("8790", "Zuiderlaan"),
    ("8790", "Westerlaan"),
    ("8790", "Noorderlaan"),
    ("8790", "Holstraat"),
    ("8790", "Sint-Jansstraat"),
    ("8793", "Gentseweg"),
    ("8860", "Kortrijkstraat"),
    ("8860", "Izegemstraat"),
    ("8930", "Rijselstraat"),
    ("8930", "Kortrijkstraat"),
    ("8930", "Bruggestraat"),
    ("8930", "Ieperstraat"),
    ("8930", "Sint-Jorisstraat"),
    ("8940", "Kruisstraat"),
    ("8940", "Menenstraat"),
    ("8940", "Ieperstraat"),
    ("8940", "Steenakker"),
)
# Stems and suffixes of the extra street names of large runs ("Sint-Jorisdreef").
_STEMS: tuple[str, ...] = (
    "Sint-Joris", "Sint-Maarten", "Sint-Elooi", "Sint-Antonius", "Sint-Amands",
    "Kerk", "Molen", "Beek", "Hoog", "Nieuw", "Veld", "Kasteel", "Linden", "Meers",
    "Statie", "School", "Berken", "Eiken", "Populieren", "Leie", "Schelde", "Mandel",
    "Hulste", "Gullegem", "Moorsele", "Bellegem", "Marke", "Lauwe", "Rekkem", "Geluwe",
    "Vichte", "Tiegem", "Kaster", "Ooigem", "Heestert", "Otegem", "Outrijve", "Bossuit",
    "Desselgem", "Bavikhove", "Kuurne", "Dadizele", "Ingooigem", "Waarmaarde",
)  # fmt: skip
_SUFFIXES: tuple[str, ...] = ("straat", "steenweg", "laan", "dreef", "plein", "weg")

_AGENCIES: tuple[tuple[str, str | None], ...] = (
    ("Immo Leiedal", "+32 56 20 11 40"),
    ("Vastgoed Groeninge", "+32 56 35 72 10"),
    ("Immo Mandel & Leie", "+32 56 60 44 81"),
    ("Immo Vlaanderen Zuid", "+32 56 21 90 30"),
    ("Verhuurkantoor Schelde", "+32 56 64 12 77"),
    ("Immo De Gavers", "+32 56 71 02 55"),
    ("Huizen Heule", "+32 56 35 11 02"),
    ("Immo Waregem Centrum", "+32 56 60 33 90"),
    ("Particulier", None),
)
_SOURCES: tuple[str, ...] = ("immoweb", "zimmo", "immoscoop", "immovlan", "2dehands", "realtor")
_SOURCE_WEIGHTS: tuple[float, ...] = (0.3, 0.25, 0.15, 0.12, 0.08, 0.1)
_KIND_WEIGHTS: tuple[float, ...] = (0.52, 0.26, 0.08, 0.14)
_NOUN = {"apartment": "Appartement", "house": "Woning", "studio": "Studio"}
_BASE_TIME = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
_METRES_PER_DEGREE_LAT = 111_320.0


def epc_label(kwh: float | None) -> str | None:
    """Return the Flemish residential EPC label of a score in kWh/m² per year.

    >>> epc_label(245), epc_label(95), epc_label(None)
    ('C', 'A', None)
    """
    if kwh is None:
        return None
    for bound, label in ((0, "A+"), (100, "A"), (200, "B"), (300, "C"), (400, "D"), (500, "E")):
        if kwh < bound:
            return label
    return "F"


@dataclass(frozen=True)
class SyntheticAdvert:
    """One generated advert with its ground truth."""

    listing: Listing
    """The advert, a valid :class:`~listings.Listing`."""
    true_dwelling: str
    """Id of the real dwelling the advert is for (``"d000042"``)."""
    group: str
    """Id of the dwelling's group (``"g000017"``): one building, one row of neighbours."""
    group_kind: str
    """One of :data:`GROUP_KINDS`."""
    patterns: tuple[str, ...]
    """The variations applied to this advert, names from :data:`PATTERNS`."""


@dataclass(frozen=True)
class SyntheticSet:
    """A generated set of adverts (in shuffled order) with their true dwellings."""

    adverts: tuple[SyntheticAdvert, ...]
    """Every advert with its ground truth."""

    @property
    def listings(self) -> list[Listing]:
        """The adverts as listings, in order."""
        return [advert.listing for advert in self.adverts]

    @property
    def labels(self) -> list[str]:
        """The true dwelling id of each advert, in order."""
        return [advert.true_dwelling for advert in self.adverts]


@dataclass
class _Dwelling:
    id: str
    group: str
    group_kind: str
    kind: str
    postcode: str
    locality: str
    street: str
    number: str
    box: str | None
    floor: int | None
    bedrooms: int
    area: int
    rent: int
    charges: int | None
    epc: int
    latitude: float
    longitude: float
    agency: str
    phone: str | None
    published: datetime
    garden: bool
    terrace: bool
    parking: bool
    elevator: bool
    furnished: bool
    pets: bool | None
    # Whether a box or number may be dropped without making it undecidable.
    may_drop_box: bool = False
    may_drop_number: bool = False
    ids_used: set[str] = field(default_factory=set)


def _streets(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """Return the real streets, then (for large runs) compound names spread over W13 postcodes."""
    streets = list(_REAL_STREETS)
    if count <= len(streets):
        return streets
    postcodes = sorted(_places.W13_POSTCODES)
    seen = set(streets)
    combos = [(stem, suffix) for stem in _STEMS for suffix in _SUFFIXES]
    rng.shuffle(combos)
    index = 0
    while len(streets) < count:
        stem, suffix = combos[index % len(combos)]
        postcode = postcodes[(index * 7 + index // len(combos)) % len(postcodes)]
        index += 1
        name = stem + suffix
        if (postcode, name) not in seen:
            seen.add((postcode, name))
            streets.append((postcode, name))
        if index > 50 * count:  # pragma: no cover - the combinations run out
            break
    return streets


def _street_point(postcode: str, street: str) -> tuple[float, float, float]:
    """Return a fixed point and bearing of a street (derived from its name, not the RNG)."""
    lat0, lon0 = _places.centroid(postcode) or (50.83, 3.26)
    h = sum((i + 1) * ord(c) for i, c in enumerate(street))
    dlat = ((h % 2001) - 1000) / 1000 * 0.012
    dlon = (((h // 2001) % 2001) - 1000) / 1000 * 0.018
    bearing = (h % 360) * math.pi / 180
    return lat0 + dlat, lon0 + dlon, bearing


def _house_point(postcode: str, street: str, number: int) -> tuple[float, float]:
    """Houses lie 8 m apart along the street, odd and even numbers on either side."""
    lat, lon, bearing = _street_point(postcode, street)
    along = 8.0 * number
    side = 12.0 if number % 2 else -12.0
    north = along * math.cos(bearing) - side * math.sin(bearing)
    east = along * math.sin(bearing) + side * math.cos(bearing)
    return (
        lat + north / _METRES_PER_DEGREE_LAT,
        lon + east / (_METRES_PER_DEGREE_LAT * math.cos(math.radians(lat))),
    )


class _Generator:
    def __init__(self, n_adverts: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.n_adverts = n_adverts
        self.streets = _streets(max(len(_REAL_STREETS), n_adverts // 45), self.rng)
        self.used: set[tuple[str, str, int]] = set()
        self.n_dwellings = 0
        self.n_groups = 0
        self.ids: set[tuple[str, str]] = set()

    # -- dwellings ---------------------------------------------------------

    def _free_address(self, run: int) -> tuple[str, str, int]:
        """Return a (postcode, street, number) whose ``run`` neighbours (step 2) are all free."""
        rng = self.rng
        top = 260
        for attempt in range(200):
            postcode, street = rng.choice(self.streets)
            number = rng.randint(1, top + attempt * 5)
            numbers = [number + 2 * k for k in range(run)]
            if all((postcode, street, n) not in self.used for n in numbers):
                for n in numbers:
                    self.used.add((postcode, street, n))
                return postcode, street, number
        raise RuntimeError("no free address left")  # pragma: no cover

    def _locality(self, postcode: str, street: str) -> str:
        info = _places.postcode_info(postcode)
        if info is None or not info.localities:  # pragma: no cover - W13 postcodes are known
            return postcode
        return info.localities[sum(map(ord, street)) % len(info.localities)]

    def _profile(self, kind: str) -> tuple[int, int, int, int]:
        """(bedrooms, area m², rent EUR, EPC kWh/m²) of a dwelling of ``kind``."""
        rng = self.rng
        if kind == "studio":
            bedrooms, area = 0, rng.randint(26, 45)
            rent = rng.randrange(480, 690, 5)
            epc = rng.randint(80, 420)
        elif kind == "apartment":
            bedrooms = rng.choice((1, 2, 2, 2, 3))
            area = 45 + 18 * bedrooms + rng.randint(-5, 20)
            rent = rng.randrange(560 + 80 * bedrooms, 700 + 100 * bedrooms, 5)
            epc = rng.randint(60, 380)
        else:
            bedrooms = rng.choice((2, 3, 3, 4))
            area = 80 + 22 * bedrooms + rng.randint(0, 40)
            rent = rng.randrange(720 + 60 * bedrooms, 900 + 120 * bedrooms, 5)
            epc = rng.randint(140, 620)
        return bedrooms, area, rent, epc

    def _dwelling(
        self,
        group: str,
        group_kind: str,
        kind: str,
        postcode: str,
        street: str,
        number: int,
        box: str | None,
    ) -> _Dwelling:
        rng = self.rng
        bedrooms, area, rent, epc = self._profile(kind)
        lat, lon = _house_point(postcode, street, number)
        agency, phone = rng.choice(_AGENCIES)
        letter = "A" if group_kind == "single" and rng.random() < 0.04 else ""
        dwelling = _Dwelling(
            id=f"d{self.n_dwellings:06d}",
            group=group,
            group_kind=group_kind,
            kind=kind,
            postcode=postcode,
            locality=self._locality(postcode, street),
            street=street,
            number=f"{number}{letter}",
            box=box,
            floor=None if kind == "house" else (int(box[0]) if box and box[0].isdigit() else 0),
            bedrooms=bedrooms,
            area=area,
            rent=rent,
            charges=None if kind == "house" else rng.choice((None, 0, 25, 40, 50, 75)),
            epc=epc,
            latitude=lat,
            longitude=lon,
            agency=agency,
            phone=phone,
            published=_BASE_TIME + timedelta(minutes=rng.randint(0, 80 * 24 * 60)),
            garden=kind == "house" or (box is None and rng.random() < 0.2),
            terrace=kind != "studio" and rng.random() < 0.6,
            parking=rng.random() < 0.4,
            elevator=kind == "apartment" and rng.random() < 0.5,
            furnished=kind == "studio" and rng.random() < 0.4,
            pets=rng.choice((True, False, None)),
        )
        self.n_dwellings += 1
        return dwelling

    def group(self) -> list[_Dwelling]:
        rng = self.rng
        gid = f"g{self.n_groups:06d}"
        self.n_groups += 1
        kind = rng.choices(GROUP_KINDS, _KIND_WEIGHTS)[0]
        if kind == "single":
            postcode, street, number = self._free_address(1)
            ptype = rng.choice(("apartment", "apartment", "studio", "house", "house"))
            box = str(rng.randint(1, 6)) if ptype != "house" and rng.random() < 0.5 else None
            dwelling = self._dwelling(gid, kind, ptype, postcode, street, number, box)
            dwelling.may_drop_box = True
            dwelling.may_drop_number = True
            return [dwelling]
        if kind == "neighbours":
            size = rng.choice((2, 2, 3))
            postcode, street, number = self._free_address(size)
            first = self._dwelling(gid, kind, "house", postcode, street, number, None)
            row = [first]
            for k in range(1, size):
                other = self._dwelling(gid, kind, "house", postcode, street, number + 2 * k, None)
                other.bedrooms = first.bedrooms
                other.area = first.area + rng.randint(-6, 6)
                other.rent = first.rent + 5 * rng.randint(-6, 6)
                other.agency, other.phone = first.agency, first.phone
                row.append(other)
            return row
        # building or newbuild: several flats at one address, boxes 1..size.
        size = rng.randint(2, 6)
        postcode, street, number = self._free_address(1)
        boxes = [str(b) for b in range(1, size + 1)]
        if kind == "newbuild":
            model = self._dwelling(gid, kind, "apartment", postcode, street, number, boxes[0])
            model.epc = rng.randint(15, 90)
            model.rent = max(model.rent, 700) + 50
            model.agency, model.phone = rng.choice(_AGENCIES[:-1])
            units = [model]
            for box in boxes[1:]:
                unit = self._dwelling(gid, kind, "apartment", postcode, street, number, box)
                units.append(
                    replace(
                        model,
                        id=unit.id,
                        box=box,
                        floor=unit.floor,
                        published=model.published + timedelta(minutes=rng.randint(0, 90)),
                        ids_used=set(),
                    )
                )
            return units
        units = []
        signatures: set[tuple[int, int]] = set()
        epcs: set[int] = set()
        first_unit: _Dwelling | None = None
        for box in boxes:
            unit = self._dwelling(gid, kind, "apartment", postcode, street, number, box)
            if first_unit is not None:
                # Similar flats in one building: rents and areas close to the first one.
                if rng.random() < 0.6:
                    unit.bedrooms = first_unit.bedrooms
                unit.area = (
                    first_unit.area
                    + rng.randint(-8, 8)
                    + 18 * (unit.bedrooms - first_unit.bedrooms)
                )
                unit.rent = first_unit.rent + 5 * rng.randint(-8, 8)
                unit.agency, unit.phone = first_unit.agency, first_unit.phone
            while (unit.bedrooms, unit.rent) in signatures:
                unit.rent += 25
            while any(abs(unit.epc - e) < 15 for e in epcs):
                unit.epc += 17
            signatures.add((unit.bedrooms, unit.rent))
            epcs.add(unit.epc)
            unit.may_drop_box = True
            first_unit = first_unit or unit
            units.append(unit)
        return units

    # -- adverts -----------------------------------------------------------

    def _new_id(self, source: str) -> str:
        rng = self.rng
        while True:
            if source == "immoweb":
                sid = str(rng.randint(20_000_000, 21_999_999))
            elif source == "zimmo":
                sid = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(5))
            elif source == "immoscoop":
                sid = str(rng.randint(1_000_000, 9_999_999))
            elif source == "immovlan":
                sid = f"rbs{rng.randint(10_000, 999_999)}"
            elif source == "2dehands":
                sid = f"m{rng.randint(2_000_000_000, 2_199_999_999)}"
            else:
                sid = f"{rng.randint(1000, 99999)}"
            if (source, sid) not in self.ids:
                self.ids.add((source, sid))
                return sid

    def _street_text(self, street: str, source: str, patterns: list[str]) -> str:
        rng = self.rng
        text = street
        abbrev = 0.35 if source in ("zimmo", "2dehands", "immovlan") else 0.12
        if text.startswith("Sint-") and rng.random() < abbrev * 1.5:
            text = rng.choice(("St.-", "St. ", "St-", "St ")) + text[len("Sint-") :]
            patterns.append("sint_abbrev")
        if text.endswith("steenweg") and rng.random() < abbrev * 1.5:
            text = text[: -len("steenweg")] + rng.choice(("stwg", "stwg.", "stw."))
            patterns.append("steenweg_abbrev")
        elif text.endswith("straat") and rng.random() < abbrev:
            text = text[: -len("straat")] + "str."
            patterns.append("straat_abbrev")
        return text

    def _agency_text(self, agency: str, patterns: list[str]) -> str | None:
        rng = self.rng
        if agency == "Particulier":
            return None if rng.random() < 0.5 else agency
        if rng.random() < 0.15:
            patterns.append("agency_variant")
            return rng.choice((agency.upper(), f"{agency} bv", agency.replace("Immo ", "Immo-")))
        return agency

    def _title(self, d: _Dwelling, street: str | None, source: str) -> str:
        rng = self.rng
        noun = _NOUN[d.kind]
        rooms = f"{d.bedrooms} slpk" if rng.random() < 0.5 else f"{d.bedrooms} slaapkamers"
        options = [
            f"{noun} te huur in {d.locality}",
            f"{noun} met {rooms} te huur",
            f"{'Ruim' if d.kind == 'apartment' else 'Ruime'} {noun.lower()} in {d.locality}",
            f"{noun} {d.area} m² - {d.locality}",
            f"Te huur: {noun.lower()} {d.locality}",
        ]
        if street is not None:
            options.append(f"{noun} {street} {d.locality}")
        if d.kind == "studio":
            options.append(f"Gezellige studio in {d.locality}")
        if d.group_kind == "newbuild":
            options.append(f"Nieuwbouwappartement met {rooms} in {d.locality}")
        if source == "2dehands":
            options.append(f"{noun.lower()} te huur {d.locality} !!")
        return rng.choice(options)

    def _description(self, d: _Dwelling, rent: float | None) -> str:
        rng = self.rng
        sentences = [
            f"{_NOUN[d.kind]} met {d.bedrooms} slaapkamer(s) en een bewoonbare oppervlakte "
            f"van ongeveer {d.area} m².",
            "Lichtrijk en rustig gelegen, vlakbij winkels en openbaar vervoer.",
            "Goed geïsoleerd, dubbele beglazing." if d.epc < 250 else "Ruime living.",
            "Met tuin." if d.garden else "Met terras." if d.terrace else "Geen buitenruimte.",
            "Garage of staanplaats mogelijk." if d.parking else "Parkeren op straat.",
        ]
        if d.group_kind == "newbuild":
            sentences.append("Nieuwbouwproject met verschillende gelijkaardige units.")
        if d.group_kind == "building":
            sentences.append("Appartement in een kleinschalig gebouw.")
        if rent is not None and rng.random() < 0.5:
            sentences.append(f"Huurprijs {rent:.0f} euro per maand.")
        rng.shuffle(sentences)
        return " ".join(sentences[: rng.randint(3, len(sentences))])

    def _url(self, source: str, d: _Dwelling, sid: str, agency: str) -> str:
        city = d.locality.lower().replace(" ", "-")
        kind = {"apartment": "appartement", "house": "huis", "studio": "studio"}[d.kind]
        if source == "immoweb":
            return f"https://www.immoweb.be/nl/zoekertje/{kind}/te-huur/{city}/{d.postcode}/{sid}"
        if source == "zimmo":
            return f"https://www.zimmo.be/nl/{city}-{d.postcode}/te-huur/{kind}/{sid}/"
        if source == "immoscoop":
            return f"https://www.immoscoop.be/te-huur/{kind}/{city}/{sid}"
        if source == "immovlan":
            return f"https://immovlan.be/nl/detail/{kind}/te-huur/{d.postcode}/{city}/{sid}"
        if source == "2dehands":
            return f"https://www.2dehands.be/v/huizen-en-immo/huizen-te-huur/{sid}-{kind}"
        return f"https://www.{_slug(agency)}.example/aanbod/{sid}"

    def adverts(self, d: _Dwelling) -> list[SyntheticAdvert]:
        rng = self.rng
        n_sources = rng.choices((1, 2, 3, 4), (0.33, 0.35, 0.21, 0.11))[0]
        sources: list[str] = []
        while len(sources) < n_sources:
            source = rng.choices(_SOURCES, _SOURCE_WEIGHTS)[0]
            if source not in sources and not (source == "realtor" and d.agency == "Particulier"):
                sources.append(source)
        result = [self._advert(d, source, relisted=False) for source in sources]
        if rng.random() < 0.07:
            result.append(self._advert(d, rng.choice(sources), relisted=True))
        return result

    def _advert(self, d: _Dwelling, source: str, *, relisted: bool) -> SyntheticAdvert:
        rng = self.rng
        patterns: list[str] = ["relisted"] if relisted else []
        real_source = f"realtor:{_slug(d.agency)}" if source == "realtor" else source
        sid = self._new_id(real_source)
        street = self._street_text(d.street, source, patterns)
        number: str | None = d.number
        box = d.box
        strict = False  # this advert lost an address part: keep rent and EPC exact
        if box is not None and d.may_drop_box and rng.random() < 0.2:
            box = None
            strict = True
            patterns.append("no_box")
        if d.may_drop_number and rng.random() < 0.1:
            number, box = None, None
            strict = True
            patterns.append("no_number")

        rent: float | None = float(d.rent)
        roll = rng.random()
        if not strict and roll < 0.12:
            rent = float(round(d.rent / 50) * 50)
            if rent == d.rent:
                rent = float(d.rent - 5)
            patterns.append("rent_rounded")
        elif not strict and (roll < 0.22 or relisted):
            rent = float(d.rent - 5 * rng.randint(2, 8))
            patterns.append("rent_updated")
        elif not strict and roll < 0.25:
            rent = None
            patterns.append("no_rent")

        area: float | None = float(d.area)
        roll = rng.random()
        if roll < 0.25:
            area = float(d.area + rng.choice((-4, -3, -2, -1, 1, 2, 3, 4)))
            patterns.append("area_differs")
        elif roll < 0.33 and not strict:
            area = None
            patterns.append("no_area")
        bedrooms: int | None = d.bedrooms
        if not strict and rng.random() < 0.04:
            bedrooms = None
            patterns.append("no_bedrooms")

        epc: float | None = float(d.epc)
        label = epc_label(d.epc)
        no_epc = {"2dehands": 0.7, "immoscoop": 0.3}.get(source, 0.12)
        roll = rng.random()
        if not strict and roll < no_epc:
            epc, label = None, None
            patterns.append("no_epc")
        elif not strict and roll < no_epc + 0.12:
            epc = None
            patterns.append("no_epc_score")

        lat: float | None = d.latitude
        lon: float | None = d.longitude
        roll = rng.random()
        if source in ("2dehands", "realtor") or roll < 0.3:
            lat = lon = None
            patterns.append("no_coords")
        else:
            metres = 25.0 if roll < 0.85 else 150.0
            patterns.append("coords_jittered" if metres < 100 else "coords_far")
            lat = round(d.latitude + rng.uniform(-metres, metres) / _METRES_PER_DEGREE_LAT, 6)
            lon = round(
                d.longitude
                + rng.uniform(-metres, metres)
                / (_METRES_PER_DEGREE_LAT * math.cos(math.radians(d.latitude))),
                6,
            )

        agency = self._agency_text(d.agency, patterns)
        published = d.published + timedelta(hours=rng.randint(0, 96))
        if relisted:
            published += timedelta(days=rng.randint(20, 45))
        listing = Listing(
            source=real_source,
            source_id=sid,
            url=self._url(source, d, sid, d.agency),
            title=self._title(d, street if number else None, source),
            description=self._description(d, rent),
            property_type=PropertyType(d.kind),
            property_subtype_raw={"apartment": "Appartement", "house": "Rijwoning"}.get(d.kind),
            rent_eur=rent,
            charges_eur=None if d.charges is None else float(d.charges),
            price_raw=None if rent is None else f"€ {rent:.0f}",
            bedrooms=bedrooms,
            living_area_m2=area,
            epc_kwh_m2=epc,
            epc_label=label,
            street=street,
            house_number=number,
            box=box,
            postcode=d.postcode,
            municipality=_places.municipality_of(d.postcode),
            locality=d.locality,
            latitude=lat,
            longitude=lon,
            floor=d.floor if rng.random() < 0.6 else None,
            available_now=rng.random() < 0.3,
            available_from=date(2026, 12, 1) + timedelta(days=15 * rng.randint(0, 6)),
            furnished=d.furnished,
            pets_allowed=d.pets,
            elevator=d.elevator if d.kind == "apartment" else None,
            garden=d.garden,
            terrace=d.terrace,
            parking=d.parking,
            deposit_eur=None if rent is None else 3 * rent,
            agency_name=agency,
            contact_phone=d.phone if agency is not None else None,
            image_urls=[
                f"https://img.example.be/{real_source.replace(':', '-')}/{sid}/{k}.jpg"
                for k in range(rng.randint(1, 5))
            ],
            published_at=published,
            scraped_at=published + timedelta(days=rng.randint(0, 10), hours=3),
        )
        return SyntheticAdvert(
            listing=listing,
            true_dwelling=d.id,
            group=d.group,
            group_kind=d.group_kind,
            patterns=tuple(patterns),
        )


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower().replace("&", "en")).strip("-")


def synthetic_adverts(n: int, *, seed: int = 13) -> SyntheticSet:
    """Return ``n`` synthetic adverts with known true dwellings (same seed, same adverts).

    Dwellings are drawn group by group until ``n`` adverts exist; the adverts
    are shuffled, so a prefix of the result is a random sample that shares
    dwellings with the rest (the benchmark's incremental link uses that).

    >>> data = synthetic_adverts(50, seed=1)
    >>> len(data.listings), len(set(data.labels)) < 50
    (50, True)
    >>> data.listings == synthetic_adverts(50, seed=1).listings
    True
    """
    if n < 0:
        raise ValueError(f"n={n} must not be negative")
    gen = _Generator(n, seed)
    adverts: list[SyntheticAdvert] = []
    while len(adverts) < n:
        for dwelling in gen.group():
            adverts.extend(gen.adverts(dwelling))
    del adverts[n:]
    gen.rng.shuffle(adverts)
    return SyntheticSet(tuple(adverts))
