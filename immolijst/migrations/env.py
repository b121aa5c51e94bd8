"""Alembic environment of the web app's tables (users, households, audit log).

Run programmatically by :meth:`immolijst.web.db.AppDB.upgrade`, which hands over an
open connection in ``config.attributes["connection"]``; no ``alembic.ini`` is needed.
The version is kept in its own table, ``immolijst_app_version``, so these migrations
share the database with the listings store without touching its ``alembic_version``.
Importing this file outside Alembic does nothing.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from alembic.config import Config
from sqlalchemy import Connection, create_engine

from immolijst.web.db import VERSION_TABLE, metadata


def _include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    # Autogenerate must only look at the app's own tables, never the store's.
    return type_ != "table" or name in metadata.tables


def _run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        include_object=_include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_migrations(config: Config) -> None:
    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"),
            target_metadata=metadata,
            version_table=VERSION_TABLE,
            literal_binds=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_with(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection given and no sqlalchemy.url configured")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            _run_with(conn)
    finally:
        engine.dispose()


try:
    _config = context.config
except (NameError, AttributeError):  # imported outside Alembic: nothing to run
    pass
else:
    _run_migrations(_config)
