"""2dehands extractor: the listing-search JSON ``GET /lrp/api/search`` (sources.md §8).

Each entry of ``listings[]`` has ``itemId``, ``title``, ``description``,
``priceInfo{priceCents, priceLabel}``, ``location{cityName}``, ``date``,
``vipUrl``, ``pictures[].mediumUrl``, ``seller.name`` (field names from public
code). Private landlords write rooms, area, EPC and charges in free text, so
those are read from the title and description. ``totalResultCount`` (used for
paging with ``offset``/``limit``) is known from the sister site Marktplaats and
is UNCONFIRMED for 2dehands; no real 2dehands response is stored.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

from scrapers.extract._base import Extraction, Problem, decode_body, detect_challenge, to_int
from scrapers.extract._cached import parse_amount, parse_area, parse_epc, parse_int, parse_price
from scrapers.extract._urls import join_path, join_scheme
from scrapers.extract._values import availability_of, clean, property_type_of

__all__ = [
    "BASE_URL",
    "SOURCE",
    "extract",
    "item_from_listing",
    "scan_description",
    "search_url",
]

#: Source slug of this extractor.
SOURCE = "2dehands"
#: Site root; ``vipUrl`` is relative to it.
BASE_URL = "https://www.2dehands.be"

_SALE_WORDS = ("te koop", "à vendre", "verkocht", "for sale")
_BEDROOMS = re.compile(r"(\d+)\s*(?:slaapkamers?|slpk)", re.IGNORECASE)
_AREA = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:m²|m2)", re.IGNORECASE)
_EPC = re.compile(r"EPC[^\d\n]{0,20}(\d+(?:[.,]\d+)?)", re.IGNORECASE)
_CHARGES = re.compile(
    r"\+\s*(?:€\s*)?(\d+(?:[.,]\d+)?)\s*(?:€|euro|eur)?\s*(?:kosten|lasten|gemeenschappelijke)",
    re.IGNORECASE,
)
_AVAILABLE = re.compile(
    r"(?:beschikbaar|vrij)(?:\s+(?:vanaf|op))?\s*:?\s*(onmiddellijk|direct|\d{1,2}/\d{1,2}/\d{4})",
    re.IGNORECASE,
)
#: A postcode: four digits at the start of a word (``\b[1-9]\d{3}``), then a place name.
#: The word-start test is a look-behind after the first digit, so that the pattern
#: starts with a character class and the regex engine skips ahead to digits quickly.
_POSTCODE = re.compile(r"([1-9](?<!\w[1-9])\d{3})\s+[A-Z][a-zé-]+")
#: Characters that case-insensitive patterns match as ASCII letters while ``str.lower``
#: does not turn them into those letters (long s, dotless i), and the one character
#: whose lower case is two characters long (dotted capital I).
_ODD_FOLDS = ("\u017f", "\u0131", "\u0130")


def scan_description(
    text: str,
) -> tuple[str | None, str | None, str | None, str | None, str | None, str | None]:
    """Find the free-text facts of an advert: the first match of each of six patterns.

    Returns ``(charges, bedrooms, area, epc, postcode, availability)``: the whole
    match for charges, bedrooms and area, the number for EPC, the four digits of
    the postcode and the availability word or date, each ``None`` when absent.
    Always exactly what ``pattern.search(text)`` gives for each pattern.

    >>> scan_description("Appartement: 2 slaapkamers, 75 m², EPC 245. "
    ...                  "€ 700 + € 50 kosten. Vrij vanaf 01/12/2026. 8500 Kortrijk")
    ('+ € 50 kosten', '2 slaapkamers', '75 m²', '245', '8500', '01/12/2026')
    """
    return _scan(text, text.lower())


#: ASCII characters of a number run: ``\d``, ``\s`` and the decimal separators.
_ASCII_RUN = "0123456789 \t\n\r\f\v.,"


def _run_start(text: str, end: int) -> int:
    """Start of the run of digits, spaces, "." and "," that ends at index ``end``.

    Gives 0 (a safe start) when the run holds a non-ASCII digit or space.
    """
    start = len(text[:end].rstrip(_ASCII_RUN))
    if start and (text[start - 1].isdecimal() or text[start - 1].isspace()):
        return 0
    return start


def _first_of(lower: str, word: str, other: str) -> int:
    """Index of the first occurrence of ``word`` or ``other`` in ``lower``, else -1."""
    first, second = lower.find(word), lower.find(other)
    return first if second < 0 or 0 <= first < second else second


def _scan(
    text: str, lower: str
) -> tuple[str | None, str | None, str | None, str | None, str | None, str | None]:
    charges = _CHARGES.search(text, text.find("+")) if "+" in text else None  # starts with "+"
    if not lower.isascii() and any(ch in text for ch in _ODD_FOLDS):
        # the general path: plain searches over the whole text
        bedrooms = _BEDROOMS.search(text)
        area = _AREA.search(text)
        epc = _EPC.search(text)
        available = _AVAILABLE.search(text)
    else:
        # The fast path: every match holds a key word, which (without the odd folds)
        # is found in ``lower`` at the same index as in ``text``. A match starts at
        # its word, or for bedrooms and area at the number run in front of it (a
        # match cannot start further back: its run would contain a word's letter).
        # So each search starts at the first key word (less its number run).
        at = _first_of(lower, "slaapkamer", "slpk")
        bedrooms = _BEDROOMS.search(text, _run_start(text, at)) if at >= 0 else None
        at = _first_of(lower, "m2", "m²")
        area = _AREA.search(text, _run_start(text, at)) if at >= 0 else None
        at = lower.find("epc")
        epc = _EPC.search(text, at) if at >= 0 else None
        at = _first_of(lower, "beschikbaar", "vrij")
        available = _AVAILABLE.search(text, at) if at >= 0 else None
    postcode = _POSTCODE.search(text)
    return (
        charges.group(0) if charges else None,
        bedrooms.group(0) if bedrooms else None,
        area.group(0) if area else None,
        epc.group(1) if epc else None,
        postcode.group(1) if postcode else None,
        available.group(1) if available else None,
    )


def search_url(
    postcode: str,
    *,
    l1_category: int,
    l2_category: int,
    distance_m: int,
    limit: int = 30,
    offset: int = 0,
) -> str:
    """URL of one page of the listing-search JSON, with a fixed parameter order.

    >>> search_url("8500", l1_category=1032, l2_category=2143, distance_m=5000)
    ... # doctest: +NORMALIZE_WHITESPACE
    'https://www.2dehands.be/lrp/api/search?l1CategoryId=1032&l2CategoryId=2143&postcode=8500&distanceMeters=5000&limit=30&offset=0&sortBy=SORT_INDEX&sortOrder=DECREASING&viewOptions=list-view'
    """
    query = urlencode(
        [
            ("l1CategoryId", str(l1_category)),
            ("l2CategoryId", str(l2_category)),
            ("postcode", postcode),
            ("distanceMeters", str(distance_m)),
            ("limit", str(limit)),
            ("offset", str(offset)),
            ("sortBy", "SORT_INDEX"),
            ("sortOrder", "DECREASING"),
            ("viewOptions", "list-view"),
        ]
    )
    return f"{BASE_URL}/lrp/api/search?{query}"


#: Characters that make ``urlparse``/``parse_qsl`` do more than split the query.
_QUERY_SPECIALS = ("#", "[", "]", "%", "+", " ")


def _paging(url: str) -> tuple[str | None, str | None] | None:
    """``limit`` and ``offset`` of a plain URL as ``dict(parse_qsl(urlparse(url).query))``.

    ``None`` when the URL is not plain (non-ASCII, control characters, spaces, a
    fragment, brackets, escapes or ``+``): the caller then takes the general path.
    """
    if not (url.isascii() and url.isprintable()) or any(c in url for c in _QUERY_SPECIALS):
        return None
    params: dict[str, str] = {}
    for pair in url.partition("?")[2].split("&"):
        if pair:
            name, _, value = pair.partition("=")
            params[name] = value
    return params.get("limit"), params.get("offset")


def _next_page(url: str, count: int, total: int | None) -> str | None:
    if count == 0:
        return None  # nothing on this page: the last one (checked before parsing the URL)
    paging = _paging(url)
    if paging is not None:
        # the common last page of a plain URL: decided without parsing and rebuilding it
        limit = to_int(paging[0]) or count
        offset = to_int(paging[1]) or 0
        if limit <= 0 or (count < limit if total is None else offset + limit >= total):
            return None
    parsed = urlparse(url)
    query = parse_qsl(parsed.query, keep_blank_values=True)
    params = dict(query)
    limit = to_int(params.get("limit")) or count
    offset = to_int(params.get("offset")) or 0
    if count == 0 or limit <= 0:
        return None
    if total is None:
        if count < limit:
            return None
    elif offset + limit >= total:
        return None
    new_query = [(k, str(offset + limit) if k == "offset" else v) for k, v in query]
    return urlunparse(parsed._replace(query=urlencode(new_query)))


def item_from_listing(entry: dict[str, Any]) -> tuple[dict[str, Any] | None, Problem | None]:
    """Turn one entry of ``listings[]`` into a candidate listing, or a problem.

    >>> entry = {"itemId": "m2100000001", "title": "Appartement te huur",
    ...          "description": "2 slaapkamers, 75 m², EPC 245. € 700 + € 50 kosten. 8500 Kortrijk",
    ...          "priceInfo": {"priceCents": 70000}, "location": {"cityName": "Kortrijk"},
    ...          "vipUrl": "/v/huizen-en-kamers/appartementen/m2100000001-x"}
    >>> item, problem = item_from_listing(entry)
    >>> item["rent_eur"], item["charges_eur"], item["bedrooms"], item["postcode"], problem
    (700.0, 50.0, 2, '8500', None)
    >>> item_from_listing({**entry, "description": "Vrij vanaf 01/12/2026"})[0]["available_from"]
    datetime.date(2026, 12, 1)
    """
    source_id = str(entry.get("itemId") or "").strip()
    vip = str(entry.get("vipUrl") or "")
    url = join_path(BASE_URL, vip) if vip else ""
    if not source_id or not url:
        return None, Problem(
            url or BASE_URL, "parse_error", f"itemId={source_id!r} vipUrl={vip!r}: missing"
        )
    title = clean(str(entry.get("title") or ""))
    description = clean(str(entry.get("description") or ""))
    text = f"{title or ''} {description or ''}"
    lower = text.lower()
    for word in _SALE_WORDS:
        if word in lower:
            return None, Problem(
                url, "sale", f"title={title!r}: a sale, not a rental", source_id, "title", title
            )
    kind = property_type_of(title) or property_type_of(description)
    if kind == "other":
        return None, Problem(
            url, "not_residential", f"title={title!r} is not a dwelling", source_id, "title", title
        )
    price_info = entry.get("priceInfo") or {}
    cents = to_int(price_info.get("priceCents"))
    label = clean(str(price_info.get("priceLabel") or ""))
    price_raw: str | None
    if cents:
        rent: float | None = cents / 100
        price_raw = label or f"€ {cents // 100}"
    else:
        parsed = parse_price(label)
        rent, price_raw = parsed.rent_eur, label
    if rent is None:
        return None, Problem(
            url,
            "no_price",
            f"priceInfo={price_info!r}: no monthly rent",
            source_id,
            "priceInfo",
            price_info,
        )
    charges, bedrooms, area, epc, postcode, available = _scan(text, lower)
    # no availability text gives neither field: skip the (date-dependent) parser
    available_from, available_now = availability_of(available) if available else (None, None)
    location = entry.get("location") or {}
    seller = entry.get("seller") or {}
    pictures = entry.get("pictures") or []
    item: dict[str, Any] = {
        "source": SOURCE,
        "source_id": source_id,
        "url": url,
        "title": title,
        "description": description,
        "property_type": kind,
        "price_raw": price_raw,
        "rent_eur": rent,
        "charges_eur": parse_amount(charges) if charges else None,
        "bedrooms": parse_int(bedrooms) if bedrooms else None,
        "living_area_m2": parse_area(area) if area else None,
        "epc_kwh_m2": parse_epc(epc).kwh_m2 if epc else None,
        "postcode": postcode,
        "available_now": available_now,
        "available_from": available_from,
        "municipality": clean(str(location.get("cityName") or "")),
        "agency_name": clean(str(seller.get("name") or "")),
        "image_urls": [
            join_scheme("https:", str(p["mediumUrl"]))
            for p in pictures
            if isinstance(p, dict) and p.get("mediumUrl")
        ],
    }
    return item, None


def extract(url: str, body: str | bytes) -> Extraction:
    """Extract one page of the 2dehands listing-search JSON."""
    text = decode_body(body)
    challenge = detect_challenge(200, {}, text)
    if challenge:
        return Extraction(problems=[Problem(url, "challenge", challenge)], challenge=challenge)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Extraction(problems=[Problem(url, "parse_error", f"body is not JSON: {exc}")])
    if not isinstance(data, dict) or not isinstance(data.get("listings"), list):
        return Extraction(
            problems=[Problem(url, "parse_error", "JSON has no 'listings' list", field="listings")]
        )
    entries = [e for e in data["listings"] if isinstance(e, dict)]
    total = to_int(data.get("totalResultCount"))
    result = Extraction(total=total, next_page=_next_page(url, len(entries), total))
    for entry in entries:
        item, problem = item_from_listing(entry)
        if problem is not None:
            result.problems.append(problem)
        if item is not None:
            result.items.append(item)
    return result
