"""Database access shared by the nightly modules: one engine, short write transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from sqlalchemy.engine import Connection, Engine

from listings._store import _make_engine

__all__ = ["open_engine", "write"]

#: Execution option read by the store's SQLite ``begin`` hook (``BEGIN IMMEDIATE``).
_BEGIN_OPTION: Final = "immolijst_sqlite_begin"


def open_engine(url: str) -> Engine:
    """Return an engine for ``url`` with the store's connection settings (WAL, busy timeout)."""
    return _make_engine(url)


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """One write transaction; on SQLite it takes the write lock at once (``BEGIN IMMEDIATE``)."""
    with engine.connect() as conn:
        conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        with conn.begin():
            yield conn
