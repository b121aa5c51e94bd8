"""Tests of listings._places: postcodes, W13, fuzzy lookup, centroids."""

from __future__ import annotations

import csv
import io
from importlib import resources

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from listings import _places as places
from listings.errors import PlaceNotFoundError

DATA = resources.files("listings").joinpath("data")
OVERLAY = yaml.safe_load(DATA.joinpath("w13.yaml").read_text(encoding="utf-8"))
W13_TABLE: dict[str, dict[str, list[str]]] = OVERLAY["municipalities"]

# The W13 table of flanders.md §12, written out once more here so that a wrong edit of
# w13.yaml is caught too: postcode -> (municipality, deelgemeenten).
SECTION_12 = {
    "8570": ("Anzegem", ("Anzegem", "Gijzelbrechtegem", "Ingooigem", "Vichte")),
    "8572": ("Anzegem", ("Kaster",)),
    "8573": ("Anzegem", ("Tiegem",)),
    "8580": ("Avelgem", ("Avelgem",)),
    "8581": ("Avelgem", ("Kerkhove", "Waarmaarde")),
    "8582": ("Avelgem", ("Outrijve",)),
    "8583": ("Avelgem", ("Bossuit",)),
    "8540": ("Deerlijk", ("Deerlijk",)),
    "8530": ("Harelbeke", ("Harelbeke",)),
    "8531": ("Harelbeke", ("Bavikhove", "Hulste")),
    "8500": ("Kortrijk", ("Kortrijk",)),
    "8501": ("Kortrijk", ("Bissegem", "Heule")),
    "8510": ("Kortrijk", ("Bellegem", "Kooigem", "Marke", "Rollegem")),
    "8511": ("Kortrijk", ("Aalbeke",)),
    "8520": ("Kuurne", ("Kuurne",)),
    "8860": ("Lendelede", ("Lendelede",)),
    "8930": ("Menen", ("Menen", "Lauwe", "Rekkem")),
    "8587": ("Spiere-Helkijn", ("Spiere", "Helkijn")),
    "8790": ("Waregem", ("Waregem",)),
    "8791": ("Waregem", ("Beveren-Leie",)),
    "8792": ("Waregem", ("Desselgem",)),
    "8793": ("Waregem", ("Sint-Eloois-Vijve",)),
    "8560": ("Wevelgem", ("Wevelgem", "Gullegem", "Moorsele")),
    "8710": ("Wielsbeke", ("Wielsbeke", "Ooigem", "Sint-Baafs-Vijve")),
    "8940": ("Wervik", ("Wervik", "Geluwe")),
    "8550": ("Zwevegem", ("Zwevegem",)),
    "8551": ("Zwevegem", ("Heestert",)),
    "8552": ("Zwevegem", ("Moen",)),
    "8553": ("Zwevegem", ("Otegem",)),
    "8554": ("Zwevegem", ("Sint-Denijs",)),
}
W13_NAMES = sorted({municipality for municipality, _ in SECTION_12.values()})
LOCALITIES = sorted(
    (locality, municipality, postcode)
    for postcode, (municipality, localities) in SECTION_12.items()
    for locality in localities
    if locality != municipality
)


def _csv_rows() -> list[dict[str, str]]:
    text = DATA.joinpath("be_postcodes.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


# --- W13 table ---------------------------------------------------------------------------


def test_w13_municipalities_are_the_fourteen_sorted() -> None:
    assert len(W13_NAMES) == 14
    assert tuple(W13_NAMES) == places.W13_MUNICIPALITIES


def test_w13_postcodes_are_those_of_section_12() -> None:
    assert frozenset(SECTION_12) == places.W13_POSTCODES


def test_overlay_file_matches_section_12() -> None:
    from_yaml = {
        postcode: (municipality, tuple(localities))
        for municipality, postcodes in W13_TABLE.items()
        for postcode, localities in postcodes.items()
    }
    assert from_yaml == SECTION_12


def test_shipped_csv_agrees_with_overlay() -> None:
    rows = {row["postcode"]: row for row in _csv_rows()}
    for municipality, postcodes in W13_TABLE.items():
        for postcode, localities in postcodes.items():
            row = rows[postcode]
            assert row["municipality"] == municipality
            assert row["localities"].split("|") == localities
            assert row["w13"] == "1"
    assert {pc for pc, row in rows.items() if row["w13"] == "1"} == set(SECTION_12)
    for municipality, postcodes in OVERLAY["neighbours"].items():
        for postcode, localities in postcodes.items():
            assert rows[postcode]["municipality"] == municipality
            assert set(localities) <= set(rows[postcode]["localities"].split("|"))


@pytest.mark.parametrize(("postcode", "expected"), sorted(SECTION_12.items()))
def test_w13_postcode_maps_to_municipality_and_localities(
    postcode: str, expected: tuple[str, tuple[str, ...]]
) -> None:
    municipality, localities = expected
    info = places.postcode_info(postcode)
    assert info is not None
    assert info.municipality == municipality
    assert info.localities == localities
    assert info.province == "West-Vlaanderen"
    assert places.municipality_of(postcode) == municipality
    assert places.is_w13(postcode)
    assert places.postcode_exists(postcode)


@pytest.mark.parametrize("municipality", W13_NAMES)
def test_municipality_postcodes_of_w13(municipality: str) -> None:
    expected = tuple(sorted(pc for pc, (m, _) in SECTION_12.items() if m == municipality))
    assert places.municipality_postcodes(municipality) == expected
    assert places.municipality_postcodes(municipality.upper()) == expected
    assert places.is_municipality(municipality)
    assert places.is_municipality(municipality.lower())


@pytest.mark.parametrize(("locality", "municipality", "postcode"), LOCALITIES)
def test_every_w13_deelgemeente_resolves(locality: str, municipality: str, postcode: str) -> None:
    match = places.resolve_place(locality)
    assert (match.municipality, match.locality, match.postcode) == (
        municipality,
        locality,
        postcode,
    )
    assert match.score == 100
    assert not places.is_municipality(locality)


# --- traps -------------------------------------------------------------------------------


def test_rollegem_kapelle_is_ledegem_not_kortrijk() -> None:
    assert places.municipality_of("8880") == "Ledegem"
    assert not places.is_w13("8880")
    info = places.postcode_info("8880")
    assert info is not None
    assert "Rollegem-Kapelle" in info.localities
    assert _resolved("Rollegem-Kapelle") == ("Ledegem", "Rollegem-Kapelle", "8880")
    assert _resolved("Rollegem") == ("Kortrijk", "Rollegem", "8510")


def test_postcode_in_text_prefers_places_with_that_postcode() -> None:
    assert _resolved("8880 Rollegem") == ("Ledegem", "Rollegem-Kapelle", "8880")
    assert _resolved("8510 Rollegem") == ("Kortrijk", "Rollegem", "8510")
    assert _resolved("Rollegem (8880)") == ("Ledegem", "Rollegem-Kapelle", "8880")


def test_beveren_leie_is_waregem_and_beveren_8800_is_roeselare() -> None:
    assert places.municipality_of("8791") == "Waregem"
    assert places.municipality_of("8800") == "Roeselare"
    assert not places.is_w13("8800")
    assert _resolved("Beveren-Leie") == ("Waregem", "Beveren-Leie", "8791")
    assert _resolved("8791 Beveren") == ("Waregem", "Beveren-Leie", "8791")
    assert _resolved("8800 Beveren") == ("Roeselare", "Beveren", "8800")


def test_sint_eloois_vijve_is_waregem() -> None:
    assert places.municipality_of("8793") == "Waregem"


def test_spiere_helkijn() -> None:
    assert places.municipality_postcodes("Spiere-Helkijn") == ("8587",)
    assert _resolved("Spiere-Helkijn") == ("Spiere-Helkijn", None, "8587")
    assert _resolved("Helkijn") == ("Spiere-Helkijn", "Helkijn", "8587")


# --- fuzzy lookup ------------------------------------------------------------------------


def _resolved(text: str) -> tuple[str, str | None, str | None]:
    match = places.resolve_place(text)
    assert match.query == text
    assert 0 <= match.score <= 100
    return (match.municipality, match.locality, match.postcode)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kortrijk", ("Kortrijk", None, None)),
        ("kortrijk", ("Kortrijk", None, None)),
        ("Heule", ("Kortrijk", "Heule", "8501")),
        ("KORTRIJK (8500)", ("Kortrijk", None, "8500")),
        ("8500 Kortrijk", ("Kortrijk", None, "8500")),
        ("B-8500 Kortrijk", ("Kortrijk", None, "8500")),
        ("8501 HEULE", ("Kortrijk", "Heule", "8501")),
        ("8500 Heule", ("Kortrijk", "Heule", "8501")),
        ("8500", ("Kortrijk", None, "8500")),
        ("Sint-Eloois-Vijve", ("Waregem", "Sint-Eloois-Vijve", "8793")),
        ("St-Eloois-Vijve", ("Waregem", "Sint-Eloois-Vijve", "8793")),
        ("St. Eloois Vijve", ("Waregem", "Sint-Eloois-Vijve", "8793")),
        ("Sint Eloois Vijve", ("Waregem", "Sint-Eloois-Vijve", "8793")),
        ("SINT-ELOOIS-VIJVE", ("Waregem", "Sint-Eloois-Vijve", "8793")),
        ("Kortijk", ("Kortrijk", None, None)),
        ("Harlebeke", ("Harelbeke", None, None)),
        ("Zwevegm", ("Zwevegem", None, None)),
        ("Courtrai", ("Kortrijk", None, None)),
        ("Menin", ("Menen", None, "8930")),
        ("Menen", ("Menen", None, "8930")),
        ("Deerlijk", ("Deerlijk", None, "8540")),
        ("Heule (Kortrijk)", ("Kortrijk", "Heule", "8501")),
        ("Kortrijk - Marke", ("Kortrijk", "Marke", "8510")),
        ("Espierres", ("Spiere-Helkijn", "Spiere", "8587")),
        ("Luik", ("Liège", None, None)),
        ("Ixelles", ("Elsene", None, "1050")),
    ],
)
def test_resolve_place(text: str, expected: tuple[str, str | None, str | None]) -> None:
    assert _resolved(text) == expected


def test_exact_names_score_100_and_typos_less() -> None:
    assert places.resolve_place("Kortrijk").score == 100
    typo = places.resolve_place("Kortijk")
    assert 85 <= typo.score < 100


def test_min_score_is_respected() -> None:
    with pytest.raises(PlaceNotFoundError):
        places.resolve_place("Harlebeke", min_score=95)


def test_resolve_place_is_deterministic() -> None:
    first = places.resolve_place("Beveren")
    assert all(places.resolve_place("Beveren") == first for _ in range(5))


def test_unknown_place_raises_with_suggestion() -> None:
    with pytest.raises(PlaceNotFoundError) as info:
        places.resolve_place("Kortrijkstad")
    assert info.value.query == "Kortrijkstad"
    assert info.value.suggestion == "Kortrijk"
    assert "Kortrijk" in str(info.value)


def test_unknown_name_with_postcode_suggests_its_municipality() -> None:
    with pytest.raises(PlaceNotFoundError) as info:
        places.resolve_place("8500 Qqqqqqq")
    assert info.value.suggestion == "Kortrijk"


def test_nonsense_raises_without_suggestion() -> None:
    with pytest.raises(PlaceNotFoundError) as info:
        places.resolve_place("qqqqqqqq")
    assert info.value.suggestion is None


@pytest.mark.parametrize("text", ["", "   ", "()", "0000", "9999"])
def test_empty_or_unknown_postcode_only_raises(text: str) -> None:
    with pytest.raises(PlaceNotFoundError):
        places.resolve_place(text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Kortrjk", "Kortrijk"), ("Zwevegm", "Zwevegem"), ("Heulle", "Kortrijk"), ("Menin", "Menen")],
)
def test_suggest_municipality(name: str, expected: str) -> None:
    assert places.suggest_municipality(name) == expected


def test_suggest_municipality_none_for_nonsense() -> None:
    assert places.suggest_municipality("xq") is None
    assert places.suggest_municipality("") is None


def test_municipality_postcodes_unknown_raises_with_suggestion() -> None:
    with pytest.raises(PlaceNotFoundError) as info:
        places.municipality_postcodes("Kortrjk")
    assert info.value.suggestion == "Kortrijk"


def test_municipality_postcodes_accepts_aliases_and_shared_postcodes() -> None:
    assert places.municipality_postcodes("Courtrai") == ("8500", "8501", "8510", "8511")
    brussel = places.municipality_postcodes("Brussel")
    assert {"1000", "1020", "1040", "1050"} <= set(brussel)


def test_is_municipality_only_official_names() -> None:
    assert places.is_municipality("Kortrijk")
    assert places.is_municipality(" Liège ")
    assert places.is_municipality("Eupen")
    assert not places.is_municipality("Courtrai")
    assert not places.is_municipality("Luik")
    assert not places.is_municipality("Heule")


# --- all of Belgium ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("postcode", "municipality", "province"),
    [
        ("1000", "Brussel", None),
        ("1050", "Elsene", None),
        ("4000", "Liège", "Luik"),
        ("7000", "Mons", "Henegouwen"),
        ("4700", "Eupen", "Luik"),
        ("9000", "Gent", "Oost-Vlaanderen"),
        ("9120", "Beveren-Kruibeke-Zwijndrecht", "Oost-Vlaanderen"),
    ],
)
def test_brussels_walloon_and_merged_postcodes(
    postcode: str, municipality: str, province: str | None
) -> None:
    assert places.postcode_exists(postcode)
    info = places.postcode_info(postcode)
    assert info is not None
    assert (info.municipality, info.province) == (municipality, province)
    assert not places.is_w13(postcode)


@pytest.mark.parametrize(
    "postcode", ["0000", "9999", "", "850", "85000", "abcd", " 8500x", "8 500"]
)
def test_postcode_does_not_exist(postcode: str) -> None:
    assert not places.postcode_exists(postcode)
    assert places.postcode_info(postcode) is None
    assert places.municipality_of(postcode) is None
    assert places.centroid(postcode) is None


def test_is_w13_none_and_unknown() -> None:
    assert not places.is_w13(None)
    assert not places.is_w13("0000")


def test_every_postcode_has_a_point_in_belgium() -> None:
    rows = _csv_rows()
    assert len(rows) > 1100
    for row in rows:
        point = places.centroid(row["postcode"])
        assert point is not None, row["postcode"]
        assert 49.4 <= point[0] <= 51.6
        assert 2.5 <= point[1] <= 6.5


def test_postcode_info_is_frozen() -> None:
    info = places.postcode_info("8500")
    assert info is not None
    with pytest.raises(AttributeError):
        info.municipality = "Gent"  # type: ignore[misc]


# --- centroids and distances -------------------------------------------------------------


def test_centroid_of_8500_is_near_kortrijk() -> None:
    point = places.centroid("8500")
    assert point is not None
    assert point[0] == pytest.approx(50.83, abs=0.02)
    assert point[1] == pytest.approx(3.26, abs=0.02)


def test_distance_kortrijk_menen() -> None:
    distance = places.distance_km("8500", "8930")
    assert distance is not None
    assert 10 <= distance <= 14


def test_distance_accepts_points_and_is_symmetric() -> None:
    kortrijk = places.centroid("8500")
    assert kortrijk is not None
    assert places.distance_km(kortrijk, "8500") == pytest.approx(0, abs=1e-9)
    assert places.distance_km("8500", "8560") == pytest.approx(places.distance_km("8560", "8500"))
    # Brussels to Kortrijk is about 80-90 km as the crow flies.
    brussels = places.distance_km("1000", kortrijk)
    assert brussels is not None
    assert 75 <= brussels <= 95


def test_distance_unknown_postcode_is_none() -> None:
    assert places.distance_km("8500", "9999") is None
    assert places.distance_km("0000", (50.8, 3.2)) is None


# --- robustness --------------------------------------------------------------------------


PLACE_WORDS = ["Kortrijk", "Heule", "St.", "Sint", "8500", "8880", "(", "-", "Rollegem", "Brussel"]
place_like = st.lists(st.sampled_from(PLACE_WORDS) | st.text(max_size=6), max_size=5).map(" ".join)


@given(st.text(max_size=60) | place_like)
def test_lookups_never_crash(text: str) -> None:
    assert isinstance(places.postcode_exists(text), bool)
    assert isinstance(places.is_w13(text), bool)
    assert isinstance(places.is_municipality(text), bool)
    suggestion = places.suggest_municipality(text)
    assert suggestion is None or places.is_municipality(suggestion)
    problem: PlaceNotFoundError | None = None
    try:
        match = places.resolve_place(text)
    except PlaceNotFoundError as error:
        problem = error
    else:
        assert places.is_municipality(match.municipality)
        assert match.postcode is None or places.postcode_exists(match.postcode)
        assert 0 <= match.score <= 100
    assert problem is None or problem.query == text


@given(st.sampled_from(sorted(SECTION_12)), st.sampled_from(["", " ", "B-", "("]))
def test_postcode_alone_resolves_to_its_municipality(postcode: str, prefix: str) -> None:
    match = places.resolve_place(f"{prefix}{postcode}")
    assert match.municipality == places.municipality_of(postcode)
    assert match.postcode == postcode


def test_unknown_module_attribute_raises() -> None:
    with pytest.raises(AttributeError):
        _ = places.W14_POSTCODES
