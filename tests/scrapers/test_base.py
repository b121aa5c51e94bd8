"""Shared extraction pieces and the SourceSpider base."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from listings._places import W13_POSTCODES
from scrapers.extract import EXTRACTORS, Extraction, Problem, extract, get_extractor, merge_items
from scrapers.extract._base import detect_challenge, json_after, to_float, to_int
from scrapers.spiders._base import SourceSpider, load_sources, resolve_postcodes
from scrapers.spiders.immoweb import ImmowebSpider
from scrapers.spiders.zimmo import ZimmoSpider


def test_validated_splits_good_and_invalid() -> None:
    ext = Extraction(
        items=[
            {"source": "zimmo", "source_id": "A", "url": "https://x.be/a", "rent_eur": 700},
            {"source": "zimmo", "source_id": "B", "url": "https://x.be/b", "postcode": "12"},
        ]
    )
    listings, problems = ext.validated()
    assert [lst.source_id for lst in listings] == ["A"]
    assert (problems[0].code, problems[0].source_id, problems[0].field) == (
        "invalid",
        "B",
        "postcode",
    )
    assert "postcode='12'" in problems[0].message


@pytest.mark.parametrize(
    ("status", "headers", "body", "expected"),
    [
        (503, {"Server": "cloudflare"}, "<title>Just a moment…</title>", "Cloudflare"),
        (200, {"CF-Mitigated": "challenge"}, "", "cf-mitigated"),
        (403, {}, "<script src='https://ct.captcha-delivery.com/c.js'></script>", "DataDome"),
        (429, {}, "<div class='g-recaptcha'></div>", "captcha"),
        (200, {}, "<form><div class='g-recaptcha'></div></form><h1>Appartement</h1>", None),
        (403, {}, "Forbidden", None),
    ],
)
def test_detect_challenge(
    status: int, headers: dict[str, str], body: str, expected: str | None
) -> None:
    reason = detect_challenge(status, headers, body)
    if expected is None:
        assert reason is None
    else:
        assert reason is not None
        assert expected in reason


def test_merge_items_detail_wins_except_none_and_empty_images() -> None:
    card = {"rent_eur": 700, "bedrooms": 2, "image_urls": ["https://a/1.jpg"], "title": "x"}
    detail: dict[str, Any] = {
        "rent_eur": 720,
        "bedrooms": None,
        "image_urls": [],
        "available_now": True,
    }
    assert merge_items(card, detail) == {
        "rent_eur": 720,
        "bedrooms": 2,
        "image_urls": ["https://a/1.jpg"],
        "title": "x",
        "available_now": True,
    }
    assert merge_items(card, {"image_urls": ["https://b/2.jpg"]})["image_urls"] == [
        "https://b/2.jpg"
    ]


def test_json_after_reads_braces_in_strings() -> None:
    text = 'x = {"a": "}{", "b": [1, {"c": 2}]}; y = {"z": 1};'
    assert json_after(text, "x =") == {"a": "}{", "b": [1, {"c": 2}]}
    with pytest.raises(ValueError, match="not found"):
        json_after(text, "w =")


def test_number_helpers() -> None:
    assert (to_float("82,5"), to_float(True), to_int("4"), to_int("vier")) == (82.5, None, 4, None)


def test_extractor_registry() -> None:
    assert set(EXTRACTORS) == {"immoweb", "zimmo", "immoscoop", "immovlan", "2dehands", "realtor"}
    assert get_extractor("realtor:immopottelberg") is get_extractor("realtor")
    assert get_extractor("zimmo").__module__ == "scrapers.extract._zimmo"
    with pytest.raises(KeyError, match="no extractor"):
        get_extractor("nope")
    assert extract("immoweb", "https://www.immoweb.be/en/classified/1", "<html></html>").problems


def test_resolve_postcodes() -> None:
    assert resolve_postcodes() == sorted(W13_POSTCODES)
    assert resolve_postcodes("8530, 8500") == ["8500", "8530"]
    assert resolve_postcodes(municipalities="Kortrijk") == ["8500", "8501", "8510", "8511"]
    assert resolve_postcodes(["8930"], "Kuurne") == ["8520", "8930"]


def test_load_sources_has_all_sections() -> None:
    sources = load_sources()
    assert sources["immoweb"]["property_types"] == ["apartment", "house"]
    assert set(sources["zimmo"]["places"]) == W13_POSTCODES
    assert "offices" in sources["realtor"]


def test_immoweb_spider_search_urls_are_deterministic() -> None:
    spider = ImmowebSpider.from_crawler(get_crawler(ImmowebSpider), postcodes="8501,8500")
    assert spider.search_urls() == [
        "https://www.immoweb.be/en/search-results/apartment/for-rent?countries=BE&postalCodes=BE-8500,BE-8501&page=1&orderBy=newest",
        "https://www.immoweb.be/en/search-results/house/for-rent?countries=BE&postalCodes=BE-8500,BE-8501&page=1&orderBy=newest",
    ]


def test_zimmo_spider_search_urls_per_place() -> None:
    spider = ZimmoSpider.from_crawler(get_crawler(ZimmoSpider), municipalities="Menen")
    assert spider.search_urls() == [
        "https://www.zimmo.be/nl/lauwe-8930/te-huur/?p=1",
        "https://www.zimmo.be/nl/menen-8930/te-huur/?p=1",
        "https://www.zimmo.be/nl/rekkem-8930/te-huur/?p=1",
    ]


class _Spider(SourceSpider):
    name = "zimmo"
    source = "zimmo"

    def search_urls(self) -> list[str]:
        return ["https://x.be/search"]


def _response(url: str, meta: dict[str, Any] | None = None) -> HtmlResponse:
    return HtmlResponse(url, body=b"<html></html>", request=Request(url, meta=meta or {}))


def test_follow_extraction_carries_cards_to_detail_and_counts_problems() -> None:
    crawler = get_crawler(_Spider)
    spider = _Spider.from_crawler(crawler, postcodes="8500")
    card = {"source": "zimmo", "source_id": "A", "url": "https://x.be/a", "rent_eur": 700}
    loose = {"source": "zimmo", "source_id": "B", "url": "https://x.be/b"}
    ext = Extraction(
        items=[card, loose],
        links=["https://x.be/a"],
        problems=[Problem("https://x.be/search", "sale", "not a rental")],
        next_page="https://x.be/search?p=2",
    )
    out = list(
        spider.follow_extraction(
            _response("https://x.be/search"), ext, detail_callback=spider.parse_detail
        )
    )
    assert out[0] == {"item": loose, "url": "https://x.be/b"}
    detail, nxt = out[1], out[2]
    assert isinstance(detail, Request)
    assert isinstance(nxt, Request)
    assert detail.url == "https://x.be/a"
    assert detail.meta["immolijst_card"] == card
    assert nxt.url == "https://x.be/search?p=2"
    assert nxt.meta["immolijst_role"] == "search"
    assert crawler.stats is not None
    assert crawler.stats.get_value("immolijst/dropped/sale") == 1


def test_follow_extraction_stops_on_challenge() -> None:
    crawler = get_crawler(_Spider)
    spider = _Spider.from_crawler(crawler)
    ext = Extraction(challenge="Cloudflare challenge", links=["https://x.be/a"])
    out = list(
        spider.follow_extraction(
            _response("https://x.be/search", {"immolijst_role": "search"}), ext
        )
    )
    assert out == []
    assert crawler.stats is not None
    assert "Cloudflare challenge" in crawler.stats.get_value("immolijst/challenge")
    assert crawler.stats.get_value("immolijst/search_failed") == 1
