"""Rule parameters as dated data: one YAML file per parameter under ``matcher/parameters/``.

Every legal or policy figure the matcher uses (income limits, maximum rents,
premium caps, leefloon, energy prices ...) lives in a YAML file whose values
are keyed by the date each value takes effect. :func:`load_parameters` reads
the bundled files and, optionally, an *override directory* where an admin adds
next year's values without a new release. :class:`Parameters` answers "the
value of X on date D" and says when the answer is an estimate.

>>> params = load_parameters()
>>> params.number("income_limit", date(2024, 6, 1), "single")
29515.0
>>> params.get("max_rent", date(2023, 3, 1)).status
'confirmed'
>>> params.get("max_rent", date(2024, 3, 1)).estimated
True
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeAlias

import yaml
from pydantic import BaseModel, ConfigDict

from matcher._yaml import load_yaml_text
from matcher.errors import ParameterError

__all__ = [
    "ParameterValue",
    "Parameters",
    "Value",
    "load_parameters",
    "parameter_report",
]

#: What a parameter value can be: a number, a label, a list of names or a small table.
Value: TypeAlias = float | str | list[str] | dict[str, float]

_TOP_KEYS = {"description", "unit", "reference", "values", "valid_months"}
_ENTRY_KEYS = {"value", "status", "source"}
_STATUSES = ("confirmed", "estimated")


class ParameterValue(BaseModel):
    """The value of one parameter on one date, with where it comes from.

    ``estimated`` is True when the value itself is an estimate *or* when the
    date asked lies after the period the last confirmed value covers (the
    latest value is then used, and must be shown "onder voorbehoud").
    """

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    name: str
    """Parameter name, the YAML file name without ``.yaml`` (``"max_rent"``)."""
    description: str
    """What the parameter is, in English."""
    unit: str
    """Unit of the value (``"EUR/month"``, ``"EUR/year"``, ``"ratio"`` ...)."""
    reference: str
    """URL or legal reference of the official source."""
    value: Value
    """The value: a number, a label, a list of names or a table of numbers by key."""
    effective_from: date
    """Date this value takes effect."""
    status: Literal["confirmed", "estimated"]
    """Status of the value as recorded in the file."""
    estimated: bool
    """True when ``status`` is estimated or the date asked is past the last confirmed value."""
    last_confirmed: date | None
    """Effective date of the latest confirmed value (``None``: never confirmed)."""
    overridden: bool
    """True when this value came from the override directory."""
    file: str
    """Path of the YAML file the value was read from."""
    source: str = ""
    """Source note of this particular value (``"[S11] vlaanderen.be ..."``)."""


@dataclass(frozen=True)
class _Entry:
    effective_from: date
    value: Value
    status: Literal["confirmed", "estimated"]
    source: str
    file: str
    overridden: bool


@dataclass(frozen=True)
class _Series:
    name: str
    description: str
    unit: str
    reference: str
    valid_months: int | None
    entries: tuple[_Entry, ...]  # sorted by effective_from
    file: str
    overridden: bool  # the file (or some of its values) came from the override directory

    @property
    def last_confirmed(self) -> _Entry | None:
        confirmed = [e for e in self.entries if e.status == "confirmed"]
        return confirmed[-1] if confirmed else None

    def confirmed_until(self) -> date | None:
        """First date the last confirmed value no longer covers (``None``: covers forever)."""
        last = self.last_confirmed
        if last is None:
            return None
        later = [e.effective_from for e in self.entries if e.effective_from > last.effective_from]
        if later:
            return later[0]
        if self.valid_months is None:
            return None
        return _add_months(last.effective_from, self.valid_months)

    def is_stale(self, on: date) -> bool:
        until = self.confirmed_until()
        return until is not None and on >= until


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    # Parameter dates are the first of a month in practice; clamp for safety.
    for last_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, last_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


class Parameters:
    """A loaded set of rule parameters; ask for a value on a date.

    Build it with :func:`load_parameters`. All methods raise
    :class:`~matcher.errors.ParameterError` for an unknown name, a date
    before the first value, or a missing table key.
    """

    def __init__(self, series: Mapping[str, _Series], override_dir: Path | None = None) -> None:
        self._series = dict(sorted(series.items()))
        self.override_dir = override_dir
        """The override directory these parameters were loaded with, if any."""

    def __repr__(self) -> str:
        return f"Parameters({len(self._series)} parameters, override_dir={self.override_dir!r})"

    def __contains__(self, name: object) -> bool:
        return name in self._series

    def __iter__(self) -> Iterator[str]:
        return iter(self._series)

    def _get_series(self, name: str) -> _Series:
        try:
            return self._series[name]
        except KeyError:
            raise ParameterError(
                f"unknown parameter {name!r}; known: {', '.join(self._series)}"
            ) from None

    def get(self, name: str, on: date) -> ParameterValue:
        """Return the value of parameter ``name`` that applies on ``on``.

        >>> load_parameters().get("leefloon", date(2024, 6, 1)).value["family"]
        1741.29
        >>> load_parameters().get("leefloon", date(2020, 1, 1))
        Traceback (most recent call last):
        ...
        matcher.errors.ParameterError: .../leefloon.yaml: no value on 2020-01-01: ...
        """
        series = self._get_series(name)
        applicable = [e for e in series.entries if e.effective_from <= on]
        if not applicable:
            first = series.entries[0].effective_from
            raise ParameterError(
                f"no value on {on.isoformat()}: "
                f"the first value takes effect on {first.isoformat()}",
                file=series.file,
            )
        entry = applicable[-1]
        last = series.last_confirmed
        return ParameterValue(
            name=series.name,
            description=series.description,
            unit=series.unit,
            reference=series.reference,
            value=entry.value,
            effective_from=entry.effective_from,
            status=entry.status,
            estimated=entry.status == "estimated" or series.is_stale(on),
            last_confirmed=last.effective_from if last else None,
            overridden=entry.overridden,
            file=entry.file,
            source=entry.source,
        )

    def number(self, name: str, on: date, key: str | None = None) -> float:
        """Return a numeric value: the scalar itself, or one ``key`` of a table.

        >>> load_parameters().number("max_rent_ptl_factor", date(2024, 1, 1), "2")
        1.4
        """
        pv = self.get(name, on)
        value = pv.value
        if key is None:
            if isinstance(value, float):
                return value
            raise ParameterError(
                f"parameter {name!r} is a {type(value).__name__}, not a number; pass a key",
                file=pv.file,
            )
        if isinstance(value, dict):
            try:
                return value[key]
            except KeyError:
                raise ParameterError(
                    f"parameter {name!r} has no key {key!r} (keys: {', '.join(value)})",
                    file=pv.file,
                ) from None
        raise ParameterError(f"parameter {name!r} is not a table; key {key!r} given", file=pv.file)

    def names(self) -> list[str]:
        """Return every parameter name, sorted."""
        return list(self._series)

    def table(self, on: date) -> list[ParameterValue]:
        """Return every parameter that has a value on ``on`` (sorted by name)."""
        out: list[ParameterValue] = []
        for name, series in self._series.items():
            if series.entries[0].effective_from <= on:
                out.append(self.get(name, on))
        return out

    def stale(self, on: date) -> list[ParameterValue]:
        """Return the parameters whose date ``on`` is past the last confirmed value.

        Their answer on ``on`` is an estimate or an old value carried forward;
        a worker should read amounts that use them "onder voorbehoud".
        """
        return [
            self.get(name, on)
            for name, series in self._series.items()
            if series.entries[0].effective_from <= on and series.is_stale(on)
        ]


# -- loading -------------------------------------------------------------------


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _parse_value(raw: object, where: str, file: str) -> Value:
    number = _number(raw)
    if number is not None:
        return number
    if isinstance(raw, str):
        if not raw.strip():
            raise ParameterError(f"{where}: empty text value", file=file)
        return raw
    if isinstance(raw, list):
        if not all(isinstance(item, str) and item.strip() for item in raw):
            raise ParameterError(f"{where}: a list value must hold non-empty names", file=file)
        return [str(item) for item in raw]
    if isinstance(raw, dict):
        if not raw:
            raise ParameterError(f"{where}: empty table", file=file)
        table: dict[str, float] = {}
        for key, item in raw.items():
            item_number = _number(item)
            if item_number is None:
                raise ParameterError(
                    f"{where}: table key {key!r} must be a number, got {item!r}", file=file
                )
            table[str(key)] = item_number
        return table
    raise ParameterError(
        f"{where}: value must be a number, a text, a list of names or a table of numbers, "
        f"got {raw!r}",
        file=file,
    )


def _shape(value: Value) -> tuple[str, tuple[str, ...]]:
    if isinstance(value, dict):
        return ("table", tuple(sorted(value)))
    return (type(value).__name__, ())


def _parse_file(path: Path, *, overridden: bool) -> _Series:
    file = str(path)
    try:
        data = load_yaml_text(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterError(f"cannot read file: {exc}", file=file) from exc
    except yaml.YAMLError as exc:
        raise ParameterError(f"not valid YAML: {exc}", file=file) from exc
    if not isinstance(data, dict):
        raise ParameterError("the file must hold a mapping with description, unit, ...", file=file)
    unknown = sorted(set(map(str, data)) - _TOP_KEYS)
    if unknown:
        raise ParameterError(f"unknown top-level key(s): {', '.join(unknown)}", file=file)
    texts: dict[str, str] = {}
    for key in ("description", "unit", "reference"):
        text = data.get(key)
        if not isinstance(text, str) or not text.strip():
            raise ParameterError(f"{key!r} is missing or empty", file=file)
        texts[key] = text.strip()
    valid_months = data.get("valid_months")
    if valid_months is not None and (
        isinstance(valid_months, bool) or not isinstance(valid_months, int) or valid_months < 1
    ):
        raise ParameterError(
            f"'valid_months' must be a positive whole number, got {valid_months!r}", file=file
        )
    values = data.get("values")
    if not isinstance(values, dict) or not values:
        raise ParameterError("'values' is missing or empty", file=file)
    entries: list[_Entry] = []
    shapes: set[tuple[str, tuple[str, ...]]] = set()
    for raw_day, raw_entry in values.items():
        try:
            day = date.fromisoformat(str(raw_day))
        except ValueError:
            raise ParameterError(
                f"values: key {raw_day!r} is not a date (YYYY-MM-DD)", file=file
            ) from None
        where = f"values[{day.isoformat()}]"
        if not isinstance(raw_entry, dict):
            raise ParameterError(
                f"{where}: must be a mapping with value, status, source", file=file
            )
        keys = set(map(str, raw_entry))
        if keys != _ENTRY_KEYS:
            missing = sorted(_ENTRY_KEYS - keys)
            extra = sorted(keys - _ENTRY_KEYS)
            detail = "; ".join(
                part
                for part in (
                    f"missing {', '.join(missing)}" if missing else "",
                    f"unknown {', '.join(extra)}" if extra else "",
                )
                if part
            )
            raise ParameterError(f"{where}: {detail}", file=file)
        status = raw_entry["status"]
        if status not in _STATUSES:
            raise ParameterError(
                f"{where}: status must be 'confirmed' or 'estimated', got {status!r}", file=file
            )
        source = raw_entry["source"]
        if not isinstance(source, str) or not source.strip():
            raise ParameterError(f"{where}: 'source' is missing or empty", file=file)
        value = _parse_value(raw_entry["value"], where, file)
        shapes.add(_shape(value))
        entries.append(
            _Entry(
                effective_from=day,
                value=value,
                status=status,
                source=source.strip(),
                file=file,
                overridden=overridden,
            )
        )
    if len(shapes) > 1:
        raise ParameterError(
            "values do not all have the same form (number, text, list, or table with the same "
            "keys)",
            file=file,
        )
    entries.sort(key=lambda e: e.effective_from)
    return _Series(
        name=path.stem,
        description=texts["description"],
        unit=texts["unit"],
        reference=texts["reference"],
        valid_months=valid_months,
        entries=tuple(entries),
        file=file,
        overridden=overridden,
    )


def _merge(base: _Series, override: _Series) -> _Series:
    """Add the override file's values to the bundled series (same date: the override wins)."""
    if override.unit != base.unit:
        raise ParameterError(
            f"unit {override.unit!r} differs from the bundled file's unit {base.unit!r}",
            file=override.file,
        )
    if _shape(override.entries[0].value) != _shape(base.entries[0].value):
        raise ParameterError(
            "values do not have the same form as the bundled file's values "
            f"({_describe_shape(base.entries[0].value)})",
            file=override.file,
        )
    by_day = {e.effective_from: e for e in base.entries}
    by_day.update({e.effective_from: e for e in override.entries})
    return _Series(
        name=base.name,
        description=override.description,
        unit=base.unit,
        reference=override.reference,
        valid_months=override.valid_months or base.valid_months,
        entries=tuple(sorted(by_day.values(), key=lambda e: e.effective_from)),
        file=override.file,
        overridden=True,
    )


def _describe_shape(value: Value) -> str:
    if isinstance(value, dict):
        return "a table with keys " + ", ".join(sorted(value))
    if isinstance(value, list):
        return "a list of names"
    return "a number" if isinstance(value, float) else "a text"


def _bundled_files() -> list[Path]:
    folder = resources.files("matcher") / "parameters"
    return sorted(Path(str(item)) for item in folder.iterdir() if item.name.endswith(".yaml"))


@functools.lru_cache(maxsize=16)
def _load(override_dir: str | None) -> Parameters:
    series: dict[str, _Series] = {}
    for path in _bundled_files():
        parsed = _parse_file(path, overridden=False)
        series[parsed.name] = parsed
    folder: Path | None = None
    if override_dir is not None:
        folder = Path(override_dir)
        if not folder.is_dir():
            raise ParameterError(f"override directory {override_dir!r} does not exist")
        for path in sorted(folder.glob("*.yaml")):
            parsed = _parse_file(path, overridden=True)
            base = series.get(parsed.name)
            series[parsed.name] = parsed if base is None else _merge(base, parsed)
    return Parameters(series, folder)


def load_parameters(override_dir: str | Path | None = None) -> Parameters:
    """Load the bundled parameter files, plus the YAML files of ``override_dir`` if given.

    An override file has the same name and format as the bundled file it
    extends (see ``matcher/parameters/README.md``); its values are validated
    the same way, added to the bundled values (an override value for the same
    date replaces the bundled one) and reported as ``overridden``. An override
    file with a new name adds a new parameter. Results are cached per
    directory; every error is a :class:`~matcher.errors.ParameterError` that
    names the file.
    """
    key = None if override_dir is None else str(Path(override_dir).resolve())
    return _load(key)


def parameter_report(on: date, override_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """Return one row per parameter on date ``on``, for ``immolijst parameters --date D``.

    Each row has: name, value, unit, status, estimated, effective_from,
    last_confirmed, reference, overridden, stale. Parameters whose first value
    lies after ``on`` are left out.

    >>> rows = parameter_report(date(2024, 6, 1))
    >>> row = next(r for r in rows if r["name"] == "premium_cap")
    >>> row["value"]["base_plus10"], row["status"], row["stale"]
    (195.54, 'confirmed', False)
    """
    params = load_parameters(override_dir)
    stale = {pv.name for pv in params.stale(on)}
    return [
        {
            "name": pv.name,
            "value": pv.value,
            "unit": pv.unit,
            "status": pv.status,
            "estimated": pv.estimated,
            "effective_from": pv.effective_from,
            "last_confirmed": pv.last_confirmed,
            "reference": pv.reference,
            "overridden": pv.overridden,
            "stale": pv.name in stale,
        }
        for pv in params.table(on)
    ]
