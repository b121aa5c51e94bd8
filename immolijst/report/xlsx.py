"""The worker's XLSX export of an immolijst: every field, one row per dwelling.

Column headers are Dutch (``xlsx.col.<field>`` in the web message catalogue);
a column without a catalogue entry keeps its field name. Amounts stay
numbers (formatted ``#,##0.00`` so Excel shows them the local way), shares
are percentages, yes/no values are ``ja``/``nee``.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]

from immolijst.report._items import Item
from immolijst.web.messages import MESSAGES, msg
from listings import LISTING_FIELDS

__all__ = ["ITEM_COLUMNS", "export_frame", "header", "render_xlsx"]

#: Columns written for :class:`~immolijst.report.Item` input, before the listing fields.
ITEM_COLUMNS: tuple[str, ...] = (
    "rank",
    "dwelling_id",
    "address",
    "verdict",
    "verdict_label",
    "suitable",
    "rent_eur",
    "charges_eur",
    "energy_eur",
    "allowance_name",
    "allowance_eur",
    "net_monthly_eur",
    "rent_share",
    "housing_share",
    "residual_eur",
    "reasons",
    "estimated",
    "n_adverts",
    "adverts",
)
_AMOUNT = {
    "rent_eur",
    "charges_eur",
    "energy_eur",
    "allowance_eur",
    "net_monthly_eur",
    "residual_eur",
    "deposit_eur",
}
_SHARE = {"rent_share", "housing_share"}


def header(column: str) -> str:
    """Return the Dutch header of ``column`` (the column name when the catalogue has none)."""
    key = f"xlsx.col.{column}"
    return msg(key) if key in MESSAGES["nl"] else column


def _cell_value(value: Any) -> Any:
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool):
        return msg("xlsx.yes") if value else msg("xlsx.no")
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date | int | float | str):
        return value
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | tuple):
        if all(isinstance(v, dict) and "url" in v for v in value):
            return "\n".join(str(v["url"]) for v in value)
        return "\n".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _item_row(item: Item) -> dict[str, Any]:
    ev = item.evaluation
    paid = item.paid_allowance
    row: dict[str, Any] = {
        "rank": item.rank,
        "dwelling_id": item.dwelling_id,
        "address": ", ".join(p for p in (item.address, item.place) if p),
        "verdict": ev.verdict,
        "verdict_label": ev.verdict_label,
        "suitable": ev.suitability.suitable,
        "rent_eur": ev.cost.rent_eur,
        "charges_eur": ev.cost.charges_eur,
        "energy_eur": ev.cost.energy_eur,
        "allowance_name": paid.name if paid is not None else None,
        "allowance_eur": ev.cost.allowance_eur,
        "net_monthly_eur": ev.cost.net_monthly_eur,
        "rent_share": ev.ratios.rent_share,
        "housing_share": ev.ratios.housing_share,
        "residual_eur": ev.ratios.residual_eur,
        "reasons": list(ev.reasons),
        "estimated": list(ev.estimated),
        "n_adverts": len(item.adverts),
        "adverts": [a.url for a in item.adverts],
    }
    data = item.listing.model_dump(mode="python")
    for name in LISTING_FIELDS:
        if name not in row:
            row[name] = data.get(name)
    return row


def export_frame(dwellings: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    """Join a ranked shortlist frame (with ``position``) to its dwelling rows, for export.

    The result has the shortlist's columns first, then every dwelling column
    the shortlist does not have, one row per ranked dwelling, in rank order.
    """
    rows = dwellings.iloc[ranked["position"].to_numpy()].reset_index(drop=True)
    left = ranked.drop(columns=["position"]).reset_index(drop=True)
    extra = [c for c in rows.columns if c not in left.columns]
    return pd.concat([left, rows[extra]], axis=1)


def render_xlsx(evaluations_or_frame: Sequence[Item] | pd.DataFrame) -> bytes:
    """Return an XLSX workbook (bytes) with one row per dwelling and every field.

    Accepts :class:`~immolijst.report.Item` objects (each dwelling with its
    evaluation) or a DataFrame (e.g. :func:`export_frame`), whose columns are
    all written.
    """
    if isinstance(evaluations_or_frame, pd.DataFrame):
        frame = evaluations_or_frame
        columns = [str(c) for c in frame.columns]
        records: list[dict[str, Any]] = frame.to_dict("records")  # type: ignore[assignment]
    else:
        records = [_item_row(item) for item in evaluations_or_frame]
        columns = [*ITEM_COLUMNS, *(f for f in LISTING_FIELDS if f not in ITEM_COLUMNS)]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(msg("xlsx.sheet"))
    bold = Font(bold=True)
    head = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=header(column))
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    sheet.freeze_panes = "A2"
    for record in records:
        cells = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=_cell_value(record.get(column)))
            if column in _AMOUNT:
                cell.number_format = "#,##0.00"
            elif column in _SHARE:
                cell.number_format = "0.0%"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
