"""Alarm rules on synthetic metric histories (no crawl, no database)."""

from __future__ import annotations

import json

import pytest

from immolijst.nightly import Alarm, SourceMetrics, evaluate_alarms, latest_alarms
from immolijst.nightly._monitor import (
    COVERAGE_MIN,
    HISTORY_RUNS,
    compare_with_history,
)

FULL = {"rent_eur": 1.0, "postcode": 1.0}


def metrics(seen: int = 40, status: str = "complete", **kw: object) -> SourceMetrics:
    values: dict[str, object] = {"coverage": FULL, **kw}
    return SourceMetrics(source="zimmo", status=status, seen=seen, **values)  # type: ignore[arg-type]


def kinds(alarms: list[Alarm]) -> list[str]:
    return [a.kind for a in alarms]


def test_a_steady_source_raises_nothing() -> None:
    assert evaluate_alarms([metrics(38)], {"zimmo": [metrics(40)] * 7}) == []


def test_a_drop_to_less_than_half_of_the_median_raises_count_drop() -> None:
    history = [metrics(n) for n in (40, 42, 38, 41, 39, 40, 43)]
    (alarm,) = evaluate_alarms([metrics(19)], {"zimmo": history})
    assert alarm.kind == "count_drop"
    assert alarm.source == "zimmo"
    assert alarm.details["median_seen"] == 40
    assert "minder dan de helft" in alarm.message


def test_exactly_half_of_the_median_is_no_drop() -> None:
    assert evaluate_alarms([metrics(20)], {"zimmo": [metrics(40)] * 3}) == []


def test_the_median_uses_only_the_last_seven_complete_runs() -> None:
    # Newest first: seven runs around 10, then many old runs around 100.
    history = [metrics(10)] * HISTORY_RUNS + [metrics(100)] * 20
    assert compare_with_history(metrics(6), history)["median"]["seen"] == 10
    assert evaluate_alarms([metrics(6)], {"zimmo": history}) == []


def test_partial_and_failed_runs_do_not_count_in_the_median() -> None:
    history = [metrics(0, status="partial"), metrics(0, status="failed"), metrics(40)]
    comparison = compare_with_history(metrics(30), history)
    assert comparison["runs"] == 1
    assert comparison["median"]["seen"] == 40


def test_no_history_raises_no_count_drop() -> None:
    assert evaluate_alarms([metrics(1)], {}) == []


@pytest.mark.parametrize("field", ["rent_eur", "postcode"])
def test_coverage_of_rent_or_postcode_below_ninety_percent_raises_coverage(field: str) -> None:
    low = {**FULL, field: COVERAGE_MIN - 0.01}
    (alarm,) = evaluate_alarms([metrics(coverage=low)], {})
    assert alarm.kind == "coverage"
    assert alarm.details["field"] == field


def test_coverage_at_ninety_percent_and_of_other_fields_raises_nothing() -> None:
    coverage = {"rent_eur": COVERAGE_MIN, "postcode": 1.0, "epc": 0.1}
    assert evaluate_alarms([metrics(coverage=coverage)], {}) == []


def test_a_blocked_source_raises_blocked_only() -> None:
    blocked = metrics(3, status="partial", challenge="DataDome block (HTTP 403)")
    alarms = evaluate_alarms([blocked], {"zimmo": [metrics(40)] * 7})
    assert kinds(alarms) == ["blocked"]
    assert "geblokkeerd" in alarms[0].message


def test_failed_and_partial_sources_raise_their_alarm() -> None:
    failed = SourceMetrics(source="immovlan", status="failed")
    partial = SourceMetrics(source="realtor", status="partial", seen=2, reasons=["1 page failed"])
    assert kinds(evaluate_alarms([failed, partial], {})) == ["source_failed", "source_partial"]


def test_metrics_read_from_a_crawler_summary_round_trip_through_json() -> None:
    counts = {
        "pages": 8,
        "seen": 6,
        "new": 1,
        "dropped": {"sale": 2, "project": 1},
        "coverage": {"rent_eur": 0.5, "postcode": 1.0},
        "duration_s": 0.7,
        "challenge": "DataDome",
        "gone": 0,
        "reasons": ["bot challenge"],
    }
    m = SourceMetrics.from_summary("immoweb", "partial", 7, counts)
    assert (m.pages, m.seen, m.dropped_total, m.blocked, m.run_id) == (8, 6, 3, True, 7)
    again = SourceMetrics.from_dict(json.loads(json.dumps(m.to_dict())))
    assert again == m


def test_latest_alarms_of_an_empty_database_is_empty(tmp_path: object) -> None:
    assert latest_alarms(f"sqlite:///{tmp_path}/empty.sqlite3") == []
