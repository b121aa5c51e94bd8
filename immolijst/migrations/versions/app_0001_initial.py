"""App tables: users, households, audit_log.

Revision ID: app_0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from listings._schema import UTCDateTime

revision: str = "app_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("session_epoch", sa.Integer, nullable=False),
        sa.CheckConstraint("role IN ('worker', 'admin')", name="ck_users_role"),
    )
    op.create_table(
        "households",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "owner_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("label", sa.String(120), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("last_opened_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_households_owner", "households", ["owner_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user_name", sa.String(80), nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("household_id", sa.String(32), nullable=True),
    )
    op.create_index("ix_audit_household", "audit_log", ["household_id"])
    op.create_index("ix_audit_at", "audit_log", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_at", "audit_log")
    op.drop_index("ix_audit_household", "audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_households_owner", "households")
    op.drop_table("households")
    op.drop_table("users")
