"""The body of an Alembic ``env.py`` run from code, shared by the store's and the app's migrations.

Both migration histories are run programmatically (``Store.upgrade``,
``AppDB.upgrade``), which hand over an open connection in
``config.attributes["connection"]``; no ``alembic.ini`` is needed. For
development, ``sqlalchemy.url`` in the config is used when no connection is
given, and offline mode renders SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, MetaData, create_engine

__all__ = ["run_environment"]


def run_environment(
    metadata: MetaData,
    *,
    version_table: str | None = None,
    include_object: Callable[..., bool] | None = None,
) -> None:
    """Run the migrations of the current Alembic context against ``metadata``.

    Does nothing when called outside Alembic (e.g. when doctest collection
    imports an ``env.py``).
    """
    from alembic import context

    try:
        config = context.config
    except (NameError, AttributeError):  # imported outside Alembic: nothing to run
        return
    options: dict[str, Any] = {"target_metadata": metadata}
    if version_table is not None:
        options["version_table"] = version_table
    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"), literal_binds=True, **options
        )
        with context.begin_transaction():
            context.run_migrations()
        return

    def run_with(connection: Connection) -> None:
        context.configure(
            connection=connection,
            include_object=include_object,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            **options,
        )
        with context.begin_transaction():
            context.run_migrations()

    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection given and no sqlalchemy.url configured")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            run_with(conn)
    finally:
        engine.dispose()
