"""matcher: what a household can afford after the Flemish rent allowances.

A pure library: a :class:`Household`, the dated rule parameters, the
allowances it is eligible for (huurpremie, huursubsidie), the real monthly
housing cost, suitability, and a ranked, explained :func:`shortlist`. It works
on plain :class:`listings.Listing` objects or a pandas DataFrame of them and
never imports Scrapy, the store or the web app.

>>> from datetime import date
>>> import matcher
>>> from listings import Listing
>>> household = matcher.load_household({
...     "members": [{"role": "applicant", "birth_date": "1985-01-01"}],
...     "income": {"net_monthly": {"leefloon": 1288.46}, "taxable_annual": 15461.52},
...     "situation": {"waiting_list_since": None, "leaving": "unfit"},
... })
>>> flat = Listing(source="zimmo", source_id="M1", url="https://www.zimmo.be/nl/m1/",
...                property_type="apartment", rent_eur=620, charges_eur=30, postcode="8930",
...                living_area_m2=45, epc_label="D", bedrooms=1)
>>> result = matcher.evaluate(household, flat, on=date(2024, 6, 1))
>>> [(a.name, a.eligible, a.monthly_eur) for a in result.allowances]
[('huurpremie', False, 0.0), ('huursubsidie', True, 177.76)]
>>> result.verdict
'red'
"""

from matcher._allowances import (
    AllowanceResult,
    Condition,
    DepositHint,
    ParameterUse,
    best_allowance,
    compute_allowances,
    compute_allowances_frame,
    deposit_hint,
)
from matcher._cost import Cost, Ratios
from matcher._evaluation import Evaluation, evaluate
from matcher._household import Household, Income, Member, Preferences, Situation, load_household
from matcher._parameters import Parameters, ParameterValue, load_parameters, parameter_report
from matcher._shortlist import Shortlist, shortlist
from matcher._suitability import Check, Suitability
from matcher._texts import format_eur, format_percent
from matcher.errors import HouseholdError, MatcherError, ParameterError, Problem

__all__ = [
    "AllowanceResult",
    "Check",
    "Condition",
    "Cost",
    "DepositHint",
    "Evaluation",
    "Household",
    "HouseholdError",
    "Income",
    "MatcherError",
    "Member",
    "ParameterError",
    "ParameterUse",
    "ParameterValue",
    "Parameters",
    "Preferences",
    "Problem",
    "Ratios",
    "Shortlist",
    "Situation",
    "Suitability",
    "best_allowance",
    "compute_allowances",
    "compute_allowances_frame",
    "deposit_hint",
    "evaluate",
    "format_eur",
    "format_percent",
    "load_household",
    "load_parameters",
    "parameter_report",
    "shortlist",
]
