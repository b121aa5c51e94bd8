"""Assemble the zimmo recordings (2026-11-20 and 2026-11-21).

Search pages follow ``zimmo/turbo-immo__search_gent_redacted.html`` (the
``app.start({ search: {...}, properties: [...] })`` wrapper, the same card keys,
the "1 - 21 van 25 resultaten" counter); detail pages carry the facts table of
sources.md §2.1 (``feature-label`` / ``feature-value``: Type, Slaapkamers,
Woonopp., Vrij op). The rental status value ``general.status.for_rent`` is
UNCONFIRMED (the real sample only shows ``general.status.for_sale``).
Awkward cases: two pages for Kortrijk, a sale card, a new-build project, a
garage, a price on request (``prijs "0"``), a missing EPC, the shared
Doorniksestraat flat as "Doorniksestr. 12/3", flats also on immoweb, and between
the two days one advert gone, one price change and one new advert.

Run: ``python -m scrapers.recordings._build.zimmo``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import yaml

from scrapers.extract._zimmo import BASE_URL, search_url
from scrapers.recordings._build.common import RECORDINGS, write_cassette
from scrapers.recordings._build.w13 import Flat, flats, robots_interaction

__all__ = ["build", "main"]

FOLLOWS = (
    "zimmo/turbo-immo__search_gent_redacted.html (search) and the facts table of "
    "sources.md §2.1 (detail; no real detail sample)"
)
PAGE_SIZE = 21
PRICE_ON_REQUEST = 27
MISSING_EPC = 24
GONE = 30
PRICE_CHANGE = 26
NEW = 56
_NOUN = {
    "apartment": ("Appartement", "appartement"),
    "studio": ("Studio", "studio"),
    "house": ("Huis", "huis"),
}


def _code(flat: Flat) -> str:
    return f"K{flat.key:02d}W{(flat.key * 7919) % 1000:03d}"


def _slug(flat: Flat) -> str:
    return flat.locality.lower().replace(" ", "-")


def _url(flat: Flat) -> str:
    return f"/nl/{_slug(flat)}-{flat.postcode}/te-huur/{_NOUN[flat.kind][1]}/{_code(flat)}/"


def _address(flat: Flat) -> str:
    street = flat.street
    if flat.key == 0:
        street = street.replace("straat", "str.")
    return f"{street} {flat.number}/{flat.box}" if flat.box else f"{street} {flat.number}"


def card(flat: Flat) -> dict[str, Any]:
    """Return the ``properties[]`` card of a rental flat (keys as in the real sample)."""
    code = _code(flat)
    images = [f"https://example.invalid/zimmo/{code}/{i}/list.jpg" for i in range(3)]
    kwh = None if flat.key == MISSING_EPC else flat.epc_kwh
    label = (flat.epc_label or "").lower() if kwh is not None else None
    # zimmo rounds some rents to the euro ten (the shared flats keep the exact rent)
    rent = "0" if flat.rent is None else str(flat.rent)
    return {
        "particulier_pand_id": None,
        "code": code,
        "uuid": f"00000000-0000-4000-8000-{flat.key:012d}",
        "type": _NOUN[flat.kind][0],
        "type_id": "1" if flat.kind != "house" else "5",
        "status": "general.status.for_rent",
        "status_id": "2",
        "hoofdFoto": images[0].replace("list", "main"),
        "b_woonopp": str(flat.area),
        "toegevoegd": str(int(flat.published.timestamp())),
        "slaapkamers": str(flat.bedrooms),
        "nieuwbouw": "0",
        "prijs": rent,
        "zprijs": None,
        "address": _address(flat),
        "gemeente": flat.locality,
        "postcode": flat.postcode,
        "lat": str(flat.latitude),
        "lon": str(flat.longitude),
        "parcel_id": None,
        "logo": None,
        "proj_id": "0",
        "advertiser": {
            "name": flat.agency,
            "phone": flat.phone,
            "mobile": None,
            "showEmail": 0,
            "officebox": False,
        },
        "favoriet": False,
        "archief": "0",
        "a_beschrijf": flat.description_nl,
        "fotoAmount": 3,
        "isPromoted": False,
        "subtype_naam": {"apartment": "Appartement", "studio": "Studio", "house": "Woning"}[
            flat.kind
        ],
        "sticker": "new" if flat.key >= NEW else "",
        "price_drop_date": "",
        "zimmo_kantoor_id": "0",
        "plus": "0",
        "energyWaarde": str(kwh) if kwh is not None else "",
        "energyLabel": label,
        "energyLabelCategory": label,
        "html": "",
        "propertyItemLogo": None,
        "province": "West-Vlaanderen",
        "isPublished": True,
        "url": _url(flat),
        "firstImages": images,
        "pand_url": _url(flat),
    }


def _specials() -> list[dict[str, Any]]:
    sale = {
        "code": "KSALE01",
        "type": "Appartement",
        "status": "general.status.for_sale",
        "status_id": "1",
        "prijs": "215000",
        "address": "Budastraat 7",
        "gemeente": "Kortrijk",
        "postcode": "8500",
        "proj_id": "0",
        "advertiser": {"name": "Immo Leiedal"},
        "url": "/nl/kortrijk-8500/te-koop/appartement/KSALE01/",
        "firstImages": [],
    }
    project = {
        "code": "KPROJ02",
        "type": "Appartement",
        "type_id": -1,
        "status": "general.status.for_rent",
        "status_id": 2,
        "prijs": "",
        "address": "Minister Tacklaan 51",
        "gemeente": "Kortrijk",
        "postcode": "8500",
        "proj_id": "2177099001",
        "propertyList": [
            {
                "proj_id": "2177099001",
                "aantal_wooneenheden": "12",
                "aantal_slaapkamers_csv": "1 - 2",
                "prijs_min": "690",
                "prijs_max": "880",
                "gebouwtype": "Appartement",
            }
        ],
        "advertiser": {"name": "Bouwgroep Leie"},
        "url": "/nl/kortrijk-8500/te-huur/appartement/KPROJ02/",
        "firstImages": [],
    }
    garage = {
        "code": "KGAR03",
        "type": "Garage",
        "status": "general.status.for_rent",
        "status_id": "2",
        "prijs": "70",
        "address": "Overleiestraat 3",
        "gemeente": "Kortrijk",
        "postcode": "8500",
        "proj_id": "0",
        "advertiser": {"name": "Particulier"},
        "url": "/nl/kortrijk-8500/te-huur/garage/KGAR03/",
        "firstImages": [],
    }
    return [sale, project, garage]


def search_page(
    place: str, postcode: str, cards: list[dict[str, Any]], page: int, total: int
) -> bytes:
    """Return one search page in the structure of the real sample."""
    first = (page - 1) * PAGE_SIZE + 1 if cards else 0
    last = (page - 1) * PAGE_SIZE + len(cards)
    search = {
        "paging": {"from": (page - 1) * PAGE_SIZE, "size": PAGE_SIZE},
        "sorting": [{"type": "RANKING_SCORE", "order": "DESC"}],
        "filter": {"status": {"in": ["TO_RENT"]}, "postalCode": {"in": [postcode]}},
    }
    name = place.replace("-", " ").title()
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="nl"><head><title>Immo te huur in {name} ({postcode}) | Zimmo</title>'
        "</head>\n<body>\n"
        '<div class="list-options-container"><div class="results">\n'
        f"<strong>{first} - {last}</strong> van {total} resultaten</div></div>\n"
        "<script>\n$(function () {\n"
        f"  app.start({{ search: {json.dumps(search)}, properties: "
        f'{json.dumps(cards, ensure_ascii=False)}, extra: {{"trailing": "content"}} }});\n'
        "});\n</script>\n</body></html>\n"
    ).encode()


def detail_page(flat: Flat) -> bytes:
    """Return a detail page with the facts table."""
    if flat.available_now:
        free = "onmiddellijk"
    elif flat.available_from:
        free = flat.available_from.strftime("%d/%m/%Y")
    else:
        free = "in overleg"
    facts = [
        ("Type", _NOUN[flat.kind][0]),
        ("Slaapkamers", str(flat.bedrooms)),
        ("Woonopp.", f"{flat.area} m²"),
        ("Vrij op", free),
    ]
    rows = "\n".join(
        f'  <li class="feature"><strong class="feature-label">{label}</strong>'
        f'<span class="feature-value">{value}</span></li>'
        for label, value in facts
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="nl"><head><title>{flat.title_nl} | Zimmo</title></head>\n<body>\n'
        f"<h1>{_address(flat)}, {flat.postcode} {flat.locality}</h1>\n"
        f'<ul class="features">\n{rows}\n</ul>\n</body></html>\n'
    ).encode()


def _day_flats(day: str) -> list[Flat]:
    pool = flats(60)
    chosen = [f for f in pool if f.key < 6 or 20 <= f.key < 56]
    chosen = [replace(f, rent=None) if f.key == PRICE_ON_REQUEST else f for f in chosen]
    if day != "2026-11-20":
        chosen = [f for f in chosen if f.key != GONE]
        chosen = [
            replace(f, rent=(f.rent or 0) - 20) if f.key == PRICE_CHANGE else f for f in chosen
        ]
        chosen.append(replace(pool[NEW], published=pool[55].published.replace(day=21)))
    return chosen


def build(day: str) -> list[dict[str, Any]]:
    """Return the interactions of one recording set."""
    config = yaml.safe_load((RECORDINGS.parent / "sources.yaml").read_text(encoding="utf-8"))
    places: dict[str, list[str]] = {str(k): v for k, v in config["zimmo"]["places"].items()}
    chosen = _day_flats(day)
    html = {"Content-Type": ["text/html; charset=UTF-8"]}
    interactions: list[dict[str, Any]] = [robots_interaction("www.zimmo.be")]
    details: list[dict[str, Any]] = []
    for postcode in sorted(places):
        for slug in sorted(places[postcode]):
            group = sorted(
                (f for f in chosen if f.postcode == postcode and _slug(f) == slug),
                key=lambda f: f.published,
                reverse=True,
            )
            cards = [card(f) for f in group]
            if slug == "kortrijk":
                for pos, special in enumerate(_specials()):
                    cards.insert(2 + 6 * pos, special)
            total = len(cards)
            pages = max(1, -(-total // PAGE_SIZE))
            for page in range(1, pages + 1):
                chunk = cards[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
                interactions.append(
                    {
                        "method": "GET",
                        "url": search_url(slug, postcode, page),
                        "status": 200,
                        "headers": html,
                        "body": search_page(slug, postcode, chunk, page, total),
                    }
                )
            for flat in group:
                details.append(
                    {
                        "method": "GET",
                        "url": BASE_URL + _url(flat),
                        "status": 200,
                        "headers": html,
                        "body": detail_page(flat),
                    }
                )
    return interactions + details


def main() -> None:
    """Write the two zimmo recording sets."""
    for day in ("2026-11-20", "2026-11-21"):
        print(write_cassette(RECORDINGS / day / "zimmo.yaml", build(day), FOLLOWS))


if __name__ == "__main__":
    main()
