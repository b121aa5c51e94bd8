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
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode, urlparse

from lxml import etree

from listings._parse import Price
from scrapers.extract._base import Extraction, Problem, decode_body, detect_challenge
from scrapers.extract._cached import parse_int, parse_price
from scrapers.extract._html import (
    has_token,
    iter_with_class,
    parse_html,
    text_of,
    text_reader,
)
from scrapers.extract._schemaorg import schema_listing
from scrapers.extract._urls import join_on_page, join_path
from scrapers.extract._values import (
    clean,
    fact_fields_on,
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


_SITE_PREFIX = BASE_URL + "/"
#: Characters after which ``urlparse`` does more than cut the site root off.
_URL_SPECIALS = ("?", "#", ";", "[", "]")


def _path_of(url: str) -> str:
    """``urlparse(url).path``; a plain URL on the site root is cut without parsing it."""
    if (
        url.startswith(_SITE_PREFIX)
        and url.isascii()
        and url.isprintable()
        and not any(c in url for c in _URL_SPECIALS)
    ):
        return url[len(BASE_URL) :]
    return urlparse(url).path


def parse_detail_url(url: str) -> dict[str, str] | None:
    """Parts of a detail URL: kind, type, deal, postcode, city and reference.

    >>> parse_detail_url("https://immovlan.be/nl/detail/appartement/te-huur/8500/kortrijk/rbu61234")
    ... # doctest: +NORMALIZE_WHITESPACE
    {'kind': 'detail', 'type': 'appartement', 'deal': 'te-huur', 'postcode': '8500',
     'city': 'kortrijk', 'source_id': 'rbu61234'}
    """
    match = _DETAIL.match(_path_of(url))
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


_RENTED_FLAGS = ("rented-flag", "flag-rented")
#: :func:`~scrapers.extract._html.text_of`, or the page's faster equivalent.
TextOf = Callable[[Any, str], str]


def _first_with_class(scope: Any, name: str, tag: str | None = None) -> Any:
    return next(iter_with_class(scope, name, tag, self_too=True), None)


def _itemprops(root: Any) -> dict[str, Any]:
    """First descendant of ``root`` for each ``itemprop`` value, in document order."""
    found: dict[str, Any] = {}
    for element in root.iter(etree.Element):
        name = element.get("itemprop")
        if name is not None and element is not root and name not in found:
            found[name] = element
    return found


def _prop(props: dict[str, Any], name: str, text: TextOf = text_of) -> str | None:
    tag = props.get(name)
    if tag is None:
        return None
    return clean(str(tag.get("content") or "")) or clean(text(tag, " "))


def _rented_flag(article: Any) -> Any:
    for element in article.iter(etree.Element):
        value = element.get("class")
        if value and "rented" in value and element is not article:
            tokens = value.split()
            if any(flag in tokens for flag in _RENTED_FLAGS):
                return element
    return None


def _card_elements(article: Any) -> tuple[Any, Any, dict[str, Any], Any]:
    """One walk over a card for what four walks found before, with the same answers.

    Returns the first ``strong.list-item-price``, the first rented flag (as
    :func:`_rented_flag`), the ``itemprop`` elements (as :func:`_itemprops`) and
    the first ``h2``/``h3``, all below ``article`` in document order.
    """
    price_tag = flag = title_tag = None
    props: dict[str, Any] = {}
    for element in article.iter(etree.Element):
        if element is article:
            continue
        value = element.get("class")
        if value:
            tag = element.tag
            if price_tag is None and tag == "strong" and "list-item-price" in value.split():
                price_tag = element
            if flag is None and "rented" in value:
                tokens = value.split()
                if any(name in tokens for name in _RENTED_FLAGS):
                    flag = element
        name = element.get("itemprop")
        if name is not None and name not in props:
            props[name] = element
        if title_tag is None and element.tag in ("h2", "h3"):
            title_tag = element
    return price_tag, flag, props, title_tag


def _detail_elements(root: Any) -> tuple[Any, list[Any]]:
    """In one walk: the first ``.detail__header_price_data`` and every ``.data-row-wrapper``."""
    price_tag = None
    wrappers = []
    for element in root.iter(etree.Element):
        value = element.get("class")
        if value:
            tokens = value.split()
            if price_tag is None and "detail__header_price_data" in tokens:
                price_tag = element
            if "data-row-wrapper" in tokens:
                wrappers.append(element)
    return price_tag, wrappers


def _fact_rows(root: Any, wrappers: list[Any] | None = None) -> list[Any]:
    """``.general-info-wrapper .data-row-wrapper > div``, in document order.

    ``wrappers``: the page's ``.data-row-wrapper`` elements, when already found.
    """
    if wrappers is None:
        wrappers = list(iter_with_class(root, "data-row-wrapper", self_too=True))
    if not wrappers:
        return []
    if len(wrappers) == 1:  # the usual page: one wrapper, its div children are the rows
        wrapper = wrappers[0]
        if any(has_token(a, "class", "general-info-wrapper") for a in wrapper.iterancestors()):
            return list(wrapper.iterchildren("div"))
        return []
    rows = []
    for div in root.iter("div"):
        parent = div.getparent()
        if (
            parent is not None
            and has_token(parent, "class", "data-row-wrapper")
            and any(has_token(a, "class", "general-info-wrapper") for a in parent.iterancestors())
        ):
            rows.append(div)
    return rows


def _row_cells(row: Any) -> tuple[Any, Any]:
    """Return the first ``h4`` and the first ``p`` below a fact row, in document order.

    The usual row is ``<div><h4>label</h4><p>value</p></div>``: then they are its
    two children (no ``p`` can come earlier inside a childless ``h4``).
    """
    if len(row) == 2:
        label, value = row
        if label.tag == "h4" and value.tag == "p" and not len(label):
            return label, value
    return next(row.iter("h4"), None), next(row.iter("p"), None)


def _card(
    article: Any, page_url: str, text: TextOf = text_of
) -> tuple[dict[str, Any] | None, Problem | None]:
    link = next((a for a in article.iter("a") if a.get("href") is not None), None)
    href = str(link.get("href")) if link is not None else ""
    url = join_path(BASE_URL, href)
    parts = parse_detail_url(url)
    if parts is None:
        return None, Problem(page_url, "parse_error", f"card href={href!r} is not a detail URL")
    price_tag, flag, props, title_tag = _card_elements(article)
    price_raw = clean(text(price_tag, " ")) if price_tag is not None else None
    if flag is not None:
        price_raw = clean(text(flag, " ")) or price_raw
    price = parse_price(price_raw)
    problem = _gate(url, parts, price)
    if problem is not None:
        return None, problem
    street, number, box = split_address_line(_prop(props, "streetAddress", text))
    item: dict[str, Any] = {
        "source": SOURCE,
        "source_id": parts["source_id"],
        "url": url,
        "title": clean(text(title_tag, " ")) if title_tag is not None else None,
        "property_type": property_type_of(parts["type"]),
        "property_subtype_raw": parts["type"],
        "price_raw": price_raw,
        "rent_eur": price.rent_eur,
        "charges_eur": price.charges_eur,
        "street": street,
        "house_number": number,
        "box": box,
        "postcode": _prop(props, "postalCode", text) or parts["postcode"],
        "municipality": _prop(props, "addressLocality", text),
        "bedrooms": parse_int(_prop(props, "numberOfBedrooms", text)),
    }
    return item, None


def _extract_search(url: str, root: Any) -> Extraction:
    result = Extraction()
    text = text_reader(root)
    counter = _first_with_class(root, "search-results-count")
    if counter is not None:
        result.total = parse_int(text_of(counter).replace(".", ""))
    nxt = next((a for a in root.iter("a") if has_token(a, "rel", "next")), None)
    if nxt is not None and nxt.get("href"):
        result.next_page = join_on_page(url, str(nxt.get("href")))
    for article in root.iter("article"):
        item, problem = _card(article, url, text)
        if problem is not None:
            result.problems.append(problem)
        if item is not None:
            result.items.append(item)
            result.links.append(item["url"])
    return result


def _extract_detail(url: str, html: str, root: Any, parts: dict[str, str]) -> Extraction:
    text = text_reader(root)
    price_tag, wrappers = _detail_elements(root)
    price_raw = clean(text(price_tag, " ")) if price_tag is not None else None
    schema = schema_listing(html, url, root)
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
    today = date.today()
    for row in _fact_rows(root, wrappers):
        label, value = _row_cells(row)
        if label is not None and value is not None:
            for key, val in fact_fields_on(text(label, " "), text(value, " "), today).items():
                if key not in ("source_id", "price_raw"):
                    item[key] = val
    return Extraction(items=[item])


def extract(url: str, body: str | bytes) -> Extraction:
    """Extract an Immovlan search page (``/nl/vastgoed?...``) or a detail page."""
    html = decode_body(body)
    challenge = detect_challenge(200, {}, html)
    if challenge:
        return Extraction(problems=[Problem(url, "challenge", challenge)], challenge=challenge)
    parts = parse_detail_url(url)
    if parts is not None:
        if parts["kind"] == "projectdetail":
            return Extraction(
                problems=[_gate(url, parts, parse_price(None)) or Problem(url, "project", "")]
            )
        return _extract_detail(url, html, parse_html(html), parts)
    return _extract_search(url, parse_html(html))
