"""Pairwise dedup metrics, the labelled set, the synthetic generator and ``evaluate_links``."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType

import pytest

from listings import Listing
from listings._dedupe_eval import (
    METRIC_KEYS,
    evaluate_links,
    format_report,
    misclassified_pairs,
    pairwise_metrics,
    read_labelled,
)
from listings._synthetic import GROUP_KINDS, PATTERNS, synthetic_adverts
from listings.errors import ImportRowError

ROOT = Path(__file__).resolve().parents[2]
LABELLED = ROOT / "tests" / "listings" / "data" / "dedupe_labelled.jsonl"
TOOL = ROOT / "tools" / "build_dedupe_set.py"

PRECISION_TARGET = 0.98
RECALL_TARGET = 0.95


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_dedupe_set", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def advert(source_id: str, **fields: object) -> Listing:
    return Listing(
        source="zimmo", source_id=source_id, url=f"https://www.zimmo.be/{source_id}", **fields
    )


# -- pairwise metrics ------------------------------------------------------------------


def test_perfect_clustering_scores_one() -> None:
    result = pairwise_metrics([7, 7, 3, 3, 3, 9], ["a", "a", "b", "b", "b", "c"])

    assert result == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "adverts": 6,
        "true_dwellings": 3,
        "predicted_dwellings": 3,
        "true_pairs": 4,
        "predicted_pairs": 4,
        "correct_pairs": 4,
    }


def test_everything_in_one_cluster_has_full_recall_and_low_precision() -> None:
    # 5 adverts in one cluster: 10 predicted pairs; truth {a,a,a},{b,b}: 3 + 1 true pairs.
    result = pairwise_metrics([0] * 5, ["a", "a", "a", "b", "b"])

    assert result["predicted_pairs"] == 10
    assert result["true_pairs"] == 4
    assert result["correct_pairs"] == 4
    assert result["precision"] == pytest.approx(0.4)
    assert result["recall"] == 1.0
    assert result["f1"] == pytest.approx(2 * 0.4 / 1.4)


def test_all_singletons_predict_no_pair() -> None:
    result = pairwise_metrics([0, 1, 2, 3], ["a", "a", "b", "c"])

    assert (result["predicted_pairs"], result["true_pairs"], result["correct_pairs"]) == (0, 1, 0)
    assert result["precision"] == 1.0  # nothing was wrongly joined
    assert result["recall"] == 0.0
    assert result["f1"] == 0.0


def test_split_and_merge_counted_from_the_contingency_table() -> None:
    # Truth: A = {0,1,2,3}, B = {4,5}. Predicted: {0,1}, {2,3,4}, {5}.
    predicted = ["x", "x", "y", "y", "y", "z"]
    truth = ["A", "A", "A", "A", "B", "B"]

    result = pairwise_metrics(predicted, truth)

    assert result["true_pairs"] == 6 + 1
    assert result["predicted_pairs"] == 1 + 3
    assert result["correct_pairs"] == 1 + 1  # (0,1) and (2,3)
    assert result["precision"] == pytest.approx(2 / 4)
    assert result["recall"] == pytest.approx(2 / 7)
    assert result["predicted_dwellings"] == 3
    assert misclassified_pairs(predicted, truth) == (
        [(2, 4), (3, 4)],
        [(0, 2), (0, 3), (1, 2), (1, 3), (4, 5)],
    )


def test_no_true_pairs_and_no_predicted_pairs_is_perfect() -> None:
    result = pairwise_metrics([1, 2], ["a", "b"])

    assert (result["precision"], result["recall"], result["f1"]) == (1.0, 1.0, 1.0)


def test_metrics_reject_sequences_of_different_length() -> None:
    with pytest.raises(ValueError, match="2 predicted clusters for 3 labels"):
        pairwise_metrics([0, 0], ["a", "a", "b"])


def test_format_report_prints_every_metric() -> None:
    text = format_report(pairwise_metrics([0, 0, 1], ["a", "a", "a"]))

    assert text.splitlines()[0] == "precision            1.0000"
    assert text.splitlines()[1] == "recall               0.3333"
    assert text.splitlines()[2] == "f1                   0.5000"
    assert len(text.splitlines()) == len(METRIC_KEYS)


# -- read_labelled -----------------------------------------------------------------------


def write_lines(path: Path, rows: list[object]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n",
        encoding="utf-8",
    )
    return path


GOOD = {"source": "zimmo", "source_id": "K1", "url": "https://www.zimmo.be/k1", "rent_eur": 750}


def test_read_labelled_returns_listings_and_labels(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "set.jsonl",
        [
            {**GOOD, "true_dwelling": "d1", "patterns": ["no_box"]},
            "",
            {**GOOD, "source_id": "K2", "true_dwelling": "d1"},
        ],
    )

    listings, labels = read_labelled(path)

    assert [lst.source_id for lst in listings] == ["K1", "K2"]
    assert labels == ["d1", "d1"]
    assert listings[0].rent_eur == 750.0


@pytest.mark.parametrize(
    ("bad", "line", "field", "reason"),
    [
        ({**GOOD, "source_id": "K2"}, 2, "true_dwelling", "missing or empty"),
        ({**GOOD, "source_id": "K2", "true_dwelling": ""}, 2, "true_dwelling", "missing"),
        ({**GOOD, "source_id": "K2", "true_dwelling": 4}, 2, "true_dwelling", "missing"),
        ({**GOOD, "source_id": "K2", "true_dwelling": "d", "bedrooms": 40}, 2, "bedrooms", "0..20"),
        ({**GOOD, "true_dwelling": "d2"}, 2, "source_id", "repeats the advert of line 1"),
        ({**GOOD, "source_id": "K2", "true_dwelling": "d", "patterns": "x"}, 2, "patterns", "list"),
        ("{not json", 2, "line", "not valid JSON"),
        ("[1, 2]", 2, "line", "not a JSON object"),
    ],
)
def test_read_labelled_names_the_line_and_field_of_a_bad_row(
    tmp_path: Path, bad: object, line: int, field: str, reason: str
) -> None:
    path = write_lines(tmp_path / "set.jsonl", [{**GOOD, "true_dwelling": "d1"}, bad])

    with pytest.raises(ImportRowError) as info:
        read_labelled(path)

    assert info.value.line == line
    assert info.value.problems[0][0] == field
    assert reason in info.value.problems[0][2]
    assert str(info.value).startswith(f"line {line}: {field}=")


# -- the generator and the labelled set --------------------------------------------------


def test_generator_is_seeded_and_gives_exactly_n_valid_adverts() -> None:
    first = synthetic_adverts(250, seed=3)
    again = synthetic_adverts(250, seed=3)
    other = synthetic_adverts(250, seed=4)

    assert first == again
    assert first.listings != other.listings
    assert len(first.adverts) == 250
    assert len({lst.key for lst in first.listings}) == 250
    for lst in first.listings:
        assert Listing.model_validate(lst.model_dump()) == lst
    assert {a.group_kind for a in first.adverts} == set(GROUP_KINDS)
    assert {p for a in first.adverts for p in a.patterns} <= set(PATTERNS)


def test_generator_hard_negatives_share_an_address_but_not_a_dwelling() -> None:
    data = synthetic_adverts(3000, seed=11)
    by_group: dict[str, set[str]] = defaultdict(set)
    for adv in data.adverts:
        by_group[adv.group].add(adv.true_dwelling)

    buildings = [a for a in data.adverts if a.group_kind in ("building", "newbuild")]
    # Flats of one building share street and number; two dwellings never share a box.
    per_group: dict[str, dict[str, set[str | None]]] = defaultdict(lambda: defaultdict(set))
    for adv in buildings:
        per_group[adv.group][adv.true_dwelling].add(adv.listing.box)
    for dwellings in per_group.values():
        boxes = [b for boxset in dwellings.values() for b in boxset if b is not None]
        assert len(boxes) == len(set(boxes))
    # New-build units never lose their box: nothing but the box tells them apart.
    assert all(a.listing.box for a in data.adverts if a.group_kind == "newbuild")
    neighbours = [a for a in data.adverts if a.group_kind == "neighbours"]
    assert all(a.listing.house_number for a in neighbours)
    assert max(len(d) for d in by_group.values()) >= 3


def test_generator_applies_every_pattern_of_the_issue() -> None:
    data = synthetic_adverts(3000, seed=11)
    seen = Counter(p for a in data.adverts for p in a.patterns)

    assert set(seen) == set(PATTERNS)
    abbreviated = [a.listing.street for a in data.adverts if "sint_abbrev" in a.patterns]
    assert all(s is not None and s.startswith("St") for s in abbreviated)
    stwg = [a.listing.street for a in data.adverts if "steenweg_abbrev" in a.patterns]
    assert all(s is not None and "steenweg" not in s for s in stwg)
    no_number = [a.listing for a in data.adverts if "no_number" in a.patterns]
    assert all(lst.house_number is None and lst.epc_kwh_m2 is not None for lst in no_number)


def test_labelled_set_is_large_hard_and_what_the_tool_writes() -> None:
    listings, labels = read_labelled(LABELLED)
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    tool = load_tool()

    assert len(listings) >= 300
    assert LABELLED.read_text(encoding="utf-8") == "\n".join(tool.build()) + "\n"
    sizes = Counter(labels)
    assert sum(n for n in sizes.values() if n > 1) >= 200  # most adverts have a duplicate
    # Hard negatives: distinct dwellings at one street + number.
    at_address: dict[tuple[str | None, str | None, str | None], set[str]] = defaultdict(set)
    for lst, label in zip(listings, labels, strict=True):
        if lst.house_number is not None:
            at_address[(lst.postcode, lst.street, lst.house_number)].add(label)
    shared = sum(len(d) for d in at_address.values() if len(d) > 1)
    assert shared >= 80
    assert any(row["true_dwelling"] == "hand-doorniks-12-3" for row in rows)
    patterns = Counter(p for row in rows for p in row["patterns"])
    assert min(patterns[p] for p in PATTERNS) >= 1


# -- evaluate_links (the real store path) -----------------------------------------------


def test_evaluate_links_rejects_mismatched_or_repeated_adverts() -> None:
    one = advert("K1", rent_eur=750)
    with pytest.raises(ValueError, match="1 listings but 2 labels"):
        evaluate_links([one], ["a", "b"])
    with pytest.raises(ValueError, match="repeats the key"):
        evaluate_links([one, one], ["a", "a"])


def test_evaluate_links_on_a_small_case(tmp_path: Path) -> None:
    base = {
        "street": "Doorniksestraat",
        "house_number": "12",
        "postcode": "8500",
        "rent_eur": 750.0,
        "bedrooms": 2,
        "living_area_m2": 75.0,
        "property_type": "apartment",
    }
    listings = [
        advert("A1", **base, box="3", epc_kwh_m2=245.0),
        Listing(
            source="immoweb",
            source_id="2155",
            url="https://www.immoweb.be/2155",
            **{**base, "street": "Doorniksestr."},
            box="3",
            epc_kwh_m2=245.0,
        ),
        advert("A2", **base, box="4", epc_kwh_m2=300.0),
        advert("A3", **{**base, "house_number": "80", "rent_eur": 1200.0}),
    ]
    url = f"sqlite:///{tmp_path / 'own.db'}"

    result = evaluate_links(listings, ["x", "x", "y", "z"], store_url=url)

    assert set(result) == set(METRIC_KEYS)
    assert result["adverts"] == 4
    assert result["true_pairs"] == 1
    assert result["true_dwellings"] == 3
    # The same flat on two sources is one dwelling; box 4 and number 80 are other homes.
    assert (result["predicted_pairs"], result["correct_pairs"]) == (1, 1)
    assert result["predicted_dwellings"] == 3
    assert (result["precision"], result["recall"], result["f1"]) == (1.0, 1.0, 1.0)
    assert (tmp_path / "own.db").exists()


def test_labelled_set_meets_the_precision_and_recall_target() -> None:
    listings, labels = read_labelled(LABELLED)

    result = evaluate_links(listings, labels)

    assert result["adverts"] == len(listings)
    assert result["precision"] >= PRECISION_TARGET, format_report(result)
    assert result["recall"] >= RECALL_TARGET, format_report(result)
