"""Immoscoop spider: rental search pages per municipality, then each detail page."""

from __future__ import annotations

from typing import ClassVar

from listings import _places
from scrapers.extract._immoscoop import search_url
from scrapers.extract._values import slugify
from scrapers.spiders._base import SourceSpider

__all__ = ["ImmoscoopSpider", "municipality_slugs"]


def municipality_slugs(postcodes: list[str]) -> list[str]:
    """Sorted URL slugs of the municipalities the postcodes belong to.

    >>> municipality_slugs(["8501", "8500", "8930"])
    ['kortrijk', 'menen']
    """
    names = {_places.municipality_of(code) for code in postcodes}
    return sorted({slugify(name) for name in names if name})


class ImmoscoopSpider(SourceSpider):
    """Crawl Immoscoop rentals: one search per municipality (all pages), then the detail pages.

    Immoscoop searches by the plain municipality slug (``/zoeken/te-huur/kortrijk``);
    a postcode-prefixed slug returned no results in public use (sources.md §4).
    """

    name = "immoscoop"
    source: ClassVar[str] = "immoscoop"
    allowed_domains: ClassVar[list[str]] = ["www.immoscoop.be"]

    def search_urls(self) -> list[str]:
        """First search page of each covered municipality, sorted by slug."""
        return [search_url(slug) for slug in municipality_slugs(self.postcodes)]
