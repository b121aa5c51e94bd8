"""Benchmark of the web app's immolijst: server time of the page and of the PDF for one household.

    python bench/bench_web.py [--dwellings 10000] [--quick] [--repeat 7]
                              [--out bench/results/web.json]

A fresh SQLite store (in a temporary directory) is filled with seeded synthetic
W13 adverts, linked into dwellings (``listings._dwellings.dedupe``), and a
worker with one household is created. Through the ASGI app (Starlette's test
client: the full middleware stack, no network), it then measures:

1. the immolijst page of that household over every active dwelling: the first
   request (cold: the dwellings frame is loaded from the store) and the median
   of ``--repeat`` warm requests;
2. the printable immolijst (PDF of the first 10 dwellings), median of ``--repeat``.

Baselines measured in the same run: ``matcher.shortlist`` over the same
dwellings frame (the ranking the page cannot avoid) and WeasyPrint rendering a
one-line document (the PDF engine's fixed cost). Targets (2-core machine):
page under 300 ms, PDF under 2 s. ``--quick`` uses 500 dwellings and 2 repeats.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

DEFAULT_OUT = Path(__file__).parent / "results" / "web.json"
TARGET_PAGE_S = 0.3
TARGET_PDF_S = 2.0
PASSWORD = "bench-wachtwoord-13"
TYPES = ["apartment", "house", "studio", "room"]
TYPE_WEIGHTS = [0.55, 0.25, 0.12, 0.08]
LABELS = ["A", "B", "C", "D", "E", "F"]
HOUSEHOLD_FORM: dict[str, Any] = {
    "label": "Bench",
    "member_count": "2",
    "members-0-role": "applicant",
    "members-0-birth_date": "1987-03-21",
    "members-0-custody": "full",
    "members-1-role": "child",
    "members-1-birth_date": "2019-11-04",
    "members-1-custody": "full",
    "income-leefloon": "1741,29",
    "income-groeipakket": "186,84",
    "taxable_annual": "20895,48",
    "waiting_list_since": "2019-02-01",
    "leaving": "none",
    "action": "save",
}


def synthetic_adverts(n: int, seed: int, start: int = 0) -> list[Any]:
    """``n`` seeded W13 adverts (ids from ``start``), each meant as a different home."""
    from listings import Listing, _places

    rng = random.Random(seed * 1_000_003 + start)
    places = [
        (m, pc) for m in _places.W13_MUNICIPALITIES for pc in _places.municipality_postcodes(m)
    ]
    base = {"apartment": 750, "house": 950, "studio": 560, "room": 420}
    out = []
    for i in range(start, start + n):
        municipality, postcode = places[i % len(places)]
        kind = rng.choices(TYPES, TYPE_WEIGHTS)[0]
        bedrooms = 0 if kind in ("studio", "room") else rng.randint(1, 4)
        source = rng.choice(["immoweb", "zimmo", "immoscoop", "immovlan"])
        out.append(
            Listing(
                source=source,
                source_id=f"W{i:06d}",
                url=f"https://www.{source}.be/nl/{i}",
                property_type=kind,
                street=f"Benchstraat{i}",
                house_number=str(i % 97 + 1),
                postcode=postcode,
                municipality=municipality,
                rent_eur=float(round(max(380, rng.gauss(base[kind], 160)))),
                charges_eur=float(rng.choice([0, 25, 40, 60])) if rng.random() < 0.7 else None,
                bedrooms=bedrooms,
                living_area_m2=float(rng.randint(18, 160)) if rng.random() < 0.85 else None,
                epc_label=rng.choice(LABELS) if rng.random() < 0.8 else None,
                agency_name=f"Kantoor {i % 37}",
            )
        )
    return out


def _median(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(n: int, repeat: int, seed: int) -> dict[str, Any]:
    """Build the store, run the measurements and return the figures."""
    from starlette.testclient import TestClient
    from weasyprint import HTML

    import matcher
    from immolijst.report._dwellings_api import load_dwellings
    from immolijst.settings import Settings
    from immolijst.web.app import WebOptions, create_app
    from immolijst.web.auth import hash_password
    from immolijst.web.db import AppDB
    from listings import Store
    from listings._dwellings import dedupe

    tmp = Path(tempfile.mkdtemp(prefix="bench_web_"))
    url = f"sqlite:///{tmp / 'store.sqlite3'}"
    started = time.perf_counter()
    with Store(url) as store:
        # Add adverts until there are ``n`` active dwellings (a few adverts link together).
        made, active = 0, 0
        while active < n:
            adverts = synthetic_adverts(n - active, seed, start=made)
            made += len(adverts)
            store.upsert(adverts)
            dedupe(store)
            active = len(load_dwellings(store))
    setup_s = time.perf_counter() - started
    db = AppDB(url)
    db.add_user("bench", "worker", hash_password(PASSWORD))
    db.close()
    settings = Settings(database_url=url, data_dir=tmp)
    app = create_app(settings, options=WebOptions(secret_key="bench-" + "x" * 40))

    def token(html: str) -> str:
        match = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert match is not None
        return match.group(1)

    with TestClient(app, base_url="http://localhost", follow_redirects=False) as client:
        login = client.post(
            "/login",
            data={
                "name": "bench",
                "password": PASSWORD,
                "csrf_token": token(client.get("/login").text),
            },
        )
        assert login.status_code == 303, login.status_code
        created = client.post(
            "/huishoudens/nieuw",
            data={**HOUSEHOLD_FORM, "csrf_token": token(client.get("/huishoudens/nieuw").text)},
        )
        assert created.status_code == 303, created.text[:500]
        page_url = created.headers["location"] + "/immolijst"

        start = time.perf_counter()
        first = client.get(page_url)
        page_cold_s = time.perf_counter() - start
        assert first.status_code == 200
        rows = first.text.count('class="dwelling-row"')
        page_s = _median(lambda: client.get(page_url), repeat)
        csrf = token(first.text)
        pdf_url = created.headers["location"] + "/immolijst.pdf"
        response = client.post(pdf_url, data={"csrf_token": csrf})
        assert response.headers["content-type"] == "application/pdf"
        pdf_s = _median(lambda: client.post(pdf_url, data={"csrf_token": csrf}), repeat)

    household = matcher.load_household(
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
    with Store(url) as store:
        frame = load_dwellings(store)
    params = matcher.load_parameters()
    shortlist_s = _median(
        lambda: matcher.shortlist(household, frame, date.today(), params=params), repeat
    )
    weasy_s = _median(lambda: HTML(string="<p>Woonclub W13</p>").write_pdf(), repeat)
    return {
        "benchmark": "web",
        "dwellings": active,
        "adverts": made,
        "rows_on_page": rows,
        "repeat": repeat,
        "setup_s": round(setup_s, 3),
        "page_cold_s": round(page_cold_s, 4),
        "page_s": round(page_s, 4),
        "pdf_s": round(pdf_s, 4),
        "baseline_shortlist_s": round(shortlist_s, 4),
        "baseline_weasyprint_s": round(weasy_s, 4),
        "page_vs_shortlist": round(page_s / shortlist_s, 2) if shortlist_s else None,
        "pdf_vs_weasyprint": round(pdf_s / weasy_s, 2) if weasy_s else None,
        "target_page_s": TARGET_PAGE_S,
        "target_pdf_s": TARGET_PDF_S,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print a table and write the JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dwellings", type=int, default=10_000, help="active dwellings")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--quick", action="store_true", help="500 dwellings, 2 repeats")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    n, repeat = (500, 2) if args.quick else (args.dwellings, args.repeat)
    result = run(n, repeat, args.seed)
    full = not args.quick and n >= 10_000
    result.update(
        {
            "quick": args.quick,
            "page_target_met": result["page_s"] < TARGET_PAGE_S if full else None,
            "pdf_target_met": result["pdf_s"] < TARGET_PDF_S if full else None,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
        }
    )
    print(f"{'measure':<28}{'seconds':>10}")
    for key in ("page_cold_s", "page_s", "pdf_s", "baseline_shortlist_s", "baseline_weasyprint_s"):
        print(f"{key:<28}{result[key]:>10.4f}")
    print(
        f"dwellings={result['dwellings']} page<{TARGET_PAGE_S}s: {result['page_target_met']} "
        f"pdf<{TARGET_PDF_S}s: {result['pdf_target_met']}"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
