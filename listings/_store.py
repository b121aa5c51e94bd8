"""The listings store: current listings, observation history and crawl runs.

SQLAlchemy Core 2 over a SQLite file by default (WAL mode), or any SQLAlchemy
URL given to :class:`Store` or through ``IMMOLIJST_DATABASE_URL``. The schema
is created and changed by the Alembic migrations shipped in
``listings/migrations``.

Write paths keep transactions short and explicit: one transaction per batch
of upserts, and a run's gone-marking together with its status change in one
transaction, so a process killed at any point leaves the store consistent. On
SQLite every write transaction starts with ``BEGIN IMMEDIATE`` so concurrent
writers queue (``busy_timeout``) instead of failing on a lock upgrade. On
PostgreSQL (``postgresql+psycopg://...``, the ``[postgres]`` extra) an upsert
batch locks the rows it will change first, in key order, so concurrent writers
queue instead of deadlocking; a transaction the server still aborts for a
conflict (deadlock, serialization failure) is run again. :meth:`Store.stats`
reads one consistent snapshot on both databases.

>>> from datetime import datetime, UTC
>>> from listings import Listing
>>> store = Store("sqlite://")
>>> run = store.start_run("zimmo")
>>> store.upsert([Listing(source="zimmo", source_id="K1", url="https://www.zimmo.be/k1",
...                       rent_eur=750)], run_id=run)
UpsertResult(new=1, updated=0, unchanged=0)
>>> store.finish_run(run, RunStatus.COMPLETE).status
<RunStatus.COMPLETE: 'complete'>
>>> store.get("zimmo", "K1").listing.rent_eur
750.0
>>> store.close()
"""

from __future__ import annotations

import hashlib
import json
import operator
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any, Final, NamedTuple, TypeVar

import platformdirs
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, make_url

from listings._model import Listing, PropertyType
from listings._schema import LISTING_COLUMNS, crawl_runs, listings_table, observations
from listings.errors import StoreError

__all__ = [
    "DATABASE_URL_ENV",
    "CrawlRun",
    "Observation",
    "RunStatus",
    "Store",
    "StoredListing",
    "UpsertResult",
    "default_database_url",
]

#: Environment variable that overrides the default database URL.
DATABASE_URL_ENV: Final = "IMMOLIJST_DATABASE_URL"
_APP_NAME: Final = "immolijst"
_DB_FILENAME: Final = "immolijst.sqlite3"
#: How long a SQLite connection waits for a lock held by another writer, ms.
_SQLITE_BUSY_TIMEOUT_MS: Final = 30_000
#: Page cache per SQLite connection, KiB (the default 2 MiB thrashes on big batches).
_SQLITE_CACHE_KIB: Final = 65_536
_MIGRATIONS_DIR: Path = Path(__file__).resolve().parent / "migrations"
_STORE_TABLES: Final = frozenset({"listings", "observations", "crawl_runs"})
#: Keys per ``IN (...)`` when preloading a batch (well under every driver's limit).
_IN_CHUNK: Final = 500
_BEGIN_OPTION: Final = "immolijst_sqlite_begin"
#: Columns excluded from the content hash: they change on every fetch.
_UNHASHED: Final = frozenset({"scraped_at"})
_HASHED_COLUMNS: Final = tuple(c for c in LISTING_COLUMNS if c not in _UNHASHED)
_GET_LISTING_VALUES: Final = operator.itemgetter(*LISTING_COLUMNS)
_GET_HASHED_VALUES: Final = operator.itemgetter(*_HASHED_COLUMNS)
_DATETIME_COLUMNS: Final = frozenset({"published_at", "scraped_at"})
_UPGRADE_HINT: Final = "run `immolijst db upgrade` (or Store.upgrade())"
#: Tries of one write transaction that the server aborted to resolve a conflict.
_WRITE_ATTEMPTS: Final = 8
#: SQLSTATEs of such aborts (deadlock detected, serialization failure): retrying is safe.
_TRANSIENT_SQLSTATES: Final = frozenset({"40P01", "40001"})
#: Key of the PostgreSQL advisory lock that serialises concurrent migrations.
_MIGRATION_LOCK_KEY: Final = 0x1_2206_0001
_T = TypeVar("_T")


def default_database_url() -> str:
    """Return the database URL to use when none is given.

    ``$IMMOLIJST_DATABASE_URL`` when set and not empty, otherwise a SQLite file
    ``immolijst.sqlite3`` in the user's data directory (created if missing).
    """
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return url
    data_dir = Path(platformdirs.user_data_dir(_APP_NAME))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / _DB_FILENAME}"


class RunStatus(StrEnum):
    """Status of a crawl run."""

    RUNNING = "running"
    COMPLETE = "complete"
    PARTIAL = "partial"
    FAILED = "failed"


@dataclass(frozen=True)
class UpsertResult:
    """What an :meth:`Store.upsert` call did.

    ``new`` listings were inserted, ``updated`` ones had a stored field change
    (or came back after being gone), ``unchanged`` ones were only seen again.
    """

    new: int
    updated: int
    unchanged: int

    def __add__(self, other: UpsertResult) -> UpsertResult:
        return UpsertResult(
            self.new + other.new,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )


@dataclass(frozen=True)
class CrawlRun:
    """One crawl of one source.

    ``counts`` holds the store's own tallies (``new``, ``updated``,
    ``unchanged``, summed over the run's upserts) merged with the counts the
    crawler passed to :meth:`Store.finish_run` (the crawler's keys win).
    ``gone_marked`` is the number of listings this run marked gone.
    """

    id: int
    source: str
    started_at: datetime
    finished_at: datetime | None
    status: RunStatus
    counts: dict[str, Any]
    gone_marked: int


@dataclass(frozen=True)
class Observation:
    """One sighting of a listing: when, in which run, at which price."""

    run_id: int | None
    seen_at: datetime
    rent_eur: float | None
    charges_eur: float | None
    price_raw: str | None


@dataclass(frozen=True)
class StoredListing:
    """A listing as stored, with its store id and life cycle timestamps."""

    listing: Listing
    id: int
    first_seen_at: datetime
    last_seen_at: datetime
    gone_at: datetime | None
    active: bool


class _Existing(NamedTuple):
    id: int
    content_hash: str
    gone_at: datetime | None
    rent_eur: float | None
    charges_eur: float | None
    price_raw: str | None


# -- engine ---------------------------------------------------------------------


def _set_wal(cursor: Any) -> None:
    """Switch the file to WAL mode, retrying while another connection holds it.

    Switching the journal mode needs the file to itself; when several stores open
    a new database at once, SQLite can answer "database is locked" at once instead
    of waiting for the busy timeout. Once one connection has switched, the mode is
    persistent and the pragma returns at once.
    """
    for attempt in range(50):
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.1)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own
    # transaction handling defers BEGIN and cannot do BEGIN IMMEDIATE).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {_SQLITE_BUSY_TIMEOUT_MS}")
        _set_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA cache_size = -{_SQLITE_CACHE_KIB}")
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def _is_transient(exc: sa.exc.DBAPIError) -> bool:
    """Whether the server aborted the transaction only to resolve a conflict (retry it)."""
    return getattr(exc.orig, "sqlstate", None) in _TRANSIENT_SQLSTATES


def _public_url(url: str) -> str:
    """``url`` with its password masked, for messages and stats.

    >>> _public_url("postgresql+psycopg://woon:geheim@db.local/immolijst")
    'postgresql+psycopg://woon:***@db.local/immolijst'
    """
    return make_url(url).render_as_string(hide_password=True)


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, pool_pre_ping=True)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(parsed)
    sa.event.listen(engine, "connect", _sqlite_on_connect)
    sa.event.listen(engine, "begin", _sqlite_on_begin)
    return engine


# -- conversions ----------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None, name: str) -> datetime:
    """Return ``value`` in UTC (now when None); a naive datetime is refused."""
    if value is None:
        return _now()
    if value.tzinfo is None or value.utcoffset() is None:
        raise StoreError(f"{name}={value!r} is a naive datetime: give a timezone-aware one")
    return value.astimezone(UTC)


def _listing_row(listing: Listing) -> dict[str, Any]:
    """Return the stored column values of ``listing`` (without store bookkeeping)."""
    # pydantic keeps the validated field values in __dict__; itemgetter reads them in C.
    row: dict[str, Any] = dict(
        zip(LISTING_COLUMNS, _GET_LISTING_VALUES(listing.__dict__), strict=True)
    )
    if row["property_type"] is not None:
        row["property_type"] = str(row["property_type"].value)
    row["image_urls"] = json.dumps(row["image_urls"], ensure_ascii=False)
    for name in _DATETIME_COLUMNS:
        value = row[name]
        if value is not None and value.tzinfo is not UTC:
            row[name] = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return row


def _content_hash(row: Mapping[str, Any]) -> str:
    text = repr(_GET_HASHED_VALUES(row))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _listing_from_row(row: Mapping[Any, Any]) -> Listing:
    """Rebuild a :class:`Listing` from stored values (validated when written)."""
    values = {name: row[name] for name in LISTING_COLUMNS}
    if values["property_type"] is not None:
        values["property_type"] = PropertyType(values["property_type"])
    values["image_urls"] = json.loads(values["image_urls"] or "[]")
    return Listing.model_construct(**values)


def _stored_from_row(row: Mapping[Any, Any]) -> StoredListing:
    return StoredListing(
        listing=_listing_from_row(row),
        id=row["id"],
        first_seen_at=row["first_seen_at"],
        last_seen_at=row["last_seen_at"],
        gone_at=row["gone_at"],
        active=row["gone_at"] is None,
    )


def _run_from_row(row: Mapping[Any, Any]) -> CrawlRun:
    counts: dict[str, Any] = {
        "new": row["n_new"],
        "updated": row["n_updated"],
        "unchanged": row["n_unchanged"],
    }
    counts.update(json.loads(row["counts"] or "{}"))
    return CrawlRun(
        id=row["id"],
        source=row["source"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        status=RunStatus(row["status"]),
        counts=counts,
        gone_marked=row["gone_marked"],
    )


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


#: Whether SQLite bulk inserts may bypass Core's per-row parameter handling (tests switch it).
_FAST_BULK_INSERT = True


class _PositionalInsert:
    """A Core INSERT compiled once and run as a driver-level executemany.

    SQLAlchemy's executemany builds and processes a parameter dict per row, which
    costs about twice what SQLite itself needs for a wide row. For drivers with
    positional (``qmark``) parameters this runs the *same* compiled SQL with
    tuples, converting each value with the column type's own bind processor, so
    the SQL and the stored values are exactly those of the Core path.
    """

    def __init__(self, sql: str, order: Sequence[str], processors: Sequence[Any]) -> None:
        self.sql = sql
        self._get = operator.itemgetter(*order)
        self._processors = [(i, p) for i, p in enumerate(processors) if p is not None]

    @classmethod
    def compile(
        cls, stmt: Any, table: sa.Table, keys: Sequence[str], dialect: sa.Dialect
    ) -> _PositionalInsert | None:
        """Compile ``stmt`` for rows with ``keys``; ``None`` when it cannot run positionally."""
        compiled = stmt.compile(dialect=dialect, column_keys=list(keys))
        order = compiled.positiontup
        if not order or not set(order) <= set(keys) or compiled.literal_execute_params:
            return None
        processors = [
            table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in order
        ]
        return cls(str(compiled), order, processors)

    def execute(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert ``rows`` with one executemany in the connection's transaction."""
        params: list[tuple[Any, ...]] = []
        get, processors = self._get, self._processors
        for row in rows:
            values = list(get(row))
            for index, process in processors:
                values[index] = process(values[index])
            params.append(tuple(values))
        conn.exec_driver_sql(self.sql, params)


# -- the store ------------------------------------------------------------------


class Store:
    """The listings store over one database.

    ``url`` is any SQLAlchemy URL; ``None`` means :func:`default_database_url`.
    With ``create=True`` a new (empty) database is migrated to the latest
    schema at once; a database at an older schema revision is never upgraded
    silently: :class:`~listings.StoreError` asks to run ``immolijst db upgrade``.
    With ``create=False`` nothing is checked until the first use, so
    ``Store(url, create=False).upgrade()`` can bring any database up to date.

    Use it as a context manager, or call :meth:`close`.
    """

    url: str
    """The database URL this store was opened with."""
    engine: Engine
    """The SQLAlchemy engine (for read-only queries of other modules)."""

    def __init__(self, url: str | None = None, *, create: bool = True) -> None:
        self.url = url if url is not None else default_database_url()
        self.engine = _make_engine(self.url)
        self._schema_checked = False
        self._fast_inserts: dict[tuple[str, ...], _PositionalInsert | None] = {}
        if create:
            try:
                self._check_schema(create=True)
            except BaseException:
                self.engine.dispose()
                raise

    # -- life cycle ----------------------------------------------------------

    def close(self) -> None:
        """Release every database connection of this store."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self._safe_url()!r})"

    def _safe_url(self) -> str:
        return _public_url(self.url)

    @property
    def _is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One explicit write transaction (``BEGIN IMMEDIATE`` on SQLite)."""
        with self.engine.connect() as conn:
            conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                yield conn

    def _retry(self, work: Callable[[], _T]) -> _T:
        """Run the write transaction ``work``, again when the server aborted it for a conflict.

        PostgreSQL aborts one of two transactions that wait on each other
        (deadlock) and then the whole transaction is rolled back, so running it
        again is safe. SQLite writers queue instead and never get here.
        """
        for attempt in range(1, _WRITE_ATTEMPTS + 1):
            try:
                return work()
            except sa.exc.DBAPIError as exc:
                if attempt == _WRITE_ATTEMPTS or not _is_transient(exc):
                    raise
            time.sleep(random.uniform(0, 0.02 * attempt))  # let the other transaction finish
        raise AssertionError("unreachable")  # pragma: no cover

    @contextmanager
    def _read(self, *, snapshot: bool = False) -> Iterator[Connection]:
        """Open a connection for reading; with ``snapshot``, all its queries see one state.

        SQLite reads in one transaction always see one state (WAL snapshot);
        PostgreSQL needs ``REPEATABLE READ`` for that (each statement sees the
        latest commit otherwise).
        """
        self._ensure_schema()
        with self.engine.connect() as conn:
            if snapshot and not self._is_sqlite:
                conn.execution_options(isolation_level="REPEATABLE READ")
            yield conn

    # -- migrations ----------------------------------------------------------

    def _alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    def _head_revision(self) -> str | None:
        return ScriptDirectory.from_config(self._alembic_config()).get_current_head()

    def current_revision(self) -> str | None:
        """Return the schema revision of the database (``None`` for a new database)."""
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def upgrade(self) -> None:
        """Migrate the database to the latest schema revision (``alembic upgrade head``).

        Runs in one transaction. On SQLite, foreign keys are switched off during
        the migration (table rebuilds would otherwise cascade) and checked after.
        """
        config = self._alembic_config()
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection if self._is_sqlite else None
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = OFF")
            try:
                conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
                with conn.begin():
                    if conn.dialect.name == "postgresql":
                        # Two stores opening a new database at once: the second waits,
                        # then finds the schema at head and has nothing to do.
                        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK_KEY)))
                    config.attributes["connection"] = conn
                    command.upgrade(config, "head")
                    if raw is not None:
                        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                        if broken:
                            raise StoreError(
                                f"migration left {len(broken)} broken foreign keys; rolled back"
                            )
            finally:
                if raw is not None:
                    raw.execute("PRAGMA foreign_keys = ON")
        self._schema_checked = True

    def _check_schema(self, *, create: bool) -> None:
        head = self._head_revision()
        with self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            tables = set(sa.inspect(conn).get_table_names())
        where = self._safe_url()
        if current is None:
            if tables & _STORE_TABLES:
                raise StoreError(
                    f"database {where} has listings tables but no schema revision: "
                    "it was not created by immolijst"
                )
            if not create:
                raise StoreError(f"database {where} has no immolijst schema yet: {_UPGRADE_HINT}")
            self.upgrade()
            return
        if current != head:
            script = ScriptDirectory.from_config(self._alembic_config())
            known = {rev.revision for rev in script.walk_revisions()}
            if current not in known:
                raise StoreError(
                    f"database {where} is at schema revision {current!r}, newer than this "
                    f"version of immolijst knows (latest {head!r}): upgrade immolijst"
                )
            raise StoreError(
                f"database {where} is at schema revision {current!r}, "
                f"the latest is {head!r}: {_UPGRADE_HINT}"
            )
        self._schema_checked = True

    def _ensure_schema(self) -> None:
        if not self._schema_checked:
            self._check_schema(create=False)

    # -- crawl runs ----------------------------------------------------------

    def start_run(self, source: str, *, started_at: datetime | None = None) -> int:
        """Record the start of a crawl of ``source`` and return the new run's id."""
        self._ensure_schema()
        started = _aware(started_at, "started_at")
        with self._write() as conn:
            result = conn.execute(
                sa.insert(crawl_runs)
                .values(
                    source=source,
                    started_at=started,
                    status=RunStatus.RUNNING.value,
                    counts="{}",
                )
                .returning(crawl_runs.c.id)
            )
            return int(result.scalar_one())

    def _load_run(self, conn: Connection, run_id: int) -> CrawlRun:
        row = conn.execute(sa.select(crawl_runs).where(crawl_runs.c.id == run_id)).first()
        if row is None:
            raise StoreError(f"unknown crawl run {run_id}")
        return _run_from_row(row._mapping)

    def finish_run(
        self,
        run_id: int,
        status: RunStatus,
        counts: Mapping[str, Any] | None = None,
        *,
        finished_at: datetime | None = None,
    ) -> CrawlRun:
        """Close a crawl run with its final ``status`` and the crawler's ``counts``.

        A :attr:`RunStatus.COMPLETE` run marks gone (``gone_at = finished_at``)
        every active listing of its source that it did not see; a partial or
        failed run marks nothing gone. The gone-marking and the status change
        are one transaction.
        """
        self._ensure_schema()
        status = RunStatus(status)
        if status is RunStatus.RUNNING:
            raise StoreError("finish_run needs a final status: complete, partial or failed")
        finished = _aware(finished_at, "finished_at")
        extra = json.dumps(dict(counts or {}), default=str, sort_keys=True)
        return self._retry(lambda: self._finish_run(run_id, status, extra, finished))

    def _finish_run(
        self, run_id: int, status: RunStatus, extra: str, finished: datetime
    ) -> CrawlRun:
        with self._write() as conn:
            run = self._load_run(conn, run_id)
            if run.status is not RunStatus.RUNNING:
                raise StoreError(f"crawl run {run_id} is already finished ({run.status})")
            gone_marked = 0
            if status is RunStatus.COMPLETE:
                seen_in_run = (
                    sa.select(observations.c.id)
                    .where(
                        observations.c.listing_id == listings_table.c.id,
                        observations.c.run_id == run_id,
                    )
                    .exists()
                )
                result = conn.execute(
                    sa.update(listings_table)
                    .where(
                        listings_table.c.source == run.source,
                        listings_table.c.gone_at.is_(None),
                        ~seen_in_run,
                    )
                    .values(gone_at=finished)
                )
                gone_marked = result.rowcount
            conn.execute(
                sa.update(crawl_runs)
                .where(crawl_runs.c.id == run_id)
                .values(
                    finished_at=finished,
                    status=status.value,
                    counts=extra,
                    gone_marked=gone_marked,
                )
            )
            return self._load_run(conn, run_id)

    def runs(self, source: str | None = None, limit: int | None = None) -> list[CrawlRun]:
        """Return crawl runs, newest first, optionally of one ``source`` only."""
        with self._read() as conn:
            return self._runs(conn, source, limit)

    @staticmethod
    def _runs(conn: Connection, source: str | None, limit: int | None) -> list[CrawlRun]:
        query = sa.select(crawl_runs).order_by(
            crawl_runs.c.started_at.desc(), crawl_runs.c.id.desc()
        )
        if source is not None:
            query = query.where(crawl_runs.c.source == source)
        if limit is not None:
            query = query.limit(limit)
        return [_run_from_row(row._mapping) for row in conn.execute(query)]

    def last_run(self, source: str) -> CrawlRun | None:
        """Return the newest crawl run of ``source``, or ``None`` when it was never crawled."""
        runs = self.runs(source, limit=1)
        return runs[0] if runs else None

    # -- upsert --------------------------------------------------------------

    def upsert(
        self,
        listings: Iterable[Listing],
        *,
        run_id: int | None = None,
        seen_at: datetime | None = None,
        batch_size: int = 5000,
    ) -> UpsertResult:
        """Insert new listings and update known ones, in batches.

        Each batch is one transaction. The keys and content hashes of a batch
        are loaded first to split it into inserts (``new``), updates
        (``updated``: a stored field changed, or a gone listing came back, which
        clears ``gone_at``) and ``unchanged`` listings (only ``last_seen_at`` and
        ``scraped_at`` move). Every listing's sighting is recorded as an
        :class:`Observation`: with a ``run_id``, one per listing per run (seeing
        it again in the same run adds none); without one, only when the listing
        is new or its price changed. Upserting the same listings twice is
        therefore idempotent.

        With a ``run_id`` the run must be running and every listing must come
        from the run's source.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size={batch_size} must be at least 1")
        self._ensure_schema()
        seen = _aware(seen_at, "seen_at")
        total = UpsertResult(0, 0, 0)
        batch: dict[tuple[str, str], Listing] = {}
        for listing in listings:
            key = listing.key
            if key in batch or len(batch) >= batch_size:
                # A repeated key goes to the next batch, so each batch sees it once.
                total += self._upsert_batch(list(batch.values()), run_id, seen)
                batch = {}
            batch[key] = listing
        if batch:
            total += self._upsert_batch(list(batch.values()), run_id, seen)
        return total

    def _insert(self, table: sa.Table) -> Any:
        """Return a dialect-specific INSERT (with ON CONFLICT where the dialect has it)."""
        name = self.engine.dialect.name
        if name == "sqlite":
            return sqlite.insert(table)
        if name == "postgresql":
            return postgresql.insert(table)
        return sa.insert(table)

    def _preload(
        self, conn: Connection, batch: Sequence[Listing]
    ) -> dict[tuple[str, str], _Existing]:
        by_source: dict[str, list[str]] = {}
        for listing in batch:
            by_source.setdefault(listing.source, []).append(listing.source_id)
        t = listings_table
        existing: dict[tuple[str, str], _Existing] = {}
        # Lock the known rows (PostgreSQL; SQLite writers are serialised already) in
        # one order for every writer, key by key, so two writers of the same listings
        # queue instead of deadlocking, and the values read stay current until commit.
        lock = not self._is_sqlite
        for source, ids in sorted(by_source.items()):
            for chunk in _chunks(sorted(ids) if lock else ids, _IN_CHUNK):
                query = sa.select(
                    t.c.source_id,
                    t.c.id,
                    t.c.content_hash,
                    t.c.gone_at,
                    t.c.rent_eur,
                    t.c.charges_eur,
                    t.c.price_raw,
                ).where(t.c.source == source, t.c.source_id.in_(chunk))
                if lock:
                    query = query.order_by(t.c.source_id.collate("C")).with_for_update()
                for row in conn.execute(query):
                    existing[(source, row[0])] = _Existing(*row[1:])
        return existing

    def _observed_in_run(self, conn: Connection, run_id: int, ids: Sequence[int]) -> set[int]:
        observed: set[int] = set()
        for chunk in _chunks(ids, _IN_CHUNK):
            query = sa.select(observations.c.listing_id).where(
                observations.c.run_id == run_id, observations.c.listing_id.in_(chunk)
            )
            observed.update(conn.execute(query).scalars())
        return observed

    def _upsert_batch(
        self, batch: Sequence[Listing], run_id: int | None, seen: datetime
    ) -> UpsertResult:
        return self._retry(lambda: self._upsert_batch_once(batch, run_id, seen))

    def _upsert_batch_once(
        self, batch: Sequence[Listing], run_id: int | None, seen: datetime
    ) -> UpsertResult:
        rows = [_listing_row(listing) for listing in batch]
        hashes = [_content_hash(row) for row in rows]
        t = listings_table
        with self._write() as conn:
            if run_id is not None:
                self._check_run_accepts(conn, run_id, batch)
            existing = self._preload(conn, batch)
            observed = (
                self._observed_in_run(conn, run_id, [e.id for e in existing.values()])
                if run_id is not None
                else set()
            )

            inserts: list[dict[str, Any]] = []
            updates: list[dict[str, Any]] = []
            touches: list[dict[str, Any]] = []
            observe_ids: list[int] = []  # existing listings that get a new observation
            reobserve_ids: list[int] = []  # observed earlier in this run, price changed since
            for listing, row, digest in zip(batch, rows, hashes, strict=True):
                old = existing.get(listing.key)
                if old is None:
                    row.update(content_hash=digest, first_seen_at=seen, last_seen_at=seen)
                    inserts.append(row)
                    continue
                price = (row["rent_eur"], row["charges_eur"], row["price_raw"])
                price_changed = price != (old.rent_eur, old.charges_eur, old.price_raw)
                if run_id is None:
                    if price_changed:
                        observe_ids.append(old.id)
                elif old.id not in observed:
                    observe_ids.append(old.id)
                elif price_changed:
                    reobserve_ids.append(old.id)
                if old.content_hash != digest or old.gone_at is not None:
                    row.update(_id=old.id, content_hash=digest, last_seen_at=seen, gone_at=None)
                    updates.append(row)
                else:
                    touches.append(
                        {"_id": old.id, "last_seen_at": seen, "scraped_at": row["scraped_at"]}
                    )

            if inserts:
                self._insert_rows(conn, inserts)
            if updates:
                values: dict[str, Any] = {
                    name: sa.bindparam(name) for name in updates[0] if name != "_id"
                }
                conn.execute(
                    sa.update(t).where(t.c.id == sa.bindparam("_id")).values(values), updates
                )
            if touches:
                conn.execute(
                    sa.update(t)
                    .where(t.c.id == sa.bindparam("_id"))
                    .values(
                        last_seen_at=sa.bindparam("last_seen_at"),
                        scraped_at=sa.bindparam("scraped_at"),
                    ),
                    touches,
                )
            # Observations copy the price just written to the listing rows, set-wise
            # (INSERT ... SELECT), which is far cheaper than one parameter set per row.
            by_source: dict[str, list[str]] = {}
            for row in inserts:
                by_source.setdefault(row["source"], []).append(row["source_id"])
            for source, source_ids in by_source.items():
                for chunk in _chunks(source_ids, _IN_CHUNK):
                    where = sa.and_(t.c.source == source, t.c.source_id.in_(chunk))
                    conn.execute(self._observe_stmt(run_id, seen, where))
            for chunk in _chunks(observe_ids, _IN_CHUNK):
                conn.execute(self._observe_stmt(run_id, seen, t.c.id.in_(chunk)))
            if reobserve_ids:
                assert run_id is not None
                o = observations

                def current(column: sa.Column[Any]) -> Any:
                    return sa.select(column).where(t.c.id == o.c.listing_id).scalar_subquery()

                for chunk in _chunks(reobserve_ids, _IN_CHUNK):
                    conn.execute(
                        sa.update(o)
                        .where(o.c.run_id == run_id, o.c.listing_id.in_(chunk))
                        .values(
                            seen_at=seen,
                            rent_eur=current(t.c.rent_eur),
                            charges_eur=current(t.c.charges_eur),
                            price_raw=current(t.c.price_raw),
                        )
                    )
            result = UpsertResult(len(inserts), len(updates), len(touches))
            if run_id is not None:
                conn.execute(
                    sa.update(crawl_runs)
                    .where(crawl_runs.c.id == run_id)
                    .values(
                        n_new=crawl_runs.c.n_new + result.new,
                        n_updated=crawl_runs.c.n_updated + result.updated,
                        n_unchanged=crawl_runs.c.n_unchanged + result.unchanged,
                    )
                )
        return result

    def _check_run_accepts(self, conn: Connection, run_id: int, batch: Sequence[Listing]) -> None:
        run = self._load_run(conn, run_id)
        if run.status is not RunStatus.RUNNING:
            raise StoreError(f"crawl run {run_id} is already finished ({run.status})")
        strangers = sorted({lst.source for lst in batch} - {run.source})
        if strangers:
            raise StoreError(
                f"crawl run {run_id} is of source {run.source!r}; "
                f"cannot record listings of {', '.join(map(repr, strangers))} in it"
            )

    def _insert_rows(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        """Insert new listing rows: Core executemany, or its compiled SQL on SQLite."""
        stmt = self._insert_listings_stmt()
        keys = tuple(rows[0])
        fast = self._fast_inserts.get(keys)
        if fast is None and _FAST_BULK_INSERT and self.engine.dialect.paramstyle == "qmark":
            fast = self._fast_inserts[keys] = _PositionalInsert.compile(
                stmt, listings_table, keys, self.engine.dialect
            )
        if fast is None:
            conn.execute(stmt, rows)
        else:
            fast.execute(conn, rows)

    def _insert_listings_stmt(self) -> Any:
        """INSERT of new listing rows; ON CONFLICT updates a row a concurrent writer added."""
        t = listings_table
        stmt = self._insert(t)
        if self.engine.dialect.name in ("sqlite", "postgresql"):
            excluded = stmt.excluded
            refreshed = (*LISTING_COLUMNS, "content_hash", "last_seen_at")
            stmt = stmt.on_conflict_do_update(
                index_elements=[t.c.source, t.c.source_id],
                set_={name: excluded[name] for name in refreshed if name not in t.primary_key}
                | {"gone_at": sa.null()},
            )
        return stmt

    def _observe_stmt(self, run_id: int | None, seen: datetime, where: Any) -> Any:
        """INSERT one observation per listing row matching ``where``, at its current price."""
        t, o = listings_table, observations
        source = sa.select(
            t.c.id,
            sa.literal(run_id, sa.Integer).label("run_id"),
            sa.literal(seen, o.c.seen_at.type).label("seen_at"),
            t.c.rent_eur,
            t.c.charges_eur,
            t.c.price_raw,
        ).where(where)
        stmt = self._insert(o).from_select(
            ["listing_id", "run_id", "seen_at", "rent_eur", "charges_eur", "price_raw"], source
        )
        if run_id is not None and self.engine.dialect.name in ("sqlite", "postgresql"):
            # A concurrent writer may have recorded this sighting already.
            stmt = stmt.on_conflict_do_nothing(index_elements=[o.c.listing_id, o.c.run_id])
        return stmt

    # -- reading -------------------------------------------------------------

    def get(self, source: str, source_id: str) -> StoredListing | None:
        """Return the stored listing with this key, active or gone, or ``None``."""
        t = listings_table
        query = sa.select(t).where(t.c.source == source, t.c.source_id == str(source_id))
        with self._read() as conn:
            row = conn.execute(query).first()
        return None if row is None else _stored_from_row(row._mapping)

    def history(self, source: str, source_id: str) -> list[Observation]:
        """Return every sighting of a listing, oldest first (empty when unknown)."""
        t, o = listings_table, observations
        query = (
            sa.select(o.c.run_id, o.c.seen_at, o.c.rent_eur, o.c.charges_eur, o.c.price_raw)
            .join(t, t.c.id == o.c.listing_id)
            .where(t.c.source == source, t.c.source_id == str(source_id))
            .order_by(o.c.seen_at, o.c.id)
        )
        with self._read() as conn:
            return [Observation(*row) for row in conn.execute(query)]

    @staticmethod
    def _filter(query: sa.Select[Any], active: bool | None, source: str | None) -> sa.Select[Any]:
        t = listings_table
        if active is True:
            query = query.where(t.c.gone_at.is_(None))
        elif active is False:
            query = query.where(t.c.gone_at.is_not(None))
        if source is not None:
            query = query.where(t.c.source == source)
        return query

    def iter_listings(
        self, *, active: bool | None = True, source: str | None = None
    ) -> Iterator[StoredListing]:
        """Yield stored listings in store order (``active=None``: active and gone)."""
        query = self._filter(sa.select(listings_table), active, source)
        query = query.order_by(listings_table.c.id)
        with self._read() as conn:
            result = conn.execution_options(yield_per=1000).execute(query)
            for row in result:
                yield _stored_from_row(row._mapping)

    def count(self, *, active: bool | None = True, source: str | None = None) -> int:
        """Count stored listings (``active=None``: active and gone)."""
        query = self._filter(sa.select(sa.func.count()).select_from(listings_table), active, source)
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def stats(self) -> dict[str, Any]:
        """Summarise the store: per source active/gone counts and last run; totals.

        Keys: ``database`` (the URL without password), ``sources`` (source →
        ``{"active", "gone", "last_run"}``, where ``last_run`` is ``None`` or
        ``{"id", "status", "started_at", "finished_at"}``) and ``totals``
        (``listings``, ``active``, ``gone``, ``observations``, ``runs``).
        """
        t = listings_table
        gone = sa.func.sum(sa.case((t.c.gone_at.is_not(None), 1), else_=0))
        per_source = sa.select(t.c.source, sa.func.count(), gone).group_by(t.c.source)
        with self._read(snapshot=True) as conn:  # one state: counts and runs agree
            sources: dict[str, dict[str, Any]] = {}
            for source, n_all, n_gone in conn.execute(per_source):
                n_gone = int(n_gone or 0)
                sources[source] = {"active": int(n_all) - n_gone, "gone": n_gone, "last_run": None}
            n_obs = conn.execute(sa.select(sa.func.count()).select_from(observations)).scalar_one()
            n_runs = conn.execute(sa.select(sa.func.count()).select_from(crawl_runs)).scalar_one()
            run_sources = conn.execute(sa.select(crawl_runs.c.source).distinct()).scalars().all()
            last_runs = {source: self._runs(conn, source, 1) for source in set(run_sources)}
        for source in sorted(last_runs):
            run = last_runs[source][0] if last_runs[source] else None
            entry = sources.setdefault(source, {"active": 0, "gone": 0, "last_run": None})
            if run is not None:
                entry["last_run"] = {
                    "id": run.id,
                    "status": run.status.value,
                    "started_at": run.started_at,
                    "finished_at": run.finished_at,
                }
        active = sum(s["active"] for s in sources.values())
        n_gone_total = sum(s["gone"] for s in sources.values())
        return {
            "database": self._safe_url(),
            "sources": dict(sorted(sources.items())),
            "totals": {
                "listings": active + n_gone_total,
                "active": active,
                "gone": n_gone_total,
                "observations": int(n_obs),
                "runs": int(n_runs),
            },
        }
