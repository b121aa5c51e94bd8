"""Build the extractor regression golden file from the bundled recordings.

Every recorded response (robots.txt excluded) of every recording set in
``scrapers/recordings`` is run through its source's pure extractor, and the
whole :class:`~scrapers.extract.Extraction` (items, problems, links, next page,
total, challenge) is written to ``tests/scrapers/fixtures/extract_golden.json``.
Realtor pages are also read a second time as an unconfigured ``jsonld`` office
(the generic schema.org fallback), and the bundled saved pages under
``tests/scrapers/fixtures`` are included too, so more code paths are pinned.

``tests/scrapers/test_extract_regression.py`` compares the extractors' output
with this file. After an intentional change of extractor behaviour, regenerate
it and review the diff::

    python tools/build_extract_golden.py            # write the golden file
    python tools/build_extract_golden.py --check    # exit 1 when outputs differ
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from scrapers._cassette import Cassette  # noqa: E402
from scrapers.extract import Extraction, extract  # noqa: E402
from scrapers.extract._realtor import Office, extract_office  # noqa: E402

#: The golden file the regression test compares against.
GOLDEN = ROOT / "tests" / "scrapers" / "fixtures" / "extract_golden.json"
#: The recording sets (``<set>/<source>.yaml``).
RECORDINGS = ROOT / "scrapers" / "recordings"
#: Saved pages of the extractor tests: ``<source dir>/<file>`` → (source, URL).
FIXTURE_PAGES: dict[str, tuple[str, str]] = {
    "zimmo/turbo-immo__search_gent_redacted.html": (
        "zimmo",
        "https://www.zimmo.be/nl/gent-9000/te-huur/?p=1",
    ),
    "immovlan/assembled_search_kortrijk_p1.html": (
        "immovlan",
        "https://immovlan.be/nl/vastgoed?transactiontypes=te-huur&propertytypes=huis%2Cappartement"
        "&municipals=kortrijk&page=1&noindex=1",
    ),
    "immovlan/assembled_detail_rbu61001.html": (
        "immovlan",
        "https://immovlan.be/nl/detail/appartement/te-huur/8500/kortrijk/rbu61001",
    ),
    "immoscoop/assembled_search_kortrijk_p1.html": (
        "immoscoop",
        "https://www.immoscoop.be/zoeken/te-huur/kortrijk",
    ),
    "immoscoop/assembled_detail_910001.html": (
        "immoscoop",
        "https://www.immoscoop.be/te-huur/8500-kortrijk/910001",
    ),
    "immoscoop/track-immoscoop__property-card-example.html": (
        "immoscoop",
        "https://www.immoscoop.be/zoeken/te-huur/brugge",
    ),
    "realtor/assembled_detail_4312101.html": (
        "realtor",
        "https://www.immopottelberg.be/te-huur/kortrijk/appartement/4312101",
    ),
    "realtor/assembled_list_flat_p1.html": (
        "realtor",
        "https://www.immopottelberg.be/te-huur?searchon=list&transactiontype=Rent&sorts=Flat"
        "&pageindex=1",
    ),
    "immoweb/turbo-immo__search-results_gent_redacted.json": (
        "immoweb",
        "https://www.immoweb.be/en/search-results/apartment/for-rent?countries=BE"
        "&postalCodes=BE-9000&page=1&orderBy=newest",
    ),
    "immoweb/immoweb-keeper__classified_sale_8726807.json": (
        "immoweb",
        "https://www.immoweb.be/en/classified/8726807",
    ),
    "2dehands/assembled_search_8500_p1.json": (
        "2dehands",
        "https://www.2dehands.be/lrp/api/search?l1CategoryId=1032&l2CategoryId=2143"
        "&postcode=8500&distanceMeters=5000&limit=30&offset=0&sortBy=SORT_INDEX"
        "&sortOrder=DECREASING&viewOptions=list-view",
    ),
}


def canon(value: Any) -> Any:
    """Return ``value`` as JSON data that keeps its Python type (dates, tuples, floats...).

    >>> canon([date(2026, 12, 1), (1, 2.0)])
    [{'__date__': '2026-12-01'}, {'__tuple__': [1, {'__float__': '2.0'}]}]
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return {"__float__": repr(value)}
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    if isinstance(value, list):
        return [canon(v) for v in value]
    if isinstance(value, tuple):
        return {"__tuple__": [canon(v) for v in value]}
    if isinstance(value, dict):
        return {"__dict__": [[canon(k), canon(v)] for k, v in value.items()]}
    return {"__repr__": f"{type(value).__name__}:{value!r}"}


def dump_extraction(extraction: Extraction) -> dict[str, Any]:
    """Everything an extractor returned, in a JSON-comparable form (item key order included)."""
    return {
        "items": [canon(item) for item in extraction.items],
        "problems": [
            {f.name: canon(getattr(p, f.name)) for f in dataclasses.fields(p)}
            for p in extraction.problems
        ],
        "links": list(extraction.links),
        "next_page": extraction.next_page,
        "total": extraction.total,
        "challenge": extraction.challenge,
    }


_FALLBACK_OFFICE = Office(
    slug="fallback",
    name="Fallback",
    base_url="https://www.example.be",
    template="jsonld",
    list_paths=("/",),
    detail_pattern=r"/te-(huur|koop)/.*\d",
)


def pages() -> Iterator[tuple[str, str, str, bytes]]:
    """Yield ``(case id, source, url, body)`` of every page in the golden file, in order."""
    for cassette in sorted(RECORDINGS.glob("*/*.yaml")):
        source = cassette.stem
        for n, interaction in enumerate(Cassette.load(cassette).interactions):
            if interaction.url.split("?", 1)[0].endswith("/robots.txt"):
                continue
            case = f"{cassette.parent.name}/{source}/{n:03d}"
            yield case, source, interaction.url, interaction.body
            if source == "realtor":
                yield f"{case}/jsonld", "realtor:fallback", interaction.url, interaction.body
    fixtures = ROOT / "tests" / "scrapers" / "fixtures"
    for name, (source, url) in FIXTURE_PAGES.items():
        yield f"fixtures/{name}", source, url, (fixtures / name).read_bytes()


def run_case(source: str, url: str, body: bytes) -> dict[str, Any]:
    """Run the extractor of one case (``realtor:fallback`` = the generic jsonld office)."""
    if source == "realtor:fallback":
        extraction = extract_office(url, body, _FALLBACK_OFFICE)
    else:
        extraction = extract(source, url, body)
    return {"source": source, "url": url, **dump_extraction(extraction)}


def build() -> dict[str, Any]:
    """Return the golden data: case id → dumped extraction."""
    return {case: run_case(source, url, body) for case, source, url, body in pages()}


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the golden file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--out", type=Path, default=GOLDEN)
    args = parser.parse_args(argv)
    data = build()
    if args.check:
        old = json.loads(args.out.read_text(encoding="utf-8"))
        differ = sorted(k for k in set(old) | set(data) if old.get(k) != data.get(k))
        for case in differ:
            print(f"differs: {case}")
        return 1 if differ else 0
    args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(data)} cases to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
