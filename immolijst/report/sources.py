"""Status of the listing sources: last crawl per source, counts, coverage and warnings.

Used by the admin's sources page and meant for the nightly job's alarms:
:func:`source_status` summarises every source from :meth:`listings.Store.stats`
and :meth:`listings.Store.runs`; each :class:`SourceStatus` carries its
:class:`SourceWarning` list. Further warnings (e.g. the nightly job's alarms) can be
passed in as ``extra_warnings`` and are shown in the same place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from immolijst.web.messages import msg
from listings import CrawlRun, RunStatus, Store
from matcher import format_percent

__all__ = [
    "COVERAGE_FIELDS",
    "COVERAGE_MIN",
    "STALE_AFTER",
    "SourceStatus",
    "SourceWarning",
    "source_status",
]

#: Coverage below this share (of the listings seen in the last run) is a warning.
COVERAGE_MIN: Final = 0.9
#: Coverage fields that are checked (the crawler's ``coverage`` counts).
COVERAGE_FIELDS: Final = ("rent_eur", "postcode")
#: A source whose last complete run is older than this is stale.
STALE_AFTER: Final = timedelta(days=2)


@dataclass(frozen=True)
class SourceWarning:
    """One warning about a source, with a machine code and the Dutch text."""

    source: str
    code: str
    """``partial``, ``failed``, ``coverage:<field>``, ``stale``, ``never_complete`` or extra."""
    text: str


@dataclass
class SourceStatus:
    """What the sources page shows for one source."""

    source: str
    active: int
    gone: int
    last_run: CrawlRun | None
    last_complete: CrawlRun | None
    seen: int | None = None
    new: int | None = None
    dropped: dict[str, int] = field(default_factory=dict)
    coverage: dict[str, float] = field(default_factory=dict)
    warnings: list[SourceWarning] = field(default_factory=list)

    @property
    def dropped_total(self) -> int:
        """Listings the last run dropped, all reasons together."""
        return sum(self.dropped.values())


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _ints(value: Any) -> dict[str, int]:
    if isinstance(value, Mapping):
        return {str(k): int(v) for k, v in value.items() if isinstance(v, int | float)}
    return {}


def _warnings(status: SourceStatus, now: datetime) -> list[SourceWarning]:
    out: list[SourceWarning] = []
    run = status.last_run
    if run is not None and run.status in (RunStatus.PARTIAL, RunStatus.FAILED):
        out.append(
            SourceWarning(
                status.source,
                run.status.value,
                msg(
                    "sources.warn.partial",
                    source=status.source,
                    date=_aware(run.started_at).strftime("%d/%m/%Y %H:%M"),
                    status=msg(f"sources.status.{run.status.value}"),
                ),
            )
        )
    for name in COVERAGE_FIELDS:
        share = status.coverage.get(name)
        if share is not None and share < COVERAGE_MIN:
            out.append(
                SourceWarning(
                    status.source,
                    f"coverage:{name}",
                    msg(
                        "sources.warn.coverage",
                        source=status.source,
                        share=format_percent(share, 0),
                        field=msg(f"sources.field.{name}"),
                        limit=format_percent(COVERAGE_MIN, 0),
                    ),
                )
            )
    complete = status.last_complete
    if complete is None:
        if run is not None:
            out.append(
                SourceWarning(
                    status.source,
                    "never_complete",
                    msg("sources.warn.never_complete", source=status.source),
                )
            )
    else:
        when = _aware(complete.finished_at or complete.started_at)
        if now - when > STALE_AFTER:
            out.append(
                SourceWarning(
                    status.source,
                    "stale",
                    msg(
                        "sources.warn.stale",
                        source=status.source,
                        date=when.strftime("%d/%m/%Y"),
                        days=STALE_AFTER.days,
                    ),
                )
            )
    return out


def source_status(
    store: Store,
    *,
    now: datetime | None = None,
    extra_warnings: Iterable[SourceWarning] = (),
) -> list[SourceStatus]:
    """Return the status of every source known to the store, sorted by name.

    ``extra_warnings`` (e.g. the nightly job's alarms) are attached to their
    source (a source not in the store gets its own entry).
    """
    now = _aware(now or datetime.now(UTC))
    stats = store.stats()
    out: dict[str, SourceStatus] = {}
    for source, entry in stats["sources"].items():
        runs = store.runs(source, limit=200)
        last = runs[0] if runs else None
        complete = next((r for r in runs if r.status == RunStatus.COMPLETE), None)
        status = SourceStatus(
            source=source,
            active=int(entry["active"]),
            gone=int(entry["gone"]),
            last_run=last,
            last_complete=complete,
        )
        if last is not None:
            counts = last.counts
            status.seen = counts.get("seen") if isinstance(counts.get("seen"), int) else None
            status.new = counts.get("new") if isinstance(counts.get("new"), int) else None
            status.dropped = _ints(counts.get("dropped"))
            coverage = counts.get("coverage")
            if isinstance(coverage, Mapping):
                status.coverage = {
                    str(k): float(v) for k, v in coverage.items() if isinstance(v, int | float)
                }
        status.warnings = _warnings(status, now)
        out[source] = status
    for warning in extra_warnings:
        target = out.setdefault(
            warning.source,
            SourceStatus(
                source=warning.source, active=0, gone=0, last_run=None, last_complete=None
            ),
        )
        target.warnings.append(warning)
    return [out[name] for name in sorted(out)]
