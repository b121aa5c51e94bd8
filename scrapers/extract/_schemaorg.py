"""Read a rental advert from schema.org JSON-LD and microdata (via ``extruct``).

Used by the immovlan detail pages (JSON-LD ``RealEstateListing``) and by the
generic realtor fallback, which reads any office site that publishes
``Residence``, ``Apartment``, ``House``, ``SingleFamilyResidence``, ``Offer`` or
``RealEstateListing`` data. Pure: no Scrapy.

Cheap path: when the caller already parsed the page (``tree``), the JSON-LD
blocks are read from that tree with extruct's own JSON-LD reader (one XPath +
``json.loads``), with no second parse. The full ``extruct.extract`` run (its own
parse, microdata) is kept for pages that carry microdata (``itemscope``) and for
bare fragments, so the result is the same as before in every case.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import extruct  # type: ignore[import-untyped]
from extruct.jsonld import (  # type: ignore[import-untyped]
    HTML_OR_JS_COMMENTLINE,
    jstyleson,
)
from lxml import etree

from scrapers.extract._base import to_float, to_int
from scrapers.extract._cached import (
    parse_amount,
    parse_area,
    parse_bool,
    parse_date,
    parse_epc,
    parse_int,
    parse_price,
)
from scrapers.extract._urls import join_url
from scrapers.extract._values import availability_of, property_type_of, split_address_line

__all__ = [
    "LISTING_TYPES",
    "RESIDENCE_TYPES",
    "SchemaListing",
    "schema_listing",
    "schema_objects",
]

#: schema.org types that describe the dwelling itself.
RESIDENCE_TYPES = frozenset(
    {"Residence", "Apartment", "House", "SingleFamilyResidence", "Accommodation", "Room"}
)
#: schema.org types that describe the advert or its offer.
LISTING_TYPES = frozenset({"RealEstateListing", "Offer"})

_WANTED_TYPES = RESIDENCE_TYPES | LISTING_TYPES
_SALE_FUNCTIONS = ("#sell", "/sell")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _types(obj: Mapping[str, Any]) -> set[str]:
    raw = obj.get("@type")
    if isinstance(raw, str):  # the usual single type name
        return {raw.rsplit("/", 1)[-1]} if raw else set()
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).rsplit("/", 1)[-1] for v in values if v}


_LAX_JSON = json.JSONDecoder(strict=False)
_JSONLD_TYPE = "application/ld+json"
_HAS_ITEMSCOPE = etree.XPath("boolean(descendant-or-self::*[@itemscope])")
#: What ``lxml.html.fromstring`` (used by extruct) treats as a whole document.
_FULL_HTML = re.compile(r"^\s*<(?:html|!doctype)", re.IGNORECASE)


def _mentions_itemscope(html: str) -> bool:
    """Whether ``html.lower()`` contains ``itemscope``, without lower-casing the Unicode text.

    ``str.lower`` turns no non-ASCII character into one of these letters (only the
    Kelvin sign becomes a "k"), and UTF-8 bytes of non-ASCII characters are never
    ASCII, so the ASCII-only ``bytes.lower`` of the UTF-8 text gives the same answer.

    >>> _mentions_itemscope("<div ItemScope>€</div>"), _mentions_itemscope("<div>€</div>")
    (True, False)
    """
    if html.isascii():
        return "itemscope" in html.lower()
    return b"itemscope" in html.encode("utf-8", "surrogatepass").lower()


def _jsonld_items(tree: Any) -> list[Any]:
    """Return the JSON-LD items of a parsed page as ``extruct``'s ``JsonLdExtractor`` reads them.

    Raises like it does when a block cannot be read even leniently.
    """
    found: list[Any] = []
    for script in tree.iter("script"):
        if script.get("type") != _JSONLD_TYPE:
            continue
        text = script.text or "" if not len(script) else "".join(script.itertext())
        try:
            data = _LAX_JSON.decode(text)
        except ValueError:
            # leading HTML or JavaScript comments, as extruct handles them
            data = jstyleson.loads(HTML_OR_JS_COMMENTLINE.sub("", text), strict=False)
        items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
        found.extend(item for item in items if item)
    return found


_CONTAINERS = (dict, list)


def _collect_typed(value: Any, out: list[dict[str, Any]]) -> None:
    # every dict with an @type, nested ones included, depth-first in document order
    if isinstance(value, dict):
        if value.get("@type"):
            out.append(value)
        children: Any = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return
    for child in children:
        if isinstance(child, _CONTAINERS):
            _collect_typed(child, out)


def _typed(found: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    _collect_typed(found, out)
    return out


def schema_objects(html: str, url: str, tree: Any = None) -> list[dict[str, Any]]:
    """Every typed schema.org object in the page's JSON-LD and microdata, nested ones included.

    Broken JSON-LD blocks are skipped rather than failing the page. ``tree`` is
    the page already parsed with lxml (root element), to skip a second parse.

    >>> page = ('<script type="application/ld+json">{"@context": "https://schema.org",'
    ...         ' "@type": "Apartment", "numberOfBedrooms": 2}</script>')
    >>> [o["@type"] for o in schema_objects(page, "https://x.be/a")]
    ['Apartment']
    """
    if (
        tree is not None
        and _FULL_HTML.match(html)
        # without the text "itemscope" (any ASCII case) there is no such attribute
        and (not _mentions_itemscope(html) or not _HAS_ITEMSCOPE(tree))
    ):
        # No microdata on a whole document: the JSON-LD blocks are all there is.
        try:
            return _typed(_jsonld_items(tree))
        except Exception:  # as extruct.extract(errors="ignore"): a broken block set is skipped
            return []
    try:
        data = extruct.extract(
            html, base_url=url, syntaxes=["json-ld", "microdata"], uniform=True, errors="ignore"
        )
    except Exception:  # extruct raises many parser error types on broken markup
        return []
    return _typed(data.get("json-ld", [])) + _typed(data.get("microdata", []))


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text(value: Any) -> str | None:
    if isinstance(value, list):  # _first, inlined: this runs for every field read
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("value")
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _images(value: Any, url: str) -> list[str]:
    out: list[str] = []
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, dict):
            entry = entry.get("url") or entry.get("contentUrl")
        if isinstance(entry, str) and entry.strip():
            out.append(join_url(url, entry.strip()))
    return out


class SchemaListing:
    """The advert fields found in a page's schema.org data, plus what the data says about it.

    ``item`` holds :class:`~listings.Listing` field names (without ``source``);
    ``is_sale`` is set when an offer is a sale (``businessFunction`` Sell) or the
    name says "te koop"; ``price_text`` is the price as published.
    """

    def __init__(self) -> None:
        self.item: dict[str, Any] = {}
        """Listing fields read from the data (``None`` values left out)."""
        self.is_sale: bool = False
        """True when the data describes a sale, not a rental."""
        self.price_text: str | None = None
        """The price as the data gives it, as text."""
        self.types: set[str] = set()
        """The schema.org types that contributed fields."""

    def put(self, key: str, value: Any) -> None:
        """Set ``key`` unless already known or ``value`` is ``None``/empty."""
        if value is None or value == "" or value == []:
            return
        self.item.setdefault(key, value)


def _read_address(out: SchemaListing, address: Any) -> None:
    address = _first(address)
    if isinstance(address, str):
        out.put("street", split_address_line(address)[0])
        return
    if not isinstance(address, dict):
        return
    street, number, box = split_address_line(_text(address.get("streetAddress")))
    out.put("street", street)
    out.put("house_number", number)
    out.put("box", box)
    postcode = _text(address.get("postalCode"))
    if postcode:
        out.put("postcode", postcode.strip())
    out.put("municipality", _text(address.get("addressLocality") or address.get("addressRegion")))


def _read_properties(out: SchemaListing, props: Any) -> None:
    for prop in props if isinstance(props, list) else [props]:
        if not isinstance(prop, dict):
            continue
        name = (_text(prop.get("name")) or "").lower()
        value = _text(prop.get("value"))
        if not name or value is None:
            continue
        if "slaapkamer" in name or "bedroom" in name:
            out.put("bedrooms", parse_int(value))
        elif "opp" in name or "surface" in name or "oppervlakte" in name:
            out.put("living_area_m2", parse_area(value))
        elif "epc" in name or "energie" in name:
            epc = parse_epc(value)
            out.put("epc_kwh_m2", epc.kwh_m2)
            out.put("epc_label", epc.label)
        elif "huisdier" in name or "pets" in name:
            out.put("pets_allowed", parse_bool(value))
        elif "lift" in name or "elevator" in name:
            out.put("elevator", parse_bool(value))
        elif "kosten" in name or "charges" in name:
            out.put("charges_eur", parse_amount(value))
        elif "beschikbaar" in name or "available" in name:
            available_from, available_now = availability_of(value)
            out.put("available_from", available_from)
            out.put("available_now", available_now)


def _read_offer(out: SchemaListing, offer: Mapping[str, Any]) -> None:
    function = str(_first(offer.get("businessFunction")) or "").lower()
    if any(mark in function for mark in _SALE_FUNCTIONS):
        out.is_sale = True
    price = _first(offer.get("price"))
    spec = _first(offer.get("priceSpecification"))
    if price is None and isinstance(spec, dict):
        price = spec.get("price")
    if price is not None and out.price_text is None:
        out.price_text = f"€ {price}" if to_float(price) is not None else str(price)
    start = _text(offer.get("availabilityStarts"))
    if start is not None:  # parse_date(None) is None: nothing to put
        out.put("available_from", parse_date(start))


def _read_residence(out: SchemaListing, obj: Mapping[str, Any], kind: str) -> None:
    out.put("property_subtype_raw", kind)
    out.put("property_type", property_type_of(kind))
    _read_address(out, obj.get("address"))
    geo = _first(obj.get("geo"))
    if isinstance(geo, dict):
        out.put("latitude", to_float(geo.get("latitude")))
        out.put("longitude", to_float(geo.get("longitude")))
        _read_address(out, geo.get("address"))
    # absent values are skipped: the parsers give None for None, which is never put
    bedrooms = _first(obj.get("numberOfBedrooms"))
    if bedrooms is not None:
        out.put(
            "bedrooms", to_int(bedrooms) if _is_number(bedrooms) else parse_int(_text(bedrooms))
        )
    floor_size = _first(obj.get("floorSize"))
    if isinstance(floor_size, dict):
        floor_size = floor_size.get("value")
    if floor_size is not None:
        out.put("living_area_m2", parse_area(_text(floor_size)))
    pets = _first(obj.get("petsAllowed"))
    if pets is not None:
        out.put("pets_allowed", parse_bool(pets if isinstance(pets, bool) else _text(pets)))
    properties = obj.get("additionalProperty")
    if properties is not None:
        _read_properties(out, properties)


def schema_listing(html: str, url: str, tree: Any = None) -> SchemaListing | None:
    """Collect the advert fields of the page's schema.org objects, or ``None`` if there are none.

    Objects of :data:`RESIDENCE_TYPES` and :data:`LISTING_TYPES` (also nested
    ones: ``about``, ``itemOffered``, ``offers``) contribute fields; the first
    object to give a field wins.

    >>> page = ('<script type="application/ld+json">{"@context": "https://schema.org",'
    ...         ' "@type": "RealEstateListing", "name": "Appartement te huur",'
    ...         ' "offers": {"@type": "Offer", "price": 750, "priceCurrency": "EUR"},'
    ...         ' "about": {"@type": "Apartment", "numberOfBedrooms": 2,'
    ...         ' "address": {"@type": "PostalAddress",'
    ...         ' "streetAddress": "Doorniksestraat 12 bus 3",'
    ...         ' "postalCode": "8500", "addressLocality": "Kortrijk"}}}</script>')
    >>> found = schema_listing(page, "https://x.be/a")
    >>> found.item["rent_eur"], found.item["bedrooms"], found.item["box"]
    (750.0, 2, '3')
    """
    objects = schema_objects(html, url, tree)
    out = SchemaListing()
    for obj in objects:
        kinds = _types(obj)
        wanted = kinds & _WANTED_TYPES
        if not wanted:
            continue
        out.types |= wanted
        item = out.item
        name = _text(obj.get("name"))
        # a known field keeps its value (first object wins): skip reading it again
        out.put("title", name)
        if "description" not in item:
            out.put("description", _text(obj.get("description")))
        if "source_id" not in item:
            out.put("source_id", _text(obj.get("identifier") or obj.get("sku") or obj.get("id")))
        link = _text(obj.get("url"))
        if link:
            out.put("url", join_url(url, link))
        pictures = obj.get("image") or obj.get("photo")
        if pictures:  # _images of an empty value is [], which is never put
            out.put("image_urls", _images(pictures, url))
        posted = None if "published_at" in item else _text(obj.get("datePosted"))
        if posted and _ISO_DAY.match(posted):
            out.put("published_at", posted)
        if "Offer" in kinds:
            _read_offer(out, obj)
        for kind in sorted(kinds & RESIDENCE_TYPES):
            _read_residence(out, obj, kind)
        lower_name = (name or "").lower()
        if "te koop" in lower_name or "for sale" in lower_name:
            out.is_sale = True
    if not out.types:
        return None
    if out.price_text is not None:
        price = parse_price(out.price_text)
        out.put("rent_eur", price.rent_eur)
        out.put("price_raw", out.price_text)
    return out
