"""Table definitions of the dwellings (cross-source dedup), on the store's MetaData.

* ``dwellings``: one row per real home. Ids are never reused or renumbered;
  a dwelling merged into an older one keeps its row with ``merged_into`` set,
  so its id still resolves.
* ``dwelling_links``: which dwelling each advert (a ``listings`` row) belongs
  to, with the score and evidence of the link and the advert's
  ``content_hash`` at link time (an advert whose hash changed since is linked
  again by the next incremental dedupe).
* ``dwelling_merges``: every merge of two dwellings, with the reason.

Created by the Alembic revision ``0002``; these definitions must equal it.
"""

from __future__ import annotations

import sqlalchemy as sa

from listings._schema import UTCDateTime, metadata

__all__ = ["dwelling_links", "dwelling_merges", "dwellings_table"]

dwellings_table = sa.Table(
    "dwellings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
    sa.Column("merged_into", sa.Integer, sa.ForeignKey("dwellings.id"), nullable=True),
)

dwelling_links = sa.Table(
    "dwelling_links",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "listing_id",
        sa.Integer,
        sa.ForeignKey("listings.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("dwelling_id", sa.Integer, sa.ForeignKey("dwellings.id"), nullable=False),
    sa.Column("linked_at", UTCDateTime(), nullable=False),
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("evidence", sa.Text, nullable=False, server_default="[]"),
    sa.Column("content_hash", sa.String(32), nullable=False),
    sa.UniqueConstraint("listing_id"),
    sa.Index(None, "dwelling_id"),
)

dwelling_merges = sa.Table(
    "dwelling_merges",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("old_id", sa.Integer, sa.ForeignKey("dwellings.id"), nullable=False),
    sa.Column("new_id", sa.Integer, sa.ForeignKey("dwellings.id"), nullable=False),
    sa.Column("merged_at", UTCDateTime(), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Index(None, "old_id"),
)
