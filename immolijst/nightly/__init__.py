"""The nightly job: scheduled crawl, monitoring and alarms, new matches, mail digest.

``immolijst nightly`` (or ``python -m immolijst.nightly``) runs :func:`run_nightly`
once; a scheduler (systemd timer, cron) runs it every night and acts on the exit
code (:data:`EXIT_OK` 0, :data:`EXIT_FAILED` 1, :data:`EXIT_ALARMS` 2,
:data:`EXIT_LOCKED` 75). Logs are JSON lines on stderr (:func:`configure_logging`).

For the web app: :func:`new_match_count` / :func:`new_match_counts` (the "N nieuwe
woningen" badge), :func:`mark_matches_seen` (call when the worker opens the
household's immolijst) and :func:`latest_alarms` (the sources status page).
"""

from immolijst.nightly._job import (
    EXIT_ALARMS,
    EXIT_FAILED,
    EXIT_LOCKED,
    EXIT_OK,
    NightlyReport,
    close_stale_runs,
    exit_code,
    run_nightly,
)
from immolijst.nightly._lock import LockHeldError, NightlyLock
from immolijst.nightly._logging import configure_logging, log_event
from immolijst.nightly._mail import SmtpSettings, smtp_settings
from immolijst.nightly._matches import (
    mark_matches_seen,
    new_match_count,
    new_match_counts,
)
from immolijst.nightly._monitor import Alarm, SourceMetrics, evaluate_alarms, latest_alarms

__all__ = [
    "EXIT_ALARMS",
    "EXIT_FAILED",
    "EXIT_LOCKED",
    "EXIT_OK",
    "Alarm",
    "LockHeldError",
    "NightlyLock",
    "NightlyReport",
    "SmtpSettings",
    "SourceMetrics",
    "close_stale_runs",
    "configure_logging",
    "evaluate_alarms",
    "exit_code",
    "latest_alarms",
    "log_event",
    "mark_matches_seen",
    "new_match_count",
    "new_match_counts",
    "run_nightly",
    "smtp_settings",
]
