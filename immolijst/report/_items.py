"""The immolijst of one household: ranked dwellings with their evaluation.

Shared by the web pages, the PDF and the XLSX export. The ranking itself is
:func:`matcher.shortlist` (vectorised over every dwelling); full
:class:`matcher.Evaluation` objects are built only for the rows shown.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from listings import LISTING_FIELDS, Listing, _places
from matcher import AllowanceResult, Evaluation, Household, Parameters, evaluate, shortlist

__all__ = [
    "SORTS",
    "THUMBNAIL_SUFFIXES",
    "VERDICTS",
    "Advert",
    "Filters",
    "ImmoList",
    "Item",
    "build_items",
    "immolijst",
    "listing_from_row",
    "rank_dwellings",
    "select_items",
    "thumbnail_file",
]

#: Sort orders of the immolijst page (query value → what it sorts on).
SORTS: Final = ("rang", "netto", "huur", "oppervlakte")
#: Verdict filter values.
VERDICTS: Final = ("green", "amber", "red")
#: File suffixes a stored thumbnail may have.
THUMBNAIL_SUFFIXES: Final = (".jpg", ".jpeg", ".png", ".webp")
#: Property types a filter accepts.
_TYPES: Final = ("apartment", "house", "studio", "room", "other")
_MAX_BEDROOMS_FILTER: Final = 10


@dataclass(frozen=True)
class Filters:
    """Filters and sort order of the immolijst page (they never hold household data)."""

    municipality: str | None = None
    """Official W13 municipality name, or None for all."""
    property_type: str | None = None
    """A :class:`listings.PropertyType` value, or None for all."""
    min_bedrooms: int | None = None
    """At least this many bedrooms (dwellings with an unknown count are left out)."""
    verdict: str | None = None
    """``green``, ``amber`` or ``red``, or None for all."""
    sort: str = "rang"
    """One of :data:`SORTS`."""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        """Read the filters from GET parameters; unknown or invalid values are ignored."""
        municipality = (query.get("gemeente") or "").strip()
        if municipality not in _places.W13_MUNICIPALITIES:
            municipality = ""
        kind = (query.get("type") or "").strip()
        bedrooms_raw = (query.get("slaapkamers") or "").strip()
        bedrooms = int(bedrooms_raw) if bedrooms_raw.isdigit() else None
        if bedrooms is not None and not 0 < bedrooms <= _MAX_BEDROOMS_FILTER:
            bedrooms = None
        verdict = (query.get("oordeel") or "").strip()
        sort = (query.get("sorteer") or "").strip()
        return cls(
            municipality=municipality or None,
            property_type=kind if kind in _TYPES else None,
            min_bedrooms=bedrooms,
            verdict=verdict if verdict in VERDICTS else None,
            sort=sort if sort in SORTS else "rang",
        )

    def query(self) -> dict[str, str]:
        """Return the filters as GET parameters (only the ones set)."""
        out = {
            "gemeente": self.municipality or "",
            "type": self.property_type or "",
            "slaapkamers": "" if self.min_bedrooms is None else str(self.min_bedrooms),
            "oordeel": self.verdict or "",
            "sorteer": "" if self.sort == "rang" else self.sort,
        }
        return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class Advert:
    """One advert of a dwelling."""

    source: str
    source_id: str
    url: str
    active: bool


@dataclass(frozen=True)
class Item:
    """One dwelling on the immolijst of one household."""

    rank: int
    """Rank in the household's shortlist (1 = best)."""
    dwelling_id: int
    """Stable dwelling id."""
    listing: Listing
    """Merged view of the dwelling's adverts."""
    evaluation: Evaluation
    """The matcher's evaluation of the dwelling for the household."""
    adverts: tuple[Advert, ...]
    """Every advert of the dwelling (active first)."""
    thumbnail: Path | None = None
    """A thumbnail from the local store, when one exists (never fetched)."""

    @property
    def address(self) -> str:
        """Street, number and box, or '' when the advert gives no street."""
        lst = self.listing
        if not lst.street:
            return ""
        parts = [lst.street]
        if lst.house_number:
            parts.append(lst.house_number)
        line = " ".join(parts)
        if lst.box:
            line += f" bus {lst.box}"
        return line

    @property
    def place(self) -> str:
        """Postcode and municipality (with the deelgemeente when it differs)."""
        lst = self.listing
        name = lst.municipality or ""
        if lst.locality and lst.locality != name:
            name = f"{lst.locality} ({name})" if name else lst.locality
        return " ".join(p for p in (lst.postcode or "", name) if p)

    @property
    def paid_allowance(self) -> AllowanceResult | None:
        """The allowance counted in the net cost, if any."""
        paid = self.evaluation.cost.allowance_eur
        for result in self.evaluation.allowances:
            if result.eligible is True and result.monthly_eur == paid and result.monthly_eur > 0:
                return result
        return None

    @property
    def charges_estimated(self) -> bool:
        """True when the charges are estimated (the advert does not give them)."""
        return self.listing.charges_eur is None

    @property
    def allowance_estimated(self) -> bool:
        """True when the allowance counted rests on an estimated parameter."""
        paid = self.paid_allowance
        return paid is not None and paid.estimated

    @property
    def estimated(self) -> bool:
        """True when any amount or the verdict rests on an estimate."""
        return bool(self.evaluation.estimated)

    @property
    def contact(self) -> str:
        """Landlord or agency: name, phone and e-mail as far as known."""
        lst = self.listing
        return " · ".join(p for p in (lst.agency_name, lst.contact_phone, lst.contact_email) if p)

    @property
    def main_url(self) -> str:
        """URL of the first active advert (or the merged view's URL)."""
        for advert in self.adverts:
            if advert.active:
                return advert.url
        return self.listing.url


@dataclass
class ImmoList:
    """One page of the immolijst of one household."""

    on: date
    """Date the rules were applied for."""
    total: int
    """Dwellings after every filter."""
    considered: int
    """Dwellings ranked (after the municipality, type and bedroom filters)."""
    counts: dict[str, int]
    """Dwellings per verdict among those considered."""
    items: list[Item]
    """The dwellings of this page, in the chosen order."""
    page: int = 1
    """Page number, from 1."""
    pages: int = 1
    """Number of pages."""
    ranked: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    """Every filtered dwelling ranked (shortlist columns + ``dwelling_id``, ``position``)."""


def _clean(value: Any) -> Any:
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    return value


def listing_from_row(row: Mapping[Any, Any]) -> Listing:
    """Build the :class:`~listings.Listing` of a dwelling frame row (unknown values dropped)."""
    data = {k: _clean(v) for k, v in row.items() if k in LISTING_FIELDS}
    day = data.get("available_from")
    if isinstance(day, datetime):
        data["available_from"] = day.date()
    if isinstance(data.get("image_urls"), np.ndarray):
        data["image_urls"] = list(data["image_urls"])
    return Listing.model_validate({k: v for k, v in data.items() if v is not None})


def _adverts(value: Any) -> tuple[Advert, ...]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    adverts = [
        Advert(
            source=str(a.get("source", "")),
            source_id=str(a.get("source_id", "")),
            url=str(a.get("url", "")),
            active=bool(a.get("active", True)),
        )
        for a in value
    ]
    return tuple(sorted(adverts, key=lambda a: (not a.active, a.source, a.source_id)))


def thumbnail_file(thumbnails_dir: Path | None, image_urls: Iterable[str]) -> Path | None:
    """Return the locally stored thumbnail of the first image that has one, else ``None``.

    Thumbnails are files ``<sha256 of the image URL>.<jpg|png|webp>`` in
    ``thumbnails_dir``; nothing is ever downloaded here.
    """
    if thumbnails_dir is None:
        return None
    for url in image_urls:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        for suffix in THUMBNAIL_SUFFIXES:
            path = thumbnails_dir / f"{key}{suffix}"
            if path.is_file():
                return path
    return None


def _filter_mask(dwellings: pd.DataFrame, filters: Filters) -> np.ndarray:
    mask = np.ones(len(dwellings), dtype=bool)
    if filters.municipality is not None:
        postcodes = set(_places.municipality_postcodes(filters.municipality))
        by_postcode = dwellings["postcode"].astype(object).isin(postcodes).to_numpy(dtype=bool)
        names = dwellings["municipality"].astype(object).fillna("").astype(str).str.casefold()
        by_name = (names == filters.municipality.casefold()).to_numpy(dtype=bool)
        mask &= by_postcode | by_name
    if filters.property_type is not None:
        kinds = dwellings["property_type"].astype(object).fillna("").astype(str)
        mask &= (kinds == filters.property_type).to_numpy(dtype=bool)
    if filters.min_bedrooms is not None:
        beds = pd.to_numeric(dwellings["bedrooms"], errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            mask &= np.nan_to_num(beds, nan=-1.0) >= filters.min_bedrooms
    return mask


_SORT_COLUMNS: Final = {
    "netto": ("net_monthly_eur", True),
    "huur": ("rent_eur", True),
    "oppervlakte": ("living_area_m2", False),
}


def rank_dwellings(
    household: Household,
    dwellings: pd.DataFrame,
    *,
    on: date,
    params: Parameters,
    filters: Filters | None = None,
) -> tuple[pd.DataFrame, int, dict[str, int]]:
    """Rank the dwellings for ``household`` with the filters and sort order applied.

    Returns the ranked frame (the :attr:`matcher.Shortlist.frame` columns plus
    ``dwelling_id`` and ``position``, the row's position in ``dwellings``), the
    number of dwellings ranked before the verdict filter, and the verdict counts.
    """
    filters = filters or Filters()
    mask = _filter_mask(dwellings, filters)
    positions = np.flatnonzero(mask)
    selected = dwellings if mask.all() else dwellings.iloc[positions]
    result = shortlist(household, selected, on, params=params, vectorised=True)
    ranked = result.frame.copy()
    position = positions[ranked.index.to_numpy(dtype=np.int64)]
    ranked["position"] = position
    ranked["dwelling_id"] = dwellings["dwelling_id"].to_numpy()[position]
    if filters.verdict is not None:
        ranked = ranked[ranked["verdict"].to_numpy(dtype=object) == filters.verdict]
    if filters.sort in _SORT_COLUMNS:
        column, ascending = _SORT_COLUMNS[filters.sort]
        if column in ranked.columns:
            values = ranked[column].to_numpy(dtype=float)
        else:
            values = pd.to_numeric(dwellings[column], errors="coerce").to_numpy(dtype=float)[
                ranked["position"].to_numpy()
            ]
        missing = np.isnan(values)
        key = np.where(missing, 0.0, values if ascending else -values)
        order = np.lexsort((ranked["rank"].to_numpy(), key, missing))
        ranked = ranked.iloc[order]
    ranked = ranked.reset_index(drop=True)
    return ranked, result.total, dict(result.counts)


def build_items(
    household: Household,
    dwellings: pd.DataFrame,
    ranked: pd.DataFrame,
    *,
    on: date,
    params: Parameters,
    thumbnails_dir: Path | None = None,
) -> list[Item]:
    """Build full :class:`Item` objects (with evaluations) for every row of ``ranked``."""
    items: list[Item] = []
    if not len(ranked):
        return items
    rows = dwellings.iloc[ranked["position"].to_numpy()].to_dict("records")
    for rank, row in zip(ranked["rank"].to_numpy(), rows, strict=True):
        listing = listing_from_row(row)
        items.append(
            Item(
                rank=int(rank),
                dwelling_id=int(row["dwelling_id"]),
                listing=listing,
                evaluation=evaluate(household, listing, on, params=params),
                adverts=_adverts(row.get("adverts")),
                thumbnail=thumbnail_file(thumbnails_dir, listing.image_urls),
            )
        )
    return items


def immolijst(
    household: Household,
    dwellings: pd.DataFrame,
    *,
    on: date,
    params: Parameters,
    filters: Filters | None = None,
    page: int = 1,
    per_page: int = 50,
    thumbnails_dir: Path | None = None,
) -> ImmoList:
    """Return one page of the household's immolijst over ``dwellings``."""
    ranked, considered, counts = rank_dwellings(
        household, dwellings, on=on, params=params, filters=filters
    )
    total = len(ranked)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    items = build_items(
        household,
        dwellings,
        ranked.iloc[start : start + per_page],
        on=on,
        params=params,
        thumbnails_dir=thumbnails_dir,
    )
    return ImmoList(
        on=on,
        total=total,
        considered=considered,
        counts=counts,
        items=items,
        page=page,
        pages=pages,
        ranked=ranked,
    )


def select_items(
    household: Household,
    dwellings: pd.DataFrame,
    dwelling_ids: Sequence[int] | None,
    *,
    on: date,
    params: Parameters,
    filters: Filters | None = None,
    limit: int | None = None,
    thumbnails_dir: Path | None = None,
) -> list[Item]:
    """Return the items of ``dwelling_ids`` in rank order (all filtered ones when None/empty).

    ``limit`` caps the number returned (used for the printable immolijst).
    """
    chosen = filters if not dwelling_ids else Filters(sort=filters.sort if filters else "rang")
    ranked, _, _ = rank_dwellings(household, dwellings, on=on, params=params, filters=chosen)
    if dwelling_ids:
        wanted = {int(i) for i in dwelling_ids}
        ranked = ranked[ranked["dwelling_id"].astype("int64").isin(wanted)]
    if limit is not None:
        ranked = ranked.iloc[:limit]
    return build_items(
        household, dwellings, ranked, on=on, params=params, thumbnails_dir=thumbnails_dir
    )
