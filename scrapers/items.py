"""The item that flows from the spiders through the pipelines.

Spiders yield ``{"item": {...Listing fields...}, "url": ...}``;
:class:`~scrapers.pipelines.ValidatePipeline` adds the validated ``listing``.
"""

from __future__ import annotations

from typing import Any, TypedDict

from listings._model import Listing

__all__ = ["ListingItem"]


class ListingItem(TypedDict, total=False):
    """A candidate listing on its way to the store."""

    item: dict[str, Any]
    """Candidate listing: Listing field names → values, not yet validated."""
    url: str
    """URL of the page the candidate came from (for log messages)."""
    listing: Listing
    """The validated (then normalised) listing, set by the pipelines."""
