"""Benchmark of cross-source dedup: our linker against splink (DuckDB) on the same data.

Data: ``N`` (default 100,000) synthetic adverts with known true dwellings from
the seeded generator :func:`listings._synthetic.synthetic_adverts` (the
patterns of the labelled set: St./Sint-, str./stwg, missing box or number,
rounded or updated rents, areas a few m² apart, missing EPC, jittered or
missing coordinates, re-listings; and the hard negatives: flats in one
building, identical new-build units, neighbouring houses), plus ``M``
(default 1,000) more adverts of the same run for the incremental link.

Measured in one run:

1. full link: :func:`listings._dedupe.cluster` on the ``N`` adverts: wall
   time, pairwise precision/recall/F1, and peak memory as the peak of the
   Python heap traced by ``tracemalloc`` during a second, untimed run of the
   same link (the input adverts are allocated before tracing starts, so they
   are not counted);
2. incremental link: a :class:`listings._dedupe.Linker` holding the ``N``
   adverts, then ``add`` of the ``M`` new ones: wall time of that ``add``
   (target < 2 s), and F1 over all ``N + M`` adverts;
3. splink 5 with the DuckDB backend on the same ``N`` adverts: blocking on
   postcode + normalised street and on postcode + rounded coordinates (as
   ours), comparisons on street, house number and box (exact), rent and area
   (tolerance levels), bedrooms, EPC score and label, agency (exact) and
   title (Jaro-Winkler); u by random sampling, m by EM on two blocking rules,
   predict with a match threshold, connected-components clustering: wall
   time of the whole (training included) and F1. Peak memory of splink is the
   growth of the process's ``ru_maxrss`` (DuckDB allocates outside Python).

Targets: our F1 >= splink's, our full link faster than splink's, the
incremental link of ``M`` adverts under 2 s. Writes JSON (default
``bench/results/dedupe.json``) and prints a table.

    python bench/bench_dedupe.py [--adverts N] [--new M] [--quick] [--no-splink]
                                 [--out PATH] [--seed S]
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import platform
import resource
import sys
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from listings import Listing
from listings._dedupe import Linker, cluster, normalise_street
from listings._dedupe_eval import pairwise_metrics
from listings._synthetic import synthetic_adverts

DEFAULT_ADVERTS = 100_000
DEFAULT_NEW = 1_000
QUICK_ADVERTS = 2_000
QUICK_NEW = 100
INCREMENTAL_TARGET_S = 2.0
SPLINK_MATCH_PROBABILITY = 0.9
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "dedupe.json"


def _maxrss_mb() -> float:
    # Linux reports kilobytes, macOS bytes.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _scores(predicted: Sequence[Any], labels: Sequence[str]) -> dict[str, float | int]:
    result = pairwise_metrics(predicted, labels)
    return {k: result[k] for k in ("precision", "recall", "f1", "predicted_dwellings")}


def full_link(listings: Sequence[Listing], labels: Sequence[str]) -> dict[str, Any]:
    """Time :func:`cluster` on every advert, then trace its peak heap in a second run."""
    gc.collect()
    t0 = time.perf_counter()
    predicted = cluster(listings)
    seconds = time.perf_counter() - t0
    gc.collect()
    tracemalloc.start()
    cluster(listings)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": seconds,
        "adverts_per_s": len(listings) / seconds if seconds else None,
        "peak_memory_mb": peak / 2**20,
        "memory_method": "tracemalloc peak of the Python heap during a second, untimed run",
        **_scores(predicted, labels),
    }


def incremental_link(
    old: Sequence[Listing], new: Sequence[Listing], labels: Sequence[str]
) -> dict[str, Any]:
    """Load ``old`` into a :class:`Linker`, then time ``add`` of ``new``."""
    linker = Linker()
    t0 = time.perf_counter()
    linker.add(old, ids=list(range(len(old))))
    build = time.perf_counter() - t0
    gc.collect()
    t1 = time.perf_counter()
    decisions = linker.add(new, ids=list(range(len(old), len(old) + len(new))))
    seconds = time.perf_counter() - t1
    clusters = linker.clusters()
    predicted = [clusters[i] for i in range(len(old) + len(new))]
    return {
        "existing_adverts": len(old),
        "new_adverts": len(new),
        "build_seconds": build,
        "seconds": seconds,
        "decisions": len(decisions),
        "target_s": INCREMENTAL_TARGET_S,
        "target_met": seconds < INCREMENTAL_TARGET_S,
        **_scores(predicted, labels),
    }


def splink_frame(listings: Sequence[Listing]) -> pd.DataFrame:
    """Return the adverts as the table splink links (one row per advert, ``unique_id`` = index)."""
    rows = []
    for index, lst in enumerate(listings):
        rows.append(
            {
                "unique_id": index,
                "postcode": lst.postcode,
                "street": normalise_street(lst.street),
                "house_number": (lst.house_number or "").upper() or None,
                "box": lst.box,
                "rent": lst.rent_eur,
                "area": lst.living_area_m2,
                "bedrooms": lst.bedrooms,
                "epc": lst.epc_kwh_m2,
                "epc_label": lst.epc_label,
                "agency": (lst.agency_name or "").lower().strip() or None,
                "title": (lst.title or "").lower() or None,
                # About 110 m by 70 m cells: the "rounded coordinates" blocking key.
                "lat_cell": None if lst.latitude is None else round(lst.latitude, 3),
                "lon_cell": None if lst.longitude is None else round(lst.longitude, 3),
            }
        )
    return pd.DataFrame(rows)


def splink_link(
    listings: Sequence[Listing], labels: Sequence[str], seed: int, *, keep: bool = False
) -> dict[str, Any]:
    """Train, predict and cluster with splink (DuckDB); return time, F1 and versions.

    With ``keep`` the result also holds the cluster of each advert (``"predicted"``).
    """
    import duckdb
    import splink
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def tolerance(column: str, levels: Sequence[tuple[str, str]]) -> cl.CustomComparison:
        return cl.CustomComparison(
            comparison_levels=[
                cll.NullLevel(column),
                cll.ExactMatchLevel(column),
                *[cll.CustomLevel(sql, label) for sql, label in levels],
                cll.ElseLevel(),
            ],
            output_column_name=column,
        )

    rent_levels = [
        ("abs(rent_l - rent_r) <= 0.02 * greatest(rent_l, rent_r)", "within 2%"),
        ("abs(rent_l - rent_r) <= 0.07 * greatest(rent_l, rent_r)", "within 7%"),
    ]
    area_levels = [
        ("abs(area_l - area_r) <= 2", "within 2 m2"),
        ("abs(area_l - area_r) <= 6", "within 6 m2"),
    ]
    # Street number and box as one comparison: a different number or box is a different
    # home (m fixed low, as a splink user encodes what EM cannot learn from unlabelled data).
    address = cl.CustomComparison(
        comparison_levels=[
            cll.NullLevel("house_number"),
            cll.CustomLevel(
                "house_number_l = house_number_r AND box_l = box_r", "same number and box"
            ),
            cll.CustomLevel(
                "house_number_l = house_number_r AND box_l IS NULL AND box_r IS NULL",
                "same number, no box",
            ),
            cll.CustomLevel(
                "house_number_l = house_number_r AND (box_l IS NULL OR box_r IS NULL)",
                "same number, one box missing",
            ),
            cll.CustomLevel("house_number_l = house_number_r", "same number, other box").configure(
                m_probability=1e-9, fix_m_probability=True
            ),
            cll.ElseLevel().configure(m_probability=1e-6, fix_m_probability=True),
        ],
        output_column_name="address",
    )
    frame = splink_frame(listings)
    rss0 = _maxrss_mb()
    t0 = time.perf_counter()
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("postcode", "street"),
            block_on("postcode", "lat_cell", "lon_cell"),
        ],
        comparisons=[
            cl.ExactMatch("street"),
            address,
            tolerance("rent", rent_levels),
            tolerance("area", area_levels),
            cl.ExactMatch("bedrooms"),
            # A home's EPC score is the same on every portal that shows it.
            cl.CustomComparison(
                comparison_levels=[
                    cll.NullLevel("epc"),
                    cll.ExactMatchLevel("epc"),
                    cll.ElseLevel().configure(m_probability=0.01, fix_m_probability=True),
                ],
                output_column_name="epc",
            ),
            cl.ExactMatch("epc_label"),
            cl.ExactMatch("agency"),
            cl.JaroWinklerAtThresholds("title", [0.9, 0.7]),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI(connection=duckdb.connect())
    linker = Linker(db_api.register(frame), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("postcode", "street", "house_number", "box", "rent")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode", "street"), record_sample_proportion=1.0
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode", "bedrooms", "rent"), record_sample_proportion=1.0
    )
    predictions = linker.inference.predict(threshold_match_probability=SPLINK_MATCH_PROBABILITY / 2)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=SPLINK_MATCH_PROBABILITY
    )
    table = clusters.as_pandas_dataframe()
    seconds = time.perf_counter() - t0
    by_id = dict(zip(table["unique_id"], table["cluster_id"], strict=True))
    predicted = [by_id.get(i, f"single-{i}") for i in range(len(listings))]
    extra = {"predicted": predicted} if keep else {}
    return {
        **extra,
        "ran": True,
        "version": splink.__version__,
        "duckdb_version": duckdb.__version__,
        "seconds": seconds,
        "adverts_per_s": len(listings) / seconds if seconds else None,
        "peak_memory_mb": max(0.0, _maxrss_mb() - rss0),
        "memory_method": "growth of the process's ru_maxrss during the run (lower bound)",
        "match_probability_threshold": SPLINK_MATCH_PROBABILITY,
        **_scores(predicted, labels),
    }


def _table(result: dict[str, Any]) -> str:
    ours, inc, spl = result["ours_full"], result["ours_incremental"], result["splink"]

    def cell(value: Any, fmt: str) -> str:
        return "-" if value is None else format(value, fmt)

    lines = [
        f"{'system':<28}{'seconds':>10}{'precision':>11}{'recall':>9}{'F1':>8}{'peak MB':>9}",
        f"{'ours: full link (cluster)':<28}{ours['seconds']:>10.2f}{ours['precision']:>11.4f}"
        f"{ours['recall']:>9.4f}{ours['f1']:>8.4f}{ours['peak_memory_mb']:>9.1f}",
        f"{'ours: add ' + str(inc['new_adverts']) + ' to Linker':<28}{inc['seconds']:>10.3f}"
        f"{inc['precision']:>11.4f}{inc['recall']:>9.4f}{inc['f1']:>8.4f}{'-':>9}",
    ]
    if spl.get("ran"):
        lines.append(
            f"{'splink ' + spl['version'] + ' (DuckDB)':<28}{spl['seconds']:>10.2f}"
            f"{spl['precision']:>11.4f}{spl['recall']:>9.4f}{spl['f1']:>8.4f}"
            f"{cell(spl['peak_memory_mb'], '9.1f'):>9}"
        )
    else:
        lines.append(f"{'splink':<28} not run: {spl['reason']}")
    lines.append("")
    for name, target in result["targets"].items():
        state = "n/a" if target["met"] is None else "yes" if target["met"] else "NO"
        lines.append(f"target {name:<34} {state:>4}   {target['detail']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, write the JSON result and print a table; return the result."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--adverts", type=int, default=None, help="adverts for the full link")
    parser.add_argument("--new", type=int, default=None, help="adverts added incrementally")
    parser.add_argument("--quick", action="store_true", help="small sizes, for the smoke test")
    parser.add_argument("--no-splink", action="store_true", help="skip the splink baseline")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    n = args.adverts or (QUICK_ADVERTS if args.quick else DEFAULT_ADVERTS)
    m = args.new or (QUICK_NEW if args.quick else DEFAULT_NEW)

    t0 = time.perf_counter()
    data = synthetic_adverts(n + m, seed=args.seed)
    generate_s = time.perf_counter() - t0
    listings, labels = data.listings, data.labels
    old, old_labels = listings[:n], labels[:n]

    _progress(f"generated {n + m} adverts in {generate_s:.1f} s")
    ours = full_link(old, old_labels)
    _progress(f"full link: {ours['seconds']:.1f} s, F1 {ours['f1']:.4f}")
    incremental = incremental_link(old, listings[n:], labels)
    _progress(f"incremental add of {m}: {incremental['seconds']:.3f} s")
    if args.no_splink:
        spl: dict[str, Any] = {"ran": False, "reason": "disabled with --no-splink"}
    else:
        try:
            spl = splink_link(old, old_labels, args.seed)
        except ImportError as exc:
            spl = {"ran": False, "reason": f"splink is not installed ({exc.name})"}

    ran = bool(spl.get("ran"))
    result: dict[str, Any] = {
        "benchmark": "dedupe",
        "adverts": n,
        "new_adverts": m,
        "true_dwellings": len(set(old_labels)),
        "seed": args.seed,
        "generate_seconds": generate_s,
        "ours_full": ours,
        "ours_incremental": incremental,
        "splink": spl,
        "speedup_vs_splink": spl["seconds"] / ours["seconds"] if ran and ours["seconds"] else None,
        "targets": {
            "F1 at least splink's": {
                "met": ours["f1"] >= spl["f1"] if ran else None,
                "detail": f"{ours['f1']:.4f} vs {spl['f1']:.4f}" if ran else "splink not run",
            },
            "full link faster than splink": {
                "met": ours["seconds"] < spl["seconds"] if ran else None,
                "detail": f"{ours['seconds']:.2f} s vs {spl['seconds']:.2f} s"
                if ran
                else "splink not run",
            },
            f"incremental add of {m} < {INCREMENTAL_TARGET_S:g} s": {
                "met": incremental["target_met"],
                "detail": f"{incremental['seconds']:.3f} s",
            },
        },
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(_table(result))
    print(f"\nwrote {args.out}")
    return result


if __name__ == "__main__":
    main()
