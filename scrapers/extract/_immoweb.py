"""Immoweb extractor: the JSON search (``/en/search-results/...``) and ``window.classified``.

Search responses carry ``results[]`` (30 a page) and ``totalItems``; detail pages
carry the full advert as ``window.classified = {...};``, read with
``json.JSONDecoder().raw_decode`` (the page also holds an HTML-escaped copy and
translation strings, so a greedy regex would be wrong). Field mapping follows
sources.md §1 and was checked against the parsed rentals in the sample
``scrapfly__parsed_rentals_property.json``.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapers.extract._base import Extraction, Problem
from scrapers.extract._body import (
    decode_body,
    detect_challenge,
    json_after,
    to_float,
    to_int,
)
from scrapers.extract._cached import parse_date, parse_epc
from scrapers.extract._values import availability_of

__all__ = ["BASE_URL", "PAGE_SIZE", "detail_url", "extract", "search_url"]

#: Site root.
BASE_URL = "https://www.immoweb.be"
#: Results per search page.
PAGE_SIZE = 30
_SOURCE = "immoweb"
_CLASSIFIED = re.compile(r"window\.classified\s*=\s*")
#: Immoweb subtypes mapped to a type other than their main type.
_SUBTYPES = {
    "FLAT_STUDIO": "studio",
    "KOT": "room",
    "APARTMENT_BLOCK": "other",
    "MIXED_USE_BUILDING": "other",
    "OTHER_PROPERTY": "other",
}
_TYPES = {"APARTMENT": "apartment", "HOUSE": "house"}


def search_url(property_type: str, postcodes: list[str], page: int = 1) -> str:
    """Return the JSON search URL of rentals of ``property_type`` in ``postcodes`` (sorted).

    >>> search_url("apartment", ["8501", "8500"], 2)
    'https://www.immoweb.be/en/search-results/apartment/for-rent?countries=BE&postalCodes=BE-8500,BE-8501&page=2&orderBy=newest'
    """
    codes = ",".join(f"BE-{pc}" for pc in sorted(postcodes))
    return (
        f"{BASE_URL}/en/search-results/{property_type}/for-rent"
        f"?countries=BE&postalCodes={codes}&page={page}&orderBy=newest"
    )


def detail_url(classified_id: object) -> str:
    """Return the short detail URL of an advert.

    >>> detail_url(21036106)
    'https://www.immoweb.be/en/classified/21036106'
    """
    return f"{BASE_URL}/en/classified/{classified_id}"


def _with_page(url: str, page: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    pos = next((i for i, (k, _) in enumerate(query) if k == "orderBy"), len(query))
    query.insert(pos, ("page", str(page)))
    return urlunsplit(parts._replace(query=urlencode(query, safe=",")))


def _dig(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _street(location: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    street = _text(location.get("street"))
    number = _text(location.get("number"))
    box = _text(location.get("box"))
    if street and number and street.endswith(f" {number}"):
        street = street[: -len(number) - 1].rstrip()
    return street, number, box


def _any_true(*values: Any) -> bool | None:
    known = [bool(v) for v in values if v is not None]
    return any(known) if known else None


def _pictures(media: Any) -> list[str]:
    urls = []
    for pic in _dig(media, "pictures") or []:
        if isinstance(pic, dict):
            for key in ("extralargeUrl", "largeUrl", "mediumUrl", "smallUrl"):
                if pic.get(key):
                    urls.append(str(pic[key]))
                    break
    return urls


def _datetime(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        try:
            return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z").isoformat()
        except ValueError:
            return None


def _screen(data: dict[str, Any], url: str) -> Problem | None:
    """Return why a search result or classified is not a residential rental, or None."""
    sid = str(data.get("id"))
    ttype = _dig(data, "transaction", "type")
    ptype = str(_dig(data, "property", "type") or "")
    if ttype != "FOR_RENT":
        return Problem(
            url, "sale", f"transaction.type={ttype!r}: not a rental", sid, "transaction.type", ttype
        )
    cluster = data.get("cluster") or {}
    in_cluster = isinstance(cluster, dict) and any(v not in (None, "") for k, v in cluster.items())
    if ptype.startswith("NEW_REAL_ESTATE_PROJECT") or (
        in_cluster and _dig(data, "price", "mainValue") is None
    ):
        return Problem(
            url,
            "project",
            f"property.type={ptype!r}: a new-build project without one price",
            sid,
            "property.type",
            ptype,
        )
    if ptype not in _TYPES:
        return Problem(
            url,
            "not_residential",
            f"property.type={ptype!r} is not a dwelling",
            sid,
            "property.type",
            ptype,
        )
    return None


def _common(data: dict[str, Any]) -> dict[str, Any]:
    """Fields present both in search results and in ``window.classified``."""
    prop = data.get("property") or {}
    location = prop.get("location") or {}
    rental = _dig(data, "transaction", "rental") or {}
    price = data.get("price") or {}
    street, number, box = _street(location)
    ptype = str(prop.get("type") or "")
    subtype = _text(prop.get("subtype"))
    rent = rental.get("monthlyRentalPrice")
    if rent is None and price.get("type") == "residential_monthly_rent":
        rent = price.get("mainValue")
    charges = rental.get("monthlyRentalCosts")
    if charges is None and price.get("type") == "residential_monthly_rent":
        charges = price.get("additionalValue")
    certificate = _dig(data, "transaction", "certificates") or _dig(
        data, "transaction", "certificate"
    )
    certificate = certificate if isinstance(certificate, dict) else {}
    return {
        "source": _SOURCE,
        "source_id": str(data.get("id")),
        "url": detail_url(data.get("id")),
        "title": _text(prop.get("title")),
        "property_type": _SUBTYPES.get(subtype or "", _TYPES.get(ptype)),
        "property_subtype_raw": f"{ptype}/{subtype}" if subtype else ptype or None,
        "rent_eur": to_float(rent),
        "charges_eur": to_float(charges),
        "price_raw": _text(price.get("mainDisplayPrice")),
        "bedrooms": to_int(prop.get("bedroomCount")),
        "living_area_m2": to_float(prop.get("netHabitableSurface")) or None,
        "epc_kwh_m2": to_float(certificate.get("primaryEnergyConsumptionPerSqm")),
        "epc_label": parse_epc(_text(certificate.get("epcScore"))).label,
        "street": street,
        "house_number": number,
        "box": box,
        "postcode": _text(location.get("postalCode")),
        "locality": _text(location.get("locality")),
        "latitude": to_float(location.get("latitude")),
        "longitude": to_float(location.get("longitude")),
        "floor": to_int(location.get("floor")),
        "image_urls": _pictures(data.get("media")),
    }


def _search(url: str, text: str) -> Extraction:
    try:
        data = json.loads(text)
    except ValueError as exc:
        return Extraction(problems=[Problem(url, "parse_error", f"search body is not JSON: {exc}")])
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        return Extraction(
            problems=[Problem(url, "parse_error", "search JSON has no 'results' list")]
        )
    ext = Extraction(total=to_int(data.get("totalItems")))
    for result in data["results"]:
        if not isinstance(result, dict) or result.get("id") is None:
            ext.problems.append(
                Problem(url, "parse_error", f"search result without id: {result!r}")
            )
            continue
        problem = _screen(result, url)
        if problem is not None:
            ext.problems.append(problem)
            continue
        item = _common(result)
        item["agency_name"] = _text(result.get("customerName"))
        item["published_at"] = _datetime(_dig(result, "publication", "creationDate"))
        ext.items.append(item)
        ext.links.append(item["url"])
    page = (
        to_int(data.get("currentPage"))
        or to_int(dict(parse_qsl(urlsplit(url).query)).get("page"))
        or 1
    )
    if data["results"] and ext.total is not None and page * PAGE_SIZE < ext.total:
        ext.next_page = _with_page(url, page + 1)
    return ext


def _availability(transaction: dict[str, Any]) -> tuple[date | None, bool | None]:
    _, now = availability_of(_text(transaction.get("availabilityPeriodType")))
    return parse_date(_text(transaction.get("availabilityDate"))), now


def _detail(url: str, text: str) -> Extraction:
    if not _CLASSIFIED.search(text) and not text.lstrip().startswith("{"):
        return Extraction(
            problems=[Problem(url, "parse_error", "no window.classified on the page")]
        )
    try:
        data = json_after(text, _CLASSIFIED) if _CLASSIFIED.search(text) else json.loads(text)
    except ValueError as exc:
        return Extraction(
            problems=[Problem(url, "parse_error", f"window.classified could not be read: {exc}")]
        )
    if not isinstance(data, dict) or data.get("id") is None:
        return Extraction(problems=[Problem(url, "parse_error", "window.classified has no id")])
    problem = _screen(data, url)
    if problem is not None:
        return Extraction(problems=[problem])
    prop = data.get("property") or {}
    transaction = data.get("transaction") or {}
    rental = transaction.get("rental") or {}
    customer = (data.get("customers") or [{}])[0] or {}
    available_from, available_now = _availability(transaction)
    parking = [
        prop.get(k) for k in ("parkingCountIndoor", "parkingCountOutdoor", "parkingCountClosedBox")
    ]
    known_parking = [int(v) for v in parking if v is not None]
    item = _common(data)
    item.update(
        {
            "description": prop.get("description") or None,
            "available_from": available_from.isoformat() if available_from else None,
            "available_now": available_now,
            "furnished": rental.get("isFurnished"),
            "pets_allowed": _any_true(
                rental.get("areSmallPetsAllowed"), rental.get("areBigPetsAllowed")
            ),
            "elevator": prop.get("hasLift"),
            "accessible": prop.get("hasDisabledAccess"),
            "garden": prop.get("hasGarden"),
            "terrace": _any_true(prop.get("hasTerrace"), prop.get("hasBalcony")),
            "parking": any(v > 0 for v in known_parking) if known_parking else None,
            "agency_name": _text(customer.get("name")),
            "contact_phone": _text(customer.get("phoneNumber") or customer.get("mobileNumber")),
            "contact_email": _text(customer.get("email")),
            "published_at": _datetime(_dig(data, "publication", "creationDate")),
        }
    )
    return Extraction(items=[item])


def extract(url: str, body: str | bytes) -> Extraction:
    """Extract an Immoweb search-results JSON page or a detail page.

    Sale adverts, new-build project clusters and non-residential types become
    problems (``sale``, ``project``, ``not_residential``), not listings.
    """
    text = decode_body(body)
    challenge = detect_challenge(200, {}, text)
    if challenge:
        return Extraction(challenge=challenge)
    if "/search-results/" in url:
        return _search(url, text)
    return _detail(url, text)
