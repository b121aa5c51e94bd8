"""Scraping helpers of ``scrapers.extract._values``: street lines, availability, price problems.

The street-line and availability cases were the tests of Zimmo's own
``parse_address`` and ``parse_free_on``, which these shared helpers replace.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from listings._parse import parse_price
from scrapers.extract._values import (
    availability_of,
    fact_fields,
    price_problem,
    split_address_line,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Doorniksestr. 12/3", ("Doorniksestr.", "12", "3")),
        ("Doorniksestraat 12 bus 3", ("Doorniksestraat", "12", "3")),
        ("Rijselstraat 40A", ("Rijselstraat", "40A", None)),
        ("Grote Markt", ("Grote Markt", None, None)),
        (None, (None, None, None)),
    ],
)
def test_split_address_line(text: str | None, expected: tuple[str | None, ...]) -> None:
    assert split_address_line(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/01/2027", (date(2027, 1, 15), None)),
        ("Onmiddellijk", (None, True)),
        ("in overleg", (None, None)),
        ("31/02/2027", (None, None)),
        (None, (None, None)),
    ],
)
def test_availability_of(text: str | None, expected: tuple[Any, Any]) -> None:
    assert availability_of(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Verhuurd", "rented"),
        ("Te koop € 250.000", "sale"),
        ("Prijs op aanvraag", "no_price"),
        (None, "no_price"),
        ("€ 700 - € 800", "no_price"),
        ("€ 750", None),
    ],
)
def test_price_problem_codes(text: str | None, code: str | None) -> None:
    problem = price_problem("https://x.be/1", "1", parse_price(text))
    assert (problem.code if problem else None) == code


def test_price_problem_names_the_price_text() -> None:
    problem = price_problem("https://x.be/1", "1", parse_price("Prijs op aanvraag"))
    assert problem is not None
    assert (problem.field, problem.value, problem.source_id) == (
        "price_raw",
        "Prijs op aanvraag",
        "1",
    )


@pytest.mark.parametrize(
    ("label", "value", "expected"),
    [
        ("Waarborg:", "2 maanden huur", {}),
        ("Waarborg:", "€ 1.400", {"deposit_eur": 1400.0}),
        ("Lift:", "aanwezig", {"elevator": True}),
        ("Huisdieren:", "niet toegelaten", {"pets_allowed": False}),
        ("EPC-waarde:", "312", {"epc_kwh_m2": 312.0}),
        ("EPC label:", "B", {"epc_label": "B"}),
        ("Beschikbaar:", "nu", {"available_now": True}),
        ("Beschikbaar:", "in overleg", {}),
    ],
)
def test_fact_fields_read_values_with_listings_parsers(
    label: str, value: str, expected: dict[str, object]
) -> None:
    assert fact_fields(label, value) == expected
