"""The real monthly cost of a listing for a household (flanders.md §7 and §10).

Monthly cost = rent + charges + energy − allowance. Charges that the advert
does not give are estimated by property type (parameter ``charges_estimate``);
energy is estimated from the EPC label (or score), the living area and the
household size. Every estimate is flagged so the immolijst can say
"bedrag onder voorbehoud".

Amounts are rounded to cents *half to even* (``round_cents``), the way the
worked examples of flanders.md §14 are computed (energy 184.625 → 184.62);
the same arithmetic, operation for operation, is used by the vectorised path
in :mod:`matcher._shortlist`, so both give identical floats.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, ConfigDict

from listings import Listing
from matcher._household import Household
from matcher._parameters import Parameters, ParameterValue
from matcher._texts import format_eur, text

__all__ = [
    "Cost",
    "CostParameters",
    "EnergyEstimate",
    "Ratios",
    "epc_label_from_score",
    "estimate_energy",
    "estimate_notes",
    "reference_budget",
    "resolve_label",
    "round_cents",
]

_TYPE_KEYS = ("apartment", "house", "studio", "room", "other")

#: Parameters of the energy model; when any is estimated, the energy amount is flagged once.
ENERGY_PARAMETERS: tuple[str, ...] = (
    "energy_price_gas",
    "energy_price_electricity",
    "epc_label_midpoint",
    "epc_realism",
    "epc_label_upper_bound",
    "epc_missing_label",
    "electricity_base_kwh",
    "electricity_per_extra_person_kwh",
)


def round_cents(amount: float) -> float:
    """Round an amount to cents, half to even (identical to ``numpy.rint(x * 100) / 100``).

    >>> round_cents(184.625)
    184.62
    >>> round_cents(198.96875)
    198.97
    """
    return round(amount * 100) / 100


class Cost(BaseModel):
    """Monthly housing cost of one listing for one household, EUR per month.

    ``None`` means the amount cannot be computed because the rent is unknown.
    """

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    rent_eur: float | None
    """Rent without charges, as advertised (EUR/month); ``None`` when not given."""
    charges_eur: float | None
    """Fixed charges (EUR/month): advertised, or estimated by property type (see ``estimated``)."""
    energy_eur: float | None
    """Estimated gas + electricity cost (EUR/month), flanders.md §10."""
    allowance_eur: float | None
    """Monthly huurpremie or huursubsidie that would be paid (0 when none)."""
    net_monthly_eur: float | None
    """rent + charges + energy − allowance (EUR/month); ``None`` when the rent is unknown."""


class Ratios(BaseModel):
    """Affordability ratios against the household's disposable net income (flanders.md §7)."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    rent_share: float | None
    """(rent − allowance) / net monthly income (the woonclub's one-third rule), a fraction."""
    housing_share: float | None
    """net monthly housing cost / net monthly income (the woonquote), a fraction."""
    residual_eur: float | None
    """Net monthly income − net monthly housing cost: what is left to live on (EUR/month)."""


@dataclass(frozen=True)
class EnergyEstimate:
    """Result of the energy model for one listing and household size."""

    monthly_eur: float
    """Estimated energy cost, EUR per month, rounded to cents."""
    label: str
    """EPC label used (``A+`` … ``F``)."""
    label_source: str
    """Where the label comes from: ``published``, ``score`` or ``missing``."""
    area_m2: float
    """Living area used, m² (assumed by type when the advert does not give it)."""
    area_estimated: bool
    """True when the area is the assumed ``area_missing_m2`` value."""


@dataclass(frozen=True)
class CostParameters:
    """Every parameter the cost model needs, read once for one date.

    Both the one-by-one path and the vectorised path read their figures from
    here, so they cannot drift apart.
    """

    on: date
    """Date the values apply to."""
    gas_price: float
    """Gas price, EUR/kWh."""
    electricity_price: float
    """Electricity price, EUR/kWh."""
    label_midpoint: Mapping[str, float]
    """Typical primary-energy use per EPC label, kWh/m²·yr."""
    realism: Mapping[str, float]
    """Prebound correction factor per EPC label."""
    label_upper_bound: Mapping[str, float]
    """Upper bound of the EPC score per label (F above the highest)."""
    missing_label: str
    """Label assumed when a listing has no EPC."""
    electricity_base_kwh: float
    """Electricity use of a one-person household, kWh/yr."""
    electricity_per_extra_person_kwh: float
    """Extra electricity use per additional person, kWh/yr."""
    area_missing_m2: Mapping[str, float]
    """Assumed living area per property type when unknown, m²."""
    charges_estimate: Mapping[str, float]
    """Assumed monthly charges per property type when unknown, EUR/month."""
    nonhousing_budget: Mapping[str, float]
    """Reference budget for non-housing needs, EUR/month, by household element."""
    rent_share_max: float
    """Highest (rent − allowance) / income for the rent rule."""
    housing_share_max: float
    """Highest woonquote for a green verdict."""
    amber_rent_share_max: float
    """Highest rent share for an amber verdict when the rent rule fails."""
    occupancy_by_area: Mapping[str, float]
    """Minimum area per number of persons (``"1"`` … ``"8"``, ``extra_person``), m²."""
    room_min_area_m2: float
    """Minimum area of a room (kamer) for one person, m²."""
    separate_sex_min_age: int
    """Opposite-sex children sleep apart when one is older than this, years."""
    max_children_per_bedroom: int
    """Most children sharing one bedroom."""
    estimated: Mapping[str, bool] = field(default_factory=dict)
    """Parameter name → True when its value on ``on`` is an estimate."""
    descriptions: Mapping[str, str] = field(default_factory=dict)
    """Parameter name → description from its YAML file."""

    @classmethod
    def load(cls, params: Parameters, on: date) -> CostParameters:
        """Read every cost, verdict and suitability parameter from ``params`` on ``on``."""
        used: dict[str, ParameterValue] = {}

        def get(name: str) -> ParameterValue:
            used[name] = params.get(name, on)
            return used[name]

        def table(name: str) -> dict[str, float]:
            value = get(name).value
            if not isinstance(value, dict):  # pragma: no cover - guarded by A's loader
                raise TypeError(f"parameter {name} is not a table")
            return {str(k): float(v) for k, v in value.items()}

        def number(name: str) -> float:
            value = get(name).value
            if not isinstance(value, int | float):  # pragma: no cover - guarded by A's loader
                raise TypeError(f"parameter {name} is not a number")
            return float(value)

        affordability = table("affordability")
        allocation = table("bedroom_allocation")
        missing = get("epc_missing_label").value
        return cls(
            on=on,
            gas_price=number("energy_price_gas"),
            electricity_price=number("energy_price_electricity"),
            label_midpoint=table("epc_label_midpoint"),
            realism=table("epc_realism"),
            label_upper_bound=table("epc_label_upper_bound"),
            missing_label=str(missing),
            electricity_base_kwh=number("electricity_base_kwh"),
            electricity_per_extra_person_kwh=number("electricity_per_extra_person_kwh"),
            area_missing_m2=table("area_missing_m2"),
            charges_estimate=table("charges_estimate"),
            nonhousing_budget=table("nonhousing_budget"),
            rent_share_max=affordability["rent_share_max"],
            housing_share_max=affordability["housing_share_max"],
            amber_rent_share_max=affordability["amber_rent_share_max"],
            occupancy_by_area=table("occupancy_by_area"),
            room_min_area_m2=number("room_min_area_m2"),
            separate_sex_min_age=int(allocation["separate_sex_min_age"]),
            max_children_per_bedroom=int(allocation["max_children_per_bedroom"]),
            estimated={name: value.estimated for name, value in used.items()},
            descriptions={name: value.description for name, value in used.items()},
        )

    def type_key(self, property_type: str | None) -> str:
        """Key of the per-type tables for a listing's property type (``other`` when unknown)."""
        return str(property_type) if property_type in _TYPE_KEYS else "other"

    def energy_model_estimated(self) -> bool:
        """Return True when any parameter of the energy model is an estimate on this date."""
        return any(self.estimated.get(name, False) for name in ENERGY_PARAMETERS)

    def electricity_kwh(self, persons: int) -> float:
        """Yearly electricity use for a household of ``persons``, kWh."""
        extra = max(persons - 1, 0)
        return self.electricity_base_kwh + self.electricity_per_extra_person_kwh * extra

    def max_persons_for_area(self, area_m2: float, *, room: bool = False) -> int:
        """Most persons allowed on ``area_m2`` by the occupancy table (flanders.md §8.1)."""
        persons = 0
        while self.min_area_for_persons(persons + 1, room=room) <= area_m2:
            persons += 1
        return persons

    def min_area_for_persons(self, persons: int, *, room: bool = False) -> float:
        """Smallest area the occupancy table allows for ``persons``, m²."""
        if persons <= 0:
            return 0.0
        if room and persons == 1:
            return self.room_min_area_m2
        listed = [int(k) for k in self.occupancy_by_area if k.isdigit()]
        top = max(listed)
        if persons <= top:
            return self.occupancy_by_area[str(persons)]
        return self.occupancy_by_area[str(top)] + self.occupancy_by_area["extra_person"] * (
            persons - top
        )


def epc_label_from_score(score: float, upper_bounds: Mapping[str, float]) -> str:
    """Derive the EPC label from a score: the first label whose upper bound is above it.

    Bands are half-open: ``A`` is ``0 ≤ score < 100``; ``F`` is above the last bound.

    >>> bounds = {"A+": 0, "A": 100, "B": 200, "C": 300, "D": 400, "E": 500}
    >>> epc_label_from_score(250, bounds), epc_label_from_score(100, bounds)
    ('C', 'B')
    >>> epc_label_from_score(-10, bounds), epc_label_from_score(720, bounds)
    ('A+', 'F')
    """
    for label, bound in sorted(upper_bounds.items(), key=lambda item: item[1]):
        if score < bound:
            return label
    return "F"


def resolve_label(label: str | None, score: float | None, cp: CostParameters) -> tuple[str, str]:
    """Return ``(label, source)``: the published label wins, else the score, else the default."""
    if label is not None:
        return label, "published"
    if score is not None and not math.isnan(score):
        return epc_label_from_score(score, cp.label_upper_bound), "score"
    return cp.missing_label, "missing"


def estimate_energy(listing: Listing, persons: int, cp: CostParameters) -> EnergyEstimate:
    """Estimate the monthly energy cost of ``listing`` for ``persons`` (flanders.md §10).

    heat = area × label midpoint × realism × gas price; electricity = (base + per
    extra person) × electricity price; the sum per year divided by 12.
    """
    label, source = resolve_label(listing.epc_label, listing.epc_kwh_m2, cp)
    type_key = cp.type_key(listing.property_type)
    area = listing.living_area_m2
    area_estimated = area is None
    area_m2 = cp.area_missing_m2[type_key] if area is None else area
    heat_eur = area_m2 * cp.label_midpoint[label] * cp.realism[label] * cp.gas_price
    electricity_eur = cp.electricity_kwh(persons) * cp.electricity_price
    monthly = round_cents((heat_eur + electricity_eur) / 12)
    return EnergyEstimate(monthly, label, source, area_m2, area_estimated)


def reference_budget(household: Household, cp: CostParameters) -> float:
    """Return the reference budget for non-housing needs, EUR/month (flanders.md §7).

    Single or couple, + the first child, + each further child, + each extra adult;
    the figures are estimates (parameter ``nonhousing_budget``).
    """
    budget = cp.nonhousing_budget
    roles = [member.role for member in household.members]
    total = budget["couple"] if "partner" in roles else budget["single"]
    children = roles.count("child")
    if children:
        total += budget["first_child"] + budget["further_child"] * (children - 1)
    total += budget["extra_adult"] * roles.count("adult")
    return total


def estimate_notes(
    listing: Listing, energy: EnergyEstimate, charges_estimated: bool, cp: CostParameters
) -> list[str]:
    """Dutch notes on what in the cost rests on estimates (inputs, not parameters)."""
    notes: list[str] = []
    if energy.label_source == "missing":
        notes.append(text("estimated.epc_missing", label=energy.label))
    elif energy.label_source == "score":
        notes.append(text("estimated.epc_from_score", label=energy.label))
    if energy.area_estimated:
        notes.append(text("estimated.area_missing", area=f"{energy.area_m2:g}"))
    if cp.energy_model_estimated():
        notes.append(text("estimated.energy_model"))
    if charges_estimated:
        amount = cp.charges_estimate[cp.type_key(listing.property_type)]
        notes.append(text("estimated.charges", amount=format_eur(amount)))
    return notes
