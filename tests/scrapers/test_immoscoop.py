"""Immoscoop extractor on the real card sample, the real URL/price history and assembled pages."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from listings._parse import parse_amount
from scrapers._cassette import Cassette
from scrapers.extract import _immoscoop, extract

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "immoscoop"
RECORDINGS = Path(__file__).resolve().parents[2] / "scrapers" / "recordings"
CARD = (FIXTURES / "track-immoscoop__property-card-example.html").read_text(encoding="utf-8")
HISTORY = FIXTURES / "track-immoscoop__brugge_rent_history.csv"
SEARCH_URL = "https://www.immoscoop.be/zoeken/te-huur/brugge"


def _recorded(url: str, set_name: str = "2026-11-20") -> bytes:
    found = Cassette.load(RECORDINGS / set_name / "immoscoop.yaml").find("GET", url)
    assert found is not None, url
    return found.body


@pytest.fixture(scope="module")
def card_item() -> dict[str, Any]:
    extraction = extract("immoscoop", SEARCH_URL, CARD)
    assert len(extraction.items) == 1
    return extraction.items[0]


# -- the real card (IsaacVerm/track-immoscoop property-card-example.html) -----------------


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("source", "immoscoop"),
        ("source_id", "838015"),
        ("url", "https://www.immoscoop.be/te-huur/8200-sint-michiels/838015"),
        ("title", "Appartement te huur"),
        ("property_type", "apartment"),
        ("property_subtype_raw", "Appartement"),
        ("price_raw", "€ 750"),
        ("rent_eur", 750.0),
        ("charges_eur", None),
        ("epc_label", "A"),
        ("street", "Koning Albert I-Laan"),
        ("house_number", "66"),
        ("box", None),
        ("postcode", "8200"),
        ("locality", "Sint-Michiels"),
        ("bedrooms", 1),
    ],
)
def test_real_card_field(card_item: dict[str, Any], field: str, expected: object) -> None:
    assert card_item[field] == expected


def test_real_card_images(card_item: dict[str, Any]) -> None:
    assert card_item["image_urls"] == [
        "https://images.immoscoop.be/cp-0a9715f83a5fff1879dde13baa6ccef0-w320.jpeg",
        "https://images.immoscoop.be/cp-c835838413ea143c52772e3276fcccaf-w320.jpeg",
        "https://images.immoscoop.be/cp-5801f16cf50bf0f80cc63a617cc63c25-w320.jpeg",
    ]


def test_real_card_is_followed_and_validates() -> None:
    extraction = extract("immoscoop", SEARCH_URL, CARD)
    listings, problems = extraction.validated()
    assert extraction.links == ["https://www.immoscoop.be/te-huur/8200-sint-michiels/838015"]
    assert (len(listings), problems, extraction.problems) == (1, [], [])


# -- the real URL / price history (track-immoscoop immoscoop_properties.csv) ---------------


def _history() -> list[dict[str, str]]:
    with HISTORY.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_history_every_url_parses_to_a_rental_id_and_postcode() -> None:
    rows = _history()
    parsed = [_immoscoop.parse_listing_url(row["url"]) for row in rows]
    assert len(rows) == 2754
    assert all(p is not None and p["deal"] == "te-huur" for p in parsed)
    assert all(p is not None and p["source_id"].isdigit() for p in parsed)
    # Brugge (8000), Sint-Andries/Sint-Michiels (8200), Assebroek (8310), Zeebrugge/Dudzele (8380)
    assert {p["postcode"] for p in parsed if p} == {"8000", "8200", "8310", "8380"}


def test_history_first_row_url_parts() -> None:
    assert _immoscoop.parse_listing_url(_history()[0]["url"]) == {
        "deal": "te-huur",
        "postcode": "8200",
        "place": "sint-michiels",
        "source_id": "838015",
    }


def test_history_prices_parse_as_monthly_rents() -> None:
    rows = _history()
    prices = [parse_amount(row["price"]) for row in rows]
    assert all(p is not None and 300 <= p <= 900 for p in prices)
    assert prices[:4] == [750.0, 800.0, 800.0, 825.0]


def test_history_price_shown_on_card_parses_like_the_csv_value() -> None:
    # The card of 838015 shows "€&nbsp;750"; the CSV logs 750 for the same advert.
    row = next(r for r in _history() if r["url"].endswith("/838015"))
    card = extract("immoscoop", SEARCH_URL, CARD).items[0]
    assert card["rent_eur"] == float(row["price"])


# -- assembled search page (Kortrijk, page 1 of 2) ------------------------------------------


@pytest.fixture(scope="module")
def kortrijk_p1() -> Any:
    body = (FIXTURES / "assembled_search_kortrijk_p1.html").read_text(encoding="utf-8")
    return extract("immoscoop", _immoscoop.search_url("kortrijk"), body)


def test_search_items_are_the_priced_cards(kortrijk_p1: Any) -> None:
    assert [i["source_id"] for i in kortrijk_p1.items] == ["910001", "910002", "910003", "910004"]


def test_search_price_on_request_is_a_problem(kortrijk_p1: Any) -> None:
    assert [(p.code, p.source_id) for p in kortrijk_p1.problems] == [("no_price", "910005")]


def test_search_next_page(kortrijk_p1: Any) -> None:
    assert kortrijk_p1.next_page == "https://www.immoscoop.be/zoeken/te-huur/kortrijk?page=2"


def test_search_total(kortrijk_p1: Any) -> None:
    assert kortrijk_p1.total == 7


def test_search_links_follow_the_items(kortrijk_p1: Any) -> None:
    assert kortrijk_p1.links == [i["url"] for i in kortrijk_p1.items]


def test_search_card_charges_in_price_text(kortrijk_p1: Any) -> None:
    item = kortrijk_p1.items[1]
    assert (item["price_raw"], item["rent_eur"], item["charges_eur"]) == (
        "€ 700 + € 50 kosten",
        700.0,
        50.0,
    )


def test_search_card_shared_flat_address(kortrijk_p1: Any) -> None:
    item = kortrijk_p1.items[0]
    assert (item["street"], item["house_number"], item["box"]) == ("Doorniksestr.", "12", "3")


def test_search_card_studio(kortrijk_p1: Any) -> None:
    assert kortrijk_p1.items[3]["property_type"] == "studio"


def test_search_page_two_has_sale_and_missing_epc() -> None:
    url = _immoscoop.search_url("kortrijk", 2)
    extraction = extract("immoscoop", url, _recorded(url))
    assert [(p.code, p.source_id) for p in extraction.problems] == [("sale", "910007")]
    assert [(i["source_id"], i["epc_label"]) for i in extraction.items] == [("910006", None)]
    assert extraction.next_page is None


def test_empty_search_page() -> None:
    url = _immoscoop.search_url("anzegem")
    extraction = extract("immoscoop", url, _recorded(url))
    assert (extraction.items, extraction.problems, extraction.total) == ([], [], 0)


# -- assembled detail page -----------------------------------------------------------


@pytest.fixture(scope="module")
def detail_item() -> dict[str, Any]:
    body = (FIXTURES / "assembled_detail_910001.html").read_text(encoding="utf-8")
    extraction = extract("immoscoop", "https://www.immoscoop.be/te-huur/8500-kortrijk/910001", body)
    assert extraction.problems == []
    return extraction.items[0]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("source", "immoscoop"),
        ("source_id", "910001"),
        ("url", "https://www.immoscoop.be/te-huur/8500-kortrijk/910001"),
        ("title", "Appartement te huur"),
        ("property_type", "apartment"),
        ("price_raw", "€ 750"),
        ("rent_eur", 750.0),
        ("street", "Doorniksestr."),
        ("house_number", "12"),
        ("box", "3"),
        ("postcode", "8500"),
        ("locality", "Kortrijk"),
        ("bedrooms", 2),
        ("living_area_m2", 75.0),
        ("epc_kwh_m2", 245.0),
        ("epc_label", "C"),
        ("pets_allowed", False),
        ("elevator", True),
        ("agency_name", "Immo Pottelberg"),
    ],
)
def test_detail_field(detail_item: dict[str, Any], field: str, expected: object) -> None:
    assert detail_item[field] == expected


def test_detail_availability(detail_item: dict[str, Any]) -> None:
    assert str(detail_item["available_from"]) == "2026-12-01"


def test_detail_description(detail_item: dict[str, Any]) -> None:
    assert detail_item["description"].startswith("Appartement te huur in Kortrijk: 2 slaapkamer")


def test_detail_images(detail_item: dict[str, Any]) -> None:
    assert detail_item["image_urls"] == [f"https://images.immoscoop.be/cp-{910001:032x}-w640.jpeg"]


# -- broken and hostile pages ----------------------------------------------------------


def test_card_with_a_broken_link_is_a_parse_error() -> None:
    broken = CARD.replace('href="/te-huur/8200-sint-michiels/838015"', 'href="/over-ons"')
    extraction = extract("immoscoop", SEARCH_URL, broken)
    assert (extraction.items, [p.code for p in extraction.problems]) == ([], ["parse_error"])


def test_card_without_price_is_no_price() -> None:
    no_price = CARD.replace("€&nbsp;750", "Prijs op aanvraag")
    extraction = extract("immoscoop", SEARCH_URL, no_price)
    assert [(p.code, p.field) for p in extraction.problems] == [("no_price", "price_raw")]


def test_challenge_page_is_flagged() -> None:
    page = "<html><head><title>Just a moment...</title></head><body></body></html>"
    extraction = extract("immoscoop", SEARCH_URL, page)
    assert extraction.challenge is not None


# -- end-to-end replays (fresh process: Twisted's reactor cannot restart) --------------------


@pytest.mark.slow
def test_replay_two_days(tmp_path: Path, replay: Any) -> None:
    def _run(set_name: str, db: Path) -> tuple[int, dict[str, Any], str]:
        code, runs, log = replay("immoscoop", RECORDINGS / set_name, db)
        return code, (runs or [{}])[0], log

    import sqlite3

    db = tmp_path / "store.db"
    code1, day1, log1 = _run("2026-11-20", db)
    assert code1 == 0, log1[-3000:]
    code2, day2, log2 = _run("2026-11-21", db)
    assert code2 == 0, log2[-3000:]
    c1, c2 = day1["counts"], day2["counts"]
    # 14 municipality searches + Kortrijk page 2 + 8 detail pages
    assert (day1["status"], c1["pages"], c1["seen"], c1["new"]) == ("complete", 23, 8, 8)
    assert c1["dropped"] == {"no_price": 1, "sale": 1}
    assert c1["coverage"]["epc"] == pytest.approx(7 / 8)
    assert c1["coverage"]["living_area_m2"] == 1.0
    assert (c2["seen"], c2["new"], c2["updated"], c2["unchanged"]) == (8, 1, 1, 6)
    with sqlite3.connect(db) as conn:
        gone = conn.execute("SELECT source_id FROM listings WHERE gone_at IS NOT NULL").fetchall()
        shared = conn.execute(
            "SELECT street, house_number, box, postcode, rent_eur, epc_kwh_m2, bedrooms,"
            " living_area_m2 FROM listings WHERE source_id = '910001'"
        ).fetchone()
        rent = conn.execute("SELECT rent_eur FROM listings WHERE source_id = '910002'").fetchone()
    assert gone == [("910031",)]
    assert rent == (720.0,)
    assert shared[1:] == ("12", "3", "8500", 750.0, 245.0, 2, 75.0)
