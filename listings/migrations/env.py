"""Alembic environment of the listings store (run from code by :meth:`listings.Store.upgrade`)."""

from __future__ import annotations

from listings._alembic_env import run_environment
from listings._schema import metadata

run_environment(metadata)
