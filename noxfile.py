"""Nox sessions: tests, lint, typecheck, bench, demo, record.

Dependency lists come from pyproject.toml (project extras and dependency groups).
`nox` alone runs the checks CI runs: tests, lint and typecheck.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "typecheck", "tests"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHON = "3.11"


def _install(session: nox.Session, *groups: str, extras: str = "all") -> None:
    session.install("-e", f".[{extras}]")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the whole test suite (doctests included)."""
    _install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff lint and format check."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """Mypy in strict mode on the libraries `listings` and `matcher`."""
    _install(session, "typing", extras="all")
    session.run("mypy", "--strict", "-p", "listings", "-p", "matcher")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Run every benchmark under bench/ and write the figures to bench/results/."""
    _install(session, "bench")
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        session.run("python", str(script), *session.posargs)


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """The main job, offline: fill a fresh SQLite store and show what came in."""
    _install(session)
    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    db = var / "demo.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    session.run("immolijst", "--db", f"sqlite:///{db}", "demo", *session.posargs)
    session.log(f"Demo store: {db} (try: immolijst --db sqlite:///{db} list)")


@nox.session(python=PYTHON, default=False)
def record(session: nox.Session) -> None:
    """Re-record the crawl cassettes from the live sites (needs internet; never in CI)."""
    if os.environ.get("CI"):
        session.error("record needs internet and is never run in CI")
    _install(session)
    out = session.posargs[0] if session.posargs else str(ROOT / "var" / "recordings")
    session.run("immolijst", "scrape", "--record", out)
