"""Smoke test of bench/bench_matcher.py: it runs in --quick mode and writes its JSON report.

No timing is asserted: only that the script runs and reports every figure and target.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "bench_matcher.py"


@pytest.mark.slow
def test_bench_matcher_quick_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "results" / "matcher.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "evaluations/s" in done.stdout

    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["benchmark"] == "matcher"
    assert report["quick"] is True
    assert {"one_household", "one_by_one", "many_households", "targets", "machine"} <= set(report)
    assert report["one_household"]["listings"] > 0
    assert report["many_households"]["evaluations"] == (
        report["many_households"]["households"] * report["many_households"]["listings"]
    )
    for section in ("one_household", "one_by_one", "many_households"):
        assert report[section]["evaluations_per_s"] > 0
    assert set(report["targets"]) == {
        "vectorised_vs_one_by_one_one_household",
        "vectorised_vs_one_by_one_many_households",
        "one_household_100k_seconds",
    }
    for target in report["targets"].values():
        assert {"target", "value", "holds"} <= set(target)
    # The 1 s target is only judged on the full-size run.
    assert report["targets"]["one_household_100k_seconds"]["holds"] is None
