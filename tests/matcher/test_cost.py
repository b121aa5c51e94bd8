"""The cost model: energy estimate, label derivation, reference budget (flanders.md §7, §10)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from listings import Listing
from matcher._cost import (
    CostParameters,
    epc_label_from_score,
    estimate_energy,
    estimate_notes,
    reference_budget,
    round_cents,
)
from matcher._household import Household
from matcher._parameters import load_parameters

ON = date(2024, 6, 1)
SCENARIOS = Path(__file__).parent / "data"


def scenario(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((SCENARIOS / f"evaluate_{name}.yaml").read_text("utf-8"))
    return data


@pytest.fixture(scope="module")
def cp() -> CostParameters:
    return CostParameters.load(load_parameters(), ON)


def listing(**fields: Any) -> Listing:
    base: dict[str, Any] = {"source": "zimmo", "source_id": "T1", "url": "https://www.zimmo.be/t1"}
    return Listing(**{**base, **fields})


@pytest.mark.parametrize(
    ("example", "expected"),
    [("example_a", 198.97), ("example_b", 126.65), ("example_c", 184.62)],
)
def test_worked_example_energy(cp: CostParameters, example: str, expected: float) -> None:
    data = scenario(example)
    household = Household.from_mapping(data["household"])
    energy = estimate_energy(Listing(**data["listing"]), household.persons, cp)
    assert energy.monthly_eur == expected
    assert energy.label_source == "published"
    assert not energy.area_estimated


def test_energy_formula_by_hand(cp: CostParameters) -> None:
    # 60 m² label E, 2 persons: heat 60 x 450 x 0.55 x gas; electricity (1600 + 700) x elec
    energy = estimate_energy(listing(epc_label="E", living_area_m2=60), 2, cp)
    heat = 60 * cp.label_midpoint["E"] * cp.realism["E"] * cp.gas_price
    elec = (cp.electricity_base_kwh + cp.electricity_per_extra_person_kwh) * cp.electricity_price
    assert energy.monthly_eur == round_cents((heat + elec) / 12)
    assert energy.monthly_eur == pytest.approx(
        (60 * 450 * 0.55 * 0.09 + 2300 * 0.374) / 12, abs=0.01
    )


def test_more_persons_cost_more_electricity(cp: CostParameters) -> None:
    flat = listing(epc_label="B", living_area_m2=70)
    one = estimate_energy(flat, 1, cp).monthly_eur
    four = estimate_energy(flat, 4, cp).monthly_eur
    assert four - one == pytest.approx(3 * 700 * cp.electricity_price / 12, abs=0.01)


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (-20, "A+"),
        (0, "A"),
        (99.9, "A"),
        (100, "B"),
        (250, "C"),
        (399, "D"),
        (450, "E"),
        (500, "F"),
        (900, "F"),
    ],
)
def test_label_from_score(cp: CostParameters, score: float, label: str) -> None:
    assert epc_label_from_score(score, cp.label_upper_bound) == label


def test_score_used_when_no_label(cp: CostParameters) -> None:
    energy = estimate_energy(listing(epc_kwh_m2=250, living_area_m2=75), 3, cp)
    assert (energy.label, energy.label_source) == ("C", "score")
    with_label = estimate_energy(listing(epc_label="C", living_area_m2=75), 3, cp)
    assert energy.monthly_eur == with_label.monthly_eur


def test_published_label_wins_over_score(cp: CostParameters) -> None:
    energy = estimate_energy(listing(epc_label="B", epc_kwh_m2=450, living_area_m2=75), 3, cp)
    assert (energy.label, energy.label_source) == ("B", "published")


def test_missing_epc_uses_missing_label_and_is_flagged(cp: CostParameters) -> None:
    flat = listing(living_area_m2=75, property_type="apartment", charges_eur=40)
    energy = estimate_energy(flat, 3, cp)
    assert (energy.label, energy.label_source) == (cp.missing_label, "missing")
    assert (
        energy.monthly_eur
        > estimate_energy(listing(epc_label="C", living_area_m2=75), 3, cp).monthly_eur
    )
    notes = estimate_notes(flat, energy, False, cp)
    assert "energie: EPC ontbreekt (label F aangenomen)" in notes
    assert not any(n.startswith("lasten geschat") for n in notes)


def test_missing_area_uses_type_area_and_is_flagged(cp: CostParameters) -> None:
    house = listing(epc_label="C", property_type="house")
    energy = estimate_energy(house, 2, cp)
    assert energy.area_estimated
    assert energy.area_m2 == cp.area_missing_m2["house"]
    unknown_type = estimate_energy(listing(epc_label="C"), 2, cp)
    assert unknown_type.area_m2 == cp.area_missing_m2["other"]
    notes = estimate_notes(house, energy, True, cp)
    assert (
        f"energie: oppervlakte ontbreekt ({cp.area_missing_m2['house']:g} m² aangenomen)" in notes
    )
    assert any(n.startswith("lasten geschat") for n in notes)


def test_energy_model_is_flagged_while_its_parameters_are_estimates(cp: CostParameters) -> None:
    energy = estimate_energy(listing(epc_label="A", living_area_m2=50), 1, cp)
    notes = estimate_notes(listing(), energy, False, cp)
    assert cp.energy_model_estimated()
    assert "energie is een schatting op basis van EPC en oppervlakte" in notes


@pytest.mark.parametrize(
    ("example", "expected"), [("example_a", 1450.0), ("example_b", 800.0), ("example_c", 1500.0)]
)
def test_reference_budget_of_worked_examples(
    cp: CostParameters, example: str, expected: float
) -> None:
    household = Household.from_mapping(scenario(example)["household"])
    assert reference_budget(household, cp) == expected


def test_reference_budget_extra_adult(cp: CostParameters) -> None:
    household = Household.from_mapping(
        {
            "members": [
                {"role": "applicant", "birth_date": "1960-01-01"},
                {"role": "adult", "birth_date": "1990-01-01"},
            ]
        }
    )
    budget = cp.nonhousing_budget
    assert reference_budget(household, cp) == budget["single"] + budget["extra_adult"]


def test_round_cents_is_half_even_like_numpy() -> None:
    import numpy as np

    values = [184.625, 198.96875, 0.125, 0.135, 2.675, 1234.5649999, -3.335]
    assert [round_cents(v) for v in values] == list(np.rint(np.array(values) * 100) / 100)
    assert round_cents(184.625) == 184.62


def test_occupancy_table(cp: CostParameters) -> None:
    assert cp.min_area_for_persons(1) == cp.occupancy_by_area["1"]
    assert cp.min_area_for_persons(3) == cp.occupancy_by_area["3"]
    assert (
        cp.min_area_for_persons(10)
        == cp.occupancy_by_area["8"] + 2 * cp.occupancy_by_area["extra_person"]
    )
    assert cp.min_area_for_persons(1, room=True) == cp.room_min_area_m2
    assert cp.max_persons_for_area(33.9) == 2
    assert cp.max_persons_for_area(34) == 3
    assert cp.max_persons_for_area(10) == 0
