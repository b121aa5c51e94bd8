"""Initial schema: crawl_runs, listings, observations.

Revision ID: 0001
Revises:
Create Date: 2026-11-27

Frozen copy of the schema at this revision: later changes go in new revisions,
never here. Column types are portable (SQLite and PostgreSQL); timestamps are
``DateTime(timezone=True)`` and always hold UTC.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _bool(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.Boolean(create_constraint=False), nullable=True)


def upgrade() -> None:
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(100), nullable=False),
        _ts("started_at", nullable=False),
        _ts("finished_at"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("counts", sa.Text, nullable=False, server_default="{}"),
        sa.Column("n_new", sa.Integer, nullable=False, server_default="0"),
        sa.Column("n_updated", sa.Integer, nullable=False, server_default="0"),
        sa.Column("n_unchanged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("gone_marked", sa.Integer, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_crawl_runs"),
    )
    op.create_index("ix_crawl_runs_source_started_at", "crawl_runs", ["source", "started_at"])

    op.create_table(
        "listings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("source_id", sa.String(200), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("description", sa.Text),
        sa.Column("property_type", sa.String(16)),
        sa.Column("property_subtype_raw", sa.Text),
        sa.Column("rent_eur", sa.Float),
        sa.Column("charges_eur", sa.Float),
        sa.Column("price_raw", sa.Text),
        sa.Column("bedrooms", sa.Integer),
        sa.Column("living_area_m2", sa.Float),
        sa.Column("epc_kwh_m2", sa.Float),
        sa.Column("epc_label", sa.String(4)),
        sa.Column("street", sa.Text),
        sa.Column("house_number", sa.String(40)),
        sa.Column("box", sa.String(40)),
        sa.Column("postcode", sa.String(4)),
        sa.Column("municipality", sa.String(100)),
        sa.Column("locality", sa.String(100)),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("floor", sa.Integer),
        sa.Column("available_from", sa.Date),
        _bool("available_now"),
        _bool("furnished"),
        _bool("pets_allowed"),
        _bool("elevator"),
        _bool("accessible"),
        _bool("garden"),
        _bool("terrace"),
        _bool("parking"),
        sa.Column("deposit_eur", sa.Float),
        sa.Column("agency_name", sa.Text),
        sa.Column("contact_phone", sa.String(100)),
        sa.Column("contact_email", sa.String(320)),
        sa.Column("image_urls", sa.Text, nullable=False, server_default="[]"),
        _ts("published_at"),
        _ts("scraped_at"),
        sa.Column("content_hash", sa.String(32), nullable=False),
        _ts("first_seen_at", nullable=False),
        _ts("last_seen_at", nullable=False),
        _ts("gone_at"),
        sa.PrimaryKeyConstraint("id", name="pk_listings"),
        sa.UniqueConstraint("source", "source_id", name="uq_listings_source_source_id"),
    )
    op.create_index("ix_listings_postcode", "listings", ["postcode"])
    op.create_index("ix_listings_source_gone_at", "listings", ["source", "gone_at"])

    op.create_table(
        "observations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("listing_id", sa.Integer, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=True),
        _ts("seen_at", nullable=False),
        sa.Column("rent_eur", sa.Float),
        sa.Column("charges_eur", sa.Float),
        sa.Column("price_raw", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_observations"),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name="fk_observations_listing_id_listings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["crawl_runs.id"],
            name="fk_observations_run_id_crawl_runs",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("listing_id", "run_id", name="uq_observations_listing_id_run_id"),
    )
    op.create_index("ix_observations_run_id", "observations", ["run_id"])


def downgrade() -> None:
    op.drop_table("observations")
    op.drop_table("listings")
    op.drop_table("crawl_runs")
