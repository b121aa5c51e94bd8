"""Realtor extractor (searchon=list template + schema.org fallback), office YAML and replays."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from scrapers._cassette import Cassette, Interaction
from scrapers.extract import _realtor, extract
from scrapers.extract._realtor import Office, extract_office, load_offices, office_for_url

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "realtor"
RECORDINGS = ROOT / "scrapers" / "recordings"
BASE = "https://www.immopottelberg.be"
DETAIL_URL = f"{BASE}/te-huur/kortrijk/appartement/4312101"
FLAT_P1 = f"{BASE}/te-huur?searchon=list&transactiontype=Rent&sorts=Flat&pageindex=1"


def _recorded(url: str, set_name: str = "2026-11-20") -> bytes:
    found = Cassette.load(RECORDINGS / set_name / "realtor.yaml").find("GET", url)
    assert found is not None, url
    return found.body


# -- offices from YAML -----------------------------------------------------------------


def test_bundled_offices_use_the_searchon_list_template() -> None:
    offices = load_offices()
    assert [(o.slug, o.template) for o in offices] == [
        ("immopottelberg", "searchon_list"),
        ("meuleman-loeters", "searchon_list"),
    ]


def test_office_start_urls_are_houses_then_flats() -> None:
    office = load_offices()[0]
    assert office.start_urls() == [
        f"{BASE}/te-huur?searchon=list&transactiontype=Rent&sorts=Dwelling&pageindex=1",
        FLAT_P1,
    ]


def test_bad_office_entry_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "realtor:\n  offices:\n    - {slug: Bad Slug, name: x, base_url: https://x.be}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"sources\.yaml"):
        load_offices(path)


def test_jsonld_office_needs_a_detail_pattern() -> None:
    with pytest.raises(ValueError, match="detail_pattern"):
        Office(slug="x", name="X", base_url="https://x.be", template="jsonld")


# -- searchon=list pages -----------------------------------------------------------------


@pytest.fixture(scope="module")
def list_page() -> Any:
    return extract("realtor", FLAT_P1, (FIXTURES / "assembled_list_flat_p1.html").read_bytes())


def test_list_links(list_page: Any) -> None:
    assert list_page.links == [
        f"{BASE}/te-huur/kortrijk/appartement/4312101",
        f"{BASE}/te-huur/kortrijk/appartement/4312102",
        f"{BASE}/te-huur/kortrijk/appartement/4312103",
    ]


def test_list_next_page(list_page: Any) -> None:
    assert list_page.next_page == FLAT_P1.replace("pageindex=1", "pageindex=2")


def test_list_has_no_items(list_page: Any) -> None:
    assert (list_page.items, list_page.problems) == ([], [])


@pytest.fixture(scope="module")
def detail() -> dict[str, Any]:
    extraction = extract(
        "realtor", DETAIL_URL, (FIXTURES / "assembled_detail_4312101.html").read_bytes()
    )
    assert extraction.problems == []
    return extraction.items[0]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("source", "realtor:immopottelberg"),
        ("source_id", "4312101"),
        ("url", DETAIL_URL),
        ("title", "Appartement te huur - Kortrijk"),
        ("property_type", "apartment"),
        ("property_subtype_raw", "Apartment"),
        ("price_raw", "€ 750 / maand"),
        ("rent_eur", 750.0),
        ("charges_eur", 0.0),
        ("street", "Doorniksestraat"),
        ("house_number", "12"),
        ("box", "3"),
        ("postcode", "8500"),
        ("municipality", "Kortrijk"),
        ("latitude", 50.8282),
        ("longitude", 3.2641),
        ("bedrooms", 2),
        ("living_area_m2", 75.0),
        ("epc_kwh_m2", 245.0),
        ("pets_allowed", False),
        ("floor", 3),
        ("elevator", True),
        ("agency_name", "Immo Pottelberg"),
    ],
)
def test_detail_field(detail: dict[str, Any], field: str, expected: object) -> None:
    assert detail[field] == expected


def test_detail_availability(detail: dict[str, Any]) -> None:
    assert str(detail["available_from"]) == "2026-12-01"


def test_detail_description(detail: dict[str, Any]) -> None:
    assert detail["description"].startswith("Appartement te huur in Kortrijk")


def test_detail_with_charges_in_price_text() -> None:
    url = f"{BASE}/te-huur/kortrijk/appartement/4312102"
    item = extract("realtor", url, _recorded(url)).items[0]
    assert (item["rent_eur"], item["charges_eur"]) == (700.0, 50.0)


def test_detail_without_epc() -> None:
    url = f"{BASE}/te-huur/kortrijk/appartement/4312103"
    item = extract("realtor", url, _recorded(url)).items[0]
    assert item.get("epc_kwh_m2") is None


def test_sale_detail_is_a_sale_problem() -> None:
    url = f"{BASE}/te-koop/kortrijk/appartement/4312104"
    extraction = extract("realtor", url, _recorded(url))
    assert [(p.code, p.source_id) for p in extraction.problems] == [("sale", "4312104")]


def test_price_on_request_is_no_price() -> None:
    url = f"{BASE}/te-huur/kortrijk/huis/4312002"
    extraction = extract("realtor", url, _recorded(url))
    assert [(p.code, p.source_id) for p in extraction.problems] == [("no_price", "4312002")]


def test_challenge_page_is_flagged() -> None:
    page = "<html><head><title>Just a moment...</title></head></html>"
    assert extract("realtor", FLAT_P1, page).challenge is not None


# -- the schema.org fallback ---------------------------------------------------------------

DEMO = Office(
    slug="voorbeeld-immo",
    name="Voorbeeld Immo",
    base_url="https://www.voorbeeld-immo.be",
    template="jsonld",
    list_paths=("/nl/aanbod/te-huur",),
    detail_pattern=r"^/nl/pand/\d+",
)
DEMO_LIST = """<html><body>
<a href="/nl/pand/5001/appartement-menen">Appartement</a>
<a href="/nl/pand/5002/huis-wevelgem">Huis</a>
<a href="/nl/contact">Contact</a>
<a rel="next" href="/nl/aanbod/te-huur?page=2">Volgende</a>
</body></html>"""
DEMO_JSONLD = """<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "RealEstateListing", "name": "Appartement te huur",
 "url": "https://www.voorbeeld-immo.be/nl/pand/5001/appartement-menen",
 "description": "Ruim appartement met terras.", "datePosted": "2026-11-15",
 "image": ["https://www.voorbeeld-immo.be/img/5001-1.jpg"],
 "offers": {"@type": "Offer", "price": "690", "priceCurrency": "EUR"},
 "about": {"@type": "Apartment", "numberOfBedrooms": 2,
           "floorSize": {"@type": "QuantitativeValue", "value": 78, "unitCode": "MTK"},
           "address": {"@type": "PostalAddress", "streetAddress": "Rijselstraat 52",
                       "postalCode": "8930", "addressLocality": "Menen"}}}
</script></head><body></body></html>"""
DEMO_MICRODATA = """<html><body>
<div itemscope itemtype="https://schema.org/SingleFamilyResidence">
  <h1 itemprop="name">Woning te huur in Wevelgem</h1>
  <div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">
    <span itemprop="streetAddress">Lauwestraat 25</span>
    <span itemprop="postalCode">8560</span> <span itemprop="addressLocality">Wevelgem</span>
  </div>
  <meta itemprop="numberOfRooms" content="5"><meta itemprop="numberOfBedrooms" content="3">
  <div itemprop="floorSize" itemscope itemtype="https://schema.org/QuantitativeValue">
    <meta itemprop="value" content="120"></div>
</div>
<div itemscope itemtype="https://schema.org/Offer">
  <meta itemprop="price" content="880"><meta itemprop="priceCurrency" content="EUR">
</div></body></html>"""


def test_fallback_list_page_links_match_the_detail_pattern() -> None:
    extraction = extract_office(f"{DEMO.base_url}/nl/aanbod/te-huur", DEMO_LIST, DEMO)
    assert extraction.links == [
        f"{DEMO.base_url}/nl/pand/5001/appartement-menen",
        f"{DEMO.base_url}/nl/pand/5002/huis-wevelgem",
    ]


def test_fallback_list_page_next() -> None:
    extraction = extract_office(f"{DEMO.base_url}/nl/aanbod/te-huur", DEMO_LIST, DEMO)
    assert extraction.next_page == f"{DEMO.base_url}/nl/aanbod/te-huur?page=2"


@pytest.fixture(scope="module")
def jsonld_item() -> dict[str, Any]:
    url = f"{DEMO.base_url}/nl/pand/5001/appartement-menen"
    return extract_office(url, DEMO_JSONLD, DEMO).items[0]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("source", "realtor:voorbeeld-immo"),
        ("source_id", "5001"),
        ("title", "Appartement te huur"),
        ("description", "Ruim appartement met terras."),
        ("property_type", "apartment"),
        ("rent_eur", 690.0),
        ("price_raw", "€ 690"),
        ("bedrooms", 2),
        ("living_area_m2", 78.0),
        ("street", "Rijselstraat"),
        ("house_number", "52"),
        ("postcode", "8930"),
        ("municipality", "Menen"),
        ("published_at", "2026-11-15"),
        ("image_urls", ["https://www.voorbeeld-immo.be/img/5001-1.jpg"]),
        ("agency_name", "Voorbeeld Immo"),
    ],
)
def test_fallback_jsonld_field(jsonld_item: dict[str, Any], field: str, expected: object) -> None:
    assert jsonld_item[field] == expected


@pytest.fixture(scope="module")
def microdata_item() -> dict[str, Any]:
    url = f"{DEMO.base_url}/nl/pand/5002/huis-wevelgem"
    return extract_office(url, DEMO_MICRODATA, DEMO).items[0]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("source_id", "5002"),
        ("title", "Woning te huur in Wevelgem"),
        ("property_type", "house"),
        ("rent_eur", 880.0),
        ("bedrooms", 3),
        ("living_area_m2", 120.0),
        ("street", "Lauwestraat"),
        ("house_number", "25"),
        ("postcode", "8560"),
    ],
)
def test_fallback_microdata_field(
    microdata_item: dict[str, Any], field: str, expected: object
) -> None:
    assert microdata_item[field] == expected


def test_fallback_sale_offer_is_a_sale() -> None:
    page = DEMO_JSONLD.replace(
        '"priceCurrency": "EUR"}',
        '"priceCurrency": "EUR", "businessFunction": "http://purl.org/goodrelations/v1#Sell"}',
    )
    extraction = extract_office(f"{DEMO.base_url}/nl/pand/5001/x", page, DEMO)
    assert [p.code for p in extraction.problems] == ["sale"]


def test_fallback_page_without_data_is_a_parse_error() -> None:
    extraction = extract_office(f"{DEMO.base_url}/nl/pand/5009/x", "<html></html>", DEMO)
    assert [p.code for p in extraction.problems] == ["parse_error"]


def test_unknown_host_gets_an_adhoc_office() -> None:
    assert office_for_url("https://www.immo-elders.be/pand/77").source == "realtor:immo-elders"


def test_unknown_host_with_template_markup_reads_the_facts_table() -> None:
    page = (FIXTURES / "assembled_detail_4312101.html").read_text(encoding="utf-8")
    item = extract(
        "realtor", "https://www.immo-elders.be/te-huur/kortrijk/app/4312101", page
    ).items[0]
    assert (item["source"], item["rent_eur"]) == ("realtor:immo-elders", 750.0)


def test_realtor_module_names_its_templates() -> None:
    assert _realtor.TEMPLATES == ("searchon_list", "jsonld")


# -- end-to-end replays (fresh process: Twisted's reactor cannot restart) --------------------


@pytest.mark.slow
def test_replay_one_office_two_days(tmp_path: Path, replay: Any) -> None:
    def _run(recordings: Path, db: Path, *args: str) -> tuple[int, list[Any], str]:
        return replay("realtor", recordings, db, *args)

    db = tmp_path / "store.db"
    code1, day1, log1 = _run(RECORDINGS / "2026-11-20", db, "-a", "offices=immopottelberg")
    assert code1 == 0, log1[-3000:]
    code2, day2, log2 = _run(RECORDINGS / "2026-11-21", db, "-a", "offices=immopottelberg")
    assert code2 == 0, log2[-3000:]
    c1, c2 = day1[0]["counts"], day2[0]["counts"]
    assert (day1[0]["status"], c1["pages"], c1["seen"], c1["new"]) == ("complete", 10, 5, 5)
    assert c1["dropped"] == {"no_price": 1, "sale": 1}
    assert c1["coverage"]["rent_eur"] == 1.0
    assert c1["coverage"]["epc"] == pytest.approx(0.8)
    assert (c2["seen"], c2["new"], c2["updated"], c2["unchanged"]) == (4, 0, 1, 3)
    with sqlite3.connect(db) as conn:
        gone = conn.execute(
            "SELECT source, source_id FROM listings WHERE gone_at IS NOT NULL"
        ).fetchall()
        rent = conn.execute("SELECT rent_eur FROM listings WHERE source_id = '4312103'").fetchone()
    assert gone == [("realtor:immopottelberg", "4312105")]
    assert rent == (775.0,)


@pytest.mark.slow
def test_an_office_added_in_yaml_is_crawled(tmp_path: Path, replay: Any) -> None:
    def _run(recordings: Path, db: Path, *args: str) -> tuple[int, list[Any], str]:
        return replay("realtor", recordings, db, *args)

    sources = yaml.safe_load((ROOT / "scrapers" / "sources.yaml").read_text(encoding="utf-8"))
    sources["realtor"]["offices"].append(
        {
            "slug": DEMO.slug,
            "name": DEMO.name,
            "base_url": DEMO.base_url,
            "template": "jsonld",
            "list_paths": list(DEMO.list_paths),
            "detail_pattern": DEMO.detail_pattern,
        }
    )
    yaml_path = tmp_path / "sources.yaml"
    yaml_path.write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    replay_dir = tmp_path / "replay"
    cassette = Cassette.load(RECORDINGS / "2026-11-20" / "realtor.yaml")
    cassette.path = replay_dir / "realtor.yaml"
    html = {"Content-Type": ["text/html; charset=utf-8"]}
    for url, body in [
        (f"{DEMO.base_url}/robots.txt", "User-agent: *\nAllow: /\n"),
        (
            f"{DEMO.base_url}/nl/aanbod/te-huur",
            DEMO_LIST.replace('<a rel="next" href="/nl/aanbod/te-huur?page=2">Volgende</a>', ""),
        ),
        (f"{DEMO.base_url}/nl/pand/5001/appartement-menen", DEMO_JSONLD),
        (f"{DEMO.base_url}/nl/pand/5002/huis-wevelgem", DEMO_MICRODATA),
    ]:
        cassette.add(Interaction("GET", url, 200, body.encode(), dict(html)))
    cassette.save("ASSEMBLED test cassette")
    db = tmp_path / "store.db"
    code, runs, log = _run(
        replay_dir, db, "-a", f"sources_file={yaml_path}", "-a", f"offices={DEMO.slug}"
    )
    assert code == 0, log[-3000:]
    assert (runs[0]["counts"]["pages"], runs[0]["counts"]["seen"]) == (3, 2)
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT source, source_id, rent_eur FROM listings ORDER BY source_id"
        ).fetchall()
    assert rows == [
        ("realtor:voorbeeld-immo", "5001", 690.0),
        ("realtor:voorbeeld-immo", "5002", 880.0),
    ]


def test_shared_flat_matches_its_immoscoop_advert(detail: dict[str, Any]) -> None:
    page = (FIXTURES.parent / "immoscoop" / "assembled_detail_910001.html").read_bytes()
    scoop = extract("immoscoop", "https://www.immoscoop.be/te-huur/8500-kortrijk/910001", page)
    keys = (
        "house_number",
        "box",
        "postcode",
        "rent_eur",
        "epc_kwh_m2",
        "bedrooms",
        "living_area_m2",
    )
    assert {k: scoop.items[0][k] for k in keys} == {k: detail[k] for k in keys}


@pytest.mark.parametrize(
    "module",
    [
        "scrapers.extract._immoscoop",
        "scrapers.extract._immovlan",
        "scrapers.extract._tweedehands",
        "scrapers.extract._realtor",
    ],
)
def test_extractor_does_not_import_scrapy(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted')]\n"
        "print(','.join(sorted(bad)))"
    )
    out = subprocess.run(
        [sys.executable, "-P", "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    assert out == ""


# -- the spider's office selection (no crawl) ---------------------------------------------------


def test_spider_crawls_every_bundled_office_by_default() -> None:
    from scrapers.spiders.realtor import RealtorSpider

    spider = RealtorSpider()
    assert (spider.source, len(spider.search_urls())) == ("realtor", 4)


def test_spider_with_one_office_runs_as_that_office() -> None:
    from scrapers.spiders.realtor import RealtorSpider

    spider = RealtorSpider(offices="meuleman-loeters")
    assert (spider.source, spider.allowed_domains) == (
        "realtor:meuleman-loeters",
        ["www.meuleman-loeters.be"],
    )


def test_spider_rejects_an_unknown_office() -> None:
    from scrapers.spiders.realtor import RealtorSpider

    with pytest.raises(ValueError, match="nope"):
        RealtorSpider(offices="nope")
