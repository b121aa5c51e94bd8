"""The dedup benchmark runs in quick mode, writes its JSON and scores with the real metrics."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pandas as pd

from listings._synthetic import synthetic_adverts

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_dedupe.py"


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_dedupe", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_quick_mode_writes_json_with_both_link_modes(tmp_path: Path) -> None:
    bench = load_bench()
    out = tmp_path / "results" / "dedupe.json"

    result = bench.main(["--quick", "--no-splink", "--out", str(out)])

    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(result))
    assert written["adverts"] == bench.QUICK_ADVERTS
    assert written["ours_incremental"]["new_adverts"] == bench.QUICK_NEW
    assert written["ours_incremental"]["existing_adverts"] == bench.QUICK_ADVERTS
    assert 0.0 <= written["ours_full"]["f1"] <= 1.0
    assert written["ours_full"]["peak_memory_mb"] > 0
    assert "tracemalloc" in written["ours_full"]["memory_method"]
    assert written["splink"] == {"ran": False, "reason": "disabled with --no-splink"}
    targets = written["targets"]
    assert targets["F1 at least splink's"]["met"] is None
    assert isinstance(targets[f"incremental add of {bench.QUICK_NEW} < 2 s"]["met"], bool)


def test_splink_frame_has_one_row_per_advert_with_normalised_blocking_keys() -> None:
    bench = load_bench()
    data = synthetic_adverts(120, seed=2)

    frame = bench.splink_frame(data.listings)

    assert list(frame["unique_id"]) == list(range(120))
    for row, listing in zip(frame.itertuples(), data.listings, strict=True):
        assert row.postcode == listing.postcode
        assert (row.box == listing.box) or (pd.isna(row.box) and listing.box is None)
        if listing.latitude is None:
            assert pd.isna(row.lat_cell)
        else:
            assert abs(row.lat_cell - listing.latitude) <= 0.0005 + 1e-9
    abbreviated = [
        (row.street, adv.listing.street)
        for row, adv in zip(frame.itertuples(), data.adverts, strict=True)
        if "straat_abbrev" in adv.patterns
    ]
    assert abbreviated
    assert all(street.endswith("straat") for street, _ in abbreviated)
