"""The nightly job: crawl, dedupe, re-match saved households, monitor, report, mail.

:func:`run_nightly` runs one night's work under the nightly lock
(:mod:`~immolijst.nightly._lock`):

1. close what a killed earlier run left open: its ``nightly_runs`` row becomes
   ``failed`` (alarm ``not_finished``) and its crawl runs still ``running``
   become ``failed`` (which marks nothing gone);
2. record a ``running`` row in ``nightly_runs``;
3. crawl every enabled source in a **subprocess** (``python -m scrapers.run
   --json``). Twisted's reactor cannot be restarted within a process, so a
   long-lived caller (tests, a web worker, a second run in one process) could
   not crawl twice in-process; the subprocess also isolates a crashing or
   leaking spider from the job, and is killed with the job (``PR_SET_PDEATHSIG``
   on Linux), so a killed job leaves no orphan writing to the store. The store
   only marks adverts gone for a *complete* crawl of a source, so a blocked
   (challenge page) or failing source never causes gone-marking;
4. link new adverts into dwellings (:func:`listings._dwellings.dedupe`, one
   transaction);
5. rank every saved household over the region's dwellings and store its new
   matches (:mod:`~immolijst.nightly._matches`, one transaction per household);
6. compare each source's metrics with its history and raise alarms
   (:mod:`~immolijst.nightly._monitor`);
7. mail the digests when SMTP settings are present (:mod:`~immolijst.nightly._mail`);
8. close the ``nightly_runs`` row with its status and the JSON run report.

Every write is its own short transaction, so the job can be killed at any point
(``kill -9``) and the next run completes normally. Nothing is ever deleted.

Exit codes (:func:`exit_code`): 0 every source complete and no alarm; 1 the job
failed; 2 finished with alarms or partial sources; 75 another run holds the lock.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from immolijst.nightly._db import open_engine, write
from immolijst.nightly._lock import LockHeldError, NightlyLock
from immolijst.nightly._logging import LOGGER_NAME, log_event
from immolijst.nightly._mail import (
    admin_digest,
    admin_recipients,
    send_messages,
    smtp_settings,
    worker_digests,
)
from immolijst.nightly._matches import mark_notified, refresh_matches
from immolijst.nightly._monitor import (
    Alarm,
    SourceMetrics,
    compare_with_history,
    evaluate_alarms,
    source_history,
)
from immolijst.nightly._tables import nightly_runs
from immolijst.settings import Settings
from immolijst.web.db import AppDB, users
from listings import RunStatus, Store
from matcher import load_parameters

__all__ = [
    "EXIT_ALARMS",
    "EXIT_FAILED",
    "EXIT_LOCKED",
    "EXIT_OK",
    "SOURCES_ENV",
    "NightlyReport",
    "close_stale_runs",
    "exit_code",
    "run_nightly",
]

#: Exit code: every source complete and no alarm.
EXIT_OK: Final = 0
#: Exit code: the job failed (an error stopped it, or the crawler crashed).
EXIT_FAILED: Final = 1
#: Exit code: the job finished with alarms or partial sources.
EXIT_ALARMS: Final = 2
#: Exit code: another nightly run holds the lock (``EX_TEMPFAIL``); nothing was done.
EXIT_LOCKED: Final = 75
#: Environment variable with the comma-separated sources to crawl (default: every source).
SOURCES_ENV: Final = "IMMOLIJST_NIGHTLY_SOURCES"
#: The time zone whose date the rules are applied for.
_ZONE: Final = ZoneInfo("Europe/Brussels")
_NOT_FINISHED: Final = "did not finish"
_STDERR_TAIL_LINES: Final = 20
_PR_SET_PDEATHSIG: Final = 1
_log = logging.getLogger(LOGGER_NAME)


@dataclass
class NightlyReport:
    """What one nightly run did (also stored as JSON in ``nightly_runs.report``).

    ``status`` is ``complete`` (every source complete), ``partial`` (a source was
    partial or failed), ``failed`` (the job failed) or ``locked`` (another run held
    the lock; nothing was done).
    """

    status: str
    run_id: int | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    sources: list[SourceMetrics] = field(default_factory=list)
    comparison: dict[str, Any] = field(default_factory=dict)
    alarms: list[Alarm] = field(default_factory=list)
    dedupe: dict[str, Any] | None = None
    matches: dict[str, Any] | None = None
    mail: dict[str, Any] = field(default_factory=dict)
    stale: dict[str, Any] = field(default_factory=dict)
    crawl: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def exit_code(self) -> int:
        """The process exit code for this report (see :func:`exit_code`)."""
        return exit_code(self)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data (no household content)."""
        return {
            "run_id": self.run_id,
            "status": self.status,
            "exit_code": self.exit_code,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "sources": [m.to_dict() for m in self.sources],
            "comparison": self.comparison,
            "alarms": [a.to_dict() for a in self.alarms],
            "dedupe": self.dedupe,
            "matches": self.matches,
            "mail": self.mail,
            "stale": self.stale,
            "crawl": self.crawl,
            "error": self.error,
        }


def exit_code(report: NightlyReport) -> int:
    """Map a report to the exit code a scheduler acts on.

    ``locked`` → 75, ``failed`` → 1, ``partial`` or any alarm → 2, otherwise 0.
    """
    if report.status == "locked":
        return EXIT_LOCKED
    if report.status == "failed":
        return EXIT_FAILED
    if report.status == "partial" or report.alarms:
        return EXIT_ALARMS
    return EXIT_OK


def _now() -> datetime:
    return datetime.now(UTC)


# -- stale runs ----------------------------------------------------------------------


def close_stale_runs(store: Store, engine: Engine) -> tuple[list[Alarm], dict[str, Any]]:
    """Close what a killed or crashed nightly run left open; return its alarms and a summary.

    Must be called while holding the nightly lock (so no other run is alive).
    Every ``nightly_runs`` row still ``running`` becomes ``failed`` ("did not
    finish"); every crawl run still ``running`` that started at or after the
    oldest such row becomes ``failed`` too, which marks no advert gone.
    """
    now = _now()
    with write(engine) as conn:
        stale = list(
            conn.execute(
                sa.select(nightly_runs.c.id, nightly_runs.c.started_at, nightly_runs.c.report)
                .where(nightly_runs.c.status == "running")
                .order_by(nightly_runs.c.id)
            )
        )
        for row in stale:
            report = json.loads(row.report or "{}")
            report.update(status="failed", error=_NOT_FINISHED)
            conn.execute(
                nightly_runs.update()
                .where(nightly_runs.c.id == row.id)
                .values(status="failed", finished_at=now, report=json.dumps(report, default=str))
            )
    alarms = [
        Alarm(
            "not_finished",
            None,
            f"De nachtelijke run {row.id} van {row.started_at.astimezone(_ZONE):%d/%m/%Y %H:%M} "
            "is niet afgewerkt (afgebroken of vastgelopen)",
            {"nightly_run": row.id, "started_at": row.started_at.isoformat()},
        )
        for row in stale
    ]
    closed_crawls: list[int] = []
    if stale:
        since = min(row.started_at for row in stale)
        for run in store.runs():
            if run.status is RunStatus.RUNNING and run.started_at >= since:
                store.finish_run(
                    run.id, RunStatus.FAILED, {"reasons": [f"nightly run {_NOT_FINISHED}"]}
                )
                closed_crawls.append(run.id)
    summary = {"nightly_runs": [row.id for row in stale], "crawl_runs": sorted(closed_crawls)}
    if stale:
        log_event(_log, "stale_runs_closed", level=logging.WARNING, **summary)
    return alarms, summary


def _close_own_crawl_runs(store: Store, since: datetime) -> list[int]:
    """Close crawl runs of this job that the crawler left ``running`` (it crashed)."""
    closed = []
    for run in store.runs():
        if run.status is RunStatus.RUNNING and run.started_at >= since:
            store.finish_run(run.id, RunStatus.FAILED, {"reasons": ["crawler stopped"]})
            closed.append(run.id)
    return closed


# -- crawl -------------------------------------------------------------------------------


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Ask Linux to kill the crawler when the job dies (no orphan writes to the store)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _crawl(
    settings: Settings,
    *,
    sources: Sequence[str] | None,
    replay_dir: str | Path | None,
    timeout_s: float | None,
    scrapy_settings: Mapping[str, str] | None = None,
) -> tuple[list[dict[str, Any]] | None, dict[str, Any]]:
    """Run ``python -m scrapers.run --json`` and return its summaries (``None`` if it crashed)."""
    command = [sys.executable, "-m", "scrapers.run", "--json", "-s", "LOG_LEVEL=WARNING"]
    command += ["-s", f"IMMOLIJST_CONTACT={settings.contact}"]
    if replay_dir is not None:
        command += ["--replay", str(replay_dir)]
    for source in sources or ():
        command += ["--source", source]
    for name, value in (scrapy_settings or {}).items():
        command += ["-s", f"{name}={value}"]
    # The URL goes through the environment, not the command line (passwords in `ps`).
    env = {**os.environ, "IMMOLIJST_DATABASE_URL": settings.database_url}
    started = time.monotonic()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as errors:
        try:
            done = subprocess.run(
                command,
                env=env,
                stdout=subprocess.PIPE,
                stderr=errors,
                stdin=subprocess.DEVNULL,
                text=True,
                timeout=timeout_s,
                check=False,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
            returncode: int | None = done.returncode
            stdout = done.stdout
        except subprocess.TimeoutExpired as exc:
            returncode = None
            stdout = exc.stdout if isinstance(exc.stdout, str) else ""
        errors.seek(0)
        tail = errors.read().splitlines()[-_STDERR_TAIL_LINES:]
    info: dict[str, Any] = {
        "exit_code": returncode,
        "duration_s": round(time.monotonic() - started, 3),
    }
    try:
        summaries = json.loads(stdout) if stdout.strip() else None
    except ValueError:
        summaries = None
    if not isinstance(summaries, list):
        summaries = None
    if summaries is None:
        info["stderr_tail"] = tail
        info["error"] = "timed out" if returncode is None else "crawler produced no summary"
    return summaries, info


def _metrics(summaries: Sequence[Mapping[str, Any]]) -> list[SourceMetrics]:
    return [
        SourceMetrics.from_summary(
            str(s.get("source")), str(s.get("status")), s.get("run_id"), dict(s.get("counts") or {})
        )
        for s in summaries
    ]


# -- the job -----------------------------------------------------------------------------


def _start_row(engine: Engine, started: datetime) -> int:
    with write(engine) as conn:
        result = conn.execute(
            nightly_runs.insert()
            .values(
                started_at=started,
                status="running",
                pid=os.getpid(),
                host=socket.gethostname()[:255],
                report="{}",
            )
            .returning(nightly_runs.c.id)
        )
        return int(result.scalar_one())


def _finish_row(engine: Engine, report: NightlyReport) -> None:
    assert report.run_id is not None
    with write(engine) as conn:
        conn.execute(
            nightly_runs.update()
            .where(nightly_runs.c.id == report.run_id)
            .values(
                status=report.status,
                finished_at=report.finished_at,
                report=json.dumps(report.to_dict(), default=str, ensure_ascii=False),
            )
        )


def _sources_from_env(environ: Mapping[str, str]) -> list[str] | None:
    text = environ.get(SOURCES_ENV, "")
    names = [s.strip() for s in text.split(",") if s.strip()]
    return names or None


def run_nightly(
    settings: Settings,
    *,
    replay_dir: str | Path | None = None,
    sources: Sequence[str] | None = None,
    now: datetime | None = None,
    environ: Mapping[str, str] | None = None,
    crawl_timeout_s: float | None = None,
    scrapy_settings: Mapping[str, str] | None = None,
) -> NightlyReport:
    """Run one night's work against ``settings.database_url``; return its report.

    ``replay_dir`` replays recorded cassettes instead of crawling live;
    ``sources`` limits the crawl (default: ``$IMMOLIJST_NIGHTLY_SOURCES``, else
    every source); ``now`` sets the date the rules are applied for (default:
    today in Belgium); ``environ`` holds the SMTP and admin mail settings
    (default: ``os.environ``); ``crawl_timeout_s`` stops a crawl that hangs;
    ``scrapy_settings`` are extra Scrapy settings for the crawler. Never raises
    for a failure of the work itself: the report says ``failed`` and
    :func:`exit_code` gives 1. When another run holds the lock, returns at once
    with status ``locked`` (exit code 75).
    """
    environ = os.environ if environ is None else environ
    sources = list(sources) if sources else _sources_from_env(environ)
    url = settings.database_url
    lock = NightlyLock(url, fallback_dir=settings.data_dir)
    try:
        lock.acquire()
    except LockHeldError:
        log_event(_log, "nightly_locked", level=logging.WARNING, lock=lock.describe())
        return NightlyReport(status="locked")
    options = _Options(replay_dir, sources, now, environ, crawl_timeout_s, scrapy_settings)
    try:
        return _run_locked(settings, options)
    finally:
        lock.release()


@dataclass(frozen=True)
class _Options:
    """What one :func:`run` was asked for: its keyword arguments, defaults resolved."""

    replay_dir: str | Path | None
    sources: Sequence[str] | None
    now: datetime | None
    environ: Mapping[str, str]
    crawl_timeout_s: float | None
    scrapy_settings: Mapping[str, str] | None


def _run_locked(settings: Settings, options: _Options) -> NightlyReport:
    url = settings.database_url
    started = _now()
    report = NightlyReport(status="running", started_at=started)
    try:
        store = Store(url)
        AppDB(url).close()  # creates or migrates the app tables, the nightly ones included
        engine = open_engine(url)
    except Exception as exc:
        report.status, report.error = "failed", f"{type(exc).__name__}: {exc}"
        report.finished_at = _now()
        report.alarms.append(Alarm("job_failed", None, "De nachtelijke run kon niet starten"))
        log_event(_log, "nightly_failed", level=logging.ERROR, error=report.error)
        return report
    try:
        stale_alarms, report.stale = close_stale_runs(store, engine)
        report.run_id = _start_row(engine, started)
        report.alarms = list(stale_alarms)
        log_event(
            _log,
            "nightly_started",
            run_id=report.run_id,
            sources=options.sources or "all",
            replay=bool(options.replay_dir),
        )
        try:
            _work(report, settings, store, engine, options)
        except Exception as exc:
            report.status = "failed"
            report.error = f"{type(exc).__name__}: {exc}"
            _log.exception(
                "nightly_failed",
                extra={"nightly_fields": {"event": "nightly_failed", "run_id": report.run_id}},
            )
            report.alarms.append(
                Alarm(
                    "job_failed",
                    None,
                    f"De nachtelijke run is mislukt ({type(exc).__name__})",
                    {"error": report.error},
                )
            )
        report.alarms = [
            Alarm(a.kind, a.source, a.message, a.details, report.run_id) for a in report.alarms
        ]
        for alarm in report.alarms:
            log_event(
                _log,
                "alarm",
                level=logging.WARNING,
                run_id=report.run_id,
                kind=alarm.kind,
                source=alarm.source,
                message=alarm.message,
            )
        report.finished_at = _now()
        _finish_row(engine, report)
        log_event(
            _log,
            "nightly_finished",
            run_id=report.run_id,
            status=report.status,
            exit_code=report.exit_code,
            alarms=len(report.alarms),
            duration_s=round((report.finished_at - started).total_seconds(), 3),
        )
        return report
    finally:
        engine.dispose()
        store.close()


def _work(
    report: NightlyReport, settings: Settings, store: Store, engine: Engine, options: _Options
) -> None:
    from listings._dwellings import dedupe, dwellings_frame

    assert report.run_id is not None
    assert report.started_at is not None
    # 1. crawl
    log_event(_log, "crawl_started", run_id=report.run_id)
    summaries, report.crawl = _crawl(
        settings,
        sources=options.sources,
        replay_dir=options.replay_dir,
        timeout_s=options.crawl_timeout_s,
        scrapy_settings=options.scrapy_settings,
    )
    closed = _close_own_crawl_runs(store, report.started_at)
    if closed:
        report.crawl["closed_crawl_runs"] = closed
    crawler_failed = summaries is None
    report.sources = _metrics(summaries or [])
    if crawler_failed:
        report.sources = [
            SourceMetrics(source=name, status="failed", reasons=[report.crawl.get("error", "")])
            for name in (options.sources or [])
        ]
    for m in report.sources:
        log_event(
            _log,
            "source_crawled",
            run_id=report.run_id,
            source=m.source,
            status=m.status,
            pages=m.pages,
            seen=m.seen,
            new=m.new,
            updated=m.updated,
            gone=m.gone,
            dropped=m.dropped_total,
            coverage=m.coverage,
            duration_s=m.duration_s,
            challenge=bool(m.challenge),
        )
    # 2. dwellings
    result = dedupe(store)
    report.dedupe = asdict(result)
    log_event(_log, "dedupe_finished", run_id=report.run_id, **report.dedupe)
    # 3. new matches
    on = (options.now or _now()).astimezone(_ZONE).date()
    frame = dwellings_frame(store, region="w13")
    params = load_parameters(settings.parameters_dir)
    summary = refresh_matches(engine, report.run_id, frame, on=on, params=params, now=_now())
    report.matches = {
        "date": on.isoformat(),
        "dwellings": len(frame),
        "households": summary.households,
        "evaluated": summary.evaluated,
        "skipped": summary.skipped,
        "new_matches": summary.new_matches,
        "households_with_new": sum(1 for d in summary.digests if d.items),
    }
    log_event(_log, "matches_refreshed", run_id=report.run_id, **report.matches)
    # 4. monitoring
    with engine.connect() as conn:
        history = source_history(conn, exclude_run=report.run_id)
    report.comparison = {
        m.source: compare_with_history(m, history.get(m.source, ())) for m in report.sources
    }
    report.alarms.extend(evaluate_alarms(report.sources, history))
    if crawler_failed:
        report.status = "failed"
        report.error = f"crawler: {report.crawl.get('error')}"
        report.alarms.append(
            Alarm(
                "job_failed",
                None,
                "De crawler stopte zonder resultaat; niets werd als verdwenen gemarkeerd",
                {"crawl": report.crawl},
            )
        )
    elif all(m.status == "complete" for m in report.sources):
        report.status = "complete"
    else:
        report.status = "partial"
    # 5. mail
    report.mail = _send_mail(report, engine, summary.digests, options.environ)


def _send_mail(
    report: NightlyReport,
    engine: Engine,
    digests: Sequence[Any],
    environ: Mapping[str, str],
) -> dict[str, Any]:
    smtp = smtp_settings(environ)
    if smtp is None:
        return {"configured": False}
    assert report.run_id is not None
    messages = worker_digests(
        digests, sender=smtp.sender, base_url=environ.get("IMMOLIJST_BASE_URL")
    )
    mailed = [d for d in digests if any(m["To"] == d.owner_name.strip() for m in messages)]
    with engine.connect() as conn:
        admins = list(
            conn.execute(sa.select(users.c.name).where(users.c.role == "admin")).scalars()
        )
    alarms_mail = admin_digest(
        [*report.alarms],
        admin_recipients(admins, environ),
        sender=smtp.sender,
        run_id=report.run_id,
        status=report.status,
    )
    outbox = [*messages, *([alarms_mail] if alarms_mail is not None else [])]
    try:
        sent = send_messages(smtp, outbox)
    except (OSError, smtplib.SMTPException) as exc:
        log_event(_log, "mail_failed", level=logging.WARNING, error=type(exc).__name__)
        return {"configured": True, "sent": 0, "error": type(exc).__name__}
    marked = mark_notified(engine, mailed)
    log_event(_log, "mail_sent", run_id=report.run_id, messages=sent, matches_notified=marked)
    return {
        "configured": True,
        "sent": sent,
        "worker_messages": len(messages),
        "admin_message": alarms_mail is not None,
    }
