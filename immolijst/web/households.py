"""Household pages: the list, the intake form (new and edit), the overview, delete.

The intake form mirrors :class:`matcher.Household` field by field. What the
worker typed is kept as text in a :class:`FormState`, turned into the
household mapping and validated by :func:`matcher.load_household`; every
:class:`~matcher.errors.Problem` is mapped back to the input it concerns
(:func:`field_for_path`) and shown next to it, in Dutch, with the typed
values kept. Members are repeatable rows; "Gezinslid toevoegen" and the
per-row remove buttons re-render the form on the server (no JavaScript).

URLs carry only the opaque household id; household content never goes to the
log. :func:`household_for` is the one access check (owner or admin; 403/404)
and writes the audit entry; other page modules use it too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, NoMatchFound, Route

from immolijst.nightly import new_match_counts
from immolijst.web.app import flash, render
from immolijst.web.auth import current_user
from immolijst.web.db import AppDB, HouseholdRecord
from immolijst.web.messages import choice_label, msg
from listings import _places
from listings._model import PropertyType
from matcher._household import INCOME_KINDS, Household, load_household
from matcher.errors import HouseholdError

__all__ = [
    "MAX_LABEL",
    "MAX_MEMBERS",
    "FormState",
    "audit",
    "field_for_path",
    "household_for",
    "routes",
]

log = logging.getLogger("immolijst.web")

#: Longest pseudonymous label.
MAX_LABEL: Final = 80
#: Most member rows the form accepts.
MAX_MEMBERS: Final = 20

ROLES: Final = ("applicant", "partner", "child", "adult")
SEXES: Final = ("f", "m", "x")
CUSTODIES: Final = ("full", "shared")
LEAVINGS: Final = ("none", "unfit", "uninhabitable", "overcrowded", "homeless", "unsuitable", "svk")
PROPERTY_TYPES: Final = tuple(t.value for t in PropertyType)
NEEDS: Final = ("ground_floor_or_elevator", "accessible", "garden", "parking")
_ID_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_MEMBER_FIELDS: Final = ("role", "birth_date", "disability", "sex", "custody")


def _empty_member(role: str = "applicant") -> dict[str, Any]:
    return {"role": role, "birth_date": "", "disability": False, "sex": "", "custody": "full"}


@dataclass
class FormState:
    """The intake form as typed: every value as text (or flag), ready to re-render."""

    label: str = ""
    members: list[dict[str, Any]] = field(default_factory=lambda: [_empty_member()])
    income: dict[str, str] = field(default_factory=dict)
    taxable_annual: str = ""
    waiting_list_since: str = ""
    leaving: str = "none"
    owns_property: bool = False
    municipalities: list[str] = field(default_factory=list)
    property_types: list[str] = field(default_factory=list)
    min_bedrooms: str = ""
    needs: list[str] = field(default_factory=list)
    pets: bool = False
    move_in_by: str = ""

    @classmethod
    def from_form(cls, form: FormData) -> FormState:
        """Read the posted form (unknown keys ignored, every value kept as text)."""

        def text(key: str) -> str:
            value = form.get(key, "")
            return value.strip() if isinstance(value, str) else ""

        try:
            count = int(text("member_count") or "1")
        except ValueError:
            count = 1
        count = max(1, min(count, MAX_MEMBERS))
        members = [
            {
                "role": text(f"members-{i}-role") or "child",
                "birth_date": text(f"members-{i}-birth_date"),
                "disability": bool(text(f"members-{i}-disability")),
                "sex": text(f"members-{i}-sex"),
                "custody": text(f"members-{i}-custody") or "full",
            }
            for i in range(count)
        ]
        return cls(
            label=text("label"),
            members=members,
            income={
                kind: text(f"income-{kind}") for kind in INCOME_KINDS if text(f"income-{kind}")
            },
            taxable_annual=text("taxable_annual"),
            waiting_list_since=text("waiting_list_since"),
            leaving=text("leaving") or "none",
            owns_property=bool(text("owns_property")),
            municipalities=[str(v) for v in form.getlist("municipalities")],
            property_types=[str(v) for v in form.getlist("property_types")],
            min_bedrooms=text("min_bedrooms"),
            needs=[str(v) for v in form.getlist("needs")],
            pets=bool(text("pets")),
            move_in_by=text("move_in_by"),
        )

    @classmethod
    def from_record(cls, label: str, data: Mapping[str, Any]) -> FormState:
        """Fill the form from a saved household's data (for editing)."""
        income = data.get("income") or {}
        situation = data.get("situation") or {}
        preferences = data.get("preferences") or {}

        def amount(value: Any) -> str:
            if value is None:
                return ""
            return f"{float(value):.2f}".replace(".", ",").removesuffix(",00")

        return cls(
            label=label,
            members=[
                {
                    "role": m.get("role", "child"),
                    "birth_date": str(m.get("birth_date") or ""),
                    "disability": bool(m.get("disability")),
                    "sex": m.get("sex") or "",
                    "custody": m.get("custody") or "full",
                }
                for m in data.get("members") or []
            ]
            or [_empty_member()],
            income={k: amount(v) for k, v in (income.get("net_monthly") or {}).items()},
            taxable_annual=amount(income.get("taxable_annual")),
            waiting_list_since=str(situation.get("waiting_list_since") or ""),
            leaving=situation.get("leaving") or "none",
            owns_property=bool(situation.get("owns_property")),
            municipalities=list(preferences.get("municipalities") or []),
            property_types=list(preferences.get("property_types") or []),
            min_bedrooms=""
            if preferences.get("min_bedrooms") is None
            else str(preferences["min_bedrooms"]),
            needs=list(preferences.get("needs") or []),
            pets=bool(preferences.get("pets")),
            move_in_by=str(preferences.get("move_in_by") or ""),
        )

    def to_mapping(self) -> dict[str, Any]:
        """Build the household mapping :func:`matcher.load_household` validates.

        Empty fields are left out (the model's defaults apply); text that is not
        a number or date is passed on as typed so the model reports it.
        """
        members: list[dict[str, Any]] = []
        for row in self.members:
            member: dict[str, Any] = {"role": row["role"], "custody": row["custody"]}
            if row["birth_date"]:
                member["birth_date"] = _date(row["birth_date"])
            if row["disability"]:
                member["disability"] = True
            if row["sex"]:
                member["sex"] = row["sex"]
            members.append(member)
        income: dict[str, Any] = {
            "net_monthly": {kind: _amount(value) for kind, value in self.income.items() if value}
        }
        if self.taxable_annual:
            income["taxable_annual"] = _amount(self.taxable_annual)
        situation: dict[str, Any] = {"leaving": self.leaving, "owns_property": self.owns_property}
        if self.waiting_list_since:
            situation["waiting_list_since"] = _date(self.waiting_list_since)
        preferences: dict[str, Any] = {
            "municipalities": self.municipalities,
            "property_types": self.property_types,
            "needs": self.needs,
            "pets": self.pets,
        }
        if self.min_bedrooms:
            preferences["min_bedrooms"] = _integer(self.min_bedrooms)
        if self.move_in_by:
            preferences["move_in_by"] = _date(self.move_in_by)
        return {
            "members": members,
            "income": income,
            "situation": situation,
            "preferences": preferences,
        }


_THOUSANDS: Final = re.compile(r"^\d{1,3}(\.\d{3})+$")
_DMY: Final = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _amount(text: str) -> float | str:
    """Read a Belgian or plain amount (``1.741,29``, ``1741,29``, ``1741.29``); else the text.

    >>> _amount("€ 1.741,29"), _amount("1741.29"), _amount("2.500"), _amount("veel")
    (1741.29, 1741.29, 2500.0, 'veel')
    """
    value = text.replace("€", "").replace(" ", "").replace("\u00a0", "")
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(value):
        value = value.replace(".", "")
    try:
        return float(value)
    except ValueError:
        return text


def _integer(text: str) -> int | str:
    try:
        return int(text)
    except ValueError:
        return text


def _date(text: str) -> str:
    """Accept ``14/05/1990`` and ``14-05-1990`` as well as ISO; pass anything else on.

    >>> _date("14/05/1990"), _date("1990-05-14"), _date("gisteren")
    ('1990-05-14', '1990-05-14', 'gisteren')
    """
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return text
    return text


_MEMBER_PATH: Final = re.compile(r"^members\[(\d+)\](?:\.(\w+))?")
_INCOME_PATH: Final = re.compile(r"^income\.net_monthly(?:\.(\w+))?")
_SECTION_PATH: Final = re.compile(r"^(?:income|situation|preferences)\.(\w+)")


def field_for_path(path: str) -> str:
    """Return the form input id a :class:`~matcher.errors.Problem` path concerns.

    >>> field_for_path("members[1].birth_date"), field_for_path("income.net_monthly.wage")
    ('members-1-birth_date', 'income-wage')
    >>> field_for_path("preferences.municipalities[0]"), field_for_path("members")
    ('municipalities', 'members')
    """
    match = _MEMBER_PATH.match(path)
    if match:
        index, name = match.groups()
        if name in _MEMBER_FIELDS:
            return f"members-{index}-{name}"
        return "members"
    match = _INCOME_PATH.match(path)
    if match:
        kind = match.group(1)
        return f"income-{kind}" if kind in INCOME_KINDS else "income"
    match = _SECTION_PATH.match(path)
    if match:
        return match.group(1)
    return "members" if path.startswith("members") else "form"


def _field_label(field_id: str) -> str:
    """Return the visible label of an input, for the error summary."""
    member = re.match(r"^members-(\d+)-(\w+)$", field_id)
    if member:
        number = int(member.group(1)) + 1
        key = f"form.member.{member.group(2)}"
        return f"{msg('form.member', number=number)}: {msg(key).rstrip(' *')}"
    if field_id.startswith("income-"):
        return msg("form.income.kind", kind=choice_label("income", field_id[7:]))
    key = {"members": "form.members", "income": "form.income", "label": "form.label"}.get(
        field_id, f"form.{field_id}"
    )
    try:
        return msg(key).rstrip(" *")
    except KeyError:
        return msg("form.intro")


@dataclass
class Validation:
    """The outcome of checking a form: the household or the errors by input id."""

    household: Household | None
    errors: dict[str, list[str]]


def validate(state: FormState) -> Validation:
    """Validate the label and the household; map every problem to its input."""
    errors: dict[str, list[str]] = {}
    if not state.label:
        errors.setdefault("label", []).append(msg("form.label.missing"))
    elif len(state.label) > MAX_LABEL:
        errors.setdefault("label", []).append(msg("form.label.too_long", max=MAX_LABEL))
    household: Household | None = None
    try:
        household = load_household(state.to_mapping())
    except HouseholdError as exc:
        for problem in exc.problems:
            errors.setdefault(field_for_path(problem.path), []).append(problem.reason_nl)
    return Validation(household if not errors else None, errors)


# -- access and audit -------------------------------------------------------------------


def _db(request: Request) -> AppDB:
    db: AppDB = request.app.state.db
    return db


def audit(request: Request, action: str, household_id: str | None = None) -> None:
    """Write an audit entry for the logged-in user (``open``, ``export``, ...)."""
    _db(request).audit(current_user(request).name, action, household_id)


def household_for(
    request: Request, household_id: str, *, action: str | None = "open"
) -> HouseholdRecord:
    """Return the household if the user may see it: owner or admin.

    Raises 404 for an unknown id and 403 for another worker's household. With
    ``action`` (default ``open``) the access is written to the audit log, and an
    ``open`` also counts as activity for the purge.
    """
    user = current_user(request)
    db = _db(request)
    record = db.get_household(household_id) if _ID_RE.match(household_id) else None
    if record is None:
        raise HTTPException(404)
    if record.owner_id != user.id and not user.is_admin:
        log.warning("user %s refused access to a household of another worker", user.name)
        raise HTTPException(403)
    if action is not None:
        db.audit(user.name, action, record.id)
        if action == "open":
            db.touch_household(record.id)
    return record


# -- pages ----------------------------------------------------------------------------------


def _form_context(
    state: FormState,
    errors: dict[str, list[str]],
    *,
    title: str,
    action: str,
    cancel: str,
) -> dict[str, Any]:
    summary = [
        (field_id, _field_label(field_id), text)
        for field_id, texts in errors.items()
        for text in texts
    ]
    return {
        "form": state,
        "errors": errors,
        "summary": summary,
        "title": title,
        "action_url": action,
        "cancel_url": cancel,
        "roles": ROLES,
        "sexes": SEXES,
        "custodies": CUSTODIES,
        "income_kinds": INCOME_KINDS,
        "leavings": LEAVINGS,
        "municipalities": _places.W13_MUNICIPALITIES,
        "property_types": PROPERTY_TYPES,
        "needs": NEEDS,
        "max_members": MAX_MEMBERS,
        "max_label": MAX_LABEL,
    }


async def households_list(request: Request) -> Response:
    """List the worker's saved households (an admin sees all, with the owner)."""
    user = current_user(request)
    db = _db(request)
    records = db.list_households(None if user.is_admin else user.id)
    new_counts = new_match_counts(db.engine, [r.id for r in records])
    return render(
        request, "households_list.html", {"households": records, "new_counts": new_counts}
    )


def _rerender_action(form: FormData, state: FormState) -> bool:
    """Apply "add member" / "remove member N"; return True when the form is to be re-shown."""
    action = str(form.get("action", "save"))
    if action == "add_member":
        if len(state.members) < MAX_MEMBERS:
            state.members.append(_empty_member("child"))
        return True
    if action.startswith("remove_member-"):
        try:
            index = int(action.removeprefix("remove_member-"))
        except ValueError:
            return True
        if 0 <= index < len(state.members) and len(state.members) > 1:
            del state.members[index]
        return True
    return False


async def household_new(request: Request) -> Response:
    """Show the empty intake form (GET) or take its submission (POST)."""
    title = msg("form.title.new")
    url = request.url_for("household_new").path
    if request.method == "GET":
        context = _form_context(FormState(), {}, title=title, action=url, cancel="/")
        return render(request, "household_form.html", context)
    form = await request.form()
    state = FormState.from_form(form)
    if _rerender_action(form, state):
        context = _form_context(state, {}, title=title, action=url, cancel="/")
        return render(request, "household_form.html", context)
    result = validate(state)
    if result.household is None:
        context = _form_context(state, result.errors, title=title, action=url, cancel="/")
        return render(request, "household_form.html", context, status_code=422)
    user = current_user(request)
    data = result.household.model_dump(mode="json")
    household_id = _db(request).create_household(user.id, state.label, data)
    audit(request, "create", household_id)
    flash(request, "household.saved")
    return RedirectResponse(
        request.url_for("household", household_id=household_id).path, status_code=303
    )


async def household_edit(request: Request) -> Response:
    """Show the intake form filled with a saved household (GET) or take its submission (POST)."""
    household_id = request.path_params["household_id"]
    url = request.url_for("household_edit", household_id=household_id).path
    cancel = request.url_for("household", household_id=household_id).path
    if request.method == "GET":
        record = household_for(request, household_id, action="open")
        title = msg("form.title.edit", label=record.label)
        state = FormState.from_record(record.label, record.data)
        context = _form_context(state, {}, title=title, action=url, cancel=cancel)
        return render(request, "household_form.html", context)
    record = household_for(request, household_id, action=None)
    title = msg("form.title.edit", label=record.label)
    form = await request.form()
    state = FormState.from_form(form)
    if _rerender_action(form, state):
        context = _form_context(state, {}, title=title, action=url, cancel=cancel)
        return render(request, "household_form.html", context)
    result = validate(state)
    if result.household is None:
        context = _form_context(state, result.errors, title=title, action=url, cancel=cancel)
        return render(request, "household_form.html", context, status_code=422)
    _db(request).update_household(record.id, state.label, result.household.model_dump(mode="json"))
    audit(request, "update", record.id)
    flash(request, "household.saved")
    return RedirectResponse(cancel, status_code=303)


def _has_route(request: Request, name: str, **params: str) -> str | None:
    try:
        return request.url_for(name, **params).path
    except NoMatchFound:
        return None


async def household_view(request: Request) -> Response:
    """Show the household overview, with the link to its immolijst."""
    record = household_for(request, request.path_params["household_id"], action="open")
    household = load_household(record.data)
    today = date.today()
    members = [(m, Household.age(m, today)) for m in household.members]
    return render(
        request,
        "household_detail.html",
        {
            "record": record,
            "household": household,
            "members": members,
            "net_total": household.net_monthly_income(),
            "immolijst_url": _has_route(request, "immolijst", household_id=record.id),
        },
    )


async def household_delete(request: Request) -> Response:
    """Ask for confirmation (GET); erase the household completely (POST)."""
    household_id = request.path_params["household_id"]
    if request.method == "GET":
        record = household_for(request, household_id, action=None)
        return render(request, "household_delete.html", {"record": record})
    record = household_for(request, household_id, action=None)
    _db(request).delete_household(record.id)
    audit(request, "delete", record.id)
    flash(request, "household.deleted")
    return RedirectResponse("/", status_code=303)


def routes() -> list[BaseRoute]:
    """Return the household routes (the app factory mounts them)."""
    return [
        Route("/", households_list, methods=["GET"], name="households"),
        Route("/huishoudens/nieuw", household_new, methods=["GET", "POST"], name="household_new"),
        Route("/huishoudens/{household_id}", household_view, methods=["GET"], name="household"),
        Route(
            "/huishoudens/{household_id}/bewerken",
            household_edit,
            methods=["GET", "POST"],
            name="household_edit",
        ),
        Route(
            "/huishoudens/{household_id}/verwijderen",
            household_delete,
            methods=["GET", "POST"],
            name="household_delete",
        ),
    ]
