"""evaluate(): worked examples of flanders.md §14 as YAML scenarios, verdict rules, JSON form."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from listings import Listing
from matcher._cost import CostParameters
from matcher._evaluation import Evaluation, decide_verdict, evaluate
from matcher._household import Household
from matcher._parameters import load_parameters
from matcher._texts import format_eur, format_number, format_percent, text

ON = date(2024, 6, 1)
SCENARIOS = sorted((Path(__file__).parent / "data").glob("evaluate_*.yaml"))


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


@pytest.fixture(scope="module")
def cp() -> CostParameters:
    return CostParameters.load(load_parameters(), ON)


def household(**overrides: Any) -> Household:
    data: dict[str, Any] = {
        "members": [{"role": "applicant", "birth_date": "1980-01-01"}],
        "income": {"net_monthly": {"wage": 2100}, "taxable_annual": 26000},
        "situation": {"waiting_list_since": None},
        "preferences": {},
    }
    data.update(overrides)
    return Household.from_mapping(data)


def listing(**fields: Any) -> Listing:
    base: dict[str, Any] = {
        "source": "zimmo",
        "source_id": "E1",
        "url": "https://www.zimmo.be/e1",
        "property_type": "apartment",
        "rent_eur": 600,
        "charges_eur": 25,
        "epc_label": "B",
        "living_area_m2": 60,
        "bedrooms": 1,
        "postcode": "8530",
        "municipality": "Harelbeke",
    }
    return Listing(**{**base, **fields})


# -- scenarios ------------------------------------------------------------------


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(path: Path) -> None:
    data = load(path)
    expected = data["expected"]
    result = evaluate(
        Household.from_mapping(data["household"]), Listing(**data["listing"]), data["date"]
    )
    assert result.cost.model_dump() == pytest.approx(expected["cost"], abs=0.005)
    assert result.cost.energy_eur == expected["cost"]["energy_eur"]
    ratios = expected["ratios"]
    assert format_percent(result.ratios.rent_share or -1) == ratios["rent_share"]
    assert format_percent(result.ratios.housing_share or -1) == ratios["housing_share"]
    assert result.ratios.residual_eur == pytest.approx(ratios["residual_eur"], abs=0.005)
    assert result.suitability.suitable is expected["suitable"]
    assert result.verdict == expected["verdict"]
    assert result.verdict_label == expected["verdict_label"]
    for reason in expected["reasons_contain"]:
        assert any(reason in r for r in result.reasons), (reason, result.reasons)
    paid = next(a for a in result.allowances if a.name == expected["allowance"]["name"])
    assert paid.eligible is True
    assert paid.monthly_eur == pytest.approx(expected["allowance"]["monthly_eur"], abs=0.005)
    if "one_off_eur" in expected["allowance"]:
        assert paid.one_off_eur == pytest.approx(expected["allowance"]["one_off_eur"], abs=0.005)


def test_example_a_reason_line_exactly() -> None:
    data = load(SCENARIOS[0])
    result = evaluate(Household.from_mapping(data["household"]), Listing(**data["listing"]), ON)
    assert result.reasons[1] == (
        "Huur € 780 − huurpremie € 260,72 = 23,6 % van uw inkomen (richtlijn: hoogstens 33,3 %)."
    )
    assert "Na de woonkosten blijft € 1.446,76 per maand over" in result.reasons[3]
    assert "maximale huurprijs 2024 is een schatting" in result.estimated


# -- JSON -----------------------------------------------------------------------


def test_json_keys_are_the_public_interface() -> None:
    dumped = evaluate(household(), listing(), ON).model_dump(mode="json")
    assert set(dumped) == {
        "listing",
        "date",
        "allowances",
        "cost",
        "ratios",
        "suitability",
        "verdict",
        "verdict_label",
        "reasons",
        "estimated",
        "deposit",
    }
    assert set(dumped["listing"]) == {"source", "source_id", "url"}
    assert set(dumped["cost"]) == {
        "rent_eur",
        "charges_eur",
        "energy_eur",
        "allowance_eur",
        "net_monthly_eur",
    }
    assert set(dumped["ratios"]) == {"rent_share", "housing_share", "residual_eur"}
    assert [a["name"] for a in dumped["allowances"]] == ["huurpremie", "huursubsidie"]
    for allowance in dumped["allowances"]:
        assert {
            "name",
            "eligible",
            "monthly_eur",
            "one_off_eur",
            "conditions",
            "parameters",
        } <= set(allowance)
    assert dumped["date"] == "2024-06-01"
    assert isinstance(dumped["reasons"], list)
    assert isinstance(dumped["estimated"], list)
    again = Evaluation.model_validate_json(json.dumps(dumped))
    assert again.model_dump(mode="json") == dumped


# -- verdict rules --------------------------------------------------------------


@pytest.mark.parametrize(
    ("rent_share", "housing_share", "residual", "expected"),
    [
        (0.25, 0.28, 900.0, "green"),
        (0.25, 0.31, 900.0, "amber"),  # woonquote too high
        (0.25, 0.28, 700.0, "amber"),  # residual too low
        (0.36, 0.45, 900.0, "amber"),  # rent share in the 40 % band, enough left
        (0.36, 0.45, 700.0, "red"),  # rent share in the band, too little left (example B)
        (0.41, 0.50, 900.0, "red"),
        (None, None, None, "red"),
    ],
)
def test_decide_verdict(
    cp: CostParameters,
    rent_share: float | None,
    housing_share: float | None,
    residual: float | None,
    expected: str,
) -> None:
    assert decide_verdict(rent_share, housing_share, residual, 800.0, cp) == expected


def test_green_listing(cp: CostParameters) -> None:
    result = evaluate(household(), listing(rent_eur=450, charges_eur=20), ON)
    assert result.verdict == "green"
    assert result.verdict_label == "betaalbaar"
    assert result.reasons[0].startswith("Betaalbaar")
    assert result.cost.allowance_eur == 0
    assert text("allowance.none") in result.reasons


def test_rent_share_without_allowance_reads_plainly() -> None:
    result = evaluate(household(), listing(rent_eur=900), ON)
    assert result.verdict == "red"
    assert result.reasons[1].startswith("Huur € 900 = 42,9 % van uw inkomen")


def test_unsuitable_is_red_ongeschikt_whatever_the_cost() -> None:
    hh = household(preferences={"pets": True})
    result = evaluate(hh, listing(rent_eur=400, pets_allowed=False), ON)
    assert (result.verdict, result.verdict_label) == ("red", "ongeschikt")
    assert "Past niet: Huisdieren zijn niet toegelaten." in result.reasons
    assert result.ratios.rent_share is not None  # the cost is still shown


def test_unknown_facts_do_not_make_unsuitable() -> None:
    hh = household(preferences={"pets": True, "needs": ["garden"]})
    result = evaluate(hh, listing(rent_eur=450, charges_eur=20), ON)
    assert result.suitability.suitable is None
    assert result.verdict == "green"
    assert "Na te vragen: Niet bekend of huisdieren toegelaten zijn." in result.reasons


def test_unknown_rent() -> None:
    result = evaluate(household(), listing(rent_eur=None), ON)
    assert (result.verdict, result.verdict_label) == ("amber", "huurprijs onbekend")
    assert result.cost.rent_eur is None
    assert result.cost.net_monthly_eur is None
    assert result.ratios.model_dump() == {
        "rent_share": None,
        "housing_share": None,
        "residual_eur": None,
    }
    assert result.cost.energy_eur is not None


def test_no_income_is_red_with_explanation() -> None:
    hh = household(income={"net_monthly": {}, "taxable_annual": None})
    result = evaluate(hh, listing(), ON)
    assert result.verdict == "red"
    assert result.ratios.rent_share is None
    assert text("no_income") in result.reasons


def test_estimates_are_listed() -> None:
    result = evaluate(
        household(), listing(charges_eur=None, epc_label=None, living_area_m2=None), ON
    )
    assert "energie: EPC ontbreekt (label F aangenomen)" in result.estimated
    assert any(e.startswith("energie: oppervlakte ontbreekt") for e in result.estimated)
    assert any(e.startswith("lasten geschat") for e in result.estimated)
    assert result.cost.charges_eur == 40  # apartment estimate
    known = evaluate(household(), listing(), ON)
    assert not any(e.startswith("lasten geschat") for e in known.estimated)
    assert not any("EPC ontbreekt" in e for e in known.estimated)


def test_more_income_never_worse() -> None:
    order = {"green": 0, "amber": 1, "red": 2}
    previous = 3
    for wage in (900, 1300, 1700, 2100, 2600, 3500):
        hh = household(income={"net_monthly": {"wage": wage}, "taxable_annual": 26000})
        rank = order[evaluate(hh, listing(rent_eur=700), ON).verdict]
        assert rank <= previous
        previous = rank
    assert previous == 0


def test_default_date_is_today() -> None:
    assert evaluate(household(), listing()).date == date.today()


# -- formatting -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (1234.56, "€ 1.234,56"),
        (780, "€ 780"),
        (260.72, "€ 260,72"),
        (1450.0, "€ 1.450"),
        (1234567.005, "€ 1.234.567,01"),
        (0.5, "€ 0,50"),
        (-3.24, "€ -3,24"),
        (999.999, "€ 1.000"),
    ],
)
def test_format_eur(amount: float, expected: str) -> None:
    assert format_eur(amount) == expected


def test_format_eur_cents_option() -> None:
    assert format_eur(780, cents=True) == "€ 780,00"
    assert format_eur(780.4, cents=False) == "€ 780"


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (0.2355, "23,6 %"),
        (0.343875, "34,4 %"),
        (1 / 3, "33,3 %"),
        (0.3, "30,0 %"),
        (1.5, "150,0 %"),
    ],
)
def test_format_percent(share: float, expected: str) -> None:
    assert format_percent(share) == expected


def test_format_number_rounds_half_up() -> None:
    assert format_number(2.675) == "2,68"
    assert format_number(0.125) == "0,13"
    assert format_number(12345, 0) == "12.345"


def test_refusal_on_an_estimated_maximum_rent_is_flagged() -> None:
    # 5 years on the list, Harelbeke, 0 ptl: 2024 maximum rent is an estimate (~720)
    hh = household(situation={"waiting_list_since": "2019-01-01"})
    refused = evaluate(hh, listing(rent_eur=900), ON)
    premie = refused.allowances[0]
    assert premie.eligible is False
    assert "maximale huurprijs 2024 is een schatting" in refused.estimated
    # a refusal on the trigger does not rest on the figures
    no_trigger = evaluate(household(), listing(rent_eur=900), ON)
    assert "maximale huurprijs 2024 is een schatting" not in no_trigger.estimated
