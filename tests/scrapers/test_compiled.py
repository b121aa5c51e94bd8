"""The extractors run as the install says: compiled by mypyc, or pure Python.

``nox -s compiled`` installs the wheel built with the mypyc hook of pyproject.toml
and sets ``IMMOLIJST_COMPILED=1``; every other session uses an editable,
pure-Python install. Both runs are in CI, so both branches below are checked: the
compiled run really tests compiled modules (and all that the hook is told to
compile), and a pure-Python run is never shadowed by a stray compiled module left
in the source tree.
"""

from __future__ import annotations

import fnmatch
import os
import tomllib
from pathlib import Path

import scrapers.extract
from scrapers.extract import compiled_modules

ROOT = Path(__file__).resolve().parents[2]


def _hook_modules() -> list[str]:
    """The modules the mypyc build hook compiles, from its include/exclude in pyproject.toml."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    hook = config["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]["mypyc"]
    names = []
    for path in sorted((ROOT / "scrapers" / "extract").glob("*.py")):
        rel = "/" + path.relative_to(ROOT).as_posix()
        included = any(rel.startswith(pattern) for pattern in hook["include"])
        excluded = any(fnmatch.fnmatch(rel, pattern) for pattern in hook["exclude"])
        if included and not excluded:
            names.append(f"scrapers.extract.{path.stem}")
    return names


def test_the_hook_compiles_the_extractors_but_not_the_public_dataclasses() -> None:
    modules = _hook_modules()
    assert "scrapers.extract._tweedehands" in modules
    assert "scrapers.extract._immovlan" in modules
    assert "scrapers.extract._base" not in modules
    assert "scrapers.extract" not in modules
    assert "scrapers.extract.__init__" not in modules


def test_the_extractors_run_as_installed() -> None:
    compiled = compiled_modules()
    if os.environ.get("IMMOLIJST_COMPILED") == "1":
        assert compiled == _hook_modules()
        # the installed package, not the source tree
        assert not Path(scrapers.extract.__file__).resolve().is_relative_to(ROOT / "scrapers")
    else:
        assert compiled == [], f"compiled modules shadow the source: {compiled}"
