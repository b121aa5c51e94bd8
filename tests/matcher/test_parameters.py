from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from matcher._parameters import (
    Parameters,
    ParameterValue,
    load_parameters,
    parameter_report,
)
from matcher.errors import ParameterError

PARAMETER_DIR = Path(__file__).parents[2] / "matcher" / "parameters"

# Names and table keys the matcher contract fixes (engineer B relies on them).
CONTRACT_KEYS: dict[str, set[str] | None] = {
    "income_limit": {"single", "single_handicap", "other", "per_ptl"},
    "max_rent": {"self_contained", "self_contained_plus10", "room", "room_plus10"},
    "max_rent_ptl_factor": {"0", "1", "2", "3"},
    "plus10_municipalities": None,
    "premium_cap": {"base", "per_ptl", "base_plus10", "per_ptl_plus10"},
    "premium_cap_max_ptl": None,
    "reference_rent_share": None,
    "own_contribution_divisor": None,
    "huurpremie_min_waiting_years": None,
    "installatiepremie_months": None,
    "leefloon": {"cohabiting", "single", "family"},
    "groeipakket_base": None,
    "deposit_max_months": None,
    "energy_price_gas": None,
    "energy_price_electricity": None,
    "epc_label_midpoint": {"A+", "A", "B", "C", "D", "E", "F"},
    "epc_realism": {"A+", "A", "B", "C", "D", "E", "F"},
    "epc_label_upper_bound": {"A+", "A", "B", "C", "D", "E"},
    "epc_missing_label": None,
    "electricity_base_kwh": None,
    "electricity_per_extra_person_kwh": None,
    "area_missing_m2": {"apartment", "house", "studio", "room", "other"},
    "charges_estimate": {"apartment", "house", "studio", "room", "other"},
    "nonhousing_budget": {"single", "couple", "first_child", "further_child", "extra_adult"},
    "affordability": {"rent_share_max", "housing_share_max", "amber_rent_share_max"},
    "bedroom_allocation": {"separate_sex_min_age", "max_children_per_bedroom"},
    "occupancy_by_area": {"1", "2", "3", "4", "5", "6", "7", "8", "extra_person"},
    "room_min_area_m2": None,
    "self_contained_min_area_m2": None,
}

MAX_RENT_2026 = """\
description: Maximum monthly rent, 2026 figures added by the admin.
unit: EUR/month
reference: https://www.vlaanderen.be/vlaamse-huurpremie
valid_months: 12
values:
  2026-01-01:
    value: {self_contained: 760.0, self_contained_plus10: 836.0, room: 608.0, room_plus10: 668.8}
    status: confirmed
    source: "vlaanderen.be, consulted 2026-01-15"
"""


def table(pv: ParameterValue) -> dict[str, float]:
    assert isinstance(pv.value, dict)
    return pv.value


@pytest.fixture(scope="module")
def params() -> Parameters:
    return load_parameters()


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# -- value on a date -------------------------------------------------------------------


def test_value_on_a_date(params: Parameters) -> None:
    assert params.number("income_limit", date(2024, 6, 1), "single") == 29515
    assert params.number("income_limit", date(2023, 12, 31), "single") == 28105
    assert params.number("max_rent", date(2019, 5, 1), "self_contained") == 611.93
    assert params.number("max_rent", date(2020, 12, 31), "room") == 489.54
    assert params.number("max_rent", date(2021, 1, 1), "room") == 494.60  # §17 correction
    assert params.number("leefloon", date(2022, 10, 31), "single") == 1137.97
    assert params.number("leefloon", date(2022, 11, 1), "single") == 1160.70
    assert params.number("reference_rent_share", date(2024, 1, 1)) == 0.75
    assert params.get("epc_missing_label", date(2024, 1, 1)).value == "F"
    names = params.get("plus10_municipalities", date(2024, 1, 1)).value
    assert isinstance(names, list)
    assert "Kortrijk" in names


def test_value_carries_its_metadata(params: Parameters) -> None:
    pv = params.get("premium_cap", date(2024, 3, 1))
    assert isinstance(pv, ParameterValue)
    assert pv.value == {
        "base": 177.76,
        "per_ptl": 29.63,
        "base_plus10": 195.54,
        "per_ptl_plus10": 32.59,
    }
    assert pv.effective_from == date(2024, 1, 1)
    assert pv.status == "confirmed"
    assert pv.estimated is False
    assert pv.unit == "EUR/month"
    assert pv.reference.startswith("https://")
    assert pv.file.endswith("premium_cap.yaml")
    assert pv.overridden is False
    assert pv.source


def test_before_first_value_names_the_file(params: Parameters) -> None:
    with pytest.raises(ParameterError, match=r"max_rent\.yaml") as info:
        params.get("max_rent", date(2019, 4, 30))
    assert "2019-05-01" in str(info.value)
    assert info.value.file is not None
    assert info.value.file.endswith("max_rent.yaml")


def test_unknown_name(params: Parameters) -> None:
    with pytest.raises(ParameterError, match="unknown parameter 'max_rents'"):
        params.get("max_rents", date(2024, 1, 1))


def test_number_needs_a_key_for_a_table(params: Parameters) -> None:
    with pytest.raises(ParameterError, match=r"income_limit\.yaml.*pass a key"):
        params.number("income_limit", date(2024, 1, 1))
    with pytest.raises(ParameterError, match="no key 'couple'"):
        params.number("income_limit", date(2024, 1, 1), "couple")
    with pytest.raises(ParameterError, match="not a table"):
        params.number("own_contribution_divisor", date(2024, 1, 1), "x")


# -- estimated and stale ---------------------------------------------------------------------


def test_estimated_value_is_flagged(params: Parameters) -> None:
    pv = params.get("max_rent", date(2024, 6, 1))
    assert pv.status == "estimated"
    assert pv.estimated is True
    assert table(pv)["self_contained"] == 720.36
    assert pv.last_confirmed == date(2023, 1, 1)


def test_confirmed_value_within_its_year_is_not_estimated(params: Parameters) -> None:
    pv = params.get("max_rent", date(2023, 12, 31))
    assert (pv.status, pv.estimated) == ("confirmed", False)


def test_after_last_confirmed_value_uses_latest_and_is_estimated(params: Parameters) -> None:
    # Leefloon: last confirmed 2025-02-01, re-indexed at least yearly.
    pv = params.get("leefloon", date(2026, 6, 1))
    assert table(pv)["family"] == 1776.07
    assert pv.status == "confirmed"
    assert pv.estimated is True
    assert pv.last_confirmed == date(2025, 2, 1)
    # Within the year it is not estimated.
    assert params.get("leefloon", date(2025, 12, 1)).estimated is False
    # Premium cap: latest (estimated 2025) value is used far in the future.
    future = params.get("premium_cap", date(2030, 1, 1))
    assert table(future)["base"] == 183.0
    assert future.estimated is True


def test_legal_constants_do_not_go_stale(params: Parameters) -> None:
    pv = params.get("own_contribution_divisor", date(2035, 1, 1))
    assert pv.value == 55
    assert pv.estimated is False


def test_stale_lists_parameters_past_their_last_confirmed_value(params: Parameters) -> None:
    stale_2024 = {pv.name for pv in params.stale(date(2024, 6, 1))}
    assert "max_rent" in stale_2024  # confirmed up to 2023
    assert "income_limit" not in stale_2024  # confirmed for 2024
    assert "premium_cap" not in stale_2024
    assert "reference_rent_share" not in stale_2024
    stale_2025 = {pv.name for pv in params.stale(date(2025, 6, 1))}
    assert {"income_limit", "premium_cap", "max_rent"} <= stale_2025
    assert all(pv.estimated for pv in params.stale(date(2025, 6, 1)))


def test_table_lists_every_parameter_on_a_date(params: Parameters) -> None:
    names = [pv.name for pv in params.table(date(2024, 6, 1))]
    assert names == sorted(params.names())
    # In early 2019 the allowance parameters that start later are left out.
    early = {pv.name for pv in params.table(date(2019, 1, 1))}
    assert "max_rent" not in early
    assert "deposit_max_months" in early


# -- the bundled files ---------------------------------------------------------------------


def test_every_bundled_file_loads_with_reference_and_status(params: Parameters) -> None:
    files = sorted(p.stem for p in PARAMETER_DIR.glob("*.yaml"))
    assert files == params.names()
    for name in params.names():
        for pv in params.table(date(2026, 1, 1)):
            if pv.name == name:
                assert pv.reference.strip(), name
                assert pv.description.strip(), name
                assert pv.unit.strip(), name
                assert pv.status in ("confirmed", "estimated"), name
                assert pv.source.strip(), name


def test_contract_names_and_keys_exist(params: Parameters) -> None:
    for name, keys in CONTRACT_KEYS.items():
        pv = params.get(name, date(2024, 6, 1))
        if keys is None:
            assert not isinstance(pv.value, dict), name
        else:
            assert isinstance(pv.value, dict), name
            assert set(pv.value) == keys, name


def test_rooms_cost_less_than_self_contained_and_plus10_is_higher(params: Parameters) -> None:
    for year in range(2019, 2026):
        on = date(year, 6, 1)
        rent = table(params.get("max_rent", on))
        assert rent["room"] < rent["self_contained"] < rent["self_contained_plus10"]
        assert rent["room"] < rent["room_plus10"]


def test_income_limits_rise_every_year(params: Parameters) -> None:
    singles = [params.number("income_limit", date(y, 6, 1), "single") for y in range(2020, 2026)]
    assert singles == sorted(singles)
    assert len(set(singles)) == len(singles)


def test_load_parameters_is_cached() -> None:
    assert load_parameters() is load_parameters()


# -- override directory ------------------------------------------------------------------


def test_override_adds_next_years_value(tmp_path: Path) -> None:
    write(tmp_path, "max_rent.yaml", MAX_RENT_2026)
    params = load_parameters(tmp_path)
    pv = params.get("max_rent", date(2026, 3, 1))
    assert table(pv)["self_contained"] == 760.0
    assert pv.overridden is True
    assert pv.status == "confirmed"
    assert pv.estimated is False
    assert pv.last_confirmed == date(2026, 1, 1)
    assert pv.file.endswith("max_rent.yaml")
    assert str(tmp_path) in pv.file
    # Bundled values stay available and are not marked overridden.
    old = params.get("max_rent", date(2023, 6, 1))
    assert table(old)["self_contained"] == 718.25
    assert old.overridden is False
    # The bundled parameters are untouched.
    assert table(load_parameters().get("max_rent", date(2026, 3, 1)))["self_contained"] == 742.0


def test_override_shown_in_report(tmp_path: Path) -> None:
    write(tmp_path, "max_rent.yaml", MAX_RENT_2026)
    rows = {row["name"]: row for row in parameter_report(date(2026, 3, 1), tmp_path)}
    assert rows["max_rent"]["overridden"] is True
    assert rows["max_rent"]["stale"] is False
    assert rows["income_limit"]["overridden"] is False
    assert rows["income_limit"]["stale"] is True
    assert set(rows["max_rent"]) == {
        "name",
        "value",
        "unit",
        "status",
        "estimated",
        "effective_from",
        "last_confirmed",
        "reference",
        "overridden",
        "stale",
    }


def test_override_same_date_replaces_bundled_value(tmp_path: Path) -> None:
    write(
        tmp_path,
        "leefloon.yaml",
        """\
        description: Leefloon correction.
        unit: EUR/month
        reference: https://www.mi-is.be/
        values:
          2024-01-01:
            value: {cohabiting: 842.0, single: 1263.0, family: 1707.0}
            status: confirmed
            source: "mi-is.be tabel bedragen"
        """,
    )
    pv = load_parameters(tmp_path).get("leefloon", date(2024, 2, 1))
    assert table(pv)["family"] == 1707.0
    assert (pv.status, pv.overridden, pv.estimated) == ("confirmed", True, False)


def test_override_can_add_a_new_parameter(tmp_path: Path) -> None:
    write(
        tmp_path,
        "igo.yaml",
        """\
        description: Inkomensgarantie voor ouderen.
        unit: EUR/month
        reference: https://www.rusthuizenplus.be/
        values:
          2022-08-01:
            value: {cohabiting: 912.03, single: 1368.05}
            status: confirmed
            source: "[S21]"
        """,
    )
    params = load_parameters(tmp_path)
    assert "igo" in params.names()
    assert params.get("igo", date(2023, 1, 1)).overridden is True


INVALID_OVERRIDES = {
    "bad_status": (
        MAX_RENT_2026.replace("status: confirmed", "status: official"),
        "status must be 'confirmed' or 'estimated'",
    ),
    "missing_source": (
        MAX_RENT_2026.replace('    source: "vlaanderen.be, consulted 2026-01-15"\n', ""),
        "missing source",
    ),
    "bad_date": (MAX_RENT_2026.replace("2026-01-01", "2026-13-01"), "is not a date"),
    "other_keys": (
        MAX_RENT_2026.replace("room_plus10: 668.8", "kamer_plus10: 668.8"),
        "same form as the bundled",
    ),
    "other_unit": (MAX_RENT_2026.replace("unit: EUR/month", "unit: EUR/year"), "unit"),
    "no_reference": (
        MAX_RENT_2026.replace("reference: https://www.vlaanderen.be/vlaamse-huurpremie\n", ""),
        "'reference' is missing",
    ),
    "text_amount": (MAX_RENT_2026.replace("760.0", "zeven"), "must be a number"),
    "not_yaml": ("values: [unclosed\n", "not valid YAML"),
    "unknown_top_key": (MAX_RENT_2026 + "comment: x\n", "unknown top-level key"),
}


@pytest.mark.parametrize("case", sorted(INVALID_OVERRIDES))
def test_invalid_override_is_rejected_with_file_name(tmp_path: Path, case: str) -> None:
    text, message = INVALID_OVERRIDES[case]
    path = write(tmp_path, "max_rent.yaml", text)
    with pytest.raises(ParameterError) as info:
        load_parameters(tmp_path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_missing_override_dir_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="does not exist"):
        load_parameters(tmp_path / "nope")


def test_parameter_report_rows(params: Parameters) -> None:
    rows = parameter_report(date(2024, 6, 1))
    by_name = {row["name"]: row for row in rows}
    assert len(rows) == len(params.table(date(2024, 6, 1)))
    assert by_name["max_rent"]["estimated"] is True
    assert by_name["max_rent"]["stale"] is True
    assert by_name["max_rent"]["last_confirmed"] == date(2023, 1, 1)
    assert by_name["income_limit"]["status"] == "confirmed"
    assert by_name["income_limit"]["estimated"] is False
    assert by_name["income_limit"]["effective_from"] == date(2024, 1, 1)
