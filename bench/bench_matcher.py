"""Benchmark of the matcher: vectorised shortlist against evaluate() one by one.

    python bench/bench_matcher.py [--quick] [--out bench/results/matcher.json] [--seed 13]

Seeded synthetic W13 listings (a DataFrame with Listing columns: the 14 W13
municipalities' postcodes, rents 400-1400, a mix of property types, some EPC /
area / charges missing) are evaluated for:

1. one household x 100,000 listings with ``matcher.shortlist`` (vectorised: every
   listing fully evaluated and ranked, and the top ``--top`` evaluations built as
   the immolijst shows them);
2. ``matcher.evaluate`` one by one on a sample (2,000) of the same listings;
3. 1,000 households x 10,000 listings with ``shortlist`` (ranked frames, as the
   nightly job matches saved households), against ``evaluate`` one by one on a
   sample of those households and listings.

Rates are evaluations per second (listings x households / seconds). Targets: the
vectorised path at least 20 x the one-by-one path, and one household x 100,000
listings in under 1 s (on a 2-core machine). ``--quick`` shrinks every size so
the script runs in seconds (the 1 s target is then not applicable). A table is
printed and the figures with the targets are written as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from listings import LISTING_FIELDS, Listing, _places
from matcher._evaluation import evaluate
from matcher._household import Household, load_household
from matcher._parameters import load_parameters
from matcher._shortlist import shortlist

ON = date(2024, 6, 1)
TARGET_RATIO = 20.0
TARGET_ONE_HOUSEHOLD_S = 1.0
FULL = {"listings": 100_000, "sample": 2_000, "households": 1_000, "hh_listings": 10_000}
QUICK = {"listings": 2_000, "sample": 200, "households": 10, "hh_listings": 500}
SOURCES = ["immoweb", "zimmo", "immoscoop", "immovlan", "2dehands"]
TYPES = ["apartment", "house", "studio", "room", "other"]
TYPE_WEIGHTS = [0.55, 0.25, 0.1, 0.07, 0.03]
LABELS = ["A+", "A", "B", "C", "D", "E", "F"]
DEFAULT_OUT = Path(__file__).parent / "results" / "matcher.json"


def synthetic_listings(n: int, seed: int) -> pd.DataFrame:
    """``n`` seeded W13 listings as a DataFrame with Listing columns (unknown = NaN/None)."""
    rng = np.random.default_rng(seed)
    places = [
        (m, pc) for m in _places.W13_MUNICIPALITIES for pc in _places.municipality_postcodes(m)
    ]
    place = rng.integers(0, len(places), n)
    kinds = rng.choice(TYPES, n, p=TYPE_WEIGHTS)
    base_rent = {"apartment": 750, "house": 950, "studio": 550, "room": 420, "other": 700}
    raw_rent = np.array([base_rent[k] for k in kinds], dtype=float) + rng.normal(0, 170, n)
    rent = np.round(np.clip(raw_rent, 400.0, 1400.0), 0)
    bedrooms = np.where(np.isin(kinds, ["studio", "room"]), 0, rng.integers(1, 5, n).astype(float))
    area = np.round(
        np.where(kinds == "house", 90, np.where(kinds == "room", 16, 50))
        + bedrooms * rng.uniform(10, 25, n),
        0,
    )
    source = rng.choice(SOURCES, n)
    source_id = [f"B{i:07d}" for i in range(n)]
    frame = pd.DataFrame(
        {
            "source": source,
            "source_id": source_id,
            "url": [f"https://www.{s}.be/nl/{i}" for s, i in zip(source, source_id, strict=True)],
            "property_type": kinds,
            "rent_eur": rent,
            "charges_eur": np.where(rng.random(n) < 0.3, np.nan, rng.integers(0, 120, n)),
            "bedrooms": np.where(rng.random(n) < 0.1, np.nan, bedrooms),
            "living_area_m2": np.where(rng.random(n) < 0.2, np.nan, area),
            "epc_label": pd.Series(rng.choice(LABELS, n), dtype=object).where(
                rng.random(n) >= 0.25, None
            ),
            "postcode": [places[i][1] for i in place],
            "municipality": [places[i][0] for i in place],
            "floor": np.where(rng.random(n) < 0.4, np.nan, rng.integers(0, 5, n)),
            "elevator": pd.Series(rng.random(n) < 0.3, dtype=object).where(
                rng.random(n) >= 0.5, None
            ),
            "pets_allowed": pd.Series(rng.random(n) < 0.5, dtype=object).where(
                rng.random(n) >= 0.6, None
            ),
            "available_now": pd.Series(rng.random(n) < 0.6, dtype=object).where(
                rng.random(n) >= 0.2, None
            ),
        }
    )
    return frame


def to_listings(frame: pd.DataFrame) -> list[Listing]:
    """The rows of ``frame`` as Listing objects (the input of the one-by-one path)."""
    out = []
    for row in frame.to_dict("records"):
        data = {
            k: (v.item() if isinstance(v, np.generic) else v)
            for k, v in row.items()
            if k in LISTING_FIELDS and v is not None and not (isinstance(v, float) and v != v)
        }
        for key in ("bedrooms", "floor"):
            if key in data:
                data[key] = int(data[key])
        out.append(Listing(**data))
    return out


REFERENCE_HOUSEHOLD: dict[str, Any] = {
    "members": [
        {"role": "applicant", "birth_date": "1990-05-14"},
        {"role": "child", "birth_date": "2020-03-01", "sex": "f"},
        {"role": "child", "birth_date": "2022-09-10", "sex": "m"},
    ],
    "income": {
        "net_monthly": {"leefloon": 1741.29, "groeipakket": 463.72},
        "taxable_annual": 20895.48,
    },
    "situation": {"waiting_list_since": "2019-02-01", "leaving": "none"},
    "preferences": {"municipalities": [], "move_in_by": "2024-09-01"},
}


def synthetic_households(n: int, seed: int) -> list[Household]:
    """``n`` seeded households of 1-7 persons with varied incomes and situations."""
    rnd = random.Random(seed)
    households = []
    for _ in range(n):
        members: list[dict[str, Any]] = [
            {"role": "applicant", "birth_date": f"{rnd.randint(1950, 2002)}-03-01"}
        ]
        if rnd.random() < 0.4:
            members.append({"role": "partner", "birth_date": f"{rnd.randint(1950, 2002)}-06-01"})
        for _ in range(rnd.choice([0, 0, 1, 2, 2, 3, 5])):
            members.append(
                {
                    "role": "child",
                    "birth_date": f"{rnd.randint(2006, 2023)}-01-15",
                    "sex": rnd.choice(["f", "m"]),
                    "custody": rnd.choice(["full", "full", "shared"]),
                }
            )
        members[0]["disability"] = rnd.random() < 0.1
        wage = round(rnd.uniform(1000, 3500), 2)
        municipalities = rnd.sample(list(_places.W13_MUNICIPALITIES), rnd.choice([0, 0, 1, 3]))
        households.append(
            load_household(
                {
                    "members": members,
                    "income": {
                        "net_monthly": {"wage": wage},
                        "taxable_annual": None if rnd.random() < 0.05 else round(wage * 12.5, 2),
                    },
                    "situation": {
                        "waiting_list_since": None
                        if rnd.random() < 0.4
                        else f"{rnd.randint(2012, 2023)}-09-01",
                        "leaving": rnd.choice(["none", "none", "none", "unfit", "homeless", "svk"]),
                    },
                    "preferences": {
                        "municipalities": municipalities,
                        "pets": rnd.random() < 0.2,
                        "needs": ["ground_floor_or_elevator"] if rnd.random() < 0.1 else [],
                    },
                }
            )
        )
    return households


def best_time(func: Callable[[], object], repeat: int) -> float:
    """Fastest wall-clock time of ``repeat`` runs of ``func``, seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def run(quick: bool, seed: int, top: int) -> dict[str, Any]:
    """Run the three measurements and return the report (see the module docstring)."""
    sizes = QUICK if quick else FULL
    repeat = 1 if quick else 3
    params = load_parameters()
    household = load_household(REFERENCE_HOUSEHOLD)

    frame = synthetic_listings(sizes["listings"], seed)
    # Warm-up: parameter loading, caches, first-call imports.
    shortlist(household, frame.head(200), ON, limit=top, params=params).evaluations  # noqa: B018

    def one_household() -> None:
        result = shortlist(household, frame, ON, limit=top, params=params)
        result.evaluations  # noqa: B018 - build the top evaluations as the immolijst does

    one_s = best_time(one_household, repeat)
    one_rate = len(frame) / one_s

    sample = to_listings(frame.sample(n=min(sizes["sample"], len(frame)), random_state=seed))
    scalar_s = best_time(
        lambda: [evaluate(household, item, ON, params=params) for item in sample], 1
    )
    scalar_rate = len(sample) / scalar_s

    households = synthetic_households(sizes["households"], seed)
    hh_frame = synthetic_listings(sizes["hh_listings"], seed + 1)
    start = time.perf_counter()
    for member in households:
        shortlist(member, hh_frame, ON, params=params).frame  # noqa: B018
    many_s = time.perf_counter() - start
    many_evaluations = len(households) * len(hh_frame)
    many_rate = many_evaluations / many_s

    hh_sample = households[: max(1, min(20, len(households)))]
    per_household = max(1, sizes["sample"] // len(hh_sample))
    hh_items = to_listings(hh_frame.head(per_household))
    start = time.perf_counter()
    for member in hh_sample:
        for item in hh_items:
            evaluate(member, item, ON, params=params)
    many_scalar_s = time.perf_counter() - start
    many_scalar_rate = len(hh_sample) * len(hh_items) / many_scalar_s

    ratio_one = one_rate / scalar_rate
    ratio_many = many_rate / many_scalar_rate
    full_size = sizes["listings"] == FULL["listings"]
    return {
        "benchmark": "matcher",
        "quick": quick,
        "seed": seed,
        "date": ON.isoformat(),
        "machine": {
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "pandas": pd.__version__,
        },
        "one_household": {
            "listings": len(frame),
            "top_evaluations_built": top,
            "seconds": one_s,
            "evaluations_per_s": one_rate,
        },
        "one_by_one": {
            "evaluations": len(sample),
            "seconds": scalar_s,
            "evaluations_per_s": scalar_rate,
        },
        "ratio_one_household": ratio_one,
        "many_households": {
            "households": len(households),
            "listings": len(hh_frame),
            "evaluations": many_evaluations,
            "seconds": many_s,
            "evaluations_per_s": many_rate,
            "one_by_one_evaluations": len(hh_sample) * len(hh_items),
            "one_by_one_evaluations_per_s": many_scalar_rate,
            "ratio": ratio_many,
        },
        "targets": {
            "vectorised_vs_one_by_one_one_household": {
                "target": f">= {TARGET_RATIO:g}x",
                "value": ratio_one,
                "holds": ratio_one >= TARGET_RATIO,
            },
            "vectorised_vs_one_by_one_many_households": {
                "target": f">= {TARGET_RATIO:g}x",
                "value": ratio_many,
                "holds": ratio_many >= TARGET_RATIO,
            },
            "one_household_100k_seconds": {
                "target": f"< {TARGET_ONE_HOUSEHOLD_S:g} s for 100,000 listings (2 cores)",
                "value": one_s if full_size else None,
                "holds": one_s < TARGET_ONE_HOUSEHOLD_S if full_size else None,
            },
        },
    }


def print_table(report: dict[str, Any]) -> None:
    """Print the figures and targets as a plain-text table."""
    one, scalar, many = report["one_household"], report["one_by_one"], report["many_households"]
    rows = [
        (
            f"1 household x {one['listings']:,} (shortlist, top {one['top_evaluations_built']})",
            one["evaluations_per_s"],
            one["seconds"],
        ),
        (
            f"1 household, evaluate() one by one ({scalar['evaluations']:,})",
            scalar["evaluations_per_s"],
            scalar["seconds"],
        ),
        (
            f"{many['households']:,} households x {many['listings']:,} (shortlist)",
            many["evaluations_per_s"],
            many["seconds"],
        ),
        (
            f"  same, evaluate() one by one ({many['one_by_one_evaluations']:,})",
            many["one_by_one_evaluations_per_s"],
            None,
        ),
    ]
    print(f"matcher benchmark ({'quick' if report['quick'] else 'full'}, seed {report['seed']})")
    print(f"{'measurement':<58} {'evaluations/s':>15} {'seconds':>9}")
    for label, rate, seconds in rows:
        shown = "" if seconds is None else f"{seconds:9.3f}"
        print(f"{label:<58} {rate:15,.0f} {shown:>9}")
    for name, target in report["targets"].items():
        value = target["value"]
        shown = "n/a" if value is None else f"{value:,.2f}"
        holds = {True: "yes", False: "NO", None: "n/a"}[target["holds"]]
        print(f"target {name}: {target['target']}; measured {shown}; holds: {holds}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, runs in seconds")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON report path")
    parser.add_argument("--seed", type=int, default=13, help="seed of the synthetic data")
    parser.add_argument("--top", type=int, default=50, help="evaluations built for 1 household")
    args = parser.parse_args(argv)
    report = run(args.quick, args.seed, args.top)
    print_table(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
