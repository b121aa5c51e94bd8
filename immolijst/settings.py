"""Application settings, read from the environment.

Every setting has an ``IMMOLIJST_`` environment variable; the CLI's global
options override them. Nothing here holds household data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

from listings import default_database_url

__all__ = ["Settings", "load_settings"]


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


@dataclass(frozen=True)
class Settings:
    """What the application needs to know about its environment.

    ``database_url``: SQLAlchemy URL of the store (``IMMOLIJST_DATABASE_URL``;
    default: a SQLite file in the user's data directory).
    ``parameters_dir``: directory with admin overrides of the rule parameters
    (``IMMOLIJST_PARAMETERS_DIR``; default: none).
    ``contact``: contact address sent in the crawler's user agent
    (``IMMOLIJST_CONTACT``).
    ``data_dir``: where the application keeps its files (``IMMOLIJST_DATA_DIR``).
    """

    database_url: str
    data_dir: Path
    parameters_dir: Path | None = None
    contact: str = "woonclub@w13.be"
    extra: dict[str, str] = field(default_factory=dict)


def load_settings(**overrides: object) -> Settings:
    """Read the settings from the environment; keyword arguments that are not None win."""
    data_dir = _env_path("IMMOLIJST_DATA_DIR") or Path(user_data_dir("immolijst", appauthor=False))
    # The store's own default (IMMOLIJST_DATABASE_URL or the SQLite file in the user data dir),
    # unless the app's data directory was moved.
    database_url = os.environ.get("IMMOLIJST_DATABASE_URL") or (
        f"sqlite:///{data_dir / 'immolijst.sqlite3'}"
        if "IMMOLIJST_DATA_DIR" in os.environ
        else default_database_url()
    )
    values: dict[str, object] = {
        "database_url": database_url,
        "data_dir": data_dir,
        "parameters_dir": _env_path("IMMOLIJST_PARAMETERS_DIR"),
        "contact": os.environ.get("IMMOLIJST_CONTACT", "woonclub@w13.be"),
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)  # type: ignore[arg-type]
