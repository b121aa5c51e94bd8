"""Nightly job tables: nightly_runs, household_matches, household_match_state.

Revision ID: app_0002_nightly
Revises: app_0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from listings._schema import UTCDateTime

revision: str = "app_0002_nightly"
down_revision: str | None = "app_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "nightly_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("pid", sa.Integer, nullable=True),
        sa.Column("host", sa.String(255), nullable=True),
        sa.Column("report", sa.Text, nullable=False, server_default="{}"),
        sa.CheckConstraint(
            "status IN ('running', 'complete', 'partial', 'failed')",
            name="ck_nightly_runs_status",
        ),
    )
    op.create_index("ix_nightly_runs_started", "nightly_runs", ["started_at"])
    op.create_table(
        "household_matches",
        sa.Column(
            "household_id",
            sa.String(32),
            sa.ForeignKey("households.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("dwelling_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("verdict", sa.String(8), nullable=False),
        sa.Column("net_monthly_eur", sa.Float, nullable=True),
        sa.Column("first_seen_run", sa.Integer, sa.ForeignKey("nightly_runs.id"), nullable=False),
        sa.Column("last_seen_run", sa.Integer, sa.ForeignKey("nightly_runs.id"), nullable=False),
        sa.Column("is_new", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("notified", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("seen_at", UTCDateTime(), nullable=True),
    )
    op.create_index(
        "ix_household_matches_last_run", "household_matches", ["household_id", "last_seen_run"]
    )
    op.create_table(
        "household_match_state",
        sa.Column(
            "household_id",
            sa.String(32),
            sa.ForeignKey("households.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("last_run", sa.Integer, sa.ForeignKey("nightly_runs.id"), nullable=False),
        sa.Column("evaluated_at", UTCDateTime(), nullable=False),
        sa.Column("n_current", sa.Integer, nullable=False),
        sa.Column("n_new", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("household_match_state")
    op.drop_index("ix_household_matches_last_run", "household_matches")
    op.drop_table("household_matches")
    op.drop_index("ix_nightly_runs_started", "nightly_runs")
    op.drop_table("nightly_runs")
