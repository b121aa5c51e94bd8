"""What the client must do next: plain-Dutch steps for the allowances and the deposit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from immolijst.web.messages import msg
from matcher import Evaluation, Parameters

__all__ = ["next_steps"]


def next_steps(evaluations: Iterable[Evaluation], *, on: date, params: Parameters) -> list[str]:
    """Return the next steps for the dwellings evaluated in ``evaluations`` (Dutch, in order).

    A step for the huurpremie or the huursubsidie is given when the household
    is (probably or possibly) eligible for it for at least one dwelling; the
    deposit step always follows. Figures come from the rule parameters.
    """
    names: set[str] = set()
    for evaluation in evaluations:
        for allowance in evaluation.allowances:
            if allowance.eligible is not False:
                names.add(allowance.name)
    steps = [msg("next.visit")]
    if "huurpremie" in names:
        years = int(params.number("huurpremie_min_waiting_years", on))
        steps.append(msg("next.huurpremie", years=years))
    if "huursubsidie" in names:
        months = int(params.number("huursubsidie_apply_within_months", on))
        steps.append(msg("next.huursubsidie", months=months))
    if not names:
        steps.append(msg("next.none"))
    steps.append(msg("next.deposit", months=int(params.number("deposit_max_months", on))))
    steps.append(msg("next.domicile"))
    return steps
