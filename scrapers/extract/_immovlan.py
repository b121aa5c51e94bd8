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
from urllib.parse import urlencode

from lxml import etree

from listings._parse import Price
from scrapers.extract._base import Extraction, Problem
from scrapers.extract._body import decode_body, detect_challenge
from scrapers.extract._cached import parse_int, parse_price
from scrapers.extract._html import (
    has_token,
    iter_with_class,
    leaf_text,
    parse_html,
    plain_page,
    text_of,
    text_reader,
)
from scrapers.extract._schemaorg import schema_listing
from scrapers.extract._urls import join_on_page, join_path, url_path
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

# The group names are the keys of :func:`parse_detail_url`'s answer, in its order.
_DETAIL = re.compile(
    r"^/(?:nl|fr|en)/(?P<kind>detail|projectdetail)/(?P<type>[^/]+)/(?P<deal>[^/]+)/"
    r"(?P<postcode>\d{4})/(?P<city>[^/]+)/(?P<source_id>[A-Za-z0-9]+)/?$"
)
#: A segment character of a plain URL: printable ASCII but "/" and the "#", ";", "?"
#: that make ``urlparse`` cut the path (see :func:`~scrapers.extract._urls.url_path`).
_PLAIN_SEGMENT = r"[ -\"$-.0-:<->@-~]"
#: :data:`_DETAIL` on a whole plain detail URL: a match is :data:`_DETAIL`'s match of its path.
_PLAIN_DETAIL_URL = re.compile(
    r"https://immovlan\.be/(?:nl|fr|en)/(?P<kind>detail|projectdetail)/"
    rf"(?P<type>{_PLAIN_SEGMENT}+)/(?P<deal>{_PLAIN_SEGMENT}+)/(?P<postcode>[0-9]{{4}})/"
    rf"(?P<city>{_PLAIN_SEGMENT}+)/(?P<source_id>[A-Za-z0-9]+)/?"
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
    # A plain URL (printable ASCII without "?", "#" or ";") on the site root has the
    # rest of the URL as its path, and the fast pattern is _DETAIL with narrower
    # character classes around the same "/" separators: where it matches, _DETAIL
    # matches the path with the same groups. Where it does not, the path decides.
    match = _PLAIN_DETAIL_URL.fullmatch(url) or _DETAIL.match(url_path(url))
    return match.groupdict() if match else None


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


def _cleaned(element: Any, plain: bool, text: TextOf) -> str | None:
    """``clean(text(element, " "))``; ``text`` is ``text_of`` or the page's equivalent.

    On a plain page (:func:`~scrapers.extract._html.plain_page`) a childless
    element is read from its ``.text`` directly: :func:`clean` drops
    whitespace-only text, so the forms :func:`~scrapers.extract._html.leaf_text`
    gives it need not be made. Likewise an element whose one
    child is a childless element other than ``script``/``style`` (a card title
    ``<h2><a>title</a></h2>``): its strings are its text, the child's text and
    the child's tail, and :func:`clean` joins them with single spaces.
    """
    if plain:
        children = len(element)
        if not children:
            return clean(element.text)
        if children == 1:
            child = element[0]
            tag = child.tag
            if isinstance(tag, str) and tag != "script" and tag != "style" and not len(child):
                return clean(f"{element.text or ''} {child.text or ''} {child.tail or ''}")
    return clean(text(element, " "))


def _first_with_class(scope: Any, name: str, tag: str | None = None) -> Any:
    """First element of ``scope.iter(tag)`` (``scope`` too) with the class token ``name``."""
    for element in scope.iter(tag or etree.Element):
        value = element.get("class")
        # a token of value.split() is a substring of value: the cheap test goes first
        if value and name in value and name in value.split():
            return element
    return None


def _prop(props: dict[str, Any], name: str, plain: bool, text: TextOf) -> str | None:
    tag = props.get(name)
    if tag is None:
        return None
    content = tag.get("content")
    if content:  # an empty or missing content gives clean("") = None: the text is read
        found = clean(content)
        if found:
            return found
    return _cleaned(tag, plain, text)


def _card_parts(article: Any) -> tuple[Any, Any, Any, dict[str, Any], Any]:
    """One walk over a card for everything :func:`_card` reads from it.

    Returns the first ``a`` with an ``href``, the first ``strong.list-item-price``,
    the first element with a class token of ``_RENTED_FLAGS``, the first element
    for each ``itemprop`` value (by value) and the first ``h2``/``h3``, all below
    ``article`` in document order.
    """
    link = price_tag = flag = title_tag = None
    props: dict[str, Any] = {}
    for element in article.iter(etree.Element):
        if element is article:
            continue
        tag = element.tag
        if tag == "a":
            if link is None and element.get("href") is not None:
                link = element
        elif title_tag is None and (tag == "h2" or tag == "h3"):
            title_tag = element
        value = element.get("class")
        if value:
            if (
                price_tag is None
                and tag == "strong"
                and "list-item-price" in value
                and "list-item-price" in value.split()
            ):
                price_tag = element
            if flag is None and "rented" in value:
                tokens = value.split()
                if any(name in tokens for name in _RENTED_FLAGS):
                    flag = element
        name = element.get("itemprop")
        if name is not None and name not in props:
            props[name] = element
    return link, price_tag, flag, props, title_tag


def _detail_elements(root: Any) -> tuple[Any, list[Any]]:
    """In one walk: the first ``.detail__header_price_data`` and every ``.data-row-wrapper``."""
    price_tag = None
    wrappers = []
    for element in root.iter(etree.Element):
        value = element.get("class")
        # a token of value.split() is a substring of value: most values need no split
        if value:
            if (
                price_tag is None
                and "detail__header_price_data" in value
                and "detail__header_price_data" in value.split()
            ):
                price_tag = element
            if "data-row-wrapper" in value and "data-row-wrapper" in value.split():
                wrappers.append(element)
    return price_tag, wrappers


def _in_general_info(element: Any) -> bool:
    """Whether an ancestor of ``element`` has the class ``general-info-wrapper``.

    The ancestors are followed with ``getparent`` (as ``iterancestors`` yields
    them: every ancestor is an element), which costs less than an iterator.
    """
    ancestor = element.getparent()
    while ancestor is not None:
        if has_token(ancestor, "class", "general-info-wrapper"):
            return True
        ancestor = ancestor.getparent()
    return False


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
        if not _in_general_info(wrapper):
            return []
        # iterchildren("div") from the child list (a comment's tag is not "div")
        return [child for child in wrapper[:] if child.tag == "div"]
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


def _fact_texts(rows: list[Any], plain: bool) -> list[tuple[str, str]]:
    """``text_of`` of the label (first ``h4``) and value (first ``p``) of each fact row.

    Rows without both cells are left out. The usual row on a plain page (see
    :func:`~scrapers.extract._html.plain_page`), ``<div><h4>label</h4><p>value</p></div>`` with text
    only, is read from the two children's ``.text``, as :func:`_row_cells` and
    ``text_of`` would read it.
    """
    texts = []
    for row in rows:
        if plain and len(row) == 2:
            label, value = row[0], row[1]  # indexing costs less than unpacking an iterator
            if label.tag == "h4" and value.tag == "p" and not len(label) and not len(value):
                texts.append((leaf_text(label.text), leaf_text(value.text)))
                continue
        label, value = _row_cells(row)
        if label is not None and value is not None:
            texts.append((text_of(label, " "), text_of(value, " ")))
    return texts


def _card(
    article: Any, page_url: str, plain: bool, text: TextOf
) -> tuple[dict[str, Any] | None, Problem | None]:
    link, price_tag, flag, props, title_tag = _card_parts(article)
    href = str(link.get("href")) if link is not None else ""
    url = join_path(BASE_URL, href)
    parts = parse_detail_url(url)
    if parts is None:
        return None, Problem(page_url, "parse_error", f"card href={href!r} is not a detail URL")
    price_raw = _cleaned(price_tag, plain, text) if price_tag is not None else None
    if flag is not None:
        price_raw = _cleaned(flag, plain, text) or price_raw
    price = parse_price(price_raw)
    problem = _gate(url, parts, price)
    if problem is not None:
        return None, problem
    street, number, box = split_address_line(_prop(props, "streetAddress", plain, text))
    kind = parts["type"]
    item: dict[str, Any] = {
        "source": SOURCE,
        "source_id": parts["source_id"],
        "url": url,
        "title": _cleaned(title_tag, plain, text) if title_tag is not None else None,
        "property_type": property_type_of(kind),
        "property_subtype_raw": kind,
        "price_raw": price_raw,
        "rent_eur": price.rent_eur,
        "charges_eur": price.charges_eur,
        "street": street,
        "house_number": number,
        "box": box,
        "postcode": _prop(props, "postalCode", plain, text) or parts["postcode"],
        "municipality": _prop(props, "addressLocality", plain, text),
        "bedrooms": parse_int(_prop(props, "numberOfBedrooms", plain, text)),
    }
    return item, None


def _extract_search(url: str, root: Any) -> Extraction:
    result = Extraction()
    counter = _first_with_class(root, "search-results-count")
    if counter is not None:
        result.total = parse_int(text_of(counter).replace(".", ""))
    nxt = None
    for a in root.iter("a"):  # the first a[rel~=next]; a loop costs less than a generator
        rel = a.get("rel")
        if rel and "next" in rel and "next" in rel.split():
            nxt = a
            break
    if nxt is not None and nxt.get("href"):
        result.next_page = join_on_page(url, str(nxt.get("href")))
    plain = False
    text: TextOf | None = None
    for article in root.iter("article"):
        if text is None:  # an empty search page needs no text reader
            plain = plain_page(root)
            text = text_reader(root)
        item, problem = _card(article, url, plain, text)
        if problem is not None:
            result.problems.append(problem)
        if item is not None:
            result.items.append(item)
            result.links.append(item["url"])
    return result


def _extract_detail(
    url: str, html: str, root: Any, parts: dict[str, str], raw: str | bytes | None = None
) -> Extraction:
    plain = plain_page(root)
    price_tag, wrappers = _detail_elements(root)
    # text_of: exact on any page; a plain page's childless elements skip it
    price_raw = _cleaned(price_tag, plain, text_of) if price_tag is not None else None
    schema = schema_listing(html, url, root, raw)
    if price_raw is None and schema is not None:
        price_raw = schema.price_text
    price = parse_price(price_raw)
    problem = _gate(url, parts, price)
    if problem is None and schema is not None and schema.is_sale:
        problem = Problem(url, "sale", "JSON-LD offer is a sale", parts["source_id"])
    if problem is not None:
        return Extraction(problems=[problem])
    item: dict[str, Any] = dict(schema.item) if schema is not None else {}
    # one key at a time, in the order item.update({...}) set them: no second dict
    kind = parts["type"]
    item["source"] = SOURCE
    item["source_id"] = parts["source_id"]
    item["url"] = url
    item["property_type"] = property_type_of(kind)
    item["property_subtype_raw"] = kind
    item["price_raw"] = price_raw
    item["rent_eur"] = price.rent_eur
    if price.charges_eur is not None:
        item["charges_eur"] = price.charges_eur
    item.setdefault("postcode", parts["postcode"])
    rows = _fact_rows(root, wrappers)
    if rows:
        today = date.today()
        for label_text, value_text in _fact_texts(rows, plain):
            for key, val in fact_fields_on(label_text, value_text, today).items():
                if key != "source_id" and key != "price_raw":
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
        return _extract_detail(url, html, parse_html(html, body), parts, body)
    return _extract_search(url, parse_html(html, body))
