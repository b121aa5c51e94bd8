"""Access to dwellings for the immolijst: one row per real home, every advert linked.

The dwellings come from :mod:`listings._dwellings` (cross-source dedup). This
module is the one place the application reaches for them, so the pages, the
PDF/XLSX exports and the benchmark share one code path.
"""

from __future__ import annotations

import pandas as pd

from listings import Store
from listings._dwellings import Dwelling, dwellings_frame, get_dwelling

__all__ = ["dwelling_detail", "load_dwellings"]


def load_dwellings(store: Store, *, region: str | None = "w13") -> pd.DataFrame:
    """Return the active dwellings of ``region`` as a DataFrame (one row per dwelling).

    Columns: every :class:`~listings.Listing` field of the merged view, plus
    ``dwelling_id``, ``n_adverts`` and ``adverts`` (a list of
    ``{source, source_id, url, active}``).
    """
    return dwellings_frame(store, region=region)


def dwelling_detail(store: Store, dwelling_id: int) -> Dwelling | None:
    """Return the dwelling ``dwelling_id`` (merge redirects followed), or ``None``."""
    return get_dwelling(store, dwelling_id)
