"""normalise_listing: derived fields, official place names, tidy addresses, idempotence."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listings import Listing
from listings import _places as places
from listings._normalise import normalise_listing

BASE: dict[str, Any] = {
    "source": "zimmo",
    "source_id": "K1",
    "url": "https://www.zimmo.be/nl/kortrijk-8500/te-huur/appartement/K1/",
}


def norm(**fields: Any) -> Listing:
    return normalise_listing(Listing(**BASE, **fields))


# -- prices ----------------------------------------------------------------------------


def test_rent_and_charges_filled_from_price_raw() -> None:
    out = norm(price_raw="€1,700 (+ €125)")
    assert (out.rent_eur, out.charges_eur) == (1700.0, 125.0)
    assert out.price_raw == "€1,700 (+ €125)"


def test_parsed_numbers_from_the_source_are_never_overridden() -> None:
    out = norm(price_raw="€ 795 + € 50 kosten", rent_eur=780, charges_eur=40)
    assert (out.rent_eur, out.charges_eur) == (780.0, 40.0)


def test_only_missing_charges_are_filled() -> None:
    out = norm(price_raw="€ 795 + € 50 kosten", rent_eur=780)
    assert (out.rent_eur, out.charges_eur) == (780.0, 50.0)


@pytest.mark.parametrize("raw", ["Prijs op aanvraag", "Verhuurd", "€ 250 per week", "0"])
def test_no_rent_when_the_text_gives_none(raw: str) -> None:
    assert norm(price_raw=raw).rent_eur is None


def test_implausible_parsed_rent_is_not_filled() -> None:
    out = norm(price_raw="€ 250.000")  # a sale price without the words "te koop"
    assert out.rent_eur is None


def test_implausible_parsed_charges_are_not_filled() -> None:
    out = norm(price_raw="€ 700 + € 5.000 kosten")
    assert (out.rent_eur, out.charges_eur) == (700.0, None)


# -- places ----------------------------------------------------------------------------


def test_deelgemeente_in_municipality_field_becomes_official_names() -> None:
    out = norm(municipality="HEULE")
    assert (out.municipality, out.locality) == ("Kortrijk", "Heule")


def test_postcode_gives_municipality_and_single_locality() -> None:
    out = norm(postcode="8500")
    assert (out.municipality, out.locality) == ("Kortrijk", "Kortrijk")


def test_postcode_with_several_localities_leaves_locality_open() -> None:
    out = norm(postcode="8510")
    assert (out.municipality, out.locality) == ("Kortrijk", None)


def test_locality_text_picks_the_deelgemeente_of_the_postcode() -> None:
    out = norm(postcode="8510", municipality="marke")
    assert (out.municipality, out.locality) == ("Kortrijk", "Marke")


def test_case_and_typo_variants_become_official() -> None:
    assert norm(municipality="KORTRIK").municipality == "Kortrijk"
    assert norm(municipality="kortrijk", locality="  heule ").locality == "Heule"


def test_postcode_wins_over_a_contradicting_place_text() -> None:
    out = norm(postcode="8930", municipality="Gent")
    assert out.municipality == "Menen"


def test_unknown_place_text_is_kept_as_published() -> None:
    out = norm(municipality="  Qqqzzz   dorp ")
    assert (out.municipality, out.locality) == ("Qqqzzz dorp", None)


def test_places_come_from_the_places_module(monkeypatch: pytest.MonkeyPatch) -> None:
    info = places.PostcodeInfo("8500", "Testgem", ("Testdeel",), None, None, None)
    monkeypatch.setattr(places, "postcode_info", lambda code: info if code == "8500" else None)
    out = norm(postcode="8500")
    assert (out.municipality, out.locality) == ("Testgem", "Testdeel")


# -- addresses and text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("street", "expected"),
    [
        ("DOORNIKSESTRAAT", "Doorniksestraat"),
        ("  Doorniksestraat  ", "Doorniksestraat"),
        ("Sint-Jans   straat", "Sint-Jans straat"),
        ("SINT-MARTENSLAAN", "Sint-Martenslaan"),
        ("JAN VAN EYCKPLEIN", "Jan van Eyckplein"),
        ("KONING ALBERT I-LAAN", "Koning Albert I-laan"),
        ("avenue Charles Legrelle", "avenue Charles Legrelle"),  # mixed case: as published
        ("   ", None),
    ],
)
def test_street(street: str, expected: str | None) -> None:
    assert norm(street=street).street == expected


@pytest.mark.parametrize(
    ("number", "box", "expected"),
    [
        ("12a", None, ("12A", None)),
        ("12 a", None, ("12A", None)),
        ("5", "bus 3", ("5", "3")),
        ("5", "bte 3", ("5", "3")),
        ("5", "b3", ("5", "3")),
        ("5", "Bus 0.1", ("5", "0.1")),
        ("5", "box 2b", ("5", "2B")),
        ("12 bus 3", None, ("12", "3")),
        ("12 bte 4", None, ("12", "4")),
        ("12 bus 3", "", ("12", "3")),
        ("bus 4", None, (None, "4")),
    ],
)
def test_house_number_and_box(
    number: str, box: str | None, expected: tuple[str | None, str | None]
) -> None:
    out = norm(house_number=number, box=box)
    assert (out.house_number, out.box) == expected


def test_title_whitespace_collapsed_description_kept() -> None:
    description = "Mooi  appartement.\n\nVrij op 01/12/2026."
    out = norm(title="  Appartement \n te   huur ", description=description)
    assert out.title == "Appartement te huur"
    assert out.description == description


def test_epc_kept_as_published_and_no_label_invented() -> None:
    out = norm(epc_kwh_m2=245)
    assert (out.epc_kwh_m2, out.epc_label) == (245.0, None)
    out = norm(epc_kwh_m2=245, epc_label="e")
    assert (out.epc_kwh_m2, out.epc_label) == (245.0, "E")


def test_input_listing_is_not_changed() -> None:
    listing = Listing(**BASE, municipality="HEULE", price_raw="€ 700")
    normalise_listing(listing)
    assert (listing.municipality, listing.rent_eur) == ("HEULE", None)


# -- idempotence -----------------------------------------------------------------------


def _variants(names: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(names).flatmap(
        lambda n: st.sampled_from([n, n.upper(), n.lower(), f"  {n} ", n[:-1] + n[-1] * 2])
    )


PLACE_TEXT = st.one_of(
    st.none(),
    _variants(["Kortrijk", "Heule", "Marke", "Menen", "Lauwe", "Gent", "Sint-Andries", "Wevelgem"]),
    st.text(max_size=20),
)
PRICE_RAW = st.one_of(
    st.none(),
    st.sampled_from(
        ["€ 1.250", "€1,700 (+ €125)", "750 EUR/maand", "€ 700 + 75 lasten", "Prijs op aanvraag",
         "Verhuurd", "€ 250 per week", "€ 9.600 per jaar", "€ 250.000", "€ 700 + € 5.000 kosten",
         "0", "€ 40"]
    ),
    st.text(max_size=30).filter(lambda t: "koop" not in t.lower()),
)  # fmt: skip
LISTINGS = st.builds(
    Listing,
    source=st.sampled_from(["immoweb", "zimmo", "immoscoop"]),
    source_id=st.from_regex(r"[0-9A-Z]{1,8}", fullmatch=True),
    url=st.just("https://www.immoweb.be/en/classified/1"),
    title=st.one_of(st.none(), st.text(max_size=30)),
    description=st.one_of(st.none(), st.text(max_size=30)),
    price_raw=PRICE_RAW,
    rent_eur=st.one_of(st.none(), st.floats(min_value=50, max_value=10_000)),
    charges_eur=st.one_of(st.none(), st.floats(min_value=0, max_value=2_000)),
    postcode=st.one_of(
        st.none(), st.sampled_from(["8500", "8501", "8510", "8930", "9000", "1000"])
    ),
    municipality=PLACE_TEXT,
    locality=PLACE_TEXT,
    street=st.one_of(
        st.none(),
        st.sampled_from(["DOORNIKSESTRAAT", " sint-jansstraat ", "KONING ALBERT I-LAAN", "N43"]),
        st.text(max_size=25),
    ),
    house_number=st.one_of(
        st.none(), st.sampled_from(["12a", "12 bus 3", "7 BTE 2", "bus 4"]), st.text(max_size=8)
    ),
    box=st.one_of(
        st.none(), st.sampled_from(["bus 3", "b3", "bte 0.1", "bus bus 2"]), st.text(max_size=8)
    ),
    epc_kwh_m2=st.one_of(st.none(), st.floats(min_value=-200, max_value=3_000)),
    epc_label=st.one_of(st.none(), st.sampled_from(["A+", "a", "C", "f"])),
)


@given(LISTINGS)
def test_normalise_is_idempotent(listing: Listing) -> None:
    once = normalise_listing(listing)
    assert normalise_listing(once) == once
    assert (once.epc_kwh_m2, once.epc_label) == (listing.epc_kwh_m2, listing.epc_label)
    if listing.rent_eur is not None:
        assert once.rent_eur == listing.rent_eur
