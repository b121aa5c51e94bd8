"""Linking adverts into homes: street normalisation, pair scoring, blocking, clustering."""

from __future__ import annotations

import random
from typing import Any

import pytest

from listings import Listing
from listings._dedupe import (
    DEFAULT_THRESHOLD,
    Linker,
    candidate_pairs,
    cluster,
    compare,
    normalise_street,
)

_URLS = {
    "immoweb": "https://www.immoweb.be/en/classified/{}",
    "zimmo": "https://www.zimmo.be/nl/{}/",
    "immoscoop": "https://www.immoscoop.be/te-huur/{}",
    "2dehands": "https://www.2dehands.be/v/{}",
    "realtor:immopottelberg": "https://www.immopottelberg.be/te-huur/{}",
}

FLAT: dict[str, Any] = {
    "street": "Doorniksestraat",
    "house_number": "12",
    "box": "3",
    "postcode": "8500",
    "municipality": "Kortrijk",
    "rent_eur": 750.0,
    "living_area_m2": 75.0,
    "bedrooms": 2,
    "epc_kwh_m2": 245.0,
    "property_type": "apartment",
}


def ad(source: str = "immoweb", source_id: str = "1", **fields: Any) -> Listing:
    values = {**FLAT, **fields}
    return Listing(
        source=source, source_id=source_id, url=_URLS[source].format(source_id), **values
    )


def texts(a: Listing, b: Listing) -> list[str]:
    return [e.text for e in compare(a, b).evidence]


# -- normalise_street ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Sint-Jansstraat", "St.-Jansstraat"),
        ("Sint-Jansstraat", "St. Jansstraat"),
        ("Sint-Jansstraat", "Sint Jansstr."),
        ("Doorniksestraat", "Doorniksestr."),
        ("Doorniksestraat", "Doorniksestr"),
        ("Brugsesteenweg", "Brugsestwg."),
        ("Brugsesteenweg", "Brugsestwg"),
        ("Gentse Steenweg", "Gentse stwg"),
        ("Grote Markt", "GROTE MARKT"),
        ("Bévèrestraat", "Beverestraat"),
        ("Minister Tacklaan", "Min. Tacklaan"),
    ],
)
def test_spellings_of_one_street_normalise_equal(left: str, right: str) -> None:
    assert normalise_street(left) == normalise_street(right)


@pytest.mark.parametrize(
    ("street", "expected"),
    [
        ("Sint-Jansstr.", "sint jansstraat"),
        ("St. Amandsplein", "sint amandsplein"),
        ("Brugse Stwg", "brugse steenweg"),
        ("  Rijselsestraat  ", "rijselsestraat"),
        ("Église", "eglise"),
        ("", None),
        (None, None),
    ],
)
def test_normalise_street(street: str | None, expected: str | None) -> None:
    assert normalise_street(street) == expected


def test_different_streets_stay_different() -> None:
    assert normalise_street("Doorniksestraat") != normalise_street("Doorniksewijk")
    assert normalise_street("Stationsstraat") != normalise_street("Sint Stationsstraat")


def test_normalising_twice_changes_nothing() -> None:
    for street in ("Sint-Jansstr.", "Brugse Stwg", "Min. Tacklaan", "Grote Markt"):
        once = normalise_street(street)
        assert normalise_street(once) == once


# -- compare ---------------------------------------------------------------------------


def test_same_flat_on_two_portals_is_one_home_with_evidence() -> None:
    immoweb = ad("immoweb", "21500000", charges_eur=0.0)
    zimmo = ad("zimmo", "K00W000", street="Doorniksestr.")
    match = compare(immoweb, zimmo)
    assert match.same
    assert match.score >= DEFAULT_THRESHOLD
    assert not match.conflict
    found = [e.text for e in match.evidence]
    assert found[0] == "zelfde straat en nummer"
    for text in ("huur € 750 = € 750", "EPC 245 = 245", "zelfde bus (3)", "opp. 75 m² = 75 m²"):
        assert text in found
    assert match.summary().startswith("zelfde straat en nummer, ")


def test_evidence_weights_sign_matches_meaning() -> None:
    match = compare(ad(), ad("zimmo", "K1", rent_eur=900.0))
    weights = {e.text: e.weight for e in match.evidence}
    assert weights["zelfde straat en nummer"] > 0
    assert weights["huur verschilt (€ 750 ≠ € 900)"] < 0


def test_same_building_other_box_is_another_home() -> None:
    match = compare(ad(box="3"), ad("zimmo", "K1", box="4"))
    assert not match.same
    assert match.conflict
    assert match.evidence[0].text == "ander busnummer (3 ≠ 4)"


def test_neighbouring_house_numbers_are_other_homes() -> None:
    match = compare(ad(house_number="12", box=None), ad("zimmo", "K1", house_number="14", box=None))
    assert not match.same
    assert match.evidence[0].text == "ander huisnummer (12 ≠ 14)"
    assert not compare(ad(house_number="12"), ad("zimmo", "K1", house_number="12A")).same


def test_identical_new_build_units_with_other_boxes_are_other_homes() -> None:
    unit = {"epc_kwh_m2": 40.0, "rent_eur": 895.0, "living_area_m2": 88.0, "bedrooms": 2}
    a = ad("immoweb", "1", box="1.1", **unit)
    b = ad("immoweb", "2", box="1.2", **unit)
    match = compare(a, b)
    assert match.score > DEFAULT_THRESHOLD  # everything else agrees...
    assert not match.same  # ...but the box decides
    assert cluster([a, b]) == [0, 1]


def test_different_epc_scores_speak_against() -> None:
    match = compare(ad(), ad("zimmo", "K1", epc_kwh_m2=310.0))
    assert "EPC 245 ≠ 310" in [e.text for e in match.evidence]
    assert not compare(ad(street=None, house_number=None, box=None), ad("zimmo", "K1")).conflict


def test_missing_box_or_number_still_links_on_other_evidence() -> None:
    assert compare(ad(box=None), ad("zimmo", "K1")).same
    no_number = ad("zimmo", "K1", house_number=None, box=None, epc_kwh_m2=None)
    assert compare(ad(), no_number).same
    assert "zelfde straat, huisnummer ontbreekt" in texts(ad(), no_number)


def test_advert_without_address_needs_the_epc_to_link() -> None:
    private = ad("2dehands", "m1", street=None, house_number=None, box=None)
    assert compare(ad(), private).same
    assert "EPC 245 = 245" in texts(ad(), private)
    without_epc = ad("2dehands", "m2", street=None, house_number=None, box=None, epc_kwh_m2=None)
    assert not compare(ad(), without_epc).same


def test_rounded_rent_and_area_a_few_m2_off_still_link() -> None:
    other = ad("zimmo", "K1", street="Doorniksestr.", rent_eur=760.0, living_area_m2=73.0)
    match = compare(ad(), other)
    assert match.same
    assert "huur € 750 ≈ € 760" in [e.text for e in match.evidence]
    assert "opp. 75 m² ≈ 73 m²" in [e.text for e in match.evidence]


def test_house_number_with_box_in_it_is_split() -> None:
    assert compare(ad(house_number="12/3", box=None), ad("zimmo", "K1")).same
    assert not compare(ad(house_number="12 bus 4", box=None), ad("zimmo", "K1")).same
    assert compare(ad(street="Doorniksestraat 12", house_number=None, box=None), ad()).same


def test_compare_is_symmetric() -> None:
    a = ad()
    b = ad("zimmo", "K1", street="Doorniksestr.", rent_eur=760.0, box=None)
    assert compare(a, b).score == compare(b, a).score


def test_threshold_must_be_a_probability() -> None:
    with pytest.raises(ValueError, match="threshold"):
        compare(ad(), ad("zimmo", "K1"), threshold=1.5)
    with pytest.raises(ValueError, match="threshold"):
        Linker(threshold=0)


def test_a_higher_threshold_links_less() -> None:
    a = ad(epc_kwh_m2=None)
    b = ad("zimmo", "K1", epc_kwh_m2=None, rent_eur=770.0, living_area_m2=78.0)
    assert compare(a, b).same
    assert not compare(a, b, threshold=0.999).same


# -- candidate_pairs -------------------------------------------------------------------


def test_blocking_pairs_only_plausible_adverts() -> None:
    adverts = [
        ad("immoweb", "1"),
        ad("zimmo", "2", street="Doorniksestr."),
        ad("zimmo", "3", street="Leiestraat", house_number="4", epc_kwh_m2=100.0),
        ad("2dehands", "4", street=None, house_number=None, box=None),
        ad("zimmo", "5", postcode="8930", street="Rijselstraat", epc_kwh_m2=300.0),
    ]
    pairs = set(candidate_pairs(adverts))
    assert (0, 1) in pairs  # same street and number, spelled differently
    assert {(0, 3), (1, 3)} <= pairs  # no address: postcode + EPC
    assert not any(4 in pair for pair in pairs)  # other postcode, other street
    assert (0, 2) not in pairs
    assert all(i < j for i, j in pairs)


def test_blocking_keeps_pairs_few_on_many_adverts() -> None:
    adverts = _many_flats(random.Random(3), 400)
    pairs = list(candidate_pairs(adverts))
    assert len(pairs) == len(set(pairs))
    assert len(pairs) < 10 * len(adverts)


# -- cluster and Linker ----------------------------------------------------------------


def test_cluster_labels_are_numbered_by_first_member() -> None:
    adverts = [
        ad("immoweb", "1", house_number="5", box=None, epc_kwh_m2=111.0),
        ad("immoweb", "2"),
        ad("zimmo", "3", street="Doorniksestr."),
        ad("zimmo", "4", house_number="5", box=None, epc_kwh_m2=111.0),
    ]
    assert cluster(adverts) == [0, 1, 1, 0]
    assert cluster([]) == []


def test_hard_negative_holds_transitively() -> None:
    # A flat advert without a box matches both units; the units never merge.
    box1 = ad("immoweb", "1", box="1", epc_kwh_m2=None)
    box2 = ad("immoweb", "2", box="2", epc_kwh_m2=None)
    no_box = ad("zimmo", "3", box=None, epc_kwh_m2=None)
    labels = cluster([box1, box2, no_box])
    assert labels[0] != labels[1]
    assert labels[2] in (labels[0], labels[1])


def test_linker_reports_joins_and_new_clusters() -> None:
    linker = Linker()
    first = linker.add([ad("immoweb", "1"), ad("immoweb", "2", house_number="40")], ids=["a", "b"])
    assert [(d.id, d.cluster, d.new_cluster) for d in first] == [("a", 0, True), ("b", 1, True)]
    later = linker.add([ad("zimmo", "3", street="Doorniksestr.")], ids=["c"])
    assert later[0].cluster == 0
    assert later[0].matched == "a"
    assert later[0].match is not None
    assert later[0].match.same
    assert linker.clusters() == {"a": 0, "b": 1, "c": 0}
    with pytest.raises(ValueError, match="already linked"):
        linker.add([ad()], ids=["a"])


def test_linker_merges_two_clusters_into_the_older() -> None:
    linker = Linker()
    with_address = ad("immoweb", "1", epc_kwh_m2=None)
    without_address = ad("2dehands", "2", street=None, house_number=None, box=None)
    linker.load([without_address, with_address], ids=["x", "y"], labels=[7, 3])
    bridge = ad("zimmo", "3")  # same address as "y", same EPC as "x"
    (decision,) = linker.add([bridge], ids=["z"])
    assert decision.cluster == 3
    assert decision.merged == (7,)
    assert linker.clusters() == {"x": 3, "y": 3, "z": 3}
    assert linker.next_label == 9  # labels are never reused


def test_relink_merges_but_never_splits() -> None:
    linker = Linker()
    linker.load([ad("immoweb", "1")], ids=["a"], labels=[1])
    linker.load([ad("zimmo", "2", house_number="99", epc_kwh_m2=None)], ids=["b"], labels=[2])
    # "b" now turns out to be the same flat as "a" (its number was wrong).
    (decision,) = linker.relink(["b"], [ad("zimmo", "2")])
    assert decision.merged == (2,)
    assert linker.clusters() == {"a": 1, "b": 1}


def _many_flats(rng: random.Random, n_homes: int) -> list[Listing]:
    """Homes in a few streets, each on one to three portals, with typical variations."""
    streets = ["Sint-Jansstraat", "Doorniksestraat", "Brugsesteenweg", "Leiestraat"]
    adverts: list[Listing] = []
    sources = ["immoweb", "zimmo", "immoscoop"]
    for home in range(n_homes):
        street = streets[home % len(streets)]
        base = {
            "street": street,
            "house_number": str(1 + home // 8),
            "box": str(home % 8),
            "rent_eur": float(rng.randrange(500, 1200, 5)),
            "living_area_m2": float(rng.randint(30, 140)),
            "bedrooms": rng.randint(0, 4),
            "epc_kwh_m2": float(rng.randint(50, 500)),
        }
        for copy in range(rng.randint(1, 3)):
            fields = dict(base)
            if copy == 1:
                fields["street"] = street.replace("Sint-", "St. ").replace("straat", "str.")
                fields["rent_eur"] = round(base["rent_eur"] / 10) * 10 or base["rent_eur"]
            if copy == 2:
                fields["epc_kwh_m2"] = None
                fields["living_area_m2"] = base["living_area_m2"] + 2
            adverts.append(ad(sources[copy], f"{home}-{copy}", **fields))
    rng.shuffle(adverts)
    return adverts


def test_incremental_linking_equals_full_linking() -> None:
    adverts = _many_flats(random.Random(7), 120)
    full = cluster(adverts)
    linker = Linker()
    for start in range(0, len(adverts), 37):
        linker.add(adverts[start : start + 37], ids=range(start, start + len(adverts[start:][:37])))
    found = linker.clusters()
    incremental = [found[i] for i in range(len(adverts))]
    assert _partition(full) == _partition(incremental)


def test_clusters_recover_the_homes_of_a_made_up_set() -> None:
    adverts = _many_flats(random.Random(11), 150)
    truth = [lst.source_id.split("-")[0] for lst in adverts]
    assert _partition(cluster(adverts)) == _partition(truth)


def _partition(labels: list[Any]) -> set[frozenset[int]]:
    groups: dict[Any, set[int]] = {}
    for position, label in enumerate(labels):
        groups.setdefault(label, set()).add(position)
    return {frozenset(members) for members in groups.values()}
