"""2dehands extractor on an assembled /lrp/api/search response (no real response exists)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scrapers.extract import _tweedehands, extract

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "2dehands"
BODY = (FIXTURES / "assembled_search_8500_p1.json").read_bytes()
URL = _tweedehands.search_url("8500", l1_category=1032, l2_category=2143, distance_m=2000)


@pytest.fixture(scope="module")
def page() -> Any:
    return extract("2dehands", URL, BODY)


def test_items_are_the_rentals(page: Any) -> None:
    assert len(page.items) == 27


def test_problems_by_code(page: Any) -> None:
    assert [(p.code, p.source_id) for p in page.problems] == [
        ("no_price", "m2203100002"),
        ("sale", "m2203100003"),
        ("not_residential", "m2203100004"),
    ]


def test_total(page: Any) -> None:
    assert page.total == 32


def test_next_page_moves_the_offset(page: Any) -> None:
    assert page.next_page == URL.replace("offset=0", "offset=30")


def test_no_detail_links(page: Any) -> None:
    assert page.links == []


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("source", "2dehands"),
        ("source_id", "m2203100001"),
        (
            "url",
            "https://www.2dehands.be/v/huizen-en-kamers/huizen-te-huur/"
            "m2203100001-appartement-te-huur-kortrijk",
        ),
        ("title", "Appartement te huur Kortrijk"),
        ("property_type", "apartment"),
        ("price_raw", "€ 700"),
        ("rent_eur", 700.0),
        ("charges_eur", 50.0),
        ("bedrooms", 1),
        ("living_area_m2", 65.0),
        ("epc_kwh_m2", None),
        ("postcode", "8500"),
        ("municipality", "Kortrijk"),
        ("agency_name", "Particulier"),
        (
            "image_urls",
            ["https://images.2dehands.com/api/v1/listing-twh-p/images/m2203100001_1.jpg"],
        ),
    ],
)
def test_first_item_field(page: Any, field: str, expected: object) -> None:
    assert page.items[0][field] == expected


def test_epc_read_from_description(page: Any) -> None:
    assert page.items[1]["epc_kwh_m2"] is not None


def test_items_validate(page: Any) -> None:
    listings, problems = page.validated()
    assert (len(listings), problems) == (27, [])


def test_last_page_has_no_next() -> None:
    data = json.loads(BODY)
    data["listings"] = data["listings"][:2]
    url = URL.replace("offset=0", "offset=30")
    assert extract("2dehands", url, json.dumps(data)).next_page is None


def test_broken_entry_is_a_parse_error() -> None:
    data = {"listings": [{"title": "Appartement te huur", "priceInfo": {"priceCents": 70000}}]}
    extraction = extract("2dehands", URL, json.dumps(data))
    assert [p.code for p in extraction.problems] == ["parse_error"]


def test_body_that_is_not_json_is_a_parse_error() -> None:
    extraction = extract("2dehands", URL, "<html>oops</html>")
    assert [p.code for p in extraction.problems] == ["parse_error"]


def test_challenge_page_is_flagged() -> None:
    page = "<html><head><title>Just a moment...</title></head></html>"
    assert extract("2dehands", URL, page).challenge is not None


def test_availability_date_from_description(page: Any) -> None:
    assert str(page.items[0]["available_from"]) == "2026-12-01"


def test_availability_now_from_description(page: Any) -> None:
    assert page.items[2]["available_now"] is True


# -- end-to-end replays (fresh process: Twisted's reactor cannot restart) --------------------


@pytest.mark.slow
def test_replay_two_days(tmp_path: Path, replay: Any) -> None:
    def _run(set_name: str, db: Path) -> tuple[int, dict[str, Any], str]:
        recordings = Path(__file__).resolve().parents[2] / "scrapers" / "recordings"
        code, runs, log = replay("2dehands", recordings / set_name, db)
        return code, (runs or [{}])[0], log

    import sqlite3

    db = tmp_path / "store.db"
    code1, day1, log1 = _run("2026-11-20", db)
    assert code1 == 0, log1[-3000:]
    code2, day2, log2 = _run("2026-11-21", db)
    assert code2 == 0, log2[-3000:]
    c1, c2 = day1["counts"], day2["counts"]
    # 30 W13 postcodes + page 2 around 8500; the Kuurne house found twice is seen once
    assert (day1["status"], c1["pages"], c1["seen"], c1["new"]) == ("complete", 31, 32, 32)
    assert c1["dropped"] == {"no_price": 1, "not_residential": 1, "sale": 1}
    assert c1["coverage"]["rent_eur"] == 1.0
    assert (c2["seen"], c2["new"], c2["updated"], c2["unchanged"]) == (32, 1, 1, 30)
    with sqlite3.connect(db) as conn:
        gone = conn.execute("SELECT source_id FROM listings WHERE gone_at IS NOT NULL").fetchall()
        rent = conn.execute(
            "SELECT rent_eur FROM listings WHERE source_id = 'm2203300001'"
        ).fetchone()
    assert gone == [("m2203500001",)]
    assert rent == (800.0,)
