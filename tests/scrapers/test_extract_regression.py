"""The extractors give exactly the output pinned in ``fixtures/extract_golden.json``.

The golden file holds, for every recorded page of every recording set (and the
saved fixture pages), everything the source's extractor returned: items (with
value types and key order), problems, links, next page, total and challenge. It
is written by ``tools/build_extract_golden.py``; regenerate it (and review the
diff) only after an intentional change of extractor behaviour.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_FILE = Path(__file__).resolve().parent / "fixtures" / "extract_golden.json"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_extract_golden", ROOT / "tools" / "build_extract_golden.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILDER = _builder()
GOLDEN: dict[str, Any] = json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))
CASES = list(BUILDER.pages())


def test_golden_file_covers_every_recorded_page() -> None:
    assert [case for case, *_ in CASES] == list(GOLDEN)
    sets = {case.split("/", 1)[0] for case in GOLDEN}
    assert {"2026-11-20", "2026-11-21", "2026-11-22-blocked", "fixtures"} <= sets
    sources = {entry["source"] for entry in GOLDEN.values()}
    assert sources == {
        "immoweb",
        "zimmo",
        "immoscoop",
        "immovlan",
        "2dehands",
        "realtor",
        "realtor:fallback",
    }
    assert sum(len(entry["items"]) for entry in GOLDEN.values()) > 500


@pytest.mark.parametrize(("case", "source", "url", "body"), CASES, ids=[case for case, *_ in CASES])
def test_extraction_matches_golden(case: str, source: str, url: str, body: bytes) -> None:
    got = BUILDER.run_case(source, url, body)
    expected = GOLDEN[case]
    # Compare piece by piece first so a failure names what changed.
    for key in ("problems", "links", "next_page", "total", "challenge"):
        assert got[key] == expected[key], key
    assert len(got["items"]) == len(expected["items"])
    for got_item, expected_item in zip(got["items"], expected["items"], strict=True):
        assert got_item == expected_item
    assert got == expected


def test_canon_keeps_value_types() -> None:
    from datetime import date

    assert BUILDER.canon(700.0) != BUILDER.canon(700)
    assert BUILDER.canon(date(2026, 12, 1)) != BUILDER.canon("2026-12-01")
    assert BUILDER.canon({"a": 1, "b": 2}) != BUILDER.canon({"b": 2, "a": 1})
