"""Alembic environment of the listings store.

Run programmatically by :meth:`listings.Store.upgrade`, which hands over an open
connection in ``config.attributes["connection"]``; no ``alembic.ini`` is needed.
For development, ``sqlalchemy.url`` in the config is used when no connection is
given. Importing this file outside Alembic (doctest collection) does nothing.
"""

from __future__ import annotations

from alembic import context
from alembic.config import Config
from sqlalchemy import Connection, create_engine

from listings._schema import metadata


def _run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
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
