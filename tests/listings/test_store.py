from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import platformdirs
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import listings._store as store_module
from listings import LISTING_FIELDS, Listing, StoreError
from listings._schema import LISTING_COLUMNS, metadata
from listings._store import (
    CrawlRun,
    Observation,
    RunStatus,
    Store,
    UpsertResult,
    default_database_url,
)

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def make(source_id: str = "1", source: str = "zimmo", **fields: Any) -> Listing:
    values: dict[str, Any] = {
        "url": f"https://www.{source.split(':')[0]}.be/{source_id}",
        "rent_eur": 700.0,
        "postcode": "8500",
    }
    values.update(fields)
    return Listing(source=source, source_id=source_id, **values)


def full_listing() -> Listing:
    """A listing with every field set, datetimes with a non-UTC offset."""
    brussels = timezone(timedelta(hours=1))
    return Listing(
        source="realtor:vastgoed-kortrijk",
        source_id="A-17",
        url="https://www.vastgoed-kortrijk.be/te-huur/a-17",
        title="Gezellig appartement met terras",
        description="Lichtrijk appartement op de tweede verdieping.\nVrij vanaf april.",
        property_type="apartment",
        property_subtype_raw="Duplex",
        rent_eur=745.5,
        charges_eur=62.25,
        price_raw="€ 745,50 (+ € 62,25)",
        bedrooms=2,
        living_area_m2=83.4,
        epc_kwh_m2=187.0,
        epc_label="B",
        street="Doorniksestraat",
        house_number="12A",
        box="0.1",
        postcode="8501",
        municipality="Kortrijk",
        locality="Heule",
        latitude=50.8371,
        longitude=3.2386,
        floor=2,
        available_from=date(2026, 4, 1),
        available_now=False,
        furnished=False,
        pets_allowed=True,
        elevator=True,
        accessible=False,
        garden=False,
        terrace=True,
        parking=None,
        deposit_eur=2236.5,
        agency_name="Vastgoed Kortrijk",
        contact_phone="+32 56 12 34 56",
        contact_email="info@vastgoed-kortrijk.be",
        image_urls=["https://img.vk.be/a17/1.jpg", "https://img.vk.be/a17/2.jpg"],
        published_at=datetime(2026, 2, 20, 9, 30, tzinfo=brussels),
        scraped_at=datetime(2026, 3, 1, 3, 15, 7, 123456, tzinfo=brussels),
    )


@pytest.fixture
def db_url(store_url: str) -> str:
    """A new store's URL, on SQLite and on PostgreSQL (``store_url`` in tests/conftest.py)."""
    return store_url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.sqlite3'}"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store(db_url) as opened:
        yield opened


@pytest.fixture(params=[True, False], ids=["positional-insert", "core-insert"])
def either_insert_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    monkeypatch.setattr(store_module, "_FAST_BULK_INSERT", request.param)
    return bool(request.param)


# -- round trip -------------------------------------------------------------------------


def test_listing_round_trips_with_every_field_equal(store: Store, either_insert_path: bool) -> None:
    original = full_listing()
    assert store.upsert([original], seen_at=T0) == UpsertResult(new=1, updated=0, unchanged=0)

    stored = store.get(original.source, original.source_id)

    assert stored is not None
    for name in LISTING_FIELDS:
        assert getattr(stored.listing, name) == getattr(original, name), name
    assert stored.listing == original
    assert type(stored.listing.property_type) is type(original.property_type)
    assert stored.first_seen_at == stored.last_seen_at == T0
    assert stored.first_seen_at.tzinfo is not None
    assert stored.gone_at is None
    assert stored.active is True


def test_both_insert_paths_store_the_same_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored_rows = []
    for fast in (True, False):
        monkeypatch.setattr(store_module, "_FAST_BULK_INSERT", fast)
        with Store(f"sqlite:///{tmp_path / f'{fast}.sqlite3'}") as store:
            store.upsert([full_listing(), make("2", available_from=date(2026, 5, 1))], seen_at=T0)
            with store.engine.connect() as conn:
                stored_rows.append(conn.exec_driver_sql("SELECT * FROM listings").all())
    assert stored_rows[0] == stored_rows[1]
    assert len(stored_rows[0]) == 2


def test_every_listing_field_is_a_column() -> None:
    assert LISTING_COLUMNS == LISTING_FIELDS
    assert set(LISTING_FIELDS) <= set(metadata.tables["listings"].c.keys())


def test_naive_listing_datetimes_come_back_as_utc(store: Store) -> None:
    store.upsert([make(published_at=datetime(2026, 1, 2, 10, 0))])

    stored = store.get("zimmo", "1")

    assert stored is not None
    assert stored.listing.published_at == datetime(2026, 1, 2, 10, 0, tzinfo=UTC)


def test_get_unknown_listing_is_none(store: Store) -> None:
    assert store.get("zimmo", "nope") is None
    assert store.history("zimmo", "nope") == []


# -- upsert -----------------------------------------------------------------------------


def test_upsert_same_batch_twice_in_a_run_is_idempotent(store: Store) -> None:
    batch = [make(str(i), rent_eur=600.0 + i) for i in range(5)]
    run = store.start_run("zimmo", started_at=T0)

    first = store.upsert(batch, run_id=run, seen_at=T0)
    second = store.upsert(batch, run_id=run, seen_at=T0 + timedelta(minutes=5))

    assert first == UpsertResult(new=5, updated=0, unchanged=0)
    assert second == UpsertResult(new=0, updated=0, unchanged=5)
    assert store.count() == 5
    assert all(len(store.history("zimmo", str(i))) == 1 for i in range(5))
    assert store.stats()["totals"]["observations"] == 5
    stored = store.get("zimmo", "0")
    assert stored is not None
    assert stored.last_seen_at == T0 + timedelta(minutes=5)


def test_upsert_without_run_records_only_new_and_changed_prices(store: Store) -> None:
    store.upsert([make(rent_eur=700.0)], seen_at=T0)
    again = store.upsert([make(rent_eur=700.0)], seen_at=T0 + timedelta(days=1))
    changed = store.upsert([make(rent_eur=720.0)], seen_at=T0 + timedelta(days=2))

    assert again == UpsertResult(new=0, updated=0, unchanged=1)
    assert changed == UpsertResult(new=0, updated=1, unchanged=0)
    assert [(o.run_id, o.rent_eur) for o in store.history("zimmo", "1")] == [
        (None, 700.0),
        (None, 720.0),
    ]


def test_a_non_price_change_is_an_update_without_new_observation(store: Store) -> None:
    store.upsert([make(title="Studio")], seen_at=T0)

    result = store.upsert([make(title="Mooie studio")], seen_at=T0 + timedelta(days=1))

    assert result == UpsertResult(new=0, updated=1, unchanged=0)
    stored = store.get("zimmo", "1")
    assert stored is not None
    assert stored.listing.title == "Mooie studio"
    assert len(store.history("zimmo", "1")) == 1


def test_a_new_scraped_at_alone_is_not_an_update(store: Store) -> None:
    store.upsert([make(scraped_at=T0)], seen_at=T0)
    later = T0 + timedelta(days=1)

    result = store.upsert([make(scraped_at=later)], seen_at=later)

    assert result == UpsertResult(new=0, updated=0, unchanged=1)
    stored = store.get("zimmo", "1")
    assert stored is not None
    assert stored.listing.scraped_at == later
    assert stored.last_seen_at == later


def test_price_change_between_runs_adds_an_observation(store: Store) -> None:
    t1, t2 = T0, T0 + timedelta(days=1)
    run1 = store.start_run("zimmo", started_at=t1)
    store.upsert(
        [make(rent_eur=700.0, charges_eur=50.0, price_raw="€ 700")], run_id=run1, seen_at=t1
    )
    store.finish_run(run1, RunStatus.COMPLETE, finished_at=t1 + timedelta(hours=1))
    run2 = store.start_run("zimmo", started_at=t2)

    result = store.upsert(
        [make(rent_eur=750.0, charges_eur=50.0, price_raw="€ 750")], run_id=run2, seen_at=t2
    )

    assert result == UpsertResult(new=0, updated=1, unchanged=0)
    assert store.history("zimmo", "1") == [
        Observation(run_id=run1, seen_at=t1, rent_eur=700.0, charges_eur=50.0, price_raw="€ 700"),
        Observation(run_id=run2, seen_at=t2, rent_eur=750.0, charges_eur=50.0, price_raw="€ 750"),
    ]
    stored = store.get("zimmo", "1")
    assert stored is not None
    assert stored.listing.rent_eur == 750.0
    assert stored.first_seen_at == t1
    assert stored.last_seen_at == t2


def test_price_change_within_a_run_updates_that_runs_observation(store: Store) -> None:
    run = store.start_run("zimmo", started_at=T0)
    store.upsert([make(rent_eur=700.0)], run_id=run, seen_at=T0)

    later = T0 + timedelta(minutes=30)
    store.upsert([make(rent_eur=690.0)], run_id=run, seen_at=later)

    assert store.history("zimmo", "1") == [
        Observation(run_id=run, seen_at=later, rent_eur=690.0, charges_eur=None, price_raw=None)
    ]


def test_unchanged_listing_gets_one_observation_per_run(store: Store) -> None:
    for day in range(3):
        run = store.start_run("zimmo", started_at=T0 + timedelta(days=day))
        store.upsert([make()], run_id=run, seen_at=T0 + timedelta(days=day))
        store.finish_run(run, RunStatus.COMPLETE)

    history = store.history("zimmo", "1")

    assert [o.seen_at for o in history] == [T0 + timedelta(days=d) for d in range(3)]


def test_repeated_key_in_one_call_keeps_the_last_version(store: Store) -> None:
    result = store.upsert([make(rent_eur=700.0), make(rent_eur=710.0), make(rent_eur=710.0)])

    assert result == UpsertResult(new=1, updated=1, unchanged=1)
    stored = store.get("zimmo", "1")
    assert stored is not None
    assert stored.listing.rent_eur == 710.0


def test_batches_are_committed_one_by_one(store: Store) -> None:
    def listings() -> Iterator[Listing]:
        yield make("1")
        yield make("2")
        yield make("3")
        raise RuntimeError("crawler crashed")

    with pytest.raises(RuntimeError, match="crawler crashed"):
        store.upsert(listings(), batch_size=2)

    assert store.count() == 2
    assert store.get("zimmo", "3") is None


def test_upsert_checks_its_arguments(store: Store) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        store.upsert([make()], batch_size=0)
    with pytest.raises(StoreError, match="naive"):
        store.upsert([make()], seen_at=datetime(2026, 1, 1))
    with pytest.raises(StoreError, match="unknown crawl run 99"):
        store.upsert([make()], run_id=99)
    run = store.start_run("immoweb")
    with pytest.raises(StoreError, match="'zimmo'"):
        store.upsert([make(source="zimmo")], run_id=run)
    store.finish_run(run, RunStatus.FAILED)
    with pytest.raises(StoreError, match="already finished"):
        store.upsert([make(source="immoweb")], run_id=run)
    assert store.count(active=None) == 0


# -- runs and gone-marking --------------------------------------------------------------


def _crawl(store: Store, ids: list[str], status: RunStatus, when: datetime) -> CrawlRun:
    run = store.start_run("zimmo", started_at=when)
    store.upsert([make(i) for i in ids], run_id=run, seen_at=when)
    return store.finish_run(run, status, {"pages": 1}, finished_at=when + timedelta(hours=1))


def test_complete_run_marks_unseen_listings_gone_and_keeps_them(store: Store) -> None:
    _crawl(store, ["1", "2", "3"], RunStatus.COMPLETE, T0)
    day2 = T0 + timedelta(days=1)

    run = _crawl(store, ["1", "2"], RunStatus.COMPLETE, day2)

    assert run.gone_marked == 1
    gone = store.get("zimmo", "3")
    assert gone is not None
    assert gone.active is False
    assert gone.gone_at == day2 + timedelta(hours=1)
    assert len(store.history("zimmo", "3")) == 1
    assert store.count() == 2
    assert store.count(active=False) == 1
    assert store.count(active=None) == 3
    assert [s.listing.source_id for s in store.iter_listings(active=False)] == ["3"]
    assert [s.listing.source_id for s in store.iter_listings(active=None)] == ["1", "2", "3"]


@pytest.mark.parametrize("status", [RunStatus.FAILED, RunStatus.PARTIAL])
def test_failed_or_partial_run_marks_nothing_gone(store: Store, status: RunStatus) -> None:
    _crawl(store, ["1", "2", "3"], RunStatus.COMPLETE, T0)

    run = _crawl(store, ["1"], status, T0 + timedelta(days=1))

    assert run.status is status
    assert run.gone_marked == 0
    assert store.count() == 3
    assert all(s.gone_at is None for s in store.iter_listings(active=None))


def test_complete_run_only_marks_its_own_source(store: Store) -> None:
    store.upsert([make("9", source="immoweb")], seen_at=T0)

    _crawl(store, ["1"], RunStatus.COMPLETE, T0)

    assert store.count(source="immoweb") == 1
    assert store.count(source="zimmo") == 1


def test_gone_listing_seen_again_becomes_active(store: Store) -> None:
    _crawl(store, ["1", "2"], RunStatus.COMPLETE, T0)
    _crawl(store, ["1"], RunStatus.COMPLETE, T0 + timedelta(days=1))
    assert store.count(active=False) == 1

    run = store.start_run("zimmo", started_at=T0 + timedelta(days=2))
    result = store.upsert([make("1"), make("2")], run_id=run, seen_at=T0 + timedelta(days=2))

    assert result == UpsertResult(new=0, updated=1, unchanged=1)
    back = store.get("zimmo", "2")
    assert back is not None
    assert back.active is True
    assert back.gone_at is None
    assert back.first_seen_at == T0
    assert store.count(active=False) == 0


def test_runs_are_listed_newest_first_with_counts(store: Store) -> None:
    first = _crawl(store, ["1", "2"], RunStatus.COMPLETE, T0)
    second = _crawl(store, ["1", "3"], RunStatus.PARTIAL, T0 + timedelta(days=1))
    other = store.start_run("immoweb", started_at=T0 + timedelta(days=2))

    assert [r.id for r in store.runs()] == [other, second.id, first.id]
    assert [r.id for r in store.runs("zimmo")] == [second.id, first.id]
    assert [r.id for r in store.runs(limit=1)] == [other]
    assert second.counts == {"new": 1, "updated": 0, "unchanged": 1, "pages": 1}
    assert second.started_at == T0 + timedelta(days=1)
    assert second.finished_at == T0 + timedelta(days=1, hours=1)
    last = store.last_run("immoweb")
    assert last is not None
    assert last.status is RunStatus.RUNNING
    assert last.finished_at is None
    assert store.last_run("zimmo") == second
    assert store.last_run("immovlan") is None


def test_finish_run_refuses_bad_calls(store: Store) -> None:
    with pytest.raises(StoreError, match="unknown crawl run"):
        store.finish_run(42, RunStatus.COMPLETE)
    run = store.start_run("zimmo")
    with pytest.raises(StoreError, match="final status"):
        store.finish_run(run, RunStatus.RUNNING)
    store.finish_run(run, RunStatus.COMPLETE)
    with pytest.raises(StoreError, match="already finished"):
        store.finish_run(run, RunStatus.FAILED)
    with pytest.raises(StoreError, match="naive"):
        store.start_run("zimmo", started_at=datetime(2026, 1, 1))


def test_stats_summarise_sources_and_totals(store: Store, db_url: str) -> None:
    _crawl(store, ["1", "2"], RunStatus.COMPLETE, T0)
    _crawl(store, ["1"], RunStatus.COMPLETE, T0 + timedelta(days=1))
    store.upsert([make("7", source="immoweb")])

    stats = store.stats()

    assert stats["database"] == db_url
    assert stats["sources"]["zimmo"]["active"] == 1
    assert stats["sources"]["zimmo"]["gone"] == 1
    assert stats["sources"]["zimmo"]["last_run"]["status"] == "complete"
    assert stats["sources"]["zimmo"]["last_run"]["started_at"] == T0 + timedelta(days=1)
    assert stats["sources"]["immoweb"] == {"active": 1, "gone": 0, "last_run": None}
    assert stats["totals"] == {
        "listings": 3,
        "active": 2,
        "gone": 1,
        "observations": 4,
        "runs": 2,
    }


def test_urls_shown_hide_the_password() -> None:
    shown = store_module._public_url("postgresql+psycopg://woon:geheim@db.local:5432/immolijst")

    assert shown == "postgresql+psycopg://woon:***@db.local:5432/immolijst"


# -- engine, concurrency ----------------------------------------------------------------


def test_sqlite_connections_use_wal_and_foreign_keys(sqlite_url: str) -> None:
    with Store(sqlite_url) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) > 0


def test_two_writers_on_one_file_do_not_lose_updates(db_url: str) -> None:
    errors: list[BaseException] = []

    def writer(source: str) -> None:
        try:
            with Store(db_url) as mine:
                for i in range(15):
                    mine.upsert([make(f"{source}-{i}-{k}", source=source) for k in range(20)])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    Store(db_url).close()  # migrate once before the threads start
    threads = [threading.Thread(target=writer, args=(s,)) for s in ("zimmo", "immoweb")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with Store(db_url) as store:
        assert store.count(source="zimmo") == 300
        assert store.count(source="immoweb") == 300


def test_two_stores_opening_a_new_database_at_once_both_work(db_url: str) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def open_and_write(source: str) -> None:
        try:
            barrier.wait()
            with Store(db_url) as mine:
                mine.upsert([make("1", source=source)])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_and_write, args=(s,)) for s in ("zimmo", "immoweb")]
    for thread in threads:
        thread.start()
    barrier.wait()
    for thread in threads:
        thread.join()

    assert errors == []
    with Store(db_url) as store:
        assert store.current_revision() == store._head_revision()
        assert store.count() == 2


def _conflict(sqlstate: str) -> sa.exc.OperationalError:
    class DriverError(Exception):
        pass

    error = DriverError("conflict")
    error.sqlstate = sqlstate  # type: ignore[attr-defined]
    return sa.exc.OperationalError("UPDATE listings ...", {}, error)


def test_a_write_aborted_for_a_conflict_is_retried(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module.time, "sleep", lambda seconds: None)
    calls: list[int] = []

    def deadlocks_once() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise _conflict("40P01")  # deadlock detected
        return "done"

    assert store._retry(deadlocks_once) == "done"
    assert len(calls) == 2

    def always(sqlstate: str) -> Any:
        def work() -> None:
            calls.append(1)
            raise _conflict(sqlstate)

        return work

    calls.clear()
    with pytest.raises(sa.exc.OperationalError):
        store._retry(always("40001"))  # serialization failure, every time
    assert len(calls) == store_module._WRITE_ATTEMPTS
    calls.clear()
    with pytest.raises(sa.exc.OperationalError):
        store._retry(always("23505"))  # a real error (unique violation): no retry
    assert len(calls) == 1


def test_fast_insert_path_is_only_used_on_sqlite(store: Store, backend: str) -> None:
    store.upsert([make("1"), make("2")])

    assert bool(store._fast_inserts) is (backend == "sqlite")
    assert store.count() == 2


def test_timestamps_are_utc_whatever_the_server_time_zone(store: Store, backend: str) -> None:
    store.upsert([make(published_at=T0)], seen_at=T0)
    columns = {c["name"]: c["type"] for c in sa.inspect(store.engine).get_columns("listings")}

    stored = store.get("zimmo", "1")

    assert stored is not None
    assert stored.first_seen_at == T0
    assert stored.first_seen_at.utcoffset() == timedelta(0)
    assert stored.listing.published_at == T0
    assert stored.listing.published_at.utcoffset() == timedelta(0)
    if backend == "postgresql":
        # The test server runs in Europe/Brussels, so a UTC-only assumption would show.
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW timezone").scalar() == "Europe/Brussels"
        assert columns["first_seen_at"].timezone is True
        assert isinstance(columns["garden"], sa.Boolean)


# -- migrations -------------------------------------------------------------------------


def test_fresh_database_is_at_head_and_matches_the_tables(store: Store) -> None:
    assert store.current_revision() is not None
    assert store.current_revision() == store._head_revision()
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_new_database_without_create_asks_for_upgrade(db_url: str) -> None:
    store = Store(db_url, create=False)
    with pytest.raises(StoreError, match="immolijst db upgrade"):
        store.count()
    store.upgrade()
    assert store.count() == 0
    assert store.current_revision() == store._head_revision()
    store.close()


def _add_revision(migrations: Path, after: str) -> None:
    """Add revision ``9001`` after ``after`` (the shipped head) to a copy of the migrations."""
    (migrations / "versions" / "9001_extra.py").write_text(
        '"""Test revision."""\n'
        "import sqlalchemy as sa\n"
        "from alembic import op\n"
        'revision = "9001"\n'
        f"down_revision = {after!r}\n"
        "branch_labels = None\n"
        "depends_on = None\n\n\n"
        "def upgrade():\n"
        '    op.add_column("crawl_runs", sa.Column("note", sa.Text))\n\n\n'
        "def downgrade():\n"
        '    op.drop_column("crawl_runs", "note")\n',
        encoding="utf-8",
    )


def test_out_of_date_database_raises_until_upgraded(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(db_url) as old:
        old.upsert([make()])
        shipped = old.current_revision()
    assert shipped is not None
    newer = tmp_path / "migrations"
    shutil.copytree(
        store_module._MIGRATIONS_DIR, newer, ignore=shutil.ignore_patterns("__pycache__")
    )
    _add_revision(newer, after=shipped)
    monkeypatch.setattr(store_module, "_MIGRATIONS_DIR", newer)

    with pytest.raises(
        StoreError, match=rf"revision '{shipped}'.*latest is '9001'.*immolijst db upgrade"
    ):
        Store(db_url)

    store = Store(db_url, create=False)
    assert store.current_revision() == shipped
    store.upgrade()
    assert store.current_revision() == "9001"
    assert store.count() == 1  # data kept through the upgrade
    store.close()
    with Store(db_url) as reopened:
        assert reopened.get("zimmo", "1") is not None


def test_database_newer_than_the_code_is_refused(db_url: str) -> None:
    Store(db_url).close()
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()

    with pytest.raises(StoreError, match="newer than this version"):
        Store(db_url)


def test_foreign_tables_without_revision_are_refused(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE listings (id INTEGER PRIMARY KEY)")
    engine.dispose()

    with pytest.raises(StoreError, match="not created by immolijst"):
        Store(db_url)


# -- default URL ------------------------------------------------------------------------


def test_default_url_honours_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'from-env.sqlite3'}"
    monkeypatch.setenv("IMMOLIJST_DATABASE_URL", url)

    assert default_database_url() == url
    with Store() as store:
        assert store.url == url
        store.upsert([make()])
    assert (tmp_path / "from-env.sqlite3").exists()


def test_default_url_is_a_sqlite_file_in_the_user_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("IMMOLIJST_DATABASE_URL", raising=False)
    data_dir = tmp_path / "data" / "immolijst"
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda app: str(data_dir))

    url = default_database_url()

    assert url == f"sqlite:///{data_dir / 'immolijst.sqlite3'}"
    assert data_dir.is_dir()
