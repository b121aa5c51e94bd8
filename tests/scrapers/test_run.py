"""End-to-end replays of the bundled recordings into a temporary SQLite store.

Every crawl runs in a subprocess (``python -m scrapers.run``): Twisted's reactor
cannot be restarted inside one process.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from listings._store import Store
from scrapers._cassette import Cassette
from scrapers.run import (
    DEFAULT_RECORDINGS,
    RECORDINGS_DIR,
    available_sources,
    crawl_settings,
    spider_class,
)

ROOT = Path(__file__).resolve().parents[2]
DAY1 = RECORDINGS_DIR / "2026-11-20"
DAY2 = RECORDINGS_DIR / "2026-11-21"
BLOCKED = RECORDINGS_DIR / "2026-11-22-blocked"
GONE_ID, CHANGED_ID, NEW_ID = "21500003", "21500001", "21500040"


def crawl(source: str, replay: Path, db: Path) -> tuple[dict[str, Any], int, str]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapers.run",
            "--source",
            source,
            "--replay",
            str(replay),
            "--db",
            f"sqlite:///{db}",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    summaries = json.loads(proc.stdout)
    assert len(summaries) == 1, proc.stderr[-3000:]
    return summaries[0], proc.returncode, proc.stderr


@pytest.fixture(scope="module")
def immoweb_day1(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    db = tmp_path_factory.mktemp("iw") / "day1.sqlite3"
    summary, code, stderr = crawl("immoweb", DAY1, db)
    assert code == 0, stderr[-3000:]
    return summary, db


def copy_db(db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store.sqlite3"
    shutil.copy(db, target)
    return target


# -- unit-level ---------------------------------------------------------------------------


def test_default_recordings_is_the_first_set() -> None:
    assert DEFAULT_RECORDINGS == DAY1
    assert (DEFAULT_RECORDINGS / "immoweb.yaml").is_file()


def test_available_sources_include_immoweb_and_zimmo() -> None:
    sources = available_sources()
    assert sources[:2] == ["immoweb", "zimmo"]


def test_spider_class_by_slug() -> None:
    assert spider_class("zimmo").name == "zimmo"
    with pytest.raises(KeyError, match="unknown source"):
        spider_class("nope")


def test_replay_settings_switch_politeness_off() -> None:
    settings = crawl_settings(replay_dir="x")
    assert settings.getfloat("DOWNLOAD_DELAY") == 0
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is False
    assert settings.get("IMMOLIJST_REPLAY_DIR") == "x"


def test_live_settings_are_polite() -> None:
    settings = crawl_settings(settings={"IMMOLIJST_CONTACT": "woonclub@example.org"})
    assert settings.getbool("ROBOTSTXT_OBEY") is True
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is True
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert settings.getfloat("DOWNLOAD_DELAY") >= 1
    assert settings.getbool("RETRY_ENABLED") is True
    assert 429 in settings.getlist("RETRY_HTTP_CODES")
    assert settings.get("USER_AGENT") == "immolijst/0.1 (+contact: woonclub@example.org)"


def test_replay_and_record_together_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot both"):
        crawl_settings(replay_dir="a", record_dir="b")


def test_assembled_cassettes_say_so() -> None:
    for path in [DAY1 / "immoweb.yaml", DAY2 / "zimmo.yaml", BLOCKED / "immoweb.yaml"]:
        head = path.read_text(encoding="utf-8")[:600]
        assert head.startswith("# ASSEMBLED recording, not a live capture")
        assert "turbo-immo__search" in head


# -- immoweb -------------------------------------------------------------------------------


def test_immoweb_day1_status_and_counts(immoweb_day1: tuple[dict[str, Any], Path]) -> None:
    summary, _ = immoweb_day1
    counts = summary["counts"]
    assert summary["status"] == "complete"
    assert counts["pages"] == 42
    assert counts["seen"] == 37
    assert counts["new"] == 37
    assert counts["updated"] == 0
    assert counts["dropped"] == {
        "invalid": 1,
        "not_residential": 1,
        "parse_error": 1,
        "project": 1,
        "sale": 1,
    }
    assert counts["coverage"] == {
        "rent_eur": 0.973,
        "postcode": 1.0,
        "epc": 0.973,
        "bedrooms": 1.0,
        "living_area_m2": 1.0,
        "availability": 1.0,
    }
    assert counts["challenge"] is None
    assert counts["errors"] == 0


def test_immoweb_day1_store_content(immoweb_day1: tuple[dict[str, Any], Path]) -> None:
    _, db = immoweb_day1
    with Store(f"sqlite:///{db}") as store:
        assert store.count(source="immoweb") == 37
        stored = store.get("immoweb", "21500000")
        assert stored is not None
        flat = stored.listing
        assert (flat.street, flat.house_number, flat.box) == ("Doorniksestraat", "12", "3")
        assert (flat.rent_eur, flat.epc_kwh_m2, flat.bedrooms) == (750.0, 245.0, 2)
        assert flat.municipality == "Kortrijk"
        assert store.get("immoweb", "21599001") is None  # the sale advert


def test_immoweb_day2_marks_gone_and_records_price_change(
    immoweb_day1: tuple[dict[str, Any], Path], tmp_path: Path
) -> None:
    db = copy_db(immoweb_day1[1], tmp_path)
    summary, code, _ = crawl("immoweb", DAY2, db)
    assert (summary["status"], code) == ("complete", 0)
    counts = summary["counts"]
    assert (counts["new"], counts["updated"], counts["gone"]) == (1, 1, 1)
    with Store(f"sqlite:///{db}") as store:
        gone = store.get("immoweb", GONE_ID)
        assert gone is not None
        assert gone.active is False
        assert store.get("immoweb", NEW_ID) is not None
        rents = [obs.rent_eur for obs in store.history("immoweb", CHANGED_ID)]
        assert rents == [715.0, 695.0]


def test_immoweb_blocked_run_is_partial_and_marks_nothing_gone(
    immoweb_day1: tuple[dict[str, Any], Path], tmp_path: Path
) -> None:
    db = copy_db(immoweb_day1[1], tmp_path)
    summary, code, stderr = crawl("immoweb", BLOCKED, db)
    assert (summary["status"], code) == ("partial", 3)
    assert "DataDome" in summary["counts"]["challenge"]
    assert summary["counts"]["gone"] == 0
    assert summary["counts"]["seen"] > 0  # the house search still ran
    assert "bot challenge" in stderr
    with Store(f"sqlite:///{db}") as store:
        assert store.count(source="immoweb") == 37  # nothing marked gone
        run = store.last_run("immoweb")
        assert run is not None
        assert run.status == "partial"


def test_request_missing_from_cassette_fails_loudly(tmp_path: Path) -> None:
    cassette = Cassette.load(DAY1 / "immoweb.yaml")
    missing = "https://www.immoweb.be/en/classified/21500000"
    kept = [it for it in cassette.interactions if it.url != missing]
    assert len(kept) == len(cassette.interactions) - 1
    replay = tmp_path / "replay"
    Cassette(replay / "immoweb.yaml", kept).save("test copy with one detail page removed")
    summary, code, stderr = crawl("immoweb", replay, tmp_path / "s.sqlite3")
    assert (summary["status"], code) == ("partial", 3)
    assert f"GET {missing} is not in cassette" in stderr
    assert "ERROR" in stderr
    assert summary["counts"]["errors"] == 1
    assert any("missing from the cassette" in r for r in summary["counts"]["reasons"])


# -- zimmo -------------------------------------------------------------------------------------


def test_zimmo_two_days(tmp_path: Path) -> None:
    db = tmp_path / "z.sqlite3"
    day1, code, stderr = crawl("zimmo", DAY1, db)
    assert code == 0, stderr[-3000:]
    counts = day1["counts"]
    assert day1["status"] == "complete"
    assert counts["pages"] == 89
    assert counts["seen"] == 42
    assert counts["new"] == 42
    assert counts["dropped"] == {"not_residential": 1, "project": 1, "sale": 1}
    assert counts["coverage"]["rent_eur"] == 0.976
    assert counts["coverage"]["epc"] == 0.976
    assert counts["coverage"]["availability"] == 1.0
    with Store(f"sqlite:///{db}") as store:
        shared = store.get("zimmo", "K00W000")
        assert shared is not None
        assert shared.listing.rent_eur == 750.0
        assert shared.listing.epc_kwh_m2 == 245.0
        assert shared.listing.available_from is not None
    day2, code, _ = crawl("zimmo", DAY2, db)
    assert (day2["status"], code) == ("complete", 0)
    assert (day2["counts"]["new"], day2["counts"]["updated"], day2["counts"]["gone"]) == (1, 1, 1)


PROGRESS_SCRIPT = """
import json, sys
from scrapers.run import run_crawl
calls = []
summaries = run_crawl(["immoweb"], replay_dir=sys.argv[1], store_url=sys.argv[2],
                      progress=lambda source, counts: calls.append((source, counts)))
print(json.dumps({"calls": calls, "status": [s.status for s in summaries]}))
"""


def test_run_crawl_reports_progress(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", PROGRESS_SCRIPT, str(DAY1), f"sqlite:///{tmp_path / 'p.sqlite3'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["status"] == ["complete"]
    sources = {source for source, _ in result["calls"]}
    assert sources == {"immoweb"}
    last = result["calls"][-1][1]
    assert last["pages"] == 42
    assert last["seen"] == 37
    assert last["dropped"] == 5
