"""The extractors' fast paths give exactly what the slow, general code gives.

* URL joins (:mod:`scrapers.extract._urls`) equal ``urllib.parse.urljoin``;
* :func:`~scrapers.extract._html.text_of` equals BeautifulSoup's ``get_text``;
* the cheap JSON-LD path of :func:`~scrapers.extract._schemaorg.schema_objects`
  equals a full ``extruct`` run, and pages with microdata still get extruct;
* the memoised parsers equal :mod:`listings._parse`.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urljoin

import extruct  # type: ignore[import-untyped]
import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from listings import _parse
from scrapers.extract import _cached
from scrapers.extract._html import (
    has_token,
    iter_with_class,
    iter_with_class_prefix,
    parse_html,
    text_of,
)
from scrapers.extract._schemaorg import schema_listing, schema_objects
from scrapers.extract._urls import join_on_page, join_path, join_scheme, join_url
from scrapers.extract._values import clean

URL_CHARS = st.text(alphabet="ab/.?#;:%[]@ -~é\t\n\\+AB09", max_size=14)
PREFIXES = st.sampled_from(["/", "//", "", "?", "#", "http://", "https://", "HTTPS://", "./"])
BASES = st.sampled_from(
    [
        "https://www.immopottelberg.be/te-huur?searchon=list&pageindex=1",
        "https://x.be",
        "HTTPS://X.be/a/b/",
        "https://u@x.be:80/a;p?q#f",
        "https://x.be/a/../b",
    ]
)


def _same(fast: object, base: str, url: str) -> None:
    try:
        expected: object = urljoin(base, url)
    except ValueError:
        expected = ValueError
    try:
        got: object = fast(base, url)  # type: ignore[operator]
    except ValueError:
        got = ValueError
    assert got == expected, (base, url)


@given(PREFIXES, URL_CHARS)
def test_join_path_is_urljoin_on_a_site_root(prefix: str, rest: str) -> None:
    _same(join_path, "https://www.2dehands.be", prefix + rest)


@given(URL_CHARS)
def test_join_scheme_is_urljoin_on_a_bare_scheme(rest: str) -> None:
    _same(join_scheme, "https:", "//" + rest)


@given(BASES, PREFIXES, URL_CHARS)
def test_join_url_and_join_on_page_are_urljoin(base: str, prefix: str, rest: str) -> None:
    _same(join_url, base, prefix + rest)
    _same(join_on_page, base, prefix + rest)


@pytest.mark.parametrize(
    ("base", "url", "expected"),
    [
        ("https://www.2dehands.be", "/v/huizen/m1-x", "https://www.2dehands.be/v/huizen/m1-x"),
        ("https://x.be/a?p=1", "/b/c", "https://x.be/b/c"),
        ("https://x.be/a?p=1", "?p=2", "https://x.be/a?p=2"),
        ("https://x.be/a?p=1", "/b/./c", "https://x.be/b/c"),
    ],
)
def test_join_examples(base: str, url: str, expected: str) -> None:
    assert join_on_page(base, url) == expected == urljoin(base, url)


SNIPPETS = [
    "<div>a<!--c-->b<script>s</script><b>x</b>y <style>z</style></div>",
    "<div>\n  <span>€</span>750<br>per maand  </div>",
    "<div><p>one</p><p>two<i>three</i>four</p>five</div>",
    "<div></div>",
    "<div>only</div>",
    "<div>a<b>x</b>\n\n\n<i>y</i>\t\t</div>",
    "<div>   x   </div>",
    "<div>x<span>   </span>y<pre>  <b>p</b>  </pre>\u00a0</div>",
    "<div><!-- c -->  <template><p>t</p></template>z</div>",
]


@pytest.mark.parametrize("snippet", SNIPPETS)
@pytest.mark.parametrize("sep", ["", " "])
def test_text_of_is_beautifulsoup_get_text(snippet: str, sep: str) -> None:
    soup = BeautifulSoup(snippet, "lxml")
    element = parse_html(snippet).find(".//div")
    assert text_of(element, sep) == soup.div.get_text(sep)


@given(st.text(alphabet=" \t\n\u00a0\u202fab\u2003\x1c", max_size=20))
def test_clean_collapses_like_the_regex(text: str) -> None:
    import re

    expected = re.sub(r"[\s\u00a0\u202f]+", " ", text).strip() or None
    assert clean(text) == expected


def test_class_token_matching_is_per_token() -> None:
    root = parse_html(
        '<div class="a kenmerk"><td class="kenmerklabel x">1</td>'
        '<span class="property-card_price__X">2</span><span class="no_property-card_">3</span>'
        '<a rel="nofollow next">n</a></div>'
    )
    assert [e.tag for e in iter_with_class(root, "kenmerk")] == ["div"]
    assert [text_of(e) for e in iter_with_class_prefix(root, "property-card_")] == ["2"]
    div = root.find(".//div")
    assert list(iter_with_class(div, "kenmerk")) == []
    assert list(iter_with_class(div, "kenmerk", self_too=True)) == [div]
    assert has_token(root.find(".//a"), "rel", "next")
    assert not has_token(root.find(".//a"), "rel", "nex")


def test_parse_html_never_raises() -> None:
    assert parse_html("").tag == "html"
    assert parse_html("   \n").tag == "html"
    assert parse_html("<p>x").find(".//p").text == "x"


JSONLD_PAGE = """<!DOCTYPE html><html><head><title>t</title>
<script type="application/ld+json">
// a comment line that strict JSON refuses
{"@context": "https://schema.org", "@type": "RealEstateListing", "name": "Huis te huur",
 "offers": {"@type": "Offer", "price": "830"},
 "about": {"@type": "House", "numberOfBedrooms": 3,
           "address": {"@type": "PostalAddress", "postalCode": "8540"}}}
</script>
<script type="application/ld+json">[{"@type": "Apartment", "floorSize": {"value": 60}}, {}]</script>
<script type="text/javascript">var x = {"@type": "House"};</script>
</head><body><p>x</p></body></html>"""

MICRODATA_PAGE = """<!DOCTYPE html><html><head><title>t</title>
<script type="application/ld+json">{"@type": "RealEstateListing", "name": "Studio"}</script>
</head><body><div itemscope itemtype="https://schema.org/Apartment">
<span itemprop="numberOfBedrooms">2</span></div></body></html>"""


def _extruct_objects(html: str, url: str) -> list[dict[str, object]]:
    data = extruct.extract(
        html, base_url=url, syntaxes=["json-ld", "microdata"], uniform=True, errors="ignore"
    )
    found: list[dict[str, object]] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if value.get("@type"):
                found.append(value)
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(data.get("json-ld", []))
    walk(data.get("microdata", []))
    return found


@pytest.mark.parametrize("page", [JSONLD_PAGE, MICRODATA_PAGE])
def test_schema_objects_on_a_parsed_tree_equal_a_full_extruct_run(page: str) -> None:
    url = "https://www.example.be/te-huur/123"
    expected = _extruct_objects(page, url)
    assert schema_objects(page, url, parse_html(page)) == expected
    assert schema_objects(page, url) == expected


def test_microdata_is_still_read_when_the_page_has_it() -> None:
    found = schema_listing(MICRODATA_PAGE, "https://x.be/1", parse_html(MICRODATA_PAGE))
    assert found is not None
    assert found.item["bedrooms"] == 2
    assert found.item["title"] == "Studio"


def test_cached_parsers_equal_the_originals() -> None:
    for text in ["€ 750", "€ 700 + € 50 kosten", "Verhuurd", None, "", "op aanvraag"]:
        assert _cached.parse_price(text) == _parse.parse_price(text)
    for text in ["75 m²", "C (245 kWh/m²)", "2", "-1", None]:
        assert _cached.parse_area(text) == _parse.parse_area(text)
        assert _cached.parse_epc(text) == _parse.parse_epc(text)
        assert _cached.parse_int(text, signed=True) == _parse.parse_int(text, signed=True)
    for text in ["onmiddellijk", "Vrij op 01/12/2026", "in overleg", "1/12", None]:
        assert _cached.parse_availability(text) == _parse.parse_availability(
            text, today=date.today()
        )


@pytest.mark.parametrize("snippet", SNIPPETS)
def test_text_of_every_element_is_beautifulsoup_get_text(snippet: str) -> None:
    from lxml import etree

    soup_tags = BeautifulSoup(snippet, "lxml").find_all(True)
    lxml_tags = list(parse_html(snippet).iter(etree.Element))
    assert [t.name for t in soup_tags] == [e.tag for e in lxml_tags]
    for tag, element in zip(soup_tags, lxml_tags, strict=True):
        if tag.name not in ("script", "style", "template"):
            assert text_of(element, " ") == tag.get_text(" "), tag.name
