"""Hypothesis properties of the matcher (rules must hold for every household and listing).

* more taxable income never raises an allowance;
* a higher rent never improves the verdict (nor lowers the net monthly cost);
* allowances are never negative nor above their cap (flanders.md §3.3), the
  installatiepremie is the monthly huursubsidie times its months;
* the shortlist is a stable ordering: it does not depend on the input order, a
  ``limit`` keeps a prefix, and it follows the documented rank key.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listings import Listing, _places
from matcher._allowances import compute_allowances
from matcher._evaluation import evaluate
from matcher._household import Household, load_household
from matcher._parameters import load_parameters
from matcher._shortlist import shortlist

PARAMS = load_parameters()
DATES = [date(2021, 6, 1), date(2022, 6, 1), date(2023, 6, 1), date(2024, 6, 1), date(2026, 3, 1)]
PLACES = [(m, pc) for m in _places.W13_MUNICIPALITIES for pc in _places.municipality_postcodes(m)]
VERDICT_RANK = {"green": 0, "amber": 1, "red": 2}

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def household_data(draw: st.DrawFn, *, taxable: bool = True) -> dict[str, Any]:
    """A household mapping; children are younger than 25 so every child is a ptl."""
    members: list[dict[str, Any]] = [
        {
            "role": "applicant",
            "birth_date": draw(st.dates(date(1950, 1, 1), date(2000, 12, 31))),
            "disability": draw(st.booleans()),
        }
    ]
    if draw(st.booleans()):
        members.append(
            {
                "role": "partner",
                "birth_date": draw(st.dates(date(1950, 1, 1), date(2000, 12, 31))),
                "disability": draw(st.booleans()),
            }
        )
    for _ in range(draw(st.integers(0, 5))):
        members.append(
            {
                "role": "child",
                "birth_date": draw(st.dates(date(2004, 1, 1), date(2021, 1, 1))),
                "sex": draw(st.sampled_from(["f", "m", None])),
                "custody": draw(st.sampled_from(["full", "shared"])),
                "disability": draw(st.booleans()),
            }
        )
    since = draw(st.none() | st.dates(date(2010, 1, 1), date(2021, 1, 1)))
    return {
        "members": members,
        "income": {
            "net_monthly": {"wage": draw(st.floats(0, 4000).map(lambda x: round(x, 2)))},
            "taxable_annual": draw(st.floats(0, 70000).map(lambda x: round(x, 2)))
            if taxable
            else None,
        },
        "situation": {
            "waiting_list_since": since,
            "leaving": draw(
                st.sampled_from(
                    ["none", "unfit", "uninhabitable", "overcrowded", "homeless", "svk"]
                )
            ),
            "owns_property": draw(st.booleans()),
        },
    }


@st.composite
def listing_data(draw: st.DrawFn, *, rent: bool = True) -> dict[str, Any]:
    municipality, postcode = draw(st.sampled_from(PLACES))
    return {
        "property_type": draw(st.sampled_from(["apartment", "house", "studio", "room", None])),
        "rent_eur": draw(st.floats(300, 1600).map(lambda x: round(x, 2))) if rent else None,
        "charges_eur": draw(st.none() | st.integers(0, 150)),
        "epc_label": draw(st.none() | st.sampled_from(["A+", "A", "B", "C", "D", "E", "F"])),
        "living_area_m2": draw(st.none() | st.integers(12, 200)),
        "bedrooms": draw(st.none() | st.integers(0, 5)),
        "postcode": postcode,
        "municipality": municipality,
    }


def make_listing(data: dict[str, Any], ident: str = "P1") -> Listing:
    fields = {k: v for k, v in data.items() if v is not None}
    return Listing(source="zimmo", source_id=ident, url=f"https://www.zimmo.be/{ident}", **fields)


def cap_for(household: Household, name: str, municipality: str, on: date) -> float:
    """The premium cap from the parameter table and flanders.md §1.2/§3.3, by hand."""
    ptl = sum(1 for m in household.members if m.role == "child")  # all children are < 25
    ptl += sum(1 for m in household.members if m.role == "partner" and m.disability)
    if name == "huurpremie" and household.applicant.disability:
        ptl += 1
    plus10 = municipality in PARAMS.get("plus10_municipalities", on).value  # type: ignore[operator]
    suffix = "_plus10" if plus10 else ""
    counted = min(ptl, int(PARAMS.number("premium_cap_max_ptl", on)))
    base = PARAMS.number("premium_cap", on, "base" + suffix)
    return base + PARAMS.number("premium_cap", on, "per_ptl" + suffix) * counted


@FAST
@given(
    household_data(),
    listing_data(),
    st.sampled_from(DATES),
    st.floats(0, 30000).map(lambda x: round(x, 2)),
)
def test_more_income_never_raises_an_allowance(
    data: dict[str, Any], listing: dict[str, Any], on: date, extra: float
) -> None:
    poorer = load_household(data)
    richer_data = {**data, "income": {**data["income"]}}
    richer_data["income"]["taxable_annual"] = data["income"]["taxable_annual"] + extra
    richer = load_household(richer_data)
    flat = make_listing(listing)
    before = compute_allowances(poorer, flat, on, PARAMS)
    after = compute_allowances(richer, flat, on, PARAMS)
    for low, high in zip(after, before, strict=True):
        assert low.name == high.name
        assert low.monthly_eur <= high.monthly_eur
        assert low.one_off_eur <= high.one_off_eur
        if high.eligible is False:
            assert low.eligible is False
    paid_before = evaluate(poorer, flat, on, params=PARAMS).cost.allowance_eur
    paid_after = evaluate(richer, flat, on, params=PARAMS).cost.allowance_eur
    assert paid_after is not None
    assert paid_before is not None
    assert paid_after <= paid_before


@FAST
@given(
    household_data(),
    listing_data(),
    st.sampled_from(DATES),
    st.floats(0.01, 600).map(lambda x: round(x, 2)),
)
def test_higher_rent_never_improves_the_verdict(
    data: dict[str, Any], listing: dict[str, Any], on: date, extra: float
) -> None:
    household = load_household(data)
    cheap = evaluate(household, make_listing(listing), on, params=PARAMS)
    dear_listing = make_listing({**listing, "rent_eur": min(listing["rent_eur"] + extra, 9999)})
    dear = evaluate(household, dear_listing, on, params=PARAMS)
    assert VERDICT_RANK[dear.verdict] >= VERDICT_RANK[cheap.verdict]
    assert cheap.cost.net_monthly_eur is not None
    assert dear.cost.net_monthly_eur is not None
    assert dear.cost.net_monthly_eur >= cheap.cost.net_monthly_eur
    assert (dear.cost.allowance_eur or 0) <= (cheap.cost.allowance_eur or 0)


@FAST
@given(household_data(), listing_data(), st.sampled_from(DATES))
def test_allowances_are_never_negative_nor_above_their_cap(
    data: dict[str, Any], listing: dict[str, Any], on: date
) -> None:
    household = load_household(data)
    results = compute_allowances(household, make_listing(listing), on, PARAMS)
    assert [r.name for r in results] == ["huurpremie", "huursubsidie"]
    months = PARAMS.number("installatiepremie_months", on)
    for result in results:
        cap = cap_for(household, result.name, listing["municipality"], on)
        assert 0 <= result.monthly_eur <= round(cap, 2) + 1e-9, (result.name, cap)
        assert result.one_off_eur >= 0
        if result.eligible is False:
            assert result.monthly_eur == 0
            assert result.one_off_eur == 0
        if result.name == "huursubsidie":
            assert abs(result.one_off_eur - months * result.monthly_eur) <= 0.01
        else:
            assert result.one_off_eur == 0


def _keys(result: Any) -> list[tuple[str, str]]:
    frame = result.frame
    return list(zip(frame["source"], frame["source_id"], strict=True))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    household_data(),
    st.lists(listing_data(rent=True) | listing_data(rent=False), min_size=1, max_size=25),
    st.sampled_from(DATES),
    st.randoms(use_true_random=False),
    st.booleans(),
    st.integers(0, 10),
)
def test_shortlist_is_a_stable_ordering(
    data: dict[str, Any],
    listings: list[dict[str, Any]],
    on: date,
    rnd: Any,
    vectorised: bool,
    limit: int,
) -> None:
    household = load_household(data)
    # Duplicate adverts on purpose (same figures, other ids): ties must be broken by the ids.
    items = [make_listing(d, f"L{i:02d}") for i, d in enumerate(listings + listings[:3])]
    shuffled = list(items)
    rnd.shuffle(shuffled)

    first = shortlist(household, items, on, params=PARAMS, vectorised=vectorised)
    again = shortlist(household, shuffled, on, params=PARAMS, vectorised=vectorised)
    assert _keys(first) == _keys(again)
    assert sorted(_keys(first)) == sorted((i.source, i.source_id) for i in items)
    assert list(first.frame["rank"]) == list(range(1, len(items) + 1))

    top = shortlist(household, shuffled, on, limit=limit, params=PARAMS, vectorised=vectorised)
    assert _keys(top) == _keys(first)[:limit]

    # The documented key: suitable/unknown before unsuitable, then green < amber < red.
    frame = first.frame
    order = [
        (suitable is False, VERDICT_RANK[verdict])
        for suitable, verdict in zip(frame["suitable"], frame["verdict"], strict=True)
    ]
    assert order == sorted(order)
