"""The sources status page (admin) and the warnings behind it (issue 6, page 5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from immolijst.report.sources import SourceWarning, source_status
from listings import Listing, RunStatus, Store

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def _listing(source: str, source_id: str, **fields: Any) -> Listing:
    return Listing(
        source=source, source_id=source_id, url=f"https://www.{source}.be/{source_id}", **fields
    )


def seed_sources(url: str, now: datetime = NOW) -> None:
    """zimmo: fine; immoweb: last run partial; immoscoop: low coverage and stale."""
    with Store(url) as store:
        run = store.start_run("zimmo", started_at=now - timedelta(hours=3))
        store.upsert(
            [_listing("zimmo", "1", rent_eur=700, postcode="8500")],
            run_id=run,
            seen_at=now - timedelta(hours=3),
        )
        store.finish_run(
            run,
            RunStatus.COMPLETE,
            {
                "seen": 1,
                "new": 1,
                "coverage": {"rent_eur": 1.0, "postcode": 1.0},
                "dropped": {"sale": 2},
            },
            finished_at=now - timedelta(hours=2),
        )
        run = store.start_run("immoweb", started_at=now - timedelta(hours=30))
        store.upsert(
            [_listing("immoweb", "1", rent_eur=650, postcode="8500")],
            run_id=run,
            seen_at=now - timedelta(hours=30),
        )
        store.finish_run(
            run, RunStatus.COMPLETE, {"seen": 1}, finished_at=now - timedelta(hours=29)
        )
        run = store.start_run("immoweb", started_at=now - timedelta(hours=5))
        store.finish_run(
            run,
            RunStatus.PARTIAL,
            {"seen": 0, "reasons": ["challenge"]},
            finished_at=now - timedelta(hours=4),
        )
        run = store.start_run("immoscoop", started_at=now - timedelta(days=4))
        store.upsert(
            [_listing("immoscoop", "1", rent_eur=None, postcode="8500")],
            run_id=run,
            seen_at=now - timedelta(days=4),
        )
        store.finish_run(
            run,
            RunStatus.COMPLETE,
            {"seen": 10, "coverage": {"rent_eur": 0.5, "postcode": 0.95}},
            finished_at=now - timedelta(days=4) + timedelta(minutes=10),
        )


def test_source_status_warnings(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    seed_sources(url)
    with Store(url) as store:
        statuses = {s.source: s for s in source_status(store, now=NOW)}
        extra = source_status(
            store, now=NOW, extra_warnings=[SourceWarning("2dehands", "alarm", "kapot")]
        )
    assert statuses["zimmo"].warnings == []
    assert statuses["zimmo"].dropped_total == 2
    assert statuses["zimmo"].seen == 1
    codes = {name: [w.code for w in s.warnings] for name, s in statuses.items()}
    assert codes["immoweb"] == ["partial"]  # the last complete run is 29 h old: not stale
    assert codes["immoscoop"] == ["coverage:rent_eur", "stale"]
    assert "50 %" in statuses["immoscoop"].warnings[0].text
    assert statuses["immoweb"].last_complete is not None
    assert [w.text for s in extra if s.source == "2dehands" for w in s.warnings] == ["kapot"]


def test_never_complete_warning(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    with Store(url) as store:
        run = store.start_run("zimmo", started_at=NOW - timedelta(hours=1))
        store.finish_run(run, RunStatus.FAILED, {}, finished_at=NOW)
        (status,) = source_status(store, now=NOW)
    assert [w.code for w in status.warnings] == ["failed", "never_complete"]


@pytest.fixture
def seeders(seeders: list[Any]) -> list[Any]:
    """Add crawl runs of three sources (recent, so the page's 'now' sees the same)."""
    return [*seeders, lambda settings: seed_sources(settings.database_url, datetime.now(UTC))]


def test_sources_page_for_admin_only(app: Any, worker_client: Any, helpers: Any) -> None:
    assert worker_client.get("/bronnen").status_code == 403
    with helpers.new_client(app, "admin") as admin:
        response = admin.get("/bronnen")
    assert response.status_code == 200
    html = response.text
    assert 'data-source="zimmo"' in html
    assert 'data-source="immoscoop"' in html
    assert 'data-code="partial"' in html
    assert "gedeeltelijk" in html
    assert 'data-code="coverage:rent_eur"' in html
    assert 'data-code="stale"' in html
    assert "huurprijs" in html


def test_sources_page_requires_login(client: Any) -> None:
    response = client.get("/bronnen")
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["location"]
