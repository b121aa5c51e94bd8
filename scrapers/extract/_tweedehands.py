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

__all__ = ["BASE_URL", "SOURCE", "extract", "item_from_listing", "search_url"]

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
_POSTCODE = re.compile(r"\b([1-9]\d{3})\s+[A-Z][a-zé-]+")


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


def _next_page(url: str, count: int, total: int | None) -> str | None:
    if count == 0:
        return None  # nothing on this page: the last one (checked before parsing the URL)
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
    if any(word in lower for word in _SALE_WORDS):
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
    charges = _CHARGES.search(text) if "+" in text else None  # the pattern starts with "+"
    bedrooms = _BEDROOMS.search(text)
    area = _AREA.search(text)
    epc = _EPC.search(text)
    postcode = _POSTCODE.search(text)
    available = _AVAILABLE.search(text)
    available_from, available_now = availability_of(available.group(1) if available else None)
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
        "charges_eur": parse_amount(charges.group(0)) if charges else None,
        "bedrooms": parse_int(bedrooms.group(0)) if bedrooms else None,
        "living_area_m2": parse_area(area.group(0)) if area else None,
        "epc_kwh_m2": parse_epc(epc.group(1)).kwh_m2 if epc else None,
        "postcode": postcode.group(1) if postcode else None,
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
