"""The report package: ranking over dwellings, the offline PDF renderer, the XLSX export."""

from __future__ import annotations

import hashlib
import io
import socket
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader
from weasyprint import HTML

import matcher
from immolijst.report import (
    Filters,
    OfflineFetcher,
    immolijst,
    render_pdf,
    render_xlsx,
    select_items,
    thumbnail_file,
)
from immolijst.report.pdf import client_reasons, render_html
from listings import LISTING_FIELDS

ON = date(2024, 6, 1)
HOUSEHOLD = matcher.load_household(
    {
        "members": [
            {"role": "applicant", "birth_date": "1987-03-21"},
            {"role": "child", "birth_date": "2019-11-04"},
        ],
        "income": {
            "net_monthly": {"leefloon": 1741.29, "groeipakket": 186.84},
            "taxable_annual": 20895.48,
        },
        "situation": {"waiting_list_since": "2019-02-01"},
    }
)
INCOME = "€ 1.928,13"


def _dwellings() -> pd.DataFrame:
    rows = [
        {
            "source": "zimmo",
            "source_id": "A",
            "street": "Kerkstraat",
            "house_number": "12",
            "postcode": "8500",
            "municipality": "Kortrijk",
            "property_type": "apartment",
            "rent_eur": 650.0,
            "charges_eur": 50.0,
            "bedrooms": 2,
            "living_area_m2": 78.0,
            "epc_label": "C",
            "agency_name": "Immo Leie",
            "image_urls": ["https://img.example.com/a.jpg"],
        },
        {
            "source": "immoweb",
            "source_id": "B",
            "street": "Rijselstraat",
            "house_number": "5",
            "box": "2",
            "postcode": "8930",
            "municipality": "Menen",
            "property_type": "apartment",
            "rent_eur": 760.0,
            "bedrooms": 2,
            "living_area_m2": 82.0,
        },
        {
            "source": "zimmo",
            "source_id": "C",
            "street": "Lauwestraat",
            "house_number": "40",
            "postcode": "8560",
            "municipality": "Wevelgem",
            "property_type": "house",
            "rent_eur": 1150.0,
            "bedrooms": 3,
        },
        {
            "source": "zimmo",
            "source_id": "D",
            "postcode": "8500",
            "municipality": "Kortrijk",
            "property_type": "studio",
            "rent_eur": None,
            "bedrooms": 0,
        },
    ]
    frame = pd.DataFrame(rows)
    frame["url"] = [
        f"https://www.{s}.be/{i}" for s, i in zip(frame.source, frame.source_id, strict=True)
    ]
    frame["dwelling_id"] = [11, 12, 13, 14]
    frame["adverts"] = [
        [{"source": s, "source_id": i, "url": u, "active": True}]
        for s, i, u in zip(frame.source, frame.source_id, frame.url, strict=True)
    ]
    for name in LISTING_FIELDS:
        if name not in frame.columns:
            frame[name] = None
    return frame


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record (and refuse) every attempt to open a network connection."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network is blocked in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_ranking_filters_sort_and_paging() -> None:
    frame = _dwellings()
    params = matcher.load_parameters()
    page = immolijst(HOUSEHOLD, frame, on=ON, params=params)
    assert page.total == page.considered == 4
    assert sum(page.counts.values()) == 4
    assert [i.rank for i in page.items] == [1, 2, 3, 4]
    first = page.items[0]
    assert (first.address, first.place) == ("Kerkstraat 12", "8500 Kortrijk")
    assert first.evaluation == matcher.evaluate(HOUSEHOLD, first.listing, ON, params=params)
    menen = immolijst(HOUSEHOLD, frame, on=ON, params=params, filters=Filters(municipality="Menen"))
    assert [i.address for i in menen.items] == ["Rijselstraat 5 bus 2"]
    by_rent = immolijst(HOUSEHOLD, frame, on=ON, params=params, filters=Filters(sort="huur"))
    assert [i.listing.rent_eur for i in by_rent.items] == [650.0, 760.0, 1150.0, None]
    by_area = immolijst(HOUSEHOLD, frame, on=ON, params=params, filters=Filters(sort="oppervlakte"))
    assert [i.dwelling_id for i in by_area.items][:3] == [12, 11, 13]
    beds = immolijst(HOUSEHOLD, frame, on=ON, params=params, filters=Filters(min_bedrooms=3))
    assert [i.dwelling_id for i in beds.items] == [13]
    paged = immolijst(HOUSEHOLD, frame, on=ON, params=params, page=2, per_page=3)
    assert (paged.page, paged.pages, [i.rank for i in paged.items]) == (2, 2, [4])
    verdict = page.items[0].evaluation.verdict
    only = immolijst(HOUSEHOLD, frame, on=ON, params=params, filters=Filters(verdict=verdict))
    assert only.items
    assert all(i.evaluation.verdict == verdict for i in only.items)


def test_filters_from_query_ignore_junk() -> None:
    filters = Filters.from_query(
        {
            "gemeente": "Kortrijk",
            "type": "house",
            "slaapkamers": "2",
            "oordeel": "green",
            "sorteer": "huur",
        }
    )
    assert filters == Filters("Kortrijk", "house", 2, "green", "huur")
    assert filters.query() == {
        "gemeente": "Kortrijk",
        "type": "house",
        "slaapkamers": "2",
        "oordeel": "green",
        "sorteer": "huur",
    }
    junk = Filters.from_query(
        {
            "gemeente": "Gent",
            "type": "castle",
            "slaapkamers": "-1",
            "oordeel": "blue",
            "sorteer": "1; drop",
        }
    )
    assert junk == Filters()
    assert junk.query() == {}


def test_offline_fetcher_refuses_every_remote_url(tmp_path: Path, no_network: list[Any]) -> None:
    outside = tmp_path / "outside.css"
    outside.write_text("body { color: red; }")
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (allowed / "ok.css").write_text("body { color: blue; }")
    fetcher = OfflineFetcher([allowed])
    html = (
        '<link rel="stylesheet" href="https://cdn.example.com/x.css">'
        '<link rel="stylesheet" href="http://cdn.example.com/y.css">'
        f'<link rel="stylesheet" href="file://{outside}">'
        f'<link rel="stylesheet" href="file://{allowed / "ok.css"}">'
        '<img src="https://img.example.com/photo.jpg"><p>Hallo</p>'
    )
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert sorted(fetcher.refused) == sorted(
        [
            "https://cdn.example.com/x.css",
            "http://cdn.example.com/y.css",
            f"file://{outside}",
            "https://img.example.com/photo.jpg",
        ]
    )
    assert no_network == []


def test_pdf_is_rendered_offline_with_qr_codes(no_network: list[Any]) -> None:
    params = matcher.load_parameters()
    items = select_items(HOUSEHOLD, _dwellings(), None, on=ON, params=params, limit=3)
    pdf = render_pdf(HOUSEHOLD, items, on=ON, show_income=False, params=params)
    assert no_network == []
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    first = items[0]
    assert "Woonclub W13" in text
    assert "01/06/2024" in text
    assert "Kerkstraat 12, 8500 Kortrijk" in text
    assert matcher.format_eur(first.evaluation.cost.net_monthly_eur, cents=True) in text
    assert "Immo Leie" in text
    assert "https://www.zimmo.be/A" in text
    assert "Huurpremie, huursubsidie en waarborg: wat nu?" in text
    assert INCOME not in text
    assert "van uw inkomen" not in text
    html = render_html(HOUSEHOLD, items, on=ON, show_income=False, params=params)
    assert html.count('src="data:image/png') == 3  # one QR code per dwelling
    assert "https://img.example.com" not in html  # remote pictures are never used
    with_income = render_pdf(HOUSEHOLD, items, on=ON, show_income=True, params=params)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(with_income)).pages)
    assert INCOME in text
    assert "van uw inkomen" in text


def test_client_reasons_leave_out_income_lines() -> None:
    params = matcher.load_parameters()
    (item,) = select_items(HOUSEHOLD, _dwellings(), [11], on=ON, params=params)
    reasons = item.evaluation.reasons
    kept = client_reasons(item.evaluation, show_income=False)
    assert kept[0] == reasons[0]
    assert len(kept) == len(reasons) - 3
    assert not any("inkomen" in r or "over om van te leven" in r for r in kept)
    assert client_reasons(item.evaluation, show_income=True) == reasons
    (unknown,) = select_items(HOUSEHOLD, _dwellings(), [14], on=ON, params=params)
    assert client_reasons(unknown.evaluation, show_income=False) == unknown.evaluation.reasons


def test_thumbnails_come_from_the_local_store_only(tmp_path: Path) -> None:
    url = "https://img.example.com/a.jpg"
    assert thumbnail_file(tmp_path, [url]) is None
    assert thumbnail_file(None, [url]) is None
    path = tmp_path / f"{hashlib.sha256(url.encode()).hexdigest()}.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert thumbnail_file(tmp_path, ["https://other.example.com/b.jpg", url]) == path


def test_xlsx_from_items_has_every_field() -> None:
    params = matcher.load_parameters()
    items = select_items(HOUSEHOLD, _dwellings(), None, on=ON, params=params)
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(items))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert len(rows) == 1 + 4
    assert len(header) == len(set(header))
    assert {
        "Rang",
        "Woning-id",
        "Adres",
        "Oordeel",
        "Netto (€/maand)",
        "Straat",
        "Bus",
        "Huisdieren toegelaten",
        "Foto's",
        "Redenen",
        "Schattingen",
    } <= set(header)
    assert len(header) >= len(LISTING_FIELDS) + 10
    first = dict(zip(header, rows[1], strict=True))
    assert first["Rang"] == 1
    assert first["Adres"] == "Kerkstraat 12, 8500 Kortrijk"
    assert first["Netto (€/maand)"] == items[0].evaluation.cost.net_monthly_eur
    assert first["Huur (€/maand)"] == 650.0
    assert first["Foto's"] == "https://img.example.com/a.jpg"


def test_xlsx_from_a_frame_writes_all_columns() -> None:
    frame = pd.DataFrame(
        {
            "rent_eur": [650.0, None],
            "garden": [True, None],
            "first_seen_at": pd.to_datetime(["2026-11-01", "2026-11-02"], utc=True),
            "custom": ["x", "y"],
        }
    )
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(frame))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Huur (€/maand)", "Tuin", "Eerst gezien", "custom")
    assert rows[1][:2] == (650.0, "ja")
    assert rows[2][:2] == (None, None)
    assert rows[1][2].year == 2026
