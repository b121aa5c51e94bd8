"""Assemble the immoweb recordings (2026-11-20, 2026-11-21, 2026-11-22-blocked).

Search bodies follow ``immoweb/turbo-immo__search-results_gent_redacted.json`` and
``immoweb/immoweb-keeper__search_result_item_8603759.json``; detail pages embed a
``window.classified`` shaped like ``immoweb/immoweb-keeper__classified_sale_8726807.json``
with the rental block of sources.md §1.3. Awkward cases: two search pages, a sale
advert and a price-less project cluster among the results, a garage, a price on
request, charges only in the price text, a missing EPC, a broken detail page, a
yearly rent (invalid), the shared Doorniksestraat flat, and between the two days
one advert gone, one price change and one new advert. The blocked set answers
the first apartment search page with a DataDome 403.

Run: ``python -m scrapers.recordings._build.immoweb``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from listings import _places
from scrapers.extract._immoweb import PAGE_SIZE, detail_url, search_url
from scrapers.recordings._build.common import RECORDINGS, write_cassette
from scrapers.recordings._build.w13 import Flat, flats, robots_interaction

__all__ = ["build", "main"]

W13 = sorted(_places.W13_POSTCODES)
FOLLOWS = (
    "immoweb/turbo-immo__search-results_gent_redacted.json, "
    "immoweb/immoweb-keeper__search_result_item_8603759.json (search) and "
    "immoweb/immoweb-keeper__classified_sale_8726807.json + sources.md §1.3 rental block (detail)"
)
ID_BASE = 21_500_000
PRICE_ON_REQUEST = 9
CHARGES_IN_TEXT = 4
MISSING_EPC = 2
BROKEN_DETAIL = 11
GONE = 3
PRICE_CHANGE = 1
NEW = 40


def _id(flat: Flat) -> int:
    return ID_BASE + flat.key


def _types(flat: Flat) -> tuple[str, str]:
    return {
        "apartment": ("APARTMENT", "APARTMENT"),
        "studio": ("APARTMENT", "FLAT_STUDIO"),
        "house": ("HOUSE", "HOUSE"),
    }[flat.kind]


def _location(flat: Flat, *, search: bool) -> dict[str, Any]:
    street = f"{flat.street} {flat.number}" if search else flat.street
    return {
        "country": "Belgium",
        "region": "Flanders",
        "province": "West Flanders",
        "district": "Kortrijk",
        "locality": flat.locality,
        "postalCode": flat.postcode,
        "street": street,
        "number": flat.number,
        "box": flat.box,
        "propertyName": None,
        "floor": flat.floor,
        "latitude": flat.latitude,
        "longitude": flat.longitude,
        "distance": None,
        "approximated": None,
        "regionCode": "FLANDERS",
        "type": None,
        "hasSeaView": None,
        "pointsOfInterest": None,
        "placeName": None,
    }


def _price(flat: Flat) -> dict[str, Any]:
    rent, charges = flat.rent, flat.charges
    if flat.key == CHARGES_IN_TEXT:
        charges = charges or 50
    if rent is None:
        display = None
    elif charges:
        display = f"€{rent:,} (+ €{charges:,})"
    else:
        display = f"€{rent:,}"
    return {
        "type": "residential_monthly_rent",
        "mainValue": rent,
        "alternativeValue": None,
        "additionalValue": charges,
        "oldValue": None,
        "minRangeValue": None,
        "maxRangeValue": None,
        "mainDisplayPrice": display,
        "HTMLDisplayPrice": f'<span aria-hidden="true">{display}</span>' if display else None,
        "alternativeDisplayPrice": "",
        "oldDisplayPrice": None,
        "shortDisplayPrice": display,
        "accessibilityPrice": (
            f"{rent}€ + {charges}€ per month" if rent and charges else f"{rent}€" if rent else None
        ),
        "label": "Price",
        "date": None,
        "language": "en",
        "hidePrice": rent is None,
    }


def _rental(flat: Flat) -> dict[str, Any]:
    return {
        "monthlyRentalPrice": flat.rent,
        "monthlyRentalCosts": None if flat.key == CHARGES_IN_TEXT else flat.charges,
        "yearlyRentalPrice": None,
        "yearlyRentalPricePerSqm": None,
        "isFurnished": flat.furnished,
        "areSmallPetsAllowed": flat.pets,
        "areBigPetsAllowed": None,
    }


def _pictures(flat: Flat, count: int = 3) -> list[dict[str, Any]]:
    base = f"https://example.invalid/immoweb/{_id(flat)}"
    return [
        {
            "smallUrl": f"{base}/{i}/100x100.jpg",
            "mediumUrl": f"{base}/{i}/300x300.jpg",
            "largeUrl": f"{base}/{i}/736x736.jpg",
            "extralargeUrl": None,
            "isVertical": False,
        }
        for i in range(1, count + 1)
    ]


def _cluster() -> dict[str, Any]:
    return {
        "minPrice": None,
        "maxPrice": None,
        "minRoom": None,
        "maxRoom": None,
        "minSurface": None,
        "maxSurface": None,
        "projectInfo": None,
        "bedroomRange": "",
        "surfaceRange": "",
    }


def search_result(flat: Flat) -> dict[str, Any]:
    """Return the search ``results[]`` entry of a rental flat."""
    ptype, subtype = _types(flat)
    return {
        "id": _id(flat),
        "cluster": _cluster(),
        "customerLogoUrl": None,
        "customerName": flat.agency,
        "flags": {"main": "new" if flat.key >= NEW else None, "secondary": [], "percentSold": None},
        "media": {
            "pictures": _pictures(flat),
            "externalVideoUrl": None,
            "externalVideoThumbnailUrl": None,
        },
        "property": {
            "type": ptype,
            "subtype": subtype,
            "title": flat.title_nl,
            "bedroomCount": flat.bedrooms,
            "location": _location(flat, search=True),
            "netHabitableSurface": flat.area,
            "landSurface": None,
            "roomCount": None,
        },
        "publication": {
            "publisherId": None,
            "visualisationOption": "NORMAL",
            "detailedPageVisibility": "CLASSIC",
            "size": "normal",
            "creationDate": flat.published.strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
            "lastModificationDate": flat.published.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        },
        "transaction": {
            "certificateLogoUrl": None,
            "certificate": None,
            "hidePrice": None,
            "type": "FOR_RENT",
            "rental": _rental(flat),
            "sale": None,
        },
        "priceType": None,
        "price": _price(flat),
        "isBookmarked": False,
        "has360Tour": None,
        "hasVirtualTour": None,
        "hasVideo": None,
        "advertisementId": f"AD{_id(flat)}",
    }


def classified(flat: Flat) -> dict[str, Any]:
    """Return the ``window.classified`` object of a rental flat."""
    ptype, subtype = _types(flat)
    kwh = None if flat.key == MISSING_EPC else flat.epc_kwh
    return {
        "id": _id(flat),
        "cluster": None,
        "customers": [
            {
                "id": 90000 + len(flat.agency),
                "type": "AGENCY" if flat.phone else "PRIVATE",
                "email": flat.email,
                "logoUrl": None,
                "phoneNumber": flat.phone,
                "mobileNumber": None,
                "name": flat.agency,
                "website": None,
                "location": None,
                "ipiNo": None,
                "isOwner": False,
                "salesRepresentative": None,
            }
        ],
        "premiumProjectPage": {"medias": None, "options": None, "promoter": None, "tabs": None},
        "flags": {
            "isPublicSale": False,
            "isNewClassified": flat.key >= NEW,
            "isNewPrice": False,
            "isNewlyBuilt": False,
            "isSoldOrRented": False,
            "isNewRealEstateProject": False,
            "percentSold": None,
        },
        "media": {"pictures": _pictures(flat), "virtualTourUrl": None, "floorPlans": None},
        "property": {
            "type": ptype,
            "subtype": subtype,
            "title": flat.title_nl,
            "description": flat.description_nl,
            "name": None,
            "isHolidayProperty": None,
            "bedroomCount": flat.bedrooms,
            "bathroomCount": 1,
            "location": _location(flat, search=False),
            "netHabitableSurface": flat.area,
            "roomCount": None,
            "hasBasement": None,
            "building": {
                "annexCount": None,
                "condition": "GOOD",
                "constructionYear": 1985,
                "facadeCount": 2,
                "floorCount": None,
                "streetFacadeWidth": None,
            },
            "hasDisabledAccess": None,
            "hasLift": flat.lift,
            "energy": {
                "heatingType": "GAS",
                "hasHeatPump": None,
                "hasPhotovoltaicPanels": None,
                "hasThermicPanels": None,
                "hasCollectiveWaterHeater": None,
                "hasDoubleGlazing": True,
            },
            "hasBalcony": None,
            "hasGarden": flat.garden,
            "gardenSurface": None,
            "parkingCountIndoor": 1 if flat.parking else None,
            "parkingCountOutdoor": None,
            "parkingCountClosedBox": None,
            "hasTerrace": flat.terrace,
            "terraceSurface": None,
            "alternativeDescriptions": None,
            "monthlyCosts": flat.charges,
        },
        "publication": {
            "creationDate": flat.published.strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
            "expirationDate": None,
            "publisherId": None,
            "visualisationOption": "NORMAL",
            "lastModificationDate": flat.published.strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
        },
        "transaction": {
            "type": "FOR_RENT",
            "subtype": "RENT_REGULAR",
            "availabilityPeriodType": "IMMEDIATELY" if flat.available_now else "TO_BE_DEFINED",
            "availabilityDate": flat.available_from.isoformat() if flat.available_from else None,
            "certificates": {
                "carbonEmission": None,
                "hasElectricalInstallationComplianceCertificate": None,
                "primaryEnergyConsumptionPerSqm": kwh,
                "primaryEnergyConsumptionYearly": kwh * flat.area if kwh else None,
                "epcDescription": None,
                "epcReference": f"2024{_id(flat)}" if kwh else None,
                "epcScore": flat.epc_label if kwh else None,
            },
            "rental": _rental(flat),
            "sale": None,
        },
        "priceType": None,
        "price": _price(flat),
        "externalReference": f"W13-{flat.key:03d}",
        "isBookmarked": False,
        "statistics": {"viewCount": 40 + flat.key, "bookmarkCount": 2},
    }


def detail_page(flat: Flat) -> bytes:
    """Return the detail page HTML of a flat (window.classified + an escaped copy)."""
    blob = json.dumps(classified(flat), ensure_ascii=False)
    if flat.key == BROKEN_DETAIL:
        return (
            b'<!DOCTYPE html><html lang="en"><head><title>Immoweb</title></head><body>'
            b"<main><p>This classified is temporarily unavailable.</p></main>"
            b"<script>window.dataLayer = [];</script></body></html>"
        )
    escaped = blob.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><title>{flat.title_nl} - Immoweb</title>'
        "</head>\n<body>\n"
        f'<iw-classified-item-bookmark :classified="{escaped}"></iw-classified-item-bookmark>\n'
        '<script type="text/javascript">\n'
        '    window.translations = {"available_date": "Available date", "x": "}"};\n'
        f"    window.classified = {blob};\n"
        "</script>\n</body></html>\n"
    ).encode()


def _special_results() -> dict[str, list[dict[str, Any]]]:
    sale = {
        "id": 21_599_001,
        "cluster": _cluster(),
        "customerLogoUrl": None,
        "customerName": "Immo Leiedal",
        "flags": {"main": None, "secondary": [], "percentSold": None},
        "media": {"pictures": []},
        "property": {
            "type": "APARTMENT",
            "subtype": "APARTMENT",
            "title": "Appartement te koop",
            "bedroomCount": 2,
            "location": {
                "country": "Belgium",
                "locality": "Kortrijk",
                "postalCode": "8500",
                "street": "Budastraat 7",
                "number": "7",
                "box": None,
            },
            "netHabitableSurface": 88,
            "landSurface": None,
            "roomCount": None,
        },
        "transaction": {
            "certificateLogoUrl": None,
            "certificate": None,
            "type": "FOR_SALE",
            "rental": None,
            "sale": {"price": 215000, "oldPrice": None},
        },
        "priceType": None,
        "price": {"type": "residential_sale", "mainValue": 215000, "mainDisplayPrice": "€215,000"},
    }
    project = {
        "id": 21_599_002,
        "cluster": {
            "minPrice": 640,
            "maxPrice": 890,
            "minRoom": 1,
            "maxRoom": 3,
            "minSurface": 55,
            "maxSurface": 110,
            "projectInfo": {"constructor": "Bouwgroep Leie", "groupId": 77},
            "bedroomRange": "1 - 3",
            "surfaceRange": "55 - 110",
        },
        "customerName": "Bouwgroep Leie",
        "flags": {"main": "new_real_estate_project"},
        "media": {"pictures": []},
        "property": {
            "type": "APARTMENT",
            "subtype": "APARTMENT",
            "title": "Project Leieboord",
            "bedroomCount": None,
            "location": {"locality": "Harelbeke", "postalCode": "8530"},
        },
        "transaction": {"type": "FOR_RENT", "rental": None, "sale": None},
        "price": {"type": "residential_monthly_rent", "mainValue": None, "mainDisplayPrice": None},
    }
    garage = {
        "id": 21_599_003,
        "cluster": _cluster(),
        "customerName": "Particulier",
        "flags": {"main": None},
        "media": {"pictures": []},
        "property": {
            "type": "GARAGE",
            "subtype": "CLOSED_BOX",
            "title": "Garagebox",
            "bedroomCount": None,
            "location": {
                "locality": "Menen",
                "postalCode": "8930",
                "street": "Rijselstraat 40",
                "number": "40",
            },
        },
        "transaction": {"type": "FOR_RENT", "rental": {"monthlyRentalPrice": 75}},
        "price": {"type": "residential_monthly_rent", "mainValue": 75, "mainDisplayPrice": "€75"},
    }
    return {"apartment": [sale, project], "house": [garage]}


def _yearly_rent_house(pool: list[Flat]) -> Flat:
    flat = next(f for f in pool if f.kind == "house" and f.key > 45)
    return replace(flat, key=59, rent=11400, charges=None)


def _day_flats(day: str) -> list[Flat]:
    pool = flats(60)
    chosen = [f for f in pool if f.key < 38]
    chosen = [replace(f, rent=None) if f.key == PRICE_ON_REQUEST else f for f in chosen]
    if day != "2026-11-20":
        chosen = [f for f in chosen if f.key != GONE]
        chosen = [replace(f, rent=695) if f.key == PRICE_CHANGE else f for f in chosen]
        chosen.append(replace(pool[NEW], published=pool[37].published.replace(day=21)))
    chosen.append(_yearly_rent_house(pool))
    return chosen


def _search_pages(kind: str, results: list[dict[str, Any]]) -> list[tuple[str, bytes]]:
    pages = []
    total = len(results)
    count = max(1, -(-total // PAGE_SIZE))
    for page in range(1, count + 1):
        chunk = results[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        body = {
            "criteria": {
                "countries": "BE",
                "postalCodes": [{"queryValue": pc, "queryParam": "postalCodes"} for pc in W13],
                "propertyTypes": kind.upper(),
                "transactionTypes": "FOR_RENT",
                "page": str(page),
                "orderBy": "newest",
            },
            "sort": "newest",
            "results": chunk,
            "resultsStorage": len(chunk),
            "range": f"{(page - 1) * PAGE_SIZE}-{(page - 1) * PAGE_SIZE + len(chunk) - 1}",
            "marketingCount": total,
            "count": total,
            "geoPointCount": total,
            "labellizedSearch": f"{kind.title()} for rent - {total} properties",
            "totalItems": total,
            "currentPage": page,
            "hasPremiumPosition": False,
        }
        pages.append(
            (search_url(kind, W13, page), json.dumps(body, ensure_ascii=False, indent=1).encode())
        )
    return pages


def build(day: str, *, blocked: bool = False) -> list[dict[str, Any]]:
    """Return the interactions of one recording set."""
    chosen = _day_flats(day)
    specials = _special_results()
    interactions: list[dict[str, Any]] = [robots_interaction("www.immoweb.be")]
    details: list[dict[str, Any]] = []
    for kind in ("apartment", "house"):
        group = [f for f in chosen if (f.kind == "house") == (kind == "house")]
        group.sort(key=lambda f: f.published, reverse=True)
        results = [search_result(f) for f in group]
        for pos, special in enumerate(specials[kind]):
            results.insert(3 + 7 * pos, special)
        for number, (url, body) in enumerate(_search_pages(kind, results), start=1):
            if blocked and kind == "apartment" and number == 1:
                interactions.append(
                    {
                        "method": "GET",
                        "url": url,
                        "status": 403,
                        "message": "Forbidden",
                        "headers": {
                            "Content-Type": ["text/html;charset=utf-8"],
                            "X-DataDome": ["protected"],
                            "Server": ["DataDome"],
                        },
                        "body": (
                            b"<html><head><title>immoweb.be</title></head><body>"
                            b"<p>Please enable JS and disable any ad blocker</p>"
                            b'<script src="https://ct.captcha-delivery.com/c.js"></script>'
                            b"</body></html>"
                        ),
                    }
                )
                break
            interactions.append(
                {
                    "method": "GET",
                    "url": url,
                    "status": 200,
                    "headers": {"Content-Type": ["application/json; charset=utf-8"]},
                    "request_headers": {"Accept": ["application/json"]},
                    "body": body,
                }
            )
            page_ids = [r["id"] for r in json.loads(body)["results"]]
            for flat in group:
                if _id(flat) in page_ids:
                    details.append(
                        {
                            "method": "GET",
                            "url": detail_url(_id(flat)),
                            "status": 200,
                            "headers": {"Content-Type": ["text/html; charset=utf-8"]},
                            "body": detail_page(flat),
                        }
                    )
    return interactions + details


def main() -> None:
    """Write the three immoweb recording sets."""
    for day, blocked in (
        ("2026-11-20", False),
        ("2026-11-21", False),
        ("2026-11-22-blocked", True),
    ):
        notes = (
            "Blocked set: the first apartment search page is a DataDome 403 challenge."
            if blocked
            else ""
        )
        path = write_cassette(
            RECORDINGS / day / "immoweb.yaml",
            build("2026-11-21" if blocked else day, blocked=blocked),
            FOLLOWS,
            notes,
        )
        print(path)


if __name__ == "__main__":
    main()
