"""Immovlan extractor on assembled search and detail pages (no real Immovlan page exists)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scrapers._cassette import Cassette
from scrapers.extract import _immovlan, extract

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "immovlan"
RECORDINGS = Path(__file__).resolve().parents[2] / "scrapers" / "recordings"
DETAIL_URL = "https://immovlan.be/nl/detail/appartement/te-huur/8500/kortrijk/rbu61001"


def _recorded(url: str, set_name: str = "2026-11-20") -> bytes:
    found = Cassette.load(RECORDINGS / set_name / "immovlan.yaml").find("GET", url)
    assert found is not None, url
    return found.body


@pytest.fixture(scope="module")
def page1() -> Any:
    body = (FIXTURES / "assembled_search_kortrijk_p1.html").read_bytes()
    return extract("immovlan", _immovlan.search_url("kortrijk"), body)


def test_search_keeps_the_rentals(page1: Any) -> None:
    # 20 cards: price on request, sale, rented and project cards are dropped.
    assert len(page1.items) == 16


def test_search_problems_by_code(page1: Any) -> None:
    assert sorted((p.code, p.source_id) for p in page1.problems) == [
        ("no_price", "rbu61002"),
        ("project", "vbp70001"),
        ("rented", "rbu61005"),
        ("sale", "rbu61003"),
    ]


def test_search_total(page1: Any) -> None:
    assert page1.total == 21


def test_search_next_page(page1: Any) -> None:
    assert page1.next_page == _immovlan.search_url("kortrijk", 2)


def test_search_links_are_the_items(page1: Any) -> None:
    assert page1.links == [item["url"] for item in page1.items]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("source", "immovlan"),
        ("source_id", "rbu61001"),
        ("url", DETAIL_URL),
        ("title", "Appartement te huur"),
        ("property_type", "apartment"),
        ("property_subtype_raw", "appartement"),
        ("price_raw", "€ 700 + € 50 kosten"),
        ("rent_eur", 700.0),
        ("charges_eur", 50.0),
        ("street", "Sint-Jansstraat"),
        ("house_number", "14"),
        ("postcode", "8500"),
        ("municipality", "Kortrijk"),
        ("bedrooms", 2),
    ],
)
def test_search_card_field(page1: Any, field: str, expected: object) -> None:
    assert page1.items[0][field] == expected


def test_last_page_has_no_next() -> None:
    url = _immovlan.search_url("kortrijk", 2)
    extraction = extract("immovlan", url, _recorded(url))
    assert (len(extraction.items), extraction.next_page) == (1, None)


def test_card_with_missing_epc_detail() -> None:
    url = "https://immovlan.be/nl/detail/appartement/te-huur/8500/kortrijk/rbu61004"
    item = extract("immovlan", url, _recorded(url)).items[0]
    assert (item["rent_eur"], item.get("epc_kwh_m2")) == (760.0, None)


@pytest.fixture(scope="module")
def detail() -> dict[str, Any]:
    extraction = extract(
        "immovlan", DETAIL_URL, (FIXTURES / "assembled_detail_rbu61001.html").read_bytes()
    )
    assert extraction.problems == []
    return extraction.items[0]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("source", "immovlan"),
        ("source_id", "rbu61001"),
        ("url", DETAIL_URL),
        ("title", "Appartement te huur - Kortrijk"),
        ("property_type", "apartment"),
        ("price_raw", "€ 700 + € 50 kosten"),
        ("rent_eur", 700.0),
        ("charges_eur", 50.0),
        ("street", "Sint-Jansstraat"),
        ("house_number", "14"),
        ("postcode", "8500"),
        ("municipality", "Kortrijk"),
        ("bedrooms", 2),
        ("living_area_m2", 70.0),
        ("epc_kwh_m2", 175.0),
        ("pets_allowed", True),
        ("furnished", False),
        ("published_at", "2026-11-12"),
        ("image_urls", ["https://media.immovlan.be/pictures/rbu61001/1.jpg"]),
    ],
)
def test_detail_field(detail: dict[str, Any], field: str, expected: object) -> None:
    assert detail[field] == expected


def test_detail_availability(detail: dict[str, Any]) -> None:
    assert str(detail["available_from"]) == "2026-12-01"


def test_detail_description(detail: dict[str, Any]) -> None:
    assert detail["description"].startswith("Appartement te huur in Kortrijk")


def test_detail_validates(detail: dict[str, Any]) -> None:
    from scrapers.extract import Extraction

    listings, problems = Extraction(items=[detail]).validated()
    assert (len(listings), problems) == (1, [])


def test_sale_detail_url_is_a_sale_problem() -> None:
    url = "https://immovlan.be/nl/detail/huis/te-koop/8500/kortrijk/rbu61003"
    extraction = extract("immovlan", url, "<html><body></body></html>")
    assert [p.code for p in extraction.problems] == ["sale"]


def test_project_page_is_a_project_problem() -> None:
    url = "https://immovlan.be/nl/projectdetail/appartement/te-huur/8500/kortrijk/vbp70001"
    extraction = extract("immovlan", url, "<html></html>")
    assert [p.code for p in extraction.problems] == ["project"]


def test_rented_detail_is_dropped() -> None:
    page = (FIXTURES / "assembled_detail_rbu61001.html").read_text(encoding="utf-8")
    rented = page.replace(
        '<span class="detail__header_price_data">€ 700 + € 50 kosten</span>',
        '<span class="detail__header_price_data">Verhuurd</span>',
    )
    assert [p.code for p in extract("immovlan", DETAIL_URL, rented).problems] == ["rented"]


def test_broken_card_link_is_a_parse_error() -> None:
    page = '<html><body><article><a href="/nl/over-ons">x</a></article></body></html>'
    extraction = extract("immovlan", _immovlan.search_url("kortrijk"), page)
    assert [p.code for p in extraction.problems] == ["parse_error"]


def test_challenge_403_page_is_flagged() -> None:
    page = "<html><head><title>Just a moment...</title></head></html>"
    assert extract("immovlan", _immovlan.search_url("kortrijk"), page).challenge is not None


# -- end-to-end replays (fresh process: Twisted's reactor cannot restart) --------------------


@pytest.mark.slow
def test_replay_two_days(tmp_path: Path, replay: Any) -> None:
    def _run(set_name: str, db: Path) -> tuple[int, dict[str, Any], str]:
        code, runs, log = replay("immovlan", RECORDINGS / set_name, db)
        return code, (runs or [{}])[0], log

    import sqlite3

    db = tmp_path / "store.db"
    code1, day1, log1 = _run("2026-11-20", db)
    assert code1 == 0, log1[-3000:]
    code2, day2, log2 = _run("2026-11-21", db)
    assert code2 == 0, log2[-3000:]
    c1, c2 = day1["counts"], day2["counts"]
    # 14 municipality searches + Kortrijk page 2 + 20 detail pages
    assert (day1["status"], c1["pages"], c1["seen"], c1["new"]) == ("complete", 35, 20, 20)
    assert c1["dropped"] == {"no_price": 1, "project": 1, "rented": 1, "sale": 1}
    assert c1["coverage"]["epc"] == pytest.approx(19 / 20)
    assert (c2["seen"], c2["new"], c2["updated"], c2["unchanged"]) == (20, 1, 1, 18)
    with sqlite3.connect(db) as conn:
        gone = conn.execute("SELECT source_id FROM listings WHERE gone_at IS NOT NULL").fetchall()
        rent = conn.execute("SELECT rent_eur FROM listings WHERE source_id = 'rbu64001'").fetchone()
    assert gone == [("rbu65001",)]
    assert rent == (675.0,)
