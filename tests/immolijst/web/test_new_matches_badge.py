"""The household list shows the nightly job's new matches; opening the immolijst clears them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from immolijst.nightly._db import write
from immolijst.nightly._tables import household_match_state, household_matches, nightly_runs


def _add_new_matches(engine: sa.Engine, household_id: str, dwelling_ids: list[int]) -> None:
    now = datetime(2026, 11, 21, 3, 15, tzinfo=UTC)
    with write(engine) as conn:
        run_id = conn.execute(
            nightly_runs.insert()
            .values(started_at=now, finished_at=now, status="complete", report="{}")
            .returning(nightly_runs.c.id)
        ).scalar_one()
        conn.execute(
            household_match_state.insert().values(
                household_id=household_id,
                last_run=run_id,
                evaluated_at=now,
                n_current=len(dwelling_ids),
                n_new=len(dwelling_ids),
            )
        )
        for dwelling_id in dwelling_ids:
            conn.execute(
                household_matches.insert().values(
                    household_id=household_id,
                    dwelling_id=dwelling_id,
                    verdict="green",
                    net_monthly_eur=512.0,
                    first_seen_run=run_id,
                    last_seen_run=run_id,
                    is_new=True,
                )
            )


def test_badge_counts_new_matches_until_the_immolijst_is_opened(
    app: Any, worker_client: Any, helpers: Any
) -> None:
    household_id = helpers.create_household(worker_client)
    other_id = helpers.create_household(worker_client, label="Gezin Tulp")
    _add_new_matches(app.state.db.engine, household_id, [11, 12, 13])

    page = worker_client.get("/").text
    assert "3 nieuwe woningen" in page
    assert page.count("nieuwe woning") == 1  # the other household has none
    assert other_id in page

    assert worker_client.get(f"/huishoudens/{household_id}/immolijst").status_code == 200
    assert "nieuwe woning" not in worker_client.get("/").text


def test_one_new_match_is_singular(app: Any, worker_client: Any, helpers: Any) -> None:
    household_id = helpers.create_household(worker_client)
    _add_new_matches(app.state.db.engine, household_id, [21])
    assert "1 nieuwe woning<" in worker_client.get("/").text
