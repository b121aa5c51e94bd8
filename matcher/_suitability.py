"""Does a listing suit a household? (flanders.md §8, household preferences).

Each check has three outcomes: ``True`` (fits), ``False`` (does not fit) and
``None`` (unknown: the advert does not say). Unknown is never a failure; a
listing is unsuitable only when some check fails, and *suitable* only when
every check passes.

Checks, in this order (a check is only made when it applies):

* ``bedrooms`` – bedrooms needed for this household (preference
  ``min_bedrooms`` when set; else 1 for the applicant and partner, 1 per
  extra adult, and children two to a room, opposite-sex children apart when
  one is older than ``separate_sex_min_age``; co-parented children count).
  A studio or a room offers one sleeping place even when it lists 0 bedrooms.
* ``occupancy`` – persons ≤ what the living area allows (``occupancy_by_area``;
  ``room_min_area_m2`` for one person in a room), only when the area is known.
* ``need:<name>`` – for every need: ``ground_floor_or_elevator`` (floor ≤ 0
  **or** a lift), ``accessible``, ``garden``, ``parking``.
* ``pets`` – only when the household has pets.
* ``available`` – available now, or from a date on or before ``move_in_by``.
* ``municipality`` – in a preferred municipality; no preference = in W13.
* ``property_type`` – one of the preferred types, when any are given.

The same rules are written twice, for one :class:`~listings.Listing`
(:func:`check_suitability`) and column-wise for a pandas DataFrame
(:func:`suitability_codes`); a test checks they agree.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict

from listings import Listing, _places
from matcher._cost import CostParameters
from matcher._household import Household
from matcher._texts import count, format_number, text

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FAIL",
    "OK",
    "UNKNOWN",
    "Check",
    "Suitability",
    "bedrooms_needed",
    "check_suitability",
    "suitability_codes",
]

#: Vectorised outcome codes: a check passed, failed or could not be made.
OK, FAIL, UNKNOWN = 1, 0, -1

_SLEEPING_PLACE_TYPES = ("studio", "room")


class Check(BaseModel):
    """Outcome of one suitability check."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    name: str
    """Check name: ``bedrooms``, ``occupancy``, ``need:<need>``, ``pets``, ``available``,
    ``municipality`` or ``property_type``."""
    outcome: bool | None
    """True = fits, False = does not fit, None = unknown (the advert does not say)."""
    reason: str
    """Plain Dutch explanation for the client."""


class Suitability(BaseModel):
    """Every suitability check of one listing for one household."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    suitable: bool | None
    """False when any check fails; None when none fails but some are unknown; else True."""
    bedrooms_needed: int
    """Bedrooms this household needs (preference or derived, flanders.md §8.2)."""
    persons: int
    """Persons in the household (co-parented children included)."""
    checks: list[Check]
    """Every check made, in a fixed order."""

    @property
    def failed(self) -> list[Check]:
        """Checks that failed."""
        return [c for c in self.checks if c.outcome is False]

    @property
    def unknown(self) -> list[Check]:
        """Checks whose outcome is unknown."""
        return [c for c in self.checks if c.outcome is None]


# -- bedrooms ------------------------------------------------------------------


def _compatible(a: tuple[str | None, int], b: tuple[str | None, int], min_age: int) -> bool:
    sex_a, age_a = a
    sex_b, age_b = b
    opposite = {sex_a, sex_b} == {"f", "m"}
    return not (opposite and max(age_a, age_b) > min_age)


@functools.lru_cache(maxsize=256)
def _child_rooms(children: tuple[tuple[str | None, int], ...], per_room: int, min_age: int) -> int:
    """Fewest rooms for the children: groups of at most ``per_room``, all pairs compatible."""
    n = len(children)
    if n == 0:
        return 0
    if n > 16 or per_room < 2:
        # Large families: greedy by sex, which is optimal when sexes are known.
        if per_room < 2:
            return n
        rooms = 0
        for sex in ("f", "m", None, "x"):
            count = sum(1 for s, _ in children if s == sex)
            rooms += -(-count // per_room)
        return rooms
    ok = [[_compatible(children[i], children[j], min_age) for j in range(n)] for i in range(n)]

    @functools.cache
    def best(mask: int) -> int:
        if mask == 0:
            return 0
        first = (mask & -mask).bit_length() - 1
        rest = mask & ~(1 << first)
        result = 1 + best(rest)
        # try putting `first` with one or more compatible others (up to per_room)
        stack: list[tuple[int, int, int]] = [(rest, 0, 1 << first)]
        while stack:
            remaining, start, group = stack.pop()
            size = group.bit_count()
            if size >= per_room:
                continue
            for j in range(start, n):
                bit = 1 << j
                if not remaining & bit:
                    continue
                members = [i for i in range(n) if group >> i & 1]
                if all(ok[i][j] for i in members):
                    new_group = group | bit
                    result = min(result, 1 + best(mask & ~new_group))
                    stack.append((remaining & ~bit, j + 1, new_group))
        return result

    return best((1 << n) - 1)


def bedrooms_needed(household: Household, on: date, cp: CostParameters) -> int:
    """Bedrooms this household needs on ``on`` (flanders.md §8.2).

    The preference ``min_bedrooms`` wins when set. Otherwise: one room for the
    applicant (and partner), one per extra adult, and the children two to a
    room; a girl and a boy sleep apart when one of them is older than the
    ``separate_sex_min_age`` parameter (unknown sex may share with anyone).
    """
    if household.preferences.min_bedrooms is not None:
        return household.preferences.min_bedrooms
    adults = sum(1 for m in household.members if m.role == "adult")
    children = tuple(
        sorted(
            ((m.sex, household.age(m, on)) for m in household.members if m.role == "child"),
            key=lambda c: (str(c[0]), c[1]),
        )
    )
    rooms = _child_rooms(children, cp.max_children_per_bedroom, cp.separate_sex_min_age)
    return 1 + adults + rooms


# -- municipality --------------------------------------------------------------


def _municipality(listing_municipality: str | None, postcode: str | None) -> str | None:
    if listing_municipality:
        return listing_municipality
    if postcode:
        return _places.municipality_of(postcode)
    return None


def _in_region(municipality: str | None, postcode: str | None) -> bool | None:
    if postcode:
        return _places.is_w13(postcode)
    if municipality:
        return municipality.casefold() in {m.casefold() for m in _places.W13_MUNICIPALITIES}
    return None


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _type_name(kind: str | None) -> str:
    return text(f"type.{kind}") if kind else text("type.other")


# -- one listing ---------------------------------------------------------------


def _persons(household: Household) -> int:
    return household.persons


def check_suitability(
    household: Household, listing: Listing, on: date, cp: CostParameters
) -> Suitability:
    """Check ``listing`` against ``household`` on ``on``; see the module docstring for the rules."""
    prefs = household.preferences
    persons = _persons(household)
    need = bedrooms_needed(household, on, cp)
    kind = None if listing.property_type is None else str(listing.property_type)
    checks: list[Check] = []

    # bedrooms
    have = listing.bedrooms
    if kind in _SLEEPING_PLACE_TYPES:
        have = max(have or 0, 1)
    if have is None:
        checks.append(
            Check(name="bedrooms", outcome=None, reason=text("bedrooms.unknown", need=need))
        )
    else:
        key = "bedrooms.ok" if have >= need else "bedrooms.fail"
        reason = text(key, have=count(have, "bedroom"), need=need)
        checks.append(Check(name="bedrooms", outcome=have >= need, reason=reason))

    # occupancy
    area = listing.living_area_m2
    if area is None:
        checks.append(Check(name="occupancy", outcome=None, reason=text("occupancy.unknown")))
    else:
        min_area = cp.min_area_for_persons(persons, room=kind == "room")
        fits = area >= min_area
        checks.append(
            Check(
                name="occupancy",
                outcome=fits,
                reason=text(
                    "occupancy.ok" if fits else "occupancy.fail",
                    area=format_number(area, 0),
                    persons=count(persons, "person"),
                    need=format_number(min_area, 0),
                ),
            )
        )

    # needs
    for need_name in prefs.needs:
        outcome: bool | None
        if need_name == "ground_floor_or_elevator":
            if (listing.floor is not None and listing.floor <= 0) or listing.elevator is True:
                outcome = True
            elif listing.floor is not None and listing.elevator is False:
                outcome = False
            else:
                outcome = None
        else:
            outcome = getattr(listing, need_name)
        suffix = {True: "ok", False: "fail", None: "unknown"}[outcome]
        checks.append(
            Check(
                name=f"need:{need_name}",
                outcome=outcome,
                reason=text(f"need.{need_name}.{suffix}", floor=listing.floor),
            )
        )

    # pets
    if prefs.pets:
        allowed = listing.pets_allowed
        suffix = {True: "ok", False: "fail", None: "unknown"}[allowed]
        checks.append(Check(name="pets", outcome=allowed, reason=text(f"pets.{suffix}")))

    # available by the move-in date
    if prefs.move_in_by is not None:
        by = prefs.move_in_by
        day = by.strftime("%d/%m/%Y")
        if listing.available_now is True or (
            listing.available_from is not None and listing.available_from <= by
        ):
            checks.append(
                Check(name="available", outcome=True, reason=text("available.ok", date=day))
            )
        elif listing.available_from is not None:
            checks.append(
                Check(
                    name="available",
                    outcome=False,
                    reason=text(
                        "available.fail",
                        available=listing.available_from.strftime("%d/%m/%Y"),
                        date=day,
                    ),
                )
            )
        else:
            checks.append(Check(name="available", outcome=None, reason=text("available.unknown")))

    # municipality
    municipality = _municipality(listing.municipality, listing.postcode)
    place = municipality or listing.postcode or ""
    if prefs.municipalities:
        wanted = {m.casefold() for m in prefs.municipalities}
        if municipality is None:
            checks.append(
                Check(name="municipality", outcome=None, reason=text("municipality.unknown"))
            )
        else:
            inside = municipality.casefold() in wanted
            key = "municipality.ok" if inside else "municipality.fail"
            checks.append(
                Check(name="municipality", outcome=inside, reason=text(key, municipality=place))
            )
    else:
        region = _in_region(municipality, listing.postcode)
        if region is None:
            checks.append(
                Check(name="municipality", outcome=None, reason=text("municipality.unknown"))
            )
        else:
            key = "municipality.ok" if region else "municipality.fail_region"
            checks.append(
                Check(name="municipality", outcome=region, reason=text(key, municipality=place))
            )

    # property type
    if prefs.property_types:
        if kind is None:
            checks.append(
                Check(name="property_type", outcome=None, reason=text("property_type.unknown"))
            )
        else:
            wanted_types = {str(t) for t in prefs.property_types}
            fits = kind in wanted_types
            key = "property_type.ok" if fits else "property_type.fail"
            checks.append(
                Check(name="property_type", outcome=fits, reason=text(key, kind=_type_name(kind)))
            )

    outcomes = [c.outcome for c in checks]
    suitable: bool | None
    if False in outcomes:
        suitable = False
    elif None in outcomes:
        suitable = None
    else:
        suitable = True
    return Suitability(suitable=suitable, bedrooms_needed=need, persons=persons, checks=checks)


# -- column-wise ---------------------------------------------------------------


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    import pandas as pd

    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _bool_codes(values: pd.Series) -> np.ndarray:
    """Map True → OK, False → FAIL, anything else (None, NaN) → UNKNOWN."""
    obj = values.to_numpy(dtype=object)
    codes = np.full(len(obj), UNKNOWN, dtype=np.int8)
    codes[obj == True] = OK  # noqa: E712 - element-wise comparison on an object array
    codes[obj == False] = FAIL  # noqa: E712
    return codes


def _combine(codes: Sequence[np.ndarray], length: int) -> np.ndarray:
    result = np.full(length, OK, dtype=np.int8)
    for c in codes:
        result = np.where(c == UNKNOWN, np.where(result == FAIL, FAIL, UNKNOWN), result)
        result = np.where(c == FAIL, FAIL, result)
    return result


def suitability_codes(
    household: Household,
    frame: pd.DataFrame,
    on: date,
    cp: CostParameters,
    kinds: np.ndarray,
) -> np.ndarray:
    """Overall suitability per row of ``frame`` as codes :data:`OK`, :data:`FAIL`, :data:`UNKNOWN`.

    ``kinds`` holds each row's property type as text (``""`` when unknown).
    Gives the same outcome as :func:`check_suitability` row by row.
    """
    import pandas as pd

    n = len(frame)
    prefs = household.preferences
    persons = _persons(household)
    need = bedrooms_needed(household, on, cp)
    codes: list[np.ndarray] = []
    is_room = kinds == "room"
    sleeping = np.isin(kinds, _SLEEPING_PLACE_TYPES)

    # bedrooms
    bedrooms = pd.to_numeric(_column(frame, "bedrooms"), errors="coerce").to_numpy(dtype=float)
    have = np.where(sleeping, np.fmax(np.nan_to_num(bedrooms, nan=0.0), 1.0), bedrooms)
    codes.append(
        np.where(np.isnan(have), UNKNOWN, np.where(have >= need, OK, FAIL)).astype(np.int8)
    )

    # occupancy
    area = pd.to_numeric(_column(frame, "living_area_m2"), errors="coerce").to_numpy(dtype=float)
    min_area = np.where(
        is_room,
        cp.min_area_for_persons(persons, room=True),
        cp.min_area_for_persons(persons, room=False),
    )
    codes.append(
        np.where(np.isnan(area), UNKNOWN, np.where(area >= min_area, OK, FAIL)).astype(np.int8)
    )

    # needs
    for need_name in prefs.needs:
        if need_name == "ground_floor_or_elevator":
            floor = pd.to_numeric(_column(frame, "floor"), errors="coerce").to_numpy(dtype=float)
            lift = _bool_codes(_column(frame, "elevator"))
            ground = ~np.isnan(floor) & (np.nan_to_num(floor, nan=1.0) <= 0)
            ok = ground | (lift == OK)
            fail = ~np.isnan(floor) & (lift == FAIL) & ~ok
            codes.append(np.where(ok, OK, np.where(fail, FAIL, UNKNOWN)).astype(np.int8))
        else:
            codes.append(_bool_codes(_column(frame, need_name)))

    # pets
    if prefs.pets:
        codes.append(_bool_codes(_column(frame, "pets_allowed")))

    # available
    if prefs.move_in_by is not None:
        now = _bool_codes(_column(frame, "available_now")) == OK
        raw_from = pd.to_datetime(_column(frame, "available_from"), errors="coerce")
        from_known = raw_from.notna().to_numpy()
        in_time = (raw_from <= pd.Timestamp(prefs.move_in_by)).to_numpy(dtype=bool)
        codes.append(
            np.where(now | (from_known & in_time), OK, np.where(from_known, FAIL, UNKNOWN)).astype(
                np.int8
            )
        )

    # municipality
    # one decision per distinct (municipality, postcode) pair
    mun_codes, mun_values = pd.factorize(_column(frame, "municipality").astype(object))
    pc_codes, pc_values = pd.factorize(_column(frame, "postcode").astype(object))
    width = len(pc_values) + 1
    pair_codes, pair_index = np.unique(
        (np.asarray(mun_codes) + 1) * width + (np.asarray(pc_codes) + 1), return_inverse=True
    )
    wanted = {m.casefold() for m in prefs.municipalities}
    decided = np.empty(len(pair_codes), dtype=np.int8)
    for j, pair in enumerate(pair_codes.tolist()):
        mun, pc = divmod(pair, width)
        mun_text = _text_or_none(mun_values[mun - 1]) if mun else None
        pc_text = _text_or_none(pc_values[pc - 1]) if pc else None
        name = _municipality(mun_text, pc_text)
        if prefs.municipalities:
            outcome = None if name is None else name.casefold() in wanted
        else:
            outcome = _in_region(name, pc_text)
        decided[j] = UNKNOWN if outcome is None else (OK if outcome else FAIL)
    codes.append(decided[np.asarray(pair_index).reshape(-1)])

    # property type
    if prefs.property_types:
        wanted_types = [str(t) for t in prefs.property_types]
        codes.append(
            np.where(kinds == "", UNKNOWN, np.where(np.isin(kinds, wanted_types), OK, FAIL)).astype(
                np.int8
            )
        )

    return _combine(codes, n)
