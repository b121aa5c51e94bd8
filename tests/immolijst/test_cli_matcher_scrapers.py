"""CLI over the matcher and the scrapers: parameters, explain, shortlist, extract, scrape."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from immolijst.cli import cli

ROOT = Path(__file__).resolve().parents[2]
RECORDINGS = ROOT / "scrapers" / "recordings"

EXAMPLE_A_HOUSEHOLD = {
    "members": [
        {"role": "applicant", "birth_date": "1990-05-14"},
        {"role": "child", "birth_date": "2020-03-01"},
        {"role": "child", "birth_date": "2022-06-01"},
    ],
    "income": {
        "net_monthly": {"leefloon": 1741.29, "groeipakket": 463.72},
        "taxable_annual": 20895.48,
    },
    "situation": {"waiting_list_since": "2019-02-01", "leaving": "none", "owns_property": False},
    "preferences": {"municipalities": ["Kortrijk"]},
}
EXAMPLE_A_LISTING = {
    "source": "zimmo",
    "source_id": "A1",
    "url": "https://www.zimmo.be/nl/kortrijk-8500/te-huur/appartement/A1/",
    "property_type": "apartment",
    "rent_eur": 780,
    "charges_eur": 40,
    "postcode": "8500",
    "municipality": "Kortrijk",
    "bedrooms": 2,
    "living_area_m2": 75,
    "epc_label": "C",
}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def household_file(tmp_path: Path) -> Path:
    path = tmp_path / "gezin.yaml"
    path.write_text(yaml.safe_dump(EXAMPLE_A_HOUSEHOLD), encoding="utf-8")
    return path


def test_parameters_lists_values_with_status_and_source() -> None:
    code, out, _ = invoke("parameters", "--date", "2024-06-01", "--json")
    assert code == 0
    rows = {row["name"]: row for row in json.loads(out)}
    assert rows["premium_cap"]["value"]["base_plus10"] == pytest.approx(195.54)
    assert rows["premium_cap"]["status"] == "confirmed"
    assert rows["premium_cap"]["reference"].startswith("http")
    assert {"income_limit", "max_rent", "leefloon", "energy_price_gas"} <= set(rows)


def test_parameters_warns_about_stale_values() -> None:
    code, _out, err = invoke("parameters", "--date", "2030-01-01")
    assert code == 0
    assert "Warning" in err
    assert "max_rent" in err


def test_explain_reproduces_worked_example_a(household_file: Path, tmp_path: Path) -> None:
    listing = tmp_path / "woning.json"
    listing.write_text(json.dumps(EXAMPLE_A_LISTING), encoding="utf-8")
    code, out, _ = invoke(
        "explain", str(household_file), str(listing), "--date", "2024-06-01", "--json"
    )
    assert code == 0
    result = json.loads(out)
    premie = next(a for a in result["allowances"] if a["name"] == "huurpremie")
    assert premie["eligible"] is True
    assert premie["monthly_eur"] == pytest.approx(260.72)
    assert result["verdict"] == "amber"
    code, out, _ = invoke("explain", str(household_file), str(listing), "--date", "2024-06-01")
    assert code == 0
    assert "huurpremie" in out
    assert "260,72" in out


def test_explain_rejects_a_bad_household_without_echoing_its_values(tmp_path: Path) -> None:
    bad = dict(EXAMPLE_A_HOUSEHOLD)
    bad["income"] = {"net_monthly": {"leefloon": -5}, "taxable_annual": 12345.67}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    listing = tmp_path / "woning.json"
    listing.write_text(json.dumps(EXAMPLE_A_LISTING), encoding="utf-8")
    result = CliRunner().invoke(cli, ["explain", str(path), str(listing)])
    assert result.exit_code == 2
    assert "income.net_monthly" in result.stderr
    assert "12345" not in result.stderr


def test_shortlist_ranks_the_store(household_file: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    rows = [
        EXAMPLE_A_LISTING,
        {**EXAMPLE_A_LISTING, "source_id": "A2", "rent_eur": 1350, "living_area_m2": 120},
        {**EXAMPLE_A_LISTING, "source_id": "A3", "rent_eur": 640},
    ]
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert invoke("--db", db, "import", str(jsonl))[0] == 0
    code, out, _ = invoke(
        "--db", db, "shortlist", str(household_file), "--date", "2024-06-01", "--json"
    )
    assert code == 0
    ranked = [e["listing"]["source_id"] for e in json.loads(out)["evaluations"]]
    assert ranked[0] == "A3"
    assert ranked[-1] == "A2"


def test_extract_prints_listings_as_json_with_the_listing_field_names(tmp_path: Path) -> None:
    sample = ROOT / "tests" / "scrapers" / "fixtures" / "immoweb"
    search = sample / "turbo-immo__search-results_gent_redacted.json"
    code, out, err = invoke(
        "extract",
        "immoweb",
        str(search),
        "--url",
        "https://www.immoweb.be/en/search-results/house/for-sale?countries=BE&postalCodes=BE-9000&page=1",
    )
    assert code == 0
    assert json.loads(out) == []  # a sale search: every result is dropped...
    assert "sale" in err  # ...and each drop is reported with its reason


def test_extract_reads_a_recorded_rental_page(tmp_path: Path) -> None:
    from scrapers._cassette import Cassette

    cassette = Cassette.load(RECORDINGS / "2026-11-20" / "zimmo.yaml")
    page = next(i for i in cassette.interactions if "/te-huur/" in i.url and i.status == 200)
    saved = tmp_path / "page.html"
    saved.write_bytes(page.body)
    code, out, _ = invoke("extract", "zimmo", str(saved), "--url", page.url)
    assert code == 0
    listings = json.loads(out)
    assert listings
    assert {"source", "source_id", "url", "rent_eur", "postcode"} <= set(listings[0])
    assert all(item["source"] == "zimmo" for item in listings)


def test_scrape_replays_a_source_and_prints_the_summary(tmp_path: Path) -> None:
    db = tmp_path / "scrape.sqlite3"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "immolijst",
            "--db",
            f"sqlite:///{db}",
            "scrape",
            "--source",
            "zimmo",
            "--replay",
            str(RECORDINGS / "2026-11-20"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Crawl summary" in done.stdout
    assert "zimmo" in done.stdout
    assert "complete" in done.stdout


def test_scrape_of_a_blocked_recording_exits_3_and_says_partial(tmp_path: Path) -> None:
    db = tmp_path / "scrape.sqlite3"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "immolijst",
            "--db",
            f"sqlite:///{db}",
            "scrape",
            "--source",
            "immoweb",
            "--replay",
            str(RECORDINGS / "2026-11-22-blocked"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )
    assert done.returncode == 3
    assert "partial" in done.stdout
