"""Immovlan spider: server-rendered rental search pages per municipality, then detail pages."""

from __future__ import annotations

from typing import ClassVar

from scrapers.extract._immovlan import search_url
from scrapers.spiders._base import SourceSpider
from scrapers.spiders.immoscoop import municipality_slugs

__all__ = ["ImmovlanSpider"]


class ImmovlanSpider(SourceSpider):
    """Crawl Immovlan rentals (houses and apartments): search per municipality, all pages.

    Pages hold 20 cards; the site caps a search at 50 pages, far above the
    volume of one W13 municipality.
    """

    name = "immovlan"
    source: ClassVar[str] = "immovlan"
    allowed_domains: ClassVar[list[str]] = ["immovlan.be"]

    def search_urls(self) -> list[str]:
        """First search page of each covered municipality, sorted by slug."""
        return [search_url(slug) for slug in municipality_slugs(self.postcodes)]
