"""Tables of the nightly job: its runs, and each saved household's current matches.

They live in the app's database next to the web app's tables and are created by
the app's Alembic revision ``app_0002_nightly`` (``immolijst/migrations``); these
definitions must equal it. They are kept on their own :class:`~sqlalchemy.MetaData`
(the web app's autogenerate only looks at its own tables).

* ``nightly_runs``: one row per ``immolijst nightly``: started, finished, status
  (``running`` until it ends; a killed run's row is closed as ``failed`` by the
  next run), the process that ran it and the run report (JSON).
* ``household_matches``: per saved household, the dwellings that were green or
  amber in its latest nightly result (``last_seen_run``) or earlier ones, since
  which run they are (``first_seen_run``), whether the worker has seen them
  (``seen_at``) and whether they were mailed (``notified``). No household content.
* ``household_match_state``: per household, the last nightly run that evaluated it
  (so a household's *first* result is told apart from an empty previous result).
"""

from __future__ import annotations

from typing import Final

import sqlalchemy as sa

from immolijst.web.db import households
from listings._schema import UTCDateTime

__all__ = [
    "RUN_STATUSES",
    "household_match_state",
    "household_matches",
    "metadata",
    "nightly_runs",
]

#: Statuses of a nightly run.
RUN_STATUSES: Final = ("running", "complete", "partial", "failed")

metadata = sa.MetaData()

nightly_runs = sa.Table(
    "nightly_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", UTCDateTime(), nullable=False),
    sa.Column("finished_at", UTCDateTime(), nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("pid", sa.Integer, nullable=True),
    sa.Column("host", sa.String(255), nullable=True),
    sa.Column("report", sa.Text, nullable=False, server_default="{}"),
    sa.CheckConstraint(
        "status IN ('running', 'complete', 'partial', 'failed')", name="ck_nightly_runs_status"
    ),
    sa.Index("ix_nightly_runs_started", "started_at"),
)

_household_fk = sa.ForeignKey(households.c.id, ondelete="CASCADE")

household_matches = sa.Table(
    "household_matches",
    metadata,
    sa.Column("household_id", sa.String(32), _household_fk, primary_key=True),
    sa.Column("dwelling_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("verdict", sa.String(8), nullable=False),
    sa.Column("net_monthly_eur", sa.Float, nullable=True),
    sa.Column("first_seen_run", sa.Integer, sa.ForeignKey("nightly_runs.id"), nullable=False),
    sa.Column("last_seen_run", sa.Integer, sa.ForeignKey("nightly_runs.id"), nullable=False),
    sa.Column("is_new", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("notified", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("seen_at", UTCDateTime(), nullable=True),
    sa.Index("ix_household_matches_last_run", "household_id", "last_seen_run"),
)

household_match_state = sa.Table(
    "household_match_state",
    metadata,
    sa.Column(
        "household_id",
        sa.String(32),
        sa.ForeignKey(households.c.id, ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("last_run", sa.Integer, sa.ForeignKey("nightly_runs.id"), nullable=False),
    sa.Column("evaluated_at", UTCDateTime(), nullable=False),
    sa.Column("n_current", sa.Integer, nullable=False),
    sa.Column("n_new", sa.Integer, nullable=False),
)
