"""Safety of the nightly job: the lock, and a run killed with SIGKILL then run again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from immolijst.nightly import (
    EXIT_ALARMS,
    EXIT_FAILED,
    EXIT_LOCKED,
    EXIT_OK,
    Alarm,
    NightlyLock,
    NightlyReport,
    exit_code,
    latest_alarms,
    run_nightly,
)
from immolijst.nightly._tables import nightly_runs
from immolijst.settings import Settings
from listings import RunStatus, Store
from listings._dwelling_schema import dwelling_links
from listings._schema import listings_table
from scrapers.run import RECORDINGS_DIR

DAY1 = RECORDINGS_DIR / "2026-11-20"
SOURCES = ["zimmo", "immoweb"]


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMMOLIJST_")}
    env["IMMOLIJST_DATA_DIR"] = str(settings.data_dir)
    return env


def _command(settings: Settings, *extra: str) -> list[str]:
    command = [sys.executable, "-m", "immolijst.nightly", "--db", settings.database_url]
    command += ["--replay", str(DAY1)]
    for source in SOURCES:
        command += ["--source", source]
    return [*command, *extra]


def _nightly_rows(url: str) -> list[tuple[int, str, str]]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("nightly_runs"):
                return []
            query = sa.select(nightly_runs.c.id, nightly_runs.c.status, nightly_runs.c.report)
            return [tuple(row) for row in conn.execute(query.order_by(nightly_runs.c.id))]
    finally:
        engine.dispose()


def test_a_second_run_exits_at_once_with_code_75_and_a_log_line(settings: Settings) -> None:
    with NightlyLock(settings.database_url, fallback_dir=settings.data_dir) as held:
        assert held.held
        report = run_nightly(settings, replay_dir=DAY1, sources=SOURCES, environ={})
        assert report.status == "locked"
        assert report.exit_code == EXIT_LOCKED
        started = time.monotonic()
        done = subprocess.run(
            _command(settings),
            env=_env(settings),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == EXIT_LOCKED, done.stderr
        assert time.monotonic() - started < 60  # at once: no crawl was started
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
    assert [line["event"] for line in lines] == ["nightly_locked"]
    assert lines[0]["level"] == "warning"
    assert {"ts", "level", "event", "lock"} <= set(lines[0])
    assert _nightly_rows(settings.database_url) == []


def _count(engine: sa.Engine, query: sa.Select[tuple[int]]) -> int:
    try:
        with engine.connect() as conn:
            return int(conn.execute(query).scalar_one())
    except sa.exc.DBAPIError:
        return 0  # the tables do not exist yet


def test_a_run_killed_mid_way_then_rerun_loses_nothing(settings: Settings, tmp_path: Path) -> None:
    url = settings.database_url
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    count_all = sa.select(sa.func.count()).select_from(listings_table)
    log = (tmp_path / "killed.log").open("w")
    # Small store batches, so adverts reach the store while the crawl goes on.
    command = _command(settings, "-s", "IMMOLIJST_STORE_BATCH=4")
    process = subprocess.Popen(command, env=_env(settings), stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 120
        while _count(engine, count_all) == 0:
            assert process.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "no advert reached the store"
            time.sleep(0.05)
        process.kill()  # SIGKILL
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        log.close()
    # Killed mid-way (crawl runs still open); the crawler died with it (the store stops changing).
    assert [status for _id, status, _report in _nightly_rows(url)] == ["running"]
    with Store(url) as store:
        assert RunStatus.RUNNING in {r.status for r in store.runs()}
    time.sleep(1.0)
    kept = _count(engine, count_all)
    time.sleep(1.5)
    assert _count(engine, count_all) == kept
    with Store(url) as store:
        killed_keys = {(s.listing.source, s.listing.source_id) for s in store.iter_listings()}
    assert killed_keys
    assert [a.kind for a in latest_alarms(url)] == ["not_finished"]  # for the sources page

    report = run_nightly(settings, replay_dir=DAY1, sources=SOURCES, environ={})

    assert report.status == "complete"
    assert report.exit_code == EXIT_ALARMS
    assert [a.kind for a in report.alarms] == ["not_finished"]
    (killed_id, killed_status, killed_report), (rerun_id, rerun_status, _) = _nightly_rows(url)
    assert (killed_status, json.loads(killed_report)["error"]) == ("failed", "did not finish")
    assert (rerun_id, rerun_status) == (report.run_id, "complete")
    assert report.alarms[0].details["nightly_run"] == killed_id
    assert [(a.kind, a.run_id) for a in latest_alarms(url)] == [("not_finished", rerun_id)]
    with Store(url) as store:
        runs = store.runs()
        assert RunStatus.RUNNING not in {r.status for r in runs}
        closed = report.stale["crawl_runs"]
        assert closed
        assert {r.status for r in runs if r.id in closed} == {RunStatus.FAILED}
        assert all(r.gone_marked == 0 for r in runs if r.id in closed)
        for metrics in report.sources:
            assert metrics.status == "complete"
            assert store.count(source=metrics.source, active=None) == metrics.seen
        assert store.count(active=False) == 0
        keys = [(s.listing.source, s.listing.source_id) for s in store.iter_listings(active=None)]
    assert len(keys) == len(set(keys))  # every advert exactly once
    assert killed_keys <= set(keys)  # nothing written before the kill was lost
    t, links = listings_table, dwelling_links
    unlinked = (
        sa.select(sa.func.count())
        .select_from(t.outerjoin(links, links.c.listing_id == t.c.id))
        .where(t.c.gone_at.is_(None), links.c.id.is_(None))
    )
    assert _count(engine, unlinked) == 0
    engine.dispose()


def test_a_crawler_that_crashes_fails_the_job_with_exit_code_1(settings: Settings) -> None:
    report = run_nightly(settings, replay_dir=DAY1, sources=["no-such-source"], environ={})

    assert report.status == "failed"
    assert report.exit_code == EXIT_FAILED
    assert [(a.kind, a.source) for a in report.alarms] == [
        ("source_failed", "no-such-source"),
        ("job_failed", None),
    ]
    assert report.crawl["stderr_tail"]  # the crawler's last words are kept for the admin
    ((_id, status, stored),) = _nightly_rows(settings.database_url)
    assert status == "failed"
    assert json.loads(stored)["exit_code"] == EXIT_FAILED
    with Store(settings.database_url) as store:
        assert store.count(active=None) == 0


def test_exit_codes_follow_the_report() -> None:
    alarm = Alarm("coverage", "zimmo", "zimmo: huurprijs gevonden bij 80 %")
    assert exit_code(NightlyReport(status="complete")) == EXIT_OK
    assert exit_code(NightlyReport(status="complete", alarms=[alarm])) == EXIT_ALARMS
    assert exit_code(NightlyReport(status="partial")) == EXIT_ALARMS
    assert exit_code(NightlyReport(status="failed")) == EXIT_FAILED
    assert exit_code(NightlyReport(status="locked")) == EXIT_LOCKED
    assert (EXIT_OK, EXIT_FAILED, EXIT_ALARMS, EXIT_LOCKED) == (0, 1, 2, 75)
