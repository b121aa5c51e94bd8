"""shortlist(): ranking, stability, and the vectorised path equal to the one-by-one path."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest

from listings import Listing
from matcher._evaluation import evaluate
from matcher._household import Household
from matcher._shortlist import FRAME_COLUMNS, Shortlist, shortlist

ON = date(2024, 6, 1)

# W13 and a few other places, with their postcodes
PLACES = [
    ("8500", "Kortrijk"),
    ("8501", "Kortrijk"),
    ("8510", "Kortrijk"),
    ("8511", "Kortrijk"),
    ("8520", "Kuurne"),
    ("8530", "Harelbeke"),
    ("8930", "Menen"),
    ("8790", "Waregem"),
    ("8560", "Wevelgem"),
    ("8880", "Ledegem"),
    ("8800", "Roeselare"),
    ("9000", "Gent"),
    ("7500", "Tournai"),
]
TYPES = ["apartment", "house", "studio", "room", "other", None]
LABELS = ["A+", "A", "B", "C", "D", "E", "F"]


def maybe(rng: random.Random, value: Any, p_missing: float = 0.25) -> Any:
    return None if rng.random() < p_missing else value


def generate(n: int, seed: int) -> list[Listing]:
    rng = random.Random(seed)
    out: list[Listing] = []
    for i in range(n):
        postcode, municipality = rng.choice(PLACES)
        kind = rng.choice(TYPES)
        label = maybe(rng, rng.choice(LABELS), 0.4)
        score = maybe(rng, float(rng.randint(-20, 800)), 0.5)
        out.append(
            Listing(
                source=rng.choice(["zimmo", "immoweb", "immoscoop", "realtor:dewaele"]),
                source_id=f"G{rng.randint(0, 10 * n):06d}-{i}",
                url=f"https://example.be/{i}",
                property_type=kind,
                rent_eur=maybe(
                    rng, float(rng.choice([rng.randint(350, 1400), 780, 620, 900])), 0.1
                ),
                charges_eur=maybe(rng, float(rng.choice([0, 25, 40, 75, 120])), 0.35),
                bedrooms=maybe(rng, rng.randint(0, 5)),
                living_area_m2=maybe(rng, float(rng.randint(12, 200)), 0.3),
                epc_label=label,
                epc_kwh_m2=score,
                postcode=maybe(rng, postcode, 0.1),
                municipality=maybe(rng, municipality, 0.2),
                floor=maybe(rng, rng.randint(-1, 6), 0.4),
                elevator=maybe(rng, rng.random() < 0.5, 0.5),
                garden=maybe(rng, rng.random() < 0.5, 0.4),
                parking=maybe(rng, rng.random() < 0.5, 0.4),
                accessible=maybe(rng, rng.random() < 0.3, 0.6),
                pets_allowed=maybe(rng, rng.random() < 0.5, 0.5),
                available_now=maybe(rng, rng.random() < 0.5, 0.5),
                available_from=maybe(
                    rng, date(2024, 5, 1) + timedelta(days=rng.randint(0, 200)), 0.5
                ),
            )
        )
    return out


HOUSEHOLDS: dict[str, dict[str, Any]] = {
    "single_parent_kortrijk": {
        "members": [
            {"role": "applicant", "birth_date": "1990-05-14"},
            {"role": "child", "birth_date": "2010-03-01", "sex": "f"},
            {"role": "child", "birth_date": "2016-09-10", "sex": "m", "custody": "shared"},
        ],
        "income": {
            "net_monthly": {"leefloon": 1741.29, "groeipakket": 463.72},
            "taxable_annual": 20895.48,
        },
        "situation": {"waiting_list_since": "2019-02-01"},
        "preferences": {
            "municipalities": ["Kortrijk", "Kuurne"],
            "needs": ["ground_floor_or_elevator"],
            "pets": True,
            "move_in_by": "2024-09-01",
        },
    },
    "single_unfit_region": {
        "members": [{"role": "applicant", "birth_date": "1975-01-20", "disability": True}],
        "income": {"net_monthly": {"leefloon": 1288.46}, "taxable_annual": 15461.52},
        "situation": {"waiting_list_since": "2022-03-01", "leaving": "unfit"},
        "preferences": {"property_types": ["apartment", "studio", "room"]},
    },
    "couple_no_taxable_income": {
        "members": [
            {"role": "applicant", "birth_date": "1988-02-02"},
            {"role": "partner", "birth_date": "1989-07-07"},
            {"role": "child", "birth_date": "2021-04-15"},
            {"role": "adult", "birth_date": "1950-04-15"},
        ],
        "income": {"net_monthly": {"wage": 2250, "pension": 1100, "groeipakket": 231.86}},
        "situation": {"waiting_list_since": "2019-12-01"},
        "preferences": {"needs": ["garden", "parking"], "min_bedrooms": 3},
    },
}


@pytest.fixture(scope="module")
def generated() -> list[Listing]:
    return generate(600, seed=13)


@pytest.mark.parametrize("name", sorted(HOUSEHOLDS))
def test_vectorised_equals_one_by_one(name: str, generated: list[Listing]) -> None:
    household = Household.from_mapping(HOUSEHOLDS[name])
    fast = shortlist(household, generated, ON, vectorised=True)
    slow = shortlist(household, generated, ON, vectorised=False)
    pd.testing.assert_frame_equal(fast.frame, slow.frame, check_exact=True)
    assert fast.counts == slow.counts
    assert fast.total == slow.total == len(generated)
    # and each row equals evaluate() on its listing
    sample = fast.frame.iloc[::7]
    for pos, (_, row) in zip(sample.index.tolist(), sample.iterrows(), strict=True):
        one = evaluate(household, generated[pos], ON)
        assert row["verdict"] == one.verdict
        assert row["verdict_label"] == one.verdict_label
        assert row["suitable"] is one.suitability.suitable
        for column in ("energy_eur", "charges_eur", "allowance_eur", "net_monthly_eur"):
            value = getattr(one.cost, column)
            assert (pd.isna(row[column]) and value is None) or row[column] == value
        for column in ("rent_share", "housing_share", "residual_eur"):
            value = getattr(one.ratios, column)
            assert (pd.isna(row[column]) and value is None) or row[column] == value


def test_generated_set_covers_every_case(generated: list[Listing]) -> None:
    household = Household.from_mapping(HOUSEHOLDS["single_parent_kortrijk"])
    frame = shortlist(household, generated, ON).frame
    assert set(frame["verdict"]) == {"green", "amber", "red"}
    assert set(frame["verdict_label"]) >= {
        "betaalbaar",
        "krap",
        "te duur",
        "ongeschikt",
        "huurprijs onbekend",
    }
    assert {True, False, None} <= set(frame["suitable"])
    assert frame["allowance_eur"].gt(0).any()


def test_lazy_evaluations_equal_evaluate(generated: list[Listing]) -> None:
    household = Household.from_mapping(HOUSEHOLDS["single_parent_kortrijk"])
    result = shortlist(household, generated, ON, limit=15)
    assert len(result.frame) == 15
    assert list(result.frame["rank"]) == list(range(1, 16))
    assert result.total == len(generated)
    evaluations = result.evaluations
    assert len(evaluations) == 15
    for pos, one in zip(result.frame.index, evaluations, strict=True):
        assert one == evaluate(household, generated[int(pos)], ON)


def test_dataframe_input_equals_list_input(generated: list[Listing]) -> None:
    household = Household.from_mapping(HOUSEHOLDS["single_unfit_region"])
    frame = pd.DataFrame([listing.model_dump() for listing in generated])
    from_frame = shortlist(household, frame, ON, limit=40)
    from_list = shortlist(household, generated, ON, limit=40)
    pd.testing.assert_frame_equal(from_frame.frame, from_list.frame, check_exact=True)
    assert from_frame.evaluations == from_list.evaluations
    # a DataFrame with only a few columns works too (missing columns are unknown)
    few = frame[["source", "source_id", "url", "rent_eur", "postcode"]]
    small = shortlist(household, few, ON, limit=5)
    assert len(small.frame) == 5
    assert small.evaluations[0].cost.rent_eur == small.frame["rent_eur"].iloc[0]


def test_dataframe_one_by_one_path(generated: list[Listing]) -> None:
    household = Household.from_mapping(HOUSEHOLDS["couple_no_taxable_income"])
    frame = pd.DataFrame([listing.model_dump() for listing in generated[:80]])
    fast = shortlist(household, frame, ON)
    slow = shortlist(household, frame, ON, vectorised=False)
    pd.testing.assert_frame_equal(fast.frame, slow.frame, check_exact=True)


def test_ranking_is_stable_under_input_order(generated: list[Listing]) -> None:
    household = Household.from_mapping(HOUSEHOLDS["single_parent_kortrijk"])
    base = shortlist(household, generated, ON).frame
    shuffled = list(generated)
    random.Random(7).shuffle(shuffled)
    again = shortlist(household, shuffled, ON).frame
    columns = list(FRAME_COLUMNS)
    pd.testing.assert_frame_equal(
        base[columns].reset_index(drop=True),
        again[columns].reset_index(drop=True),
        check_exact=True,
    )
    small = shortlist(household, list(reversed(generated[:30])), ON).frame  # one-by-one path
    small_sorted = shortlist(household, generated[:30], ON).frame
    assert list(small["source_id"]) == list(small_sorted["source_id"])


def listing(source_id: str, **fields: Any) -> Listing:
    base: dict[str, Any] = {
        "source": "zimmo",
        "source_id": source_id,
        "url": f"https://www.zimmo.be/{source_id}",
        "property_type": "apartment",
        "rent_eur": 600,
        "charges_eur": 30,
        "epc_label": "C",
        "living_area_m2": 70,
        "bedrooms": 2,
        "postcode": "8500",
        "municipality": "Kortrijk",
    }
    return Listing(**{**base, **fields})


def test_ranking_order() -> None:
    household = Household.from_mapping(
        {
            "members": [{"role": "applicant", "birth_date": "1980-01-01"}],
            "income": {"net_monthly": {"wage": 2400}, "taxable_annual": 30000},
            "preferences": {"pets": True},
        }
    )
    items = [
        listing("unsuitable-cheap", rent_eur=300, pets_allowed=False),
        listing("red", rent_eur=1200),
        listing("amber", rent_eur=760),
        listing("green-b", rent_eur=500, pets_allowed=True),
        listing("green-a", rent_eur=500),  # same cost as green-b: source_id decides
        listing("green-cheapest", rent_eur=420, pets_allowed=None),
        listing("unknown-rent", rent_eur=None),
        listing("green-same-cost-other-source", rent_eur=500, source="immoweb"),
    ]
    for path in (True, False):
        result = shortlist(household, items, ON, vectorised=path)
        assert list(result.frame["source_id"]) == [
            "green-cheapest",
            "green-same-cost-other-source",  # immoweb < zimmo
            "green-a",
            "green-b",
            "amber",
            "unknown-rent",
            "red",
            "unsuitable-cheap",
        ]
        assert list(result.frame["verdict"]) == ["green"] * 4 + ["amber", "amber", "red", "red"]
        assert result.counts == {"green": 4, "amber": 2, "red": 2}
        assert [e.listing.source_id for e in result.evaluations][:2] == [
            "green-cheapest",
            "green-same-cost-other-source",
        ]


def test_limit_and_json() -> None:
    household = Household.from_mapping(
        {
            "members": [{"role": "applicant", "birth_date": "1980-01-01"}],
            "income": {"net_monthly": {"wage": 2000}},
        }
    )
    items = [listing(f"L{i}", rent_eur=400 + 50 * i) for i in range(6)]
    result = shortlist(household, items, ON, limit=2)
    assert isinstance(result, Shortlist)
    assert list(result.frame["source_id"]) == ["L0", "L1"]
    dumped = result.model_dump(mode="json")
    assert set(dumped) == {"date", "total", "counts", "limit", "evaluations"}
    assert dumped["total"] == 6
    assert [e["listing"]["source_id"] for e in dumped["evaluations"]] == ["L0", "L1"]
    assert "members" not in str(dumped)
    assert len(shortlist(household, items, ON, limit=0).frame) == 0
    assert shortlist(household, [], ON).frame.columns.tolist() == list(FRAME_COLUMNS)
    with pytest.raises(ValueError, match="limit"):
        shortlist(household, items, ON, limit=-1)


def test_dataframe_with_store_dtypes(generated: list[Listing]) -> None:
    """Datetime columns, float bedrooms and lower-case labels, as a store export may give."""
    household = Household.from_mapping(HOUSEHOLDS["single_parent_kortrijk"])
    frame = pd.DataFrame([listing.model_dump(mode="json") for listing in generated[:200]])
    frame["available_from"] = pd.to_datetime(frame["available_from"])
    frame["bedrooms"] = frame["bedrooms"].astype(float)
    frame["epc_label"] = frame["epc_label"].str.lower()
    from_frame = shortlist(household, frame, ON, limit=25)
    from_list = shortlist(household, generated[:200], ON, limit=25)
    pd.testing.assert_frame_equal(from_frame.frame, from_list.frame, check_exact=True)
    assert from_frame.evaluations == from_list.evaluations
