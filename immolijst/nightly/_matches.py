"""New matches for saved households.

After the crawl and the dedupe, every saved household is ranked over the
region's active dwellings on the run's date, the same way as its immolijst
page (:func:`immolijst.report._items.rank_dwellings`). A dwelling is a *new
match* when it is green or amber now and was not green or amber in that
household's previous nightly result: a new dwelling, a price drop, or a
change of the allowances. A household's very first result has no previous
one; then only dwellings first advertised after the household was saved count
as new (the worker saw the rest when saving it).

Per household the current green/amber set is stored in ``household_matches``
(``first_seen_run`` / ``last_seen_run``) in one transaction per household, so a
run killed half-way leaves every household either at its old or its new
result. The web app shows :func:`new_match_count` as a badge ("3 nieuwe
woningen") and calls :func:`mark_matches_seen` when the worker opens the
household's immolijst. Nothing here logs or mails household content: the
digest carries the pseudonymous label and dwelling facts only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from immolijst.nightly._db import open_engine, write
from immolijst.nightly._logging import LOGGER_NAME, log_event
from immolijst.nightly._tables import household_match_state, household_matches
from immolijst.report._items import rank_dwellings
from immolijst.web.db import households, users
from matcher import HouseholdError, Parameters, load_household

__all__ = [
    "MATCH_VERDICTS",
    "DigestItem",
    "HouseholdDigest",
    "MatchSummary",
    "mark_matches_seen",
    "mark_notified",
    "new_match_count",
    "new_match_counts",
    "refresh_matches",
]

#: Verdicts that make a dwelling a match.
MATCH_VERDICTS: Final = ("green", "amber")
_log = logging.getLogger(LOGGER_NAME)


@dataclass(frozen=True)
class DigestItem:
    """One new dwelling for the digest: where, what it costs, the verdict word (no income)."""

    dwelling_id: int
    address: str
    rent_eur: float | None
    charges_eur: float | None
    net_monthly_eur: float | None
    verdict: str
    verdict_label: str
    url: str | None


@dataclass(frozen=True)
class HouseholdDigest:
    """The new, not yet mailed matches of one household, for its worker."""

    household_id: str
    label: str
    """The household's pseudonymous label."""
    owner_id: int
    owner_name: str
    items: tuple[DigestItem, ...]


@dataclass(frozen=True)
class MatchSummary:
    """What :func:`refresh_matches` did."""

    households: int
    """Saved households found."""
    evaluated: int
    """Households ranked and stored."""
    skipped: int
    """Households whose saved data is no longer valid (or that were deleted meanwhile)."""
    new_matches: int
    """New matches found in this run, all households together."""
    digests: list[HouseholdDigest] = field(default_factory=list)
    """Per household with new matches not mailed yet: the digest entries."""


def _float(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


def _address(row: Mapping[Any, Any]) -> str:
    """Street, number, box, postcode and municipality of a dwelling row (what is known)."""
    street = " ".join(x for x in (_text(row.get("street")), _text(row.get("house_number"))) if x)
    box = _text(row.get("box"))
    if street and box:
        street = f"{street} bus {box}"
    place = " ".join(x for x in (_text(row.get("postcode")), _text(row.get("municipality"))) if x)
    return ", ".join(x for x in (street, place) if x) or "adres onbekend"


def _first_seen(dwellings: pd.DataFrame) -> dict[int, datetime | None]:
    if "first_seen_at" not in dwellings.columns:
        return {}
    result: dict[int, datetime | None] = {}
    for dwelling_id, value in zip(
        dwellings["dwelling_id"].to_numpy(), dwellings["first_seen_at"], strict=True
    ):
        stamp = pd.Timestamp(value) if value is not None else pd.NaT
        if pd.isna(stamp):
            result[int(dwelling_id)] = None
            continue
        if stamp.tzinfo is None:
            stamp = stamp.tz_localize("UTC")
        result[int(dwelling_id)] = stamp.to_pydatetime()
    return result


def _household_rows(conn: Connection) -> list[Any]:
    query = (
        sa.select(
            households.c.id,
            households.c.owner_id,
            households.c.label,
            households.c.data,
            households.c.created_at,
            users.c.name.label("owner_name"),
        )
        .join(users, users.c.id == households.c.owner_id)
        .order_by(households.c.id)
    )
    return list(conn.execute(query))


def _store_result(
    conn: Connection,
    household_id: str,
    run_id: int,
    current: Mapping[int, tuple[str, float | None]],
    *,
    first_result_cutoff: datetime,
    first_seen: Mapping[int, datetime | None],
    now: datetime,
) -> tuple[int, list[int]]:
    """Store one household's current matches; return (new in this run, pending for the digest)."""
    hm, state = household_matches, household_match_state
    previous_run = conn.execute(
        sa.select(state.c.last_run).where(state.c.household_id == household_id)
    ).scalar()
    existing = {
        int(row.dwelling_id): row
        for row in conn.execute(sa.select(hm).where(hm.c.household_id == household_id))
    }
    previous = (
        {d for d, row in existing.items() if row.last_seen_run == previous_run}
        if previous_run is not None
        else set()
    )
    n_new = 0
    for dwelling_id, (verdict, net) in sorted(current.items()):
        if dwelling_id in previous:
            conn.execute(
                hm.update()
                .where(hm.c.household_id == household_id, hm.c.dwelling_id == dwelling_id)
                .values(verdict=verdict, net_monthly_eur=net, last_seen_run=run_id)
            )
            continue
        if previous_run is None:
            seen_first = first_seen.get(dwelling_id)
            is_new = seen_first is not None and seen_first > first_result_cutoff
        else:
            is_new = True
        n_new += int(is_new)
        values = {
            "verdict": verdict,
            "net_monthly_eur": net,
            "first_seen_run": run_id,
            "last_seen_run": run_id,
            "is_new": is_new,
            "notified": False,
            "seen_at": None,
        }
        if dwelling_id in existing:
            conn.execute(
                hm.update()
                .where(hm.c.household_id == household_id, hm.c.dwelling_id == dwelling_id)
                .values(**values)
            )
        else:
            conn.execute(
                hm.insert().values(household_id=household_id, dwelling_id=dwelling_id, **values)
            )
    state_values = {
        "last_run": run_id,
        "evaluated_at": now,
        "n_current": len(current),
        "n_new": n_new,
    }
    if previous_run is None:
        conn.execute(state.insert().values(household_id=household_id, **state_values))
    else:
        conn.execute(
            state.update().where(state.c.household_id == household_id).values(**state_values)
        )
    pending = conn.execute(
        sa.select(hm.c.dwelling_id)
        .where(
            hm.c.household_id == household_id,
            hm.c.last_seen_run == run_id,
            hm.c.is_new.is_(True),
            hm.c.notified.is_(False),
            hm.c.seen_at.is_(None),
        )
        .order_by(hm.c.dwelling_id)
    )
    return n_new, [int(d) for d in pending.scalars()]


def refresh_matches(
    engine: Engine,
    run_id: int,
    dwellings: pd.DataFrame,
    *,
    on: date,
    params: Parameters,
    now: datetime,
) -> MatchSummary:
    """Rank every saved household over ``dwellings`` and store its current and new matches.

    ``dwellings`` is the region's active dwellings frame
    (:func:`listings._dwellings.dwellings_frame`). One transaction per household.
    """
    with engine.connect() as conn:
        rows = _household_rows(conn)
    first_seen = _first_seen(dwellings)
    by_id = (
        {int(d): i for i, d in enumerate(dwellings["dwelling_id"].to_numpy())}
        if len(dwellings)
        else {}
    )
    evaluated = skipped = new_total = 0
    digests: list[HouseholdDigest] = []
    for row in rows:
        try:
            household = load_household(json.loads(row.data))
        except (HouseholdError, ValueError, TypeError):
            skipped += 1
            log_event(
                _log,
                "household_skipped",
                level=logging.WARNING,
                household_id=row.id,
                reason="saved data is not valid",
            )
            continue
        if len(dwellings):
            ranked, _total, _counts = rank_dwellings(household, dwellings, on=on, params=params)
            match = ranked[ranked["verdict"].isin(MATCH_VERDICTS)]
        else:
            ranked = match = pd.DataFrame(columns=["dwelling_id", "verdict", "net_monthly_eur"])
        current = {
            int(d): (str(v), _float(n))
            for d, v, n in zip(
                match["dwelling_id"], match["verdict"], match["net_monthly_eur"], strict=True
            )
        }
        try:
            with write(engine) as conn:
                n_new, pending = _store_result(
                    conn,
                    row.id,
                    run_id,
                    current,
                    first_result_cutoff=row.created_at,
                    first_seen=first_seen,
                    now=now,
                )
        except sa.exc.IntegrityError:
            # Deleted by a worker while we ranked it: nothing to keep.
            skipped += 1
            log_event(_log, "household_skipped", household_id=row.id, reason="deleted meanwhile")
            continue
        evaluated += 1
        new_total += n_new
        if pending:
            items = []
            labels = dict(zip(ranked["dwelling_id"], ranked["verdict_label"], strict=True))
            for dwelling_id in pending:
                frame_row = dwellings.iloc[by_id[dwelling_id]].to_dict()
                verdict, net = current[dwelling_id]
                items.append(
                    DigestItem(
                        dwelling_id=dwelling_id,
                        address=_address(frame_row),
                        rent_eur=_float(frame_row.get("rent_eur")),
                        charges_eur=_float(frame_row.get("charges_eur")),
                        net_monthly_eur=net,
                        verdict=verdict,
                        verdict_label=str(labels.get(dwelling_id, verdict)),
                        url=_text(frame_row.get("url")) or None,
                    )
                )
            digests.append(
                HouseholdDigest(
                    household_id=row.id,
                    label=row.label,
                    owner_id=int(row.owner_id),
                    owner_name=row.owner_name,
                    items=tuple(items),
                )
            )
    return MatchSummary(
        households=len(rows),
        evaluated=evaluated,
        skipped=skipped,
        new_matches=new_total,
        digests=digests,
    )


def _unseen_new(household_ids: Sequence[str]) -> sa.Select[Any]:
    hm, state = household_matches, household_match_state
    return (
        sa.select(hm.c.household_id, sa.func.count())
        .join(
            state,
            sa.and_(
                state.c.household_id == hm.c.household_id, state.c.last_run == hm.c.last_seen_run
            ),
        )
        .where(
            hm.c.household_id.in_(list(household_ids)),
            hm.c.is_new.is_(True),
            hm.c.seen_at.is_(None),
        )
        .group_by(hm.c.household_id)
    )


def _has_tables(conn: Connection) -> bool:
    return bool(sa.inspect(conn).has_table(household_matches.name))


def new_match_counts(url: str | Engine, household_ids: Iterable[str]) -> dict[str, int]:
    """Return, per household id, its new matches the worker has not seen yet (0 when none)."""
    ids = list(dict.fromkeys(household_ids))
    counts = dict.fromkeys(ids, 0)
    if not ids:
        return counts
    engine = url if isinstance(url, Engine) else open_engine(url)
    try:
        with engine.connect() as conn:
            if not _has_tables(conn):
                return counts
            for start in range(0, len(ids), 500):
                for household_id, n in conn.execute(_unseen_new(ids[start : start + 500])):
                    counts[household_id] = int(n)
    finally:
        if not isinstance(url, Engine):
            engine.dispose()
    return counts


def new_match_count(url: str | Engine, household_id: str) -> int:
    """Return the household's new matches not seen by the worker yet (the badge number)."""
    return new_match_counts(url, [household_id])[household_id]


def mark_matches_seen(url: str | Engine, household_id: str, *, now: datetime | None = None) -> int:
    """Record that the worker opened the household's immolijst; return the matches cleared."""
    from datetime import UTC

    engine = url if isinstance(url, Engine) else open_engine(url)
    hm = household_matches
    try:
        with write(engine) as conn:
            result = conn.execute(
                hm.update()
                .where(hm.c.household_id == household_id, hm.c.seen_at.is_(None))
                .values(seen_at=now or datetime.now(UTC))
            )
            return int(result.rowcount)
    finally:
        if not isinstance(url, Engine):
            engine.dispose()


def mark_notified(engine: Engine, digests: Iterable[HouseholdDigest]) -> int:
    """Record that these digests were mailed; return the matches marked."""
    hm = household_matches
    total = 0
    with write(engine) as conn:
        for digest in digests:
            ids = [item.dwelling_id for item in digest.items]
            if not ids:
                continue
            result = conn.execute(
                hm.update()
                .where(hm.c.household_id == digest.household_id, hm.c.dwelling_id.in_(ids))
                .values(notified=True)
            )
            total += int(result.rowcount)
    return total
