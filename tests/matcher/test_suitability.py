"""Suitability checks: each rule passing, failing and unknown (flanders.md §8)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest

from listings import Listing
from matcher._cost import CostParameters
from matcher._household import Household
from matcher._parameters import load_parameters
from matcher._suitability import (
    FAIL,
    OK,
    UNKNOWN,
    Suitability,
    bedrooms_needed,
    check_suitability,
    suitability_codes,
)

ON = date(2024, 6, 1)


@pytest.fixture(scope="module")
def cp() -> CostParameters:
    return CostParameters.load(load_parameters(), ON)


def household(children: list[dict[str, Any]] | None = None, **preferences: Any) -> Household:
    members: list[dict[str, Any]] = [{"role": "applicant", "birth_date": "1985-01-01"}]
    for child in children or []:
        members.append({"role": "child", **child})
    return Household.from_mapping(
        {
            "members": members,
            "income": {"net_monthly": {"wage": 1800}},
            "preferences": preferences,
        }
    )


def listing(**fields: Any) -> Listing:
    base: dict[str, Any] = {
        "source": "zimmo",
        "source_id": "S1",
        "url": "https://www.zimmo.be/s1",
        "postcode": "8500",
        "municipality": "Kortrijk",
        "bedrooms": 2,
        "living_area_m2": 80,
    }
    return Listing(**{**base, **fields})


def outcome(result: Suitability, name: str) -> bool | None:
    matches = [c for c in result.checks if c.name == name]
    assert len(matches) == 1, f"no single check {name!r} in {result.checks}"
    return matches[0].outcome


def vector_code(hh: Household, lst: Listing, cp: CostParameters) -> int:
    frame = pd.DataFrame([lst.model_dump()])
    kinds = np.array([str(lst.property_type) if lst.property_type else ""], dtype=object)
    return int(suitability_codes(hh, frame, ON, cp, kinds)[0])


def expected_code(result: Suitability) -> int:
    return {True: OK, False: FAIL, None: UNKNOWN}[result.suitable]


# -- bedrooms -------------------------------------------------------------------


def test_single_needs_one_bedroom(cp: CostParameters) -> None:
    assert bedrooms_needed(household(), ON, cp) == 1


def test_young_children_of_opposite_sex_share(cp: CostParameters) -> None:
    kids = [{"birth_date": "2018-01-01", "sex": "f"}, {"birth_date": "2020-01-01", "sex": "m"}]
    assert bedrooms_needed(household(kids), ON, cp) == 2


def test_opposite_sex_apart_when_one_is_older_than_12(cp: CostParameters) -> None:
    kids = [{"birth_date": "2010-01-01", "sex": "f"}, {"birth_date": "2016-01-01", "sex": "m"}]
    assert bedrooms_needed(household(kids), ON, cp) == 3
    # exactly 12: may still share
    kids12 = [{"birth_date": "2012-01-01", "sex": "f"}, {"birth_date": "2016-01-01", "sex": "m"}]
    assert bedrooms_needed(household(kids12), ON, cp) == 2


def test_same_sex_teenagers_share_two_to_a_room(cp: CostParameters) -> None:
    kids = [{"birth_date": f"20{y}-01-01", "sex": "m"} for y in ("08", "09", "10")]
    assert bedrooms_needed(household(kids), ON, cp) == 1 + 2


def test_mixed_family_pairs_optimally(cp: CostParameters) -> None:
    # girl 15, boy 14, girl 6, boy 5: girls together, boys together -> 2 rooms
    kids = [
        {"birth_date": "2009-01-01", "sex": "f"},
        {"birth_date": "2010-01-01", "sex": "m"},
        {"birth_date": "2018-01-01", "sex": "f"},
        {"birth_date": "2019-01-01", "sex": "m"},
    ]
    assert bedrooms_needed(household(kids), ON, cp) == 1 + 2


def test_co_parented_child_and_extra_adult_count(cp: CostParameters) -> None:
    hh = Household.from_mapping(
        {
            "members": [
                {"role": "applicant", "birth_date": "1980-01-01"},
                {"role": "partner", "birth_date": "1981-01-01"},
                {"role": "adult", "birth_date": "1950-01-01"},
                {"role": "child", "birth_date": "2019-01-01", "custody": "shared"},
            ]
        }
    )
    assert bedrooms_needed(hh, ON, cp) == 3


def test_min_bedrooms_preference_wins(cp: CostParameters) -> None:
    assert bedrooms_needed(household(min_bedrooms=3), ON, cp) == 3


@pytest.mark.parametrize(("bedrooms", "expected"), [(2, True), (1, False), (None, None)])
def test_bedrooms_check(cp: CostParameters, bedrooms: int | None, expected: bool | None) -> None:
    kids = [{"birth_date": "2018-01-01", "sex": "f"}]
    result = check_suitability(household(kids), listing(bedrooms=bedrooms), ON, cp)
    assert outcome(result, "bedrooms") is expected
    assert result.bedrooms_needed == 2


def test_studio_offers_one_sleeping_place(cp: CostParameters) -> None:
    studio = listing(property_type="studio", bedrooms=0, living_area_m2=30)
    assert outcome(check_suitability(household(), studio, ON, cp), "bedrooms") is True
    kids = [{"birth_date": "2018-01-01"}]
    assert outcome(check_suitability(household(kids), studio, ON, cp), "bedrooms") is False


# -- occupancy ------------------------------------------------------------------


@pytest.mark.parametrize(("area", "expected"), [(34, True), (30, False), (None, None)])
def test_occupancy_three_persons(
    cp: CostParameters, area: float | None, expected: bool | None
) -> None:
    kids = [{"birth_date": "2018-01-01", "sex": "f"}, {"birth_date": "2019-01-01", "sex": "f"}]
    result = check_suitability(household(kids), listing(living_area_m2=area), ON, cp)
    assert outcome(result, "occupancy") is expected


def test_room_for_one_person_uses_room_minimum(cp: CostParameters) -> None:
    room = listing(property_type="room", bedrooms=None, living_area_m2=cp.room_min_area_m2)
    assert outcome(check_suitability(household(), room, ON, cp), "occupancy") is True
    flat = listing(property_type="apartment", living_area_m2=cp.room_min_area_m2)
    assert outcome(check_suitability(household(), flat, ON, cp), "occupancy") is False


# -- needs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"floor": 0}, True),
        ({"floor": 3, "elevator": True}, True),
        ({"elevator": True}, True),
        ({"floor": 2, "elevator": False}, False),
        ({"floor": 2}, None),
        ({"elevator": False}, None),
        ({}, None),
    ],
)
def test_ground_floor_or_elevator(
    cp: CostParameters, fields: dict[str, Any], expected: bool | None
) -> None:
    hh = household(needs=["ground_floor_or_elevator"])
    result = check_suitability(hh, listing(**fields), ON, cp)
    assert outcome(result, "need:ground_floor_or_elevator") is expected


@pytest.mark.parametrize("need", ["accessible", "garden", "parking"])
@pytest.mark.parametrize("value", [True, False, None])
def test_boolean_needs(cp: CostParameters, need: str, value: bool | None) -> None:
    result = check_suitability(household(needs=[need]), listing(**{need: value}), ON, cp)
    assert outcome(result, f"need:{need}") is value
    assert result.suitable is value


def test_needs_not_asked_are_not_checked(cp: CostParameters) -> None:
    result = check_suitability(household(), listing(garden=False, parking=False), ON, cp)
    assert not [c for c in result.checks if c.name.startswith("need:")]
    assert result.suitable is True


# -- pets -----------------------------------------------------------------------


@pytest.mark.parametrize("allowed", [True, False, None])
def test_pets(cp: CostParameters, allowed: bool | None) -> None:
    result = check_suitability(household(pets=True), listing(pets_allowed=allowed), ON, cp)
    assert outcome(result, "pets") is allowed
    no_pets = check_suitability(household(pets=False), listing(pets_allowed=allowed), ON, cp)
    assert not [c for c in no_pets.checks if c.name == "pets"]


# -- availability ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"available_now": True}, True),
        ({"available_from": date(2024, 8, 1)}, True),
        ({"available_from": date(2024, 9, 1)}, True),
        ({"available_from": date(2024, 10, 1)}, False),
        ({"available_now": False}, None),
        ({}, None),
    ],
)
def test_available_by_move_in_date(
    cp: CostParameters, fields: dict[str, Any], expected: bool | None
) -> None:
    hh = household(move_in_by="2024-09-01")
    assert outcome(check_suitability(hh, listing(**fields), ON, cp), "available") is expected


# -- municipality and type ------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"postcode": "8500", "municipality": "Kortrijk"}, True),
        ({"postcode": "8501", "municipality": None}, True),  # Heule, from the postcode
        ({"postcode": "8930", "municipality": "Menen"}, False),
        ({"postcode": None, "municipality": None}, None),
    ],
)
def test_preferred_municipalities(
    cp: CostParameters, fields: dict[str, Any], expected: bool | None
) -> None:
    hh = household(municipalities=["Kortrijk", "Kuurne"])
    assert outcome(check_suitability(hh, listing(**fields), ON, cp), "municipality") is expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"postcode": "8930", "municipality": "Menen"}, True),
        ({"postcode": "8880", "municipality": "Ledegem"}, False),  # Rollegem-Kapelle, not W13
        ({"postcode": "9000", "municipality": "Gent"}, False),
        ({"postcode": None, "municipality": "Wevelgem"}, True),
        ({"postcode": None, "municipality": None}, None),
    ],
)
def test_no_preference_means_w13(
    cp: CostParameters, fields: dict[str, Any], expected: bool | None
) -> None:
    assert (
        outcome(check_suitability(household(), listing(**fields), ON, cp), "municipality")
        is expected
    )


@pytest.mark.parametrize(
    ("kind", "expected"), [("house", True), ("apartment", False), (None, None)]
)
def test_property_types(cp: CostParameters, kind: str | None, expected: bool | None) -> None:
    hh = household(property_types=["house", "studio"])
    assert (
        outcome(check_suitability(hh, listing(property_type=kind), ON, cp), "property_type")
        is expected
    )
    assert not [
        c
        for c in check_suitability(household(), listing(), ON, cp).checks
        if c.name == "property_type"
    ]


# -- overall --------------------------------------------------------------------


def test_unknown_is_not_failure(cp: CostParameters) -> None:
    hh = household(needs=["garden"], pets=True, move_in_by="2024-09-01")
    result = check_suitability(hh, listing(bedrooms=None, living_area_m2=None), ON, cp)
    assert result.suitable is None
    assert result.failed == []
    assert {c.name for c in result.unknown} == {
        "bedrooms",
        "occupancy",
        "need:garden",
        "pets",
        "available",
    }
    assert all(c.reason for c in result.checks)


def test_one_failure_makes_unsuitable(cp: CostParameters) -> None:
    hh = household(needs=["garden"], pets=True)
    result = check_suitability(hh, listing(garden=None, pets_allowed=False), ON, cp)
    assert result.suitable is False
    assert [c.name for c in result.failed] == ["pets"]
    assert result.failed[0].reason == "Huisdieren zijn niet toegelaten."


def test_reasons_are_dutch_with_numbers(cp: CostParameters) -> None:
    kids = [
        {"birth_date": "2018-01-01"},
        {"birth_date": "2019-01-01"},
        {"birth_date": "2020-01-01"},
    ]
    result = check_suitability(household(kids), listing(bedrooms=1, living_area_m2=40), ON, cp)
    reasons = {c.name: c.reason for c in result.checks}
    assert reasons["bedrooms"] == "1 slaapkamer, maar uw gezin heeft er 3 nodig."
    assert reasons["occupancy"] == "40 m² is te klein voor 4 personen (nodig: 42 m²)."


def test_vectorised_codes_match_one_by_one(cp: CostParameters) -> None:
    households = [
        household(),
        household(
            [{"birth_date": "2010-01-01", "sex": "f"}, {"birth_date": "2015-01-01", "sex": "m"}]
        ),
        household(needs=["ground_floor_or_elevator", "garden"], pets=True, move_in_by="2024-09-01"),
        household(municipalities=["Kortrijk"], property_types=["apartment", "room"]),
    ]
    listings = [
        listing(),
        listing(bedrooms=None, living_area_m2=None, postcode=None, municipality=None),
        listing(property_type="studio", bedrooms=0, living_area_m2=30, floor=2, elevator=False),
        listing(
            property_type="room", bedrooms=None, living_area_m2=14, garden=True, pets_allowed=True
        ),
        listing(postcode="8930", municipality="Menen", available_from=date(2025, 1, 1)),
        listing(postcode="9000", municipality="Gent", available_now=True, floor=0),
        listing(
            property_type="house", bedrooms=3, living_area_m2=120, garden=False, pets_allowed=None
        ),
    ]
    for hh in households:
        for lst in listings:
            assert vector_code(hh, lst, cp) == expected_code(check_suitability(hh, lst, ON, cp))
