"""The Listing model: field documentation, unknown-is-None, and rejection of impossible values."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from listings import LISTING_FIELDS, Listing, PropertyType, validation_problems

BASE = {
    "source": "immoweb",
    "source_id": "21553855",
    "url": "https://www.immoweb.be/en/classified/21553855",
}

ISSUE_FIELDS = [
    "source",
    "source_id",
    "url",
    "title",
    "description",
    "property_type",
    "property_subtype_raw",
    "rent_eur",
    "charges_eur",
    "price_raw",
    "bedrooms",
    "living_area_m2",
    "epc_kwh_m2",
    "epc_label",
    "street",
    "house_number",
    "box",
    "postcode",
    "municipality",
    "locality",
    "latitude",
    "longitude",
    "floor",
    "available_from",
    "available_now",
    "furnished",
    "pets_allowed",
    "elevator",
    "accessible",
    "garden",
    "terrace",
    "parking",
    "deposit_eur",
    "agency_name",
    "contact_phone",
    "contact_email",
    "image_urls",
    "published_at",
    "scraped_at",
]


def make(**fields: object) -> Listing:
    return Listing(**{**BASE, **fields})


def test_field_names_are_exactly_the_published_interface() -> None:
    assert list(LISTING_FIELDS) == ISSUE_FIELDS


@pytest.mark.parametrize("name", ISSUE_FIELDS)
def test_every_field_is_documented(name: str) -> None:
    description = Listing.model_fields[name].description
    assert description, f"{name} has no docstring"
    assert len(description) > 15


def test_unknown_is_none_not_false_or_zero() -> None:
    listing = make()
    for name in ISSUE_FIELDS:
        if name in ("source", "source_id", "url"):
            continue
        value = getattr(listing, name)
        assert value is None or value == [], name
        assert value is not False
        assert value != 0 or value is None


def test_full_listing_round_trips_through_json() -> None:
    listing = make(
        title="Appartement te huur",
        property_type="apartment",
        rent_eur=750,
        charges_eur=0,
        price_raw="€ 750",
        bedrooms=2,
        living_area_m2=75,
        epc_kwh_m2=245,
        epc_label="c",
        street="Doorniksestraat",
        house_number="12",
        box="3",
        postcode=8500,
        municipality="Kortrijk",
        latitude=50.82,
        longitude=3.26,
        floor=1,
        available_from=date(2026, 12, 1),
        available_now=False,
        pets_allowed=False,
        image_urls=["https://media.example.be/a.jpg"],
        scraped_at=datetime(2026, 11, 20, 6, 0, tzinfo=UTC),
    )
    assert listing.charges_eur == 0  # 0 = no charges, kept distinct from None
    assert listing.postcode == "8500"
    assert listing.epc_label == "C"
    assert listing.property_type is PropertyType.APARTMENT
    again = Listing.model_validate_json(listing.model_dump_json())
    assert again == listing
    assert json.loads(listing.model_dump_json())["available_from"] == "2026-12-01"


@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        ({"rent_eur": 0}, "rent_eur", "rent_eur=0"),
        ({"rent_eur": 95_000}, "rent_eur", "sale price"),
        ({"bedrooms": 40}, "bedrooms", "bedrooms=40"),
        ({"postcode": "123"}, "postcode", "'123'"),
        ({"postcode": "0000"}, "postcode", "does not exist"),
        ({"epc_label": "G"}, "epc_label", "'G'"),
        ({"latitude": 48.0}, "latitude", "latitude=48.0"),
        ({"charges_eur": -5}, "charges_eur", "charges_eur=-5"),
        ({"living_area_m2": 0.5}, "living_area_m2", "0.5"),
        ({"source": "realo"}, "source", "'realo'"),
        ({"url": "/relative/path"}, "url", "/relative/path"),
        ({"contact_email": "not-an-address"}, "contact_email", "not-an-address"),
        ({"price_raw": "€ 245.000 - te koop"}, "listing", "sale price"),
    ],
)
def test_impossible_values_are_rejected_naming_field_and_value(
    fields: dict[str, object], field: str, fragment: str
) -> None:
    with pytest.raises(ValidationError) as info:
        make(**fields)
    problems = validation_problems(info.value)
    assert len(problems) == 1
    name, _value, reason = problems[0]
    assert name == field
    assert fragment in reason


def test_several_problems_are_all_reported() -> None:
    with pytest.raises(ValidationError) as info:
        make(rent_eur=0, bedrooms=40, postcode="12")
    assert {p[0] for p in validation_problems(info.value)} == {"rent_eur", "bedrooms", "postcode"}


def test_realtor_sources_carry_the_office_slug() -> None:
    assert make(source="realtor:vastgoed-vandenberghe").source == "realtor:vastgoed-vandenberghe"
    with pytest.raises(ValidationError):
        make(source="realtor:")


def test_key_and_total_rent() -> None:
    listing = make(rent_eur=700, charges_eur=50)
    assert listing.key == ("immoweb", "21553855")
    assert listing.total_rent_eur == 750
    assert make(rent_eur=700).total_rent_eur is None


def test_assignment_is_validated() -> None:
    listing = make()
    with pytest.raises(ValidationError):
        listing.bedrooms = 99


@given(
    rent=st.floats(min_value=50, max_value=10_000, allow_nan=False),
    bedrooms=st.integers(min_value=0, max_value=20),
)
def test_plausible_values_always_validate_and_round_trip(rent: float, bedrooms: int) -> None:
    listing = make(rent_eur=rent, bedrooms=bedrooms, postcode="8930")
    assert Listing.model_validate_json(listing.model_dump_json()) == listing
