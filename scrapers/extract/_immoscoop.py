"""Immoscoop extractor: search-result cards and detail pages (sources.md §4).

Search pages list cards ``a[data-mobile-selector="property-card_card"]`` whose
``href`` is ``/te-huur/{postcode}-{deelgemeente}/{id}``; the markup follows the
real card in ``tests/scrapers/fixtures/immoscoop/``. Class names are CSS-module
hashes (``property-card_price__XfyPH``), so elements are matched on the class
prefix. The EPC on a card is an SVG whose ``text`` labels read ``EPC`` and the
label letter. The result counter, pagination link and the detail-page layout
are not documented anywhere public: they follow the assembled pages described in
the fixture's ``PROVENANCE.md`` and must be checked on a live run.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode, urljoin, urlparse

from bs4 import BeautifulSoup, Tag

from listings._parse import PRICE_FOR_SALE, parse_epc, parse_int, parse_price
from scrapers.extract._base import Extraction, Problem, decode_body, detect_challenge
from scrapers.extract._values import (
    clean,
    fact_fields,
    price_problem,
    property_type_of,
    split_address_line,
)

__all__ = ["BASE_URL", "SOURCE", "extract", "extract_card", "parse_listing_url", "search_url"]

#: Source slug of this extractor.
SOURCE = "immoscoop"
#: Site root; card links are relative to it.
BASE_URL = "https://www.immoscoop.be"

_LISTING_PATH = re.compile(
    r"^/(?P<deal>te-huur|te-koop)/(?P<pc>\d{4})-(?P<place>[a-z0-9-]+)/(?P<id>\d+)/?$"
)
#: A price text that says "rented" is reported as ``no_price`` here, as it always was.
_PRICE_CODES = {PRICE_FOR_SALE: "sale"}


def search_url(city_slug: str, page: int = 1) -> str:
    """URL of one rental search page for a municipality slug.

    >>> search_url("kortrijk")
    'https://www.immoscoop.be/zoeken/te-huur/kortrijk'
    >>> search_url("kortrijk", 2)
    'https://www.immoscoop.be/zoeken/te-huur/kortrijk?page=2'
    """
    url = f"{BASE_URL}/zoeken/te-huur/{city_slug}"
    return url if page <= 1 else f"{url}?{urlencode({'page': page})}"


def parse_listing_url(url: str) -> dict[str, str] | None:
    """Deal (``te-huur``/``te-koop``), postcode, place slug and id of a listing URL.

    >>> parse_listing_url("https://www.immoscoop.be/te-huur/8200-sint-michiels/838015")
    {'deal': 'te-huur', 'postcode': '8200', 'place': 'sint-michiels', 'source_id': '838015'}
    >>> parse_listing_url("https://www.immoscoop.be/zoeken/te-huur/brugge") is None
    True
    """
    match = _LISTING_PATH.match(urlparse(url).path)
    if not match:
        return None
    return {
        "deal": match.group("deal"),
        "postcode": match.group("pc"),
        "place": match.group("place"),
        "source_id": match.group("id"),
    }


def _by_prefix(root: Tag, prefix: str, name: str | None = None) -> Tag | None:
    found = root.find(name, class_=lambda c: bool(c) and str(c).startswith(prefix))
    return found if isinstance(found, Tag) else None


def _all_by_prefix(root: Tag, prefix: str, name: str | None = None) -> list[Tag]:
    return [
        t
        for t in root.find_all(name, class_=lambda c: bool(c) and str(c).startswith(prefix))
        if isinstance(t, Tag)
    ]


def _address_lines(address: Tag | None) -> list[str]:
    if address is None:
        return []
    lines = [clean(div.get_text(" ")) for div in address.find_all("div") if not div.find("div")]
    return [line for line in lines if line]


def _apply_address(item: dict[str, Any], lines: list[str]) -> None:
    for line in lines:
        place = re.match(r"^(\d{4})\s+(.+)$", line)
        if place:
            item["postcode"] = place.group(1)
            item["locality"] = place.group(2)
        else:
            street, number, box = split_address_line(line)
            item["street"], item["house_number"], item["box"] = street, number, box


def _epc_label(root: Tag) -> str | None:
    for text in _all_by_prefix(root, "epc-icon_label__", "text"):
        label = parse_epc(clean(text.get_text())).label
        if label is not None:
            return label
    return None


def extract_card(card: Tag, page_url: str) -> tuple[dict[str, Any] | None, Problem | None]:
    """Read one search-result card into a candidate listing, or a problem.

    A card of a sale (``/te-koop/`` link or "te koop" title), without a price,
    or of a non-residential type gives a :class:`Problem` instead of an item.
    """
    href = str(card.get("href") or "")
    url = urljoin(BASE_URL, href)
    parts = parse_listing_url(url)
    if parts is None:
        return None, Problem(page_url, "parse_error", f"card href={href!r} is not a listing URL")
    source_id = parts["source_id"]
    title_tag = _by_prefix(card, "property-card_title__")
    title = clean(title_tag.get_text(" ")) if title_tag else None
    price_tag = _by_prefix(card, "property-card_price__")
    price_raw = clean(price_tag.get_text(" ")) if price_tag else None
    if parts["deal"] == "te-koop" or "te koop" in (title or "").lower():
        return None, Problem(
            url, "sale", f"title={title!r}: a sale, not a rental", source_id, "title", title
        )
    kind = property_type_of(title)
    if kind == "other":
        return None, Problem(
            url, "not_residential", f"title={title!r} is not a dwelling", source_id, "title", title
        )
    price = parse_price(price_raw)
    problem = price_problem(url, source_id, price, _PRICE_CODES)
    if problem is not None:
        return None, problem
    item: dict[str, Any] = {
        "source": SOURCE,
        "source_id": source_id,
        "url": url,
        "title": title,
        "property_type": kind,
        "property_subtype_raw": title.split(" te ")[0] if title else None,
        "price_raw": price_raw,
        "rent_eur": price.rent_eur,
        "charges_eur": price.charges_eur,
        "postcode": parts["postcode"],
        "epc_label": _epc_label(card),
        "image_urls": [
            str(img["src"]) for img in card.select("img.image-gallery-image") if img.get("src")
        ],
    }
    _apply_address(item, _address_lines(card.find("address")))
    for feature in _all_by_prefix(card, "FeatureIcons_item__"):
        label = str(feature.get("title") or "").lower()
        value_tag = _by_prefix(feature, "FeatureIcons_value__")
        value = parse_int(value_tag.get_text()) if value_tag else None
        if "slaapkamer" in label:
            item["bedrooms"] = value
    return item, None


def _next_page(soup: BeautifulSoup, url: str) -> str | None:
    link = soup.find("a", attrs={"rel": "next"})
    if isinstance(link, Tag) and link.get("href"):
        return urljoin(url, str(link["href"]))
    return None


def _total(soup: BeautifulSoup) -> int | None:
    counter = _by_prefix(soup, "search-results_count__")
    return parse_int(counter.get_text().replace(".", "")) if counter else None


def _extract_search(url: str, soup: BeautifulSoup) -> Extraction:
    result = Extraction(next_page=_next_page(soup, url), total=_total(soup))
    for card in soup.select('a[data-mobile-selector="property-card_card"]'):
        item, problem = extract_card(card, url)
        if problem is not None:
            result.problems.append(problem)
        if item is not None:
            result.items.append(item)
            result.links.append(item["url"])
    return result


def _extract_detail(url: str, soup: BeautifulSoup) -> Extraction:
    parts = parse_listing_url(url) or {}
    source_id = parts.get("source_id")
    title_tag = _by_prefix(soup, "property-detail_title__")
    title = clean(title_tag.get_text(" ")) if title_tag else None
    price_tag = _by_prefix(soup, "property-detail_price__")
    price_raw = clean(price_tag.get_text(" ")) if price_tag else None
    if parts.get("deal") == "te-koop" or "te koop" in (title or "").lower():
        return Extraction(
            problems=[Problem(url, "sale", f"title={title!r}: a sale, not a rental", source_id)]
        )
    price = parse_price(price_raw)
    problem = price_problem(url, source_id, price, _PRICE_CODES)
    if problem is not None:
        return Extraction(problems=[problem])
    og_desc = soup.find("meta", attrs={"property": "og:description"})
    desc_tag = _by_prefix(soup, "property-description_text__")
    description = clean(desc_tag.get_text(" ")) if desc_tag else None
    if description is None and isinstance(og_desc, Tag):
        description = clean(str(og_desc.get("content") or ""))
    agent = _by_prefix(soup, "agent-info_name__")
    item: dict[str, Any] = {
        "source": SOURCE,
        "source_id": source_id,
        "url": url,
        "title": title,
        "property_type": property_type_of(title),
        "price_raw": price_raw,
        "rent_eur": price.rent_eur,
        "charges_eur": price.charges_eur,
        "description": description,
        "agency_name": clean(agent.get_text(" ")) if agent else None,
        "postcode": parts.get("postcode"),
        "image_urls": [
            str(meta["content"])
            for meta in soup.find_all("meta", attrs={"property": "og:image"})
            if isinstance(meta, Tag) and meta.get("content")
        ],
    }
    _apply_address(item, _address_lines(_by_prefix(soup, "property-detail_address__")))
    for row in _all_by_prefix(soup, "property-features_item__"):
        label = _by_prefix(row, "property-features_label__")
        value = _by_prefix(row, "property-features_value__")
        if label and value:
            item.update(fact_fields(label.get_text(" "), value.get_text(" ")))
    return Extraction(items=[item])


def extract(url: str, body: str | bytes) -> Extraction:
    """Extract an Immoscoop search page (``/zoeken/...``) or detail page (``/te-huur/...``)."""
    text = decode_body(body)
    challenge = detect_challenge(200, {}, text)
    if challenge:
        return Extraction(problems=[Problem(url, "challenge", challenge)], challenge=challenge)
    soup = BeautifulSoup(text, "lxml")
    if urlparse(url).path.startswith("/zoeken/"):
        return _extract_search(url, soup)
    if parse_listing_url(url) is not None:
        return _extract_detail(url, soup)
    if soup.select('a[data-mobile-selector="property-card_card"]'):
        return _extract_search(url, soup)
    return Extraction(problems=[Problem(url, "parse_error", f"url={url!r} is no Immoscoop page")])
