"""Zimmo spider: the rental search page of every covered place, then each detail page."""

from __future__ import annotations

from typing import ClassVar

from listings import _places
from scrapers.extract._values import slugify
from scrapers.extract._zimmo import search_url
from scrapers.spiders._base import SourceSpider

__all__ = ["ZimmoSpider"]


class ZimmoSpider(SourceSpider):
    """Crawl Zimmo rentals: ``/nl/{slug}-{postcode}/te-huur/?p=N`` for each place, all pages.

    Place slugs per postcode come from ``zimmo.places`` in ``sources.yaml``; a
    postcode not listed there is searched under its municipality's name. Each
    card is followed to its detail page for "Vrij op" (availability).
    """

    name = "zimmo"
    source: ClassVar[str] = "zimmo"

    def search_urls(self) -> list[str]:
        """Return the first search page of every place, by postcode then slug."""
        places = {str(k): v for k, v in (self.source_config().get("places") or {}).items()}
        urls: list[str] = []
        for postcode in self.postcodes:
            slugs = places.get(postcode)
            if not slugs:
                municipality = _places.municipality_of(postcode)
                slugs = [slugify(municipality)] if municipality else []
            urls.extend(search_url(str(slug), postcode) for slug in sorted(slugs))
        return urls
