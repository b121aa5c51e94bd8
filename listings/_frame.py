"""Export of stored listings to a pandas DataFrame.

>>> from listings import Listing
>>> from listings._store import Store
>>> store = Store("sqlite://")
>>> _ = store.upsert([
...     Listing(source="zimmo", source_id="1", url="https://www.zimmo.be/1", rent_eur=700,
...             postcode="8500", property_type="apartment"),
...     Listing(source="zimmo", source_id="2", url="https://www.zimmo.be/2", rent_eur=900,
...             postcode="9000", property_type="house"),
... ])
>>> df = frame(store)                       # active listings in the W13 region
>>> df[["source_id", "postcode", "rent_eur"]].to_dict("records")
[{'source_id': '1', 'postcode': '8500', 'rent_eur': 700.0}]
>>> len(frame(store, region=None, rent_max=800))
1
>>> store.close()
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

import pandas as pd
import sqlalchemy as sa

from listings import _places
from listings._model import PropertyType
from listings._schema import LISTING_COLUMNS, listings_table
from listings._store import Store

__all__ = ["FRAME_COLUMNS", "frame"]

_STRING_COLUMNS: Final = (
    "source",
    "source_id",
    "url",
    "title",
    "description",
    "property_subtype_raw",
    "price_raw",
    "epc_label",
    "street",
    "house_number",
    "box",
    "postcode",
    "municipality",
    "locality",
    "agency_name",
    "contact_phone",
    "contact_email",
)
_FLOAT_COLUMNS: Final = (
    "rent_eur",
    "charges_eur",
    "living_area_m2",
    "epc_kwh_m2",
    "latitude",
    "longitude",
    "deposit_eur",
)
_INT_COLUMNS: Final = ("bedrooms", "floor")
_BOOL_COLUMNS: Final = (
    "available_now",
    "furnished",
    "pets_allowed",
    "elevator",
    "accessible",
    "garden",
    "terrace",
    "parking",
)
_TIMESTAMP_COLUMNS: Final = (
    "published_at",
    "scraped_at",
    "first_seen_at",
    "last_seen_at",
    "gone_at",
)
_STORE_COLUMNS: Final = ("first_seen_at", "last_seen_at", "gone_at", "active", "listing_id")

#: Columns of :func:`frame`: every :class:`~listings.Listing` field, then the store's.
FRAME_COLUMNS: tuple[str, ...] = (*LISTING_COLUMNS, *_STORE_COLUMNS)

_REGIONS: Final = ("w13",)


def _region_postcodes(region: str) -> frozenset[str]:
    if region.lower() == "w13":
        return frozenset(_places.W13_POSTCODES)
    raise ValueError(f"region={region!r} is unknown: use one of {', '.join(_REGIONS)} or None")


def _raw(column: sa.Column[Any]) -> Any:
    """Select dates and timestamps as the driver gives them; pandas parses them in bulk.

    SQLite gives ISO text (UTC, no offset), PostgreSQL gives datetimes: both are
    read by :func:`pandas.to_datetime`, much faster than one Python object a value.
    """
    if column.name in _TIMESTAMP_COLUMNS or column.name == "available_from":
        return sa.type_coerce(column, sa.String).label(column.name)
    return column


def _query(
    *,
    region: str | None,
    municipalities: Sequence[str] | None,
    property_types: Sequence[str] | None,
    rent_min: float | None,
    rent_max: float | None,
    include_gone: bool,
) -> sa.Select[Any]:
    t = listings_table
    columns = [_raw(t.c[name]) for name in LISTING_COLUMNS]
    query = sa.select(
        *columns, _raw(t.c.first_seen_at), _raw(t.c.last_seen_at), _raw(t.c.gone_at), t.c.id
    )
    if not include_gone:
        query = query.where(t.c.gone_at.is_(None))
    if region is not None:
        query = query.where(t.c.postcode.in_(sorted(_region_postcodes(region))))
    if municipalities is not None:
        if isinstance(municipalities, str):
            municipalities = [municipalities]
        names = sorted({name.strip().casefold() for name in municipalities})
        query = query.where(sa.func.lower(t.c.municipality).in_(names))
    if property_types is not None:
        if isinstance(property_types, str):
            property_types = [property_types]
        types = sorted({PropertyType(value).value for value in property_types})
        query = query.where(t.c.property_type.in_(types))
    if rent_min is not None:
        query = query.where(t.c.rent_eur >= rent_min)
    if rent_max is not None:
        query = query.where(t.c.rent_eur <= rent_max)
    return query.order_by(t.c.id)


def _to_frame(rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    names = (*LISTING_COLUMNS, "first_seen_at", "last_seen_at", "gone_at", "listing_id")
    raw: dict[str, list[Any]] = {name: [] for name in names}
    if rows:
        for name, column in zip(names, zip(*rows, strict=True), strict=True):
            raw[name] = list(column)
    data: dict[str, Any] = {}
    for name in LISTING_COLUMNS:
        values = raw[name]
        if name in _STRING_COLUMNS:
            data[name] = pd.array(values, dtype="string")
        elif name in _FLOAT_COLUMNS:
            data[name] = pd.array([float("nan") if v is None else v for v in values], "float64")
        elif name in _INT_COLUMNS:
            data[name] = pd.array(values, dtype="Int64")
        elif name in _BOOL_COLUMNS:
            data[name] = pd.array(values, dtype="boolean")
        elif name == "property_type":
            categories = pd.CategoricalDtype([p.value for p in PropertyType])
            data[name] = pd.Categorical(values, dtype=categories)
        elif name == "available_from":
            dates = pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601")
            data[name] = dates.astype("datetime64[us]")
        elif name == "image_urls":
            # One JSON document for the whole column: a single C-level parse.
            lists = json.loads("[" + ",".join(v or "[]" for v in values) + "]")
            data[name] = pd.Series(lists, dtype=object)
        elif name in _TIMESTAMP_COLUMNS:
            data[name] = _timestamps(values)
        else:  # pragma: no cover - guarded by the column lists above
            raise AssertionError(f"no dtype for column {name}")
    for name in ("first_seen_at", "last_seen_at", "gone_at"):
        data[name] = _timestamps(raw[name])
    data["active"] = pd.array([v is None for v in raw["gone_at"]], dtype="bool")
    data["listing_id"] = pd.array(raw["listing_id"], dtype="int64")
    return pd.DataFrame(data, columns=list(FRAME_COLUMNS))


def _timestamps(values: list[Any]) -> pd.Series:
    series = pd.to_datetime(pd.Series(values, dtype=object), utc=True, format="ISO8601")
    return series.astype("datetime64[us, UTC]")


def frame(
    store: Store | str | None = None,
    *,
    region: str | None = "w13",
    municipalities: Sequence[str] | None = None,
    property_types: Sequence[str] | None = None,
    rent_min: float | None = None,
    rent_max: float | None = None,
    include_gone: bool = False,
    dwellings: bool = False,
) -> pd.DataFrame:
    """Return stored listings as a DataFrame, one row per listing, filtered in SQL.

    With ``dwellings=True`` it returns one row per dwelling instead (the same
    filters and columns, from each dwelling's merged view, plus ``dwelling_id``,
    ``n_adverts`` and ``adverts``): see :func:`listings.dwellings_frame`.

    ``store`` is a :class:`Store`, a database URL, or ``None`` for the default
    database. ``region="w13"`` keeps listings whose postcode is one of the W13
    postcodes; ``None`` keeps every region. ``municipalities`` (official names,
    case-insensitive) and ``property_types`` (``PropertyType`` values) keep
    listings that match any of the given values. ``rent_min``/``rent_max`` bound
    the monthly rent (inclusive); a listing without a known rent is left out when
    a bound is given. Gone listings are left out unless ``include_gone``.

    Columns: every :class:`~listings.Listing` field under its own name (text as
    ``string``, amounts and measures as ``float64``, counts as ``Int64``,
    yes/no as ``boolean``, ``property_type`` as a category, ``available_from``
    as ``datetime64``, timestamps as UTC ``datetime64``, ``image_urls`` as
    lists), then ``first_seen_at``, ``last_seen_at``, ``gone_at``, ``active``
    and ``listing_id`` (the store's id). Rows are in store order.
    """
    if dwellings:
        from listings._dwellings import dwellings_frame

        return dwellings_frame(
            store,
            region=region,
            municipalities=municipalities,
            property_types=property_types,
            rent_min=rent_min,
            rent_max=rent_max,
            include_gone=include_gone,
        )
    query = _query(
        region=region,
        municipalities=municipalities,
        property_types=property_types,
        rent_min=rent_min,
        rent_max=rent_max,
        include_gone=include_gone,
    )
    owned = not isinstance(store, Store)
    opened = store if isinstance(store, Store) else Store(store)
    try:
        with opened._read() as conn:
            rows = conn.execute(query).all()
    finally:
        if owned:
            opened.close()
    return _to_frame(rows)
