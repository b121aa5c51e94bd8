"""Alembic environment of the web app's tables (users, households, audit log, nightly runs).

Run from code by :meth:`immolijst.web.db.AppDB.upgrade`. The version is kept in its
own table, ``immolijst_app_version``, so these migrations share the database with the
listings store without touching its ``alembic_version``.
"""

from __future__ import annotations

from typing import Any

from immolijst.web.db import VERSION_TABLE, metadata
from listings._alembic_env import run_environment


def _include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    # Autogenerate must only look at the app's own tables, never the store's.
    return type_ != "table" or name in metadata.tables


run_environment(metadata, version_table=VERSION_TABLE, include_object=_include_object)
