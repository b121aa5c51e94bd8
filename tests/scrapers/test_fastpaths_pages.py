"""The Immovlan and realtor page readers' fast paths equal the general code they replace.

Each test compares a fast path with the plain, general code (``urlparse``, the
separate element walks, ``text_of``) on generated inputs: odd markup (nested
elements, comments, several matches, missing cells, class tokens with extra
whitespace, template/pre/textarea) and odd URLs, with ``@example``s of the
usual case.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from scrapers.extract import _immovlan, _realtor
from scrapers.extract._html import (
    has_token,
    iter_with_class,
    leaf_text,
    parse_html,
    plain_page,
    text_of,
    text_reader,
)
from scrapers.extract._urls import join_on_page, netloc_path, url_path
from scrapers.extract._values import clean

# -- shared generators ---------------------------------------------------------------

#: Class attribute values: the wanted tokens, look-alikes, and odd whitespace around them.
CLASS_WORDS = [
    "x",
    "kenmerk",
    "kenmerklabel",
    "kenmerklabelx",
    "switch-view-container",
    "list-item-price",
    "rented-flag",
    "flag-rented",
    "unrented",
    "data-row-wrapper",
    "general-info-wrapper",
    "detail__header_price_data",
    "search-results-count",
]
CLASS_VALUES = st.lists(st.sampled_from(CLASS_WORDS), max_size=3).flatmap(
    lambda words: st.sampled_from([" ", "  ", "\t", "\n ", "\x0c", "\u00a0"]).map(
        lambda sep: sep.join(words)
    )
)
TEXTS = st.sampled_from(["", "a", " ", "\n", " \n ", "\u00a0", "€ 750", "Slaapkamers:", " 2 "])
TAGS = ["div", "p", "span", "td", "a", "h2", "h3", "h4", "strong", "b", "pre", "template", "script"]


def _attributes(draw: Any) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append(f' class="{draw(CLASS_VALUES)}"')
    if draw(st.booleans()):
        parts.append(f' itemprop="{draw(st.sampled_from(["postalCode", "streetAddress", ""]))}"')
    if draw(st.booleans()):
        parts.append(f' href="{draw(st.sampled_from(["/nl/detail/x", "", "/a"]))}"')
    if draw(st.booleans()):
        parts.append(f' title="{draw(st.sampled_from(["Meer info", "Volgende", "x"]))}"')
    if draw(st.booleans()):
        parts.append(f' rel="{draw(st.sampled_from(["next", "nofollow  next", "nextx", ""]))}"')
    if draw(st.booleans()):
        parts.append(f' content="{draw(st.sampled_from(["", " ", "3", " 8500 "]))}"')
    return "".join(parts)


@st.composite
def markup(draw: Any, depth: int = 3, tags: list[str] = TAGS) -> str:
    """A fragment of nested elements, texts and comments."""
    out = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["element", "element", "text", "comment"]))
        if kind == "text":
            out.append(draw(TEXTS))
        elif kind == "comment":
            out.append("<!-- c -->")
        else:
            tag = draw(st.sampled_from(tags))
            inner = draw(markup(depth - 1, tags)) if depth > 0 else draw(TEXTS)
            out.append(f"<{tag}{_attributes(draw)}>{inner}</{tag}>")
    return "".join(out)


def _page(body: str) -> Any:
    return parse_html(f"<html><body>{body}</body></html>")


# -- text reads ------------------------------------------------------------------------


@given(markup())
@example('<div class="data-row-wrapper"><div><h4>Slaapkamers</h4><p>3</p></div></div>')
@example("<p> </p><p>\n</p><p></p><pre> </pre><template><p>x</p></template>")
@example('<h2 class="card-title"> <a href="/x">Huis te huur</a> </h2><h3><script>s</script>t</h3>')
@example("<h2>a<b>b</b>c</h2><h3><b> </b></h3><h4><!-- c --></h4>")
def test_leaf_reads_equal_text_of(body: str) -> None:
    """A plain page's childless element reads as ``text_of``; ``_cleaned`` as its ``clean``."""
    root = _page(body)
    plain = plain_page(root)
    assert plain == (next(root.iter("template", "pre", "textarea"), None) is None)
    for element in root.iter():
        if plain and isinstance(element.tag, str) and not len(element):
            assert leaf_text(element.text) == text_of(element, " ")
    reader = text_reader(root)
    for element in root.iter():
        expected = clean(text_of(element, " "))
        assert _immovlan._cleaned(element, plain, text_of) == expected
        assert _immovlan._cleaned(element, plain, reader) == expected


# -- Immovlan ----------------------------------------------------------------------------

URL_TAILS = st.text(alphabet="ab/-09?#;[] \t\n%é.:\x7f", max_size=14)


@given(
    st.sampled_from(
        ["https://immovlan.be", "https://immovlan.be/", "http://x.be/", " https://immovlan.be/"]
    ),
    URL_TAILS,
)
@example("https://immovlan.be/", "nl/detail/huis/te-huur/8500/kortrijk/rbu1")
@example("https://immovlan.be/", "nl/vastgoed?transactiontypes=te-huur&page=2")
@example("https://immovlan.be/", "nl/a;b/c?d#e")
@example("https://immovlan.be", "[]")
@example("https://immovlan.be/", "a#b?c")
def test_immovlan_path_of_is_urlparse(prefix: str, tail: str) -> None:
    """The Immovlan URL path is what ``urlparse`` gives, queries and fragments included."""
    url = prefix + tail
    try:
        expected = urlparse(url).path
    except ValueError as exc:
        with pytest.raises(ValueError, match=re.escape(str(exc))):
            url_path(url)
        return
    assert url_path(url) == expected


#: ``parse_detail_url`` as it was: ``_DETAIL`` with its first group names, on ``urlparse``'s path.
_GENERAL_DETAIL = re.compile(
    r"^/(?P<lang>nl|fr|en)/(?P<kind>detail|projectdetail)/(?P<type>[^/]+)/(?P<deal>[^/]+)/"
    r"(?P<pc>\d{4})/(?P<city>[^/]+)/(?P<ref>[A-Za-z0-9]+)/?$"
)


def _general_detail_url(url: str) -> dict[str, str] | None:
    match = _GENERAL_DETAIL.match(urlparse(url).path)
    if not match:
        return None
    return {
        "kind": match.group("kind"),
        "type": match.group("type"),
        "deal": match.group("deal"),
        "postcode": match.group("pc"),
        "city": match.group("city"),
        "source_id": match.group("ref"),
    }


SEGMENTS = st.text(alphabet="ab-9 ?#;%é\t\n/[]٣\x7f", min_size=0, max_size=5)


@given(
    st.sampled_from(["https://immovlan.be/", "http://immovlan.be/", "https://immovlan.bex/"]),
    st.sampled_from(["nl", "fr", "de"]),
    st.sampled_from(["detail", "projectdetail", "vastgoed"]),
    st.lists(SEGMENTS, min_size=3, max_size=3),
    st.sampled_from(["8500", "850", "٣٣٣٣", "85a0"]),
    st.sampled_from(["rbu1", "RBU61234/", "rb-1", "x?y=1", "rbu1#f", "rbu1\n", ""]),
)
@example("https://immovlan.be/", "nl", "detail", ["huis", "te-huur", "kortrijk"], "8500", "rbu1")
@example("https://immovlan.be/", "nl", "detail", ["huis", "te-huur", "kortrijk"], "8500", "rbu1/")
@example("https://immovlan.be/", "fr", "projectdetail", ["a b", "x;y", "k"], "8500", "x?y=1")
def test_parse_detail_url_equals_the_general_parse(
    root: str, lang: str, kind: str, segments: list[str], postcode: str, ref: str
) -> None:
    """The whole-URL pattern gives what ``_DETAIL`` on ``urlparse``'s path gives."""
    type_, deal, city = segments
    url = f"{root}{lang}/{kind}/{type_}/{deal}/{postcode}/{city}/{ref}"
    try:
        expected = _general_detail_url(url)
    except ValueError as exc:  # a bracket in the host: both raise the same error
        with pytest.raises(ValueError, match=re.escape(str(exc))):
            _immovlan.parse_detail_url(url)
        return
    assert _immovlan.parse_detail_url(url) == expected


@given(markup(), st.sampled_from(["search-results-count", "detail__header_price_data", "x"]))
@example('<span class="search-results-count">21</span>', "search-results-count")
@example('<span class="x\tsearch-results-count ">1</span>', "search-results-count")
def test_first_with_class_equals_iter_with_class(body: str, name: str) -> None:
    """The first element with a class token is ``iter_with_class``'s first, root included."""
    root = _page(body)
    expected = next(iter_with_class(root, name, self_too=True), None)
    assert _immovlan._first_with_class(root, name) is expected


CARD_TAGS = ["a", "h2", "h3", "strong", "span", "p", "meta", "div", "b"]


def _itemprops_walk(article: Any) -> dict[str, Any]:
    """The first descendant of ``article`` for each ``itemprop`` value, in document order."""
    found: dict[str, Any] = {}
    for element in article.iter(etree.Element):
        name = element.get("itemprop")
        if name is not None and element is not article and name not in found:
            found[name] = element
    return found


def _rented_flag_walk(article: Any) -> Any:
    """The first descendant of ``article`` with a rented-flag class token."""
    for element in article.iter(etree.Element):
        tokens = (element.get("class") or "").split()
        if element is not article and ("rented-flag" in tokens or "flag-rented" in tokens):
            return element
    return None


def _assert_card_walk(article: Any) -> tuple[Any, Any, Any, dict[str, Any], Any]:
    """The one card walk finds what a separate walk for each part finds; return its parts."""
    parts = _immovlan._card_parts(article)
    link, price_tag, flag, props, title_tag = parts
    assert link is next((a for a in article.iter("a") if a.get("href") is not None), None)
    assert price_tag is next(iter_with_class(article, "list-item-price", "strong"), None)
    assert flag is _rented_flag_walk(article)
    assert props == _itemprops_walk(article)
    assert title_tag is next((h for h in article.iter("h2", "h3") if h is not article), None)
    return parts


#: Odd cards: duplicate props, a class on the article itself, near-miss class names.
CARDS = [
    '<article><h2><a href="/x">T</a></h2><strong class="list-item-price">€ 700</strong>'
    '<span itemprop="postalCode">8500</span><span itemprop="postalCode">9000</span>'
    '<meta itemprop="numberOfBedrooms" content="2"></article>',
    '<article><h3>A</h3><h2>B</h2><span class="list-item-price">no</span>'
    '<strong class="x list-item-price">€ 1</strong><strong class="list-item-price">€ 2</strong>'
    '<div class="flag-rented">Verhuurd</div><i class="unrented">x</i></article>',
    '<article class="rented-flag" itemprop="self"><p class="prented rented-flagx">x</p>'
    '<p class="a rented-flag">Verhuurd</p><!-- c --><p itemprop="">e</p></article>',
    "<article></article>",
]


@pytest.mark.parametrize("card", CARDS)
def test_card_walk_on_odd_cards(card: str) -> None:
    """The card walk on hand-made odd cards (the article's own attributes do not count)."""
    _assert_card_walk(next(parse_html(card).iter("article")))


@given(markup(tags=CARD_TAGS))
@example(
    '<h2 class="card-title"><a href="/nl/detail/huis/te-huur/8540/deerlijk/rbu1">Huis</a></h2>'
    '<strong class="list-item-price">€ 830</strong><p itemprop="address">'
    '<span itemprop="streetAddress">Harelbeekstraat 12</span> <span itemprop="postalCode">8540'
    '</span></p><meta itemprop="numberOfBedrooms" content="3">'
)
@example('<a>no href</a><a href="">x</a><h3>t</h3><h2>u</h2><i class="unrented rented-flag">V</i>')
def test_card_walk_equals_the_separate_walks(body: str) -> None:
    """The one card walk finds what the separate walks found, and ``_prop`` reads the same."""
    article = next(_page(f"<article>{body}</article>").iter("article"))
    props = _assert_card_walk(article)[3]
    root = article.getroottree().getroot()
    plain = plain_page(root)
    for name in props:
        tag = props[name]
        expected = clean(str(tag.get("content") or "")) or clean(text_of(tag, " "))
        assert _immovlan._prop(props, name, plain, text_reader(root)) == expected


DETAIL_TAGS = ["div", "p", "h4", "span", "b", "pre", "template"]


def _general_fact_rows(root: Any) -> list[Any]:
    rows = []
    for div in root.iter("div"):
        parent = div.getparent()
        if (
            parent is not None
            and has_token(parent, "class", "data-row-wrapper")
            and any(has_token(a, "class", "general-info-wrapper") for a in parent.iterancestors())
        ):
            rows.append(div)
    return rows


@given(markup(tags=DETAIL_TAGS))
@example(
    '<div class="general-info-wrapper"><div class="data-row-wrapper"><div><h4>Aantal '
    "slaapkamers</h4><p>3</p></div><!-- c --><div><h4>Bewoonbare oppervlakte</h4>"
    "<p>115 m²</p></div></div></div>"
)
@example(
    '<div class="general-info-wrapper"><div class="data-row-wrapper"><div><h4> </h4><p>\n</p>'
    "</div><div><h4><b>a</b></h4><p>1</p></div><div><p>no label</p></div></div></div>"
)
@example(
    '<div class="x general-info-wrapper"><pre>p</pre><div class="data-row-wrapper">'
    "<div><h4>a</h4><p> b </p></div></div></div>"
)
@example(
    '<template><div class="general-info-wrapper"><div class="data-row-wrapper"><div><h4>a</h4>'
    '<p>1</p></div></div></div></template><pre><div class="general-info-wrapper">'
    '<div class="data-row-wrapper"><div><h4>  </h4><p>2</p></div></div></div></pre>'
)
def test_detail_facts_equal_the_general_reads(body: str) -> None:
    """Detail walk, fact rows and their texts equal the separate walks and ``text_of``."""
    root = _page(body)
    price_tag, wrappers = _immovlan._detail_elements(root)
    assert price_tag is next(
        iter_with_class(root, "detail__header_price_data", self_too=True), None
    )
    assert wrappers == list(iter_with_class(root, "data-row-wrapper", self_too=True))
    rows = _immovlan._fact_rows(root, wrappers)
    assert rows == _general_fact_rows(root)
    expected = []
    for row in rows:
        label, value = next(row.iter("h4"), None), next(row.iter("p"), None)
        if label is not None and value is not None:
            expected.append((text_of(label, " "), text_of(value, " ")))
    assert _immovlan._fact_texts(rows, plain_page(root)) == expected


#: Odd detail pages: rows outside the info block, nested wrappers, two price tags.
DETAILS = [
    '<div class="general-info-wrapper"><div class="data-row-wrapper"><div><h4>a</h4></div>'
    "<p>x</p><div><h4>b</h4></div></div></div>",
    '<div class="data-row-wrapper"><div>a</div></div>',
    '<div class="general-info-wrapper"><div class="data-row-wrapper"><div>a'
    '<div class="data-row-wrapper"><div>inner</div></div></div><div>b</div></div></div>',
    '<span class="detail__header_price_data">€ 1</span><b class="detail__header_price_data">2</b>',
    "<p>nothing</p>",
]


@pytest.mark.parametrize("page", DETAILS)
def test_fact_rows_on_odd_detail_pages(page: str) -> None:
    """Fact rows equal the general walk, with and without the wrappers found first."""
    root = parse_html(page)
    price_tag, wrappers = _immovlan._detail_elements(root)
    assert price_tag is _immovlan._first_with_class(root, "detail__header_price_data")
    expected = _general_fact_rows(root)
    assert _immovlan._fact_rows(root, wrappers) == expected
    assert _immovlan._fact_rows(root) == expected


# -- realtor -----------------------------------------------------------------------------

REALTOR_URL_TAILS = st.text(alphabet="ab/-0?#;[]@: \t\n%é.\\\x7f", max_size=14)


@given(
    st.sampled_from(
        ["https://", "http://", "HTTPS://", "https:/", "ftp://", " https://", "https://www."]
    ),
    REALTOR_URL_TAILS,
)
@example("https://", "www.immopottelberg.be/te-huur/kortrijk/huis/4312001")
@example("https://", "www.immopottelberg.be/te-huur?searchon=list&pageindex=1")
@example("https://", "www.x.be/te-koop/a;p?q#f")
@example("https://", "[::1]/a")
@example("https://", "x.be#/a?b")
def test_netloc_path_is_urlparse(prefix: str, tail: str) -> None:
    """Host and path of a URL are ``urlparse``'s, for plain and unusual URLs."""
    url = prefix + tail
    try:
        parts = urlparse(url)
        expected = (parts.netloc, parts.path)
    except ValueError as exc:
        with pytest.raises(ValueError, match=re.escape(str(exc))):
            netloc_path(url)
        return
    assert netloc_path(url) == expected
    assert url_path(url) == expected[1]
    assert _realtor._host_of(url) == expected[0].lower().removeprefix("www.")


@given(
    st.sampled_from(
        [
            "https://www.immopottelberg.be/te-huur/kortrijk/huis/4312001",
            "https://WWW.Immopottelberg.be/x",
            "http://immopottelberg.be",
            "https://www.meuleman-loeters.be/te-huur?searchon=list",
            "https://www.example-immo.be/nl/te-huur/123",
            "https://immopottelberg.be.evil.com/",
        ]
    )
)
def test_configured_office_lookup_equals_office_for_url(url: str) -> None:
    """``extract``'s host lookup finds exactly the configured office ``office_for_url`` finds."""
    found = _realtor._default_hosts().get(_realtor._host_of(url))
    office = _realtor.office_for_url(url)
    known = any(office is k for k in _realtor._default_offices())
    assert (found is not None) == known
    if found is not None:
        assert found is office


TABLE_TAGS = ["td", "td", "tr", "table", "b", "span", "pre", "template"]


@given(markup(tags=TABLE_TAGS))
@example(
    '<table><tr><td class="kenmerklabel">Slaapkamers:</td><td class="kenmerk">3</td></tr>'
    '<tr><td class="kenmerklabel">Prijs</td><td class="kenmerk">€ 950 / maand</td></tr></table>'
)
@example(
    '<table><tr><td class=" kenmerklabel\t">a<table><tr><td class="kenmerk">in</td></tr>'
    '</table></td><!-- c --><td class="kenmerk x">1</td></tr>'
    '<tr><td class="kenmerklabel">b</td><td>no</td><td class="kenmerk">2</td></tr>'
    '<tr><td class="kenmerklabel"> </td></tr></table>'
)
@example(
    '<template><table><tr><td class="kenmerklabel">Slaapkamers:</td><td class="kenmerk">3</td>'
    '</tr></table></template><pre><table><tr><td class="kenmerklabel">a</td>'
    '<td class="kenmerk">  </td></tr></table></pre>'
)
def test_kenmerk_rows_equal_the_label_and_value_walks(body: str) -> None:
    """Label cells, their value cells and their texts equal the separate walks and ``text_of``."""
    root = _page(body)
    labels = list(iter_with_class(root, "kenmerklabel", "td", self_too=True))
    rows = _realtor._kenmerk_rows(root)
    assert rows == [(label, _realtor._kenmerk_value(label)) for label in labels]
    expected = [
        (text_of(label, " "), text_of(value, " ")) for label, value in rows if value is not None
    ]
    assert _realtor._kenmerk_texts(root, rows) == expected
    assert _realtor._kenmerk_texts(root) == expected


LIST_TAGS = ["div", "div", "a", "a", "h3", "p", "span"]


def _general_list_links(root: Any) -> list[Any]:
    return [
        a
        for a in root.iter("a")
        if a.get("href") is not None
        and (
            a.get("title") == "Meer info"
            or any(has_token(d, "class", "switch-view-container") for d in a.iterancestors("div"))
        )
    ]


@given(markup(tags=LIST_TAGS))
@example(
    '<div class="switch-view-container"><div class="pand"><a href="/te-huur/kortrijk/huis/1">'
    '<img src="x.jpg"></a><a href="/te-huur/kortrijk/huis/1" title="Meer info">Meer info</a>'
    '</div></div><div class="paging"><a href="/te-huur?pageindex=2" title="Volgende">V</a></div>'
)
@example(
    '<div class="switch-view-container"><div class="x switch-view-container"><a href="/a">a</a>'
    '</div></div><a title="Meer info" href="/b">b</a><a title="Volgende">no href</a>'
    '<a title="Volgende" href="/c">c</a><a href="/a" title="Meer info">again</a>'
)
@settings(max_examples=200)
def test_list_anchors_equal_the_ancestor_walks(body: str) -> None:
    """List links, next link and the joined links equal the per-link ancestor walks."""
    root = _page(body)
    links, nxt = _realtor._list_anchors(root)
    expected = _general_list_links(root)
    assert links == expected
    assert nxt is next(
        (a for a in root.iter("a") if a.get("title") == "Volgende" and a.get("href") is not None),
        None,
    )
    url = "https://www.immopottelberg.be/te-huur?searchon=list&pageindex=1"
    page = _realtor._searchon_list_page(url, root)
    joined = [join_on_page(url, str(a.get("href"))) for a in expected]
    assert page.links == list(dict.fromkeys(joined))
    assert page.next_page == (join_on_page(url, str(nxt.get("href"))) if nxt is not None else None)


@given(markup(tags=["a", "span", "div", "h1"]))
@example(
    '<h1>Vastgoed (<span class="search-results-count">21</span>)</h1>'
    '<ul class="pagination"><a rel="nofollow" href="/1">1</a><a rel="next" href="/2">2</a></ul>'
)
@example('<a rel="nextx" href="/1">1</a><a rel=" next\t" href="">2</a><a rel="next">3</a>')
def test_search_page_counter_and_next_link(body: str) -> None:
    """The search page's counter and next page equal the general walks' answers."""
    root = _page(body)
    url = "https://immovlan.be/nl/vastgoed?transactiontypes=te-huur&page=1"
    result = _immovlan._extract_search(url, root)
    counter = next(iter_with_class(root, "search-results-count", self_too=True), None)
    total = None
    if counter is not None:
        total = _immovlan.parse_int(text_of(counter).replace(".", ""))
    assert result.total == total
    nxt = next((a for a in root.iter("a") if has_token(a, "rel", "next")), None)
    expected = None
    if nxt is not None and nxt.get("href"):
        expected = join_on_page(url, str(nxt.get("href")))
    assert result.next_page == expected
