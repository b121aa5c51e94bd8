"""The store under concurrent use, on SQLite and on PostgreSQL.

A nightly job crawls one source run after run, an import writes listings of
another source (and retitles some of the nightly's listings), and the web app
reads ``frame()`` and ``stats()`` all the while, each with its own
:class:`Store` as separate processes would have. Afterwards no update is lost,
and no reader ever saw a half-finished write (a run's gone-marking without its
status change, or the reverse). Loops are bounded; nothing is timed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd

from listings import Listing
from listings._frame import frame
from listings._store import RunStatus, Store

T0 = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
N_CRAWLED = 60  # ids 0..59 of the nightly's source, seen or not depending on the run
N_CORE = 10  # nightly listings seen in every run, which the import retitles too
N_RUNS = 6
N_IMPORTED = 200
N_REPRICED = 50  # imported listings upserted a second time at a new price
NIGHTLY_BATCH = 10
IMPORT_BATCH = 10
MAX_READS = 2_000  # per reader; readers stop earlier once the writers are done


def seen_in_run(k: int) -> frozenset[str]:
    """The crawled ids run ``k`` sees: runs alternate between 48 and 30 of the 60 ids."""
    if k % 2 == 0:
        return frozenset(str(i) for i in range(N_CRAWLED) if i % 5 != (k // 2) % 5)
    return frozenset(str(i) for i in range(N_CRAWLED) if i % 2 == (k // 2) % 2)


SEEN = [seen_in_run(k) for k in range(N_RUNS)]
#: Every crawled id seen up to and including run k.
UNION = [frozenset().union(*SEEN[: k + 1]) for k in range(N_RUNS)]
CORE = [f"core-{j}" for j in range(N_CORE)]


def crawled(source_id: str, k: int) -> Listing:
    return Listing(
        source="zimmo",
        source_id=source_id,
        url=f"https://www.zimmo.be/{source_id}",
        rent_eur=500.0 + int(source_id) + 10 * (k % 2),
        postcode="8500",
    )


def core(source_id: str, title: str) -> Listing:
    return Listing(
        source="zimmo",
        source_id=source_id,
        url=f"https://www.zimmo.be/{source_id}",
        rent_eur=800.0,
        postcode="8500",
        title=title,
    )


def imported(i: int, rent: float) -> Listing:
    return Listing(
        source="immoweb",
        source_id=f"imp-{i}",
        url=f"https://www.immoweb.be/{i}",
        rent_eur=rent,
        postcode="8500",
    )


def nightly(url: str) -> None:
    with Store(url) as store:
        for k in range(N_RUNS):
            started = T0 + timedelta(hours=k)
            run = store.start_run("zimmo", started_at=started)
            batch = [core(c, "nightly") for c in CORE]
            batch += [crawled(i, k) for i in sorted(SEEN[k], key=int)]
            store.upsert(
                batch, run_id=run, seen_at=started + timedelta(minutes=5), batch_size=NIGHTLY_BATCH
            )
            store.finish_run(run, RunStatus.COMPLETE, finished_at=started + timedelta(minutes=50))


def importer(url: str) -> None:
    with Store(url) as store:
        for start in range(0, N_IMPORTED, IMPORT_BATCH):
            batch = [imported(i, 600.0) for i in range(start, start + IMPORT_BATCH)]
            # The nightly's listings in the opposite order: row locks taken in another order.
            batch += [core(c, f"import {start}") for c in reversed(CORE)]
            store.upsert(batch)
        store.upsert([imported(i, 625.0) for i in range(N_REPRICED)], batch_size=IMPORT_BATCH)


@dataclass
class Reader:
    """Reads like the web app and records every inconsistency it sees."""

    url: str
    writers_done: threading.Event
    reads: int = 0
    problems: list[str] = field(default_factory=list)
    _last_totals: dict[str, int] = field(default_factory=dict)
    _last_frame_rows: int = 0

    def __call__(self) -> None:
        with Store(self.url) as store:
            while self.reads < MAX_READS and not (self.writers_done.is_set() and self.reads >= 5):
                self.check_stats(store.stats())
                self.check_frame(frame(store, region=None, include_gone=True))
                self.reads += 1

    def problem(self, text: str) -> None:
        if len(self.problems) < 20:
            self.problems.append(f"read {self.reads}: {text}")

    def check_stats(self, stats: dict[str, Any]) -> None:
        totals = stats["totals"]
        for key in ("listings", "observations", "runs"):
            if totals[key] < self._last_totals.get(key, 0):
                self.problem(f"{key} went down: {self._last_totals[key]} -> {totals[key]}")
        self._last_totals = dict(totals)
        if totals["listings"] != totals["active"] + totals["gone"]:
            self.problem(f"totals do not add up: {totals}")
        zimmo = stats["sources"].get("zimmo", {"active": 0, "gone": 0, "last_run": None})
        if stats["sources"].get("immoweb", {"gone": 0})["gone"]:
            self.problem("an imported listing is gone")
        last = zimmo["last_run"]
        if last is None:
            return
        k = int((last["started_at"] - T0) / timedelta(hours=1))
        active, total = zimmo["active"], zimmo["active"] + zimmo["gone"]
        if last["status"] == "complete":
            # Exactly the state right after run k's gone-marking.
            if (active, total) != (len(SEEN[k]) + N_CORE, len(UNION[k]) + N_CORE):
                self.problem(f"run {k} complete but zimmo active={active} total={total}")
        elif last["status"] == "running":
            # Nothing of run k is gone-marked yet: run k-1's listings are all still active.
            low = len(SEEN[k - 1]) if k else 0
            high = len(SEEN[k - 1] | SEEN[k]) if k else len(SEEN[0])
            if not low + N_CORE <= active <= high + N_CORE:
                self.problem(f"run {k} running but zimmo active={active} not in [{low}, {high}]")
        else:
            self.problem(f"unexpected run status {last['status']}")

    def check_frame(self, df: pd.DataFrame) -> None:
        if len(df) < self._last_frame_rows:
            self.problem(f"frame shrank: {self._last_frame_rows} -> {len(df)}")
        self._last_frame_rows = len(df)
        if not (df["active"] == df["gone_at"].isna()).all():
            self.problem("active disagrees with gone_at")
        if df["listing_id"].duplicated().any() or df[["source", "source_id"]].duplicated().any():
            self.problem("a listing appears twice")
        if (df["first_seen_at"] > df["last_seen_at"]).any():
            self.problem("first_seen_at after last_seen_at")
        gone = frozenset(df.loc[~df["active"], "source_id"])
        if not gone:
            return
        # A run's gone-marking is all or nothing; the next run then brings some back.
        if not any(
            (UNION[k] - SEEN[k]) - (SEEN[k + 1] if k + 1 < N_RUNS else frozenset())
            <= gone
            <= UNION[k] - SEEN[k]
            for k in range(N_RUNS)
        ):
            self.problem(f"gone listings are no run's state: {sorted(gone, key=int)}")


def run_all(targets: list[Callable[[], None]]) -> list[BaseException]:
    errors: list[BaseException] = []

    def guarded(target: Callable[[], None]) -> None:
        try:
            target()
        except BaseException as exc:  # reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_nightly_import_and_readers_at_once_lose_nothing(store_url: str) -> None:
    with Store(store_url) as setup:  # migrated once; the core listings exist before the run
        setup.upsert([core(c, "first") for c in CORE], seen_at=T0 - timedelta(days=1))
    done = threading.Event()
    readers = [Reader(store_url, done) for _ in range(2)]

    def writers() -> None:
        try:
            errors = run_all([lambda: nightly(store_url), lambda: importer(store_url)])
            if errors:
                raise errors[0]
        finally:
            done.set()

    errors = run_all([writers, *readers])

    assert errors == []
    for reader in readers:
        assert reader.problems == []
        assert reader.reads >= 5
    with Store(store_url) as store:
        last = N_RUNS - 1
        assert store.count(source="zimmo") == len(SEEN[last]) + N_CORE
        assert store.count(source="zimmo", active=False) == len(UNION[last] - SEEN[last])
        assert store.count(source="immoweb", active=None) == N_IMPORTED
        assert store.count(source="immoweb", active=False) == 0
        for i in range(N_IMPORTED):
            stored = store.get("immoweb", f"imp-{i}")
            assert stored is not None
            assert stored.listing.rent_eur == (625.0 if i < N_REPRICED else 600.0)
            assert [o.rent_eur for o in store.history("immoweb", f"imp-{i}")] == (
                [600.0, 625.0] if i < N_REPRICED else [600.0]
            )

        runs = sorted(store.runs("zimmo"), key=lambda r: r.started_at)
        assert [r.status for r in runs] == [RunStatus.COMPLETE] * N_RUNS
        for k, run in enumerate(runs):
            seen = len(SEEN[k]) + N_CORE
            assert run.counts["new"] + run.counts["updated"] + run.counts["unchanged"] == seen
            assert run.gone_marked == (len(SEEN[k - 1] - SEEN[k]) if k else 0)
        run_ids = [r.id for r in runs]
        for i in range(N_CRAWLED):
            history = store.history("zimmo", str(i))
            expected = [run_ids[k] for k in range(N_RUNS) if str(i) in SEEN[k]]
            assert [o.run_id for o in history] == expected, i
            assert [o.rent_eur for o in history] == [
                crawled(str(i), k).rent_eur for k in range(N_RUNS) if str(i) in SEEN[k]
            ]
        for c in CORE:
            assert [o.run_id for o in store.history("zimmo", c)] == [None, *run_ids]

        totals = store.stats()["totals"]
        assert totals["runs"] == N_RUNS
        assert totals["observations"] == (
            N_CORE  # the core listings' first sighting
            + sum(len(s) + N_CORE for s in SEEN)  # one per listing per run
            + N_IMPORTED
            + N_REPRICED
        )
