"""Immoweb spider: the JSON rental search for the covered postcodes, then each detail page."""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.http import Request

from scrapers.extract._immoweb import search_url
from scrapers.spiders._base import SourceSpider

__all__ = ["ImmowebSpider"]


class ImmowebSpider(SourceSpider):
    """Crawl Immoweb rentals: one search per property type over all postcodes, all pages.

    Search requests ask for JSON (``Accept: application/json``); every result
    is followed to its ``/en/classified/{id}`` page, whose ``window.classified``
    adds availability, charges, pets, furniture, lift and contact details.
    """

    name = "immoweb"
    source: ClassVar[str] = "immoweb"

    def search_urls(self) -> list[str]:
        """Return one first search page per property type (``sources.yaml``), postcodes sorted."""
        types = self.source_config().get("property_types") or ["apartment", "house"]
        return [search_url(str(kind), self.postcodes) for kind in types]

    def search_request(self, url: str, **kwargs: Any) -> Request:
        """Build a search request that asks for the JSON response."""
        headers = dict(kwargs.pop("headers", None) or {})
        headers.setdefault("Accept", "application/json")
        return super().search_request(url, headers=headers, **kwargs)
