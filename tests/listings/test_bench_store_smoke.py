from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from listings import _places

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_store.py"


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_store", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_synthetic_listings_are_seeded_and_mostly_w13() -> None:
    bench = load_bench()

    first = bench.synthetic_listings(200, seed=5)
    again = bench.synthetic_listings(200, seed=5)

    assert first == again
    assert len({lst.key for lst in first}) == 200
    in_w13 = sum(lst.postcode in _places.W13_POSTCODES for lst in first)
    assert in_w13 >= 150


def test_benchmark_runs_in_quick_mode_and_writes_json(tmp_path: Path) -> None:
    bench = load_bench()
    out = tmp_path / "results" / "store.json"

    result = bench.main(["--rows", "300", "--per-row", "20", "--out", str(out)])

    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(result))
    assert written["rows"] == 300
    assert written["per_row_transactions"]["rows"] == 20
    expected_w13 = sum(
        lst.postcode in _places.W13_POSTCODES for lst in bench.synthetic_listings(300)
    )
    assert written["batched"]["read_w13_rows"] == expected_w13
    assert written["batched"]["upsert_rows_per_s"] > 0
    assert isinstance(written["target_met"], bool)
