"""The message catalogue and Belgian number formatting.

Everything a woonclub worker or a client reads (verdict reasons, suitability
checks, estimate flags) comes from :data:`CATALOGUE`, keyed by language and
message key, so that a French or English catalogue can be added next to the
Dutch one without touching the rules. Amounts and percentages are written the
Belgian way: a dot between thousands, a comma before the decimals, a space
after the euro sign and before the percent sign.

>>> format_eur(1234.56)
'€ 1.234,56'
>>> format_percent(0.2355)
'23,6 %'
>>> text("rent_share", rent="€ 780", allowance_part=" − huurpremie € 260,72", share="23,6 %")
'Huur € 780 − huurpremie € 260,72 = 23,6 % van uw inkomen'
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Final

__all__ = [
    "CATALOGUE",
    "DEFAULT_LANGUAGE",
    "count",
    "format_eur",
    "format_number",
    "format_percent",
    "text",
]

#: Language used when none is asked.
DEFAULT_LANGUAGE: Final = "nl"

#: Message catalogue: language → message key → :meth:`str.format` template.
#: Templates take already formatted amounts (see :func:`format_eur`).
CATALOGUE: Final[dict[str, dict[str, str]]] = {
    "nl": {
        # verdict labels
        "verdict.green": "betaalbaar",
        "verdict.amber": "krap",
        "verdict.red": "te duur",
        "verdict.unsuitable": "ongeschikt",
        "verdict.unknown": "huurprijs onbekend",
        # verdict headline
        "headline.green": "Betaalbaar: deze woning past binnen uw budget.",
        "headline.amber": "Krap: deze woning is haalbaar, maar uw budget wordt krap.",
        "headline.red": "Te duur: deze woning kost te veel voor uw inkomen.",
        "headline.unsuitable": "Ongeschikt: deze woning past niet bij uw gezin of uw wensen.",
        "headline.unknown": "De huurprijs is niet bekend: vraag die eerst na.",
        # affordability lines
        "rent_share": "Huur {rent}{allowance_part} = {share} van uw inkomen",
        "allowance_part": " − {name} {amount}",
        "rent_share.limit": "{line} (richtlijn: hoogstens {limit}).",
        "housing_share": (
            "Alle woonkosten samen (huur, lasten en energie{minus_allowance}): "
            "{amount} per maand = {share} van uw inkomen (richtlijn: hoogstens {limit})."
        ),
        "housing_share.minus_allowance": " min de {name}",
        "residual.ok": (
            "Na de woonkosten blijft {residual} per maand over om van te leven "
            "(nodig: ongeveer {reference})."
        ),
        "residual.short": (
            "Na de woonkosten blijft {residual} per maand over om van te leven; "
            "dat is {short} te weinig (nodig: ongeveer {reference})."
        ),
        "no_income": "Er is geen inkomen opgegeven: de betaalbaarheid kan niet berekend worden.",
        # allowances
        "allowance.paid": "U hebt waarschijnlijk recht op de {name}: {amount} per maand.",
        "allowance.one_off": "U krijgt ook eenmalig een installatiepremie van {amount}.",
        "allowance.unknown": "Misschien hebt u recht op de {name}: dat moet nog nagekeken worden.",
        "allowance.none": "U hebt voor deze woning geen recht op een huurpremie of huursubsidie.",
        # suitability checks
        "check.fails": "Past niet: {reason}",
        "check.unknown": "Na te vragen: {reason}",
        "bedrooms.ok": "{have}; uw gezin heeft er {need} nodig.",
        "bedrooms.fail": "{have}, maar uw gezin heeft er {need} nodig.",
        "bedrooms.unknown": (
            "Het aantal slaapkamers is niet bekend; uw gezin heeft er {need} nodig."
        ),
        "occupancy.ok": "{area} m² is groot genoeg voor {persons}.",
        "occupancy.fail": "{area} m² is te klein voor {persons} (nodig: {need} m²).",
        "occupancy.unknown": "De oppervlakte is niet bekend.",
        "need.ground_floor_or_elevator.ok": "Gelijkvloers of met lift.",
        "need.ground_floor_or_elevator.fail": "Op verdieping {floor} zonder lift.",
        "need.ground_floor_or_elevator.unknown": (
            "Niet bekend of er een lift is of het gelijkvloers is."
        ),
        "need.accessible.ok": "Toegankelijk voor een rolstoel.",
        "need.accessible.fail": "Niet toegankelijk voor een rolstoel.",
        "need.accessible.unknown": "Niet bekend of de woning rolstoeltoegankelijk is.",
        "need.garden.ok": "Met tuin.",
        "need.garden.fail": "Geen tuin.",
        "need.garden.unknown": "Niet bekend of er een tuin is.",
        "need.parking.ok": "Met parkeerplaats of garage.",
        "need.parking.fail": "Geen parkeerplaats of garage.",
        "need.parking.unknown": "Niet bekend of er een parkeerplaats is.",
        "pets.ok": "Huisdieren zijn toegelaten.",
        "pets.fail": "Huisdieren zijn niet toegelaten.",
        "pets.unknown": "Niet bekend of huisdieren toegelaten zijn.",
        "available.ok": "Vrij op tijd (vóór {date}).",
        "available.fail": "Pas vrij vanaf {available}, te laat voor {date}.",
        "available.unknown": "Niet bekend wanneer de woning vrij is.",
        "municipality.ok": "In {municipality}.",
        "municipality.fail": "In {municipality}, niet in een gemeente die u zoekt.",
        "municipality.fail_region": "In {municipality}, buiten de regio W13.",
        "municipality.unknown": "De gemeente is niet bekend.",
        "property_type.ok": "Soort woning: {kind}.",
        "property_type.fail": "Soort woning: {kind}, niet wat u zoekt.",
        "property_type.unknown": "De soort woning is niet bekend.",
        # words with a plural
        "word.bedroom": "slaapkamer",
        "word.bedrooms": "slaapkamers",
        "word.person": "persoon",
        "word.persons": "personen",
        # property types
        "type.apartment": "appartement",
        "type.house": "huis",
        "type.studio": "studio",
        "type.room": "kamer",
        "type.other": "andere",
        # estimates
        "estimated.epc_missing": "energie: EPC ontbreekt (label {label} aangenomen)",
        "estimated.epc_from_score": "energie: EPC-label {label} afgeleid uit de EPC-score",
        "estimated.area_missing": "energie: oppervlakte ontbreekt ({area} m² aangenomen)",
        "estimated.energy_model": "energie is een schatting op basis van EPC en oppervlakte",
        "estimated.charges": "lasten geschat ({amount} per maand)",
        "estimated.parameter": "{description} {year} is een schatting",
        "estimated.note": "bedrag onder voorbehoud",
        # parameter names, for "... is een schatting"
        "param.max_rent": "maximale huurprijs",
        "param.max_rent_ptl_factor": "verhoging van de maximale huurprijs per persoon ten laste",
        "param.plus10_municipalities": "lijst van gemeenten met een hogere maximale huurprijs",
        "param.premium_cap": "maximale premie",
        "param.premium_cap_max_ptl": "maximaal aantal personen ten laste voor de premie",
        "param.income_limit": "inkomensgrens",
        "param.reference_rent_share": "referentiehuurprijs",
        "param.own_contribution_divisor": "eigen bijdrage",
        "param.installatiepremie_months": "installatiepremie",
        "param.huurpremie_min_waiting_years": "wachttijd voor de huurpremie",
        "param.leefloon": "leefloon",
        "param.groeipakket_base": "Groeipakket",
        "param.deposit_max_months": "huurwaarborg",
        "param.nonhousing_budget": "budget voor de andere uitgaven (referentiebudget)",
        "param.affordability": "betaalbaarheidsnorm",
        "param.occupancy_by_area": "bezettingsnorm",
        "param.bedroom_allocation": "regel voor het aantal slaapkamers",
        "param.charges_estimate": "geschatte lasten",
        "param.area_missing_m2": "aangenomen oppervlakte",
    },
}


def text(key: str, language: str = DEFAULT_LANGUAGE, /, **values: object) -> str:
    """Return the message ``key`` in ``language``, filled in with ``values``.

    Falls back to Dutch when the language has no such key.

    >>> text("verdict.amber")
    'krap'
    >>> text("pets.fail", "fr")
    'Huisdieren zijn niet toegelaten.'
    """
    messages = CATALOGUE.get(language, {})
    template = messages.get(key)
    if template is None:
        template = CATALOGUE[DEFAULT_LANGUAGE][key]
    return template.format(**values) if values else template


def count(number: int, word: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Return ``number`` with the singular or plural of catalogue word ``word``.

    >>> count(1, "person"), count(3, "person"), count(0, "bedroom")
    ('1 persoon', '3 personen', '0 slaapkamers')
    """
    form = text(f"word.{word}" if number == 1 else f"word.{word}s", language)
    return f"{number} {form}"


def _group(integer_digits: str) -> str:
    groups: list[str] = []
    while len(integer_digits) > 3:
        groups.insert(0, integer_digits[-3:])
        integer_digits = integer_digits[:-3]
    groups.insert(0, integer_digits)
    return ".".join(groups)


def format_number(value: float | Decimal, decimals: int = 2) -> str:
    """Format ``value`` the Belgian way, rounded half up to ``decimals`` places.

    >>> format_number(1234567.891)
    '1.234.567,89'
    >>> format_number(-0.5, 0)
    '-1'
    >>> format_number(2.675)
    '2,68'
    """
    quantum = Decimal(1).scaleb(-decimals)
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    digits = f"{abs(rounded):.{decimals}f}"
    integer, _, fraction = digits.partition(".")
    out = _group(integer)
    return f"{sign}{out},{fraction}" if fraction else f"{sign}{out}"


def format_eur(amount: float, *, cents: bool | None = None) -> str:
    """Format a euro amount the Belgian way: ``€ 1.234,56``.

    ``cents=None`` (the default) leaves out ``,00`` for whole amounts, as a
    client would write them (``€ 780``); ``True`` always shows cents,
    ``False`` rounds to whole euros.

    >>> format_eur(1234.56)
    '€ 1.234,56'
    >>> format_eur(780)
    '€ 780'
    >>> format_eur(780, cents=True)
    '€ 780,00'
    >>> format_eur(-3.244)
    '€ -3,24'
    """
    if cents is None:
        rounded = Decimal(repr(float(amount))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        cents = rounded != rounded.to_integral_value()
    return f"€ {format_number(amount, 2 if cents else 0)}"


def format_percent(share: float, decimals: int = 1) -> str:
    """Format a share (``0.236`` = 23.6 %) as a Belgian percentage: ``23,6 %``.

    >>> format_percent(0.30)
    '30,0 %'
    >>> format_percent(1 / 3)
    '33,3 %'
    """
    return f"{format_number(Decimal(repr(float(share))).scaleb(2), decimals)} %"
