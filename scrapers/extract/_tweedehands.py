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
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

from scrapers.extract._base import Extraction, Problem
from scrapers.extract._body import (
    decode_body,
    decode_json,
    detect_challenge,
    to_int,
)
from scrapers.extract._cached import (
    parse_amount,
    parse_area,
    parse_date,
    parse_epc,
    parse_int,
    parse_price,
)
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
#: The pattern starts with a character class, so the regex engine skips ahead to
#: digits quickly, and the word-start test is a look-behind after the four digits
#: (no word character before the first one): most digits of a text fail at the
#: ``\d{3}`` before the look-behind is tried.
_POSTCODE = re.compile(r"([1-9]\d{3})(?<!\w\d{4})\s+[A-Z][a-zé-]+")
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
#: Every ASCII character that ``\d`` or ``\s`` matches, and "." and ",": the ASCII
#: characters that can be part of a number run (``\s`` also matches ``\x1c``-``\x1f``).
_ASCII_RUN_ALL = _ASCII_RUN + "\x1c\x1d\x1e\x1f"
#: How far in front of a key word a search for its number starts (see ``_number_start``).
_NUMBER_REACH = 6


def _run_start(text: str, end: int) -> int:
    """Start of the run of digits, spaces, "." and "," that ends at index ``end``.

    Gives 0 (a safe start) when the run holds a non-ASCII digit or space.
    """
    start = len(text[:end].rstrip(_ASCII_RUN))
    if start and (text[start - 1].isdecimal() or text[start - 1].isspace()):
        return 0
    return start


def _number_start(text: str, at: int) -> int:
    """Return a search start at or before the run of digits, spaces, "." and "," ending at ``at``.

    ``_NUMBER_REACH`` characters back when the character just before that point is
    an ASCII character that cannot be part of such a run (so the run starts after
    it), else the run start itself.
    """
    start = at - _NUMBER_REACH
    if start <= 0:
        return 0
    before = text[start - 1]
    if before.isascii() and before not in _ASCII_RUN_ALL:
        return start
    return _run_start(text, at)


def _scan(
    text: str, lower: str
) -> tuple[str | None, str | None, str | None, str | None, str | None, str | None]:
    at = text.find("+")
    charges = _CHARGES.search(text, at) if at >= 0 else None  # a match starts with "+"
    # the three characters of _ODD_FOLDS, tested one by one: a regex or a loop over
    # them costs several times as much as three memchr-fast ``in`` tests
    if not lower.isascii() and ("\u017f" in text or "\u0131" in text or "\u0130" in text):
        # the general path (an odd fold, see _ODD_FOLDS): plain searches over the whole text
        bedrooms = _BEDROOMS.search(text)
        area = _AREA.search(text)
        epc = _EPC.search(text)
        available = _AVAILABLE.search(text)
    else:
        # The fast path: every match holds a key word, which (without the odd folds)
        # is found in ``lower`` at the same index as in ``text``. A match starts at
        # its word, or for bedrooms and area at the number run in front of it (a
        # match cannot start further back: its run would contain a word's letter).
        # So each search starts at the first key word (less its number run). The
        # second word of a pair is only looked for where it would come first.
        at = lower.find("slaapkamer")
        other = lower.find("slpk", 0, at + 3) if at >= 0 else lower.find("slpk")
        at = other if other >= 0 else at
        bedrooms = _BEDROOMS.search(text, _number_start(text, at)) if at >= 0 else None
        at = lower.find("m\u00b2")
        other = lower.find("m2", 0, at + 1) if at >= 0 else lower.find("m2")
        at = other if other >= 0 else at
        area = _AREA.search(text, _number_start(text, at)) if at >= 0 else None
        at = lower.find("epc")
        epc = _EPC.search(text, at) if at >= 0 else None
        at = lower.find("beschikbaar")
        other = lower.find("vrij", 0, at + 3) if at >= 0 else lower.find("vrij")
        at = other if other >= 0 else at
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


#: A URL that ``urlparse``/``urlunparse`` give back unchanged and whose query
#: ``urlencode(parse_qsl(query))`` gives back unchanged: a lower-case http(s) scheme, a
#: plain host, a plain path, and ``name=value`` pairs of characters that ``urlencode``
#: keeps as they are (no escapes, ``+``, ``=`` or ``&`` inside, no empty pair).
_PLAIN_URL = re.compile(
    r"(https?://[A-Za-z0-9.-]+(?:/[A-Za-z0-9_.~/-]*)?\?)"
    r"([A-Za-z0-9_.~-]*=[A-Za-z0-9_.~-]*(?:&[A-Za-z0-9_.~-]*=[A-Za-z0-9_.~-]*)*)"
)


def _param(query: str, name: str) -> str | None:
    """Return the last value of ``name`` in a query matched by ``_PLAIN_URL``, else ``None``.

    That query is ``name=value`` pairs joined by "&", so ``"&" + name + "="`` in
    ``"&" + query`` marks exactly the pairs of that name; the last one wins, as in
    ``dict(parse_qsl(query))``.
    """
    query = "&" + query
    at = query.rfind(f"&{name}=")
    if at < 0:
        return None
    at += len(name) + 2
    end = query.find("&", at)
    return query[at:] if end < 0 else query[at:end]


def _next_page(url: str, count: int, total: int | None) -> str | None:
    if count == 0:
        return None  # nothing on this page: the last one (checked before parsing the URL)
    plain = _PLAIN_URL.fullmatch(url)
    if plain is not None:
        # A plain URL: read and rebuild it as text. urlparse/urlunparse give its
        # part before the query back as it is, and urlencode(parse_qsl(query))
        # gives back each name=value pair as it is (see _PLAIN_URL).
        head, query = plain.groups()
        limit = to_int(_param(query, "limit")) or count
        offset = to_int(_param(query, "offset")) or 0
        if limit <= 0 or (count < limit if total is None else offset + limit >= total):
            return None
        new_offset = f"offset={offset + limit}"
        pairs = query.split("&")
        return head + "&".join(new_offset if p.startswith("offset=") else p for p in pairs)
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


#: Integers that ``to_int`` gives back unchanged: ``int(float(n)) == n`` up to 2**53.
_EXACT_FLOAT_INT = 2**53


def _int_of(value: object) -> int | None:
    """``to_int(value)``, without the float round trip for a plain int that survives it."""
    if type(value) is int and -_EXACT_FLOAT_INT <= value <= _EXACT_FLOAT_INT:
        return value
    return to_int(value)


def _clean_of(value: object) -> str | None:
    """``clean(str(value or ""))``, without splitting and joining a str that is already clean.

    A falsy value gives ``clean("")``, that is ``None``. A printable str holds no
    whitespace but " " (every other whitespace character is a control or separator
    character, which ``str.isprintable`` refuses), so it is already clean when it
    does not start or end with " " and holds no "  ".
    """
    if not value:
        return None
    if (
        type(value) is str
        and value[0] != " "
        and value[-1] != " "
        and "  " not in value
        and value.isprintable()
    ):
        return value
    return clean(str(value))


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
    title = _clean_of(entry.get("title"))
    description = _clean_of(entry.get("description"))
    text = f"{title or ''} {description or ''}"
    lower = text.lower()
    # the words of _SALE_WORDS, tested one by one without a loop
    if "te koop" in lower or "à vendre" in lower or "verkocht" in lower or "for sale" in lower:
        return None, Problem(
            url, "sale", f"title={title!r}: a sale, not a rental", source_id, "title", title
        )
    kind = property_type_of(title) or property_type_of(description)
    if kind == "other":
        return None, Problem(
            url, "not_residential", f"title={title!r} is not a dwelling", source_id, "title", title
        )
    price_info = entry.get("priceInfo") or {}
    cents = _int_of(price_info.get("priceCents"))
    label = _clean_of(price_info.get("priceLabel"))
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
    available_from, available_now = _availability(available) if available else (None, None)
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
        "municipality": _clean_of(location.get("cityName")),
        "agency_name": _clean_of(seller.get("name")),
        "image_urls": _image_urls(pictures),
    }
    return item, None


def _availability(found: str) -> tuple[date | None, bool | None]:
    """``availability_of(found)`` for what ``_AVAILABLE`` found: a word or a d/m/Y date.

    An ASCII date (``01/12/2026``) is read by ``parse_availability`` with the same
    day/month/year rule as ``parse_date``, and then gives its date whatever day it
    is today (and nothing when it is not a real date): so the memoised
    ``parse_date`` gives the answer without asking for today's date.
    """
    if found[0] in "0123456789" and found.isascii():
        return parse_date(found), None
    return availability_of(found)


def _image_urls(pictures: Any) -> list[str]:
    """Return the absolute ``mediumUrl`` of each picture (a loop: no list-comprehension frame)."""
    urls: list[str] = []
    for picture in pictures:
        if isinstance(picture, dict) and picture.get("mediumUrl"):
            urls.append(join_scheme("https:", str(picture["mediumUrl"])))
    return urls


def extract(url: str, body: str | bytes) -> Extraction:
    """Extract one page of the 2dehands listing-search JSON."""
    text = decode_body(body)
    # detect_challenge(200, {}, text) only reports a page with a <title>: no "<", no challenge
    if "<" in text:
        challenge = detect_challenge(200, {}, text)
        if challenge:
            return Extraction(problems=[Problem(url, "challenge", challenge)], challenge=challenge)
    try:
        data = decode_json(text, fallback=json.loads)
    except json.JSONDecodeError as exc:
        return Extraction(problems=[Problem(url, "parse_error", f"body is not JSON: {exc}")])
    if not isinstance(data, dict) or not isinstance(data.get("listings"), list):
        return Extraction(
            problems=[Problem(url, "parse_error", "JSON has no 'listings' list", field="listings")]
        )
    total = _int_of(data.get("totalResultCount"))
    listings = data["listings"]
    if not listings:
        return Extraction(total=total)  # an empty page is the last one
    entries = [e for e in listings if isinstance(e, dict)]
    result = Extraction(total=total, next_page=_next_page(url, len(entries), total))
    items, problems = result.items, result.problems
    for entry in entries:
        item, problem = item_from_listing(entry)
        if problem is not None:
            problems.append(problem)
        if item is not None:
            items.append(item)
    return result
