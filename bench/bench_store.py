"""Benchmark of the listings store (SQLite file, the default backend).

Measures, in one run on this machine:

(a) batched upsert of N synthetic listings (default 100,000) into a fresh SQLite
    file store, inside one crawl run, then reading the active W13 listings back
    with ``listings.frame()``: rows/s for the upsert, the read and both together;
(b) one-transaction-per-row upserts of a sample (default 2,000 rows) into a
    separate fresh file: rows/s;

and reports the ratio a/b and whether the batched upsert reaches the target
(20,000 rows/s on a 2-core machine). Writes JSON (default
``bench/results/store.json``) and prints a short table.

    python bench/bench_store.py [--rows N] [--per-row M] [--out PATH] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy

from listings import Listing, _places
from listings._frame import frame
from listings._store import RunStatus, Store

TARGET_ROWS_PER_S = 20_000
DEFAULT_ROWS = 100_000
DEFAULT_PER_ROW = 2_000
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "store.json"

# Synthetic market: (property type, bedroom choices, monthly rent range EUR, area range m²).
_MARKET = (
    ("room", (0,), (330, 520), (12, 25)),
    ("studio", (0,), (480, 680), (25, 45)),
    ("apartment", (1, 2, 3), (620, 1_050), (45, 120)),
    ("house", (2, 3, 4), (820, 1_450), (90, 200)),
)
_MARKET_WEIGHTS = (1, 2, 5, 3)
# A tenth of the listings lie just outside W13, so the region filter has work to do.
_OUTSIDE_W13 = ("8800", "8900", "9000", "8000", "8870")
_STREETS = ("Doorniksestraat", "Kortrijksestraat", "Stationsstraat", "Marktplein", "Kerkstraat")
_SOURCES = ("zimmo", "immoweb", "immoscoop", "immovlan")


def synthetic_listings(n: int, seed: int = 13) -> list[Listing]:
    """Return ``n`` valid listings drawn with a seeded RNG (same seed, same listings)."""
    rng = random.Random(seed)
    w13 = sorted(_places.W13_POSTCODES)
    scraped = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)
    listings: list[Listing] = []
    for i in range(n):
        kind, bedrooms, (rent_lo, rent_hi), (area_lo, area_hi) = rng.choices(
            _MARKET, _MARKET_WEIGHTS
        )[0]
        postcode = rng.choice(_OUTSIDE_W13) if rng.random() < 0.1 else rng.choice(w13)
        rent = float(rng.randrange(rent_lo, rent_hi, 5))
        charges = float(rng.choice((0, 25, 40, 60, 90)))
        source = _SOURCES[i % len(_SOURCES)]
        listings.append(
            Listing(
                source=source,
                source_id=str(10_000_000 + i),
                url=f"https://www.{source}.be/nl/te-huur/{10_000_000 + i}",
                title=f"{kind.capitalize()} te huur",
                description="Lichtrijk en rustig gelegen. " * rng.randint(2, 10),
                property_type=kind,
                rent_eur=rent,
                charges_eur=charges,
                price_raw=f"€ {rent:.0f} (+ € {charges:.0f})",
                bedrooms=rng.choice(bedrooms),
                living_area_m2=float(rng.randint(area_lo, area_hi)),
                epc_kwh_m2=float(rng.randint(60, 550)),
                street=rng.choice(_STREETS),
                house_number=str(rng.randint(1, 250)),
                postcode=postcode,
                municipality=_places.municipality_of(postcode),
                available_from=date(2026, 2, 1) + timedelta(days=rng.randint(0, 90)),
                garden=rng.random() < 0.4,
                terrace=rng.random() < 0.5,
                image_urls=[
                    f"https://img.example.be/{i}/{k}.jpg" for k in range(rng.randint(1, 6))
                ],
                published_at=scraped - timedelta(days=rng.randint(0, 60)),
                scraped_at=scraped,
            )
        )
    return listings


def _batched(listings: Sequence[Listing], db: Path) -> dict[str, float]:
    with Store(f"sqlite:///{db}") as store:
        by_source: dict[str, list[Listing]] = {}
        for listing in listings:
            by_source.setdefault(listing.source, []).append(listing)
        c0, t0 = time.process_time(), time.perf_counter()
        for source, batch in by_source.items():
            run = store.start_run(source)
            store.upsert(batch, run_id=run)
            store.finish_run(run, RunStatus.COMPLETE)
        c1, t1 = time.process_time(), time.perf_counter()
        active_w13 = frame(store, region="w13")
        c2, t2 = time.process_time(), time.perf_counter()
    return {
        "upsert_s": t1 - t0,
        "upsert_cpu_s": c1 - c0,
        "read_s": t2 - t1,
        "read_cpu_s": c2 - c1,
        "w13_rows": float(len(active_w13)),
    }


def _per_row(listings: Sequence[Listing], db: Path) -> float:
    with Store(f"sqlite:///{db}") as store:
        t0 = time.perf_counter()
        for listing in listings:
            store.upsert([listing])  # one transaction per row
        return time.perf_counter() - t0


def run_benchmark(rows: int, per_row: int, seed: int, workdir: Path) -> dict[str, Any]:
    """Run both measurements and return the figures as a JSON-able dict."""
    listings = synthetic_listings(rows, seed)
    batched = _batched(listings, workdir / "batched.sqlite3")
    sample = listings[: min(per_row, rows)]
    per_row_s = _per_row(sample, workdir / "per_row.sqlite3")
    upsert_rate = rows / batched["upsert_s"]
    per_row_rate = len(sample) / per_row_s
    return {
        "benchmark": "store",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 2),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "sqlalchemy": sqlalchemy.__version__,
            "sqlite": sqlite3.sqlite_version,
        },
        "rows": rows,
        "seed": seed,
        "batched": {
            "upsert_seconds": round(batched["upsert_s"], 4),
            "upsert_rows_per_s": round(upsert_rate, 1),
            "upsert_cpu_seconds": round(batched["upsert_cpu_s"], 4),
            "upsert_rows_per_cpu_s": round(rows / batched["upsert_cpu_s"], 1),
            "read_w13_seconds": round(batched["read_s"], 4),
            "read_w13_rows": int(batched["w13_rows"]),
            "read_w13_rows_per_s": round(batched["w13_rows"] / batched["read_s"], 1),
            "read_w13_cpu_seconds": round(batched["read_cpu_s"], 4),
            "upsert_and_read_rows_per_s": round(
                rows / (batched["upsert_s"] + batched["read_s"]), 1
            ),
        },
        "per_row_transactions": {
            "rows": len(sample),
            "seconds": round(per_row_s, 4),
            "rows_per_s": round(per_row_rate, 1),
        },
        "ratio_batched_to_per_row": round(upsert_rate / per_row_rate, 2),
        "target_rows_per_s": TARGET_ROWS_PER_S,
        "target_met": upsert_rate >= TARGET_ROWS_PER_S,
    }


def _table(result: dict[str, Any]) -> str:
    b, p = result["batched"], result["per_row_transactions"]
    lines = [
        f"store benchmark: {result['rows']:,} rows, {result['machine']['cpus']} cpus,"
        f" load {result['machine']['load_average_1min']}",
        f"  batched upsert          {b['upsert_rows_per_s']:>12,.0f} rows/s"
        f"  ({b['upsert_rows_per_cpu_s']:,.0f} per CPU second)",
        f"  read active W13 (frame) {b['read_w13_rows_per_s']:>12,.0f} rows/s"
        f"  ({b['read_w13_rows']:,} rows)",
        f"  upsert + read           {b['upsert_and_read_rows_per_s']:>12,.0f} rows/s",
        f"  one transaction per row {p['rows_per_s']:>12,.0f} rows/s  ({p['rows']:,} rows)",
        f"  ratio batched/per-row   {result['ratio_batched_to_per_row']:>12,.1f} x",
        f"  target {result['target_rows_per_s']:,} rows/s: "
        + ("met" if result["target_met"] else "NOT met"),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="listings to upsert")
    parser.add_argument(
        "--per-row", type=int, default=DEFAULT_PER_ROW, help="rows for the per-row baseline"
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON file to write")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.per_row < 1:
        parser.error("--rows and --per-row must be at least 1")
    with tempfile.TemporaryDirectory(prefix="immolijst-bench-") as tmp:
        result = run_benchmark(args.rows, args.per_row, args.seed, Path(tmp))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(_table(result))
    print(f"written to {args.out}")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
