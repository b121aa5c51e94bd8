"""Value parsing: Belgian prices, areas, EPC, dates and booleans, on real-world strings.

Strings marked with a sample file come from ``/work/shared/samples/`` (provenance in its
``SOURCES.md``) or from ``domain/sources.md``; the others are the formats the issue lists.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listings import _parse
from listings._parse import (
    Availability,
    Epc,
    Price,
    parse_amount,
    parse_area,
    parse_availability,
    parse_bool,
    parse_date,
    parse_epc,
    parse_int,
    parse_price,
)

TODAY = date(2026, 11, 27)

# (text, rent_eur, charges_eur, reason)
PRICES = [
    # the formats
    ("€ 1.250", 1250.0, None, None),
    ("€1,700 (+ €125)", 1700.0, 125.0, None),  # sources.md: Immoweb mainDisplayPrice
    ("€ 1.250,50", 1250.5, None, None),
    ("750 EUR/maand", 750.0, None, None),
    ("€ 650 /maand", 650.0, None, None),
    ("650 €/mois", 650.0, None, None),
    ("Huurprijs: € 795 + € 50 kosten", 795.0, 50.0, None),
    ("€ 700 + 75 lasten", 700.0, 75.0, None),
    ("€ 700 + € 50 kosten", 700.0, 50.0, None),  # 2dehands description
    ("Prijs op aanvraag", None, None, _parse.PRICE_ON_REQUEST),
    ("Op aanvraag", None, None, _parse.PRICE_ON_REQUEST),
    ("Prix sur demande", None, None, _parse.PRICE_ON_REQUEST),
    ("Verhuurd", None, None, _parse.PRICE_RENTED),
    # immoweb/scrapfly__parsed_rentals_property.json: price_display
    ("€10,800 (+ €1,000)", 10800.0, 1000.0, None),
    ("€3,650/month", 3650.0, None, None),
    # sources.md: Immoweb accessibilityPrice
    ("1700€ + 125€ per month", 1700.0, 125.0, None),
    # immoscoop/track-immoscoop__property-card-example.html: "€&nbsp;750"
    ("€\u00a0750", 750.0, None, None),
    # immoscoop/track-immoscoop__brugge_rent_history.csv: price column
    ("560", 560.0, None, None),
    ("715", 715.0, None, None),
    ("895", 895.0, None, None),
    # immoweb/scrapfly__parsed_rent_search_cards.json: price_min with currency "€"
    ("€ 1200", 1200.0, None, None),
    ("€ 12500", 12500.0, None, None),
    # zimmo/turbo-immo__search_gent_redacted.html: "prijs": "" and "0" means on request
    ("", None, None, _parse.PRICE_EMPTY),
    ("0", None, None, _parse.PRICE_ZERO),
    # periods
    ("€ 9.600 per jaar", 800.0, None, None),
    ("€ 9.600/jaar", 800.0, None, None),
    ("€ 250 per week", None, None, _parse.PRICE_PER_WEEK),
    ("€ 80 per nacht", None, None, _parse.PRICE_PER_DAY),
    ("€ 12/m²/jaar", None, None, _parse.PRICE_PER_M2),
    ("€ 700/maand + € 600/jaar kosten", 700.0, 50.0, None),
    ("€ 800/maand (€ 9.600/jaar)", 800.0, None, None),
    ("Jaarhuur: € 9.600", 800.0, None, None),
    ("€ 9 600 par an", 800.0, None, None),
    ("€ 500 la semaine", None, None, _parse.PRICE_PER_WEEK),
    ("Huurprijs per maand: € 750 (jaarlijks geïndexeerd)", 750.0, None, None),
    ("€ 750/maand, contract 3 jaar", 750.0, None, None),
    ("€ 750 (75 m²)", 750.0, None, None),
    # more real-world spellings
    ("€ 795,-", 795.0, None, None),
    ("€ 650 p/m", 650.0, None, None),
    ("Huur: 625 euro + 40 euro gemeenschappelijke kosten", 625.0, 40.0, None),
    ("loyer 650 € + 50 € de charges", 650.0, 50.0, None),
    ("€ 1.050 + € 100 provisie", 1050.0, 100.0, None),
    ("Kosten: € 50, huur: € 700", 700.0, 50.0, None),
    ("€ 750 (incl. € 50 kosten)", 700.0, 50.0, None),
    ("€ 700 + kosten", 700.0, None, None),
    ("€ 750 kosten inbegrepen", 750.0, None, None),
    ("€ 700 - € 800", None, None, _parse.PRICE_RANGE),
    ("Loué", None, None, _parse.PRICE_RENTED),
    ("Te koop € 250.000", None, None, _parse.PRICE_FOR_SALE),
    ("$ 1200", None, None, _parse.PRICE_NOT_EURO),
    ("2 maanden waarborg", None, None, _parse.PRICE_NO_AMOUNT),
]


@pytest.mark.parametrize(("text", "rent", "charges", "reason"), PRICES)
def test_parse_price_real_world(
    text: str, rent: float | None, charges: float | None, reason: str | None
) -> None:
    assert parse_price(text) == Price(rent, charges, reason, text)


def test_parse_price_none_is_empty() -> None:
    assert parse_price(None) == Price(None, None, _parse.PRICE_EMPTY, "")


# (text, available_from, available_now, reason) with today = 2026-11-27
AVAILABILITY = [
    ("Vrij op 01/12/2026", date(2026, 12, 1), False, None),  # Zimmo "Vrij op": day first
    ("Vrij op 12/01/2027", date(2027, 1, 12), False, None),
    ("Beschikbaar vanaf 1 december 2026", date(2026, 12, 1), False, None),
    ("Beschikbaar vanaf: 15/01/27", date(2027, 1, 15), False, None),
    ("à partir du 1er mars 2027", date(2027, 3, 1), False, None),
    ("Available from December 1, 2026", date(2026, 12, 1), False, None),
    ("ten vroegste 1 februari 2027", date(2027, 2, 1), False, None),
    ("2026-12-01", date(2026, 12, 1), False, None),  # Immoweb availabilityDate
    ("2026-10-01", date(2026, 10, 1), True, None),  # a past date means now
    ("2026-12-01T00:00:00", date(2026, 12, 1), False, None),
    ("vanaf 1 december", date(2026, 12, 1), False, None),  # no year: the next one
    ("per 1 januari", date(2027, 1, 1), False, None),
    ("01/12", date(2026, 12, 1), False, None),
    ("december 2026", date(2026, 12, 1), False, None),
    ("onmiddellijk", None, True, None),
    ("Onmiddellijk", None, True, None),  # Zimmo "Vrij op"
    ("15/01/2027", date(2027, 1, 15), False, None),  # Zimmo "Vrij op"
    ("Nu", None, True, None),  # realtor facts "Beschikbaar: nu"
    ("Direct beschikbaar", None, True, None),
    ("immediately", None, True, None),
    ("IMMEDIATELY", None, True, None),  # Immoweb availabilityPeriodType
    ("disponible immédiatement", None, True, None),
    ("in overleg", None, False, _parse.AVAILABILITY_BY_AGREEMENT),
    ("mits overleg", None, False, _parse.AVAILABILITY_BY_AGREEMENT),
    ("à convenir", None, False, _parse.AVAILABILITY_BY_AGREEMENT),
    ("bij akte", None, False, _parse.AVAILABILITY_AT_DEED),
    ("AFTER_DEED", None, False, _parse.AVAILABILITY_AT_DEED),
    ("UPON_EXCHANGE_OF_DEEDS", None, False, _parse.AVAILABILITY_AT_DEED),
    # relative words are never read as dates
    ("morgen", None, None, _parse.AVAILABILITY_UNPARSED),
    ("volgende week", None, None, _parse.AVAILABILITY_UNPARSED),
    ("in 2 weken", None, None, _parse.AVAILABILITY_UNPARSED),
    ("31/02/2026", None, None, _parse.AVAILABILITY_UNPARSED),
    ("31/02/2027", None, None, _parse.AVAILABILITY_UNPARSED),
    ("nu nog verhuurd", None, None, _parse.AVAILABILITY_UNPARSED),  # "nu" only on its own
    ("", None, None, None),
]


@pytest.mark.parametrize(("text", "when", "now", "reason"), AVAILABILITY)
def test_parse_availability_real_world(
    text: str, when: date | None, now: bool | None, reason: str | None
) -> None:
    assert parse_availability(text, today=TODAY) == Availability(when, now, reason)


def test_parse_availability_defaults_to_today() -> None:
    assert parse_availability("2000-01-01") == Availability(date(2000, 1, 1), True, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("01/12/2026", date(2026, 12, 1)),
        ("1.12.2026", date(2026, 12, 1)),
        ("Vrij op 01/12/2026", date(2026, 12, 1)),
        ("1 januari 2027", date(2027, 1, 1)),
        ("in overleg", None),
        ("1 december 2026", date(2026, 12, 1)),
        ("3 maart 2027", date(2027, 3, 3)),
        ("1er décembre 2026", date(2026, 12, 1)),
        ("December 1, 2026", date(2026, 12, 1)),
        ("1 december", None),  # no year: parse_date does not guess one
        ("morgen", None),
        ("tomorrow", None),
        ("31/02/2026", None),
        (None, None),
    ],
)
def test_parse_date(text: str | None, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # immoweb/scrapfly__parsed_rent_search_cards.json: area
        ("240 m²", 240.0),
        ("341 m²", 341.0),
        ("1300 m²", 1300.0),
        # zimmo/turbo-immo__search_gent_redacted.html: b_woonopp
        ("87", 87.0),
        ("75m2", 75.0),
        ("75,5 m²", 75.5),
        ("82,5 m2", 82.5),
        ("75 m", 75.0),  # detail-page fact "Bewoonbare opp.: 75 m"
        ("5 m breed", None),  # a bare "m" only as the whole text
        ("ca. 80 m²", 80.0),
        ("± 90 m²", 90.0),
        ("1.200 m²", 1200.0),
        ("Bewoonbare opp.: 110 m²", 110.0),
        ("75-80 m²", None),
        ("op aanvraag", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_area(text: str | None, expected: float | None) -> None:
    assert parse_area(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("245 kWh/m²", Epc(245.0, None)),
        ("EPC: 245 kWh/m².jaar", Epc(245.0, None)),
        ("label C", Epc(None, "C")),
        ("C (245 kWh/m²)", Epc(245.0, "C")),
        ("A+", Epc(None, "A+")),
        ("A++", Epc(None, "A+")),
        ("E", Epc(None, "E")),  # Immoweb certificates.epcScore
        ("a", Epc(None, "A")),  # Zimmo energyLabel
        ("88", Epc(88.0, None)),  # Zimmo energyWaarde
        ("-12 kWh/m²", Epc(-12.0, None)),
        ("EPC-label: B", Epc(None, "B")),
        ("EPC-waarde: 312", Epc(312.0, None)),  # realtor/immovlan facts
        ("245 kWh/m².jaar", Epc(245.0, None)),
        ("Energielabel D (356 kWh/m²/jaar)", Epc(356.0, "D")),
        ("A_PLUS", Epc(None, "A+")),  # Zimmo search-api energyLabel
        ("G", Epc(None, None)),  # not a Flemish label
        ("", Epc(None, None)),
        (None, Epc(None, None)),
    ],
)
def test_parse_epc(text: str | None, expected: Epc) -> None:
    assert parse_epc(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3 slaapkamers", 3), ("Slaapkamers: 2", 2), ("4", 4), ("op aanvraag", None), ("2,5", None)],
)
def test_parse_int(text: str, expected: int | None) -> None:
    assert parse_int(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-1", -1),
        ("Verdieping: -1", -1),
        ("−2", -2),  # a typographic minus
        ("3", 3),
        ("1-2 slaapkamers", 1),
        ("EPC-1", 1),  # a hyphen after a word is no sign
        ("geen", None),
    ],
)
def test_parse_int_signed(text: str, expected: int | None) -> None:
    assert parse_int(text, signed=True) == expected


def test_parse_int_ignores_sign_unless_asked() -> None:
    assert parse_int("-1") == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ja", True),
        ("Nee", False),
        ("yes", True),
        ("no", False),
        ("oui", True),
        ("non", False),
        ("true", True),
        ("False", False),
        ("1", True),
        ("0", False),
        (True, True),
        (False, False),
        ("misschien", None),
        ("aanwezig", True),  # detail-page facts: "Lift: aanwezig"
        ("Niet toegelaten.", False),  # "Huisdieren: niet toegelaten"
        ("niet  aanwezig", False),
        ("afwezig", False),
        (None, None),
    ],
)
def test_parse_bool(value: str | bool | None, expected: bool | None) -> None:
    assert parse_bool(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€ 1.250", 1250.0),
        ("€1,700", 1700.0),
        ("€ 1.250,50", 1250.5),
        ("1,250.50", 1250.5),
        ("€\u00a0750", 750.0),
        ("825", 825.0),
        ("€ 50 per maand", 50.0),
        ("2 maanden huur", None),  # a deposit in months is no amount
        ("prijs op aanvraag", None),
    ],
)
def test_parse_amount(text: str, expected: float | None) -> None:
    assert parse_amount(text) == expected


# -- properties ------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    ["€", "EUR", "1.250", "1,700", "75,5", "0", "+", "(", ")", "-", "/", "kosten", "per", "jaar",
     "week", "m²", "kWh", "label", "C", "A+", "vanaf", "december", "2026", "01/12/2026",
     "in overleg", "morgen", " ", "\u00a0"]
)  # fmt: skip
TEXTS = st.one_of(st.text(max_size=60), st.lists(FRAGMENTS, max_size=8).map(" ".join))


@given(TEXTS)
def test_value_parsers_never_raise(text: str) -> None:
    price = parse_price(text)
    assert price.raw == text
    assert (price.rent_eur is None) == (price.reason is not None)
    for value in (price.rent_eur, price.charges_eur, parse_amount(text), parse_area(text)):
        assert value is None or value >= 0
    parse_int(text)
    parse_epc(text)
    parse_bool(text)


@settings(max_examples=60)
@given(TEXTS)
def test_date_parsers_never_raise(text: str) -> None:
    result = parse_availability(text, today=TODAY)
    assert result.available_from is None or result.reason is None
    parse_date(text)


def format_belgian(amount: Decimal) -> str:
    """Format an amount the Belgian way: ``€ 1.234,56``, or ``€ 1.234`` for whole euros."""
    whole, cents = divmod(amount, 1)
    text = f"{int(whole):,}".replace(",", ".")
    if cents:
        text += "," + f"{cents:.2f}"[2:]
    return f"€ {text}"


AMOUNTS = st.integers(min_value=0, max_value=99_999_999).map(lambda c: Decimal(c) / 100)


@given(AMOUNTS)
def test_parse_amount_reads_belgian_format(amount: Decimal) -> None:
    assert parse_amount(format_belgian(amount)) == float(amount)


@given(AMOUNTS.filter(lambda a: a > 0))
def test_parse_price_reads_belgian_format(amount: Decimal) -> None:
    assert parse_price(format_belgian(amount) + " /maand").rent_eur == float(amount)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
def test_parse_date_numeric_round_trip(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(f"Vrij op {day.day}/{day.month}/{day.year}") == day


def test_format_belgian_helper() -> None:
    assert format_belgian(Decimal("1234.5")) == "€ 1.234,50"
    assert format_belgian(Decimal("1000000")) == "€ 1.000.000"
