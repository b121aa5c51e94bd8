"""2dehands spider: the listing-search JSON per postcode (private landlords), all pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from scrapy.http import Response

from scrapers.extract._tweedehands import search_url
from scrapers.spiders._base import SourceSpider

__all__ = ["TweedehandsSpider"]


class TweedehandsSpider(SourceSpider):
    """Crawl 2dehands rentals: one search per postcode, paged with ``offset``.

    Spider arguments (besides ``postcodes``/``municipalities``): ``l1_category``
    and ``l2_category`` (defaults 1032 "Huizen en Kamers" / 2143 "huizen te huur",
    the Marktplaats ids, UNCONFIRMED for 2dehands: sources.md §8), ``distance_m``
    (search radius around each postcode, default 2000) and ``page_size``
    (default 30). An advert found around two postcodes is yielded once.
    """

    name = "2dehands"
    source: ClassVar[str] = "2dehands"
    allowed_domains: ClassVar[list[str]] = ["www.2dehands.be"]

    def __init__(
        self,
        postcodes: str | list[str] | None = None,
        municipalities: str | list[str] | None = None,
        *args: Any,
        l1_category: int | str = 1032,
        l2_category: int | str = 2143,
        distance_m: int | str = 2000,
        page_size: int | str = 30,
        **kwargs: Any,
    ) -> None:
        super().__init__(postcodes, municipalities, *args, **kwargs)
        self.l1_category = int(l1_category)
        self.l2_category = int(l2_category)
        self.distance_m = int(distance_m)
        self.page_size = int(page_size)
        self._seen_ids: set[str] = set()

    def search_urls(self) -> list[str]:
        """First result page around each covered postcode, sorted."""
        return [
            search_url(
                code,
                l1_category=self.l1_category,
                l2_category=self.l2_category,
                distance_m=self.distance_m,
                limit=self.page_size,
            )
            for code in self.postcodes
        ]

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Yield the adverts of one result page (each once per crawl) and the next page."""
        extraction = self.extract(response)
        fresh = []
        for item in extraction.items:
            key = str(item.get("source_id"))
            if key not in self._seen_ids:
                self._seen_ids.add(key)
                fresh.append(item)
        extraction.items = fresh
        yield from self.follow_extraction(response, extraction)
