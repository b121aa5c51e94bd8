"""Write the labelled dedup set ``tests/listings/data/dedupe_labelled.jsonl``.

The set is the seeded synthetic generator's output (:mod:`listings._synthetic`,
fixed seed and size) followed by hand-written hard cases modelled on the
recorded crawls (the Doorniksestraat 12 bus 3 flat on four sources, the flat
next door in the same building, Sint-/St. and steenweg/stwg spellings, a
re-listing with a price drop, identical new-build units, neighbouring houses,
a missing number). Each line is one advert: the ``Listing`` fields (unknown
ones left out), ``true_dwelling`` and ``patterns`` (the variations applied).
The output is deterministic: running the tool twice writes the same bytes.

    python tools/build_dedupe_set.py [--out PATH] [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from listings import Listing, normalise_listing
from listings._synthetic import epc_label, synthetic_adverts

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "tests" / "listings" / "data" / "dedupe_labelled.jsonl"
SEED = 5
GENERATED = 340

_SCRAPED = datetime(2026, 11, 21, 4, 0, tzinfo=UTC)

# The true dwellings of the hand-written cases: their real facts.
_HOMES: dict[str, dict[str, Any]] = {
    # The recorded dedup flat and the flat next to it in the same building.
    "hand-doorniks-12-3": {
        "property_type": "apartment",
        "street": "Doorniksestraat",
        "house_number": "12",
        "box": "3",
        "postcode": "8500",
        "locality": "Kortrijk",
        "rent_eur": 750.0,
        "bedrooms": 2,
        "living_area_m2": 75.0,
        "epc_kwh_m2": 245.0,
        "agency_name": "Immo Leiedal",
        "latitude": 50.82612,
        "longitude": 3.25618,
        "floor": 1,
    },
    "hand-doorniks-12-4": {
        "property_type": "apartment",
        "street": "Doorniksestraat",
        "house_number": "12",
        "box": "4",
        "postcode": "8500",
        "locality": "Kortrijk",
        "rent_eur": 745.0,
        "bedrooms": 2,
        "living_area_m2": 73.0,
        "epc_kwh_m2": 262.0,
        "agency_name": "Immo Leiedal",
        "latitude": 50.82612,
        "longitude": 3.25618,
        "floor": 1,
    },
    "hand-doorniks-14": {
        "property_type": "apartment",
        "street": "Doorniksestraat",
        "house_number": "14",
        "postcode": "8500",
        "locality": "Kortrijk",
        "rent_eur": 750.0,
        "bedrooms": 2,
        "living_area_m2": 75.0,
        "epc_kwh_m2": 310.0,
        "agency_name": "Vastgoed Groeninge",
        "latitude": 50.82607,
        "longitude": 3.25629,
        "floor": 0,
    },
    # Sint-/St. and two studios two doors apart.
    "hand-sintjans-5-2": {
        "property_type": "studio",
        "street": "Sint-Jansstraat",
        "house_number": "5",
        "box": "2",
        "postcode": "8500",
        "locality": "Kortrijk",
        "rent_eur": 560.0,
        "bedrooms": 0,
        "living_area_m2": 34.0,
        "epc_kwh_m2": 190.0,
        "agency_name": "Immo Mandel & Leie",
        "latitude": 50.82801,
        "longitude": 3.26702,
    },
    "hand-sintjans-7-2": {
        "property_type": "studio",
        "street": "Sint-Jansstraat",
        "house_number": "7",
        "box": "2",
        "postcode": "8500",
        "locality": "Kortrijk",
        "rent_eur": 560.0,
        "bedrooms": 0,
        "living_area_m2": 33.0,
        "epc_kwh_m2": 205.0,
        "agency_name": "Immo Mandel & Leie",
        "latitude": 50.82795,
        "longitude": 3.26714,
    },
    # steenweg/stwg and a re-listing under a new id with a price drop.
    "hand-gentse-212": {
        "property_type": "house",
        "street": "Gentsesteenweg",
        "house_number": "212",
        "postcode": "8500",
        "locality": "Kortrijk",
        "rent_eur": 950.0,
        "bedrooms": 3,
        "living_area_m2": 140.0,
        "epc_kwh_m2": 410.0,
        "agency_name": "Particulier",
        "latitude": 50.83402,
        "longitude": 3.29110,
    },
    # Lauwestraat 40 (one advert without number) and the house next door.
    "hand-lauwe-40": {
        "property_type": "house",
        "street": "Lauwestraat",
        "house_number": "40",
        "postcode": "8560",
        "locality": "Wevelgem",
        "rent_eur": 880.0,
        "bedrooms": 3,
        "living_area_m2": 130.0,
        "epc_kwh_m2": 350.0,
        "agency_name": "Immo De Gavers",
        "latitude": 50.80702,
        "longitude": 3.18811,
    },
    "hand-lauwe-42": {
        "property_type": "house",
        "street": "Lauwestraat",
        "house_number": "42",
        "postcode": "8560",
        "locality": "Wevelgem",
        "rent_eur": 875.0,
        "bedrooms": 3,
        "living_area_m2": 132.0,
        "epc_kwh_m2": 295.0,
        "agency_name": "Immo De Gavers",
        "latitude": 50.80697,
        "longitude": 3.18822,
    },
    # Two flats in one building, one advert without box.
    "hand-rijsel-3-1": {
        "property_type": "apartment",
        "street": "Rijselstraat",
        "house_number": "3",
        "box": "1",
        "postcode": "8930",
        "locality": "Menen",
        "rent_eur": 690.0,
        "bedrooms": 1,
        "living_area_m2": 58.0,
        "epc_kwh_m2": 220.0,
        "agency_name": "Immo Vlaanderen Zuid",
        "latitude": 50.79561,
        "longitude": 3.12200,
        "floor": 0,
    },
    "hand-rijsel-3-2": {
        "property_type": "apartment",
        "street": "Rijselstraat",
        "house_number": "3",
        "box": "2",
        "postcode": "8930",
        "locality": "Menen",
        "rent_eur": 720.0,
        "bedrooms": 1,
        "living_area_m2": 61.0,
        "epc_kwh_m2": 180.0,
        "agency_name": "Immo Vlaanderen Zuid",
        "latitude": 50.79561,
        "longitude": 3.12200,
        "floor": 1,
    },
}
# Identical new-build units: the same in everything but the box.
for _box in ("1", "2", "3", "4"):
    _HOMES[f"hand-kortrijkse-80-{_box}"] = {
        "property_type": "apartment",
        "street": "Kortrijksesteenweg",
        "house_number": "80",
        "box": _box,
        "postcode": "8530",
        "locality": "Harelbeke",
        "rent_eur": 795.0,
        "bedrooms": 2,
        "living_area_m2": 85.0,
        "epc_kwh_m2": 45.0,
        "agency_name": "Vastgoed Groeninge",
        "latitude": 50.84190,
        "longitude": 3.30401,
        "title": "Nieuwbouwappartement met 2 slaapkamers",
    }

# (true dwelling, source, source_id, changes to the home's facts, patterns)
_ADVERTS: list[tuple[str, str, str, dict[str, Any], list[str]]] = [
    ("hand-doorniks-12-3", "immoweb", "21553855", {}, []),
    (
        "hand-doorniks-12-3",
        "zimmo",
        "K4JQ7",
        {"street": "Doorniksestr.", "rent_eur": 745.0, "living_area_m2": 74.0},
        ["straat_abbrev", "rent_rounded", "area_differs"],
    ),
    (
        "hand-doorniks-12-3",
        "immoscoop",
        "5120331",
        {"box": None, "latitude": None, "longitude": None},
        ["no_box", "no_coords"],
    ),
    (
        "hand-doorniks-12-3",
        "realtor:immo-leiedal",
        "4471",
        {"epc_kwh_m2": None, "epc_label": None, "latitude": None, "longitude": None},
        ["no_epc", "no_coords"],
    ),
    ("hand-doorniks-12-4", "immoweb", "21553912", {}, []),
    (
        "hand-doorniks-12-4",
        "zimmo",
        "K4JR2",
        {"street": "Doorniksestr.", "rent_eur": 750.0},
        ["straat_abbrev", "rent_rounded"],
    ),
    ("hand-doorniks-14", "immoweb", "21560101", {}, []),
    ("hand-sintjans-5-2", "immoweb", "21570011", {}, []),
    (
        "hand-sintjans-5-2",
        "zimmo",
        "K5AB1",
        {"street": "St.-Jansstr."},
        ["sint_abbrev", "straat_abbrev"],
    ),
    (
        "hand-sintjans-5-2",
        "2dehands",
        "m2101234567",
        {
            "street": "St Jansstraat",
            "house_number": None,
            "box": None,
            "latitude": None,
            "longitude": None,
            "agency_name": None,
        },
        ["sint_abbrev", "no_number", "no_coords"],
    ),
    (
        "hand-sintjans-7-2",
        "zimmo",
        "K5AC9",
        {"street": "St.-Jansstr."},
        ["sint_abbrev", "straat_abbrev"],
    ),
    ("hand-gentse-212", "immoweb", "21580077", {}, []),
    ("hand-gentse-212", "immovlan", "rbs402211", {"street": "Gentsestwg"}, ["steenweg_abbrev"]),
    (
        "hand-gentse-212",
        "zimmo",
        "K6ZZ1",
        {"rent_eur": 995.0, "living_area_m2": 138.0},
        ["rent_updated", "area_differs"],
    ),
    ("hand-gentse-212", "zimmo", "K7AA4", {"rent_eur": 950.0}, ["relisted", "rent_updated"]),
    ("hand-lauwe-40", "immoweb", "21590440", {}, []),
    (
        "hand-lauwe-40",
        "immoscoop",
        "5120990",
        {"house_number": None, "living_area_m2": 128.0, "latitude": None, "longitude": None},
        ["no_number", "area_differs", "no_coords"],
    ),
    ("hand-lauwe-42", "immoweb", "21590442", {}, []),
    ("hand-rijsel-3-1", "immoweb", "21600301", {"box": None}, ["no_box"]),
    ("hand-rijsel-3-1", "zimmo", "K8RS1", {}, []),
    ("hand-rijsel-3-2", "zimmo", "K8RS2", {}, []),
    (
        "hand-rijsel-3-2",
        "realtor:immo-vlaanderen-zuid",
        "9012",
        {"latitude": None, "longitude": None, "epc_kwh_m2": None},
        ["no_coords", "no_epc_score"],
    ),
]
for _box in ("1", "2", "3", "4"):
    _ADVERTS.append((f"hand-kortrijkse-80-{_box}", "immoweb", f"2161008{_box}", {}, []))
    _ADVERTS.append(
        (
            f"hand-kortrijkse-80-{_box}",
            "zimmo",
            f"K9NB{_box}",
            {"street": "Kortrijksestwg"},
            ["steenweg_abbrev"],
        )
    )

_URLS = {
    "immoweb": "https://www.immoweb.be/nl/zoekertje/te-huur/{pc}/{sid}",
    "zimmo": "https://www.zimmo.be/nl/te-huur/{pc}/{sid}/",
    "immoscoop": "https://www.immoscoop.be/te-huur/{pc}/{sid}",
    "immovlan": "https://immovlan.be/nl/detail/te-huur/{pc}/{sid}",
    "2dehands": "https://www.2dehands.be/v/huizen-en-immo/huizen-te-huur/{sid}",
}


def hand_cases() -> list[tuple[Listing, str, list[str]]]:
    """Return the hand-written hard cases as (listing, true dwelling, patterns)."""
    rows = []
    for home_id, source, sid, changes, patterns in _ADVERTS:
        facts = {**_HOMES[home_id], **changes}
        if facts.get("epc_label") is None and "epc_label" not in changes:
            facts["epc_label"] = epc_label(_HOMES[home_id]["epc_kwh_m2"])
        if facts["agency_name"] == "Particulier" and source == "immoweb":
            facts["agency_name"] = None
        noun = {"apartment": "Appartement", "house": "Woning", "studio": "Studio"}
        facts.setdefault("title", f"{noun[facts['property_type']]} te huur in {facts['locality']}")
        if source.startswith("realtor:"):
            url = f"https://www.{source.split(':', 1)[1]}.example/aanbod/{sid}"
        else:
            url = _URLS[source].format(pc=facts["postcode"], sid=sid)
        listing = Listing(
            source=source,
            source_id=sid,
            url=url,
            municipality=None,
            price_raw=None if facts["rent_eur"] is None else f"€ {facts['rent_eur']:.0f}",
            scraped_at=_SCRAPED,
            **facts,
        )
        rows.append((normalise_listing(listing), home_id, patterns))
    return rows


def _line(listing: Listing, label: str, patterns: list[str] | tuple[str, ...]) -> str:
    data = listing.model_dump(mode="json", exclude_none=True)
    if not data.get("image_urls"):
        data.pop("image_urls", None)
    row = {"true_dwelling": label, **data, "patterns": list(patterns)}
    return json.dumps(row, ensure_ascii=False)


def build() -> list[str]:
    """Return the lines of the labelled set (generated adverts, then the hand cases)."""
    data = synthetic_adverts(GENERATED, seed=SEED)
    lines = [_line(a.listing, a.true_dwelling, a.patterns) for a in data.adverts]
    lines += [_line(listing, label, patterns) for listing, label, patterns in hand_cases()]
    return lines


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the labelled set; print a short summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="fail when the file differs")
    args = parser.parse_args(argv)
    text = "\n".join(build()) + "\n"
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{args.out} differs from the generator's output")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines()]
    dwellings = Counter(row["true_dwelling"] for row in rows)
    print(
        f"wrote {len(rows)} adverts of {len(dwellings)} dwellings "
        f"({sum(c > 1 for c in dwellings.values())} on several adverts) to {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
