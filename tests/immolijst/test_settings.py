"""Settings come from the environment, with the store's default database URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from immolijst.settings import load_settings


def test_database_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMMOLIJST_DATABASE_URL", "postgresql+psycopg://u@localhost/immo")
    assert load_settings().database_url == "postgresql+psycopg://u@localhost/immo"


def test_default_is_a_sqlite_file_in_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("IMMOLIJST_DATABASE_URL", raising=False)
    monkeypatch.setenv("IMMOLIJST_DATA_DIR", str(tmp_path))
    settings = load_settings()
    assert settings.data_dir == tmp_path
    assert settings.database_url == f"sqlite:///{tmp_path / 'immolijst.sqlite3'}"


def test_default_without_overrides_is_the_store_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("IMMOLIJST_DATABASE_URL", raising=False)
    monkeypatch.delenv("IMMOLIJST_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    url = load_settings().database_url
    assert url.startswith("sqlite:///")
    assert url.endswith("immolijst/immolijst.sqlite3")
    assert str(tmp_path) in url


def test_explicit_overrides_win(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("IMMOLIJST_PARAMETERS_DIR", str(tmp_path))
    settings = load_settings(database_url="sqlite:///x.sqlite3", contact="test@example.org")
    assert settings.database_url == "sqlite:///x.sqlite3"
    assert settings.contact == "test@example.org"
    assert settings.parameters_dir == tmp_path
