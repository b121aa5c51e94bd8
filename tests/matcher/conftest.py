"""Scenario tests: every case in ``tests/matcher/scenarios/*.yaml`` becomes one pytest item.

A worker who knows the rules adds a case by writing YAML, no Python (OpenFisca's
YAML tests are the model). A file holds one scenario (a mapping) or a list of
scenarios. Each scenario has these keys:

``name``
    Short id, letters, digits, ``_ . -`` only; unique in its file. It is the test id:
    ``pytest "tests/matcher/scenarios/worked_examples.yaml::example_a"``.
``description``
    What the case shows (Dutch or English), with the hand calculation in ``#`` comments.
``date``
    The day the rules are applied for (``YYYY-MM-DD``).
``household``
    The household in its usual YAML form (``members``, ``income``, ``situation``,
    ``preferences``), as :func:`matcher._household.load_household` reads it.
``listing``
    :class:`listings.Listing` fields. ``source``, ``source_id`` and ``url`` may be
    left out (a ``zimmo`` advert named after the scenario is made up).
``expect``
    Any subset of what :func:`matcher.evaluate` returns; only what is written is checked:

    * ``allowances.huurpremie`` / ``allowances.huursubsidie``: ``eligible`` (true,
      false or null = unknown), ``monthly_eur``, ``one_off_eur``, ``failed_condition``
      (the condition that fails: a name such as ``rent``, a list of names, or null for
      none) and ``conditions.<name>`` (the outcome of one condition);
    * ``cost``: ``rent_eur``, ``charges_eur``, ``energy_eur``, ``allowance_eur``,
      ``net_monthly_eur``;
    * ``ratios``: ``rent_share``, ``housing_share`` (fractions), ``residual_eur``;
    * ``verdict`` (green, amber, red) and ``verdict_label``;
    * ``suitability``: ``suitable``, ``bedrooms_needed``, ``persons`` and
      ``checks.<name>`` (the outcome of one check: ``bedrooms``, ``need:garden``...);
    * ``deposit``: ``months``, ``amount_eur`` (or null for no hint);
    * ``estimated_contains`` / ``reasons_contain``: texts that must each appear in
      one of the ``estimated`` notes / the ``reasons``.
``absolute_tolerance`` (optional)
    How far a number may be off: a number for every amount, or ``{eur: 0.01,
    share: 0.001}``. Defaults: 0.01 for amounts, 0.001 for ``rent_share`` and
    ``housing_share``.

A failing scenario lists every difference as ``path: expected ..., actual ...``.

Files named ``evaluate_*.yaml`` are not scenarios: they are fixtures in another format
that ``test_evaluate.py`` and ``test_cost.py`` read themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from listings import Listing
from matcher._evaluation import Evaluation, evaluate
from matcher._household import load_household

SCENARIO_DIR = Path(__file__).parent / "scenarios"
_KEYS = {"name", "description", "date", "household", "listing", "expect", "absolute_tolerance"}
_REQUIRED = ("name", "description", "date", "household", "listing", "expect")
_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
_SHARE_KEYS = {"rent_share", "housing_share"}
_TEXT_LISTS = {"estimated_contains": "estimated", "reasons_contain": "reasons"}
_MISSING = object()


class ScenarioError(Exception):
    """A scenario file is not written the way the plugin expects."""


@dataclass(frozen=True)
class Mismatch:
    path: str
    expected: object
    actual: object
    note: str = ""


class ScenarioFailed(AssertionError):
    def __init__(self, mismatches: list[Mismatch]) -> None:
        super().__init__(f"{len(mismatches)} difference(s)")
        self.mismatches = mismatches


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix in (".yaml", ".yml") and file_path.parent == SCENARIO_DIR:
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[ScenarioItem]:
        try:
            data = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ScenarioError(f"{self.path.name}: not valid YAML: {exc}") from exc
        specs = data if isinstance(data, list) else [data]
        seen: set[str] = set()
        for number, spec in enumerate(specs, 1):
            where = f"{self.path.name}, scenario {number}"
            if not isinstance(spec, Mapping):
                raise ScenarioError(f"{where}: a scenario must be a mapping")
            unknown = sorted(set(spec) - _KEYS)
            missing = [key for key in _REQUIRED if key not in spec]
            if unknown or missing:
                raise ScenarioError(f"{where}: unknown keys {unknown}, missing keys {missing}")
            name = str(spec["name"])
            if not _NAME_RE.match(name) or name in seen:
                raise ScenarioError(f"{where}: name {name!r} is not a unique short id")
            seen.add(name)
            yield ScenarioItem.from_parent(self, name=name, spec=dict(spec))

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | Any:
        if isinstance(excinfo.value, ScenarioError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class ScenarioItem(pytest.Item):
    def __init__(self, *, spec: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = spec

    def runtest(self) -> None:
        spec = self.spec
        on = spec["date"] if isinstance(spec["date"], date) else date.fromisoformat(spec["date"])
        listing = {
            "source": "zimmo",
            "source_id": self.name,
            "url": f"https://www.zimmo.be/nl/scenario/{self.name}/",
            **spec["listing"],
        }
        evaluation = evaluate(load_household(spec["household"]), Listing(**listing), on)
        eur, share = _tolerances(spec.get("absolute_tolerance"))
        mismatches: list[Mismatch] = []
        expect = dict(spec["expect"])
        view = _view(evaluation)
        for key, texts in ((k, expect.pop(k, None)) for k in _TEXT_LISTS):
            actual_texts: list[str] = view[_TEXT_LISTS[key]]
            for wanted in texts or []:
                if not any(wanted in item for item in actual_texts):
                    mismatches.append(Mismatch(key, wanted, actual_texts, "text not found"))
        _compare(expect, view, "", eur, share, mismatches)
        if mismatches:
            raise ScenarioFailed(mismatches)

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | Any:
        if isinstance(excinfo.value, ScenarioFailed):
            lines = [f"scenario {self.name!r} ({self.path.name}): {self.spec['description']}"]
            for m in excinfo.value.mismatches:
                note = f"  ({m.note})" if m.note else ""
                lines.append(f"  {m.path}: expected {m.expected!r}, actual {m.actual!r}{note}")
            return "\n".join(lines)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"scenario {self.name}"


def _tolerances(value: object) -> tuple[float, float]:
    if value is None:
        return 0.01, 0.001
    if isinstance(value, int | float):
        return float(value), float(value)
    if isinstance(value, Mapping) and set(value) <= {"eur", "share"}:
        return float(value.get("eur", 0.01)), float(value.get("share", 0.001))
    raise ScenarioError(f"absolute_tolerance {value!r}: give a number or {{eur: .., share: ..}}")


def _view(ev: Evaluation) -> dict[str, Any]:
    """What a scenario can check, as plain data (condition and check outcomes by name)."""
    allowances = {
        a.name: {
            "eligible": a.eligible,
            "monthly_eur": a.monthly_eur,
            "one_off_eur": a.one_off_eur,
            "failed_condition": sorted(c.name for c in a.conditions if c.outcome is False),
            "conditions": {c.name: c.outcome for c in a.conditions},
        }
        for a in ev.allowances
    }
    suitability = ev.suitability
    return {
        "allowances": allowances,
        "cost": ev.cost.model_dump(),
        "ratios": ev.ratios.model_dump(),
        "verdict": ev.verdict,
        "verdict_label": ev.verdict_label,
        "suitability": {
            "suitable": suitability.suitable,
            "bedrooms_needed": suitability.bedrooms_needed,
            "persons": suitability.persons,
            "checks": {c.name: c.outcome for c in suitability.checks},
        },
        "deposit": None if ev.deposit is None else ev.deposit.model_dump(),
        "estimated": ev.estimated,
        "reasons": ev.reasons,
    }


def _compare(
    expected: object,
    actual: object,
    path: str,
    eur: float,
    share: float,
    out: list[Mismatch],
) -> None:
    if path.endswith("failed_condition"):
        names = expected if isinstance(expected, list) else [] if expected is None else [expected]
        expected = sorted(str(n) for n in names)
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            out.append(Mismatch(path, dict(expected), actual, "not a mapping"))
            return
        for key, value in expected.items():
            sub = f"{path}.{key}" if path else str(key)
            found = actual.get(key, _MISSING)
            if found is _MISSING:
                out.append(
                    Mismatch(sub, value, "<absent>", f"no such field; known: {sorted(actual)}")
                )
            else:
                _compare(value, found, sub, eur, share, out)
    elif isinstance(expected, int | float) and not isinstance(expected, bool):
        tolerance = share if path.rsplit(".", 1)[-1] in _SHARE_KEYS else eur
        number = isinstance(actual, int | float) and not isinstance(actual, bool)
        if not number or abs(float(actual) - float(expected)) > tolerance:  # type: ignore[arg-type]
            out.append(Mismatch(path, expected, actual, f"tolerance {tolerance:g}"))
    elif expected is None or isinstance(expected, bool):
        if actual is not expected:
            out.append(Mismatch(path, expected, actual))
    elif expected != actual:
        out.append(Mismatch(path, expected, actual))
