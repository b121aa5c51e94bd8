"""The scenario plugin (tests/matcher/conftest.py) itself: it collects, passes, fails with a diff.

The plugin is copied with two scenario files into a temporary tree and pytest runs
there in a subprocess, so the real suite is not touched.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).with_name("conftest.py")

SCENARIO = """
- name: {name}
  description: Single adult in Kuurne, 5 years on the list; the 2024 cap 177.76 binds.
  date: 2024-06-01
  household:
    members: [{{role: applicant, birth_date: 1980-01-01}}]
    income: {{net_monthly: {{wage: 1600}}, taxable_annual: 18000}}
    situation: {{waiting_list_since: 2019-01-01, leaving: none}}
  listing: {{property_type: apartment, rent_eur: 600, charges_eur: 50, epc_label: B,
            living_area_m2: 60, bedrooms: 1, postcode: "8520", municipality: Kuurne}}
  expect:
    allowances:
      huurpremie: {{eligible: true, monthly_eur: {amount}, failed_condition: {failed}}}
    verdict: {verdict}
"""


def run_pytest(tmp_path: Path, files: dict[str, str]) -> subprocess.CompletedProcess[str]:
    folder = tmp_path / "tests" / "matcher"
    (folder / "scenarios").mkdir(parents=True)
    shutil.copy(CONFTEST, folder / "conftest.py")
    for name, text in files.items():
        (folder / "scenarios" / name).write_text(text, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(folder)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_plugin_collects_one_item_per_scenario_and_reports_a_diff(tmp_path: Path) -> None:
    good = SCENARIO.format(name="right", amount=177.76, failed="null", verdict="amber")
    bad = SCENARIO.format(name="wrong", amount=180.00, failed="rent", verdict="green")
    done = run_pytest(tmp_path, {"cases.yaml": good + bad})
    out = done.stdout
    assert done.returncode == 1, out
    assert "1 failed, 1 passed" in out
    assert "cases.yaml::wrong" in out
    assert "allowances.huurpremie.monthly_eur: expected 180.0, actual 177.76" in out
    assert "allowances.huurpremie.failed_condition: expected ['rent'], actual []" in out
    assert "verdict: expected 'green', actual 'amber'" in out


@pytest.mark.slow
def test_plugin_rejects_a_badly_written_scenario(tmp_path: Path) -> None:
    text = SCENARIO.format(name="typo", amount=177.76, failed="null", verdict="amber")
    done = run_pytest(tmp_path, {"typo.yaml": text.replace("expect:", "expected:")})
    assert done.returncode != 0
    assert "unknown keys ['expected'], missing keys ['expect']" in done.stdout
