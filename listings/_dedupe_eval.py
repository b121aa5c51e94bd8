"""Evaluating cross-source dedup against adverts with known true dwellings.

The measure is *pairwise*: over every pair of adverts, a pair is *predicted*
when the linker put both adverts in one dwelling and *true* when the label
says they advertise the same home. Precision is the share of predicted pairs
that are true, recall the share of true pairs that were predicted, F1 their
harmonic mean. The counts come from the contingency table of (predicted
cluster, true dwelling), so ``n`` adverts never cost ``n²`` pairs.

:func:`evaluate_links` runs the real path (upsert into a scratch SQLite store,
:func:`listings._dwellings.dedupe`, read back each advert's dwelling);
:func:`evaluate_clusters` runs the pure :func:`listings._dedupe.cluster`.
:func:`read_labelled` reads the labelled JSON Lines files
(``tests/listings/data/dedupe_labelled.jsonl``) and :func:`format_report`
renders a result for the command line.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path

from pydantic import ValidationError

from listings._model import Listing, validation_problems
from listings.errors import ImportRowError

__all__ = [
    "LABEL_FIELD",
    "METRIC_KEYS",
    "PATTERNS_FIELD",
    "evaluate_clusters",
    "evaluate_links",
    "format_report",
    "misclassified_pairs",
    "pairwise_metrics",
    "read_labelled",
]

#: Key of the true-dwelling label in a labelled JSON Lines row.
LABEL_FIELD = "true_dwelling"
#: Optional key of a labelled row listing the variations the advert carries (ignored by scoring).
PATTERNS_FIELD = "patterns"
#: Keys of every evaluation result, in report order.
METRIC_KEYS: tuple[str, ...] = (
    "precision",
    "recall",
    "f1",
    "adverts",
    "true_dwellings",
    "predicted_dwellings",
    "true_pairs",
    "predicted_pairs",
    "correct_pairs",
)


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def pairwise_metrics(
    predicted: Sequence[Hashable], truth: Sequence[Hashable]
) -> dict[str, float | int]:
    """Pairwise precision, recall and F1 of a clustering against the true one.

    ``predicted[i]`` and ``truth[i]`` are the cluster and the true dwelling of
    advert ``i`` (any hashable ids). With no predicted pair precision is 1.0,
    with no true pair recall is 1.0 (nothing was wrongly joined / missed).

    >>> result = pairwise_metrics([0, 0, 0, 1], ["a", "a", "b", "b"])
    >>> result["predicted_pairs"], result["true_pairs"], result["correct_pairs"]
    (3, 2, 1)
    >>> round(result["precision"], 4), result["recall"], round(result["f1"], 4)
    (0.3333, 0.5, 0.4)
    """
    if len(predicted) != len(truth):
        raise ValueError(
            f"{len(predicted)} predicted clusters for {len(truth)} labels: "
            "give one of each per advert"
        )
    predicted_sizes = Counter(predicted)
    true_sizes = Counter(truth)
    cells = Counter(zip(predicted, truth, strict=True))
    predicted_pairs = sum(_pairs(c) for c in predicted_sizes.values())
    true_pairs = sum(_pairs(c) for c in true_sizes.values())
    correct_pairs = sum(_pairs(c) for c in cells.values())
    precision = correct_pairs / predicted_pairs if predicted_pairs else 1.0
    recall = correct_pairs / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "adverts": len(truth),
        "true_dwellings": len(true_sizes),
        "predicted_dwellings": len(predicted_sizes),
        "true_pairs": true_pairs,
        "predicted_pairs": predicted_pairs,
        "correct_pairs": correct_pairs,
    }


def misclassified_pairs(
    predicted: Sequence[Hashable], truth: Sequence[Hashable]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Return ``(wrongly_joined, missed)`` pairs of advert indexes ``(i, j)``, ``i < j``.

    Wrongly joined pairs share a predicted cluster but not a true dwelling;
    missed pairs share a true dwelling but not a predicted cluster. Only pairs
    inside a cluster or a dwelling are visited (for diagnosing a linker).

    >>> misclassified_pairs([0, 0, 1], ["a", "b", "b"])
    ([(0, 1)], [(1, 2)])
    """
    if len(predicted) != len(truth):
        raise ValueError(f"{len(predicted)} predicted clusters for {len(truth)} labels")
    by_cluster: dict[Hashable, list[int]] = {}
    by_truth: dict[Hashable, list[int]] = {}
    for index, (cluster_id, true_id) in enumerate(zip(predicted, truth, strict=True)):
        by_cluster.setdefault(cluster_id, []).append(index)
        by_truth.setdefault(true_id, []).append(index)
    wrong = [
        (i, j)
        for members in by_cluster.values()
        for k, i in enumerate(members)
        for j in members[k + 1 :]
        if truth[i] != truth[j]
    ]
    missed = [
        (i, j)
        for members in by_truth.values()
        for k, i in enumerate(members)
        for j in members[k + 1 :]
        if predicted[i] != predicted[j]
    ]
    return sorted(wrong), sorted(missed)


def _check_inputs(listings: Sequence[Listing], labels: Sequence[Hashable]) -> None:
    if len(listings) != len(labels):
        raise ValueError(f"{len(listings)} listings but {len(labels)} labels: give one label each")
    seen: set[tuple[str, str]] = set()
    for index, listing in enumerate(listings):
        if listing.key in seen:
            raise ValueError(
                f"advert {index} repeats the key {listing.key!r}: every advert needs its own "
                "(source, source_id)"
            )
        seen.add(listing.key)


def evaluate_clusters(
    listings: Sequence[Listing], labels: Sequence[Hashable], *, threshold: float | None = None
) -> dict[str, float | int]:
    """Cluster ``listings`` with the pure linker (no store) and score it against ``labels``."""
    from listings._dedupe import cluster

    _check_inputs(listings, labels)
    return pairwise_metrics(cluster(listings, threshold=threshold), labels)


def evaluate_links(
    listings: Sequence[Listing],
    labels: Sequence[Hashable],
    *,
    store_url: str | None = None,
) -> dict[str, float | int]:
    """Link ``listings`` through a store and score the dwellings against ``labels``.

    The adverts are upserted into a scratch SQLite store in a temporary
    directory (or into the store at ``store_url``), linked with
    :func:`listings._dwellings.dedupe`, and each advert's dwelling is read back
    with :func:`listings._dwellings.dwelling_of`. An advert left without a
    dwelling counts as a dwelling of its own. Returns the keys of
    :data:`METRIC_KEYS` (see :func:`pairwise_metrics`).
    """
    _check_inputs(listings, labels)
    if store_url is not None:
        return _evaluate_in(store_url, listings, labels)
    with tempfile.TemporaryDirectory(prefix="immolijst-dedupe-eval-") as tmp:
        return _evaluate_in(f"sqlite:///{Path(tmp) / 'eval.db'}", listings, labels)


def _evaluate_in(
    url: str, listings: Sequence[Listing], labels: Sequence[Hashable]
) -> dict[str, float | int]:
    from listings._dwellings import dedupe, dwelling_of
    from listings._store import Store

    with Store(url) as store:
        store.upsert(listings)
        dedupe(store)
        predicted: list[Hashable] = []
        for index, listing in enumerate(listings):
            dwelling = dwelling_of(store, listing.source, listing.source_id)
            predicted.append(("dwelling", dwelling) if dwelling is not None else ("none", index))
    return pairwise_metrics(predicted, labels)


def read_labelled(path: str | Path) -> tuple[list[Listing], list[str]]:
    """Read a labelled JSON Lines file: ``Listing`` fields plus ``true_dwelling`` on each line.

    An optional ``patterns`` list (the variations the advert carries, as
    written by ``tools/build_dedupe_set.py``) is accepted and ignored. Blank
    lines are skipped. The first bad line raises
    :class:`~listings.errors.ImportRowError` naming the line number and the
    field; a repeated (``source``, ``source_id``) is an error too.
    """
    listings: list[Listing] = []
    labels: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    with Path(path).open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            text = line.strip()
            if not text:
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ImportRowError(
                    number, [("line", text[:80], f"not valid JSON: {exc.msg}")]
                ) from None
            if not isinstance(data, dict):
                raise ImportRowError(number, [("line", text[:80], "not a JSON object")])
            label = data.pop(LABEL_FIELD, None)
            if not isinstance(label, str) or not label.strip():
                raise ImportRowError(
                    number,
                    [
                        (
                            LABEL_FIELD,
                            label,
                            "missing or empty: every advert needs its true dwelling",
                        )
                    ],
                )
            patterns = data.pop(PATTERNS_FIELD, [])
            if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
                raise ImportRowError(number, [(PATTERNS_FIELD, patterns, "not a list of names")])
            try:
                listing = Listing.model_validate(data)
            except ValidationError as exc:
                raise ImportRowError(number, validation_problems(exc)) from None
            if listing.key in seen:
                raise ImportRowError(
                    number,
                    [
                        (
                            "source_id",
                            listing.source_id,
                            f"repeats the advert of line {seen[listing.key]}",
                        )
                    ],
                )
            seen[listing.key] = number
            listings.append(listing)
            labels.append(label.strip())
    return listings, labels


def format_report(result: Mapping[str, float | int]) -> str:
    """Render an evaluation result as a few aligned lines of plain text.

    >>> print(format_report({"precision": 1.0, "recall": 0.9523, "f1": 0.97561,
    ...     "adverts": 5, "true_dwellings": 2, "predicted_dwellings": 3,
    ...     "true_pairs": 4, "predicted_pairs": 3, "correct_pairs": 3}))
    precision            1.0000
    recall               0.9523
    f1                   0.9756
    adverts              5
    true dwellings       2
    predicted dwellings  3
    true pairs           4
    predicted pairs      3
    correct pairs        3
    """
    lines = []
    for key in METRIC_KEYS:
        if key not in result:
            continue
        value = result[key]
        text = f"{value:.4f}" if key in ("precision", "recall", "f1") else f"{int(value)}"
        lines.append(f"{key.replace('_', ' '):<20} {text}")
    return "\n".join(lines)
