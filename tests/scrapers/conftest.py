"""Fixtures of the scrapers' tests."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: replay(source, recordings, db, *extra_args) -> (exit code, run summaries, stderr)
Replay = Callable[..., tuple[int, list[dict[str, Any]], str]]


def _replay(source: str, recordings: Path, db: Path, *args: str) -> tuple[int, list[Any], str]:
    """Replay ``source`` from ``recordings`` into the SQLite file ``db``, in a fresh process.

    A fresh process because Twisted's reactor cannot restart within one. ``-P``: the
    installed project (the compiled build under ``nox -s compiled``), not the source
    tree in the working directory.
    """
    proc = subprocess.run(
        [
            sys.executable,
            "-P",
            "-m",
            "scrapers.run",
            "--source",
            source,
            "--replay",
            str(recordings),
            "--db",
            f"sqlite:///{db}",
            "--json",
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = proc.stdout
    runs = json.loads(out[out.index("[") :]) if "[" in out else []
    return proc.returncode, runs, proc.stderr


@pytest.fixture
def replay() -> Replay:
    """Run a recorded crawl end to end: ``replay(source, recordings, db, *args)``."""
    return _replay
