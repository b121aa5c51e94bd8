"""Table definitions of the listings store (SQLAlchemy Core, portable SQL).

Three tables:

* ``listings``: the current state of every advert, one row per (``source``,
  ``source_id``). Every :class:`~listings.Listing` field is a real column, so
  filters run in SQL; ``image_urls`` is JSON text. ``content_hash`` digests the
  stored fields so an unchanged advert is detected without comparing columns.
  A listing is never deleted by a crawl: ``gone_at`` is set instead.
* ``observations``: every sighting of a listing (one per listing per crawl
  run), with the price seen then, so the price history is kept.
* ``crawl_runs``: one row per crawl of one source, with its status and counts.

The schema itself is created by the Alembic migrations in
``listings/migrations``; these definitions must stay equal to the migrated
schema (a test compares them).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

__all__ = [
    "LISTING_COLUMNS",
    "UTCDateTime",
    "crawl_runs",
    "listings_table",
    "metadata",
    "observations",
]


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back as a timezone-aware UTC datetime.

    PostgreSQL stores it as ``timestamptz``; SQLite as ISO text without offset
    (always UTC, ``YYYY-MM-DD HH:MM:SS.ffffff``, so text order is time order).
    A naive datetime given to the database is taken to be UTC.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert ``value`` to UTC (naive values are taken as UTC)."""
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def bind_processor(self, dialect: Dialect) -> Any:
        """Write SQLite timestamps straight as ISO text (fast path, same format as SQLAlchemy)."""
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)

        def process(value: datetime | None) -> str | None:
            if value is None:
                return None
            if value.tzinfo is not None and value.utcoffset():
                value = value.astimezone(UTC)
            # "YYYY-MM-DD HH:MM:SS.ffffff" and, when aware, "+00:00", cut off here.
            return value.isoformat(sep=" ", timespec="microseconds")[:26]

        return process

    def result_processor(self, dialect: Dialect, coltype: Any) -> Any:
        """Read SQLite ISO text straight into aware UTC datetimes (fast path)."""
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def process(value: str | datetime | None) -> datetime | None:
            if value is None:
                return None
            if isinstance(value, str):
                value = datetime.fromisoformat(value)
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

        return process

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Return the stored value as an aware UTC datetime."""
        if value is None:
            return None
        if isinstance(value, str):  # pragma: no cover - drivers normally give datetimes
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _bool(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean(create_constraint=False), nullable=True)


#: The columns that hold :class:`~listings.Listing` fields, in the model's field order.
LISTING_COLUMNS: tuple[str, ...] = (
    "source",
    "source_id",
    "url",
    "title",
    "description",
    "property_type",
    "property_subtype_raw",
    "rent_eur",
    "charges_eur",
    "price_raw",
    "bedrooms",
    "living_area_m2",
    "epc_kwh_m2",
    "epc_label",
    "street",
    "house_number",
    "box",
    "postcode",
    "municipality",
    "locality",
    "latitude",
    "longitude",
    "floor",
    "available_from",
    "available_now",
    "furnished",
    "pets_allowed",
    "elevator",
    "accessible",
    "garden",
    "terrace",
    "parking",
    "deposit_eur",
    "agency_name",
    "contact_phone",
    "contact_email",
    "image_urls",
    "published_at",
    "scraped_at",
)

crawl_runs = sa.Table(
    "crawl_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(100), nullable=False),
    sa.Column("started_at", UTCDateTime(), nullable=False),
    sa.Column("finished_at", UTCDateTime(), nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("counts", sa.Text, nullable=False, server_default="{}"),
    sa.Column("n_new", sa.Integer, nullable=False, server_default="0"),
    sa.Column("n_updated", sa.Integer, nullable=False, server_default="0"),
    sa.Column("n_unchanged", sa.Integer, nullable=False, server_default="0"),
    sa.Column("gone_marked", sa.Integer, nullable=False, server_default="0"),
    sa.Index(None, "source", "started_at"),
)

listings_table = sa.Table(
    "listings",
    metadata,
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
    sa.Column("published_at", UTCDateTime()),
    sa.Column("scraped_at", UTCDateTime()),
    sa.Column("content_hash", sa.String(32), nullable=False),
    sa.Column("first_seen_at", UTCDateTime(), nullable=False),
    sa.Column("last_seen_at", UTCDateTime(), nullable=False),
    sa.Column("gone_at", UTCDateTime(), nullable=True),
    sa.UniqueConstraint("source", "source_id"),
    sa.Index(None, "postcode"),
    # Active/gone per source (gone-marking, counts, stats); a lone gone_at index
    # would be unselective (most listings are active) and slow down every insert.
    sa.Index(None, "source", "gone_at"),
)

observations = sa.Table(
    "observations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "listing_id",
        sa.Integer,
        sa.ForeignKey("listings.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column(
        "run_id",
        sa.Integer,
        sa.ForeignKey("crawl_runs.id", ondelete="SET NULL"),
        nullable=True,
    ),
    sa.Column("seen_at", UTCDateTime(), nullable=False),
    sa.Column("rent_eur", sa.Float),
    sa.Column("charges_eur", sa.Float),
    sa.Column("price_raw", sa.Text),
    # NULL run ids are distinct in SQLite and PostgreSQL: sightings outside a
    # run are not limited by this constraint, sightings in a run are one each.
    sa.UniqueConstraint("listing_id", "run_id"),
    sa.Index(None, "run_id"),
)

# The dwelling tables live on the same MetaData; importing them here keeps
# ``metadata`` complete for Alembic and the schema test whatever is imported first.
from listings import _dwelling_schema as _dwelling_schema  # noqa: E402
