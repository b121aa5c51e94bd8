"""HTTP-level tests of the immolijst page and its PDF/XLSX exports (issue 6, pages 3 + exports)."""

from __future__ import annotations

import io
import logging
import re
from datetime import date
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

import matcher
from immolijst.report._dwellings_api import load_dwellings
from immolijst.report._items import listing_from_row
from immolijst.report._sample import seed_sample_store
from listings import Store
from matcher import format_eur, format_percent


@pytest.fixture
def seeders(seeders: list[Any]) -> list[Any]:
    """Add the sample dwellings to the seeded database."""
    return [*seeders, lambda settings: seed_sample_store(settings.database_url)]


def _expected(settings: Any, helpers: Any) -> list[tuple[str, matcher.Evaluation]]:
    """The sample dwellings ranked by the matcher for the GOOD_FORM household, with evaluations."""
    from starlette.datastructures import FormData

    from immolijst.web.households import FormState, validate

    form = FormData(
        [
            (k, v)
            for k, vs in helpers.GOOD_FORM.items()
            for v in (vs if isinstance(vs, list) else [vs])
        ]
    )
    household = validate(FormState.from_form(form)).household
    assert household is not None
    with Store(settings.database_url) as store:
        frame = load_dwellings(store)
    params = matcher.load_parameters()
    result = matcher.shortlist(household, frame, date.today(), params=params, vectorised=True)
    out = []
    for pos in result.frame.index:
        listing = listing_from_row(frame.iloc[int(pos)].to_dict())
        out.append(
            (
                listing.street or "",
                matcher.evaluate(household, listing, date.today(), params=params),
            )
        )
    return out


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr class="dwelling-row".*?</tr>', html, flags=re.S)


def test_immolijst_shows_ranked_dwellings_with_amounts(
    worker_client: Any, helpers: Any, seeded_settings: Any
) -> None:
    household_id = helpers.create_household(worker_client)
    response = worker_client.get(f"/huishoudens/{household_id}/immolijst")
    assert response.status_code == 200
    html = response.text
    rows = _rows(html)
    assert len(rows) == 5  # the Kortrijk flat on two portals is one dwelling
    expected = _expected(seeded_settings, helpers)
    street, evaluation = expected[0]
    assert street == "Kerkstraat"
    first = rows[0]
    assert "Kerkstraat 12" in first
    cost = evaluation.cost
    assert format_eur(cost.rent_eur, cents=True) in first
    assert format_eur(cost.charges_eur, cents=True) in first
    assert format_eur(cost.energy_eur, cents=True) in first
    assert format_eur(cost.allowance_eur, cents=True) in first
    assert format_eur(cost.net_monthly_eur, cents=True) in first
    assert format_percent(evaluation.ratios.rent_share) in first
    # verdict as colour and word
    assert f'badge-{evaluation.verdict}">{evaluation.verdict_label}<' in first
    # both adverts of the dwelling are linked
    assert "https://www.zimmo.be/nl/te-huur/z1/" in first
    assert "https://www.immoweb.be/nl/te-huur/i1/" in first
    # the cost bar and the reasons
    assert '<svg class="costbar" role="img"' in first
    assert evaluation.reasons[0] in first
    # estimates are marked (energy is always an estimate)
    assert "(schatting)" in first
    # ranking order follows the matcher
    streets = [re.search(r'<p class="address"><a [^>]*>([^<]*)</a>', r).group(1) for r in rows]
    assert [s.split(" ")[0] for s in streets] == [s for s, _ in expected]


def test_filters_and_sort(worker_client: Any, helpers: Any) -> None:
    household_id = helpers.create_household(worker_client)
    url = f"/huishoudens/{household_id}/immolijst"
    html = worker_client.get(url, params={"gemeente": "Menen"}).text
    assert [r for r in _rows(html) if "Rijselstraat 5 bus 2" in r]
    assert len(_rows(html)) == 1
    html = worker_client.get(url, params={"type": "house"}).text
    assert len(_rows(html)) == 1
    assert "Lauwestraat 40" in html
    html = worker_client.get(url, params={"slaapkamers": "3"}).text
    assert len(_rows(html)) == 1
    assert "Lauwestraat 40" in html
    html = worker_client.get(url, params={"sorteer": "huur"}).text
    rents = [re.search(r'<td class="num rent">€ ([\d.,]+)', r).group(1) for r in _rows(html)]
    assert rents == ["520,00", "650,00", "700,00", "760,00", "1.150,00"]
    html = worker_client.get(url, params={"oordeel": "red"}).text
    assert _rows(html)
    assert all("badge-red" in r for r in _rows(html))
    # junk filter values are ignored, not echoed
    html = worker_client.get(url, params={"gemeente": "<script>", "sorteer": "x"}).text
    assert len(_rows(html)) == 5
    assert "<script>" not in html


def test_other_worker_gets_403_and_unknown_404(app: Any, worker_client: Any, helpers: Any) -> None:
    household_id = helpers.create_household(worker_client)
    with helpers.new_client(app, "worker2") as other:
        assert other.get(f"/huishoudens/{household_id}/immolijst").status_code == 403
        token = helpers.csrf_token(other.get("/").text)
        pdf = other.post(f"/huishoudens/{household_id}/immolijst.pdf", data={"csrf_token": token})
        assert pdf.status_code == 403
    assert worker_client.get("/huishoudens/" + "A" * 22 + "/immolijst").status_code == 404
    with helpers.new_client(app, "admin") as admin:
        assert admin.get(f"/huishoudens/{household_id}/immolijst").status_code == 200


def test_pdf_export_client_copy_has_no_income(
    worker_client: Any, helpers: Any, app_db: Any, seeded_settings: Any
) -> None:
    household_id = helpers.create_household(worker_client)
    page = worker_client.get(f"/huishoudens/{household_id}/immolijst").text
    token = helpers.csrf_token(page)
    url = f"/huishoudens/{household_id}/immolijst.pdf"
    assert worker_client.post(url, data={}).status_code == 403  # no CSRF token
    response = worker_client.post(url, data={"csrf_token": token})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    _, evaluation = _expected(seeded_settings, helpers)[0]
    assert "Kerkstraat 12" in text
    assert format_eur(evaluation.cost.net_monthly_eur, cents=True) in text
    assert "Immo Leie" in text  # contact of the agency
    assert "Huurpremie" in text  # the page on allowances and next steps
    income = format_eur(1741.29 + 186.84, cents=True)
    assert income not in text
    assert "van uw inkomen" not in text
    assert "Deel van uw inkomen" not in text
    # with the option ticked, the income figures appear
    response = worker_client.post(url, data={"csrf_token": token, "toon_inkomen": "ja"})
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert income in text
    assert "Deel van uw inkomen" in text
    actions = [(e.action, e.household_id) for e in app_db.audit_entries(household_id)]
    assert actions.count(("export", household_id)) == 2
    assert ("open", household_id) in actions


def test_pdf_of_selected_dwellings(worker_client: Any, helpers: Any) -> None:
    household_id = helpers.create_household(worker_client)
    page = worker_client.get(f"/huishoudens/{household_id}/immolijst").text
    ids = re.findall(r'name="woning" value="(\d+)"', page)
    menen = [i for i, r in zip(ids, _rows(page), strict=True) if "Rijselstraat" in r]
    response = worker_client.post(
        f"/huishoudens/{household_id}/immolijst.pdf",
        data={"csrf_token": helpers.csrf_token(page), "woning": menen},
    )
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Rijselstraat 5 bus 2" in text
    assert "Kerkstraat" not in text


def test_xlsx_export_has_every_dwelling_and_dutch_headers(
    worker_client: Any, helpers: Any, app_db: Any
) -> None:
    household_id = helpers.create_household(worker_client)
    page = worker_client.get(f"/huishoudens/{household_id}/immolijst").text
    response = worker_client.post(
        f"/huishoudens/{household_id}/immolijst.xlsx", data={"csrf_token": helpers.csrf_token(page)}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert "Rang" in header
    assert "Netto (€/maand)" in header
    assert "Straat" in header
    assert "Advertenties" in header
    assert "EPC-label" in header
    assert len(rows) == 1 + 5
    first = dict(zip(header, rows[1], strict=True))
    assert first["Rang"] == 1
    assert first["Straat"] == "Kerkstraat"
    assert "https://www.immoweb.be/nl/te-huur/i1/" in first["Advertenties"]
    assert ("export", household_id) in [(e.action, e.household_id) for e in app_db.audit_entries()]


def test_no_household_data_in_urls_or_logs(
    worker_client: Any, helpers: Any, caplog: pytest.LogCaptureFixture
) -> None:
    household_id = helpers.create_household(worker_client)
    caplog.set_level(logging.DEBUG)
    html = worker_client.get(f"/huishoudens/{household_id}/immolijst").text
    token = helpers.csrf_token(html)
    worker_client.post(f"/huishoudens/{household_id}/immolijst.pdf", data={"csrf_token": token})
    worker_client.post(f"/huishoudens/{household_id}/immolijst.xlsx", data={"csrf_token": token})
    secrets = ["Zonnebloem", "1741", "1.741", "20895", "20.895", "1987-03-21", "2019-11-04"]
    urls = re.findall(r'(?:href|action|formaction|src)="([^"]*)"', html)
    assert urls
    for url in urls:
        assert not any(s in url for s in secrets), url
    for record in caplog.records:
        message = record.getMessage()
        assert not any(s in message for s in secrets), message
