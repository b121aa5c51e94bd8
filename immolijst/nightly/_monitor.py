"""Monitoring of the nightly crawl: per-source metrics, their medians, and alarms.

Per source and nightly run the job keeps :class:`SourceMetrics` (pages,
adverts seen / new / updated / gone, dropped by reason, field coverage,
duration, challenge) in the run report. Each run is compared with the median
of the last :data:`HISTORY_RUNS` nightly runs in which that source's crawl was
complete, and :func:`evaluate_alarms` raises an :class:`Alarm` when:

* ``count_drop``: a complete source saw fewer than :data:`COUNT_DROP_RATIO` of
  its median number of adverts;
* ``coverage``: the rent or postcode coverage of a complete source is below
  :data:`COVERAGE_MIN`;
* ``blocked``: the source answered with a bot challenge;
* ``source_failed`` / ``source_partial``: the crawl failed, or did not finish
  its listing pages (without a challenge);
* ``not_finished``: an earlier nightly run did not finish (killed, crashed);
  raised by the next run (see :mod:`immolijst.nightly._job`);
* ``job_failed``: the nightly job itself stopped with an error.

Alarm messages are in Dutch: admins read them on the sources page and in the
mail digest. The thresholds are operational settings of this job, not rule values.

>>> usual = [SourceMetrics(source="zimmo", status="complete", seen=40,
...                        coverage={"rent_eur": 1.0, "postcode": 1.0})] * 3
>>> today = SourceMetrics(source="zimmo", status="complete", seen=12,
...                       coverage={"rent_eur": 0.8, "postcode": 1.0})
>>> [a.kind for a in evaluate_alarms([today], {"zimmo": usual})]
['count_drop', 'coverage']
"""

from __future__ import annotations

import json
import os
import socket
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Final

import sqlalchemy as sa

from immolijst.nightly._tables import nightly_runs

__all__ = [
    "ALARM_KINDS",
    "COUNT_DROP_RATIO",
    "COVERAGE_FIELDS",
    "COVERAGE_MIN",
    "HISTORY_RUNS",
    "Alarm",
    "SourceMetrics",
    "compare_with_history",
    "evaluate_alarms",
    "latest_alarms",
    "source_history",
]

#: Number of earlier runs whose median a source is compared with.
HISTORY_RUNS: Final = 7
#: A complete source seeing fewer than this share of its median adverts raises ``count_drop``.
COUNT_DROP_RATIO: Final = 0.5
#: Coverage below this share of adverts raises ``coverage`` (for :data:`COVERAGE_FIELDS`).
COVERAGE_MIN: Final = 0.9
#: Fields whose coverage is watched, with their Dutch name.
COVERAGE_FIELDS: Final = {"rent_eur": "huurprijs", "postcode": "postcode"}
#: Every alarm kind.
ALARM_KINDS: Final = (
    "count_drop",
    "coverage",
    "blocked",
    "source_failed",
    "source_partial",
    "not_finished",
    "job_failed",
)
#: Metrics whose median is reported per source.
_MEDIAN_KEYS: Final = ("pages", "seen", "new", "updated", "gone", "dropped_total", "duration_s")
#: Nightly runs scanned for a source's history (a source may be missing from some).
_SCAN_RUNS: Final = 60


@dataclass(frozen=True)
class SourceMetrics:
    """What one source's crawl did in one nightly run."""

    source: str
    """Source slug."""
    status: str
    """Crawl status: ``complete``, ``partial`` or ``failed``."""
    run_id: int | None = None
    """The store's crawl-run id (``None`` when the crawl never started)."""
    pages: int = 0
    """Pages fetched."""
    seen: int = 0
    """Adverts seen (stored) in this crawl."""
    new: int = 0
    """Adverts new to the store."""
    updated: int = 0
    """Adverts whose stored fields changed (or that came back after being gone)."""
    unchanged: int = 0
    """Adverts seen again without change."""
    gone: int = 0
    """Adverts the crawl marked gone (only a complete crawl marks any)."""
    dropped: dict[str, int] = field(default_factory=dict)
    """Adverts dropped by the pipeline, per reason."""
    coverage: dict[str, float] = field(default_factory=dict)
    """Share (0..1) of seen adverts with a value, per field (``rent_eur``, ``postcode``...)."""
    duration_s: float | None = None
    """Duration of the crawl, seconds."""
    challenge: str | None = None
    """The bot challenge met (``None``: none)."""
    errors: int = 0
    """Requests or pages that failed."""
    reasons: list[str] = field(default_factory=list)
    """Why the crawl was partial or failed (English, from the crawler)."""

    @property
    def dropped_total(self) -> int:
        """Adverts dropped, all reasons together."""
        return sum(self.dropped.values())

    @property
    def blocked(self) -> bool:
        """Whether the source answered with a bot challenge."""
        return bool(self.challenge)

    @classmethod
    def from_summary(
        cls, source: str, status: str, run_id: int | None, counts: Mapping[str, Any]
    ) -> SourceMetrics:
        """Build the metrics from a crawler summary (:class:`scrapers.run.SourceSummary`)."""

        def integer(name: str) -> int:
            value = counts.get(name)
            return int(value) if isinstance(value, int | float) else 0

        duration = counts.get("duration_s")
        return cls(
            source=source,
            status=status,
            run_id=run_id,
            pages=integer("pages"),
            seen=integer("seen"),
            new=integer("new"),
            updated=integer("updated"),
            unchanged=integer("unchanged"),
            gone=integer("gone"),
            dropped={str(k): int(v) for k, v in dict(counts.get("dropped") or {}).items()},
            coverage={str(k): float(v) for k, v in dict(counts.get("coverage") or {}).items()},
            duration_s=float(duration) if isinstance(duration, int | float) else None,
            challenge=str(counts["challenge"]) if counts.get("challenge") else None,
            errors=integer("errors"),
            reasons=[str(r) for r in counts.get("reasons") or []],
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the metrics as JSON-ready data (as kept in the run report)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SourceMetrics:
        """Rebuild metrics from :meth:`to_dict` data (unknown keys are ignored)."""
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class Alarm:
    """Something an admin must look at, raised by a nightly run."""

    kind: str
    """One of :data:`ALARM_KINDS`."""
    source: str | None
    """The source concerned (``None`` for the job as a whole)."""
    message: str
    """What happened, in Dutch, for the admin."""
    details: dict[str, Any] = field(default_factory=dict)
    """Figures behind the alarm (counts, medians, shares, run ids)."""
    run_id: int | None = None
    """The nightly run that raised it (``None`` while it is being evaluated)."""

    def to_dict(self) -> dict[str, Any]:
        """Return the alarm as JSON-ready data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Alarm:
        """Rebuild an alarm from :meth:`to_dict` data."""
        return cls(
            kind=str(data["kind"]),
            source=data.get("source"),
            message=str(data.get("message", "")),
            details=dict(data.get("details") or {}),
            run_id=data.get("run_id"),
        )


def _median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def _percent(share: float) -> str:
    return f"{round(share * 100):d} %"


def compare_with_history(
    current: SourceMetrics, history: Sequence[SourceMetrics]
) -> dict[str, Any]:
    """Return the medians of the source's recent history and the ratio ``seen / median``.

    ``history`` is the source's earlier metrics, newest first; only the first
    :data:`HISTORY_RUNS` complete ones count.
    """
    usable = [m for m in history if m.status == "complete"][:HISTORY_RUNS]
    medians: dict[str, float | None] = {}
    for key in _MEDIAN_KEYS:
        values = [getattr(m, key) for m in usable if getattr(m, key) is not None]
        medians[key] = _median([float(v) for v in values])
    median_seen = medians["seen"]
    ratio = current.seen / median_seen if median_seen else None
    return {
        "runs": len(usable),
        "median": medians,
        "seen_ratio": round(ratio, 3) if ratio is not None else None,
    }


def evaluate_alarms(
    current: Sequence[SourceMetrics], history: Mapping[str, Sequence[SourceMetrics]]
) -> list[Alarm]:
    """Return the alarms the rules raise for this run's metrics (see the module doc).

    ``history`` maps a source to its earlier metrics, newest first.
    """
    alarms: list[Alarm] = []
    for m in current:
        if m.blocked:
            alarms.append(
                Alarm(
                    "blocked",
                    m.source,
                    f"{m.source}: geblokkeerd door een botcontrole; "
                    "geen enkele advertentie van deze bron werd als verdwenen gemarkeerd",
                    {"challenge": m.challenge, "seen": m.seen},
                )
            )
            continue
        if m.status == "failed":
            alarms.append(
                Alarm(
                    "source_failed",
                    m.source,
                    f"{m.source}: de crawl is mislukt; niets werd als verdwenen gemarkeerd",
                    {"reasons": m.reasons, "errors": m.errors},
                )
            )
            continue
        if m.status == "partial":
            alarms.append(
                Alarm(
                    "source_partial",
                    m.source,
                    f"{m.source}: de crawl is niet volledig; niets werd als verdwenen gemarkeerd",
                    {"reasons": m.reasons, "errors": m.errors, "seen": m.seen},
                )
            )
            continue
        comparison = compare_with_history(m, history.get(m.source, ()))
        median_seen = comparison["median"]["seen"]
        if median_seen and m.seen < COUNT_DROP_RATIO * median_seen:
            alarms.append(
                Alarm(
                    "count_drop",
                    m.source,
                    f"{m.source}: {m.seen} advertenties gezien, minder dan de helft van "
                    f"gewoonlijk (mediaan {median_seen:g} over {comparison['runs']} runs)",
                    {"seen": m.seen, "median_seen": median_seen, "runs": comparison["runs"]},
                )
            )
        if m.seen > 0:
            for name, label in COVERAGE_FIELDS.items():
                share = m.coverage.get(name)
                if share is not None and share < COVERAGE_MIN:
                    alarms.append(
                        Alarm(
                            "coverage",
                            m.source,
                            f"{m.source}: {label} gevonden bij {_percent(share)} van de "
                            f"advertenties (minder dan {_percent(COVERAGE_MIN)})",
                            {"field": name, "coverage": share, "minimum": COVERAGE_MIN},
                        )
                    )
    return alarms


def _reports(conn: sa.Connection, *, exclude_run: int | None, limit: int) -> list[dict[str, Any]]:
    query = (
        sa.select(nightly_runs.c.id, nightly_runs.c.report)
        .where(nightly_runs.c.status.in_(("complete", "partial")))
        .order_by(nightly_runs.c.started_at.desc(), nightly_runs.c.id.desc())
        .limit(limit)
    )
    if exclude_run is not None:
        query = query.where(nightly_runs.c.id != exclude_run)
    reports = []
    for _run_id, text in conn.execute(query):
        try:
            reports.append(json.loads(text or "{}"))
        except ValueError:
            continue
    return reports


def source_history(
    conn: sa.Connection, *, exclude_run: int | None = None
) -> dict[str, list[SourceMetrics]]:
    """Return per source its metrics of earlier finished nightly runs, newest first."""
    history: dict[str, list[SourceMetrics]] = {}
    for report in _reports(conn, exclude_run=exclude_run, limit=_SCAN_RUNS):
        for data in report.get("sources") or []:
            try:
                metrics = SourceMetrics.from_dict(data)
            except (TypeError, KeyError):
                continue
            history.setdefault(metrics.source, []).append(metrics)
    return history


def latest_alarms(store_url: str) -> list[Alarm]:
    """Return the alarms of the latest finished nightly run (for the sources status page).

    Empty when no nightly run has finished yet, or when the app tables do not
    exist in that database yet. When the newest run is still recorded as
    ``running`` on this host but its process is gone (killed), a
    ``not_finished`` alarm comes first (the next run will close it).
    """
    from listings._store import _make_engine

    engine = _make_engine(store_url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table(nightly_runs.name):
                return []
            row = conn.execute(
                sa.select(nightly_runs.c.id, nightly_runs.c.report)
                .where(nightly_runs.c.status != "running")
                .order_by(nightly_runs.c.started_at.desc(), nightly_runs.c.id.desc())
                .limit(1)
            ).first()
            newest = conn.execute(
                sa.select(
                    nightly_runs.c.id,
                    nightly_runs.c.started_at,
                    nightly_runs.c.pid,
                    nightly_runs.c.host,
                )
                .where(nightly_runs.c.status == "running")
                .order_by(nightly_runs.c.started_at.desc(), nightly_runs.c.id.desc())
                .limit(1)
            ).first()
    finally:
        engine.dispose()
    alarms: list[Alarm] = []
    if newest is not None and _dead_here(newest.pid, newest.host):
        alarms.append(
            Alarm(
                "not_finished",
                None,
                f"De nachtelijke run {newest.id} is niet afgewerkt (het proces bestaat niet meer)",
                {"nightly_run": newest.id, "started_at": newest.started_at.isoformat()},
                newest.id,
            )
        )
    if row is not None:
        report = json.loads(row.report or "{}")
        alarms += [Alarm.from_dict(a) for a in report.get("alarms") or []]
    return alarms


def _dead_here(pid: int | None, host: str | None) -> bool:
    """Whether a run recorded as running on this host has no live process any more."""
    if pid is None or host != socket.gethostname()[:255]:
        return False  # another machine's run: only the next run can tell
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
