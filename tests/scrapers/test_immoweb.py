"""Immoweb extractor on the real samples and on assembled pages."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from scrapers.extract import extract
from scrapers.extract._immoweb import detail_url, search_url

FIXTURES = Path(__file__).parent / "fixtures" / "immoweb"
SEARCH_URL = search_url("house", ["9000"])
DETAIL_URL = detail_url(21036106)
# Rental block quoted in sources.md §1.3 (Immoweb rental classified 21036106, 2025).
RENTAL = {
    "monthlyRentalPrice": 1700,
    "monthlyRentalCosts": 125,
    "yearlyRentalPrice": None,
    "yearlyRentalPricePerSqm": None,
    "isFurnished": True,
    "areSmallPetsAllowed": None,
    "areBigPetsAllowed": None,
}
RENT_PRICE = {
    "type": "residential_monthly_rent",
    "mainValue": 1700,
    "additionalValue": 125,
    "mainDisplayPrice": "€1,700 (+ €125)",
    "accessibilityPrice": "1700€ + 125€ per month",
}


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def page(classified: dict[str, Any]) -> str:
    blob = json.dumps(classified)
    return (
        "<html><body><script>window.translations = {'available_date': 'x}'};</script>"
        f"<script type='text/javascript'>\n  window.classified = {blob};\n</script></body></html>"
    )


# -- real samples as published (sales) -------------------------------------------------


def test_real_search_page_sales_become_problems_with_total_and_next_page() -> None:
    body = (FIXTURES / "turbo-immo__search-results_gent_redacted.json").read_bytes()
    ext = extract("immoweb", SEARCH_URL, body)
    assert ext.items == []
    assert [p.code for p in ext.problems] == ["sale"] * 4
    assert ext.problems[0].source_id == "10000001"
    assert ext.total == 376
    assert ext.next_page == search_url("house", ["9000"], 2)


def test_real_sale_classified_is_a_sale_problem_not_a_listing() -> None:
    body = (FIXTURES / "immoweb-keeper__classified_sale_8726807.json").read_text()
    ext = extract("immoweb", detail_url(8726807), page(json.loads(body)))
    assert ext.items == []
    assert len(ext.problems) == 1
    problem = ext.problems[0]
    assert (problem.code, problem.field, problem.value) == ("sale", "transaction.type", "FOR_SALE")
    assert "FOR_SALE" in problem.message


def test_real_sale_classified_as_bare_json_is_read_too() -> None:
    body = (FIXTURES / "immoweb-keeper__classified_sale_8726807.json").read_bytes()
    assert [p.code for p in extract("immoweb", detail_url(8726807), body).problems] == ["sale"]


# -- the real classified with the rental block of sources.md §1.3 -----------------------


@pytest.fixture(scope="module")
def rental_item() -> dict[str, Any]:
    data = copy.deepcopy(load("immoweb-keeper__classified_sale_8726807.json"))
    data["id"] = 21036106
    data["transaction"].update(
        type="FOR_RENT",
        subtype="RENT_REGULAR",
        availabilityPeriodType="IMMEDIATELY",
        availabilityDate="2026-12-01",
        rental=RENTAL,
        sale=None,
    )
    data["price"] = RENT_PRICE
    data["property"]["location"].update(street="Rue de la Station", number="12", box="3")
    data["property"]["hasLift"] = True
    ext = extract("immoweb", DETAIL_URL, page(data))
    assert ext.problems == []
    assert len(ext.items) == 1
    return ext.items[0]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("source", "immoweb"),
        ("source_id", "21036106"),
        ("url", "https://www.immoweb.be/en/classified/21036106"),
        ("title", "Une ouverture sur la nature !"),
        ("property_type", "house"),
        ("property_subtype_raw", "HOUSE/VILLA"),
        ("rent_eur", 1700.0),
        ("charges_eur", 125.0),
        ("price_raw", "€1,700 (+ €125)"),
        ("bedrooms", 5),
        ("living_area_m2", 436.0),
        ("epc_kwh_m2", 225.0),
        ("epc_label", "C"),
        ("street", "Rue de la Station"),
        ("house_number", "12"),
        ("box", "3"),
        ("postcode", "1340"),
        ("locality", "Céroux-Mousty"),
        ("latitude", None),
        ("longitude", None),
        ("floor", None),
        ("available_from", "2026-12-01"),
        ("available_now", True),
        ("furnished", True),
        ("pets_allowed", None),
        ("elevator", True),
        ("accessible", None),
        ("garden", True),
        ("terrace", True),
        ("parking", True),
        ("agency_name", "Propriété Privée"),
        ("contact_phone", "+32 10 81 68 00"),
        ("contact_email", "propriet_grezdoiceau@importfrommedia.be"),
        ("published_at", "2020-05-19T14:16:45+00:00"),
    ],
)
def test_rental_classified_field(rental_item: dict[str, Any], field: str, expected: Any) -> None:
    assert rental_item[field] == expected


def test_rental_classified_pictures_and_description(rental_item: dict[str, Any]) -> None:
    assert len(rental_item["image_urls"]) == 29
    assert rental_item["image_urls"][0].startswith("https://static.immoweb.be/photos/")
    assert rental_item["description"].startswith("Au grand calme")


def test_rental_classified_validates_as_listing() -> None:
    data = copy.deepcopy(load("immoweb-keeper__classified_sale_8726807.json"))
    data["transaction"].update(type="FOR_RENT", rental=RENTAL, sale=None)
    data["price"] = RENT_PRICE
    listings, problems = extract("immoweb", DETAIL_URL, page(data)).validated()
    assert problems == []
    assert listings[0].rent_eur == 1700.0


# -- the real search result item as a rental ------------------------------------------


@pytest.fixture(scope="module")
def search_rental() -> dict[str, Any]:
    result = copy.deepcopy(load("immoweb-keeper__search_result_item_8603759.json"))
    result["transaction"].update(type="FOR_RENT", rental=RENTAL, sale=None)
    result["price"] = RENT_PRICE
    result["property"]["type"], result["property"]["subtype"] = "APARTMENT", "FLAT_STUDIO"
    body = {"results": [result], "totalItems": 1, "currentPage": 1}
    ext = extract("immoweb", SEARCH_URL, json.dumps(body))
    assert ext.problems == []
    assert ext.links == ["https://www.immoweb.be/en/classified/8603759"]
    assert ext.next_page is None
    return ext.items[0]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("source_id", "8603759"),
        ("title", "2 appartements reconnus en très bel état !"),
        ("property_type", "studio"),
        ("property_subtype_raw", "APARTMENT/FLAT_STUDIO"),
        ("rent_eur", 1700.0),
        ("charges_eur", 125.0),
        ("bedrooms", 3),
        ("living_area_m2", 210.0),
        ("postcode", "1030"),
        ("locality", "Schaerbeek"),
        ("agency_name", "Capitalis"),
        ("epc_kwh_m2", None),
    ],
)
def test_search_result_field(search_rental: dict[str, Any], field: str, expected: Any) -> None:
    assert search_rental[field] == expected


def test_search_result_pictures_prefer_largest(search_rental: dict[str, Any]) -> None:
    assert search_rental["image_urls"][0].endswith("8603759_1.jpg?cache=20200211050452")


def test_search_result_street_without_repeated_number() -> None:
    data = load("turbo-immo__search-results_gent_redacted.json")
    result = data["results"][0]
    result["transaction"].update(type="FOR_RENT", rental=RENTAL)
    ext = extract("immoweb", SEARCH_URL, json.dumps({"results": [result], "totalItems": 1}))
    item = ext.items[0]
    assert (item["street"], item["house_number"]) == ("Voorbeeldstraat", "10")


# -- mapping checked against scrapfly's parsed rentals ------------------------------------


def test_mapping_matches_scrapfly_parsed_rentals() -> None:
    for parsed in load("scrapfly__parsed_rentals_property.json"):
        classified = {
            "id": parsed["id"],
            "customers": [
                {
                    "name": parsed["agency_name"],
                    "email": parsed["agency_email"],
                    "phoneNumber": parsed["agency_phone"],
                }
            ],
            "property": {
                "type": parsed["type"],
                "subtype": parsed["subtype"],
                "bedroomCount": parsed["bedrooms"],
                "netHabitableSurface": parsed["net_habitable_surface"],
                "hasLift": parsed["has_lift"],
                "hasTerrace": parsed["has_terrace"],
                "hasGarden": parsed["has_garden"],
                "parkingCountIndoor": parsed["has_parking"],
                "location": {
                    "street": parsed["street"],
                    "number": parsed["number"],
                    "postalCode": parsed["postal_code"],
                    "locality": parsed["locality"],
                    "latitude": parsed["latitude"],
                    "longitude": parsed["longitude"],
                },
            },
            "transaction": {
                "type": "FOR_RENT",
                "certificates": {"epcScore": parsed["epc_score"]},
                "rental": {
                    "monthlyRentalPrice": parsed["monthly_rental_price"],
                    "monthlyRentalCosts": parsed["monthly_rental_costs"],
                    "isFurnished": parsed["is_furnished"],
                },
            },
            "price": {
                "type": "residential_monthly_rent",
                "mainValue": parsed["price"],
                "mainDisplayPrice": parsed["price_display"],
            },
        }
        item = extract("immoweb", parsed["link"], page(classified)).items[0]
        assert item["url"] == parsed["link"]
        assert item["rent_eur"] == parsed["monthly_rental_price"]
        assert item["charges_eur"] == parsed["monthly_rental_costs"]
        assert item["price_raw"] == parsed["price_display"]
        assert item["furnished"] == parsed["is_furnished"]
        assert item["bedrooms"] == parsed["bedrooms"]
        assert item["living_area_m2"] == parsed["net_habitable_surface"]
        assert item["elevator"] == parsed["has_lift"]
        assert item["epc_label"] == parsed["epc_score"]
        assert item["postcode"] == parsed["postal_code"]
        assert item["street"] == parsed["street"]
        assert item["agency_name"] == parsed["agency_name"]
        expected_parking = None if parsed["has_parking"] is None else parsed["has_parking"] > 0
        assert item["parking"] is expected_parking


# -- awkward cases ----------------------------------------------------------------------------


def _result(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": 1,
        "cluster": None,
        "property": {"type": "APARTMENT", "subtype": "APARTMENT", "location": {}},
        "transaction": {"type": "FOR_RENT", "rental": {"monthlyRentalPrice": 700}},
        "price": {"type": "residential_monthly_rent", "mainValue": 700},
    }
    base.update(over)
    return base


def test_project_cluster_without_price_is_a_problem() -> None:
    project = _result(
        cluster={"minPrice": 640, "projectInfo": {"groupId": 7}},
        price={"type": "residential_monthly_rent", "mainValue": None},
    )
    ext = extract("immoweb", SEARCH_URL, json.dumps({"results": [project], "totalItems": 1}))
    assert [p.code for p in ext.problems] == ["project"]


def test_garage_is_not_residential() -> None:
    garage = _result(property={"type": "GARAGE", "subtype": "CLOSED_BOX", "location": {}})
    ext = extract("immoweb", SEARCH_URL, json.dumps({"results": [garage], "totalItems": 1}))
    assert [(p.code, p.value) for p in ext.problems] == [("not_residential", "GARAGE")]


def test_charges_only_in_price_block() -> None:
    result = _result(
        transaction={"type": "FOR_RENT", "rental": {"monthlyRentalPrice": 810}},
        price={
            "type": "residential_monthly_rent",
            "mainValue": 810,
            "additionalValue": 50,
            "mainDisplayPrice": "€810 (+ €50)",
        },
    )
    item = extract("immoweb", SEARCH_URL, json.dumps({"results": [result]})).items[0]
    assert (item["rent_eur"], item["charges_eur"]) == (810.0, 50.0)


def test_price_on_request_keeps_listing_without_rent() -> None:
    result = _result(
        transaction={"type": "FOR_RENT", "rental": {"monthlyRentalPrice": None}},
        price={"type": "residential_monthly_rent", "mainValue": None},
    )
    items = extract("immoweb", SEARCH_URL, json.dumps({"results": [result]})).items
    assert items[0]["rent_eur"] is None


def test_broken_detail_page_is_a_parse_error() -> None:
    ext = extract("immoweb", DETAIL_URL, "<html><body>temporarily unavailable</body></html>")
    assert [p.code for p in ext.problems] == ["parse_error"]
    assert "window.classified" in ext.problems[0].message


def test_not_json_search_is_a_parse_error() -> None:
    ext = extract("immoweb", SEARCH_URL, "<html>oops</html>")
    assert [p.code for p in ext.problems] == ["parse_error"]


def test_challenge_page() -> None:
    ext = extract("immoweb", SEARCH_URL, "<html><head><title>Just a moment...</title></head>")
    assert ext.challenge is not None
    assert ext.items == []


def test_last_page_has_no_next_page() -> None:
    body = {"results": [_result(id=i) for i in range(4)], "totalItems": 34, "currentPage": 2}
    ext = extract("immoweb", search_url("apartment", ["8500"], 2), json.dumps(body))
    assert ext.next_page is None
    assert len(ext.links) == 4
