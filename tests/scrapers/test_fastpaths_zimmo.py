"""Zimmo's detail-page shortcuts equal the XPath expressions they replace.

* ``_feature_labels`` finds what ``_FEATURE_LABELS`` (the class-token XPath) finds;
* ``_string`` is XPath ``string()`` of any element, childless or not.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from scrapers.extract import _zimmo
from scrapers.extract._html import parse_html

PIECES = st.sampled_from(
    [
        '<strong class="feature-label">',
        '<strong class="x  feature-label\t">',
        '<span class="feature-labels">',
        '<span class="FEATURE-LABEL">',
        '<li class="feature">',
        '<span class="feature-value">',
        "</strong>",
        "</span>",
        "</li>",
        "<!-- c -->",
        "<script>s</script>",
        "<b>x</b>",
        "Vrij op",
        " 3 ",
        "&amp;",
        "\n",
        "m²",
    ]
)


@given(st.lists(PIECES, max_size=12))
@example(
    [
        '<li class="feature">',
        '<strong class="feature-label">',
        "Vrij op",
        "</strong>",
        '<span class="feature-value">',
        " 3 ",
        "</span>",
        "</li>",
    ]
)
@example(['<strong class="x  feature-label\t">', "<!-- c -->", "Type", "</strong>"])
def test_feature_labels_and_strings_equal_xpath(pieces: list[str]) -> None:
    """The labels are the XPath's, and each element's string is XPath ``string()``."""
    root = parse_html(f"<!DOCTYPE html><html><body>{''.join(pieces)}</body></html>")
    assert _zimmo._feature_labels(root) == _zimmo._FEATURE_LABELS(root)
    for element in root.iter():
        if isinstance(element.tag, str):
            assert _zimmo._string(element) == _zimmo._STRING(element)
