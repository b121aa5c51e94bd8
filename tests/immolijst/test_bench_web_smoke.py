"""Smoke test of bench/bench_web.py: the quick mode runs and writes its JSON."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_web.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_web", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_synthetic_adverts_are_seeded_and_distinct() -> None:
    bench = _load()
    first = bench.synthetic_adverts(50, seed=3)
    assert first == bench.synthetic_adverts(50, seed=3)
    assert len({(a.street, a.house_number) for a in first}) == 50
    more = bench.synthetic_adverts(10, seed=3, start=50)
    assert {a.source_id for a in more}.isdisjoint({a.source_id for a in first})


def test_quick_benchmark_writes_json(tmp_path: Path) -> None:
    bench = _load()
    out = tmp_path / "web.json"
    result = bench.main(["--quick", "--out", str(out)])
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == result
    assert written["dwellings"] >= 500
    assert written["rows_on_page"] == 25
    for key in ("page_s", "pdf_s", "baseline_shortlist_s", "baseline_weasyprint_s"):
        assert written[key] > 0
    assert written["page_target_met"] is None  # targets apply to the full size only
