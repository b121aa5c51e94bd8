"""The Flemish rent allowances: Vlaamse huurpremie and huursubsidie (+ installatiepremie).

Rules from flanders.md §1-4 and the §13 pseudo-code; every figure comes from
the dated parameter files (:mod:`matcher._parameters`). For each allowance
:func:`compute_allowances` reports whether the household is eligible for a
given listing (``True`` / ``False`` / ``None`` = unknown because an input is
missing), every condition with its outcome and a plain Dutch reason, the
monthly and one-off amounts and the parameter values used::

    monthly = max(0, min(cap, 0.75 × max rent − income / 55))

rounded half up to cents at the end. :func:`compute_allowances_frame` does the
same for a whole DataFrame of listings and gives exactly the same numbers.

>>> from listings import Listing
>>> from matcher._household import load_household
>>> hh = load_household({
...     "members": [{"role": "applicant", "birth_date": "1985-01-01"}],
...     "income": {"net_monthly": {"leefloon": 1288.46}, "taxable_annual": 15461.52},
...     "situation": {"waiting_list_since": "2022-01-01", "leaving": "unfit"}})
>>> flat = Listing(source="zimmo", source_id="B", url="https://www.zimmo.be/b",
...                rent_eur=620, property_type="apartment", postcode="8930")
>>> premie, subsidie = compute_allowances(hh, flat, date(2024, 6, 1))
>>> premie.eligible, subsidie.eligible, subsidie.monthly_eur, subsidie.one_off_eur
(False, True, 177.76, 533.28)
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from listings import _places
from listings._model import Listing
from listings.errors import PlaceNotFoundError
from matcher._household import Household
from matcher._parameters import Parameters, ParameterValue, load_parameters
from matcher._texts import format_eur, format_number

__all__ = [
    "AllowanceName",
    "AllowanceResult",
    "Condition",
    "DepositHint",
    "ParameterUse",
    "best_allowance",
    "compute_allowances",
    "compute_allowances_frame",
    "deposit_hint",
    "round_half_up",
]

#: Name of an allowance.
AllowanceName = Literal["huurpremie", "huursubsidie"]

#: Provinces of the Flemish Region (a dwelling must lie there for both allowances).
_FLEMISH_PROVINCES = frozenset(
    {"Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen"}
)

#: Huursubsidie triggers (flanders.md §4.1) with the Dutch wording of each.
_LEAVING_NL = {
    "unfit": "verhuist uit een ongeschikt verklaarde woning",
    "uninhabitable": "verhuist uit een onbewoonbaar verklaarde woning",
    "overcrowded": "verhuist uit een overbewoonde woning",
    "homeless": "was dakloos",
    "unsuitable": "verhuist uit een woning die niet aangepast is (leeftijd of handicap)",
    "svk": "huurt een woning van een sociaal verhuurkantoor",
}

_ROUND_TO = Decimal("0.01")
#: Age of majority: below it every child counts as a person ten laste, so the
#: ``ptl_child_max_age`` parameter only matters (and is reported) for older children.
_MAJORITY_AGE = 18


def round_half_up(amount: float) -> float:
    """Round a euro amount to cents, halves away from zero (not banker's rounding).

    >>> round_half_up(0.125), round_half_up(102.86954545), round_half_up(2.675)
    (0.13, 102.87, 2.68)
    """
    return float(Decimal(repr(float(amount))).quantize(_ROUND_TO, rounding=ROUND_HALF_UP))


class Condition(BaseModel):
    """One condition of an allowance and how it turned out for this household and listing."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    name: str
    """Short key: ``trigger``, ``income``, ``rent``, ``property``, ``dwelling_type``,
    ``region`` or ``apply_within``."""
    outcome: bool | None
    """True = met, False = not met, None = unknown (an input is missing)."""
    reason: str
    """Why, in plain Dutch, with the numbers."""


class ParameterUse(BaseModel):
    """A rule parameter used for a result, so the result can say where its figures come from."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    name: str
    """Parameter name (``"max_rent"``)."""
    value: Any
    """The value used (a number, a list or a table)."""
    status: str
    """``confirmed`` or ``estimated`` as recorded in the parameter file."""
    reference: str
    """URL or legal reference of the source."""
    estimated: bool
    """True when the value is an estimate or the date is past the last confirmed value."""


class AllowanceResult(BaseModel):
    """The outcome of one allowance for one household, listing and date."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    name: AllowanceName
    """``huurpremie`` or ``huursubsidie``."""
    eligible: bool | None
    """True / False, or None when an input is missing (never reported as a failure)."""
    monthly_eur: float
    """Monthly amount, EUR, rounded to cents. 0 when not eligible. When ``eligible`` is None
    this is the amount *if* the unknown conditions turn out fine (0 when it cannot be
    computed, e.g. without taxable income)."""
    one_off_eur: float
    """One-off amount, EUR (the installatiepremie for the huursubsidie; 0 for the huurpremie)."""
    conditions: list[Condition]
    """Every condition checked, in a fixed order."""
    parameters: list[ParameterUse]
    """The parameter values used."""
    estimated: bool
    """True when a parameter used is estimated: show the amount "onder voorbehoud"."""
    formula: str
    """The calculation in Dutch with the numbers filled in."""


class DepositHint(BaseModel):
    """How the rental deposit can be paid when the household may need help with it."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    months: int
    """Months of rent the deposit can be (the legal maximum in Flanders)."""
    amount_eur: float
    """The deposit: the amount the listing asks, else months × rent, EUR."""
    options: list[str]
    """Ways to pay it that fit this household, in Dutch."""


# -- household-level facts ----------------------------------------------------


@dataclass(frozen=True)
class _Facets:
    """What the rules need to know about a listing besides its rent."""

    room: bool | None  # None: property type unknown
    plus10: bool | None  # None: municipality unknown
    flemish: bool | None  # None: region unknown


@dataclass(frozen=True)
class _Static:
    """One allowance's outcome for one listing facet combination, before the rent check."""

    conditions: tuple[Condition, ...]  # in order, with the rent condition left out
    max_rent_low: float  # lowest max rent over the unknown facets
    max_rent_high: float  # highest max rent over the unknown facets
    amount: float  # rounded monthly amount (conservative when a facet is unknown)
    one_off: float
    formula: str
    max_rent_text: str


@dataclass
class _Context:
    """Everything about the household and date that does not depend on the listing."""

    household: Household
    on: date
    params: Parameters
    income: float | None
    income_limit: float
    income_limit_text: str
    ptl: dict[str, int]
    waiting_years: float | None
    plus10_names: frozenset[str]
    used: dict[str, list[ParameterValue]]
    static_cache: dict[tuple[str, _Facets], _Static]


def _context(household: Household, on: date, params: Parameters) -> _Context:
    get = params.get
    ptl_income = household.persons_ten_laste(on, for_income_limit=True, params=params)
    limits = get("income_limit", on)
    table = limits.value
    assert isinstance(table, dict)
    if len(household.adults) == 1 and ptl_income == 0:
        key = "single_handicap" if household.applicant.disability else "single"
        limit = table[key]
        label = "alleenstaande met handicap" if key == "single_handicap" else "alleenstaande"
        limit_text = f"grens voor een {label}: {format_eur(limit)}"
    else:
        limit = table["other"] + table["per_ptl"] * ptl_income
        limit_text = (
            f"grens {format_eur(table['other'])} + {ptl_income} × {format_eur(table['per_ptl'])} "
            f"per persoon ten laste = {format_eur(limit)}"
        )
    plus10 = get("plus10_municipalities", on)
    assert isinstance(plus10.value, list)
    common = [
        limits,
        get("max_rent", on),
        get("max_rent_ptl_factor", on),
        plus10,
        get("premium_cap", on),
        get("premium_cap_max_ptl", on),
        get("reference_rent_share", on),
        get("own_contribution_divisor", on),
        get("ptl_disabled_child_weight", on),
    ]
    if any(household.age(m, on) >= _MAJORITY_AGE for m in household.children):
        common.append(get("ptl_child_max_age", on))
    used = {
        "huurpremie": [*common, get("huurpremie_min_waiting_years", on)],
        "huursubsidie": [
            *common,
            get("installatiepremie_months", on),
            get("huursubsidie_apply_within_months", on),
        ],
    }
    return _Context(
        household=household,
        on=on,
        params=params,
        income=household.income.taxable_annual,
        income_limit=limit,
        income_limit_text=limit_text,
        ptl={
            "huurpremie": household.persons_ten_laste(on, for_huurpremie=True, params=params),
            "huursubsidie": household.persons_ten_laste(on, params=params),
        },
        waiting_years=household.waiting_years(on),
        plus10_names=frozenset(name.casefold() for name in plus10.value),
        used=used,
        static_cache={},
    )


# -- listing facets -------------------------------------------------------------


def _text(value: object) -> str | None:
    if value is None:
        return None
    try:
        if pd.isna(value):  # type: ignore[call-overload]
            return None
    except (TypeError, ValueError):
        pass
    text = str(getattr(value, "value", value)).strip()
    return text or None


@dataclass(frozen=True)
class _Place:
    municipality: str | None
    flemish: bool | None


def _place(municipality: str | None, postcode: str | None) -> _Place:
    info = _places.postcode_info(postcode) if postcode else None
    if municipality is None and info is not None:
        municipality = info.municipality
    if info is None and municipality is not None:
        try:
            codes = _places.municipality_postcodes(municipality)
        except PlaceNotFoundError:
            codes = ()
        info = _places.postcode_info(codes[0]) if codes else None
    if info is None:
        return _Place(municipality, None)
    return _Place(municipality, info.province in _FLEMISH_PROVINCES)


def _facets(
    ctx: _Context, property_type: object, municipality: object, postcode: object
) -> _Facets:
    kind = _text(property_type)
    place = _place(_text(municipality), _text(postcode))
    plus10 = (
        None if place.municipality is None else place.municipality.casefold() in ctx.plus10_names
    )
    return _Facets(
        room=None if kind is None else kind == "room", plus10=plus10, flemish=place.flemish
    )


# -- the rules --------------------------------------------------------------------


def _max_rent(ctx: _Context, ptl: int, room: bool, plus10: bool) -> float:
    key = ("room" if room else "self_contained") + ("_plus10" if plus10 else "")
    factors = ctx.params.get("max_rent_ptl_factor", ctx.on).value
    assert isinstance(factors, dict)
    top = max(int(k) for k in factors)
    factor = factors[str(min(ptl, top))]
    return ctx.params.number("max_rent", ctx.on, key) * factor


def _cap(ctx: _Context, ptl: int, plus10: bool) -> float:
    suffix = "_plus10" if plus10 else ""
    counted = min(ptl, int(ctx.params.number("premium_cap_max_ptl", ctx.on)))
    base = ctx.params.number("premium_cap", ctx.on, "base" + suffix)
    return base + ctx.params.number("premium_cap", ctx.on, "per_ptl" + suffix) * counted


def _raw_amount(ctx: _Context, max_rent: float, cap: float) -> tuple[float, float]:
    """Return (0.75 × max rent − income/55, the rounded amount); income must be known."""
    assert ctx.income is not None
    share = ctx.params.number("reference_rent_share", ctx.on)
    divisor = ctx.params.number("own_contribution_divisor", ctx.on)
    formula_value = share * max_rent - ctx.income / divisor
    return formula_value, round_half_up(max(0.0, min(cap, formula_value)))


def _trigger(ctx: _Context, name: str) -> Condition:
    if name == "huurpremie":
        needed = ctx.params.number("huurpremie_min_waiting_years", ctx.on)
        years = ctx.waiting_years
        if years is None:
            return Condition(
                name="trigger",
                outcome=False,
                reason="Niet ingeschreven op de wachtlijst voor een sociale woning "
                f"(minstens {format_number(needed, 0)} jaar nodig).",
            )
        shown = format_number(years, 1)
        if years >= needed:
            return Condition(
                name="trigger",
                outcome=True,
                reason=f"{shown} jaar op de wachtlijst voor een sociale woning "
                f"(minstens {format_number(needed, 0)} jaar nodig).",
            )
        return Condition(
            name="trigger",
            outcome=False,
            reason=f"Pas {shown} jaar op de wachtlijst voor een sociale woning; "
            f"er zijn minstens {format_number(needed, 0)} jaar nodig.",
        )
    leaving = ctx.household.situation.leaving
    if leaving in _LEAVING_NL:
        return Condition(name="trigger", outcome=True, reason=f"Het gezin {_LEAVING_NL[leaving]}.")
    return Condition(
        name="trigger",
        outcome=False,
        reason="Geen reden voor huursubsidie: die is er bij verhuis uit een ongeschikte, "
        "onbewoonbare of overbewoonde woning, na dakloosheid of bij huur via een sociaal "
        "verhuurkantoor.",
    )


def _income_condition(ctx: _Context) -> Condition:
    if ctx.income is None:
        return Condition(
            name="income",
            outcome=None,
            reason="Het belastbaar inkomen is niet bekend: de inkomensgrens kan niet "
            "nagekeken worden.",
        )
    ok = ctx.income <= ctx.income_limit
    sign = "≤" if ok else ">"
    verdict = "onder" if ok else "boven"
    return Condition(
        name="income",
        outcome=ok,
        reason=f"Inkomen {format_eur(ctx.income)} {sign} {ctx.income_limit_text}: "
        f"{verdict} de grens.",
    )


def _property_condition(ctx: _Context) -> Condition:
    if ctx.household.situation.owns_property:
        return Condition(
            name="property",
            outcome=False,
            reason="Het gezin is eigenaar van een woning of bouwgrond.",
        )
    return Condition(
        name="property", outcome=True, reason="Het gezin heeft geen woning of bouwgrond."
    )


def _type_condition(name: str, room: bool | None) -> Condition:
    if name == "huurpremie":
        return Condition(
            name="dwelling_type",
            outcome=True,
            reason="Een kamer of een zelfstandige woning: beide komen in aanmerking.",
        )
    if room is None:
        return Condition(
            name="dwelling_type",
            outcome=None,
            reason="Soort woning niet bekend: een kamer komt niet in aanmerking, "
            "een zelfstandige woning wel.",
        )
    if room:
        return Condition(
            name="dwelling_type",
            outcome=False,
            reason="Een kamer komt niet in aanmerking: alleen een zelfstandige woning.",
        )
    return Condition(
        name="dwelling_type", outcome=True, reason="Een zelfstandige woning komt in aanmerking."
    )


def _region_condition(flemish: bool | None) -> Condition:
    if flemish is None:
        return Condition(
            name="region",
            outcome=None,
            reason="Ligging niet bekend: de woning moet in het Vlaamse Gewest liggen.",
        )
    if flemish:
        return Condition(name="region", outcome=True, reason="De woning ligt in Vlaanderen.")
    return Condition(
        name="region",
        outcome=False,
        reason="De woning ligt niet in het Vlaamse Gewest.",
    )


def _apply_within(ctx: _Context) -> Condition:
    months = format_number(ctx.params.number("huursubsidie_apply_within_months", ctx.on), 0)
    return Condition(
        name="apply_within",
        outcome=True,
        reason=f"Let op: vraag de huursubsidie aan binnen {months} maanden na de start "
        "van het huurcontract.",
    )


def _static(ctx: _Context, name: str, facets: _Facets) -> _Static:
    key = (name, facets)
    cached = ctx.static_cache.get(key)
    if cached is not None:
        return cached
    ptl = ctx.ptl[name]
    # Huursubsidie: a room is excluded anyway, so amounts assume a self-contained dwelling.
    rooms = [False] if name == "huursubsidie" else [True, False]
    room_options = rooms if facets.room is None else [facets.room and name == "huurpremie"]
    plus10_options = [False, True] if facets.plus10 is None else [facets.plus10]
    scenarios = list(itertools.product(room_options, plus10_options))
    max_rents = [_max_rent(ctx, ptl, room, plus10) for room, plus10 in scenarios]
    low, high = min(max_rents), max(max_rents)
    conditions = (
        _trigger(ctx, name),
        _income_condition(ctx),
        _property_condition(ctx),
        _type_condition(name, facets.room),
        _region_condition(facets.flemish),
    ) + ((_apply_within(ctx),) if name == "huursubsidie" else ())
    if ctx.income is None:
        amount = 0.0
        formula = "Bedrag niet te berekenen: het belastbaar inkomen is niet bekend."
    else:
        # Conservative when the municipality or the type is unknown: the lowest amount.
        options = []
        for (_room, plus10), max_rent in zip(scenarios, max_rents, strict=True):
            cap = _cap(ctx, ptl, plus10)
            raw, rounded = _raw_amount(ctx, max_rent, cap)
            options.append((rounded, raw, cap, max_rent))
        amount, raw, cap, max_rent = min(options)
        share = ctx.params.number("reference_rent_share", ctx.on)
        divisor = ctx.params.number("own_contribution_divisor", ctx.on)
        formula = (
            f"min(plafond {format_eur(cap, cents=True)}; "
            f"{format_number(share * 100, 0)} % × maximale huurprijs "
            f"{format_eur(max_rent, cents=True)} − inkomen {format_eur(ctx.income, cents=True)}"
            f" / {format_number(divisor, 0)} = {format_eur(raw, cents=True)})"
            f" = {format_eur(amount, cents=True)} per maand"
        )
        if raw <= 0:
            formula += " (niet minder dan € 0)"
    one_off = 0.0
    if name == "huursubsidie":
        months = ctx.params.number("installatiepremie_months", ctx.on)
        one_off = round_half_up(months * amount)
        formula += (
            f"; installatiepremie {format_number(months, 0)} × {format_eur(amount, cents=True)}"
            f" = {format_eur(one_off, cents=True)} (eenmalig)"
        )
    place = {True: " (gemeente met +10 %)", False: "", None: ""}[facets.plus10]
    max_rent_text = (
        f"maximale huurprijs {format_eur(low, cents=True)}{place}"
        if low == high
        else f"maximale huurprijs tussen {format_eur(low, cents=True)} en "
        f"{format_eur(high, cents=True)} (soort woning of gemeente niet bekend)"
    )
    result = _Static(
        conditions=conditions,
        max_rent_low=low,
        max_rent_high=high,
        amount=amount,
        one_off=one_off,
        formula=formula,
        max_rent_text=max_rent_text,
    )
    ctx.static_cache[key] = result
    return result


def _rent_outcome(rent: float | None, low: float, high: float) -> bool | None:
    if rent is None:
        return None
    if rent <= low:
        return True
    if rent > high:
        return False
    return None


def _rent_condition(rent: float | None, static: _Static) -> Condition:
    outcome = _rent_outcome(rent, static.max_rent_low, static.max_rent_high)
    if rent is None:
        reason = f"Huurprijs niet bekend ({static.max_rent_text})."
    elif outcome is True:
        reason = f"Huur {format_eur(rent, cents=True)} ≤ {static.max_rent_text}."
    elif outcome is False:
        reason = f"Huur {format_eur(rent, cents=True)} is hoger dan de {static.max_rent_text}."
    else:
        reason = f"Huur {format_eur(rent, cents=True)}: {static.max_rent_text}."
    return Condition(name="rent", outcome=outcome, reason=reason)


def _combine(outcomes: Sequence[bool | None]) -> bool | None:
    if any(o is False for o in outcomes):
        return False
    if any(o is None for o in outcomes):
        return None
    return True


def _uses(values: list[ParameterValue]) -> list[ParameterUse]:
    return [
        ParameterUse(
            name=pv.name,
            value=pv.value,
            status=pv.status,
            reference=pv.reference,
            estimated=pv.estimated,
        )
        for pv in values
    ]


def _result(
    ctx: _Context, name: AllowanceName, facets: _Facets, rent: float | None
) -> AllowanceResult:
    static = _static(ctx, name, facets)
    rent_condition = _rent_condition(rent, static)
    conditions = [*static.conditions[:2], rent_condition, *static.conditions[2:]]
    eligible = _combine([c.outcome for c in conditions])
    used = ctx.used[name]
    paid = eligible is not False
    return AllowanceResult(
        name=name,
        eligible=eligible,
        monthly_eur=static.amount if paid else 0.0,
        one_off_eur=static.one_off if paid else 0.0,
        conditions=conditions,
        parameters=_uses(used),
        estimated=any(pv.estimated for pv in used),
        formula=static.formula if paid else "Geen recht: " + _first_failure(conditions),
    )


def _first_failure(conditions: Sequence[Condition]) -> str:
    reason = next(c.reason for c in conditions if c.outcome is False)
    return reason[:1].lower() + reason[1:]


# -- public API ---------------------------------------------------------------------


def compute_allowances(
    household: Household, listing: Listing, on: date, params: Parameters | None = None
) -> list[AllowanceResult]:
    """Compute the huurpremie and the huursubsidie for ``household`` renting ``listing`` on ``on``.

    Always returns ``[huurpremie, huursubsidie]``. Raises
    :class:`~matcher.errors.ParameterError` when a parameter has no value on ``on``.
    """
    ctx = _context(household, on, params or load_parameters())
    facets = _facets(ctx, listing.property_type, listing.municipality, listing.postcode)
    return [
        _result(ctx, "huurpremie", facets, listing.rent_eur),
        _result(ctx, "huursubsidie", facets, listing.rent_eur),
    ]


def best_allowance(results: list[AllowanceResult]) -> AllowanceResult | None:
    """Return the allowance that is paid: the huurpremie when both are due (flanders.md §3.1).

    Only results with ``eligible is True`` count; ``None`` when neither is certain.
    """
    eligible = [r for r in results if r.eligible is True]
    for name in ("huurpremie", "huursubsidie"):
        for result in eligible:
            if result.name == name:
                return result
    return None


def _overall(results: Sequence[AllowanceResult]) -> bool | None:
    outcomes = [r.eligible for r in results]
    if any(o is True for o in outcomes):
        return True
    if any(o is None for o in outcomes):
        return None
    return False


_FRAME_COLUMNS = (
    "huurpremie_eur",
    "huursubsidie_eur",
    "allowance_eur",
    "allowance_name",
    "allowance_one_off_eur",
    "allowance_eligible",
)


def compute_allowances_frame(
    household: Household, frame: pd.DataFrame, on: date, params: Parameters | None = None
) -> pd.DataFrame:
    """Compute the allowances for every listing (row) of ``frame`` at once.

    ``frame`` has :class:`~listings.Listing` columns; ``rent_eur``,
    ``property_type``, ``municipality`` and ``postcode`` are used (missing
    columns count as unknown). Returns a frame with the same index and the
    columns ``huurpremie_eur``, ``huursubsidie_eur``, ``allowance_eur``,
    ``allowance_name``, ``allowance_one_off_eur`` and ``allowance_eligible``
    (True / False / None, object dtype). Row by row it equals
    :func:`compute_allowances` followed by :func:`best_allowance`.
    """
    ctx = _context(household, on, params or load_parameters())
    n = len(frame)

    def column(name: str) -> pd.Series:
        if name in frame.columns:
            return frame[name].astype(object)
        return pd.Series([None] * n, index=frame.index, dtype=object)

    # The household side is fixed, so the rules depend on the listing only through its
    # (type, municipality, postcode) facets: evaluate those once per distinct combination.
    parts = [
        pd.factorize(column(name), use_na_sentinel=False)
        for name in ("property_type", "municipality", "postcode")
    ]
    combined = np.zeros(n, dtype=np.int64)
    for codes_, uniques_ in parts:
        combined = combined * len(uniques_) + codes_
    present, raw_group = np.unique(combined, return_inverse=True)
    facet_of: dict[tuple[str | None, str | None, str | None], _Facets] = {}
    raw_facets: list[_Facets] = []
    for value in present.tolist():
        picked: list[object] = []
        for _codes, uniques_ in reversed(parts):
            value, index = divmod(value, len(uniques_))
            picked.append(uniques_[index])
        kind, municipality, postcode = reversed(picked)
        key = (_text(kind), _text(municipality), _text(postcode))
        if key not in facet_of:
            facet_of[key] = _facets(ctx, *key)
        raw_facets.append(facet_of[key])
    rent = (
        pd.to_numeric(frame["rent_eur"], errors="coerce").to_numpy(dtype=float)
        if "rent_eur" in frame.columns
        else np.full(n, np.nan)
    )
    unique = sorted(set(raw_facets), key=repr)
    position = {facet: i for i, facet in enumerate(unique)}
    raw_to_unique = np.array([position[f] for f in raw_facets], dtype=int)
    group = raw_to_unique[raw_group] if n else np.zeros(0, int)
    known_rent = ~np.isnan(rent)

    codes: dict[str, np.ndarray] = {}  # 1 = True, 0 = False, -1 = None
    amounts: dict[str, np.ndarray] = {}
    one_offs: dict[str, np.ndarray] = {}
    for name in ("huurpremie", "huursubsidie"):
        statics = [_static(ctx, name, f) for f in unique]
        static_code = (
            np.array(
                [_code(_combine([c.outcome for c in s.conditions])) for s in statics], dtype=int
            )[group]
            if n
            else np.zeros(0, int)
        )
        low = np.array([s.max_rent_low for s in statics])[group] if n else np.zeros(0)
        high = np.array([s.max_rent_high for s in statics])[group] if n else np.zeros(0)
        rent_code = np.where(
            ~known_rent, -1, np.where(rent <= low, 1, np.where(rent > high, 0, -1))
        )
        code = np.where(
            (static_code == 0) | (rent_code == 0),
            0,
            np.where((static_code == -1) | (rent_code == -1), -1, 1),
        )
        amount = np.array([s.amount for s in statics])[group] if n else np.zeros(0)
        one_off = np.array([s.one_off for s in statics])[group] if n else np.zeros(0)
        codes[name] = code
        amounts[name] = np.where(code == 0, 0.0, amount)
        one_offs[name] = np.where(code == 0, 0.0, one_off)

    premie, subsidie = codes["huurpremie"], codes["huursubsidie"]
    pick_premie = premie == 1
    pick_subsidie = ~pick_premie & (subsidie == 1)
    allowance = np.where(
        pick_premie, amounts["huurpremie"], np.where(pick_subsidie, amounts["huursubsidie"], 0.0)
    )
    one_off_total = np.where(
        pick_premie,
        one_offs["huurpremie"],
        np.where(pick_subsidie, one_offs["huursubsidie"], 0.0),
    )
    name_col = np.full(n, None, dtype=object)
    name_col[pick_premie] = "huurpremie"
    name_col[pick_subsidie] = "huursubsidie"
    overall = np.where(
        (premie == 1) | (subsidie == 1), 1, np.where((premie == -1) | (subsidie == -1), -1, 0)
    )
    eligible = np.full(n, None, dtype=object)
    eligible[overall == 1] = True
    eligible[overall == 0] = False
    out = pd.DataFrame(index=frame.index)
    out["huurpremie_eur"] = amounts["huurpremie"].astype(float)
    out["huursubsidie_eur"] = amounts["huursubsidie"].astype(float)
    out["allowance_eur"] = allowance.astype(float)
    out["allowance_name"] = pd.Series(name_col, index=frame.index, dtype=object)
    out["allowance_one_off_eur"] = one_off_total.astype(float)
    out["allowance_eligible"] = pd.Series(eligible, index=frame.index, dtype=object)
    return out[list(_FRAME_COLUMNS)]


def _code(outcome: bool | None) -> int:
    return -1 if outcome is None else int(outcome)


def deposit_hint(
    household: Household, listing: Listing, on: date, params: Parameters | None = None
) -> DepositHint | None:
    """Say how the deposit (at most 3 months' rent) can be financed, when help is likely.

    Returns ``None`` when the rent is unknown or no help fits. The OCMW bank
    guarantee is suggested for a household on leefloon or with an income under
    the social-rent income limit (design choice: the OCMW decides after a
    social inquiry); the Vlaams Woningfonds' huurwaarborglening when the
    income is under its limits and the household owns no property and the
    dwelling lies in Flanders (flanders.md §9.1).
    """
    if listing.rent_eur is None:
        return None
    params = params or load_parameters()
    months = int(params.number("deposit_max_months", on))
    amount = listing.deposit_eur if listing.deposit_eur else months * listing.rent_eur
    amount = round_half_up(amount)
    ctx = _context(household, on, params)
    income = ctx.income
    options: list[str] = []
    leefloon = household.income.net_monthly.get("leefloon", 0.0) > 0
    if leefloon or (income is not None and income <= ctx.income_limit):
        options.append(
            "Vraag het OCMW van uw gemeente om een bankwaarborg: het OCMW staat borg bij de "
            "bank, u betaalt de waarborg in kleine bedragen terug."
        )
    loan = params.get("huurwaarborglening_income_limit", on).value
    assert isinstance(loan, dict)
    ptl = household.persons_ten_laste(on, for_income_limit=True, params=params)
    if len(household.adults) == 1 and ptl == 0:
        loan_limit = loan["single_handicap" if household.applicant.disability else "single"]
    else:
        loan_limit = loan["other"] + loan["per_ptl"] * ptl
    flemish = _place(listing.municipality, listing.postcode).flemish
    if (
        income is not None
        and income <= loan_limit
        and not household.situation.owns_property
        and flemish is not False
    ):
        options.append(
            "Vraag een huurwaarborglening aan bij het Vlaams Woningfonds: een lening zonder "
            "intrest, die u in maandelijkse bedragen terugbetaalt. Vraag ze snel aan na het "
            "tekenen van het huurcontract."
        )
    if not options:
        return None
    return DepositHint(months=months, amount_eur=amount, options=options)
