"""The CLI over a real SQLite file: import with error report, export, stats, list, demo."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from immolijst.cli import SAMPLE_LISTINGS, cli

GOOD = {
    "source": "zimmo",
    "source_id": "K1X2",
    "url": "https://www.zimmo.be/nl/kortrijk-8500/te-huur/appartement/K1X2/",
    "property_type": "apartment",
    "rent_eur": 750,
    "charges_eur": 40,
    "postcode": "8500",
    "bedrooms": 2,
    "epc_kwh_m2": 245,
    "image_urls": ["https://media.example.be/1.jpg"],
}


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.sqlite3'}"


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def write_jsonl(path: Path, rows: list[dict[str, object] | str]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n",
        encoding="utf-8",
    )
    return path


def test_help_of_every_command_has_an_example() -> None:
    runner = CliRunner()
    commands = [
        [],
        ["db"],
        ["db", "init"],
        ["db", "upgrade"],
        ["db", "stats"],
        ["import"],
        ["export"],
        ["list"],
        ["demo"],
        ["parameters"],
        ["explain"],
        ["shortlist"],
        ["extract"],
        ["scrape"],
        ["dedupe"],
        ["nightly"],
        ["serve"],
        ["user"],
        ["user", "add"],
        ["purge"],
    ]
    for command in commands:
        result = runner.invoke(cli, [*command, "--help"])
        assert result.exit_code == 0, command
        assert "Example: immolijst" in result.stdout, command


def test_import_reports_each_bad_row_with_line_field_and_reason(db: str, tmp_path: Path) -> None:
    bad_rent = {**GOOD, "source_id": "K2", "rent_eur": 95000}
    bad_beds = {**GOOD, "source_id": "K3", "bedrooms": 40}
    path = write_jsonl(tmp_path / "in.jsonl", [GOOD, bad_rent, "{not json", bad_beds])
    code, out, err = run(db, "import", str(path))
    assert code == 1
    assert "line 2" in err
    assert "rent_eur" in err
    assert "sale price" in err
    assert "line 3" in err
    assert "not valid JSON" in err
    assert "line 4" in err
    assert "bedrooms" in err
    assert "40" in err
    assert "1 new" in out
    # The good row went in despite the bad ones.
    code, out, _ = run(db, "db", "stats", "--json")
    assert code == 0
    stats = json.loads(out)
    assert stats["totals"]["active"] == 1


def test_import_of_a_clean_file_exits_zero_and_is_idempotent(db: str, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [GOOD, {**GOOD, "source_id": "K9"}])
    assert run(db, "import", str(path))[0] == 0
    code, out, _ = run(db, "import", str(path))
    assert code == 0
    assert "0 new" in out
    assert "2 unchanged" in out


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_export_writes_every_listing(db: str, tmp_path: Path, fmt: str) -> None:
    rows = [GOOD, {**GOOD, "source_id": "K9", "rent_eur": 640, "postcode": "8930"}]
    run(db, "import", str(write_jsonl(tmp_path / "in.jsonl", rows)))
    target = tmp_path / f"out.{fmt}"
    code, out, _ = run(db, "export", "--format", fmt, "-o", str(target))
    assert code == 0, out
    if fmt == "csv":
        data = pd.read_csv(target)
        assert sorted(data["rent_eur"]) == [640, 750]
        assert "municipality" in data.columns
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(target).active
        assert sheet is not None
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
        assert "rent_eur" in header
        assert sheet.max_row == 3
    else:
        again = [json.loads(line) for line in target.read_text().splitlines()]
        assert {r["source_id"] for r in again} == {"K1X2", "K9"}
        # A JSON Lines export imports again into another store without a single bad row.
        other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
        assert run(other, "import", str(target))[0] == 0


def test_list_filters_by_municipality_and_rent(db: str, tmp_path: Path) -> None:
    rows = [GOOD, {**GOOD, "source_id": "K9", "rent_eur": 640, "postcode": "8930"}]
    run(db, "import", str(write_jsonl(tmp_path / "in.jsonl", rows)))
    code, out, _ = run(db, "list", "--municipality", "Menen")
    assert code == 0
    assert "K9" in out
    assert "K1X2" not in out
    code, out, _ = run(db, "list", "--max-rent", "700")
    assert "K9" in out
    assert "K1X2" not in out


def test_db_init_and_upgrade_on_a_fresh_file(db: str) -> None:
    code, out, _ = run(db, "db", "init")
    assert code == 0
    assert "revision" in out
    code, out, _ = run(db, "db", "upgrade")
    assert code == 0


def test_demo_with_the_bundled_sample_imports_and_lists(db: str) -> None:
    code, out, err = run(db, "demo", "--sample")
    assert code == 0
    total = sum(1 for line in SAMPLE_LISTINGS.read_text().splitlines() if line.strip())
    assert "listings imported" in out
    assert "rent_eur" in err  # the rejected sample rows are reported, not hidden
    code, out, _ = run(db, "db", "stats", "--json")
    stats = json.loads(out)
    assert 0 < stats["totals"]["active"] < total


def test_demo_replays_every_recorded_source_into_a_fresh_store(tmp_path: Path) -> None:
    # A subprocess: the crawl starts Twisted's reactor, which cannot restart in one process.
    import subprocess
    import sys

    db = tmp_path / "demo.sqlite3"
    done = subprocess.run(
        [sys.executable, "-m", "immolijst", "--db", f"sqlite:///{db}", "demo"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**__import__("os").environ, "COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for source in ("immoweb", "zimmo", "immoscoop", "immovlan", "2dehands", "realtor"):
        assert source in done.stdout
    assert "complete" in done.stdout
    _code, out, _ = run(f"sqlite:///{db}", "db", "stats", "--json")
    stats = json.loads(out)
    assert {"immoweb", "zimmo", "immoscoop", "immovlan", "2dehands"} <= set(stats["sources"])
    assert any(s.startswith("realtor:") for s in stats["sources"])
    assert stats["totals"]["active"] > 100


def test_user_add_and_purge(db: str) -> None:
    code, out, _ = run(db, "user", "add", "an", "--role", "worker", "--password", "geheim-123")
    assert code == 0
    assert "created" in out
    result = CliRunner().invoke(
        cli, ["--db", db, "user", "add", "an", "--role", "worker", "--password", "geheim-123"]
    )
    assert result.exit_code != 0
    assert "an" in result.output
    code, out, _ = run(db, "purge", "--older-than", "12m")
    assert code == 0
    assert "Deleted 0 households" in out
    result = CliRunner().invoke(cli, ["--db", db, "purge", "--older-than", "soon"])
    assert result.exit_code == 2


def test_dedupe_evaluate_reports_the_labelled_set_above_target() -> None:
    labelled = Path(__file__).resolve().parents[1] / "listings" / "data" / "dedupe_labelled.jsonl"
    code, out, _ = run("sqlite:///unused.sqlite3", "dedupe", "--evaluate", str(labelled), "--json")
    assert code == 0
    scores = json.loads(out)
    assert scores["precision"] >= 0.98
    assert scores["recall"] >= 0.95
    assert 0 < scores["f1"] <= 1
    code, out, _ = run("sqlite:///unused.sqlite3", "dedupe", "--evaluate", str(labelled))
    assert code == 0
    assert "precision" in out.lower()


def test_import_links_the_same_flat_on_two_portals_into_one_dwelling(
    db: str, tmp_path: Path
) -> None:
    twin = {
        **GOOD,
        "source": "immoweb",
        "source_id": "21500000",
        "url": "https://www.immoweb.be/en/classified/21500000",
        "street": "Doorniksestraat",
        "house_number": "12",
        "box": "3",
    }
    first = {**GOOD, "street": "Doorniksestr.", "house_number": "12", "box": "3"}
    other = {**GOOD, "source_id": "K7", "street": "Doorniksestraat", "house_number": "14"}
    path = write_jsonl(tmp_path / "in.jsonl", [first, twin, other])
    code, out, _ = run(db, "import", str(path))
    assert code == 0
    assert "2 active dwellings" in out
    code, out, _ = run(db, "dedupe", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["compared"] == 0  # incremental: nothing new since the import linked them
    assert result["active_dwellings"] == 2
