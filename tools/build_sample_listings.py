"""Build ``immolijst/data/sample_listings.jsonl`` from real, published Immoweb rental data.

Input: ``../shared/samples/immoweb/scrapfly__parsed_rent_search_cards.json`` (90 parsed
for-rent search cards) and ``scrapfly__parsed_rentals_property.json`` (2 parsed rental
detail pages), both from scrapfly/scrapfly-scrapers at commit
cc84708e3ab2ea9bf82ae9ea255eee864026b974 (NPOSL-3.0). The output is the bundled sample
that ``immolijst demo --sample`` and the import tests use: one JSON object per line with
the ``Listing`` field names. Values are taken as published; nothing is invented. Rows the
``Listing`` model rejects (a 10,800 EUR mansion, a commercial building) stay in the file on
purpose: the import reports them with line, field and reason.

Run: ``python tools/build_sample_listings.py [SAMPLES_DIR]``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "immolijst" / "data" / "sample_listings.jsonl"
SCRAPED_AT = "2026-05-18T00:00:00+00:00"  # the commit date of the sample

_TYPE_BY_SLUG = {
    "apartment": "apartment",
    "flat-studio": "studio",
    "ground-floor": "apartment",
    "penthouse": "apartment",
    "duplex": "apartment",
    "triplex": "apartment",
    "loft": "apartment",
    "service-flat": "apartment",
    "kot": "room",
    "house": "house",
    "villa": "house",
    "mansion": "house",
    "town-house": "house",
    "country-cottage": "house",
    "bungalow": "house",
    "farmhouse": "house",
    "exceptional-property": "house",
    "chalet": "house",
    "mixed-use-building": "other",
    "apartment-block": "other",
    "other-property": "other",
}


def _number(text: str | int | float | None) -> float | None:
    if text in (None, ""):
        return None
    digits = re.sub(r"[^\d.]", "", str(text))
    return float(digits) if digits else None


def _card(card: dict) -> dict:
    slug = card["url"].split("/classified/")[1].split("/")[0]
    rent = _number(card["price_min"])
    return {
        "source": "immoweb",
        "source_id": str(card["id"]),
        "url": card["url"],
        "title": card["description"] or None,
        "property_type": _TYPE_BY_SLUG.get(slug, "other"),
        "property_subtype_raw": slug.upper().replace("-", "_"),
        "rent_eur": rent,
        "price_raw": f"{card['currency']}{card['price_min']}" if card["price_min"] else None,
        "bedrooms": int(card["bedrooms"]) if card["bedrooms"] else None,
        "living_area_m2": _number(card["area"]),
        "postcode": card["postal_code"],
        "locality": card["city"].title() if card["city"] else None,
        "agency_name": card["agency_name"] or None,
        "image_urls": card["images"],
        "scraped_at": SCRAPED_AT,
    }


def _detail(item: dict) -> dict:
    return {
        "source": "immoweb",
        "source_id": str(item["id"]),
        "url": item["link"],
        "property_type": "house" if item["type"] == "HOUSE" else "apartment",
        "property_subtype_raw": item["subtype"],
        "rent_eur": item["monthly_rental_price"],
        "charges_eur": item["monthly_rental_costs"],
        "price_raw": item["price_display"],
        "bedrooms": item["bedrooms"],
        "living_area_m2": item["net_habitable_surface"],
        # scrapfly's "epc_score" holds the label letter (C, E); no kWh/m² figure is published
        "epc_label": item.get("epc_score") or None,
        "street": item["street"],
        "house_number": item["number"],
        "postcode": item["postal_code"],
        "locality": item["locality"],
        "latitude": item["latitude"],
        "longitude": item["longitude"],
        "furnished": item["is_furnished"],
        "elevator": item["has_lift"],
        "terrace": item["has_terrace"],
        "garden": item["has_garden"],
        "parking": bool(item["has_parking"]) if item["has_parking"] is not None else None,
        "agency_name": item["agency_name"],
        "contact_phone": item.get("agency_phone"),
        "contact_email": item.get("agency_email"),
        "image_urls": item["images"],
        "published_at": item.get("creation_date"),
        "scraped_at": SCRAPED_AT,
    }


def main(samples: Path) -> None:
    """Write the JSON Lines file from the two sample files under ``samples``."""
    cards = json.loads((samples / "scrapfly__parsed_rent_search_cards.json").read_text())
    details = json.loads((samples / "scrapfly__parsed_rentals_property.json").read_text())
    rows = [_detail(d) for d in details] + [_card(c) for c in cards["search_properties"]]
    seen: set[str] = set()
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            if row["source_id"] in seen:
                continue
            seen.add(row["source_id"])
            present = {k: v for k, v in row.items() if v is not None}
            fh.write(json.dumps(present, ensure_ascii=False))
            fh.write("\n")
    print(f"wrote {len(seen)} rows to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "samples" / "immoweb")
