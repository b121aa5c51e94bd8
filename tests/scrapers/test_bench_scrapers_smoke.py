"""The scrapers benchmark runs end to end (figures are not asserted: timing lives in bench/)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from scrapers.extract import compiled_modules

ROOT = Path(__file__).resolve().parents[2]


def test_bench_scrapers_quick_mode_writes_its_report(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "bench_scrapers", ROOT / "bench" / "bench_scrapers.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "scrapers.json"
    assert module.main(["--quick", "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    assert set(report["extraction"]) == {
        "immoweb",
        "zimmo",
        "immoscoop",
        "immovlan",
        "2dehands",
        "realtor",
    }
    assert all(row["listings"] > 0 and row["ratio"] > 0 for row in report["extraction"].values())
    assert report["crawl"]["pages"] > 100
    assert set(report["targets"]) == {"extraction_ratio", "crawl_pages_per_s"}
    # the extractors measured are the installed ones; with compiled ones the source
    # tree's pure-Python extractors are measured beside them (the same rows)
    assert report["compiled"] == compiled_modules()
    assert report["targets"]["extraction_ratio"]["extractors"] == (
        "compiled" if report["compiled"] else "pure Python"
    )
    assert set(report["extraction_pure_python"]) == set(report["extraction"])
    assert all(row["ratio"] > 0 for row in report["extraction_pure_python"].values())
