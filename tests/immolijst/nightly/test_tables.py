"""The nightly tables created by the app migration equal their definitions."""

from __future__ import annotations

import sqlalchemy as sa

from immolijst.nightly._tables import metadata
from immolijst.web.db import AppDB


def test_the_migration_creates_the_nightly_tables_as_defined(store_url: str) -> None:
    db = AppDB(store_url)
    try:
        with db.engine.connect() as conn:
            inspector = sa.inspect(conn)
            for table in metadata.sorted_tables:
                columns = {c["name"]: c for c in inspector.get_columns(table.name)}
                assert list(columns) == [c.name for c in table.columns], table.name
                for column in table.columns:
                    assert columns[column.name]["nullable"] == column.nullable, column
                primary = inspector.get_pk_constraint(table.name)["constrained_columns"]
                assert primary == [c.name for c in table.primary_key.columns]
    finally:
        db.close()


def test_deleting_a_household_deletes_its_matches(store_url: str) -> None:
    from datetime import UTC, datetime

    from immolijst.nightly._db import write
    from immolijst.nightly._tables import household_matches, nightly_runs

    db = AppDB(store_url)
    try:
        owner = db.add_user("an", "worker", "$argon2-placeholder")
        household_id = db.create_household(owner, "Gezin Zonnebloem", {"members": []})
        now = datetime(2026, 11, 21, tzinfo=UTC)
        with write(db.engine) as conn:
            run_id = conn.execute(
                nightly_runs.insert()
                .values(started_at=now, status="complete", report="{}")
                .returning(nightly_runs.c.id)
            ).scalar_one()
            conn.execute(
                household_matches.insert().values(
                    household_id=household_id,
                    dwelling_id=7,
                    verdict="green",
                    first_seen_run=run_id,
                    last_seen_run=run_id,
                )
            )
        assert db.delete_household(household_id)
        with db.engine.connect() as conn:
            left = conn.execute(sa.select(sa.func.count()).select_from(household_matches))
            assert left.scalar_one() == 0
    finally:
        db.close()
