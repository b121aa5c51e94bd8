"""A lock so that two nightly runs never overlap.

On PostgreSQL the lock is a session-level advisory lock (``pg_try_advisory_lock``)
held on a dedicated connection for the whole run, so two machines that share
one server exclude each other too; the server releases it when the process dies
(kill -9 included). On SQLite it is an exclusive ``fcntl.flock`` on the file
``<database>.nightly.lock`` next to the database file; the kernel releases it when
the process dies. Acquiring never waits: a second run learns at once that the
lock is held (:class:`LockHeldError`).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import IO, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url

__all__ = ["ADVISORY_LOCK_KEY", "LockHeldError", "NightlyLock", "lock_file_for"]

#: Key of the PostgreSQL advisory lock of the nightly job (a constant of this application).
ADVISORY_LOCK_KEY: Final = 0x1_3140_0007


class LockHeldError(RuntimeError):
    """Another nightly run holds the lock."""


def lock_file_for(url: str, fallback_dir: Path) -> Path:
    """Return the lock file of a SQLite database URL (in ``fallback_dir`` for in-memory ones)."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return fallback_dir / "nightly.lock"
    path = Path(database).expanduser()
    return path.with_name(path.name + ".nightly.lock")


class NightlyLock:
    """The nightly job's exclusive lock for the database at ``url``.

    Use as a context manager, or call :meth:`acquire` and :meth:`release`.
    ``fallback_dir`` holds the lock file of an in-memory SQLite database.
    """

    def __init__(self, url: str, *, fallback_dir: Path | None = None) -> None:
        self.url = url
        self._backend = make_url(url).get_backend_name()
        self._fallback_dir = fallback_dir or Path.cwd()
        self._file: IO[bytes] | None = None
        self._engine: Engine | None = None
        self._conn: Connection | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock now."""
        return self._file is not None or self._conn is not None

    def describe(self) -> str:
        """Where the lock lives (a file path, or the advisory lock key), for log lines."""
        if self._backend == "postgresql":
            return f"postgresql advisory lock {ADVISORY_LOCK_KEY}"
        return str(lock_file_for(self.url, self._fallback_dir))

    def acquire(self) -> None:
        """Take the lock at once, or raise :class:`LockHeldError`."""
        if self.held:
            return
        if self._backend == "postgresql":
            self._acquire_advisory()
        else:
            self._acquire_file()

    def _acquire_file(self) -> None:
        path = lock_file_for(self.url, self._fallback_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+b")  # noqa: SIM115 - held open for the whole run
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise LockHeldError(f"another nightly run holds {path}") from None
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
        self._file = handle

    def _acquire_advisory(self) -> None:
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        conn = engine.connect()
        try:
            got = conn.execute(
                sa.select(sa.func.pg_try_advisory_lock(ADVISORY_LOCK_KEY))
            ).scalar_one()
            conn.commit()
        except BaseException:
            conn.close()
            engine.dispose()
            raise
        if not got:
            conn.close()
            engine.dispose()
            raise LockHeldError(f"another nightly run holds the advisory lock {ADVISORY_LOCK_KEY}")
        self._engine, self._conn = engine, conn

    def release(self) -> None:
        """Give the lock back (nothing happens when it is not held)."""
        if self._file is not None:
            try:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            finally:
                self._file.close()
                self._file = None
        if self._conn is not None:
            try:
                self._conn.execute(sa.select(sa.func.pg_advisory_unlock(ADVISORY_LOCK_KEY)))
                self._conn.commit()
            finally:
                self._conn.close()
                self._conn = None
                if self._engine is not None:
                    self._engine.dispose()
                    self._engine = None

    def __enter__(self) -> NightlyLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
