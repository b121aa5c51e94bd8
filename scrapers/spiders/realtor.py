"""Realtor spider: the offices listed under ``realtor.offices`` in ``scrapers/sources.yaml``.

One spider crawls every configured office with its site template
(``searchon_list`` or the generic ``jsonld`` fallback, see
:mod:`scrapers.extract._realtor`); listings get source ``realtor:<office slug>``.
Adding an office is a YAML edit.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self
from urllib.parse import urlparse

from scrapy.crawler import Crawler
from scrapy.http import Response

from scrapers.extract import Extraction
from scrapers.extract._realtor import Office, extract_office, load_offices, office_for_url
from scrapers.spiders._base import SourceSpider

__all__ = ["RealtorSpider"]


class RealtorSpider(SourceSpider):
    """Crawl the own websites of the configured realtor offices.

    Spider arguments (besides ``postcodes``/``municipalities``, which do not
    narrow an office's own stock): ``sources_file`` (alias ``offices_file``: a
    sources YAML with a ``realtor.offices`` list; default the setting
    ``IMMOLIJST_SOURCES_FILE``, else the bundled ``scrapers/sources.yaml``) and
    ``offices`` (comma-separated slugs to crawl; default all). With one office
    the spider's ``source`` (and so the crawl run) is ``realtor:<slug>``.
    """

    name = "realtor"
    source: ClassVar[str] = "realtor"

    def __init__(
        self,
        postcodes: str | list[str] | None = None,
        municipalities: str | list[str] | None = None,
        *args: Any,
        sources_file: str | None = None,
        offices_file: str | None = None,
        offices: str | list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(postcodes, municipalities, *args, **kwargs)
        self.sources_file = sources_file or offices_file
        wanted = offices.split(",") if isinstance(offices, str) else offices
        self.wanted_offices: list[str] = [s.strip() for s in wanted or [] if s.strip()]
        self.offices: list[Office] = []
        self.configure(self.sources_file)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        """Create the spider; with no file argument, use the IMMOLIJST_SOURCES_FILE setting."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        setting = crawler.settings.get("IMMOLIJST_SOURCES_FILE")
        if spider.sources_file is None and setting:
            spider.configure(str(setting))
        return spider

    def configure(self, path: str | None) -> None:
        """Load the offices from ``path`` (default: the bundled YAML), keeping the wanted ones.

        Raises :class:`ValueError` for an office slug that is not in the file.
        """
        configured = load_offices(path)
        if self.wanted_offices:
            unknown = set(self.wanted_offices) - {office.slug for office in configured}
            if unknown:
                raise ValueError(f"unknown realtor office(s): {', '.join(sorted(unknown))}")
            configured = [o for o in configured if o.slug in self.wanted_offices]
        self.offices = sorted(configured, key=lambda office: office.slug)
        self.allowed_domains = sorted({urlparse(o.base_url).netloc for o in self.offices})
        if len(self.offices) == 1:
            # One office: the crawl run is that office's source (``realtor:<slug>``), so the
            # store accepts its listings and marks gone only that office's adverts.
            vars(self)["source"] = self.offices[0].source
        else:
            vars(self).pop("source", None)

    def run_sources(self) -> list[str]:
        """Return one source per configured office: each gets its own store run and gone-marking.

        An office whose site yields nothing this time still gets a run, so its old adverts
        are marked gone after a complete crawl, and a blocked office marks the whole crawl
        partial so nothing is marked gone anywhere.
        """
        return [office.source for office in self.offices]

    def search_urls(self) -> list[str]:
        """Return the first list page of every search of every office, offices sorted by slug."""
        return [url for office in self.offices for url in office.start_urls()]

    def extract(self, response: Response) -> Extraction:
        """Run the realtor extractor with the office that serves this response."""
        office = office_for_url(response.url, self.offices)
        return extract_office(response.url, response.body, office)
