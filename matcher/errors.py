"""Typed errors raised by the :mod:`matcher` package.

The CLI and the web app turn these into messages; library code never prints.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "HouseholdError",
    "MatcherError",
    "ParameterError",
    "Problem",
]


class MatcherError(Exception):
    """Base class of every error raised by :mod:`matcher`."""


class ParameterError(MatcherError):
    """A rule parameter file is invalid, or a parameter was asked that does not exist.

    The message always names the YAML file (when there is one) and the problem.
    ``file`` holds that file's path as text, or ``None`` for an unknown name.

    >>> str(ParameterError("no value before 2019-05-01", file="max_rent.yaml"))
    'max_rent.yaml: no value before 2019-05-01'
    """

    def __init__(self, message: str, *, file: str | None = None) -> None:
        self.file = file
        self.message = message
        super().__init__(f"{file}: {message}" if file else message)


@dataclass(frozen=True)
class Problem:
    """One problem found in a household description.

    >>> Problem("members[1].birth_date", "2090-01-01", "lies in the future",
    ...         "Geboortedatum ligt in de toekomst").path
    'members[1].birth_date'
    """

    path: str
    """Where the problem is, e.g. ``"members[1].birth_date"`` or ``"income.taxable_annual"``."""
    value: object
    """The offending value as given (``None`` when the field is missing)."""
    reason: str
    """What is wrong, in English (for logs and developers)."""
    reason_nl: str
    """What is wrong, in short plain Dutch (B1) for the web form."""

    def __str__(self) -> str:
        return f"{self.path}={self.value!r}: {self.reason}"


class HouseholdError(MatcherError, ValueError):
    """A household description was rejected; ``problems`` lists every problem at once.

    >>> err = HouseholdError([Problem("income.taxable_annual", -5, "must not be negative",
    ...                               "Mag niet negatief zijn")])
    >>> str(err)
    'invalid household (1 problem): income.taxable_annual=-5: must not be negative'
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        count = len(self.problems)
        label = "problem" if count == 1 else "problems"
        text = "; ".join(str(p) for p in self.problems)
        super().__init__(f"invalid household ({count} {label}): {text}")
