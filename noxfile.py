"""Nox sessions: tests, compiled, lint, typecheck, bench, demo, record.

Dependency lists come from pyproject.toml (project extras and dependency groups).
`nox` alone runs the checks CI runs: tests, compiled, lint and typecheck.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "typecheck", "tests", "compiled"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHON = "3.11"
#: The switch of the mypyc build hook in pyproject.toml (hatch's per-hook variable).
COMPILE = {"HATCH_BUILD_HOOK_ENABLE_MYPYC": "1"}


#: uv byte-compiles what it installs (pip does so anyway). Where PYTHONDONTWRITEBYTECODE is
#: set (it is on our build machines), no process writes a cache, so every fresh process (the
#: tests' and the bench's crawl replays) compiled Scrapy, Twisted and pandas from source
#: again: about 2 s each.
INSTALL_ENV = {"UV_COMPILE_BYTECODE": "1"}


def _install(session: nox.Session, *groups: str, extras: str = "all") -> None:
    session.install("-e", f".[{extras}]", env=INSTALL_ENV)
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group), env=INSTALL_ENV)


#: What a copy of the tree for a compiled build leaves out (environments, caches, output).
_NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".nox",
    ".venv",
    "var",
    "build",
    "dist",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "*.so",
)


def _install_compiled(session: nox.Session, *groups: str) -> None:
    """Install the project as a wheel with the mypyc-compiled extractors (not editable).

    The dependencies come with an editable install first, which the compiled build
    then replaces. The build runs on a fresh copy of the tree: hatch-mypyc leaves
    its compiled modules in the tree it builds, and in this one they would shadow
    the source for every editable install. The project is rebuilt every time, so
    the compiled extractors are those of the current source.
    """
    if not (os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")):
        session.error(
            "the compiled extractors need a C compiler and the Python headers "
            "(Debian: apt install gcc libc6-dev python3-dev; .ci/run installs them)"
        )
    _install(session, *groups)
    # outside the tree: mypy would take this project's own pyproject.toml for its settings
    with tempfile.TemporaryDirectory(prefix="immolijst-compiled-") as tmp:
        copy = Path(tmp) / "immolijst"
        shutil.copytree(ROOT, copy, ignore=_NOT_SOURCE)
        reinstall = "--reinstall" if session.venv_backend == "uv" else "--force-reinstall"
        session.install("--no-deps", reinstall, str(copy), env={**INSTALL_ENV, **COMPILE})


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the whole test suite (doctests included)."""
    _install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def compiled(session: nox.Session) -> None:
    """Run the scrapers tests against the mypyc-compiled extractors (the build `bench` measures).

    pytest runs from its console script with ``--import-mode=importlib`` (the
    project's setting), so ``scrapers`` is the installed, compiled package and not
    the source tree; ``IMMOLIJST_COMPILED=1`` makes ``tests/scrapers/test_compiled.py``
    check that it is.
    """
    _install_compiled(session, "test")
    session.run(
        "pytest",
        "tests/scrapers",
        *session.posargs,
        env={"IMMOLIJST_COMPILED": "1"},
    )


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
    """Run every benchmark under bench/ and write the figures to bench/results/.

    The project is installed with the compiled extractors (see `compiled`); the
    scrapers benchmark also measures the pure-Python extractors of the source tree.
    """
    _install_compiled(session, "bench")
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
