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

from scrapers.extract._body import decode_json, to_float, to_int
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


def _mentions_itemscope(html: str, raw: str | bytes | None = None) -> bool:
    """Whether ``html.lower()`` contains ``itemscope``, without lower-casing the Unicode text.

    ``str.lower`` turns no non-ASCII character into one of these letters (only the
    Kelvin sign becomes a "k"), and UTF-8 bytes of non-ASCII characters are never
    ASCII, so the ASCII-only ``bytes.lower`` of the UTF-8 text gives the same answer.
    ``raw``, the body ``html`` was decoded from (UTF-8, undecodable bytes replaced),
    holds exactly the ASCII characters of ``html`` in the same order (decoding keeps
    every ASCII byte and replaces only non-ASCII ones), so it answers too, without
    encoding the text again.

    >>> _mentions_itemscope("<div ItemScope>€</div>"), _mentions_itemscope("<div>€</div>")
    (True, False)
    >>> _mentions_itemscope("<div>€</div>", "<div ItemScope>€</div>".encode())
    True
    """
    if isinstance(raw, bytes):
        return b"itemscope" in raw.lower()
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
            data = decode_json(text, _LAX_JSON)
        except ValueError:
            # leading HTML or JavaScript comments, as extruct handles them
            data = jstyleson.loads(HTML_OR_JS_COMMENTLINE.sub("", text), strict=False)
        if isinstance(data, dict):  # the usual block: one object
            if data:
                found.append(data)
        elif isinstance(data, list):
            found.extend([item for item in data if item])
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


def _collect_json(value: Any, out: list[dict[str, Any]]) -> None:
    # _collect_typed of decoded JSON, whose only containers are plain dicts and lists
    # (so ``type(x) is dict`` is ``isinstance(x, dict)``); one call per container, as there
    if type(value) is dict:
        if value.get("@type"):
            out.append(value)
        children: Any = value.values()
    else:
        children = value
    for child in children:
        kind = type(child)
        if kind is dict or kind is list:
            _collect_json(child, out)


def schema_objects(
    html: str, url: str, tree: Any = None, raw: str | bytes | None = None
) -> list[dict[str, Any]]:
    """Every typed schema.org object in the page's JSON-LD and microdata, nested ones included.

    Broken JSON-LD blocks are skipped rather than failing the page. ``tree`` is
    the page already parsed with lxml (root element), to skip a second parse;
    ``raw`` is the body ``html`` was decoded from (UTF-8), if at hand.

    >>> page = ('<script type="application/ld+json">{"@context": "https://schema.org",'
    ...         ' "@type": "Apartment", "numberOfBedrooms": 2}</script>')
    >>> [o["@type"] for o in schema_objects(page, "https://x.be/a")]
    ['Apartment']
    """
    if (
        tree is not None
        and _FULL_HTML.match(html)
        # without the text "itemscope" (any ASCII case) there is no such attribute
        and (not _mentions_itemscope(html, raw) or not _HAS_ITEMSCOPE(tree))
    ):
        # No microdata on a whole document: the JSON-LD blocks are all there is.
        try:
            found: list[dict[str, Any]] = []
            _collect_json(_jsonld_items(tree), found)
            return found
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


def _read_object(out: SchemaListing, obj: Mapping[str, Any], kinds: set[str], url: str) -> None:
    # The general reader of one typed object (any @type shape, any value types).
    out.types |= kinds & _WANTED_TYPES
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


def _finish(out: SchemaListing) -> SchemaListing | None:
    if not out.types:
        return None
    if out.price_text is not None:
        price = parse_price(out.price_text)
        out.put("rent_eur", price.rent_eur)
        out.put("price_raw", out.price_text)
    return out


# -- fast path ----------------------------------------------------------------------
#
# The readers below are the general ones above with the usual value types inlined,
# so that a page costs few Python calls:
#
# * an absent key (``None``) is skipped: ``_text(None)``, ``_first(None)`` and the
#   parsers of ``None`` give ``None``, which ``put`` never sets;
# * ``_text`` of a ``str`` is ``" ".join(value.split()) or None`` (``str(value)`` of a
#   str is the value itself); of an ``int`` or ``float`` it is ``str(value)``, which
#   holds no whitespace and is never empty;
# * ``put`` of a ``str``-or-``None`` value is "set when truthy and new"; of a number,
#   bool or date (never ``""`` or ``[]``) it is "set when not ``None`` and new".
#
# Every other value type goes through the general helpers, so the answers are the
# same for any input. The statements keep the order of the general code, also where
# a value is computed only to be dropped (``join_url`` can raise on a malformed URL).


def _read_address_fast(item: dict[str, Any], address: Any) -> None:
    # _read_address, inlined
    if isinstance(address, list):
        address = address[0] if address else None
    if isinstance(address, str):
        street = split_address_line(address)[0]
        if street and "street" not in item:
            item["street"] = street
        return
    if not isinstance(address, dict):
        return
    value = address.get("streetAddress")
    if value is not None:
        line = (" ".join(value.split()) or None) if type(value) is str else _text(value)
        street, number, box = split_address_line(line)
        if street and "street" not in item:
            item["street"] = street
        if number and "house_number" not in item:
            item["house_number"] = number
        if box and "box" not in item:
            item["box"] = box
    value = address.get("postalCode")
    if value is not None:
        postcode = (" ".join(value.split()) or None) if type(value) is str else _text(value)
        if postcode:
            postcode = postcode.strip()
            if postcode and "postcode" not in item:
                item["postcode"] = postcode
    value = address.get("addressLocality") or address.get("addressRegion")
    if value is not None:
        town = (" ".join(value.split()) or None) if type(value) is str else _text(value)
        if town and "municipality" not in item:
            item["municipality"] = town


def _read_properties_fast(out: SchemaListing, props: Any) -> None:
    # _read_properties, with the texts and the two usual fields inlined
    item = out.item
    for prop in props if isinstance(props, list) else [props]:
        if not isinstance(prop, dict):
            continue
        value = prop.get("name")
        if value is None:
            continue
        name = (" ".join(value.split()) or None) if type(value) is str else _text(value)
        if not name:
            continue
        value = prop.get("value")
        if value is None:
            continue
        text = (" ".join(value.split()) or None) if type(value) is str else _text(value)
        if text is None:
            continue
        name = name.lower()
        if "slaapkamer" in name or "bedroom" in name:
            bedrooms = parse_int(text)
            if bedrooms is not None and "bedrooms" not in item:
                item["bedrooms"] = bedrooms
        elif "opp" in name or "surface" in name or "oppervlakte" in name:
            area = parse_area(text)
            if area is not None and "living_area_m2" not in item:
                item["living_area_m2"] = area
        elif "epc" in name or "energie" in name:
            epc = parse_epc(text)
            out.put("epc_kwh_m2", epc.kwh_m2)
            out.put("epc_label", epc.label)
        elif "huisdier" in name or "pets" in name:
            out.put("pets_allowed", parse_bool(text))
        elif "lift" in name or "elevator" in name:
            out.put("elevator", parse_bool(text))
        elif "kosten" in name or "charges" in name:
            out.put("charges_eur", parse_amount(text))
        elif "beschikbaar" in name or "available" in name:
            available_from, available_now = availability_of(text)
            out.put("available_from", available_from)
            out.put("available_now", available_now)


def _read_residence_fast(out: SchemaListing, obj: dict[str, Any], kind: str) -> None:
    # _read_residence, inlined; ``kind`` is a type name of RESIDENCE_TYPES (not empty)
    item = out.item
    if "property_subtype_raw" not in item:
        item["property_subtype_raw"] = kind
    property_type = property_type_of(kind)
    if property_type and "property_type" not in item:
        item["property_type"] = property_type
    address = obj.get("address")
    if address is not None:
        _read_address_fast(item, address)
    geo = obj.get("geo")
    if isinstance(geo, list):
        geo = geo[0] if geo else None
    if isinstance(geo, dict):
        # to_float of a float is the float itself
        value = geo.get("latitude")
        latitude = value if type(value) is float else to_float(value)
        if latitude is not None and "latitude" not in item:
            item["latitude"] = latitude
        value = geo.get("longitude")
        longitude = value if type(value) is float else to_float(value)
        if longitude is not None and "longitude" not in item:
            item["longitude"] = longitude
        address = geo.get("address")
        if address is not None:
            _read_address_fast(item, address)
    value = obj.get("numberOfBedrooms")
    if isinstance(value, list):
        value = value[0] if value else None
    if value is not None:
        if type(value) is int:  # to_int of an int (through float, as there)
            bedrooms: int | None = int(float(value))
        else:
            bedrooms = to_int(value) if _is_number(value) else parse_int(_text(value))
        if bedrooms is not None and "bedrooms" not in item:
            item["bedrooms"] = bedrooms
    value = obj.get("floorSize")
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("value")
    if value is not None:
        kind_of = type(value)
        area = parse_area(str(value) if kind_of is int or kind_of is float else _text(value))
        if area is not None and "living_area_m2" not in item:
            item["living_area_m2"] = area
    value = obj.get("petsAllowed")
    if value is not None:
        value = _first(value)
        if value is not None:
            out.put("pets_allowed", parse_bool(value if isinstance(value, bool) else _text(value)))
    properties = obj.get("additionalProperty")
    if properties is not None:
        _read_properties_fast(out, properties)


def _read_offer_fast(out: SchemaListing, offer: dict[str, Any]) -> None:
    # _read_offer, inlined
    value = offer.get("businessFunction")
    if value is not None:  # str(_first(None) or "") is "": no sale mark
        function = (value if type(value) is str else str(_first(value) or "")).lower()
        for mark in _SALE_FUNCTIONS:
            if mark in function:
                out.is_sale = True
                break
    price = offer.get("price")
    if isinstance(price, list):
        price = price[0] if price else None
    if price is None:
        spec = _first(offer.get("priceSpecification"))
        if isinstance(spec, dict):
            price = spec.get("price")
    if price is not None and out.price_text is None:
        out.price_text = f"€ {price}" if to_float(price) is not None else str(price)
    value = offer.get("availabilityStarts")
    if value is not None:
        start = (" ".join(value.split()) or None) if type(value) is str else _text(value)
        if start is not None:
            available_from = parse_date(start)
            if available_from is not None and "available_from" not in out.item:
                out.item["available_from"] = available_from


def _read_typed(out: SchemaListing, obj: dict[str, Any], kind: str, url: str) -> None:
    # _read_object of an object whose @type is the one wanted type name ``kind``, inlined
    out.types.add(kind)
    item = out.item
    name = obj.get("name")
    if name is not None:
        name = (" ".join(name.split()) or None) if type(name) is str else _text(name)
        if name and "title" not in item:
            item["title"] = name
    if "description" not in item:
        value = obj.get("description")
        if value is not None:
            text = (" ".join(value.split()) or None) if type(value) is str else _text(value)
            if text:
                item["description"] = text
    if "source_id" not in item:
        value = obj.get("identifier") or obj.get("sku") or obj.get("id")
        if value is not None:
            text = (" ".join(value.split()) or None) if type(value) is str else _text(value)
            if text:
                item["source_id"] = text
    value = obj.get("url")
    if value is not None:
        link = (" ".join(value.split()) or None) if type(value) is str else _text(value)
        if link:
            link = join_url(url, link)
            if link and "url" not in item:
                item["url"] = link
    pictures = obj.get("image") or obj.get("photo")
    if pictures:
        images = _images(pictures, url)
        if images and "image_urls" not in item:
            item["image_urls"] = images
    if "published_at" not in item:
        value = obj.get("datePosted")
        if value is not None:
            posted = (" ".join(value.split()) or None) if type(value) is str else _text(value)
            if posted and _ISO_DAY.match(posted):
                item["published_at"] = posted
    if kind == "Offer":
        _read_offer_fast(out, obj)
    elif kind in RESIDENCE_TYPES:
        _read_residence_fast(out, obj, kind)
    if name:
        lower_name = name.lower()
        if "te koop" in lower_name or "for sale" in lower_name:
            out.is_sale = True


def _fast_listing(objects: list[dict[str, Any]], url: str) -> SchemaListing | None:
    # every object with a wanted type is read by _read_object (the general reader);
    # the usual one-name @type goes to its inlined copy, without building type sets
    out = SchemaListing()
    for obj in objects:
        raw = obj.get("@type")
        if type(raw) is str and "/" not in raw:  # _types(obj) is {raw} (or empty)
            if raw in _WANTED_TYPES:
                _read_typed(out, obj, raw, url)
            continue
        kinds = _types(obj)
        if kinds & _WANTED_TYPES:
            _read_object(out, obj, kinds, url)
    return _finish(out)


def schema_listing(
    html: str, url: str, tree: Any = None, raw: str | bytes | None = None
) -> SchemaListing | None:
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
    return _fast_listing(schema_objects(html, url, tree, raw), url)
