"""The fast paths of the 2dehands, Immovlan and realtor extractors equal their general paths.

* :func:`~scrapers.extract._tweedehands.scan_description` equals six plain
  ``pattern.search(text)`` calls (also with the odd case folds ``ſ``, ``ı``, ``İ``);
* the paging read of a plain 2dehands URL equals ``parse_qsl``, and the next page is
  the same as the general code gives;
* :func:`~scrapers.extract._html.text_reader` equals :func:`~scrapers.extract._html.text_of`;
* :func:`~scrapers.extract._values.fact_fields_on` equals ``fact_fields``;
* the ``itemscope`` test of :mod:`scrapers.extract._schemaorg` equals ``str.lower``;
* the one-walk card and detail readers of Immovlan and the realtor value cell
  equal the element walks they replace.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qsl, urlparse

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from lxml import etree

from scrapers.extract import _realtor, _schemaorg, _tweedehands
from scrapers.extract._html import has_token, parse_html, text_of, text_reader
from scrapers.extract._values import (
    _split_address_line_cached,
    fact_fields,
    fact_fields_on,
    split_address_line,
)

# -- 2dehands free text ---------------------------------------------------------

#: The patterns as they were before the fast path (the postcode with ``\b``).
PLAIN_PATTERNS = [
    _tweedehands._CHARGES,
    _tweedehands._BEDROOMS,
    _tweedehands._AREA,
    _tweedehands._EPC,
    re.compile(r"\b([1-9]\d{3})\s+[A-Z][a-zé-]+"),
    _tweedehands._AVAILABLE,
]
GROUPS = [0, 0, 0, 1, 1, 1]

WORDS = st.sampled_from(
    [
        "2",
        "12",
        "8500",
        "1000",
        " ",
        "  ",
        "\u00a0",
        "\n",
        ",",
        ".",
        "+",
        "€",
        "m²",
        "M2",
        "m",
        "slaapkamers",
        "SLPK",
        "Slaapkamer",
        "ſlaapkamer",
        "EPC",
        "epc:",
        "kWh",
        "kosten",
        "Euro",
        "lasten",
        "Beschikbaar",
        "vrij",
        "VRİJ",
        "vrıj",
        "vanaf",
        "op",
        ":",
        "onmiddellijk",
        "01/12/2026",
        "Kortrijk",
        "Sint-Denijs",
        "K",
        "\u0663",
        "a",
        "/",
    ]
)
TEXTS = st.lists(WORDS, max_size=14).map("".join)


def _plain_scan(text: str) -> tuple[str | None, ...]:
    found = []
    for pattern, group in zip(PLAIN_PATTERNS, GROUPS, strict=True):
        match = pattern.search(text)
        found.append(match.group(group) if match else None)
    return tuple(found)


@given(TEXTS)
@example("Vrij vanaf 01/12/2026 Kortrijk + 1200 Euro kosten, 1234 Slaapkamers")
@example("EPC 150 m2, 3 ſlaapkamers, vrİj: direct, 8500 Kortrijk")
@example("12.5 m² of 3 m2; 2\u00a0slaapkamers; x2 slpk; 9 9 slaapkamer")
@example("a1234 Kortrijk 5678 Gent")
def test_scan_description_is_six_plain_searches(text: str) -> None:
    assert _tweedehands.scan_description(text) == _plain_scan(text)


def test_scan_description_reads_an_advert() -> None:
    text = "Studio, 1 slpk, 32 m2. EPC: 310. € 560 + 40 euro kosten. Beschikbaar onmiddellijk."
    assert _tweedehands.scan_description(text) == (
        "+ 40 euro kosten",
        "1 slpk",
        "32 m2",
        "310",
        None,
        "onmiddellijk",
    )


SEARCH = _tweedehands.search_url("8500", l1_category=1032, l2_category=2143, distance_m=2000)
QUERY_PARTS = st.sampled_from(
    ["limit=30", "offset=0", "offset=30", "limit=", "offset", "limit=10", "&", "a=1", "=", "x"]
)


@given(st.lists(QUERY_PARTS, max_size=6).map("&".join))
@example("limit=30&offset=0&limit=10")
def test_paging_of_a_plain_url_is_parse_qsl(query: str) -> None:
    url = f"https://www.2dehands.be/lrp/api/search?{query}"
    params = dict(parse_qsl(urlparse(url).query, keep_blank_values=True))
    assert _tweedehands._paging(url) == (params.get("limit"), params.get("offset"))


@pytest.mark.parametrize(
    "url",
    [
        SEARCH + "#x",
        SEARCH.replace("offset=0", "offset=%33%30"),
        SEARCH + "&q=a+b",
        "https://[::1]/lrp/api/search?limit=30",
        SEARCH + " ",
        SEARCH + "&q=é",
    ],
)
def test_paging_leaves_unusual_urls_to_the_general_path(url: str) -> None:
    assert _tweedehands._paging(url) is None


@pytest.mark.parametrize("count", [1, 29, 30])
@pytest.mark.parametrize("total", [None, 1, 30, 31, 90])
@pytest.mark.parametrize(
    "url",
    [
        SEARCH,
        SEARCH.replace("offset=0", "offset=30"),
        SEARCH.replace("limit=30", "limit=0"),
        SEARCH.replace("offset=0", "offset=%33%30"),
        SEARCH + "#frag",
    ],
)
def test_next_page_equals_the_general_computation(count: int, total: int | None, url: str) -> None:
    parsed = urlparse(url)
    query = parse_qsl(parsed.query, keep_blank_values=True)
    params = dict(query)
    limit = int(params.get("limit") or 0) or count
    offset = int(params.get("offset") or 0)
    last = limit <= 0 or (count < limit if total is None else offset + limit >= total)
    got = _tweedehands._next_page(url, count, total)
    if last:
        assert got is None
    else:
        assert got is not None
        assert dict(parse_qsl(urlparse(got).query))["offset"] == str(offset + limit)


# -- text of elements and facts ----------------------------------------------------

PAGES = [
    "<div>a<!--c-->b<script>s</script><b>x</b>y <style>z</style></div>",
    "<div>\n  <span>€</span>750<br>per maand  </div>",
    "<div><p>one</p><p>two<i>three</i>four</p>five<p> </p><p>\n</p></div>",
    "<div>x<span>   </span>y<pre>  <b>p</b>  </pre>\u00a0</div>",
    "<div><!-- c -->  <template><p>t</p></template>z</div>",
    "<div><textarea>  </textarea><p>  </p></div>",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("sep", ["", " "])
def test_text_reader_is_text_of(page: str, sep: str) -> None:
    root = parse_html(page)
    read = text_reader(root)
    for element in root.iter(etree.Element):
        assert read(element, sep) == text_of(element, sep), element.tag


def test_text_reader_is_the_fast_variant_only_without_special_elements() -> None:
    assert text_reader(parse_html(PAGES[0])) is not text_of
    assert text_reader(parse_html(PAGES[3])) is text_of


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("Slaapkamers:", "2"),
        ("Beschikbaar vanaf:", "Onmiddellijk"),
        ("Beschikbaar vanaf:", "01/12/2026"),
        ("EPC:", "C (245 kWh/m²)"),
        ("Zwembad", "Ja"),
        ("Verdieping:", "Gelijkvloers"),
    ],
)
def test_fact_fields_on_today_is_fact_fields(label: str, value: str) -> None:
    assert fact_fields_on(label, value, date.today()) == fact_fields(label, value)


def test_split_address_line_is_memoised_with_the_same_answers() -> None:
    # the cache's own counter, not the identity of the answers: a compiled build
    # (nox -s compiled) hands back an equal new tuple for each call
    line = "Doorniksestraat 12 bus 3"
    assert split_address_line(line) == ("Doorniksestraat", "12", "3")
    hits = _split_address_line_cached.cache_info().hits
    assert split_address_line(line) == ("Doorniksestraat", "12", "3")
    assert _split_address_line_cached.cache_info().hits == hits + 1
    assert split_address_line(None) == (None, None, None)


@given(st.text(alphabet="itemscopeITEMSCOPE€İıK <>=", max_size=24))
@example("<div ITEMscope>")
@example("İtemscope")
def test_itemscope_mention_is_the_lower_case_test(html: str) -> None:
    assert _schemaorg._mentions_itemscope(html) == ("itemscope" in html.lower())


# -- Immovlan and realtor element walks -------------------------------------------

ROWS = [
    '<table><tr><td class="kenmerklabel">a</td><td class="kenmerk">1</td></tr></table>',
    '<table><tr><td class="kenmerklabel">a</td><td class="kenmerk x">1</td></tr></table>',
    '<table><tr><td class="kenmerklabel">a</td><td>no</td><td class="kenmerk">2</td></tr></table>',
    '<table><tr><td class="kenmerklabel">a</td><!-- c --><td class="kenmerk">3</td></tr></table>',
    '<table><tr><td class="kenmerklabel">a</td></tr></table>',
]


@pytest.mark.parametrize("page", ROWS)
def test_kenmerk_value_fast_path_equals_the_sibling_walk(page: str) -> None:
    label = next(parse_html(page).iter("td"))
    expected = next(
        (
            s
            for s in label.itersiblings("td")
            if has_token(s, "class", "kenmerk") or s.get("class") == "kenmerk"
        ),
        None,
    )
    assert _realtor._kenmerk_value(label) is expected
