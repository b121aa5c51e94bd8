from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from listings import LISTING_FIELDS, Listing, PropertyType, _places
from listings._frame import FRAME_COLUMNS, frame
from listings._store import RunStatus, Store

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def make(source_id: str, postcode: str, **fields: Any) -> Listing:
    values: dict[str, Any] = {
        "url": f"https://www.zimmo.be/{source_id}",
        "postcode": postcode,
        "municipality": _places.municipality_of(postcode),
    }
    values.update(fields)
    return Listing(source="zimmo", source_id=source_id, **values)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A store on SQLite and on PostgreSQL (``store_url`` in tests/conftest.py)."""
    listings = [
        make(
            "kortrijk-app",
            "8500",
            property_type="apartment",
            rent_eur=700.0,
            bedrooms=2,
            garden=True,
            available_from=date(2026, 4, 1),
            image_urls=["https://img.zimmo.be/1.jpg", "https://img.zimmo.be/2.jpg"],
        ),
        make("heule-house", "8501", property_type="house", rent_eur=950.0, bedrooms=3),
        make("menen-studio", "8930", property_type="studio", rent_eur=520.0, bedrooms=0),
        make("waregem-room", "8790", property_type="room", rent_eur=400.0),
        make("waregem-unknown-rent", "8790", property_type="apartment"),
        make("gent-app", "9000", property_type="apartment", rent_eur=800.0),
        make("kuurne-gone", "8520", property_type="apartment", rent_eur=650.0),
    ]
    with Store(store_url) as opened:
        run = opened.start_run("zimmo", started_at=T0)
        opened.upsert(listings, run_id=run, seen_at=T0)
        opened.finish_run(run, RunStatus.COMPLETE, finished_at=T0)
        later = T0 + timedelta(days=1)
        run = opened.start_run("zimmo", started_at=later)
        opened.upsert(listings[:-1], run_id=run, seen_at=later)
        opened.finish_run(run, RunStatus.COMPLETE, finished_at=later)
        yield opened


def ids(df: pd.DataFrame) -> set[str]:
    return set(df["source_id"])


def test_default_is_active_listings_in_w13(store: Store) -> None:
    df = frame(store)

    assert ids(df) == {
        "kortrijk-app",
        "heule-house",
        "menen-studio",
        "waregem-room",
        "waregem-unknown-rent",
    }
    assert df["active"].all()
    assert df["gone_at"].isna().all()
    assert set(df["postcode"]) <= _places.W13_POSTCODES


def test_columns_are_every_listing_field_then_the_store_columns(store: Store) -> None:
    df = frame(store)

    assert tuple(df.columns) == FRAME_COLUMNS
    assert tuple(df.columns[: len(LISTING_FIELDS)]) == LISTING_FIELDS
    assert list(df.columns[len(LISTING_FIELDS) :]) == [
        "first_seen_at",
        "last_seen_at",
        "gone_at",
        "active",
        "listing_id",
    ]


def test_dtypes(store: Store) -> None:
    df = frame(store)
    row = df.set_index("source_id").loc["kortrijk-app"]

    assert df["rent_eur"].dtype == "float64"
    assert df["bedrooms"].dtype == "Int64"
    assert df["garden"].dtype == "boolean"
    assert df["source_id"].dtype == "string"
    assert df["postcode"].dtype == "string"
    assert isinstance(df["property_type"].dtype, pd.CategoricalDtype)
    assert set(df["property_type"].cat.categories) == {p.value for p in PropertyType}
    assert str(df["first_seen_at"].dtype) == "datetime64[us, UTC]"
    assert str(df["published_at"].dtype) == "datetime64[us, UTC]"
    assert pd.api.types.is_datetime64_dtype(df["available_from"])
    assert df["active"].dtype == "bool"
    assert df["listing_id"].dtype == "int64"
    assert row["image_urls"] == ["https://img.zimmo.be/1.jpg", "https://img.zimmo.be/2.jpg"]
    assert row["available_from"] == pd.Timestamp("2026-04-01")
    assert row["first_seen_at"] == pd.Timestamp(T0)
    assert row["last_seen_at"] == pd.Timestamp(T0 + timedelta(days=1))
    assert row["bedrooms"] == 2
    assert bool(row["garden"]) is True
    assert df.set_index("source_id")["garden"].isna()["heule-house"]


def test_region_none_keeps_every_region(store: Store) -> None:
    assert "gent-app" in ids(frame(store, region=None))
    assert "gent-app" not in ids(frame(store, region="W13"))


def test_unknown_region_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="region"):
        frame(store, region="antwerpen")


def test_municipalities_filter_is_case_insensitive(store: Store) -> None:
    df = frame(store, municipalities=["kortrijk", "MENEN"])

    assert ids(df) == {"kortrijk-app", "heule-house", "menen-studio"}


def test_property_types_filter(store: Store) -> None:
    assert ids(frame(store, property_types=["studio", PropertyType.ROOM])) == {
        "menen-studio",
        "waregem-room",
    }
    with pytest.raises(ValueError, match="castle"):
        frame(store, property_types=["castle"])


def test_rent_range_is_inclusive_and_drops_unknown_rents(store: Store) -> None:
    assert ids(frame(store, rent_min=520, rent_max=700)) == {"kortrijk-app", "menen-studio"}
    assert ids(frame(store, rent_max=450)) == {"waregem-room"}
    assert ids(frame(store, rent_min=900)) == {"heule-house"}


def test_include_gone(store: Store) -> None:
    df = frame(store, include_gone=True).set_index("source_id")

    assert "kuurne-gone" in df.index
    assert not df.loc["kuurne-gone", "active"]
    assert df.loc["kuurne-gone", "gone_at"] == pd.Timestamp(T0 + timedelta(days=1))
    assert df.drop(index="kuurne-gone")["active"].all()


def test_filters_combine(store: Store) -> None:
    df = frame(store, region=None, property_types=["apartment"], rent_max=750, include_gone=True)

    assert ids(df) == {"kortrijk-app", "kuurne-gone"}


def test_empty_result_keeps_columns_and_dtypes(store: Store) -> None:
    full = frame(store)
    empty = frame(store, rent_min=9_000)

    assert empty.empty
    assert tuple(empty.columns) == FRAME_COLUMNS
    assert empty.dtypes.to_dict() == full.dtypes.to_dict()


def test_frame_accepts_a_url(store_url: str) -> None:
    url = store_url
    with Store(url) as store:
        store.upsert([make("1", "8500", rent_eur=600.0)])

    df = frame(url)

    assert list(df["source_id"]) == ["1"]
