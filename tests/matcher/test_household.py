from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from matcher._household import Household, Member, load_household
from matcher.errors import HouseholdError, Problem

TODAY = date(2025, 6, 1)

ISSUE_YAML = """\
members:
  - role: applicant          # applicant | partner | child | adult
    birth_date: 1990-05-14
    disability: false        # recognised handicap (erkende handicap)
  - role: child
    birth_date: 2020-03-01
    sex: f                   # optional: f | m | x, for bedroom allocation
    custody: full            # full | shared (co-parenting counts as living there)
income:
  net_monthly:               # what comes in each month, EUR, by kind
    leefloon: 1741.29
    groeipakket: 353.32
  taxable_annual: 20895.48   # "inkomen" as the social-rent rules define it
situation:
  waiting_list_since: 2019-02-01
  leaving: none
  owns_property: false
preferences:
  municipalities: [Kortrijk, Kuurne]
  property_types: []
  min_bedrooms: null
  needs: []
  pets: false
  move_in_by: 2026-03-01
"""


def valid() -> dict[str, Any]:
    return {
        "members": [
            {"role": "applicant", "birth_date": "1990-05-14"},
            {"role": "child", "birth_date": "2020-03-01", "sex": "f"},
        ],
        "income": {"net_monthly": {"leefloon": 1741.29}, "taxable_annual": 20895.48},
        "situation": {"waiting_list_since": "2019-02-01", "leaving": "none"},
        "preferences": {"municipalities": ["Kortrijk"], "move_in_by": "2026-03-01"},
    }


def problems_of(data: Any) -> dict[str, Problem]:
    with pytest.raises(HouseholdError) as info:
        Household.from_mapping(data, today=TODAY)
    problems = info.value.problems
    assert all(p.reason and p.reason_nl for p in problems)
    return {p.path: p for p in problems}


# -- valid input ------------------------------------------------------------------------


def test_issue_example_loads_from_yaml_text() -> None:
    hh = load_household(ISSUE_YAML, today=TODAY)
    assert hh.persons == 2
    assert hh.applicant.birth_date == date(1990, 5, 14)
    assert hh.children[0].sex == "f"
    assert hh.income.taxable_annual == 20895.48
    assert hh.net_monthly_income() == pytest.approx(1741.29 + 353.32)
    assert hh.situation.waiting_list_since == date(2019, 2, 1)
    assert hh.preferences.municipalities == ["Kortrijk", "Kuurne"]
    assert hh.preferences.move_in_by == date(2026, 3, 1)
    assert hh.preferences.min_bedrooms is None


def test_loads_from_yaml_and_json_files(tmp_path: Path) -> None:
    yaml_path = tmp_path / "gezin.yaml"
    yaml_path.write_text(ISSUE_YAML, encoding="utf-8")
    json_path = tmp_path / "gezin.json"
    json_path.write_text(json.dumps(valid()), encoding="utf-8")
    from_yaml = load_household(yaml_path, today=TODAY)
    from_json = load_household(str(json_path), today=TODAY)
    assert from_yaml.persons == from_json.persons == 2
    assert Household.from_json(json.dumps(valid()), today=TODAY) == from_json
    assert Household.from_yaml(str(yaml_path), today=TODAY) == from_yaml


def test_municipalities_are_case_insensitive_and_normalised() -> None:
    data = valid()
    data["preferences"]["municipalities"] = ["kortrijk", "WAREGEM", "Brussel", "liège"]
    hh = load_household(data, today=TODAY)
    assert hh.preferences.municipalities == ["Kortrijk", "Waregem", "Brussel", "Liège"]


def test_minimal_household_uses_defaults() -> None:
    hh = load_household({"members": [{"role": "applicant", "birth_date": "1970-01-01"}]})
    assert hh.income.taxable_annual is None
    assert hh.situation.leaving == "none"
    assert hh.preferences.municipalities == []
    assert hh.net_monthly_income() == 0.0


# -- invalid input: every problem at once ----------------------------------------------


def test_child_born_in_the_future() -> None:
    data = valid()
    data["members"][1]["birth_date"] = "2025-07-01"
    problem = problems_of(data)["members[1].birth_date"]
    assert problem.reason_nl == "Geboortedatum ligt in de toekomst"
    assert problem.value == "2025-07-01"
    assert "future" in problem.reason


def test_birth_date_before_1900() -> None:
    data = valid()
    data["members"][0]["birth_date"] = "1899-12-31"
    problem = problems_of(data)["members[0].birth_date"]
    assert "1900" in problem.reason_nl


def test_negative_income() -> None:
    data = valid()
    data["income"]["taxable_annual"] = -100
    data["income"]["net_monthly"]["wage"] = -5
    found = problems_of(data)
    assert found["income.taxable_annual"].reason_nl == "Mag niet negatief zijn"
    assert found["income.taxable_annual"].value == -100
    assert found["income.net_monthly.wage"].reason_nl == "Mag niet negatief zijn"


def test_unknown_income_kind() -> None:
    data = valid()
    data["income"]["net_monthly"]["salary"] = 2000
    problem = problems_of(data)["income.net_monthly.salary"]
    assert problem.value == "salary"
    assert "unknown income kind" in problem.reason
    assert problem.reason_nl.startswith("Onbekende soort inkomen")


def test_unknown_municipality_suggests_the_closest() -> None:
    data = valid()
    data["preferences"]["municipalities"] = ["Kortrijk", "Kortrik"]
    problem = problems_of(data)["preferences.municipalities[1]"]
    assert problem.value == "Kortrik"
    assert "did you mean 'Kortrijk'" in problem.reason
    assert problem.reason_nl == "Onbekende gemeente. Bedoelt u Kortrijk?"


def test_unknown_municipality_without_suggestion() -> None:
    data = valid()
    data["preferences"]["municipalities"] = ["qqqqqqq"]
    problem = problems_of(data)["preferences.municipalities[0]"]
    assert problem.reason_nl == "Onbekende gemeente"


def test_no_applicant() -> None:
    data = valid()
    data["members"][0]["role"] = "adult"
    problem = problems_of(data)["members"]
    assert "no member with role 'applicant'" in problem.reason
    assert "aanvrager" in problem.reason_nl


def test_two_applicants() -> None:
    data = valid()
    data["members"][1]["role"] = "applicant"
    problem = problems_of(data)["members"]
    assert problem.value == 2
    assert problem.reason_nl == "Er mag maar één aanvrager zijn"


def test_more_than_one_partner() -> None:
    data = valid()
    data["members"] += [
        {"role": "partner", "birth_date": "1990-01-01"},
        {"role": "partner", "birth_date": "1991-01-01"},
    ]
    problem = problems_of(data)["members"]
    assert "2 partners" in problem.reason
    assert problem.reason_nl == "Er mag maar één partner zijn"


def test_malformed_move_in_by() -> None:
    data = valid()
    data["preferences"]["move_in_by"] = "2026-13-01"
    problem = problems_of(data)["preferences.move_in_by"]
    assert problem.value == "2026-13-01"
    assert problem.reason_nl == "Geen geldige datum (schrijf JJJJ-MM-DD)"


def test_malformed_date_in_yaml_is_reported_not_crashed() -> None:
    text = ISSUE_YAML.replace("move_in_by: 2026-03-01", "move_in_by: 2026-13-01")
    with pytest.raises(HouseholdError) as info:
        load_household(text, today=TODAY)
    assert [p.path for p in info.value.problems] == ["preferences.move_in_by"]


def test_every_problem_is_listed_at_once() -> None:
    data = copy.deepcopy(valid())
    data["members"][0]["role"] = "partner"  # no applicant left
    data["members"][1]["birth_date"] = "2030-01-01"  # in the future
    data["members"].append({"role": "partner", "birth_date": "1880-01-01"})  # 2nd partner, old
    data["income"]["taxable_annual"] = -1
    data["income"]["net_monthly"]["lottery"] = 10
    data["preferences"]["municipalities"] = ["Harlebeke"]
    data["preferences"]["move_in_by"] = "soon"
    data["situation"]["leaving"] = "evicted"
    with pytest.raises(HouseholdError) as info:
        Household.from_mapping(data, today=TODAY)
    paths = [p.path for p in info.value.problems]
    assert set(paths) == {
        "members[1].birth_date",
        "members[2].birth_date",
        "income.taxable_annual",
        "income.net_monthly.lottery",
        "preferences.municipalities[0]",
        "preferences.move_in_by",
        "situation.leaving",
        "members",
    }
    assert paths.count("members") == 2  # no applicant, and two partners
    assert "Harelbeke" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_wrong_types_and_unknown_fields() -> None:
    data = valid()
    data["members"][0]["disability"] = "maybe"
    data["members"][1]["role"] = "grandchild"
    data["situation"]["owns_house"] = True
    found = problems_of(data)
    assert found["members[0].disability"].reason_nl == "Kies ja of nee"
    assert found["members[1].role"].reason_nl.startswith("Kies uit: applicant")
    assert found["situation.owns_house"].reason_nl.startswith("Onbekend veld")


def test_missing_fields_and_bad_documents() -> None:
    found = problems_of({"members": [{"role": "applicant"}]})
    assert found["members[0].birth_date"].reason_nl == "Dit gegeven ontbreekt"
    assert "members" in problems_of({"members": []})
    with pytest.raises(HouseholdError, match="not valid YAML"):
        load_household("members: [unclosed\n")
    with pytest.raises(HouseholdError, match="must be a mapping"):
        load_household("- just\n- a list\n")


def test_direct_construction_checks_roles() -> None:
    with pytest.raises(ValueError, match="applicant"):
        Household(members=[Member(role="child", birth_date=date(2020, 1, 1))])


# -- derived facts ----------------------------------------------------------------------


def household(*members: dict[str, Any], since: str | None = None) -> Household:
    return load_household(
        {"members": list(members), "situation": {"waiting_list_since": since}}, today=TODAY
    )


def test_age_and_groups() -> None:
    hh = household(
        {"role": "applicant", "birth_date": "1990-05-14"},
        {"role": "partner", "birth_date": "1991-01-01"},
        {"role": "adult", "birth_date": "1960-01-01"},
        {"role": "child", "birth_date": "2020-03-01"},
    )
    assert hh.age(hh.applicant, date(2024, 5, 13)) == 33
    assert hh.age(hh.applicant, date(2024, 5, 14)) == 34
    assert len(hh.adults) == 3
    assert len(hh.children) == 1
    assert hh.persons == 4


def test_waiting_years() -> None:
    hh = household({"role": "applicant", "birth_date": "1990-01-01"}, since="2020-03-01")
    assert hh.waiting_years(date(2024, 2, 29)) == pytest.approx(3.997, abs=0.003)
    assert hh.waiting_years(date(2024, 3, 1)) == 4.0
    assert hh.waiting_years(date(2024, 9, 1)) == pytest.approx(4.5, abs=0.01)
    assert hh.waiting_years(date(2019, 1, 1)) == 0.0
    assert (
        household({"role": "applicant", "birth_date": "1990-01-01"}).waiting_years(date(2024, 1, 1))
        is None
    )


def test_persons_ten_laste() -> None:
    on = date(2024, 6, 1)
    hh = household(
        {"role": "applicant", "birth_date": "1985-01-01", "disability": True},
        {"role": "partner", "birth_date": "1986-01-01", "disability": True},
        {"role": "child", "birth_date": "2015-01-01", "disability": True},
        {"role": "child", "birth_date": "2018-01-01", "custody": "shared"},
        {"role": "child", "birth_date": "1995-01-01"},  # 29: no longer a ptl
        {"role": "adult", "birth_date": "1950-01-01"},  # no handicap: no ptl
    )
    # partner with handicap 1 + disabled child 1 + co-parented child 1
    assert hh.persons_ten_laste(on) == 3
    # the disabled child counts twice for the income limit
    assert hh.persons_ten_laste(on, for_income_limit=True) == 4
    # the applicant with a handicap counts for the huurpremie
    assert hh.persons_ten_laste(on, for_huurpremie=True) == 4


def test_child_under_25_still_counts_but_not_after() -> None:
    hh = household(
        {"role": "applicant", "birth_date": "1975-01-01"},
        {"role": "child", "birth_date": "2000-06-01"},
    )
    assert hh.persons_ten_laste(date(2025, 5, 31)) == 1
    assert hh.persons_ten_laste(date(2025, 6, 1)) == 0
