"""Immovlan extractor: server-rendered search pages and detail pages (sources.md §3).

Search cards are ``article`` elements with a detail link, the price in
``strong.list-item-price`` and microdata spans ``postalCode`` /
``addressLocality`` / ``numberOfBedrooms`` (selectors from public spiders).
Detail pages carry a schema.org JSON-LD ``RealEstateListing`` plus an HTML
facts block (``.general-info-wrapper .data-row-wrapper > div`` with an ``h4``
label and a ``p`` value). A "Verhuurd" (rented) flag drops the advert. No real
Immovlan page is stored; the rental slug ``te-huur`` and the pagination link are
UNCONFIRMED (see the fixture's ``PROVENANCE.md``).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode, urljoin, urlparse

from bs4 import BeautifulSoup, Tag

from listings._parse import Price, parse_int, parse_price
from scrapers.extract._base import Extraction, Problem, decode_body, detect_challenge
from scrapers.extract._schemaorg import schema_listing
from scrapers.extract._values import (
    clean,
    fact_fields,
    price_problem,
    property_type_of,
    split_address_line,
)

__all__ = ["BASE_URL", "PAGE_SIZE", "SOURCE", "extract", "parse_detail_url", "search_url"]

#: Source slug of this extractor.
SOURCE = "immovlan"
#: Site root.
BASE_URL = "https://immovlan.be"
#: Cards per search page.
PAGE_SIZE = 20

_DETAIL = re.compile(
    r"^/(?P<lang>nl|fr|en)/(?P<kind>detail|projectdetail)/(?P<type>[^/]+)/(?P<deal>[^/]+)/"
    r"(?P<pc>\d{4})/(?P<city>[^/]+)/(?P<ref>[A-Za-z0-9]+)/?$"
)
_RENT_DEALS = ("te-huur", "a-louer", "for-rent")


def search_url(municipality_slug: str, page: int = 1) -> str:
    """URL of one rental search page (houses and apartments) for a municipality slug.

    >>> search_url("kortrijk", 2)  # doctest: +NORMALIZE_WHITESPACE
    'https://immovlan.be/nl/vastgoed?transactiontypes=te-huur&propertytypes=huis%2Cappartement&municipals=kortrijk&page=2&noindex=1'
    """
    query = urlencode(
        [
            ("transactiontypes", "te-huur"),
            ("propertytypes", "huis,appartement"),
            ("municipals", municipality_slug),
            ("page", str(page)),
            ("noindex", "1"),
        ]
    )
    return f"{BASE_URL}/nl/vastgoed?{query}"


def parse_detail_url(url: str) -> dict[str, str] | None:
    """Parts of a detail URL: kind, type, deal, postcode, city and reference.

    >>> parse_detail_url("https://immovlan.be/nl/detail/appartement/te-huur/8500/kortrijk/rbu61234")
    ... # doctest: +NORMALIZE_WHITESPACE
    {'kind': 'detail', 'type': 'appartement', 'deal': 'te-huur', 'postcode': '8500',
     'city': 'kortrijk', 'source_id': 'rbu61234'}
    """
    match = _DETAIL.match(urlparse(url).path)
    if not match:
        return None
    return {
        "kind": match.group("kind"),
        "type": match.group("type"),
        "deal": match.group("deal"),
        "postcode": match.group("pc"),
        "city": match.group("city"),
        "source_id": match.group("ref"),
    }


def _gate(url: str, parts: dict[str, str], price: Price) -> Problem | None:
    """Return the problem that drops this advert (project, sale, rented, no price), if any."""
    sid = parts["source_id"]
    if parts["kind"] == "projectdetail":
        return Problem(url, "project", "a new-build project page, not one dwelling", sid)
    if parts["deal"] not in _RENT_DEALS:
        return Problem(url, "sale", f"deal={parts['deal']!r}: not a rental", sid, "deal")
    if property_type_of(parts["type"]) == "other":
        return Problem(
            url, "not_residential", f"type={parts['type']!r} is not a dwelling", sid, "type"
        )
    return price_problem(url, sid, price)


def _prop(root: Tag, name: str) -> str | None:
    tag = root.find(None, {"itemprop": name})
    if not isinstance(tag, Tag):
        return None
    return clean(str(tag.get("content") or "")) or clean(tag.get_text(" "))


def _card(article: Tag, page_url: str) -> tuple[dict[str, Any] | None, Problem | None]:
    link = article.find("a", href=True)
    href = str(link["href"]) if isinstance(link, Tag) else ""
    url = urljoin(BASE_URL, href)
    parts = parse_detail_url(url)
    if parts is None:
        return None, Problem(page_url, "parse_error", f"card href={href!r} is not a detail URL")
    price_tag = article.select_one("strong.list-item-price")
    price_raw = clean(price_tag.get_text(" ")) if price_tag else None
    flag = article.select_one(".rented-flag, .flag-rented")
    if flag is not None:
        price_raw = clean(flag.get_text(" ")) or price_raw
    price = parse_price(price_raw)
    problem = _gate(url, parts, price)
    if problem is not None:
        return None, problem
    street, number, box = split_address_line(_prop(article, "streetAddress"))
    title_tag = article.find(["h2", "h3"])
    item: dict[str, Any] = {
        "source": SOURCE,
        "source_id": parts["source_id"],
        "url": url,
        "title": clean(title_tag.get_text(" ")) if title_tag else None,
        "property_type": property_type_of(parts["type"]),
        "property_subtype_raw": parts["type"],
        "price_raw": price_raw,
        "rent_eur": price.rent_eur,
        "charges_eur": price.charges_eur,
        "street": street,
        "house_number": number,
        "box": box,
        "postcode": _prop(article, "postalCode") or parts["postcode"],
        "municipality": _prop(article, "addressLocality"),
        "bedrooms": parse_int(_prop(article, "numberOfBedrooms")),
    }
    return item, None


def _extract_search(url: str, soup: BeautifulSoup) -> Extraction:
    result = Extraction()
    counter = soup.select_one(".search-results-count")
    if counter is not None:
        result.total = parse_int(counter.get_text().replace(".", ""))
    nxt = soup.find("a", attrs={"rel": "next"})
    if isinstance(nxt, Tag) and nxt.get("href"):
        result.next_page = urljoin(url, str(nxt["href"]))
    for article in soup.find_all("article"):
        item, problem = _card(article, url)
        if problem is not None:
            result.problems.append(problem)
        if item is not None:
            result.items.append(item)
            result.links.append(item["url"])
    return result


def _extract_detail(url: str, html: str, soup: BeautifulSoup, parts: dict[str, str]) -> Extraction:
    price_tag = soup.select_one(".detail__header_price_data")
    price_raw = clean(price_tag.get_text(" ")) if price_tag else None
    schema = schema_listing(html, url)
    if price_raw is None and schema is not None:
        price_raw = schema.price_text
    price = parse_price(price_raw)
    problem = _gate(url, parts, price)
    if problem is None and schema is not None and schema.is_sale:
        problem = Problem(url, "sale", "JSON-LD offer is a sale", parts["source_id"])
    if problem is not None:
        return Extraction(problems=[problem])
    item: dict[str, Any] = dict(schema.item) if schema is not None else {}
    item.update(
        {
            "source": SOURCE,
            "source_id": parts["source_id"],
            "url": url,
            "property_type": property_type_of(parts["type"]),
            "property_subtype_raw": parts["type"],
            "price_raw": price_raw,
            "rent_eur": price.rent_eur,
        }
    )
    if price.charges_eur is not None:
        item["charges_eur"] = price.charges_eur
    item.setdefault("postcode", parts["postcode"])
    for row in soup.select(".general-info-wrapper .data-row-wrapper > div"):
        label, value = row.find("h4"), row.find("p")
        if isinstance(label, Tag) and isinstance(value, Tag):
            for key, val in fact_fields(label.get_text(" "), value.get_text(" ")).items():
                if key not in ("source_id", "price_raw"):
                    item[key] = val
    return Extraction(items=[item])


def extract(url: str, body: str | bytes) -> Extraction:
    """Extract an Immovlan search page (``/nl/vastgoed?...``) or a detail page."""
    html = decode_body(body)
    challenge = detect_challenge(200, {}, html)
    if challenge:
        return Extraction(problems=[Problem(url, "challenge", challenge)], challenge=challenge)
    soup = BeautifulSoup(html, "lxml")
    parts = parse_detail_url(url)
    if parts is not None:
        if parts["kind"] == "projectdetail":
            return Extraction(
                problems=[_gate(url, parts, parse_price(None)) or Problem(url, "project", "")]
            )
        return _extract_detail(url, html, soup, parts)
    return _extract_search(url, soup)
