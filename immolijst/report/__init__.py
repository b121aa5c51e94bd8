"""The immolijst of a household: ranking over dwellings, the printable PDF and the XLSX export.

:func:`immolijst` ranks the dwellings for one household with filters and a
sort order and returns a page of :class:`Item` objects (a dwelling with its
:class:`matcher.Evaluation`); :func:`render_pdf` prints the client's immolijst
(offline, WeasyPrint); :func:`render_xlsx` writes every field for the worker.
"""

from immolijst.report._items import (
    SORTS,
    VERDICTS,
    Advert,
    Filters,
    ImmoList,
    Item,
    build_items,
    immolijst,
    listing_from_row,
    rank_dwellings,
    select_items,
    thumbnail_file,
)
from immolijst.report._next_steps import next_steps
from immolijst.report.pdf import OfflineFetcher, render_pdf
from immolijst.report.xlsx import export_frame, render_xlsx

__all__ = [
    "SORTS",
    "VERDICTS",
    "Advert",
    "Filters",
    "ImmoList",
    "Item",
    "OfflineFetcher",
    "build_items",
    "export_frame",
    "immolijst",
    "listing_from_row",
    "next_steps",
    "rank_dwellings",
    "render_pdf",
    "render_xlsx",
    "select_items",
    "thumbnail_file",
]
