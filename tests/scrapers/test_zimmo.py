"""Zimmo extractor on the real search sample and on assembled detail pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scrapers.extract import extract
from scrapers.extract._zimmo import search_url

FIXTURES = Path(__file__).parent / "fixtures" / "zimmo"
SAMPLE = (FIXTURES / "turbo-immo__search_gent_redacted.html").read_text(encoding="utf-8")
URL = "https://www.zimmo.be/nl/gent-9000/te-koop/?p=1"


def test_real_sample_sales_and_projects_are_problems() -> None:
    ext = extract("zimmo", URL, SAMPLE)
    assert ext.items == []
    assert [p.code for p in ext.problems] == ["sale"] * 4
    assert [p.source_id for p in ext.problems] == ["TEST00", "TEST01", "TEST02", "TEST03"]


def test_real_sample_counter_gives_total_and_next_page() -> None:
    ext = extract("zimmo", URL, SAMPLE)
    assert ext.total == 911
    assert ext.next_page == "https://www.zimmo.be/nl/gent-9000/te-koop/?p=2"


def _as_rental(html: str) -> str:
    return html.replace("general.status.for_sale", "general.status.for_rent").replace(
        "/te-koop/", "/te-huur/"
    )


@pytest.fixture(scope="module")
def rental_cards() -> list[dict[str, Any]]:
    ext = extract("zimmo", search_url("gent", "9000"), _as_rental(SAMPLE))
    assert [p.code for p in ext.problems] == ["project", "project"]
    return ext.items


@pytest.fixture(scope="module")
def card(rental_cards: list[dict[str, Any]]) -> dict[str, Any]:
    return rental_cards[0]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("source", "zimmo"),
        ("source_id", "TEST00"),
        ("url", "https://www.zimmo.be/nl/gent-9000/te-huur/appartement/TEST00/"),
        ("property_type", "apartment"),
        ("property_subtype_raw", "Appartement"),
        ("rent_eur", 540000.0),
        ("price_raw", "€ 540000"),
        ("bedrooms", 2),
        ("living_area_m2", 87.0),
        ("epc_kwh_m2", 88.0),
        ("epc_label", "A"),
        ("street", "Voorbeeldstraat"),
        ("house_number", "10"),
        ("box", None),
        ("postcode", "9000"),
        ("locality", "Gent"),
        ("latitude", 51.06),
        ("longitude", 3.73),
        ("agency_name", "Agency Alpha"),
        ("contact_phone", None),
        ("published_at", "2026-08-10T08:21:45+00:00"),
    ],
)
def test_real_card_field(card: dict[str, Any], field: str, expected: Any) -> None:
    assert card[field] == expected


def test_real_card_description_with_braces_and_quotes(card: dict[str, Any]) -> None:
    assert card["description"].startswith('Ruim {2 slaapkamers} appartement, \\"instapklaar\\"')


def test_real_card_images(card: dict[str, Any]) -> None:
    assert card["image_urls"] == [
        "https://example.invalid/photos/0/0/list.jpg",
        "https://example.invalid/photos/0/1/list.jpg",
        "https://example.invalid/photos/0/2/list.jpg",
    ]


def test_real_card_house_subtype(rental_cards: list[dict[str, Any]]) -> None:
    assert rental_cards[1]["property_type"] == "house"
    assert rental_cards[1]["property_subtype_raw"] == "Woning"


def test_links_follow_cards(rental_cards: list[dict[str, Any]]) -> None:
    ext = extract("zimmo", search_url("gent", "9000"), _as_rental(SAMPLE))
    assert ext.links == [c["url"] for c in rental_cards]


def test_sale_price_in_rental_card_fails_validation() -> None:
    _, problems = extract("zimmo", search_url("gent", "9000"), _as_rental(SAMPLE)).validated()
    assert problems[0].code == "invalid"
    assert problems[0].field == "rent_eur"
    assert "540000" in problems[0].message


def test_price_on_request_and_missing_epc() -> None:
    html = (
        _as_rental(SAMPLE)
        .replace('"prijs": "540000"', '"prijs": "0"')
        .replace(
            '"energyWaarde": "88", "energyLabel": "a"', '"energyWaarde": "", "energyLabel": null'
        )
    )
    card = extract("zimmo", search_url("gent", "9000"), html).items[0]
    assert (card["rent_eur"], card["price_raw"]) == (None, "Prijs op aanvraag")
    assert (card["epc_kwh_m2"], card["epc_label"]) == (None, None)


def test_garage_is_not_residential() -> None:
    html = _as_rental(SAMPLE).replace('"type": "Huis"', '"type": "Garage"')
    problems = extract("zimmo", search_url("gent", "9000"), html).problems
    assert ("not_residential", "Garage") in [(p.code, p.value) for p in problems]


def test_broken_search_page_is_a_parse_error() -> None:
    ext = extract("zimmo", URL, "<html><script>app.start({ properties: [ {oops</script>")
    assert [p.code for p in ext.problems] == ["parse_error"]


FACTS = [
    ("Type", "Appartement"),
    ("Slaapkamers", "2"),
    ("Woonopp.", "75 m²"),
    ("Vrij op", "01/12/2026"),
]
DETAIL = (
    '<html><body><h1>Doorniksestr. 12/3, 8500 Kortrijk</h1><ul class="features">\n'
    + "\n".join(
        f'<li class="feature"><strong class="feature-label">{label}</strong>'
        f'<span class="feature-value">{value}</span></li>'
        for label, value in FACTS
    )
    + "\n</ul></body></html>"
)
DETAIL_URL = "https://www.zimmo.be/nl/kortrijk-8500/te-huur/appartement/K00W000/"


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("source_id", "K00W000"),
        ("url", DETAIL_URL),
        ("available_from", "2026-12-01"),
        ("available_now", None),
        ("bedrooms", 2),
        ("living_area_m2", 75.0),
    ],
)
def test_detail_field(field: str, expected: Any) -> None:
    assert extract("zimmo", DETAIL_URL, DETAIL).items[0][field] == expected


def test_detail_without_facts_is_a_parse_error() -> None:
    assert [p.code for p in extract("zimmo", DETAIL_URL, "<html><p>weg</p></html>").problems] == [
        "parse_error"
    ]


def test_challenge_page() -> None:
    ext = extract("zimmo", URL, "<html><head><title>Just a moment...</title></head></html>")
    assert ext.challenge is not None
