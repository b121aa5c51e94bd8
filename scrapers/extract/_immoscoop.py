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
from urllib.parse import urlencode, urlparse

from listings._parse import PRICE_FOR_SALE
from scrapers.extract._base import Extraction, Problem
from scrapers.extract._body import decode_body, detect_challenge
from scrapers.extract._cached import parse_epc, parse_int, parse_price
from scrapers.extract._html import (
    has_token,
    iter_with_class,
    iter_with_class_prefix,
    parse_html,
    text_of,
)
from scrapers.extract._urls import join_on_page, join_path
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


_PLACE_LINE = re.compile(r"^(\d{4})\s+(.+)$")
_CARD_SELECTOR = "property-card_card"


def _by_prefix(root: Any, prefix: str, name: str | None = None) -> Any:
    """First descendant of ``root`` with a class token starting with ``prefix``."""
    return next(iter_with_class_prefix(root, prefix, name), None)


def _doc_by_prefix(root: Any, prefix: str, name: str | None = None) -> Any:
    """As :func:`_by_prefix` over the whole document (the root element included)."""
    return next(iter_with_class_prefix(root, prefix, name, self_too=True), None)


def _all_by_prefix(root: Any, prefix: str, name: str | None = None) -> list[Any]:
    return list(iter_with_class_prefix(root, prefix, name))


def _address_lines(address: Any) -> list[str]:
    if address is None:
        return []
    # the innermost divs (no div inside), as BeautifulSoup's find_all("div") filtered them
    lines = [
        clean(text_of(div, " "))
        for div in address.iter("div")
        if div is not address and not _has_inner_div(div)
    ]
    return [line for line in lines if line]


def _has_inner_div(div: Any) -> bool:
    return any(inner is not div for inner in div.iter("div"))


def _apply_address(item: dict[str, Any], lines: list[str]) -> None:
    for line in lines:
        place = _PLACE_LINE.match(line)
        if place:
            item["postcode"] = place.group(1)
            item["locality"] = place.group(2)
        else:
            street, number, box = split_address_line(line)
            item["street"], item["house_number"], item["box"] = street, number, box


def _epc_label(root: Any) -> str | None:
    for text in iter_with_class_prefix(root, "epc-icon_label__", "text"):
        label = parse_epc(clean(text_of(text))).label
        if label is not None:
            return label
    return None


def extract_card(card: Any, page_url: str) -> tuple[dict[str, Any] | None, Problem | None]:
    """Read one search-result card (an lxml element) into a candidate listing, or a problem.

    A card of a sale (``/te-koop/`` link or "te koop" title), without a price,
    or of a non-residential type gives a :class:`Problem` instead of an item.
    A BeautifulSoup tag (the former card type) is accepted too.
    """
    if not hasattr(card, "iter"):  # a BeautifulSoup Tag: read its markup with lxml
        card = next(parse_html(str(card)).iter("a"), card)
    href = str(card.get("href") or "")
    url = join_path(BASE_URL, href)
    parts = parse_listing_url(url)
    if parts is None:
        return None, Problem(page_url, "parse_error", f"card href={href!r} is not a listing URL")
    source_id = parts["source_id"]
    title_tag = _by_prefix(card, "property-card_title__")
    title = clean(text_of(title_tag, " ")) if title_tag is not None else None
    price_tag = _by_prefix(card, "property-card_price__")
    price_raw = clean(text_of(price_tag, " ")) if price_tag is not None else None
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
            str(img.get("src"))
            for img in iter_with_class(card, "image-gallery-image", "img")
            if img.get("src")
        ],
    }
    address = next((a for a in card.iter("address") if a is not card), None)
    _apply_address(item, _address_lines(address))
    for feature in iter_with_class_prefix(card, "FeatureIcons_item__"):
        label = str(feature.get("title") or "").lower()
        value_tag = _by_prefix(feature, "FeatureIcons_value__")
        value = parse_int(text_of(value_tag)) if value_tag is not None else None
        if "slaapkamer" in label:
            item["bedrooms"] = value
    return item, None


def _next_page(root: Any, url: str) -> str | None:
    link = next(
        (a for a in root.iter("a") if has_token(a, "rel", "next") or a.get("rel") == "next"),
        None,
    )
    if link is not None and link.get("href"):
        return join_on_page(url, str(link.get("href")))
    return None


def _total(root: Any) -> int | None:
    counter = _doc_by_prefix(root, "search-results_count__")
    return parse_int(text_of(counter).replace(".", "")) if counter is not None else None


def _cards(root: Any) -> list[Any]:
    return [a for a in root.iter("a") if a.get("data-mobile-selector") == _CARD_SELECTOR]


def _extract_search(url: str, root: Any) -> Extraction:
    result = Extraction(next_page=_next_page(root, url), total=_total(root))
    for card in _cards(root):
        item, problem = extract_card(card, url)
        if problem is not None:
            result.problems.append(problem)
        if item is not None:
            result.items.append(item)
            result.links.append(item["url"])
    return result


def _extract_detail(url: str, root: Any) -> Extraction:
    parts = parse_listing_url(url) or {}
    source_id = parts.get("source_id")
    title_tag = _doc_by_prefix(root, "property-detail_title__")
    title = clean(text_of(title_tag, " ")) if title_tag is not None else None
    price_tag = _doc_by_prefix(root, "property-detail_price__")
    price_raw = clean(text_of(price_tag, " ")) if price_tag is not None else None
    if parts.get("deal") == "te-koop" or "te koop" in (title or "").lower():
        return Extraction(
            problems=[Problem(url, "sale", f"title={title!r}: a sale, not a rental", source_id)]
        )
    price = parse_price(price_raw)
    problem = price_problem(url, source_id, price, _PRICE_CODES)
    if problem is not None:
        return Extraction(problems=[problem])
    og_desc = next((m for m in root.iter("meta") if m.get("property") == "og:description"), None)
    desc_tag = _doc_by_prefix(root, "property-description_text__")
    description = clean(text_of(desc_tag, " ")) if desc_tag is not None else None
    if description is None and og_desc is not None:
        description = clean(str(og_desc.get("content") or ""))
    agent = _doc_by_prefix(root, "agent-info_name__")
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
        "agency_name": clean(text_of(agent, " ")) if agent is not None else None,
        "postcode": parts.get("postcode"),
        "image_urls": [
            str(meta.get("content"))
            for meta in root.iter("meta")
            if meta.get("property") == "og:image" and meta.get("content")
        ],
    }
    _apply_address(item, _address_lines(_doc_by_prefix(root, "property-detail_address__")))
    for row in iter_with_class_prefix(root, "property-features_item__", self_too=True):
        label = _by_prefix(row, "property-features_label__")
        value = _by_prefix(row, "property-features_value__")
        if label is not None and value is not None:
            item.update(fact_fields(text_of(label, " "), text_of(value, " ")))
    return Extraction(items=[item])


def extract(url: str, body: str | bytes) -> Extraction:
    """Extract an Immoscoop search page (``/zoeken/...``) or detail page (``/te-huur/...``)."""
    text = decode_body(body)
    challenge = detect_challenge(200, {}, text)
    if challenge:
        return Extraction(problems=[Problem(url, "challenge", challenge)], challenge=challenge)
    root = parse_html(text, body)
    if urlparse(url).path.startswith("/zoeken/"):
        return _extract_search(url, root)
    if parse_listing_url(url) is not None:
        return _extract_detail(url, root)
    if _cards(root):
        return _extract_search(url, root)
    return Extraction(problems=[Problem(url, "parse_error", f"url={url!r} is no Immoscoop page")])
