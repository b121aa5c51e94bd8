"""The :class:`Household`: who lives together, their income, situation and wishes.

Field names are a public interface (other tools write household files); do
not rename them. :func:`load_household` and the ``from_*`` class methods check
the whole description and raise :class:`~matcher.errors.HouseholdError` with
*every* problem at once, each with an English and a Dutch reason.

>>> hh = load_household('''
... members:
...   - {role: applicant, birth_date: 1990-05-14}
...   - {role: child, birth_date: 2020-03-01, sex: f}
... income: {net_monthly: {leefloon: 1741.29}, taxable_annual: 20895.48}
... situation: {waiting_list_since: 2019-02-01, leaving: none}
... preferences: {municipalities: [kortrijk]}
... ''')
>>> hh.persons, hh.preferences.municipalities
(2, ['Kortrijk'])
>>> hh.persons_ten_laste(date(2024, 6, 1))
1
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeAlias, get_args

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from listings import _places
from listings._model import PropertyType
from matcher._parameters import Parameters, load_parameters
from matcher._yaml import load_yaml_text
from matcher.errors import HouseholdError, Problem

__all__ = [
    "INCOME_KINDS",
    "Household",
    "Income",
    "IncomeKind",
    "Leaving",
    "Member",
    "Need",
    "Preferences",
    "Role",
    "Situation",
    "load_household",
]

#: Role of a household member.
Role: TypeAlias = Literal["applicant", "partner", "child", "adult"]
#: Kind of monthly net income.
IncomeKind: TypeAlias = Literal[
    "wage",
    "unemployment",
    "sickness",
    "disability",
    "pension",
    "leefloon",
    "groeipakket",
    "alimony",
    "other",
]
#: Every income kind, in the order of :data:`IncomeKind`.
INCOME_KINDS: tuple[str, ...] = get_args(IncomeKind)
#: Why the household leaves its current home (the huursubsidie triggers, flanders.md §4.1).
Leaving: TypeAlias = Literal[
    "none", "unfit", "uninhabitable", "overcrowded", "homeless", "unsuitable", "svk"
]
#: A special need the dwelling must meet.
Need: TypeAlias = Literal["ground_floor_or_elevator", "accessible", "garden", "parking"]

#: Birth dates before this year are rejected as typing mistakes.
_MIN_BIRTH_YEAR = 1900

_MODEL_CONFIG = ConfigDict(
    extra="forbid",
    frozen=True,
    use_attribute_docstrings=True,
    str_strip_whitespace=True,
)


def _today(info: ValidationInfo) -> date:
    context = info.context
    if isinstance(context, Mapping) and isinstance(context.get("today"), date):
        return context["today"]  # type: ignore[no-any-return]
    return date.today()


def _check_birth_date(value: date, info: ValidationInfo) -> date:
    if value.year < _MIN_BIRTH_YEAR:
        raise PydanticCustomError(
            "birth_date_too_old",
            "birth date {value} is before {year}",
            {"value": str(value), "year": _MIN_BIRTH_YEAR},
        )
    if value > _today(info):
        raise PydanticCustomError(
            "birth_date_future", "birth date {value} lies in the future", {"value": str(value)}
        )
    return value


def _official_municipality(name: str) -> str:
    text = name.strip()
    if _places.is_municipality(text):
        official = _places.suggest_municipality(text)
        if official is not None and official.casefold() == text.casefold():
            return official
        return text
    suggestion = _places.suggest_municipality(text)
    if suggestion:
        raise PydanticCustomError(
            "unknown_municipality",
            "unknown municipality {name}; did you mean {suggestion}?",
            {"name": repr(text), "suggestion": repr(suggestion)},
        )
    raise PydanticCustomError(
        "unknown_municipality", "unknown municipality {name}", {"name": repr(text)}
    )


NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class Member(BaseModel):
    """One person of the household."""

    model_config = _MODEL_CONFIG

    role: Role
    """``applicant`` (exactly one), ``partner`` (at most one), ``child`` or ``adult``."""
    birth_date: Annotated[date, AfterValidator(_check_birth_date)]
    """Date of birth (ISO date); not in the future, not before 1900."""
    disability: bool = False
    """True for a recognised handicap (erkende handicap)."""
    sex: Literal["f", "m", "x"] | None = None
    """Optional ``f | m | x``, used to allocate bedrooms to children."""
    custody: Literal["full", "shared"] = "full"
    """``full`` or ``shared`` (co-parenting: the child still counts as living there)."""


class Income(BaseModel):
    """What the household earns."""

    model_config = _MODEL_CONFIG

    net_monthly: dict[IncomeKind, NonNegative] = Field(default_factory=dict)
    """Net income coming in each month by kind, EUR per month (incl. Groeipakket)."""
    taxable_annual: NonNegative | None = None
    """The "inkomen" of the social-rent rules (flanders.md §1.1), EUR/year; ``None``: unknown."""


class Situation(BaseModel):
    """The household's housing situation, which decides the allowance triggers."""

    model_config = _MODEL_CONFIG

    waiting_list_since: date | None = None
    """On the social-housing waiting list since this date; ``None`` if not registered."""
    leaving: Leaving = "none"
    """Why the household leaves its home (huursubsidie trigger), or ``none``."""
    owns_property: bool = False
    """True when a member owns a dwelling or building plot (excludes both allowances)."""


class Preferences(BaseModel):
    """What the household looks for."""

    model_config = _MODEL_CONFIG

    municipalities: list[Annotated[str, AfterValidator(_official_municipality)]] = Field(
        default_factory=list
    )
    """Official municipality names (case-insensitive on input); empty = the whole region."""
    property_types: list[PropertyType] = Field(default_factory=list)
    """Accepted property types; empty = any."""
    min_bedrooms: Annotated[int, Field(ge=0, le=20)] | None = None
    """Minimum number of bedrooms; ``None`` = derived from the household."""
    needs: list[Need] = Field(default_factory=list)
    """Special needs: ``ground_floor_or_elevator``, ``accessible``, ``garden``, ``parking``."""
    pets: bool = False
    """True when the household has pets."""
    move_in_by: date | None = None
    """Date by which the household wants to move in (ISO date)."""


def _role_problems(members: object) -> list[Problem]:
    """Check there is exactly one applicant and at most one partner (on raw or parsed data)."""
    if not isinstance(members, list):
        return []
    roles = [
        m.role if isinstance(m, Member) else m.get("role") if isinstance(m, Mapping) else None
        for m in members
    ]
    problems: list[Problem] = []
    applicants = roles.count("applicant")
    if applicants == 0:
        problems.append(
            Problem(
                "members",
                None,
                "there is no member with role 'applicant'",
                "Er is geen aanvrager: duid één persoon aan als aanvrager",
            )
        )
    elif applicants > 1:
        problems.append(
            Problem(
                "members",
                applicants,
                f"there are {applicants} applicants; exactly one is needed",
                "Er mag maar één aanvrager zijn",
            )
        )
    partners = roles.count("partner")
    if partners > 1:
        problems.append(
            Problem(
                "members",
                partners,
                f"there are {partners} partners; at most one is allowed",
                "Er mag maar één partner zijn",
            )
        )
    return problems


class Household(BaseModel):
    """A household looking for a home: members, income, situation and preferences.

    Build one with :func:`load_household` or :meth:`from_mapping` to get every
    problem at once; direct construction validates too but stops at pydantic's
    errors.
    """

    model_config = _MODEL_CONFIG

    members: list[Member] = Field(min_length=1)
    """Everyone who will live in the dwelling (co-parented children included)."""
    income: Income = Field(default_factory=Income)
    """Net monthly income by kind and the taxable annual income."""
    situation: Situation = Field(default_factory=Situation)
    """Waiting-list registration, reason for leaving, property ownership."""
    preferences: Preferences = Field(default_factory=Preferences)
    """Where and what the household looks for."""

    @model_validator(mode="after")
    def _check_roles(self) -> Household:
        problems = _role_problems(self.members)
        if problems:
            raise ValueError("; ".join(p.reason for p in problems))
        return self

    # -- derived facts ------------------------------------------------------

    @staticmethod
    def age(member: Member, on: date) -> int:
        """Age of ``member`` in whole years on ``on``.

        >>> Household.age(Member(role="child", birth_date=date(2020, 3, 1)), date(2024, 2, 29))
        3
        """
        born = member.birth_date
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    @property
    def persons(self) -> int:
        """Number of members (co-parented children included)."""
        return len(self.members)

    @property
    def applicant(self) -> Member:
        """The applicant (there is exactly one)."""
        return next(m for m in self.members if m.role == "applicant")

    @property
    def adults(self) -> list[Member]:
        """Members who are not listed as a child (applicant, partner, other adults)."""
        return [m for m in self.members if m.role != "child"]

    @property
    def children(self) -> list[Member]:
        """Members listed with role ``child``."""
        return [m for m in self.members if m.role == "child"]

    def net_monthly_income(self) -> float:
        """Total net monthly income, EUR, Groeipakket included, rent allowance excluded."""
        return float(sum(self.income.net_monthly.values()))

    def waiting_years(self, on: date) -> float | None:
        """Years on the social-housing waiting list on ``on`` (``None`` if not registered).

        Whole years are counted by anniversary, so exactly four years after
        registering gives ``4.0``.

        >>> hh = Household(members=[Member(role="applicant", birth_date=date(1990, 1, 1))],
        ...                situation=Situation(waiting_list_since=date(2020, 3, 1)))
        >>> hh.waiting_years(date(2024, 3, 1))
        4.0
        """
        since = self.situation.waiting_list_since
        if since is None:
            return None
        if on <= since:
            return 0.0
        years = on.year - since.year - ((on.month, on.day) < (since.month, since.day))
        anniversary = _shift_years(since, years)
        next_anniversary = _shift_years(since, years + 1)
        fraction = (on - anniversary).days / (next_anniversary - anniversary).days
        return years + fraction

    def persons_ten_laste(
        self,
        on: date,
        *,
        for_income_limit: bool = False,
        for_huurpremie: bool = False,
        params: Parameters | None = None,
    ) -> int:
        """Count the persons ten laste (ptl) on ``on``, flanders.md §1.2.

        A ptl is a child (role ``child``, younger than ``ptl_child_max_age``;
        co-parented children count too) or a partner or other adult with a
        recognised handicap. With ``for_income_limit`` a child with a
        recognised handicap counts ``ptl_disabled_child_weight`` times (2);
        with ``for_huurpremie`` an applicant with a recognised handicap counts
        as a ptl too.
        """
        params = params or load_parameters()
        max_age = params.number("ptl_child_max_age", on)
        weight = int(params.number("ptl_disabled_child_weight", on))
        count = 0
        for member in self.members:
            if member.role == "child" and self.age(member, on) < max_age:
                count += weight if (for_income_limit and member.disability) else 1
            elif member.role == "child" or member.role in ("partner", "adult"):
                count += 1 if member.disability else 0
            elif member.role == "applicant" and for_huurpremie and member.disability:
                count += 1
        return count

    # -- construction ---------------------------------------------------------

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, today: date | None = None) -> Household:
        """Validate a mapping (parsed YAML or JSON) and return the household.

        ``today`` is the date birth dates are checked against (default: today).
        Raises :class:`~matcher.errors.HouseholdError` listing every problem.
        """
        if not isinstance(data, Mapping):
            raise HouseholdError(
                [
                    Problem(
                        "household",
                        data,
                        "a household must be a mapping with members, income, situation, "
                        "preferences",
                        "Het gezin is niet goed beschreven",
                    )
                ]
            )
        context = {"today": today or date.today()}
        problems: list[Problem] = []
        try:
            return cls.model_validate(dict(data), context=context)
        except ValidationError as exc:
            problems.extend(_problems_from_validation(exc))
        if not any(p.path == "members" for p in problems):
            problems.extend(_role_problems(data.get("members")))
        raise HouseholdError(problems)

    @classmethod
    def from_yaml(cls, source: str | Path, *, today: date | None = None) -> Household:
        """Read a household from a YAML file path or YAML text."""
        text = _read_source(source)
        try:
            data = load_yaml_text(text)
        except yaml.YAMLError as exc:
            raise HouseholdError(
                [Problem("household", None, f"not valid YAML: {exc}", "Het bestand is onleesbaar")]
            ) from exc
        return cls.from_mapping(data, today=today)

    @classmethod
    def from_json(cls, source: str | Path, *, today: date | None = None) -> Household:
        """Read a household from a JSON file path or JSON text."""
        text = _read_source(source)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise HouseholdError(
                [Problem("household", None, f"not valid JSON: {exc}", "Het bestand is onleesbaar")]
            ) from exc
        return cls.from_mapping(data, today=today)


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year + years, day=28)


def _read_source(source: str | Path) -> str:
    if isinstance(source, Path):
        return source.read_text(encoding="utf-8")
    if "\n" not in source and source.strip().lower().endswith((".yaml", ".yml", ".json")):
        return Path(source).read_text(encoding="utf-8")
    return source


# -- turning pydantic errors into problems ------------------------------------------


def _path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if item == "[key]":
            continue
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + item)
    return "".join(parts) or "household"


_DUTCH_BY_TYPE = {
    "missing": "Dit gegeven ontbreekt",
    "extra_forbidden": "Onbekend veld: kijk de naam na",
    "birth_date_future": "Geboortedatum ligt in de toekomst",
    "birth_date_too_old": "Geboortedatum ligt vóór 1900",
    "date_from_datetime_parsing": "Geen geldige datum (schrijf JJJJ-MM-DD)",
    "date_from_datetime_inexact": "Geen geldige datum (schrijf JJJJ-MM-DD)",
    "date_parsing": "Geen geldige datum (schrijf JJJJ-MM-DD)",
    "date_type": "Geen geldige datum (schrijf JJJJ-MM-DD)",
    "float_parsing": "Geen geldig bedrag",
    "float_type": "Geen geldig bedrag",
    "finite_number": "Geen geldig bedrag",
    "int_parsing": "Geen geldig getal",
    "int_type": "Geen geldig getal",
    "int_from_float": "Geef een geheel getal",
    "bool_parsing": "Kies ja of nee",
    "bool_type": "Kies ja of nee",
    "list_type": "Geef een lijst",
    "dict_type": "Verkeerde vorm",
    "model_type": "Verkeerde vorm",
    "model_attributes_type": "Verkeerde vorm",
    "too_short": "Geef minstens één gezinslid",
    "less_than_equal": "Dit getal is te groot",
    "enum": "Onbekende keuze",
    "value_error": "Ongeldige waarde",
}


def _problem_from_error(err: Mapping[str, Any]) -> Problem:
    loc: tuple[int | str, ...] = tuple(err["loc"])
    kind = str(err["type"])
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    value = err.get("input")
    path = _path(loc)
    reason = str(err["msg"]).removeprefix("Value error, ")
    reason_nl = _DUTCH_BY_TYPE.get(kind, "Ongeldige waarde")
    if kind == "literal_error":
        if "[key]" in loc and "net_monthly" in loc:
            reason = f"unknown income kind {value!r}; use one of {', '.join(INCOME_KINDS)}"
            reason_nl = "Onbekende soort inkomen. Kies uit: " + ", ".join(INCOME_KINDS)
        else:
            reason_nl = "Kies uit: " + str(ctx.get("expected", "")).replace("'", "")
    elif kind == "enum":
        reason_nl = "Kies uit: " + str(ctx.get("expected", "")).replace("'", "")
    elif kind in ("greater_than_equal", "greater_than"):
        reason_nl = "Mag niet negatief zijn" if ctx.get("ge") == 0 else "Dit getal is te klein"
    elif kind == "unknown_municipality":
        suggestion = str(ctx.get("suggestion", "")).strip("'\"")
        reason_nl = "Onbekende gemeente" + (f". Bedoelt u {suggestion}?" if suggestion else "")
    return Problem(path=path, value=value, reason=reason, reason_nl=reason_nl)


def _problems_from_validation(exc: ValidationError) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors():
        if err["type"] == "value_error" and tuple(err["loc"]) == ():
            # The model-level role check: reported with a clear path by _role_problems.
            continue
        problems.append(_problem_from_error(err))
    return problems


def load_household(
    source: str | Path | Mapping[str, Any], *, today: date | None = None
) -> Household:
    """Load a household from a mapping, a YAML/JSON file path, or YAML/JSON text.

    Raises :class:`~matcher.errors.HouseholdError` with every problem at once.

    >>> load_household({"members": [{"role": "child", "birth_date": "2090-01-01"}]})
    Traceback (most recent call last):
    ...
    matcher.errors.HouseholdError: invalid household (2 problems): members[0].birth_date=...
    """
    if isinstance(source, Mapping):
        return Household.from_mapping(source, today=today)
    name = str(source).strip().lower() if isinstance(source, Path) or "\n" not in source else ""
    if name.endswith(".json"):
        return Household.from_json(source, today=today)
    # YAML is a superset of JSON: YAML text, JSON text and YAML paths all go here.
    return Household.from_yaml(source, today=today)
