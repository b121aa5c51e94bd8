"""Rank many listings for one household: :func:`shortlist`.

Two paths give identical results:

* one by one: :func:`~matcher._evaluation.evaluate` for every listing, then a
  Python sort (small inputs);
* vectorised: the same arithmetic as numpy/pandas column operations over a
  DataFrame (allowances through
  :func:`~matcher._allowances.compute_allowances_frame`), ranked with one
  ``lexsort``; full :class:`~matcher._evaluation.Evaluation` objects are built
  only for the rows returned, and only when ``Shortlist.evaluations`` is read.

A test compares both paths on generated listings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, PrivateAttr, computed_field

from listings import LISTING_FIELDS, Listing
from matcher._allowances import compute_allowances_frame
from matcher._cost import CostParameters, reference_budget
from matcher._evaluation import Evaluation, cost_parameters, evaluate
from matcher._household import Household
from matcher._parameters import Parameters, load_parameters
from matcher._suitability import FAIL, OK, suitability_codes

__all__ = ["FRAME_COLUMNS", "VECTORISE_FROM", "Shortlist", "shortlist"]

#: Inputs with at least this many listings take the vectorised path by default.
VECTORISE_FROM: Final = 64

#: Columns of :attr:`Shortlist.frame`, in order.
FRAME_COLUMNS: Final = (
    "rank",
    "source",
    "source_id",
    "url",
    "verdict",
    "verdict_label",
    "suitable",
    "rent_eur",
    "charges_eur",
    "energy_eur",
    "allowance_eur",
    "net_monthly_eur",
    "rent_share",
    "housing_share",
    "residual_eur",
)

_FLOAT_COLUMNS = (
    "rent_eur",
    "charges_eur",
    "energy_eur",
    "allowance_eur",
    "net_monthly_eur",
    "rent_share",
    "housing_share",
    "residual_eur",
)
_VERDICT_ORDER: Final = {"green": 0, "amber": 1, "red": 2}
_TYPE_KEYS: Final = ("apartment", "house", "studio", "room", "other")
# Listing fields the vectorised path (and compute_allowances_frame) reads.
_INPUT_COLUMNS: Final = (
    "source",
    "source_id",
    "url",
    "property_type",
    "rent_eur",
    "charges_eur",
    "bedrooms",
    "living_area_m2",
    "epc_kwh_m2",
    "epc_label",
    "postcode",
    "municipality",
    "locality",
    "floor",
    "elevator",
    "accessible",
    "garden",
    "parking",
    "pets_allowed",
    "available_now",
    "available_from",
)


class Shortlist(BaseModel):
    """Listings ranked for one household on one date.

    Ranking key, in order (every listing gets a distinct place):

    1. suitability: suitable or unknown before unsuitable;
    2. verdict: green, amber, red;
    3. housing share (woonquote), lowest first; unknown last;
    4. residual income, highest first; unknown last;
    5. rent, lowest first; unknown last;
    6. ``source``, then ``source_id`` (text order), so the result does not
       depend on the order of the input.

    ``frame`` is a DataFrame with one row per returned listing (columns
    :data:`FRAME_COLUMNS`, ``rank`` from 1, index = the listing's position in
    the input; unknown amounts are NaN, ``suitable`` is True/False/None);
    ``evaluations`` holds the full :class:`~matcher._evaluation.Evaluation` of
    the same rows, built on first use (so ask for a ``limit`` before dumping
    a shortlist of many listings to JSON). ``total`` and ``counts`` cover
    every listing considered, also those beyond ``limit``. The JSON form
    (``model_dump(mode="json")``: ``date``, ``total``, ``counts``, ``limit``,
    ``evaluations``) holds no household data.
    """

    model_config = ConfigDict(use_attribute_docstrings=True)

    date: date
    """Date the rules and parameters were applied for."""
    total: int
    """Number of listings considered."""
    counts: dict[str, int]
    """Listings per verdict (``green``, ``amber``, ``red``) among all considered."""
    limit: int | None
    """Most listings returned (``None`` = all)."""

    _frame: pd.DataFrame = PrivateAttr()
    _build: Callable[[int], Evaluation] = PrivateAttr()
    _evaluations: list[Evaluation] | None = PrivateAttr(default=None)

    @property
    def frame(self) -> pd.DataFrame:
        """The returned listings, ranked: one row each, columns :data:`FRAME_COLUMNS`."""
        return self._frame

    @computed_field  # type: ignore[prop-decorator]
    @property
    def evaluations(self) -> list[Evaluation]:
        """Full evaluations of the returned listings, in rank order (built on first use)."""
        if self._evaluations is None:
            self._evaluations = [self._build(int(pos)) for pos in self._frame.index]
        return self._evaluations

    def __len__(self) -> int:
        return len(self._frame)


# -- input -----------------------------------------------------------------------


def _listings_frame(listings: Sequence[Listing]) -> pd.DataFrame:
    """Column-wise DataFrame of the fields the vectorised path reads."""
    dicts = [listing.__dict__ for listing in listings]
    return pd.DataFrame(
        {name: pd.Series([d[name] for d in dicts], dtype=object) for name in _INPUT_COLUMNS}
    )


def _clean(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _listing_from_row(row: Mapping[Any, Any]) -> Listing:
    data = {k: _clean(v) for k, v in row.items() if k in LISTING_FIELDS}
    day = data.get("available_from")
    if isinstance(day, datetime):
        data["available_from"] = day.date()
    return Listing.model_validate({k: v for k, v in data.items() if v is not None})


# -- one by one -------------------------------------------------------------------


def _row(evaluation: Evaluation) -> dict[str, Any]:
    cost = evaluation.cost
    ratios = evaluation.ratios
    return {
        "source": evaluation.listing.source,
        "source_id": evaluation.listing.source_id,
        "url": evaluation.listing.url,
        "verdict": evaluation.verdict,
        "verdict_label": evaluation.verdict_label,
        "suitable": evaluation.suitability.suitable,
        "rent_eur": cost.rent_eur,
        "charges_eur": cost.charges_eur,
        "energy_eur": cost.energy_eur,
        "allowance_eur": cost.allowance_eur,
        "net_monthly_eur": cost.net_monthly_eur,
        "rent_share": ratios.rent_share,
        "housing_share": ratios.housing_share,
        "residual_eur": ratios.residual_eur,
    }


def _finish(columns: dict[str, Any], n: int) -> pd.DataFrame:
    """Build the result frame with fixed dtypes (floats NaN for unknown, objects otherwise)."""
    out: dict[str, Any] = {}
    for name in FRAME_COLUMNS[1:]:
        values = columns[name]
        if name in _FLOAT_COLUMNS:
            out[name] = np.asarray(
                [np.nan if v is None else v for v in values]
                if isinstance(values, list)
                else values,
                dtype=float,
            )
        else:
            out[name] = np.asarray(values, dtype=object) if n else np.empty(0, dtype=object)
    return pd.DataFrame(out)


def _rank_order(frame: pd.DataFrame) -> np.ndarray:
    """Return the positions of ``frame`` in rank order (see :class:`Shortlist`)."""

    def last_if_nan(values: np.ndarray, sign: float) -> tuple[np.ndarray, np.ndarray]:
        missing = np.isnan(values)
        return missing, np.where(missing, 0.0, values * sign)

    suit = (frame["suitable"].to_numpy(dtype=object) == False).astype(np.int8)  # noqa: E712
    verdict = frame["verdict"].map(_VERDICT_ORDER).to_numpy(dtype=np.int8)
    hs_missing, hs = last_if_nan(frame["housing_share"].to_numpy(dtype=float), 1.0)
    res_missing, res = last_if_nan(frame["residual_eur"].to_numpy(dtype=float), -1.0)
    rent_missing, rent = last_if_nan(frame["rent_eur"].to_numpy(dtype=float), 1.0)
    # Small flags folded into one integer key; np.lexsort sorts by the last key first.
    group = ((suit * 3 + verdict) * 2 + hs_missing) * 2 + res_missing
    numeric = (rent, rent_missing, res, hs, group)
    order = np.lexsort(numeric)
    if len(order) < 2:
        return order
    # Break ties on (source, source_id), sorting text only for the rows that tie.
    keys = np.column_stack([np.asarray(k, dtype=float)[order] for k in numeric])
    tie = np.all(keys[1:] == keys[:-1], axis=1)
    if not tie.any():
        return order
    run = np.concatenate(([0], np.cumsum(~tie)))
    in_tie = np.zeros(len(order), dtype=bool)
    in_tie[1:] |= tie
    in_tie[:-1] |= tie
    at = np.flatnonzero(in_tie)
    rows = order[at]
    source = pd.factorize(frame["source"].to_numpy(dtype=object)[rows], sort=True)[0]
    source_id = pd.factorize(frame["source_id"].to_numpy(dtype=object)[rows], sort=True)[0]
    order[at] = rows[np.lexsort((source_id, source, run[at]))]
    return order


def _scalar(
    household: Household, listings: Sequence[Listing], on: date, params: Parameters
) -> tuple[pd.DataFrame, list[Evaluation]]:
    evaluations = [evaluate(household, listing, on, params=params) for listing in listings]
    rows = [_row(e) for e in evaluations]
    columns = {name: [r[name] for r in rows] for name in FRAME_COLUMNS[1:]}
    return _finish(columns, len(rows)), evaluations


# -- vectorised -------------------------------------------------------------------


def _numbers(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)


def _texts(frame: pd.DataFrame, name: str) -> np.ndarray:
    """Return a text column as an object array of ``str`` ('' when unknown)."""
    if name not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    codes, uniques = pd.factorize(frame[name].astype(object), use_na_sentinel=True)
    texts = np.array([str(u) for u in uniques] + [""], dtype=object)
    return texts[codes]  # code -1 (missing) picks the trailing ""


def _epc_labels(frame: pd.DataFrame) -> np.ndarray:
    """Return the EPC label column normalised as :class:`~listings.Listing` does ('' = none)."""
    labels = _texts(frame, "epc_label")
    codes, uniques = pd.factorize(labels)
    normal = [str(u).strip().upper().replace(" ", "") for u in uniques]
    normal = ["A+" if u == "A++" else u for u in normal]
    return np.array(normal, dtype=object)[codes] if len(labels) else labels


def _lookup(keys: np.ndarray, table: Mapping[str, float]) -> np.ndarray:
    codes, uniques = pd.factorize(keys)
    values = np.array([table.get(str(u), np.nan) for u in uniques] + [np.nan], dtype=float)
    return values[codes]


def _vector(
    household: Household, frame: pd.DataFrame, on: date, params: Parameters, cp: CostParameters
) -> pd.DataFrame:
    n = len(frame)
    frame = frame.reset_index(drop=True)
    allowances = compute_allowances_frame(household, frame, on, params)
    eligible = allowances["allowance_eligible"].to_numpy(dtype=object) == True  # noqa: E712
    allowance = np.where(eligible, allowances["allowance_eur"].to_numpy(dtype=float), 0.0)

    kinds = _texts(frame, "property_type")
    type_keys = np.where(np.isin(kinds, _TYPE_KEYS), kinds, "other")

    # energy (flanders.md §10), operation for operation as matcher._cost.estimate_energy
    published = _epc_labels(frame)
    score = _numbers(frame, "epc_kwh_m2")
    bounds = sorted(cp.label_upper_bound.items(), key=lambda item: item[1])
    names = np.array([name for name, _ in bounds] + ["F"], dtype=object)
    from_score = names[np.searchsorted([b for _, b in bounds], np.nan_to_num(score), side="right")]
    label = np.where(
        published != "", published, np.where(np.isnan(score), cp.missing_label, from_score)
    )
    area = _numbers(frame, "living_area_m2")
    area = np.where(np.isnan(area), _lookup(type_keys, cp.area_missing_m2), area)
    heat = area * _lookup(label, cp.label_midpoint) * _lookup(label, cp.realism) * cp.gas_price
    electricity = cp.electricity_kwh(household.persons) * cp.electricity_price
    energy = np.rint((heat + electricity) / 12 * 100) / 100

    charges = _numbers(frame, "charges_eur")
    charges = np.where(np.isnan(charges), _lookup(type_keys, cp.charges_estimate), charges)
    rent = _numbers(frame, "rent_eur")
    income = household.net_monthly_income()
    net = np.rint((rent + charges + energy - allowance) * 100) / 100
    residual = np.rint((income - net) * 100) / 100
    if income > 0:
        rent_share = (rent - allowance) / income
        housing_share = net / income
    else:
        rent_share = np.full(n, np.nan)
        housing_share = np.full(n, np.nan)

    # verdict, as matcher._evaluation.decide_verdict
    reference = reference_budget(household, cp)
    with np.errstate(invalid="ignore"):
        rent_ok = rent_share <= cp.rent_share_max
        housing_ok = housing_share <= cp.housing_share_max
        residual_ok = residual >= reference
        amber_ok = rent_share <= cp.amber_rent_share_max
    green = rent_ok & housing_ok & residual_ok
    amber = ~green & (rent_ok | (amber_ok & residual_ok))
    verdict = np.where(green, "green", np.where(amber, "amber", "red")).astype(object)
    verdict_label = np.where(green, "betaalbaar", np.where(amber, "krap", "te duur")).astype(object)
    rent_missing = np.isnan(rent)
    verdict[rent_missing] = "amber"
    verdict_label[rent_missing] = "huurprijs onbekend"

    suit_codes = suitability_codes(household, frame, on, cp, kinds)
    unsuitable = suit_codes == FAIL
    verdict[unsuitable] = "red"
    verdict_label[unsuitable] = "ongeschikt"
    suitable = np.full(n, None, dtype=object)
    suitable[suit_codes == OK] = True
    suitable[suit_codes == FAIL] = False

    columns: dict[str, Any] = {
        "source": _texts(frame, "source"),
        "source_id": _texts(frame, "source_id"),
        "url": _texts(frame, "url"),
        "verdict": verdict,
        "verdict_label": verdict_label,
        "suitable": suitable,
        "rent_eur": rent,
        "charges_eur": charges,
        "energy_eur": energy,
        "allowance_eur": allowance,
        "net_monthly_eur": net,
        "rent_share": rent_share,
        "housing_share": housing_share,
        "residual_eur": np.where(rent_missing, np.nan, residual),
    }
    return _finish(columns, n)


# -- public -----------------------------------------------------------------------


def shortlist(
    household: Household,
    listings: Iterable[Listing] | pd.DataFrame,
    on: date | None = None,
    limit: int | None = None,
    *,
    params: Parameters | None = None,
    vectorised: bool | None = None,
) -> Shortlist:
    """Evaluate and rank ``listings`` for ``household`` on ``on`` (default: today).

    ``listings`` is an iterable of :class:`~listings.Listing` or a pandas
    DataFrame with :class:`~listings.Listing` columns (missing optional
    columns count as unknown). ``limit`` keeps the best ``limit`` listings.
    ``vectorised`` forces a path (``None``: vectorised from
    :data:`VECTORISE_FROM` listings, and always for a DataFrame); both paths
    give the same result. The ranking is documented on :class:`Shortlist`.
    """
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be zero or positive, got {limit}")
    on = date.today() if on is None else on
    params = load_parameters() if params is None else params
    cp = cost_parameters(params, on)

    items: list[Listing] | None = None
    frame_in: pd.DataFrame | None = None
    if isinstance(listings, pd.DataFrame):
        frame_in = listings.reset_index(drop=True)
        count = len(listings)
    else:
        items = list(listings)
        count = len(items)
    use_vector = (
        vectorised if vectorised is not None else (items is None or count >= VECTORISE_FROM)
    )

    evaluations: list[Evaluation] | None = None
    if use_vector:
        if frame_in is None:
            assert items is not None
            frame_in = _listings_frame(items)
        result = _vector(household, frame_in, on, params, cp)
    else:
        if items is None:
            assert frame_in is not None
            items = [_listing_from_row(row) for row in frame_in.to_dict("records")]
        result, evaluations = _scalar(household, items, on, params)

    order = _rank_order(result)
    counts = {v: int((result["verdict"] == v).sum()) for v in ("green", "amber", "red")}
    keep = order if limit is None else order[:limit]
    ranked = result.iloc[keep]
    ranked.insert(0, "rank", np.arange(1, len(ranked) + 1))

    def build(pos: int) -> Evaluation:
        if evaluations is not None:
            return evaluations[pos]
        if items is not None:
            return evaluate(household, items[pos], on, params=params)
        assert frame_in is not None
        row = frame_in.iloc[pos].to_dict()
        return evaluate(household, _listing_from_row(row), on, params=params)

    out = Shortlist(date=on, total=count, counts=counts, limit=limit)
    out._frame = ranked
    out._build = build
    return out
