"""A seeded set of realistic, invented W13 rentals shared by the immoweb and zimmo recordings.

Streets are real main roads of the municipalities; house numbers, rents, areas,
EPC scores and agencies are invented (rents in the ranges of flanders.md §11).
Flat 0 is the dedup case: "Doorniksestraat 12 bus 3, 8500 Kortrijk, € 750, EPC
245, 2 slaapkamers, 75 m²", advertised on immoweb, zimmo (as "Doorniksestr.
12/3"), immoscoop and a realtor site.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from listings import _places

__all__ = ["ASSEMBLED_NOTE", "Flat", "epc_label", "flats", "robots_interaction"]

#: Start of every assembled cassette's header comment.
ASSEMBLED_NOTE = "ASSEMBLED recording, not a live capture"

#: (postcode, locality, street) triples: real main roads of W13 municipalities.
STREETS: list[tuple[str, str, str]] = [
    ("8500", "Kortrijk", "Doorniksestraat"),
    ("8500", "Kortrijk", "Sint-Jansstraat"),
    ("8500", "Kortrijk", "Lange Steenstraat"),
    ("8500", "Kortrijk", "Overleiestraat"),
    ("8500", "Kortrijk", "Gentsesteenweg"),
    ("8500", "Kortrijk", "Minister Tacklaan"),
    ("8500", "Kortrijk", "Grote Markt"),
    ("8500", "Kortrijk", "Brugsesteenweg"),
    ("8501", "Bissegem", "Meensesteenweg"),
    ("8501", "Heule", "Izegemsestraat"),
    ("8930", "Menen", "Rijselstraat"),
    ("8930", "Menen", "Kortrijkstraat"),
    ("8790", "Waregem", "Stationsstraat"),
    ("8530", "Harelbeke", "Marktstraat"),
    ("8530", "Harelbeke", "Kortrijksesteenweg"),
    ("8520", "Kuurne", "Brugsesteenweg"),
    ("8560", "Wevelgem", "Lauwestraat"),
    ("8550", "Zwevegem", "Otegemstraat"),
    ("8550", "Zwevegem", "Avelgemstraat"),
    ("8940", "Wervik", "Kruisstraat"),
    ("8940", "Wervik", "Menenstraat"),
    ("8540", "Deerlijk", "Harelbeekstraat"),
]
AGENCIES = [
    ("Immo Leiedal", "+32 56 20 11 40", "info@immo-leiedal.example"),
    ("Vastgoed Groeninge", "+32 56 35 72 10", "verhuur@groeninge-vastgoed.example"),
    ("Immo Mandel & Leie", "+32 56 60 44 81", "kantoor@mandel-leie.example"),
    ("Particulier", None, None),
]


def epc_label(kwh: float | None) -> str | None:
    """Return the Flemish residential EPC label of a score (assembled data only).

    >>> epc_label(245), epc_label(None)
    ('C', None)
    """
    if kwh is None:
        return None
    for bound, label in ((0, "A+"), (100, "A"), (200, "B"), (300, "C"), (400, "D"), (500, "E")):
        if kwh < bound:
            return label
    return "F"


@dataclass(frozen=True)
class Flat:
    """One invented rental home in W13."""

    key: int
    kind: str  # apartment | house | studio
    street: str
    number: str
    box: str | None
    postcode: str
    locality: str
    rent: int | None
    charges: int | None
    bedrooms: int
    area: int
    epc_kwh: int | None
    available_from: date | None
    available_now: bool
    furnished: bool
    pets: bool | None
    lift: bool
    garden: bool
    terrace: bool
    parking: bool
    agency: str
    phone: str | None
    email: str | None
    latitude: float
    longitude: float
    published: datetime
    floor: int | None

    @property
    def epc_label(self) -> str | None:
        """EPC label of the score."""
        return epc_label(self.epc_kwh)

    @property
    def title_nl(self) -> str:
        """Dutch advert title."""
        noun = {"apartment": "Appartement", "house": "Woning", "studio": "Studio"}[self.kind]
        return f"{noun} met {self.bedrooms} slaapkamer(s) te huur in {self.locality}"

    @property
    def description_nl(self) -> str:
        """Dutch advert description."""
        extra = " Gemeubeld." if self.furnished else ""
        return (
            f"{self.title_nl}. Bewoonbare oppervlakte {self.area} m², "
            f"{self.bedrooms} slaapkamer(s).{extra} Huisdieren "
            f"{'toegelaten' if self.pets else 'niet toegelaten'}."
        )


def _flat(rng: random.Random, key: int) -> Flat:
    postcode, locality, street = STREETS[key % len(STREETS)]
    kind = rng.choice(["apartment", "apartment", "apartment", "studio", "house"])
    bedrooms = {
        "studio": 0,
        "apartment": rng.choice([1, 2, 2, 3]),
        "house": rng.choice([2, 3, 3, 4]),
    }[kind]
    area = {
        "studio": rng.randint(28, 42),
        "apartment": 45 + 18 * bedrooms + rng.randint(0, 15),
        "house": 80 + 20 * bedrooms + rng.randint(0, 30),
    }[kind]
    base = {"studio": 520, "apartment": 600 + 70 * bedrooms, "house": 700 + 60 * bedrooms}[kind]
    rent = int(round((base + rng.randint(-40, 80)) / 5) * 5)
    lat, lon = _places.centroid(postcode) or (50.83, 3.26)
    agency = AGENCIES[rng.randrange(len(AGENCIES))]
    available = date(2026, 12, 1) + timedelta(days=15 * rng.randint(0, 5))
    now = rng.random() < 0.35
    return Flat(
        key=key,
        kind=kind,
        street=street,
        number=str(rng.randint(1, 180)),
        box=str(rng.randint(1, 6)) if kind != "house" and rng.random() < 0.6 else None,
        postcode=postcode,
        locality=locality,
        rent=rent,
        charges=rng.choice([None, 0, 25, 40, 50, 75]) if kind != "house" else None,
        bedrooms=bedrooms,
        area=area,
        epc_kwh=rng.randint(90, 480),
        available_from=None if now else available,
        available_now=now,
        furnished=kind == "studio" and rng.random() < 0.5,
        pets=rng.choice([True, False, None]),
        lift=kind == "apartment" and rng.random() < 0.5,
        garden=kind == "house",
        terrace=kind != "studio" and rng.random() < 0.6,
        parking=rng.random() < 0.4,
        agency=agency[0],
        phone=agency[1],
        email=agency[2],
        latitude=round(lat + rng.uniform(-0.01, 0.01), 5),
        longitude=round(lon + rng.uniform(-0.01, 0.01), 5),
        published=datetime(2026, 11, 1, 9, 0) + timedelta(hours=7 * key),
        floor=rng.randint(0, 4) if kind != "house" else None,
    )


def flats(count: int = 60, seed: int = 13) -> list[Flat]:
    """Return ``count`` seeded flats; flat 0 is the shared dedup flat."""
    rng = random.Random(seed)
    result = [_flat(rng, key) for key in range(count)]
    result[0] = replace(
        result[0],
        kind="apartment",
        street="Doorniksestraat",
        number="12",
        box="3",
        postcode="8500",
        locality="Kortrijk",
        rent=750,
        charges=None,
        bedrooms=2,
        area=75,
        epc_kwh=245,
        furnished=False,
        lift=True,
        garden=False,
        terrace=True,
        available_from=date(2026, 12, 1),
        available_now=False,
        agency=AGENCIES[0][0],
        phone=AGENCIES[0][1],
        email=AGENCIES[0][2],
        floor=1,
    )
    return result


def robots_interaction(host: str) -> dict[str, object]:
    """Return an allow-all robots.txt interaction for ``host`` (marked as assembled)."""
    return {
        "method": "GET",
        "url": f"https://{host}/robots.txt",
        "status": 200,
        "headers": {"Content-Type": ["text/plain; charset=utf-8"]},
        "body": f"# {ASSEMBLED_NOTE}: allow-all robots.txt\nUser-agent: *\nAllow: /\n".encode(),
    }
