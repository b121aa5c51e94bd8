"""Parsing a page from its UTF-8 bytes gives the same tree as parsing its decoded text.

:func:`~scrapers.extract._html.parse_html` reads the raw body when it is clean
UTF-8 (cheaper for libxml2 than the decoded text); these tests compare the two
trees node by node on generated markup, odd characters and encodings included.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from scrapers.extract._base import decode_body
from scrapers.extract._html import parse_document, parse_html


def _dump(node: Any) -> tuple[Any, ...]:
    """The whole tree below ``node``: tag, attributes, text, tail and children, in order."""
    return (
        str(node.tag),
        tuple(node.attrib.items()) if isinstance(node.tag, str) else (),
        node.text,
        node.tail,
        tuple(_dump(child) for child in node),
    )


PIECES = st.sampled_from(
    [
        "<html>",
        "</html>",
        "<!DOCTYPE html>",
        '<meta charset="iso-8859-1">',
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
        "<head><title>Te huur</title></head>",
        "<body>",
        '<div class="a  b">',
        "</div>",
        "<p>",
        "</p>",
        "<br>",
        "<!-- c -->",
        "<?pi x?>",
        '<script type="application/ld+json">{"a": "é"}</script>',
        "<td class=kenmerk>",
        "&amp;",
        "&euro;",
        "&#8364;",
        "&#0;",
        "€ 750",
        "café",
        "Ĳ",
        "😀",
        "\u00a0",
        "\t\n",
        "\x0b\x0c",
        "\x00",
        "\x7f",
        "\ufeff",
        "\ufffd",
        "<",
        ">",
        '"',
        "m²",
    ]
)


@given(st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=12))
@settings(max_examples=400)
@example(["<!DOCTYPE html>", "<html>", "<body>", "<p>", "€ 750", "</p>"])
@example(['<meta charset="iso-8859-1">', "<p>", "café", "</p>"])
@example(["\ufeff", "<p>", "a", "</p>"])
@example(["\x00", "<p>x</p>"])
def test_bytes_parse_equals_text_parse(pieces: list[str]) -> None:
    """Valid UTF-8 bytes and the text decoded from them give node-for-node the same tree."""
    body = "".join(pieces).encode("utf-8", "surrogatepass")
    text = decode_body(body)
    assert _dump(parse_html(text, body)) == _dump(parse_html(text))


@given(st.binary(max_size=40), st.sampled_from([b"<p>", b"<div>caf\xc3\xa9", b"\xef\xbb\xbf"]))
@example(b"\xff\xfe<p>a</p>", b"<p>")
@example(b"caf\xe9", b"<div>caf\xc3\xa9")
def test_any_bytes_parse_as_their_decoded_text(noise: bytes, start: bytes) -> None:
    """Any body (invalid UTF-8, a byte-order mark) gives the tree of its decoded text."""
    body = start + noise
    text = decode_body(body)
    assert _dump(parse_html(text, body)) == _dump(parse_html(text))


def test_a_page_charset_does_not_override_utf8() -> None:
    """A page that claims another charset is still read as the UTF-8 it was decoded from."""
    body = '<html><head><meta charset="iso-8859-1"></head><body><p>café €</p></body></html>'
    root = parse_html(body, body.encode())
    assert root.findtext(".//p") == "café €"


@given(st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=12))
@example(["<!DOCTYPE html>", "<p>", "a", "</p>"])
@example(["<html>", "\x00"])
def test_parse_document_equals_fromstring(pieces: list[str]) -> None:
    """``parse_document`` gives ``etree.fromstring``'s tree, or raises what it raises."""
    body = "".join(pieces).encode("utf-8", "surrogatepass")
    text = decode_body(body)
    try:
        expected = etree.fromstring(text, etree.HTMLParser())
    except (etree.ParserError, ValueError) as exc:
        with pytest.raises(type(exc)):
            parse_document(text, body)
        return
    found = parse_document(text, body)
    if expected is None:
        assert found is None
    else:
        assert _dump(found) == _dump(expected)
