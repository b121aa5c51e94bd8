"""In a real browser: a household's immolijst, the explanation of one dwelling, the PDF, axe."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

import matcher
from immolijst.report._dwellings_api import load_dwellings
from immolijst.report._items import listing_from_row
from immolijst.report._sample import seed_sample_store
from listings import Store
from matcher import format_eur


@pytest.fixture
def seeders(seeders: list[Any]) -> list[Any]:
    """Add the sample dwellings to the seeded database."""
    return [*seeders, lambda settings: seed_sample_store(settings.database_url)]


@pytest.fixture
def household_id(app: Any, helpers: Any) -> str:
    """A household of worker1, created over HTTP (the browser tests start from it)."""
    with helpers.new_client(app, "worker1") as client:
        return str(helpers.create_household(client))


def _top_evaluation(settings: Any, helpers: Any) -> matcher.Evaluation:
    household = matcher.load_household(
        {
            "members": [
                {"role": "applicant", "birth_date": helpers.GOOD_FORM["members-0-birth_date"]},
                {"role": "child", "birth_date": helpers.GOOD_FORM["members-1-birth_date"]},
            ],
            "income": {
                "net_monthly": {"leefloon": 1741.29, "groeipakket": 186.84},
                "taxable_annual": 20895.48,
            },
            "situation": {"waiting_list_since": helpers.GOOD_FORM["waiting_list_since"]},
            "preferences": {
                "municipalities": helpers.GOOD_FORM["municipalities"],
                "property_types": helpers.GOOD_FORM["property_types"],
                "min_bedrooms": 2,
            },
        }
    )
    with Store(settings.database_url) as store:
        frame = load_dwellings(store)
    result = matcher.shortlist(household, frame, date.today(), vectorised=True)
    listing = listing_from_row(frame.iloc[int(result.frame.index[0])].to_dict())
    assert listing.street == "Kerkstraat"
    return matcher.evaluate(household, listing, date.today())


def test_immolijst_explanation_and_pdf_in_the_browser(
    page: Any, live_server: str, helpers: Any, household_id: str, seeded_settings: Any
) -> None:
    evaluation = _top_evaluation(seeded_settings, helpers)
    helpers.browser_login(page, live_server, "worker1")
    page.goto(f"{live_server}/huishoudens/{household_id}")
    page.get_by_role("link", name="Immolijst bekijken").click()
    page.wait_for_url(f"{live_server}/huishoudens/{household_id}/immolijst")
    first = page.locator("tr.dwelling-row").first
    assert "Kerkstraat 12" in first.locator(".address").inner_text()
    assert (
        first.locator("td.rent")
        .inner_text()
        .startswith(format_eur(evaluation.cost.rent_eur, cents=True))
    )
    net = format_eur(evaluation.cost.net_monthly_eur, cents=True)
    assert first.locator("td.net").inner_text().startswith(net)
    assert (
        first.locator("td.allowance")
        .inner_text()
        .startswith("− " + format_eur(evaluation.cost.allowance_eur, cents=True))
    )
    assert first.locator("td.verdict").inner_text() == evaluation.verdict_label

    # a filter narrows the list (GET parameters carry only the filter)
    page.get_by_label("Gemeente").select_option("Menen")
    page.get_by_role("button", name="Toepassen").click()
    page.wait_for_url("**/immolijst?*gemeente=Menen*")
    assert page.locator("tr.dwelling-row").count() == 1
    page.get_by_role("link", name="Filters wissen").click()
    page.wait_for_url(f"{live_server}/huishoudens/{household_id}/immolijst")

    # the explanation of the first dwelling
    page.locator("tr.dwelling-row").first.get_by_role("link", name="Uitleg").click()
    page.wait_for_url(f"{live_server}/huishoudens/{household_id}/woningen/*")
    assert page.locator("#cost-net").inner_text().startswith(net)
    assert page.get_by_role("heading", name="Wat nu?").is_visible()
    assert page.get_by_text("Berekening:").first.is_visible()
    page.get_by_role("link", name="Terug naar de immolijst").first.click()

    # the PDF: downloaded through the export form, its text has the address and the net cost
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Immolijst als PDF").click()
    download = download_info.value
    assert download.suggested_filename == "immolijst.pdf"
    data = Path(download.path()).read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Kerkstraat 12" in text
    assert net in text


def test_immolijst_and_dwelling_pages_have_no_serious_violations(
    axe_page: Any, live_server: str, helpers: Any, household_id: str
) -> None:
    helpers.browser_login(axe_page, live_server, "worker1")
    axe_page.goto(f"{live_server}/huishoudens/{household_id}/immolijst")
    assert axe_page.locator("tr.dwelling-row").count() == 5
    assert helpers.serious_violations(axe_page) == []
    axe_page.locator("tr.dwelling-row").first.get_by_role("link", name="Uitleg").click()
    axe_page.wait_for_url(f"{live_server}/huishoudens/{household_id}/woningen/*")
    assert helpers.serious_violations(axe_page) == []


def test_sources_page_has_no_serious_violations(
    axe_page: Any, live_server: str, helpers: Any
) -> None:
    helpers.browser_login(axe_page, live_server, "admin")
    axe_page.goto(f"{live_server}/bronnen")
    assert axe_page.locator("table.sources tbody tr").count() == 2
    assert helpers.serious_violations(axe_page) == []
