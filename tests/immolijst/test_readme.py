"""The README's two set-up commands are the ones CI and nox actually run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Two commands on a fresh machine", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, flags=re.S)


def test_readme_has_exactly_two_setup_commands() -> None:
    commands = _commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert commands[0].endswith("nox -s demo")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert _commands()[1] in ci


def test_default_nox_sessions_run_tests_lint_and_typecheck() -> None:
    noxfile = (ROOT / "noxfile.py").read_text()
    # and the scrapers tests against the compiled extractors (README, "Compiled extractors")
    assert 'nox.options.sessions = ["lint", "typecheck", "tests", "compiled"]' in noxfile
