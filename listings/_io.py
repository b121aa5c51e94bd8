"""Reading and writing listings as files: JSON Lines import, CSV / XLSX / JSON Lines export."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import pandas as pd
from pydantic import ValidationError

from listings._model import LISTING_FIELDS, Listing, validation_problems
from listings._normalise import normalise_listing
from listings.errors import ImportRowError

__all__ = ["EXPORT_FORMATS", "ImportReport", "export_frame", "iter_jsonl", "read_jsonl"]

#: File formats :func:`export_frame` writes.
EXPORT_FORMATS = ("csv", "xlsx", "jsonl")


@dataclass
class ImportReport:
    """What :func:`read_jsonl` found: the valid listings and one error per bad line."""

    listings: list[Listing] = field(default_factory=list)
    errors: list[ImportRowError] = field(default_factory=list)
    lines: int = 0

    @property
    def ok(self) -> bool:
        """True when every non-blank line gave a valid listing."""
        return not self.errors


def iter_jsonl(stream: IO[str]) -> Iterator[Listing | ImportRowError]:
    """Yield a :class:`Listing` or an :class:`ImportRowError` for every non-blank line.

    >>> import io
    >>> good = '{"source": "zimmo", "source_id": "1", "url": "https://z.be/1"}'
    >>> bad = '{"source": "zimmo", "source_id": "2", "url": "https://z.be/2", "bedrooms": 40}'
    >>> rows = io.StringIO(chr(10).join([good, "", bad]))
    >>> [type(r).__name__ for r in iter_jsonl(rows)]
    ['Listing', 'ImportRowError']
    """
    for number, line in enumerate(stream, start=1):
        text = line.strip()
        if not text:
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield ImportRowError(number, [("line", text[:80], f"not valid JSON: {exc.msg}")])
            continue
        if not isinstance(data, dict):
            yield ImportRowError(number, [("line", text[:80], "not a JSON object")])
            continue
        try:
            yield Listing.model_validate(data)
        except ValidationError as exc:
            yield ImportRowError(number, validation_problems(exc))


def read_jsonl(path: str | Path, *, normalise: bool = False) -> ImportReport:
    """Read a JSON Lines file of listings (the ``Listing`` field names, one object a line).

    Good rows are returned in ``listings``, passed through
    :func:`~listings.normalise_listing` when ``normalise`` is true (municipality
    and deelgemeente from the postcode, rent from the price text...); each bad
    row becomes an :class:`~listings.errors.ImportRowError` with its line number,
    field, value and reason. Nothing is dropped silently.
    """
    report = ImportReport()
    with Path(path).open(encoding="utf-8") as fh:
        for row in iter_jsonl(fh):
            report.lines += 1
            if isinstance(row, Listing):
                report.listings.append(normalise_listing(row) if normalise else row)
            else:
                report.errors.append(row)
    return report


def _missing(value: Any) -> bool:
    """Tell whether a cell is unknown (None, NaN, NaT, pandas.NA); a list is a value."""
    if value is None:
        return True
    if isinstance(value, list | tuple):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return value.tolist()
    return value


def _records(frame: pd.DataFrame) -> Iterable[dict[str, Any]]:
    columns = [c for c in frame.columns if c in LISTING_FIELDS]
    for row in frame[columns].itertuples(index=False, name=None):
        yield {
            name: _jsonable(value)
            for name, value in zip(columns, row, strict=True)
            if not _missing(value)
        }


def export_frame(frame: pd.DataFrame, path: str | Path, fmt: str) -> int:
    """Write ``frame`` (as returned by :func:`listings.frame`) to ``path`` as ``fmt``.

    ``csv`` and ``xlsx`` keep every column (``image_urls`` joined by spaces);
    ``jsonl`` writes the ``Listing`` fields only, so the file can be imported
    again. Returns the number of rows written.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"format={fmt!r} is not one of {', '.join(EXPORT_FORMATS)}")
    target = Path(path)
    if fmt == "jsonl":
        with target.open("w", encoding="utf-8") as fh:
            for record in _records(frame):
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        return len(frame)
    flat = frame.copy()
    if "image_urls" in flat.columns:
        flat["image_urls"] = flat["image_urls"].map(
            lambda urls: " ".join(urls) if isinstance(urls, list | tuple) else urls
        )
    for column in flat.columns:
        if isinstance(flat[column].dtype, pd.DatetimeTZDtype):
            # Excel has no time zones: write UTC wall time.
            flat[column] = flat[column].dt.tz_convert("UTC").dt.tz_localize(None)
    if fmt == "csv":
        flat.to_csv(target, index=False)
    else:
        flat.to_excel(target, index=False, sheet_name="listings", engine="openpyxl")
    return len(flat)
