"""Evaluate one listing for one household: cost, ratios, suitability and a verdict.

The verdict (flanders.md §7, a design choice, not law):

* **green** (*betaalbaar*): rent − allowance ≤ ``rent_share_max`` of the net
  income (the woonclub's one-third rule) **and** the woonquote (rent + charges
  + energy − allowance) ≤ ``housing_share_max`` **and** what is left is at
  least the reference budget for non-housing needs;
* **amber** (*krap*): the one-third rule holds but another test fails; or the
  rent share is above one third but within ``amber_rent_share_max`` (40 %)
  while what is left still covers the reference budget;
* **red** (*te duur*): otherwise. A rent share within 40 % with too little
  left to live on is red (flanders.md §14 example B).
* Any failed suitability check makes the verdict **red** with the label
  *ongeschikt*. When the rent is unknown and nothing fails, the verdict is
  **amber** with the label *huurprijs onbekend*: ask the landlord first.

The net income is :meth:`Household.net_monthly_income` (disposable, with the
Groeipakket, without the allowance). The allowance counted is the one that is
paid (:func:`~matcher._allowances.best_allowance`) when its eligibility is
certain; an allowance whose eligibility is unknown is mentioned, not counted.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from listings import Listing
from matcher._allowances import (
    AllowanceResult,
    DepositHint,
    best_allowance,
    compute_allowances,
    deposit_hint,
)
from matcher._cost import (
    Cost,
    CostParameters,
    EnergyEstimate,
    Ratios,
    estimate_energy,
    estimate_notes,
    reference_budget,
    round_cents,
)
from matcher._household import Household
from matcher._parameters import Parameters, load_parameters
from matcher._suitability import Suitability, check_suitability
from matcher._texts import format_eur, format_percent, text

__all__ = [
    "Evaluation",
    "ListingRef",
    "Verdict",
    "VerdictLabel",
    "decide_verdict",
    "evaluate",
]

Verdict = Literal["green", "amber", "red"]
VerdictLabel = Literal["betaalbaar", "krap", "te duur", "ongeschikt", "huurprijs onbekend"]

_LABELS: dict[Verdict, VerdictLabel] = {"green": "betaalbaar", "amber": "krap", "red": "te duur"}

#: Allowance conditions decided by comparing with a parameter figure.
_FIGURE_CONDITIONS = frozenset({"income", "rent"})

#: Parameters whose estimated status is reported for the affordability verdict.
_VERDICT_PARAMETERS = ("nonhousing_budget", "affordability")


class ListingRef(BaseModel):
    """Which advert an evaluation is about."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    source: str
    """Source slug of the advert (``zimmo``, ``immoweb`` ...)."""
    source_id: str
    """The advert's id on its source."""
    url: str
    """URL of the advert."""


class Evaluation(BaseModel):
    """One listing evaluated for one household on one date.

    Its JSON form (``model_dump(mode="json")``) is a public interface: keys
    ``listing``, ``date``, ``allowances``, ``cost``, ``ratios``,
    ``suitability``, ``verdict``, ``verdict_label``, ``reasons``,
    ``estimated`` and ``deposit``.
    """

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    listing: ListingRef
    """The advert: source, source_id, url."""
    date: date
    """Date the rules and parameters were applied for."""
    allowances: list[AllowanceResult]
    """Huurpremie and huursubsidie, each with conditions, amounts and parameters used."""
    cost: Cost
    """Monthly housing cost: rent, charges, energy, allowance, net."""
    ratios: Ratios
    """Rent share, housing share (woonquote) and residual income."""
    suitability: Suitability
    """Every suitability check and the overall outcome."""
    verdict: Verdict
    """``green`` (betaalbaar), ``amber`` (krap) or ``red`` (te duur or ongeschikt)."""
    verdict_label: VerdictLabel
    """Dutch label of the verdict as shown to the client."""
    reasons: list[str]
    """Short plain-Dutch reasons, with Belgian amounts."""
    estimated: list[str]
    """What the amounts or the verdict rest on that is an estimate (Dutch); empty = none."""
    deposit: DepositHint | None
    """Rental deposit hint (3 months' rent, OCMW guarantee, loan), when it applies."""


def decide_verdict(
    rent_share: float | None,
    housing_share: float | None,
    residual_eur: float | None,
    reference_eur: float,
    cp: CostParameters,
) -> Verdict:
    """Affordability verdict from the ratios (suitability not included); see the module doc.

    ``rent_share`` is ``None`` when the rent or the income is unknown or zero; then
    the verdict is red unless the caller handles an unknown rent first.
    """
    if rent_share is None:
        return "red"
    rent_ok = rent_share <= cp.rent_share_max
    housing_ok = housing_share is not None and housing_share <= cp.housing_share_max
    residual_ok = residual_eur is not None and residual_eur >= reference_eur
    if rent_ok and housing_ok and residual_ok:
        return "green"
    if rent_ok or (rent_share <= cp.amber_rent_share_max and residual_ok):
        return "amber"
    return "red"


@functools.lru_cache(maxsize=64)
def cost_parameters(params: Parameters, on: date) -> CostParameters:
    """Return the cost, verdict and suitability parameters of ``params`` on ``on`` (cached)."""
    return CostParameters.load(params, on)


def _paid_allowance(results: list[AllowanceResult]) -> AllowanceResult | None:
    best = best_allowance(results)
    return best if best is not None and best.eligible is True else None


def _param_label(name: str) -> str:
    key = f"param.{name}"
    try:
        return text(key)
    except KeyError:
        return name.replace("_", " ")


def _estimated_parameters(
    results: Iterable[AllowanceResult],
    cp: CostParameters,
    on: date,
    *,
    derived_rooms: bool,
    area_checked: bool,
) -> list[str]:
    names: list[str] = []
    for result in results:
        failed = {c.name for c in result.conditions if c.outcome is False}
        # A refusal rests on the parameters only when it comes from a figure
        # (income limit, maximum rent), not from the trigger, the type or the region.
        if failed and not failed <= _FIGURE_CONDITIONS:
            continue
        names.extend(use.name for use in result.parameters if use.estimated)
    names.extend(name for name in _VERDICT_PARAMETERS if cp.estimated.get(name, False))
    if area_checked and cp.estimated.get("occupancy_by_area", False):
        names.append("occupancy_by_area")
    if derived_rooms and cp.estimated.get("bedroom_allocation", False):
        names.append("bedroom_allocation")
    return [
        text("estimated.parameter", description=_param_label(name), year=on.year)
        for name in dict.fromkeys(names)
    ]


def _affordability_reasons(
    cost: Cost,
    ratios: Ratios,
    paid: AllowanceResult | None,
    reference_eur: float,
    cp: CostParameters,
) -> list[str]:
    if cost.rent_eur is None or cost.net_monthly_eur is None:
        return []
    if ratios.rent_share is None or ratios.housing_share is None or ratios.residual_eur is None:
        return [text("no_income")]
    allowance_part = ""
    if paid is not None and paid.monthly_eur > 0:
        allowance_part = text("allowance_part", name=paid.name, amount=format_eur(paid.monthly_eur))
    line = text(
        "rent_share",
        rent=format_eur(cost.rent_eur),
        allowance_part=allowance_part,
        share=format_percent(ratios.rent_share),
    )
    reasons = [text("rent_share.limit", line=line, limit=format_percent(cp.rent_share_max))]
    reasons.append(
        text(
            "housing_share",
            minus_allowance=(
                text("housing_share.minus_allowance", name=paid.name)
                if paid is not None and allowance_part
                else ""
            ),
            amount=format_eur(cost.net_monthly_eur),
            share=format_percent(ratios.housing_share),
            limit=format_percent(cp.housing_share_max),
        )
    )
    if ratios.residual_eur >= reference_eur:
        reasons.append(
            text(
                "residual.ok",
                residual=format_eur(ratios.residual_eur),
                reference=format_eur(reference_eur),
            )
        )
    else:
        reasons.append(
            text(
                "residual.short",
                residual=format_eur(ratios.residual_eur),
                short=format_eur(round_cents(reference_eur - ratios.residual_eur)),
                reference=format_eur(reference_eur),
            )
        )
    return reasons


def _allowance_reasons(results: list[AllowanceResult], paid: AllowanceResult | None) -> list[str]:
    if paid is not None:
        lines = [text("allowance.paid", name=paid.name, amount=format_eur(paid.monthly_eur))]
        if paid.one_off_eur > 0:
            lines.append(text("allowance.one_off", amount=format_eur(paid.one_off_eur)))
        return lines
    unknown = [r for r in results if r.eligible is None]
    if unknown:
        return [text("allowance.unknown", name=r.name) for r in unknown]
    return [text("allowance.none")]


def evaluate(
    household: Household,
    listing: Listing,
    on: date | None = None,
    *,
    params: Parameters | None = None,
) -> Evaluation:
    """Evaluate ``listing`` for ``household`` on ``on`` (default: today).

    Computes the allowances (:func:`~matcher._allowances.compute_allowances`),
    the real monthly cost, the affordability ratios, every suitability check
    and the verdict with its Dutch reasons; see the module docstring for the
    verdict rules.
    """
    on = date.today() if on is None else on
    params = load_parameters() if params is None else params
    cp = cost_parameters(params, on)

    allowances = compute_allowances(household, listing, on, params)
    paid = _paid_allowance(allowances)
    allowance_eur = paid.monthly_eur if paid is not None else 0.0

    persons = household.persons
    energy: EnergyEstimate = estimate_energy(listing, persons, cp)
    charges_estimated = listing.charges_eur is None
    charges = (
        cp.charges_estimate[cp.type_key(listing.property_type)]
        if listing.charges_eur is None
        else listing.charges_eur
    )
    income = household.net_monthly_income()
    reference = reference_budget(household, cp)

    rent = listing.rent_eur
    rent_share: float | None = None
    housing_share: float | None = None
    residual: float | None = None
    net: float | None = None
    if rent is not None:
        net = round_cents(rent + charges + energy.monthly_eur - allowance_eur)
        residual = round_cents(income - net)
        if income > 0:
            rent_share = (rent - allowance_eur) / income
            housing_share = net / income
    cost = Cost(
        rent_eur=rent,
        charges_eur=charges,
        energy_eur=energy.monthly_eur,
        allowance_eur=allowance_eur,
        net_monthly_eur=net,
    )
    ratios = Ratios(rent_share=rent_share, housing_share=housing_share, residual_eur=residual)

    suitability = check_suitability(household, listing, on, cp)
    verdict: Verdict
    label: VerdictLabel
    if suitability.suitable is False:
        verdict, label, headline = "red", "ongeschikt", "headline.unsuitable"
    elif rent is None:
        verdict, label, headline = "amber", "huurprijs onbekend", "headline.unknown"
    else:
        verdict = decide_verdict(rent_share, housing_share, residual, reference, cp)
        label = _LABELS[verdict]
        headline = f"headline.{verdict}"

    reasons = [text(headline)]
    reasons.extend(_affordability_reasons(cost, ratios, paid, reference, cp))
    reasons.extend(_allowance_reasons(allowances, paid))
    reasons.extend(text("check.fails", reason=c.reason) for c in suitability.failed)
    reasons.extend(text("check.unknown", reason=c.reason) for c in suitability.unknown)

    derived_rooms = household.preferences.min_bedrooms is None and (
        sum(1 for m in household.members if m.role == "child") >= 2
    )
    estimated = estimate_notes(listing, energy, charges_estimated, cp)
    estimated.extend(
        _estimated_parameters(
            allowances,
            cp,
            on,
            derived_rooms=derived_rooms,
            area_checked=listing.living_area_m2 is not None,
        )
    )

    return Evaluation(
        listing=ListingRef(source=listing.source, source_id=listing.source_id, url=listing.url),
        date=on,
        allowances=allowances,
        cost=cost,
        ratios=ratios,
        suitability=suitability,
        verdict=verdict,
        verdict_label=label,
        reasons=reasons,
        estimated=list(dict.fromkeys(estimated)),
        deposit=deposit_hint(household, listing, on, params),
    )
