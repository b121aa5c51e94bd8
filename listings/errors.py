"""Typed errors raised by the :mod:`listings` package.

The CLI and the web app turn these into messages; library code never prints.
"""

from __future__ import annotations

__all__ = [
    "ImportRowError",
    "ListingsError",
    "ParseError",
    "PlaceNotFoundError",
    "StoreError",
]


class ListingsError(Exception):
    """Base class of every error raised by :mod:`listings`."""


class ParseError(ListingsError, ValueError):
    """A raw text could not be turned into a value.

    ``field`` names what was being parsed (``rent_eur``, ``epc_kwh_m2`` ...) and
    ``value`` is the raw text, so the message can say exactly what was wrong.
    """

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: cannot parse {value!r}: {reason}")


class PlaceNotFoundError(ListingsError, LookupError):
    """A place name or postcode did not match any Belgian place."""

    def __init__(self, query: str, suggestion: str | None = None) -> None:
        self.query = query
        self.suggestion = suggestion
        hint = f" (did you mean {suggestion!r}?)" if suggestion else ""
        super().__init__(f"unknown place {query!r}{hint}")


class StoreError(ListingsError, RuntimeError):
    """The store was used in a way it does not allow (unknown run, closed run...)."""


class ImportRowError(ListingsError, ValueError):
    """One row of an import file was rejected.

    Carries the 1-based ``line`` number and the list of ``problems`` as
    ``(field, value, reason)`` triples.
    """

    def __init__(self, line: int, problems: list[tuple[str, object, str]]) -> None:
        self.line = line
        self.problems = problems
        text = "; ".join(f"{f}={v!r}: {r}" for f, v, r in problems)
        super().__init__(f"line {line}: {text}")
