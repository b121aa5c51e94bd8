"""Pipelines: validation drops, normalisation, run status and counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from listings._model import Listing
from listings._store import Store
from scrapers.pipelines import (
    NormalisePipeline,
    StorePipeline,
    ValidatePipeline,
    coverage,
    dropped_counts,
    run_status,
)
from scrapers.spiders._base import SourceSpider

GOOD = {
    "source": "zimmo",
    "source_id": "K1",
    "url": "https://www.zimmo.be/nl/k1/",
    "rent_eur": 750,
    "postcode": "8500",
}


def test_validate_passes_a_good_item() -> None:
    pipeline = ValidatePipeline.from_crawler(get_crawler())
    item = pipeline.process_item({"item": dict(GOOD), "url": GOOD["url"]})
    assert isinstance(item["listing"], Listing)
    assert item["listing"].rent_eur == 750.0


def test_validate_drops_with_field_and_value_and_counts() -> None:
    crawler = get_crawler()
    pipeline = ValidatePipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match=r"bedrooms=40: bedrooms=40 is outside 0..20"):
        pipeline.process_item({"item": {**GOOD, "bedrooms": 40}, "url": GOOD["url"]})
    assert crawler.stats is not None
    assert crawler.stats.get_value("immolijst/dropped/invalid") == 1


def test_validate_drops_item_without_candidate() -> None:
    with pytest.raises(DropItem, match="no candidate listing"):
        ValidatePipeline.from_crawler(get_crawler()).process_item({"url": "https://x.be/"})


def test_normalise_fills_municipality() -> None:
    pipeline = NormalisePipeline.from_crawler(get_crawler())
    item = pipeline.process_item({"listing": Listing.model_validate(GOOD)})
    assert item["listing"].municipality == "Kortrijk"


def test_coverage_shares() -> None:
    full = Listing.model_validate(
        {**GOOD, "epc_label": "C", "bedrooms": 2, "living_area_m2": 70, "available_now": True}
    )
    bare = Listing(source="zimmo", source_id="K2", url="https://x.be/2")
    assert coverage([full, bare]) == {
        "rent_eur": 0.5,
        "postcode": 0.5,
        "epc": 0.5,
        "bedrooms": 0.5,
        "living_area_m2": 0.5,
        "availability": 0.5,
    }


def test_dropped_counts_only_reads_dropped_keys() -> None:
    stats = {"immolijst/dropped/sale": 2, "immolijst/dropped/invalid": 1, "immolijst/pages": 9}
    assert dropped_counts(stats) == {"invalid": 1, "sale": 2}


@pytest.mark.parametrize(
    ("stats", "status", "reason"),
    [
        ({"immolijst/pages": 10}, "complete", None),
        ({"immolijst/challenge": "Cloudflare at x"}, "partial", "bot challenge"),
        ({"immolijst/cassette_miss": 1}, "partial", "missing from the cassette"),
        ({"immolijst/search_failed": 1}, "partial", "search page"),
        ({"immolijst/http_429_5xx": 2}, "complete", None),
        ({"immolijst/http_429_5xx": 3}, "partial", "429/5xx"),
        ({"spider_exceptions/KeyError": 1}, "partial", "spider error"),
    ],
)
def test_run_status(stats: dict[str, Any], status: str, reason: str | None) -> None:
    got, reasons = run_status(stats, storm=3)
    assert got == status
    if reason is None:
        assert reasons == []
    else:
        assert reason in reasons[0]


class _Multi(SourceSpider):
    name = "realtor"
    source = "realtor"

    def search_urls(self) -> list[str]:
        return []

    def run_sources(self) -> list[str]:
        return ["realtor:a"]


def _pipeline(tmp_path: Path) -> tuple[StorePipeline, Crawler, str]:
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    crawler = get_crawler(_Multi, settings_dict={"IMMOLIJST_DATABASE_URL": url})
    crawler.spider = _Multi.from_crawler(crawler)
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.spider_opened()
    return pipeline, crawler, url


def test_store_pipeline_one_run_per_listing_source(tmp_path: Path) -> None:
    pipeline, crawler, url = _pipeline(tmp_path)
    for source in ("realtor:a", "realtor:b", "realtor:b"):
        listing = Listing(source=source, source_id=str(len(source)), url="https://x.be/1")
        pipeline.process_item({"listing": listing})
    pipeline.spider_closed("finished")
    assert crawler.stats is not None
    summary = crawler.stats.get_value("immolijst/summary")
    assert summary["status"] == "complete"
    assert set(summary["counts"]["runs"]) == {"realtor:a", "realtor:b"}
    assert (summary["counts"]["seen"], summary["counts"]["new"]) == (3, 2)
    with Store(url) as store:
        assert {run.source: run.status for run in store.runs()} == {
            "realtor:a": "complete",
            "realtor:b": "complete",
        }
        assert store.count(source="realtor:b") == 1


def test_store_pipeline_aborted_crawl_is_failed(tmp_path: Path) -> None:
    pipeline, crawler, url = _pipeline(tmp_path)
    pipeline.spider_closed("shutdown")
    assert crawler.stats is not None
    summary = crawler.stats.get_value("immolijst/summary")
    assert summary["status"] == "failed"
    assert "shutdown" in summary["counts"]["reasons"][0]
    with Store(url) as store:
        assert [run.status for run in store.runs()] == ["failed"]
