"""`purge --older-than`: inactive households are deleted, active ones kept; the duration parser."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from immolijst.settings import Settings
from immolijst.web.app import add_user, parse_duration, purge_households
from immolijst.web.db import AppDB, DuplicateUserError

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _household(
    db: AppDB, owner: int, label: str, *, updated: datetime, opened: datetime | None
) -> str:
    household_id = db.create_household(owner, label, {"members": []})
    from immolijst.web.db import households

    with db.engine.begin() as conn:
        conn.execute(
            households.update()
            .where(households.c.id == household_id)
            .values(updated_at=updated, created_at=updated, last_opened_at=opened)
        )
    return household_id


def test_purge_deletes_only_households_inactive_for_the_period(
    web_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    url = web_settings.database_url
    add_user(url, "worker1", "worker", "lang-genoeg")
    db = AppDB(url)
    owner = db.user_by_name("worker1").id  # type: ignore[union-attr]
    year = timedelta(days=365)
    stale = _household(db, owner, "Gezin Oud", updated=NOW - 2 * year, opened=None)
    stale_opened = _household(
        db, owner, "Gezin Vergeten", updated=NOW - 2 * year, opened=NOW - 400 * timedelta(days=1)
    )
    opened = _household(
        db, owner, "Gezin Bekeken", updated=NOW - 2 * year, opened=NOW - timedelta(days=30)
    )
    updated = _household(db, owner, "Gezin Nieuw", updated=NOW - timedelta(days=10), opened=None)
    with caplog.at_level(logging.INFO):
        count = purge_households(url, parse_duration("12m"), now=NOW)
    assert count == 2
    remaining = {h.id for h in db.list_households()}
    assert remaining == {opened, updated}
    purged = [
        (e.action, e.household_id, e.user_name) for e in db.audit_entries() if e.action == "purge"
    ]
    assert sorted(purged) == sorted([("purge", stale, None), ("purge", stale_opened, None)])
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "purged 2 inactive households" in logged
    assert "Gezin" not in logged
    assert stale not in logged
    # Running again finds nothing more.
    assert purge_households(url, parse_duration("12m"), now=NOW) == 0
    db.close()


@pytest.mark.parametrize(
    ("text", "days"),
    [("30d", 30), ("6w", 42), ("12m", 365), ("1y", 365), (" 2Y ", 730), ("6m", 182.5)],
)
def test_parse_duration(text: str, days: float) -> None:
    assert parse_duration(text) == timedelta(days=days)


@pytest.mark.parametrize("text", ["", "12", "m", "-3m", "0d", "12 maanden", "1.5y"])
def test_parse_duration_refuses_bad_text(text: str) -> None:
    with pytest.raises(ValueError, match="unknown duration"):
        parse_duration(text)


def test_add_user_refuses_duplicates_short_passwords_and_bad_roles(web_settings: Settings) -> None:
    url = web_settings.database_url
    add_user(url, "worker1", "worker", "lang-genoeg")
    with pytest.raises(DuplicateUserError):
        add_user(url, "worker1", "admin", "lang-genoeg")
    with pytest.raises(ValueError, match="at least 8"):
        add_user(url, "worker3", "worker", "kort")
    with pytest.raises(ValueError, match="unknown role"):
        add_user(url, "worker3", "boss", "lang-genoeg")
    db = AppDB(url)
    user = db.user_by_name("worker1")
    assert user is not None
    assert user.role == "worker"
    assert not user.is_admin
    assert db.user_by_name("worker3") is None
    db.close()


def test_app_tables_share_the_store_database_with_their_own_version_table(
    web_settings: Settings,
) -> None:
    import sqlalchemy as sa
    from alembic.script import ScriptDirectory

    from listings import Store

    db = AppDB(web_settings.database_url)
    with Store(web_settings.database_url) as store:
        assert store.current_revision() is not None
    tables = set(sa.inspect(db.engine).get_table_names())
    assert {"users", "households", "audit_log", "immolijst_app_version"} <= tables
    assert {"listings", "alembic_version"} <= tables
    head = ScriptDirectory.from_config(db._alembic_config()).get_current_head()
    assert head is not None
    assert head.startswith("app_")
    assert db.current_revision() == head
    db.upgrade()  # idempotent
    db.close()
