"""The third round of extractor fast paths equals the code they replace.

* the Immovlan fact-row reader equals the two element walks it replaces;
* :func:`~scrapers.extract._html.parse_html`'s empty-page test equals ``text.strip()``.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from scrapers.extract import _immovlan
from scrapers.extract._html import parse_html

# -- Immovlan ----------------------------------------------------------------------

ROW_PARTS = st.lists(
    st.sampled_from(["<h4>Label</h4>", "<p>1</p>", "<h4><p>x</p></h4>", "<!--c-->", "<b>y</b>"]),
    max_size=3,
)


@given(ROW_PARTS)
@example(["<h4>Slaapkamers</h4>", "<p>3</p>"])
@example(["<h4><p>x</p></h4>", "<p>1</p>"])
def test_row_cells_equal_the_element_walks(parts: list[str]) -> None:
    """The fact-row reader gives the first ``h4`` and ``p`` as ``row.iter`` finds them."""
    root = parse_html(f"<html><body><div>{''.join(parts)}</div></body></html>")
    row = next(root.iter("div"))
    label, value = _immovlan._row_cells(row)
    assert label is next(row.iter("h4"), None)
    assert value is next(row.iter("p"), None)


# -- parse_html ----------------------------------------------------------------------


@given(st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x85\u00a0\u2028a<", max_size=6))
def test_parse_html_empty_page_test_is_strip(text: str) -> None:
    """A page is empty for :func:`parse_html` exactly when ``text.strip()`` is empty."""
    empty = not (text and not text.isspace())
    assert empty == (not text.strip())
    if empty:
        assert parse_html(text).tag == "html"
        assert len(parse_html(text)) == 0
