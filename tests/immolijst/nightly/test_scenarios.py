"""Replayed nightly runs from the recordings, on SQLite and PostgreSQL.

(1) a normal run; (2) a run where a source is blocked (challenge page): none of
its adverts is marked gone; (3) an advert gone from a healthy source is marked
gone and kept in history; (4) a price drop that makes a dwelling a match for a
saved household appears as a new match (badge and mail digest, without income).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from immolijst.nightly import (
    EXIT_ALARMS,
    EXIT_OK,
    NightlyReport,
    latest_alarms,
    mark_matches_seen,
    new_match_count,
    run_nightly,
)
from immolijst.nightly._tables import household_matches, nightly_runs
from immolijst.settings import Settings
from immolijst.web.db import AppDB
from listings import Listing, RunStatus, Store
from listings._dwelling_schema import dwelling_links
from listings._dwellings import dwelling_of
from listings._schema import listings_table
from matcher import evaluate, format_eur, load_household
from scrapers.run import RECORDINGS_DIR

DAY1 = RECORDINGS_DIR / "2026-11-20"
DAY2 = RECORDINGS_DIR / "2026-11-21"
BLOCKED = RECORDINGS_DIR / "2026-11-22-blocked"
ON = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)


def nightly(
    settings: Settings, replay: Path, sources: list[str] | None = None, **kw: Any
) -> NightlyReport:
    return run_nightly(settings, replay_dir=replay, sources=sources, now=ON, environ={}, **kw)


def unlinked_active(url: str) -> int:
    """Active adverts without a dwelling."""
    t, links = listings_table, dwelling_links
    with Store(url) as store, store.engine.connect() as conn:
        query = (
            sa.select(sa.func.count())
            .select_from(t.outerjoin(links, links.c.listing_id == t.c.id))
            .where(t.c.gone_at.is_(None), links.c.id.is_(None))
        )
        return int(conn.execute(query).scalar_one())


def stored_report(url: str, run_id: int) -> tuple[str, dict[str, Any]]:
    with Store(url) as store, store.engine.connect() as conn:
        row = conn.execute(
            sa.select(nightly_runs.c.status, nightly_runs.c.report).where(
                nightly_runs.c.id == run_id
            )
        ).one()
    return row.status, json.loads(row.report)


def test_a_normal_run_crawls_every_source_links_dwellings_and_reports(settings: Settings) -> None:
    report = nightly(settings, DAY1)

    assert report.status == "complete"
    assert report.exit_code == EXIT_OK
    assert report.alarms == []
    assert {m.source for m in report.sources} == {
        "immoweb", "zimmo", "immoscoop", "immovlan", "2dehands", "realtor",
    }  # fmt: skip
    assert all(m.status == "complete" and m.seen > 0 and m.pages > 0 for m in report.sources)
    url = settings.database_url
    with Store(url) as store:
        assert store.count(active=None) == sum(m.seen for m in report.sources)
        assert store.count(active=False) == 0
        assert {r.status for r in store.runs()} == {RunStatus.COMPLETE}
    assert report.dedupe is not None
    assert report.dedupe["active_dwellings"] > 0
    assert unlinked_active(url) == 0
    status, stored = stored_report(url, report.run_id or 0)
    assert status == "complete"
    assert stored["exit_code"] == EXIT_OK
    assert {s["source"] for s in stored["sources"]} == {m.source for m in report.sources}
    assert all("coverage" in s and "duration_s" in s for s in stored["sources"])
    assert latest_alarms(url) == []


def test_a_blocked_source_marks_nothing_gone_and_raises_an_alarm(settings: Settings) -> None:
    url = settings.database_url
    first = nightly(settings, DAY1, ["immoweb"])
    assert first.exit_code == EXIT_OK
    with Store(url) as store:
        before = store.count(source="immoweb")

    report = nightly(settings, BLOCKED, ["immoweb"])

    assert report.status == "partial"
    assert report.exit_code == EXIT_ALARMS
    assert [(a.kind, a.source) for a in report.alarms] == [("blocked", "immoweb")]
    with Store(url) as store:
        assert store.count(source="immoweb", active=True) == before
        assert store.count(source="immoweb", active=False) == 0
        last = store.last_run("immoweb")
        assert last is not None
        assert last.status is RunStatus.PARTIAL
        assert last.gone_marked == 0
    alarms = latest_alarms(url)
    assert [(a.kind, a.source, a.run_id) for a in alarms] == [("blocked", "immoweb", report.run_id)]
    assert "geblokkeerd" in alarms[0].message
    status, stored = stored_report(url, report.run_id or 0)
    assert status == "partial"
    assert stored["alarms"][0]["kind"] == "blocked"


def _edge_income() -> float:
    """A wage for which the immoweb flat 21500001 is red at € 715 and a match at € 695."""
    flat = {
        "source": "immoweb",
        "source_id": "21500001",
        "url": "https://www.immoweb.be/21500001",
        "property_type": "apartment",
        "charges_eur": 50,
        "postcode": "8500",
        "bedrooms": 2,
        "living_area_m2": 94,
        "epc_kwh_m2": 378,
    }
    for wage in range(1200, 4000, 5):
        household = load_household(
            {
                "members": [{"role": "applicant", "birth_date": "1980-01-01"}],
                "income": {"net_monthly": {"wage": wage}, "taxable_annual": wage * 12},
                "situation": {"waiting_list_since": None, "leaving": "none"},
            }
        )
        before = evaluate(household, Listing(rent_eur=715, **flat), on=ON.date()).verdict
        after = evaluate(household, Listing(rent_eur=695, **flat), on=ON.date()).verdict
        if before == "red" and after in ("green", "amber"):
            return float(wage)
    raise AssertionError("no wage on the edge: the rules changed, pick another flat")


def _matches(url: str, household_id: str) -> dict[int, Any]:
    with Store(url) as store, store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(household_matches).where(household_matches.c.household_id == household_id)
        )
        return {row.dwelling_id: row for row in rows}


def test_gone_advert_is_kept_and_a_price_drop_is_a_new_match(
    settings: Settings,
    app_db: AppDB,
    household_data: Callable[[float], dict[str, Any]],
    smtp_sink: Any,
) -> None:
    url = settings.database_url
    wage = _edge_income()
    owner = app_db.add_user("an@w13.be", "worker", "$argon2-placeholder")
    household_id = app_db.create_household(owner, "Gezin Zonnebloem", household_data(wage))

    first = nightly(settings, DAY1, ["immoweb"])
    assert first.exit_code == EXIT_OK
    assert first.matches is not None
    assert first.matches["evaluated"] == 1
    with Store(url) as store:
        flat = dwelling_of(store, "immoweb", "21500001")
        assert flat is not None
        assert store.get("immoweb", "21500003") is not None
    assert flat not in _matches(url, household_id)  # red at € 715
    mark_matches_seen(url, household_id)  # the worker opened the immolijst
    assert new_match_count(url, household_id) == 0

    second = run_nightly(
        settings, replay_dir=DAY2, sources=["immoweb"], now=ON, environ=smtp_sink.environ
    )

    assert second.status == "complete"
    assert second.exit_code == EXIT_OK
    # (3) the advert that disappeared is marked gone and kept with its history
    with Store(url) as store:
        gone = store.get("immoweb", "21500003")
        assert gone is not None
        assert gone.gone_at is not None
        assert not gone.active
        assert len(store.history("immoweb", "21500003")) == 1
        assert store.count(source="immoweb", active=False) == 1
        assert [o.rent_eur for o in store.history("immoweb", "21500001")] == [715.0, 695.0]
    assert second.sources[0].gone == 1
    assert second.comparison["immoweb"]["runs"] == 1
    assert unlinked_active(url) == 0
    # (4) the price drop made the flat a match: new in this run, counted on the badge
    rows = _matches(url, household_id)
    assert flat in rows
    assert rows[flat].first_seen_run == second.run_id
    assert rows[flat].is_new
    assert rows[flat].verdict in ("green", "amber")
    assert second.matches is not None
    assert second.matches["new_matches"] >= 1
    count = new_match_count(url, household_id)
    assert count == second.matches["new_matches"]
    # ... and mailed to the worker, without income figures
    assert second.mail["sent"] == 1
    (message,) = smtp_sink.messages
    body = message.get_content()
    assert message["To"] == "an@w13.be"
    assert "Gezin Zonnebloem" in body
    assert "€ 695,00" in body
    for figure in (format_eur(wage), format_eur(wage, cents=True), f"{wage:.0f}", str(wage * 12)):
        assert figure not in body
    assert "inkomen" not in body.lower()
    mailed = [r for r in _matches(url, household_id).values() if r.last_seen_run == second.run_id]
    assert all(r.notified for r in mailed if r.is_new and r.seen_at is None)
    # opening the household clears the badge
    assert mark_matches_seen(url, household_id) == count
    assert new_match_count(url, household_id) == 0
