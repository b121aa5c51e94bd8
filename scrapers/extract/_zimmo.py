"""Zimmo extractor: search pages with ``app.start({... properties: [...]})`` and detail facts.

Search pages (``/nl/{slug}-{postcode}/te-huur/?p=N``) embed the result cards as
JSON after ``properties:`` (read with ``raw_decode``: descriptions contain
braces) and announce the total in "1 - 21 van 911 resultaten". Detail pages
have a facts table (``feature-label`` / ``feature-value``) with ``Vrij op``
(availability), ``Slaapkamers``, ``Woonopp.`` and ``Type`` (sources.md §2.1).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import lxml.html  # type: ignore[import-untyped]
from lxml import etree

from scrapers.extract._base import Extraction, Problem
from scrapers.extract._body import (
    decode_body,
    detect_challenge,
    json_after,
    to_float,
    to_int,
)
from scrapers.extract._cached import parse_area, parse_epc, parse_int, parse_price
from scrapers.extract._html import parse_document
from scrapers.extract._urls import join_path
from scrapers.extract._values import availability_of, split_address_line

__all__ = ["BASE_URL", "extract", "search_url"]

#: Site root.
BASE_URL = "https://www.zimmo.be"
_SOURCE = "zimmo"
#: What ``lxml.html.fromstring`` treats as a whole document (it returns the root then).
_FULL_HTML = re.compile(r"^\s*<(?:html|!doctype)", re.IGNORECASE)
_PROPERTIES = re.compile(r"properties\s*:\s*")
_COUNTER = re.compile(
    r"(\d[\d.]*)\s*-\s*(\d[\d.]*)\s*(?:</strong>)?\s*van\s+(\d[\d.]*)\s+re", re.IGNORECASE
)
_TYPES = {
    "appartement": "apartment",
    "huis": "house",
    "woning": "house",
    "studio": "studio",
    "kamer": "room",
    "studentenkamer": "room",
    "assistentiewoning": "apartment",
}


def search_url(slug: str, postcode: str, page: int = 1) -> str:
    """Return the rental search URL of one place (``slug`` as in Zimmo's place list).

    >>> search_url("kortrijk", "8500")
    'https://www.zimmo.be/nl/kortrijk-8500/te-huur/?p=1'
    """
    return f"{BASE_URL}/nl/{slug}-{postcode}/te-huur/?p={page}"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _int_text(text: str) -> int:
    return int(text.replace(".", ""))


def _screen(card: dict[str, Any], url: str) -> Problem | None:
    sid = str(card.get("code"))
    status = str(card.get("status") or "")
    card_url = str(card.get("url") or "")
    if "sale" in status or "te-koop" in card_url:
        return Problem(url, "sale", f"status={status!r}: not a rental", sid, "status", status)
    proj = str(card.get("proj_id") or "0")
    if proj not in ("0", "") or card.get("propertyList"):
        return Problem(
            url,
            "project",
            f"proj_id={proj!r}: a new-build project, not one home",
            sid,
            "proj_id",
            proj,
        )
    kind = str(card.get("type") or "")
    if kind.lower() not in _TYPES:
        return Problem(
            url, "not_residential", f"type={kind!r} is not a dwelling", sid, "type", kind
        )
    return None


def _card_item(card: dict[str, Any]) -> dict[str, Any]:
    street, number, box = split_address_line(_text(card.get("address")))
    rent = parse_price(_text(card.get("prijs"))).rent_eur
    epoch = to_int(card.get("toegevoegd"))
    advertiser = card.get("advertiser") or {}
    kind = str(card.get("type") or "").lower()
    subtype = _text(card.get("subtype_naam"))
    return {
        "source": _SOURCE,
        "source_id": str(card.get("code")),
        "url": join_path(BASE_URL, str(card.get("url") or card.get("pand_url"))),
        "description": _text(card.get("a_beschrijf")),
        "property_type": _TYPES.get((subtype or "").lower(), _TYPES.get(kind)),
        "property_subtype_raw": subtype or _text(card.get("type")),
        "rent_eur": rent,
        "price_raw": f"€ {rent:.0f}" if rent else "Prijs op aanvraag",
        "bedrooms": parse_int(_text(card.get("slaapkamers"))),
        "living_area_m2": parse_area(_text(card.get("b_woonopp"))),
        "epc_kwh_m2": parse_epc(_text(card.get("energyWaarde"))).kwh_m2,
        "epc_label": parse_epc(_text(card.get("energyLabel"))).label,
        "street": street,
        "house_number": number,
        "box": box,
        "postcode": _text(card.get("postcode")),
        "locality": _text(card.get("gemeente")),
        "latitude": to_float(card.get("lat")),
        "longitude": to_float(card.get("lon")),
        "agency_name": _text(advertiser.get("name")),
        "contact_phone": _text(advertiser.get("phone") or advertiser.get("mobile")),
        "image_urls": [str(u) for u in card.get("firstImages") or [] if u],
        "published_at": (datetime.fromtimestamp(epoch, tz=UTC).isoformat() if epoch else None),
    }


def _with_page(url: str, page: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "p"]
    query.append(("p", str(page)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _search(url: str, text: str) -> Extraction:
    try:
        cards = json_after(text, _PROPERTIES, text.find("app.start("))
    except ValueError as exc:
        return Extraction(
            problems=[Problem(url, "parse_error", f"app.start properties unreadable: {exc}")]
        )
    if not isinstance(cards, list):
        return Extraction(problems=[Problem(url, "parse_error", "properties is not a list")])
    ext = Extraction()
    # removing <strong> tags changes nothing when there is none
    counter = _COUNTER.search(_STRONG_TAG.sub("", text) if "<strong" in text else text)
    if counter:
        last, total = _int_text(counter.group(2)), _int_text(counter.group(3))
        ext.total = total
        if cards and last < total:
            page = to_int(dict(parse_qsl(urlsplit(url).query)).get("p")) or 1
            ext.next_page = _with_page(url, page + 1)
    for card in cards:
        if not isinstance(card, dict) or not card.get("code"):
            ext.problems.append(Problem(url, "parse_error", f"card without code: {card!r}"))
            continue
        problem = _screen(card, url)
        if problem is not None:
            ext.problems.append(problem)
            continue
        item = _card_item(card)
        ext.items.append(item)
        ext.links.append(item["url"])
    return ext


_STRING = etree.XPath("string()", smart_strings=False)  # what text_content() is
_FEATURE_LABELS = etree.XPath('//*[contains(concat(" ", @class, " "), " feature-label ")]')
_STRONG_TAG = re.compile(r"<strong[^>]*>")


def _feature_labels(root: Any) -> list[Any]:
    # //*[contains(concat(" ", @class, " "), " feature-label ")] without XPath's overhead;
    # "feature-label" in the class is needed for the padded test, so it is tested first
    found = []
    for element in root.iter(etree.Element):
        value = element.get("class")
        if value and "feature-label" in value and " feature-label " in f" {value} ":
            found.append(element)
    return found


def _string(element: Any) -> str:
    """XPath ``string()`` of an element: of one without children, that is its own text."""
    if not len(element):  # no child nodes at all (no comments either): the text is all
        return element.text or ""
    return _STRING(element)


def _tree(text: str, raw: str | bytes | None = None) -> tuple[Any, list[Any]]:
    """Parse a detail page; return its root and the feature labels, as ``lxml.html`` would.

    ``raw``: the body ``text`` was decoded from, read directly when it is clean UTF-8.
    """
    if _FULL_HTML.match(text):
        root = parse_document(text, raw)
        if root is not None:  # a whole document: lxml.html.fromstring returns this same root
            return root, _feature_labels(root)
    tree = lxml.html.fromstring(text)  # fragments, empty pages: exactly as before
    return tree, _FEATURE_LABELS(tree)


def _facts(text: str, raw: str | bytes | None = None) -> dict[str, str]:
    _, labels = _tree(text, raw)
    facts: dict[str, str] = {}
    for label in labels:
        value = label.getnext()
        if value is None:
            value = label.getparent().find('.//*[@class="feature-value"]')
        if value is not None:
            facts[" ".join(_string(label).split()).rstrip(":")] = " ".join(_string(value).split())
    return facts


def _detail(url: str, text: str, raw: str | bytes | None = None) -> Extraction:
    try:
        facts = _facts(text, raw)
    except (ValueError, lxml.etree.ParserError) as exc:
        return Extraction(problems=[Problem(url, "parse_error", f"detail page unreadable: {exc}")])
    if not facts:
        return Extraction(problems=[Problem(url, "parse_error", "detail page has no facts table")])
    code = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    available_from, available_now = availability_of(facts.get("Vrij op"))
    item: dict[str, Any] = {
        "source": _SOURCE,
        "source_id": code,
        "url": url,
        "available_from": available_from.isoformat() if available_from else None,
        "available_now": available_now,
        "bedrooms": parse_int(facts.get("Slaapkamers")),
        "living_area_m2": parse_area(facts.get("Woonopp.") or facts.get("Bewoonbare opp.")),
    }
    return Extraction(items=[item])


def extract(url: str, body: str | bytes) -> Extraction:
    """Extract a Zimmo search page (cards, total, next page) or a detail page (facts).

    Sale cards, new-build projects and non-residential types become problems
    (``sale``, ``project``, ``not_residential``).
    """
    text = decode_body(body)
    challenge = detect_challenge(200, {}, text)
    if challenge:
        return Extraction(challenge=challenge)
    if "app.start(" in text:
        return _search(url, text)
    return _detail(url, text, body)
