"""Dwellings: cross-source dedup of adverts into homes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

Adds ``dwellings``, ``dwelling_links`` and ``dwelling_merges``. The listings
tables are unchanged: an advert changed since its link is found by comparing
its ``content_hash`` with the one stored in its link.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "dwellings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _ts("created_at", nullable=False),
        _ts("updated_at", nullable=False),
        sa.Column("merged_into", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_dwellings"),
        sa.ForeignKeyConstraint(
            ["merged_into"], ["dwellings.id"], name="fk_dwellings_merged_into_dwellings"
        ),
    )
    op.create_table(
        "dwelling_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("listing_id", sa.Integer, nullable=False),
        sa.Column("dwelling_id", sa.Integer, nullable=False),
        _ts("linked_at", nullable=False),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("evidence", sa.Text, nullable=False, server_default="[]"),
        sa.Column("content_hash", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dwelling_links"),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name="fk_dwelling_links_listing_id_listings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dwelling_id"], ["dwellings.id"], name="fk_dwelling_links_dwelling_id_dwellings"
        ),
        sa.UniqueConstraint("listing_id", name="uq_dwelling_links_listing_id"),
    )
    op.create_index("ix_dwelling_links_dwelling_id", "dwelling_links", ["dwelling_id"])
    op.create_table(
        "dwelling_merges",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("old_id", sa.Integer, nullable=False),
        sa.Column("new_id", sa.Integer, nullable=False),
        _ts("merged_at", nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dwelling_merges"),
        sa.ForeignKeyConstraint(
            ["old_id"], ["dwellings.id"], name="fk_dwelling_merges_old_id_dwellings"
        ),
        sa.ForeignKeyConstraint(
            ["new_id"], ["dwellings.id"], name="fk_dwelling_merges_new_id_dwellings"
        ),
    )
    op.create_index("ix_dwelling_merges_old_id", "dwelling_merges", ["old_id"])


def downgrade() -> None:
    op.drop_table("dwelling_merges")
    op.drop_table("dwelling_links")
    op.drop_table("dwellings")
