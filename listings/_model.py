"""The :class:`Listing` model: one rental advert on one source.

Field names are a public interface (the store's columns, the JSON Lines import
and export, the scrapers and other projects use them); do not rename them.
Unknown values are ``None``: never ``False`` or ``0``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from listings import _places

__all__ = [
    "LISTING_FIELDS",
    "MAX_BEDROOMS",
    "MAX_RENT_EUR",
    "MIN_RENT_EUR",
    "Listing",
    "PropertyType",
    "validation_problems",
]

#: Lowest monthly rent accepted as a real rent, in EUR. Anything lower is a
#: parsing mistake (a deposit of "0", a per-week price, a typo).
MIN_RENT_EUR = 50.0
#: Highest monthly rent accepted, in EUR. Higher amounts are sale prices or
#: yearly rents that slipped through.
MAX_RENT_EUR = 10_000.0
#: Most bedrooms a dwelling for rent can plausibly have.
MAX_BEDROOMS = 20

_SOURCE_RE = re.compile(
    r"^(immoweb|zimmo|immoscoop|immovlan|2dehands|realtor:[a-z0-9][a-z0-9._-]*)$"
)
_EPC_LABELS = ("A+", "A", "B", "C", "D", "E", "F")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class PropertyType(StrEnum):
    """Residential property types a listing is normalised to."""

    APARTMENT = "apartment"
    HOUSE = "house"
    STUDIO = "studio"
    ROOM = "room"
    OTHER = "other"


Eur = Annotated[float, Field(allow_inf_nan=False)]


class Listing(BaseModel):
    """One rental advert on one source, as normalised by :mod:`listings`.

    The pair (``source``, ``source_id``) identifies the advert. Monetary
    amounts are euros per month unless the field says otherwise. Every
    optional field is ``None`` when the source does not say.

    >>> lst = Listing(source="zimmo", source_id="K1", url="https://www.zimmo.be/nl/k1/",
    ...               rent_eur=750, postcode="8500")
    >>> lst.key
    ('zimmo', 'K1')
    >>> try:
    ...     Listing(source="zimmo", source_id="K1", url="https://x.be/", rent_eur=95000)
    ... except ValidationError as exc:
    ...     print(validation_problems(exc)[0][2])
    rent_eur=95000.0 is above 10000 EUR a month: a sale price or a yearly rent, not a monthly rent
    """

    model_config = ConfigDict(
        extra="forbid",
        use_attribute_docstrings=True,
        validate_assignment=True,
        str_strip_whitespace=True,
    )

    source: str
    """Slug of the source: ``immoweb``, ``zimmo``, ``immoscoop``, ``immovlan``,
    ``2dehands``, or ``realtor:<office>`` for a realtor's own site."""
    source_id: str = Field(min_length=1)
    """The advert's id on its source, as text (e.g. ``"21553855"``)."""
    url: str
    """Absolute http(s) URL of the advert's detail page."""
    title: str | None = None
    """Title of the advert as published (free text)."""
    description: str | None = None
    """Description of the advert as published (free text, may be long)."""
    property_type: PropertyType | None = None
    """Normalised type: ``apartment | house | studio | room | other``."""
    property_subtype_raw: str | None = None
    """The source's own type/subtype text (``"PENTHOUSE"``, ``"Rijwoning"``), kept for audit."""
    rent_eur: Eur | None = None
    """Monthly rent without charges, EUR per month."""
    charges_eur: Eur | None = None
    """Fixed monthly charges (gemeenschappelijke kosten), EUR per month.

    ``None`` = unknown, ``0`` = no charges."""
    price_raw: str | None = None
    """The price text as published (``"€1,700 (+ €125)"``), kept beside the parsed values."""
    bedrooms: int | None = None
    """Number of bedrooms (0 for a studio)."""
    living_area_m2: float | None = None
    """Net living area, square metres."""
    epc_kwh_m2: float | None = None
    """EPC score: primary energy use, kWh per m² per year."""
    epc_label: str | None = None
    """EPC label as published: ``A+``, ``A``, ``B``, ``C``, ``D``, ``E`` or ``F``."""
    street: str | None = None
    """Street name, as published (``"Doorniksestraat"``)."""
    house_number: str | None = None
    """House number as text, may carry a letter (``"12A"``)."""
    box: str | None = None
    """Box (bus) number as text (``"0.1"``, ``"3"``)."""
    postcode: str | None = None
    """Belgian postcode, 4 digits (``"8500"``)."""
    municipality: str | None = None
    """Official Dutch name of the municipality (hoofdgemeente), e.g. ``"Kortrijk"``."""
    locality: str | None = None
    """Deelgemeente (former municipality) when known, e.g. ``"Heule"``."""
    latitude: float | None = None
    """WGS84 latitude, decimal degrees."""
    longitude: float | None = None
    """WGS84 longitude, decimal degrees."""
    floor: int | None = None
    """Floor the dwelling is on (0 = ground floor, negative = below ground)."""
    available_from: date | None = None
    """Date from which the dwelling can be rented (ISO date)."""
    available_now: bool | None = None
    """True when the advert says the dwelling is available immediately."""
    furnished: bool | None = None
    """True when rented furnished."""
    pets_allowed: bool | None = None
    """True when pets are allowed, False when the advert excludes them."""
    elevator: bool | None = None
    """True when the building has a lift."""
    accessible: bool | None = None
    """True when the dwelling is accessible to wheelchair users."""
    garden: bool | None = None
    """True when the dwelling has a (private or shared) garden."""
    terrace: bool | None = None
    """True when the dwelling has a terrace or balcony."""
    parking: bool | None = None
    """True when a parking space or garage comes with the dwelling."""
    deposit_eur: Eur | None = None
    """Rental deposit (huurwaarborg) asked, EUR (one-off amount)."""
    agency_name: str | None = None
    """Name of the agency or landlord that publishes the advert."""
    contact_phone: str | None = None
    """Contact phone number as published."""
    contact_email: str | None = None
    """Contact e-mail address as published."""
    image_urls: list[str] = Field(default_factory=list)
    """Absolute URLs of the advert's pictures, in the source's order."""
    published_at: datetime | None = None
    """When the source first published the advert (ISO 8601)."""
    scraped_at: datetime | None = None
    """When this copy of the advert was fetched (ISO 8601)."""

    # -- validators -------------------------------------------------------

    @field_validator("source")
    @classmethod
    def _check_source(cls, value: str) -> str:
        if not _SOURCE_RE.match(value):
            raise ValueError(
                f"source={value!r} is not a known source slug "
                "(immoweb, zimmo, immoscoop, immovlan, 2dehands or realtor:<office>)"
            )
        return value

    @field_validator("source_id", mode="before")
    @classmethod
    def _id_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("url", "image_urls")
    @classmethod
    def _check_url(cls, value: Any) -> Any:
        for url in value if isinstance(value, list) else [value]:
            if not re.match(r"^https?://[^\s/]+", url):
                raise ValueError(f"url={url!r} is not an absolute http(s) URL")
        return value

    @field_validator("rent_eur")
    @classmethod
    def _check_rent(cls, value: float | None) -> float | None:
        if value is None:
            return None
        if value < MIN_RENT_EUR:
            raise ValueError(
                f"rent_eur={value!r} is below {MIN_RENT_EUR:.0f} EUR a month: "
                "not a real monthly rent"
            )
        if value > MAX_RENT_EUR:
            raise ValueError(
                f"rent_eur={value!r} is above {MAX_RENT_EUR:.0f} EUR a month: "
                "a sale price or a yearly rent, not a monthly rent"
            )
        return value

    @field_validator("charges_eur")
    @classmethod
    def _check_charges(cls, value: float | None) -> float | None:
        if value is not None and not 0 <= value <= 2_000:
            raise ValueError(f"charges_eur={value!r} is outside 0..2000 EUR a month")
        return value

    @field_validator("deposit_eur")
    @classmethod
    def _check_deposit(cls, value: float | None) -> float | None:
        if value is not None and not 0 <= value <= 50_000:
            raise ValueError(f"deposit_eur={value!r} is outside 0..50000 EUR")
        return value

    @field_validator("bedrooms")
    @classmethod
    def _check_bedrooms(cls, value: int | None) -> int | None:
        if value is not None and not 0 <= value <= MAX_BEDROOMS:
            raise ValueError(f"bedrooms={value!r} is outside 0..{MAX_BEDROOMS}")
        return value

    @field_validator("living_area_m2")
    @classmethod
    def _check_area(cls, value: float | None) -> float | None:
        if value is not None and not 5 <= value <= 2_000:
            raise ValueError(f"living_area_m2={value!r} is outside 5..2000 m²")
        return value

    @field_validator("epc_kwh_m2")
    @classmethod
    def _check_epc(cls, value: float | None) -> float | None:
        if value is not None and not -200 <= value <= 3_000:
            raise ValueError(f"epc_kwh_m2={value!r} is outside -200..3000 kWh/m²")
        return value

    @field_validator("epc_label", mode="before")
    @classmethod
    def _check_epc_label(cls, value: Any) -> Any:
        if value is None:
            return None
        label = str(value).strip().upper().replace(" ", "")
        if label == "A++":
            label = "A+"
        if label not in _EPC_LABELS:
            raise ValueError(f"epc_label={value!r} is not one of {', '.join(_EPC_LABELS)}")
        return label

    @field_validator("postcode", mode="before")
    @classmethod
    def _check_postcode(cls, value: Any) -> Any:
        if value is None:
            return None
        text = str(value).strip().upper().removeprefix("BE-").removeprefix("B-")
        if not re.fullmatch(r"\d{4}", text):
            raise ValueError(f"postcode={value!r} is not a 4-digit Belgian postcode")
        if not _places.postcode_exists(text):
            raise ValueError(f"postcode={value!r} does not exist in Belgium")
        return text

    @field_validator("latitude")
    @classmethod
    def _check_lat(cls, value: float | None) -> float | None:
        if value is not None and not 49.4 <= value <= 51.6:
            raise ValueError(f"latitude={value!r} is outside Belgium (49.4..51.6)")
        return value

    @field_validator("longitude")
    @classmethod
    def _check_lon(cls, value: float | None) -> float | None:
        if value is not None and not 2.5 <= value <= 6.5:
            raise ValueError(f"longitude={value!r} is outside Belgium (2.5..6.5)")
        return value

    @field_validator("floor")
    @classmethod
    def _check_floor(cls, value: int | None) -> int | None:
        if value is not None and not -5 <= value <= 60:
            raise ValueError(f"floor={value!r} is outside -5..60")
        return value

    @field_validator("contact_email")
    @classmethod
    def _check_email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL_RE.match(value):
            raise ValueError(f"contact_email={value!r} is not an e-mail address")
        return value

    @model_validator(mode="after")
    def _check_not_a_sale(self) -> Listing:
        raw = (self.price_raw or "").lower()
        if any(word in raw for word in ("te koop", "à vendre", "for sale")):
            raise ValueError(f"price_raw={self.price_raw!r} is a sale price, not a rent")
        return self

    # -- convenience ------------------------------------------------------

    @property
    def key(self) -> tuple[str, str]:
        """The advert's identity: ``(source, source_id)``."""
        return (self.source, self.source_id)

    @property
    def total_rent_eur(self) -> float | None:
        """Rent plus charges when both are known, EUR per month."""
        if self.rent_eur is None or self.charges_eur is None:
            return None
        return self.rent_eur + self.charges_eur


#: Every field name of :class:`Listing`, in declaration order.
LISTING_FIELDS: tuple[str, ...] = tuple(Listing.model_fields)


def validation_problems(exc: ValidationError) -> list[tuple[str, object, str]]:
    """Turn a pydantic :class:`~pydantic.ValidationError` into ``(field, value, reason)`` triples.

    >>> try:
    ...     Listing(source="zimmo", source_id="1", url="https://x.be/", bedrooms=40)
    ... except ValidationError as exc:
    ...     validation_problems(exc)
    [('bedrooms', 40, 'bedrooms=40 is outside 0..20')]
    """
    problems: list[tuple[str, object, str]] = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "listing"
        reason = str(err["msg"]).removeprefix("Value error, ")
        problems.append((field, err.get("input"), reason))
    return problems
