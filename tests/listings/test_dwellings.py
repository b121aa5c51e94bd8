"""Dwellings in the store: dedupe runs, stable ids, merges, merged view, DataFrame."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa

from listings import Listing
from listings._dedupe import normalise_street
from listings._dwelling_schema import dwelling_links, dwelling_merges, dwellings_table
from listings._dwellings import (
    DWELLING_FRAME_COLUMNS,
    DedupeResult,
    dedupe,
    dwelling_of,
    dwellings_frame,
    get_dwelling,
    iter_dwellings,
)
from listings._frame import FRAME_COLUMNS
from listings._store import RunStatus, Store

ROOT = Path(__file__).resolve().parents[2]
RECORDINGS = ROOT / "scrapers" / "recordings"
T0 = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)

FLAT: dict[str, Any] = {
    "street": "Doorniksestraat",
    "house_number": "12",
    "box": "3",
    "postcode": "8500",
    "municipality": "Kortrijk",
    "rent_eur": 750.0,
    "living_area_m2": 75.0,
    "bedrooms": 2,
    "epc_kwh_m2": 245.0,
    "property_type": "apartment",
}


def ad(source: str, source_id: str, **fields: Any) -> Listing:
    host = {"immoweb": "www.immoweb.be", "zimmo": "www.zimmo.be", "2dehands": "www.2dehands.be"}
    return Listing(
        source=source,
        source_id=source_id,
        url=f"https://{host[source]}/{source_id}",
        **{**FLAT, **fields},
    )


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    # store_url (tests/conftest.py): a fresh SQLite file or an empty PostgreSQL database.
    with Store(store_url) as opened:
        yield opened


def test_first_dedupe_creates_dwellings_and_a_second_changes_nothing(store: Store) -> None:
    store.upsert(
        [
            ad("immoweb", "1"),
            ad("zimmo", "K1", street="Doorniksestr."),
            ad("immoweb", "2", house_number="14", box=None),
        ],
        seen_at=T0,
    )
    first = dedupe(store)
    assert first == DedupeResult(
        compared=3, new_dwellings=2, joined=0, merged=0, dwellings=2, active_dwellings=2
    )
    ids = {key: dwelling_of(store, *key) for key in [("immoweb", "1"), ("zimmo", "K1")]}
    assert len(set(ids.values())) == 1
    assert dwelling_of(store, "immoweb", "2") not in ids.values()

    again = dedupe(store)
    assert again.compared == 0
    assert again.dwellings == 2
    full = dedupe(store, full=True)
    assert full.compared == 3
    assert (full.new_dwellings, full.merged) == (0, 0)
    assert {key: dwelling_of(store, *key) for key in ids} == ids


def test_new_advert_joins_the_existing_dwelling(store: Store) -> None:
    store.upsert([ad("immoweb", "1")], seen_at=T0)
    dedupe(store)
    existing = dwelling_of(store, "immoweb", "1")
    store.upsert([ad("zimmo", "K1", street="Doorniksestr.", rent_eur=760.0)], seen_at=T0)
    result = dedupe(store)
    assert (result.compared, result.joined, result.new_dwellings) == (1, 1, 0)
    assert dwelling_of(store, "zimmo", "K1") == existing
    dwelling = get_dwelling(store, existing or 0)
    assert dwelling is not None
    zimmo = next(a for a in dwelling.adverts if a.source == "zimmo")
    assert zimmo.score is not None
    assert zimmo.score > 0.5
    assert "zelfde straat en nummer" in zimmo.evidence
    assert "huur € 760 ≈ € 750" in zimmo.evidence


def test_unknown_advert_and_dwelling(store: Store) -> None:
    assert dwelling_of(store, "zimmo", "nope") is None
    assert get_dwelling(store, 12345) is None
    store.upsert([ad("immoweb", "1")], seen_at=T0)
    assert dwelling_of(store, "immoweb", "1") is None  # not linked yet


def test_bridging_advert_merges_the_younger_dwelling_into_the_older(store: Store) -> None:
    # An advert with the address but no EPC, and one with the EPC but no address:
    # nothing links them, until a third advert has both.
    store.upsert([ad("immoweb", "1", epc_kwh_m2=None)], seen_at=T0)
    dedupe(store)
    store.upsert([ad("2dehands", "m1", street=None, house_number=None, box=None)], seen_at=T0)
    dedupe(store)
    older = dwelling_of(store, "immoweb", "1")
    younger = dwelling_of(store, "2dehands", "m1")
    assert older is not None
    assert younger is not None
    assert older < younger

    store.upsert([ad("zimmo", "K1")], seen_at=T0)
    result = dedupe(store)
    assert result.merged == 1
    assert result.dwellings == 1
    for key in [("immoweb", "1"), ("2dehands", "m1"), ("zimmo", "K1")]:
        assert dwelling_of(store, *key) == older
    redirected = get_dwelling(store, younger)
    assert redirected is not None
    assert redirected.id == older
    assert redirected.merged_from == (younger,)
    assert len(redirected.adverts) == 3
    with store.engine.connect() as conn:
        merge = conn.execute(sa.select(dwelling_merges)).mappings().one()
        row = conn.execute(sa.select(dwellings_table).where(dwellings_table.c.id == younger))
        merged_into = row.mappings().one()["merged_into"]
    assert (merge["old_id"], merge["new_id"]) == (younger, older)
    assert "zimmo K1" in merge["reason"]
    assert merged_into == older


def test_merged_dwelling_redirects_through_later_merges(store: Store) -> None:
    store.upsert([ad("immoweb", "1", epc_kwh_m2=None)], seen_at=T0)
    dedupe(store)
    store.upsert([ad("2dehands", "m1", street=None, house_number=None, box=None)], seen_at=T0)
    dedupe(store)
    first, second = dwelling_of(store, "immoweb", "1"), dwelling_of(store, "2dehands", "m1")
    store.upsert([ad("zimmo", "K1")], seen_at=T0)
    dedupe(store)
    assert first is not None
    assert second is not None
    survivor = get_dwelling(store, second)
    assert survivor is not None
    assert survivor.id == first


def test_gone_advert_keeps_the_dwelling_active_only_while_another_is(store: Store) -> None:
    for source, source_id in [("immoweb", "1"), ("zimmo", "K1")]:
        run = store.start_run(source, started_at=T0)
        store.upsert([ad(source, source_id)], run_id=run, seen_at=T0)
        store.finish_run(run, RunStatus.COMPLETE, finished_at=T0)
    dedupe(store)
    dwelling_id = dwelling_of(store, "zimmo", "K1")
    assert dwelling_id is not None

    # Zimmo no longer has the advert: it is gone, the dwelling stays active.
    later = T0 + timedelta(days=1)
    run = store.start_run("zimmo", started_at=later)
    store.finish_run(run, RunStatus.COMPLETE, finished_at=later)
    result = dedupe(store)
    assert result.active_dwellings == 1
    dwelling = get_dwelling(store, dwelling_id)
    assert dwelling is not None
    assert dwelling.active
    assert {(a.source, a.active) for a in dwelling.adverts} == {("immoweb", True), ("zimmo", False)}

    # Immoweb drops it too: the dwelling is inactive, its adverts still listed.
    run = store.start_run("immoweb", started_at=later)
    store.finish_run(run, RunStatus.COMPLETE, finished_at=later)
    assert dedupe(store).active_dwellings == 0
    dwelling = get_dwelling(store, dwelling_id)
    assert dwelling is not None
    assert not dwelling.active
    assert len(dwelling.adverts) == 2
    assert [d.id for d in iter_dwellings(store)] == []
    assert [d.id for d in iter_dwellings(store, active=False)] == [dwelling_id]
    assert dwellings_frame(store, region=None).empty
    gone = dwellings_frame(store, region=None, include_gone=True)
    assert list(gone["active"]) == [False]
    assert gone["gone_at"].notna().all()


def test_merged_view_takes_the_most_recent_value_and_keeps_conflicts(store: Store) -> None:
    store.upsert(
        [ad("immoweb", "1", rent_eur=750.0, charges_eur=40.0, epc_kwh_m2=None, floor=2)],
        seen_at=T0,
    )
    store.upsert(
        [ad("zimmo", "K1", street="Doorniksestr.", rent_eur=775.0, charges_eur=None)],
        seen_at=T0 + timedelta(hours=1),
    )
    dedupe(store)
    dwelling = get_dwelling(store, dwelling_of(store, "zimmo", "K1") or 0)
    assert dwelling is not None
    rent = dwelling.fields["rent_eur"]
    assert (rent.value, rent.source, rent.source_id) == (775.0, "zimmo", "K1")
    assert rent.seen_at == T0 + timedelta(hours=1)
    # Only immoweb knows the charges and the floor, only zimmo the EPC.
    assert (dwelling.fields["charges_eur"].value, dwelling.fields["charges_eur"].source) == (
        40.0,
        "immoweb",
    )
    assert dwelling.fields["epc_kwh_m2"].source == "zimmo"
    assert dwelling.fields["floor"].value == 2
    assert [(v.value, v.source) for v in dwelling.conflicts["rent_eur"]] == [
        (775.0, "zimmo"),
        (750.0, "immoweb"),
    ]
    assert "street" not in dwelling.conflicts  # a spelling variant is no conflict
    assert "epc_kwh_m2" not in dwelling.conflicts

    merged = dwelling.listing()
    assert (merged.source, merged.source_id) == ("zimmo", "K1")
    assert (merged.rent_eur, merged.charges_eur, merged.floor) == (775.0, 40.0, 2)


def test_changed_advert_is_linked_again_and_may_merge(store: Store) -> None:
    store.upsert(
        [
            ad("immoweb", "1"),
            ad("zimmo", "K1", house_number="21", box=None, epc_kwh_m2=None),  # a typo
        ],
        seen_at=T0,
    )
    first = dedupe(store)
    assert first.dwellings == 2
    store.upsert([ad("zimmo", "K1")], seen_at=T0 + timedelta(hours=2))  # corrected
    result = dedupe(store)
    assert result.compared == 1
    assert result.merged == 1
    assert dwelling_of(store, "zimmo", "K1") == dwelling_of(store, "immoweb", "1")


def test_dwellings_frame_has_frame_columns_one_row_per_dwelling(store: Store) -> None:
    store.upsert(
        [
            ad("immoweb", "1", rent_eur=750.0),
            ad("zimmo", "K1", street="Doorniksestr.", rent_eur=755.0),
            ad("immoweb", "2", house_number="80", box=None, rent_eur=950.0, epc_kwh_m2=300.0),
            ad("immoweb", "3", postcode="9000", municipality="Gent", street="Veldstraat"),
        ],
        seen_at=T0,
    )
    dedupe(store)
    df = dwellings_frame(store)
    assert tuple(df.columns) == DWELLING_FRAME_COLUMNS
    assert set(FRAME_COLUMNS) <= set(df.columns)
    assert len(df) == 2  # Gent is outside W13
    assert df["dwelling_id"].is_unique
    flat = df[df["n_adverts"] == 2].iloc[0]
    assert sorted(a["source"] for a in flat["adverts"]) == ["immoweb", "zimmo"]
    assert all(a["active"] for a in flat["adverts"])
    assert flat["street"] in ("Doorniksestraat", "Doorniksestr.")
    assert df["rent_eur"].dtype == "float64"
    assert df["bedrooms"].dtype == "Int64"
    assert str(df["first_seen_at"].dtype) == "datetime64[us, UTC]"
    assert len(dwellings_frame(store, region=None)) == 3
    assert list(dwellings_frame(store, rent_max=800)["n_adverts"]) == [2]
    assert list(dwellings_frame(store, region=None, municipalities=["gent"])["postcode"]) == [
        "9000"
    ]
    assert dwellings_frame(store, property_types=["house"]).empty
    # The frame of adverts and the frame of dwellings agree on the unlinked fields.
    by_advert = dwellings_frame(store.url, region=None)
    assert len(by_advert) == 3


def test_dwellings_frame_before_any_dedupe_is_empty_with_columns(store: Store) -> None:
    store.upsert([ad("immoweb", "1")], seen_at=T0)
    df = dwellings_frame(store)
    assert df.empty
    assert tuple(df.columns) == DWELLING_FRAME_COLUMNS


def test_dwellings_frame_feeds_the_shortlist(store: Store) -> None:
    from matcher import shortlist
    from matcher._household import Household

    store.upsert(
        [ad("immoweb", "1", rent_eur=500.0), ad("zimmo", "K1", rent_eur=500.0)], seen_at=T0
    )
    dedupe(store)
    household = Household.from_mapping(
        {
            "members": [{"role": "applicant", "birth_date": "1980-01-01"}],
            "income": {"net_monthly": {"wage": 2400}, "taxable_annual": 30000},
        }
    )
    result = shortlist(household, dwellings_frame(store), date(2026, 11, 20))
    assert len(result.frame) == 1


def test_dedupe_scales_without_per_pair_queries(store: Store) -> None:
    adverts = [
        ad("immoweb", str(n), house_number=str(n), box=None, epc_kwh_m2=float(100 + n))
        for n in range(1, 301)
    ]
    adverts += [
        ad("zimmo", f"K{n}", house_number=str(n), box=None, epc_kwh_m2=float(100 + n))
        for n in range(1, 301)
    ]
    store.upsert(adverts, seen_at=T0)
    result = dedupe(store)
    assert (result.new_dwellings, result.joined, result.dwellings) == (300, 0, 300)
    frame = dwellings_frame(store)
    assert set(frame["n_adverts"]) == {2}


# -- end to end: the recorded crawls ---------------------------------------------------


def _replay(recordings: Path, db_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scrapers.run", "--replay", str(recordings), "--db", db_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode in (0, 3), done.stderr[-2000:]


def _address(listing: Listing) -> tuple[str | None, str | None]:
    return normalise_street(listing.street), listing.house_number


def test_recorded_crawls_link_cross_portal_flats_with_stable_ids(store_url: str) -> None:
    db_url = store_url
    _replay(RECORDINGS / "2026-11-20", db_url)
    with Store(db_url) as store:
        result = dedupe(store)
        n_adverts = store.count(active=None)
        assert 0 < result.dwellings < n_adverts

        # The Doorniksestraat 12 bus 3 flat: immoweb, zimmo, immoscoop and the realtor.
        shared = {
            dwelling_of(store, source, source_id)
            for source, source_id in [
                ("immoweb", "21500000"),
                ("zimmo", "K00W000"),
                ("immoscoop", "910001"),
                ("realtor:immopottelberg", "4312101"),
            ]
        }
        assert len(shared) == 1
        assert None not in shared
        flat = get_dwelling(store, shared.pop() or 0)
        assert flat is not None
        assert flat.fields["epc_kwh_m2"].value == 245.0
        assert flat.fields["rent_eur"].value == 750.0

        # Every advert is linked; no dwelling mixes two addresses.
        before: dict[tuple[str, str], int | None] = {}
        for stored in store.iter_listings(active=None):
            key = stored.listing.key
            before[key] = dwelling_of(store, *key)
            assert before[key] is not None
        addresses: dict[int, set[tuple[str | None, str | None]]] = defaultdict(set)
        boxes: dict[int, set[str]] = defaultdict(set)
        for dwelling in iter_dwellings(store, active=None):
            for advert in dwelling.adverts:
                listing = store.get(advert.source, advert.source_id)
                assert listing is not None
                if listing.listing.house_number is not None:
                    addresses[dwelling.id].add(_address(listing.listing))
                if listing.listing.box is not None:
                    boxes[dwelling.id].add(listing.listing.box)
        assert all(len(found) == 1 for found in addresses.values())
        assert all(len(found) == 1 for found in boxes.values())
        # Most immoweb adverts have their zimmo twin.
        frame = dwellings_frame(store, region=None, include_gone=True)
        assert (frame["n_adverts"] >= 2).sum() >= 20

    _replay(RECORDINGS / "2026-11-21", db_url)
    with Store(db_url) as store:
        second = dedupe(store)
        assert second.compared < n_adverts  # incremental
        for key, dwelling_id in before.items():
            assert dwelling_of(store, *key) == dwelling_id
        assert second.dwellings <= store.count(active=None)
        with store.engine.connect() as conn:
            linked = conn.execute(sa.select(sa.func.count()).select_from(dwelling_links))
            assert linked.scalar_one() == store.count(active=None)


def test_frame_of_many_dwellings(store_url: str) -> None:
    db_url = store_url
    with Store(db_url) as store:
        adverts = [
            ad("immoweb", str(n), street=f"{chr(65 + n % 26)}straat", house_number=str(n), box=None)
            for n in range(2000)
        ]
        store.upsert(adverts, seen_at=T0)
        dedupe(store)
        frame = dwellings_frame(store)
        assert len(frame) == 2000
        assert isinstance(frame, pd.DataFrame)


def test_frame_can_return_one_row_per_dwelling(store: Store) -> None:
    from listings import frame

    store.upsert(
        [
            ad("immoweb", "1"),
            ad("zimmo", "Z1", street="Doorniksestr."),
            ad("immoweb", "2", house_number="14"),
        ],
        seen_at=T0,
    )
    dedupe(store)
    per_advert = frame(store)
    per_dwelling = frame(store, dwellings=True)
    assert len(per_advert) == 3
    assert len(per_dwelling) == 2
    assert sorted(per_dwelling["n_adverts"]) == [1, 2]
    assert per_dwelling.equals(dwellings_frame(store))
