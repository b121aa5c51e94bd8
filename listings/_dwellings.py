"""Dwellings in the store: adverts linked into homes with stable ids.

:func:`dedupe` links the store's adverts into dwellings with
:class:`~listings._dedupe.Linker`. It is incremental: adverts already linked
and unchanged since (same ``content_hash``) are loaded with their dwelling
without being compared; new adverts are compared against everything; changed
adverts are compared again and may bring their dwelling together with another.

Stability rules:

* a dwelling id is never renumbered or reused; a new advert joins an
  existing dwelling;
* a dwelling is never split: an advert stays in its dwelling when it changes;
* when an advert bridges two dwellings, the younger (higher id) is merged
  into the older; the merge is recorded and the old id redirects
  (:func:`get_dwelling`);
* gone adverts stay linked; a dwelling is active while any advert is.

>>> from listings import Listing, Store
>>> store = Store("sqlite://")
>>> flat = dict(street="Doorniksestraat", house_number="12", box="3", postcode="8500",
...             rent_eur=750, epc_kwh_m2=245, living_area_m2=75, bedrooms=2)
>>> _ = store.upsert([Listing(source="immoweb", source_id="1", url="https://www.immoweb.be/1",
...                           **flat)])
>>> dedupe(store)
DedupeResult(compared=1, new_dwellings=1, joined=0, merged=0, dwellings=1, active_dwellings=1)
>>> flat["street"] = "Doorniksestr."
>>> _ = store.upsert([Listing(source="zimmo", source_id="K1", url="https://www.zimmo.be/k1",
...                           **flat)])
>>> dedupe(store)
DedupeResult(compared=1, new_dwellings=0, joined=1, merged=0, dwellings=1, active_dwellings=1)
>>> dwelling_of(store, "zimmo", "K1") == dwelling_of(store, "immoweb", "1")
True
>>> home = get_dwelling(store, dwelling_of(store, "zimmo", "K1"))
>>> [a.source for a in home.adverts], home.fields["rent_eur"].value
(['immoweb', 'zimmo'], 750.0)
>>> store.close()
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from listings import _frame
from listings._dedupe import LinkDecision, Linker, normalise_street
from listings._dwelling_schema import dwelling_links, dwelling_merges, dwellings_table
from listings._model import Listing
from listings._schema import LISTING_COLUMNS, listings_table
from listings._store import Store, _chunks, _listing_from_row

__all__ = [
    "DWELLING_FRAME_COLUMNS",
    "AdvertRef",
    "DedupeResult",
    "Dwelling",
    "FieldValue",
    "dedupe",
    "dwelling_of",
    "dwellings_frame",
    "get_dwelling",
    "iter_dwellings",
]

_IN_CHUNK: Final = 500
#: Fields that identify one advert rather than describe the home: not merged.
_ADVERT_FIELDS: Final = frozenset({"source", "source_id", "url"})
_MERGED_FIELDS: Final = tuple(c for c in LISTING_COLUMNS if c not in _ADVERT_FIELDS)
#: Fields whose differing values between adverts are reported as conflicts.
_CONFLICT_FIELDS: Final = (
    "property_type",
    "rent_eur",
    "charges_eur",
    "bedrooms",
    "living_area_m2",
    "epc_kwh_m2",
    "epc_label",
    "street",
    "house_number",
    "box",
    "postcode",
    "floor",
    "available_from",
    "furnished",
    "pets_allowed",
    "deposit_eur",
)
_EXTRA_COLUMNS: Final = ("dwelling_id", "n_adverts", "adverts")
#: Columns of :func:`dwellings_frame`: those of :func:`listings.frame`, then the dwelling's.
DWELLING_FRAME_COLUMNS: tuple[str, ...] = (*_frame.FRAME_COLUMNS, *_EXTRA_COLUMNS)


# -- result types -------------------------------------------------------------------


@dataclass(frozen=True)
class AdvertRef:
    """One advert of a dwelling, with its life cycle and the evidence of its link."""

    source: str
    source_id: str
    url: str
    active: bool
    first_seen_at: datetime
    last_seen_at: datetime
    gone_at: datetime | None
    score: float | None
    """Score (0..1) of the match that linked it; ``None`` for the advert that started it."""
    evidence: tuple[str, ...]
    """The link's evidence in Dutch (``"zelfde straat en nummer"``, ``"EPC 245 = 245"``)."""


@dataclass(frozen=True)
class FieldValue:
    """One value of a dwelling's merged view, with the advert it came from."""

    value: object
    source: str
    source_id: str
    seen_at: datetime
    """When that advert was last seen."""


@dataclass(frozen=True)
class Dwelling:
    """One real home and every advert of it (active and gone).

    ``fields`` is the merged view: per :class:`~listings.Listing` field, the
    value of the most recently seen advert that has one. ``conflicts`` lists,
    for the fields where adverts disagree (rents, areas...), every advert's
    value, most recent first. ``merged_from`` holds the ids of dwellings that
    were merged into this one.
    """

    id: int
    active: bool
    adverts: tuple[AdvertRef, ...]
    fields: Mapping[str, FieldValue]
    conflicts: Mapping[str, tuple[FieldValue, ...]]
    merged_from: tuple[int, ...] = field(default=())

    def listing(self) -> Listing:
        """Return the merged view as a :class:`~listings.Listing`.

        ``source``, ``source_id`` and ``url`` are those of the most recently
        seen active advert (of the most recent advert when all are gone).
        """
        ordered = sorted(self.adverts, key=lambda a: (a.active, a.last_seen_at), reverse=True)
        head = ordered[0]
        values: dict[str, Any] = dict.fromkeys(_MERGED_FIELDS)
        values["image_urls"] = []
        values.update({name: fv.value for name, fv in self.fields.items()})
        values.update(source=head.source, source_id=head.source_id, url=head.url)
        return Listing.model_construct(**values)


@dataclass(frozen=True)
class DedupeResult:
    """What one :func:`dedupe` run did.

    ``compared``: adverts linked in this run (new or changed). ``new_dwellings``:
    dwellings created. ``joined``: new adverts that joined a dwelling that
    existed before the run. ``merged``: dwellings merged into an older one.
    ``dwellings`` / ``active_dwellings``: totals after the run (merged-away
    dwellings not counted).
    """

    compared: int
    new_dwellings: int
    joined: int
    merged: int
    dwellings: int
    active_dwellings: int


# -- dedupe -------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _evidence_json(decision: LinkDecision) -> tuple[float | None, str]:
    if decision.match is None:
        return None, "[]"
    texts = [e.text for e in decision.match.evidence]
    return decision.match.score, json.dumps(texts, ensure_ascii=False)


def dedupe(store: Store, *, full: bool = False) -> DedupeResult:
    """Link the store's adverts into dwellings; return what changed.

    Incremental by default: only adverts without a dwelling, or changed since
    their last link, are compared. ``full=True`` compares every advert again
    (dwelling ids still never change; new matches can only merge dwellings).
    Runs in one write transaction.
    """
    store._ensure_schema()
    t, links, d = listings_table, dwelling_links, dwellings_table
    now = _now()
    with store._write() as conn:
        query = (
            sa.select(
                *[t.c[name] for name in LISTING_COLUMNS],
                t.c.id,
                t.c.content_hash,
                links.c.dwelling_id,
                links.c.content_hash.label("linked_hash"),
            )
            .select_from(t.outerjoin(links, links.c.listing_id == t.c.id))
            .order_by(t.c.id)
        )
        rows: Sequence[Mapping[Any, Any]] = conn.execute(query).mappings().all()

        linker = Linker()
        loaded: list[Mapping[Any, Any]] = []
        changed: list[Mapping[Any, Any]] = []
        new: list[Mapping[Any, Any]] = []
        for row in rows:
            if row["dwelling_id"] is None:
                new.append(row)
            else:
                loaded.append(row)
                if full or row["linked_hash"] != row["content_hash"]:
                    changed.append(row)
        linker.load(
            [dict(r) for r in loaded],
            [r["id"] for r in loaded],
            [r["dwelling_id"] for r in loaded],
        )
        first_new = linker.next_label
        decisions: list[LinkDecision] = []
        if changed:
            decisions += linker.relink([r["id"] for r in changed], [dict(r) for r in changed])
        if new:
            decisions += linker.add([dict(r) for r in new], [r["id"] for r in new])
        final = linker.clusters()

        # New dwellings: one row per fresh cluster label, ids from the database.
        fresh = sorted({label for label in final.values() if label >= first_new})
        dwelling_id: dict[int, int] = {}
        if fresh:
            inserted = conn.execute(
                sa.insert(d).returning(d.c.id, sort_by_parameter_order=True),
                [{"created_at": now, "updated_at": now} for _ in fresh],
            )
            dwelling_id = dict(zip(fresh, inserted.scalars().all(), strict=True))

        def target(label: int) -> int:
            return dwelling_id.get(label, label)

        # Merges of existing dwellings: the younger into the older.
        by_id = {r["id"]: r for r in rows}
        merges: dict[int, tuple[int, str]] = {}
        for decision in decisions:
            for old in decision.merged:
                row = by_id[decision.id]
                reason = f"advert {row['source']} {row['source_id']} hoort bij beide woningen" + (
                    f": {decision.match.summary()}" if decision.match else ""
                )
                merges[old] = (target(final[decision.id]), reason)
        if merges:
            for old, (new_id, reason) in merges.items():
                conn.execute(
                    sa.insert(dwelling_merges).values(
                        old_id=old, new_id=new_id, merged_at=now, reason=reason
                    )
                )
                conn.execute(sa.update(d).where(d.c.id == old).values(merged_into=new_id))
                # Earlier merges into ``old`` now redirect to ``new_id`` in one hop.
                conn.execute(sa.update(d).where(d.c.merged_into == old).values(merged_into=new_id))

        # Links: new adverts inserted; changed and merged-away ones updated.
        by_decision = {decision.id: decision for decision in decisions}
        inserts: list[dict[str, Any]] = []
        for row in new:
            score, evidence = _evidence_json(by_decision[row["id"]])
            inserts.append(
                {
                    "listing_id": row["id"],
                    "dwelling_id": target(final[row["id"]]),
                    "linked_at": now,
                    "score": score,
                    "evidence": evidence,
                    "content_hash": row["content_hash"],
                }
            )
        if inserts:
            stmt = store._insert(links)
            if conn.dialect.name in ("sqlite", "postgresql"):
                # A concurrent dedupe (PostgreSQL) may have linked the advert already.
                stmt = stmt.on_conflict_do_nothing(index_elements=[links.c.listing_id])
            conn.execute(stmt, inserts)
        relinked: list[dict[str, Any]] = []
        for row in changed:
            decision = by_decision[row["id"]]
            values: dict[str, Any] = {
                "_listing_id": row["id"],
                "dwelling_id": target(final[row["id"]]),
                "content_hash": row["content_hash"],
            }
            relinked.append(values)
            if decision.match is not None:
                score, evidence = _evidence_json(decision)
                conn.execute(
                    sa.update(links)
                    .where(links.c.listing_id == row["id"])
                    .values(score=score, evidence=evidence, linked_at=now)
                )
        if relinked:
            conn.execute(
                sa.update(links)
                .where(links.c.listing_id == sa.bindparam("_listing_id"))
                .values(
                    dwelling_id=sa.bindparam("dwelling_id"),
                    content_hash=sa.bindparam("content_hash"),
                ),
                relinked,
            )
        if merges:
            for old, (new_id, _reason) in merges.items():
                conn.execute(
                    sa.update(links).where(links.c.dwelling_id == old).values(dwelling_id=new_id)
                )

        touched = {target(final[row["id"]]) for row in (*new, *changed)} - set(dwelling_id.values())
        for chunk in _chunks(sorted(touched), _IN_CHUNK):
            conn.execute(sa.update(d).where(d.c.id.in_(chunk)).values(updated_at=now))

        joined = sum(1 for row in new if final[row["id"]] < first_new)
        totals = _count_dwellings(conn)
    return DedupeResult(
        compared=len(new) + len(changed),
        new_dwellings=len(fresh),
        joined=joined,
        merged=len(merges),
        dwellings=totals[0],
        active_dwellings=totals[1],
    )


def _count_dwellings(conn: Connection) -> tuple[int, int]:
    d, links, t = dwellings_table, dwelling_links, listings_table
    total = conn.execute(
        sa.select(sa.func.count()).select_from(d).where(d.c.merged_into.is_(None))
    ).scalar_one()
    active = conn.execute(
        sa.select(sa.func.count(sa.distinct(links.c.dwelling_id)))
        .select_from(links.join(t, t.c.id == links.c.listing_id))
        .where(t.c.gone_at.is_(None))
    ).scalar_one()
    return int(total), int(active)


# -- reading ------------------------------------------------------------------------


def _resolve(conn: Connection, dwelling_id: int) -> int | None:
    """Follow merge redirects to the surviving dwelling (``None`` when unknown)."""
    d = dwellings_table
    seen: set[int] = set()
    current = dwelling_id
    while current not in seen:
        seen.add(current)
        row = conn.execute(sa.select(d.c.merged_into).where(d.c.id == current)).first()
        if row is None:
            return None
        if row[0] is None:
            return current
        current = int(row[0])
    return current  # pragma: no cover - a redirect cycle cannot be written by dedupe


def dwelling_of(store: Store, source: str, source_id: str) -> int | None:
    """Return the dwelling id of an advert (``None`` when unknown or not linked yet)."""
    t, links = listings_table, dwelling_links
    query = (
        sa.select(links.c.dwelling_id)
        .join(t, t.c.id == links.c.listing_id)
        .where(t.c.source == source, t.c.source_id == str(source_id))
    )
    with store._read() as conn:
        found = conn.execute(query).scalar_one_or_none()
        return None if found is None else _resolve(conn, int(found))


def _dwelling_rows_query() -> sa.Select[Any]:
    t, links = listings_table, dwelling_links
    return (
        sa.select(
            *[t.c[name] for name in LISTING_COLUMNS],
            t.c.id,
            t.c.first_seen_at,
            t.c.last_seen_at,
            t.c.gone_at,
            links.c.dwelling_id,
            links.c.score,
            links.c.evidence,
        )
        .join(links, links.c.listing_id == t.c.id)
        .order_by(links.c.dwelling_id, t.c.id)
    )


def _conflict_key(name: str, value: object) -> object:
    """Return what must differ for two values to conflict (spelling variants do not)."""
    if name == "street" and isinstance(value, str):
        return normalise_street(value)
    if isinstance(value, str):
        return value.strip().casefold()
    return value


def _has_value(value: object) -> bool:
    return value is not None and value != []


def _build(
    dwelling_id: int, rows: Sequence[Mapping[Any, Any]], merged_from: tuple[int, ...]
) -> Dwelling:
    adverts: list[AdvertRef] = []
    listings: list[tuple[datetime, int, Listing]] = []
    for row in rows:
        listing = _listing_from_row(row)
        listings.append((row["last_seen_at"], row["id"], listing))
        adverts.append(
            AdvertRef(
                source=row["source"],
                source_id=row["source_id"],
                url=row["url"],
                active=row["gone_at"] is None,
                first_seen_at=row["first_seen_at"],
                last_seen_at=row["last_seen_at"],
                gone_at=row["gone_at"],
                score=row["score"],
                evidence=tuple(json.loads(row["evidence"] or "[]")),
            )
        )
    listings.sort(key=lambda item: (item[0], item[1]), reverse=True)
    fields: dict[str, FieldValue] = {}
    conflicts: dict[str, tuple[FieldValue, ...]] = {}
    for name in _MERGED_FIELDS:
        values = [
            FieldValue(getattr(lst, name), lst.source, lst.source_id, seen)
            for seen, _id, lst in listings
            if _has_value(getattr(lst, name))
        ]
        if not values:
            continue
        fields[name] = values[0]
        if name in _CONFLICT_FIELDS and len({_conflict_key(name, v.value) for v in values}) > 1:
            conflicts[name] = tuple(values)
    return Dwelling(
        id=dwelling_id,
        active=any(a.active for a in adverts),
        adverts=tuple(adverts),
        fields=fields,
        conflicts=conflicts,
        merged_from=merged_from,
    )


def _merged_from(conn: Connection, ids: Sequence[int] | None) -> dict[int, tuple[int, ...]]:
    d = dwellings_table
    query = sa.select(d.c.merged_into, d.c.id).where(d.c.merged_into.is_not(None))
    if ids is not None:
        query = query.where(d.c.merged_into.in_(ids))
    found: dict[int, list[int]] = defaultdict(list)
    for into, old in conn.execute(query.order_by(d.c.id)):
        found[int(into)].append(int(old))
    return {key: tuple(value) for key, value in found.items()}


def get_dwelling(store: Store, dwelling_id: int) -> Dwelling | None:
    """Return a dwelling by id, following merges (a merged-away id gives the survivor)."""
    with store._read() as conn:
        resolved = _resolve(conn, int(dwelling_id))
        if resolved is None:
            return None
        query = _dwelling_rows_query().where(dwelling_links.c.dwelling_id == resolved)
        rows = conn.execute(query).mappings().all()
        merged = _merged_from(conn, [resolved])
    if not rows:
        return None
    return _build(resolved, rows, merged.get(resolved, ()))


def iter_dwellings(store: Store, *, active: bool | None = True) -> Iterator[Dwelling]:
    """Yield dwellings in id order (``active=None``: active and inactive; merged-away never)."""
    with store._read() as conn:
        rows = conn.execute(_dwelling_rows_query()).mappings().all()
        merged = _merged_from(conn, None)
    group: list[Mapping[Any, Any]] = []
    for row in [*rows, None]:
        if group and (row is None or row["dwelling_id"] != group[0]["dwelling_id"]):
            dwelling_id = int(group[0]["dwelling_id"])
            dwelling = _build(dwelling_id, group, merged.get(dwelling_id, ()))
            if active is None or dwelling.active is active:
                yield dwelling
            group = []
        if row is not None:
            group.append(row)


# -- DataFrame ----------------------------------------------------------------------


def dwellings_frame(
    store: Store | str | None = None,
    *,
    region: str | None = "w13",
    municipalities: Sequence[str] | None = None,
    property_types: Sequence[str] | None = None,
    rent_min: float | None = None,
    rent_max: float | None = None,
    include_gone: bool = False,
) -> pd.DataFrame:
    """Return one row per dwelling (active ones unless ``include_gone``), as a DataFrame.

    Columns: those of :func:`listings.frame` with the merged view's values
    (per field, the most recently seen advert's value; ``source``,
    ``source_id``, ``url`` and ``listing_id`` of the most recently seen active
    advert), ``first_seen_at`` (earliest advert), ``last_seen_at`` (latest),
    ``gone_at`` (``NaT`` while active), ``active``, then ``dwelling_id``,
    ``n_adverts`` and ``adverts`` (a list of ``{"source", "source_id", "url",
    "active"}`` per advert). Filters apply to the merged values, as in
    :func:`listings.frame`. Rows are in dwelling id order.
    """
    t, links = listings_table, dwelling_links
    columns = [_frame._raw(t.c[name]) for name in LISTING_COLUMNS]
    query = (
        sa.select(
            *columns,
            _frame._raw(t.c.first_seen_at),
            _frame._raw(t.c.last_seen_at),
            _frame._raw(t.c.gone_at),
            t.c.id,
            links.c.dwelling_id,
        )
        .join(links, links.c.listing_id == t.c.id)
        .order_by(links.c.dwelling_id, t.c.id)
    )
    owned = not isinstance(store, Store)
    opened = store if isinstance(store, Store) else Store(store)
    try:
        with opened._read() as conn:
            rows = conn.execute(query).all()
    finally:
        if owned:
            opened.close()
    return _merge_frame(
        rows,
        region=region,
        municipalities=municipalities,
        property_types=property_types,
        rent_min=rent_min,
        rent_max=rent_max,
        include_gone=include_gone,
    )


def _merge_frame(
    rows: Sequence[Sequence[Any]],
    *,
    region: str | None,
    municipalities: Sequence[str] | None,
    property_types: Sequence[str] | None,
    rent_min: float | None,
    rent_max: float | None,
    include_gone: bool,
) -> pd.DataFrame:
    adverts = _frame._to_frame([row[:-1] for row in rows])
    adverts["dwelling_id"] = pd.array([row[-1] for row in rows], dtype="int64")
    if adverts.empty:
        empty = adverts.iloc[0:0].copy()
        empty["n_adverts"] = pd.array([], dtype="int64")
        empty["adverts"] = pd.Series([], dtype=object)
        return empty[list(DWELLING_FRAME_COLUMNS)].reset_index(drop=True)
    # Empty picture lists count as "no value", so another advert's pictures are used.
    adverts["image_urls"] = adverts["image_urls"].map(lambda v: v if v else None)
    # Most recently seen first (active before gone at equal times), then newest row.
    ordered = adverts.sort_values(
        ["dwelling_id", "active", "last_seen_at", "listing_id"],
        ascending=[True, False, False, False],
        kind="stable",
    )
    by_recency = ordered.sort_values(
        ["dwelling_id", "last_seen_at", "listing_id"],
        ascending=[True, False, False],
        kind="stable",
    )
    grouped = by_recency.groupby("dwelling_id", sort=True)
    merged_fields = [c for c in LISTING_COLUMNS if c not in _ADVERT_FIELDS]
    merged = grouped[merged_fields].first()
    head = ordered.groupby("dwelling_id", sort=True)[
        ["source", "source_id", "url", "listing_id"]
    ].first()
    out = pd.concat([head, merged], axis=1)
    out["image_urls"] = out["image_urls"].map(lambda v: v if isinstance(v, list) else [])
    out["first_seen_at"] = grouped["first_seen_at"].min()
    out["last_seen_at"] = grouped["last_seen_at"].max()
    out["active"] = grouped["active"].any().astype("bool")
    gone = grouped["gone_at"].max()
    out["gone_at"] = gone.where(~out["active"])
    out["n_adverts"] = grouped.size().astype("int64")
    refs: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for dwelling_id, source, source_id, url, active in zip(
        adverts["dwelling_id"].tolist(),
        adverts["source"].tolist(),
        adverts["source_id"].tolist(),
        adverts["url"].tolist(),
        adverts["active"].tolist(),
        strict=True,
    ):
        refs[dwelling_id].append(
            {"source": source, "source_id": source_id, "url": url, "active": active}
        )
    out["adverts"] = pd.Series([refs[i] for i in out.index], index=out.index, dtype=object)
    out["dwelling_id"] = out.index.astype("int64")
    out = out.reset_index(drop=True)

    keep = pd.Series(True, index=out.index)
    if not include_gone:
        keep &= out["active"]
    if region is not None:
        keep &= out["postcode"].isin(sorted(_frame._region_postcodes(region))).fillna(False)
    if municipalities is not None:
        if isinstance(municipalities, str):
            municipalities = [municipalities]
        names = {name.strip().casefold() for name in municipalities}
        keep &= out["municipality"].str.casefold().isin(names).fillna(False)
    if property_types is not None:
        if isinstance(property_types, str):
            property_types = [property_types]
        types = {str(value) for value in property_types}
        keep &= out["property_type"].astype("string").isin(types).fillna(False)
    if rent_min is not None:
        keep &= (out["rent_eur"] >= rent_min).fillna(False)
    if rent_max is not None:
        keep &= (out["rent_eur"] <= rent_max).fillna(False)
    result = out[keep.astype(bool)].reset_index(drop=True)
    for name, dtype in adverts.dtypes.items():
        if name in result.columns and name not in ("image_urls",) and result[name].dtype != dtype:
            result[name] = result[name].astype(dtype)
    return result[list(DWELLING_FRAME_COLUMNS)]
