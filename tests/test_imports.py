"""The libraries stay light: importing `listings` or `matcher` never imports Scrapy or the app."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["listings", "matcher"])
def test_library_import_does_not_pull_in_scrapy_or_the_app(package: str) -> None:
    code = (
        f"import sys, {package}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('scrapy', 'twisted', 'immolijst', 'scrapers'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"importing {package} imported {out}"


@pytest.mark.parametrize("package", ["listings", "matcher"])
def test_public_api_is_sorted_and_documented(package: str) -> None:
    module = __import__(package)
    names = list(module.__all__)
    # isort-style order (ruff RUF022): CONSTANTS, then Classes, then functions.
    assert names == sorted(
        names, key=lambda n: (0 if n.isupper() else 1 if n[0].isupper() else 2, n)
    )
    assert module.__doc__
    for name in names:
        obj = getattr(module, name)
        if callable(obj):
            assert obj.__doc__, f"{package}.{name} has no docstring"
