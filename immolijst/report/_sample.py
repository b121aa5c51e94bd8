"""A small sample store for tests, demos and smoke runs: a few W13 dwellings.

Two crawl runs a day apart: the first Kortrijk flat drops its rent from
€ 690 to € 650 (price history) and is advertised on two portals (one
dwelling after dedupe); a source is left with a partial run.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Final

from listings import Listing, RunStatus, Store
from listings._dwellings import dedupe

__all__ = ["SAMPLE_ADVERTS", "seed_sample_store"]

_TOP: Final[dict[str, Any]] = {
    "property_type": "apartment",
    "street": "Kerkstraat",
    "house_number": "12",
    "postcode": "8500",
    "municipality": "Kortrijk",
    "charges_eur": 50,
    "bedrooms": 2,
    "living_area_m2": 78,
    "epc_kwh_m2": 210,
    "epc_label": "C",
    "agency_name": "Immo Leie",
    "contact_phone": "056 12 34 56",
    "available_now": True,
}

#: The sample adverts of the second run (source, source_id, fields).
SAMPLE_ADVERTS: Final[list[tuple[str, str, dict[str, Any]]]] = [
    ("zimmo", "Z1", {**_TOP, "rent_eur": 650}),
    ("immoweb", "I1", {**_TOP, "rent_eur": 650}),
    (
        "zimmo",
        "Z2",
        {
            "property_type": "apartment",
            "street": "Rijselstraat",
            "house_number": "5",
            "box": "2",
            "postcode": "8930",
            "municipality": "Menen",
            "rent_eur": 760,
            "charges_eur": 60,
            "bedrooms": 2,
            "living_area_m2": 82,
            "epc_label": "D",
            "agency_name": "Vastgoed Menen",
        },
    ),
    (
        "immoweb",
        "I2",
        {
            "property_type": "house",
            "street": "Lauwestraat",
            "house_number": "40",
            "postcode": "8560",
            "municipality": "Wevelgem",
            "rent_eur": 1150,
            "bedrooms": 3,
            "living_area_m2": 140,
            "epc_label": "E",
        },
    ),
    (
        "zimmo",
        "Z3",
        {
            "property_type": "studio",
            "street": "Stationsstraat",
            "house_number": "3",
            "postcode": "8500",
            "municipality": "Kortrijk",
            "rent_eur": 520,
            "charges_eur": 30,
            "bedrooms": 0,
            "living_area_m2": 32,
            "epc_label": "B",
        },
    ),
    (
        "immoweb",
        "I3",
        {
            "property_type": "apartment",
            "street": "Marktstraat",
            "house_number": "9",
            "postcode": "8530",
            "municipality": "Harelbeke",
            "rent_eur": 700,
            "bedrooms": 2,
            "living_area_m2": 70,
        },
    ),
]


def _listing(source: str, source_id: str, fields: dict[str, Any]) -> Listing:
    url = f"https://www.{source}.be/nl/te-huur/{source_id.lower()}/"
    return Listing(source=source, source_id=source_id, url=url, **fields)


def seed_sample_store(url: str, *, now: datetime | None = None) -> None:
    """Fill the store at ``url`` with the sample adverts (two runs), then link dwellings."""
    now = now or datetime.now(UTC)
    first, second = now - timedelta(days=1), now - timedelta(hours=1)
    with Store(url) as store:
        for source in ("zimmo", "immoweb"):
            run = store.start_run(source, started_at=first)
            old = [
                _listing(s, i, {**f, "rent_eur": 690} if i == "Z1" else f)
                for s, i, f in SAMPLE_ADVERTS
                if s == source
            ]
            store.upsert(old, run_id=run, seen_at=first)
            store.finish_run(
                run,
                RunStatus.COMPLETE,
                {"seen": len(old), "coverage": {"rent_eur": 1.0, "postcode": 1.0}},
                finished_at=first + timedelta(minutes=5),
            )
        for source in ("zimmo", "immoweb"):
            run = store.start_run(source, started_at=second)
            new = [_listing(s, i, f) for s, i, f in SAMPLE_ADVERTS if s == source]
            store.upsert(new, run_id=run, seen_at=second)
            store.finish_run(
                run,
                RunStatus.COMPLETE,
                {"seen": len(new), "coverage": {"rent_eur": 1.0, "postcode": 1.0}},
                finished_at=second + timedelta(minutes=5),
            )
        dedupe(store)
