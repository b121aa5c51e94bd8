"""Cheap HTML helpers for the extractors: one lxml parse per page, no BeautifulSoup.

The extractors used to read pages with BeautifulSoup (and a second parse by
extruct); these helpers give the same answers on one lxml tree at a fraction of
the cost. On the small pages the sites serve, walking the tree in Python
(``element.iter(tag)``) is cheaper than evaluating an XPath expression.

* :func:`parse_html` parses a page once (never raises: an empty or unreadable
  page gives an empty ``<html>`` element, as BeautifulSoup gave an empty soup);
* :func:`text_of` is BeautifulSoup's ``get_text(sep)``: the element's strings
  joined by ``sep``, without comments and without ``script``/``style``/``template``
  contents;
* :func:`iter_with_class` / :func:`iter_with_class_prefix` match one token of
  the ``class`` attribute (split on whitespace as BeautifulSoup splits it), as
  ``class_=`` and CSS class selectors do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree

__all__ = [
    "has_token",
    "iter_with_class",
    "iter_with_class_prefix",
    "leaf_text",
    "parse_document",
    "parse_html",
    "plain_page",
    "text_of",
    "text_reader",
]

_PARSER = etree.HTMLParser()
#: The same parser for UTF-8 bytes (the encoding given, so a page's own charset is not
#: used). Without the table of ``id`` attributes, which nothing here looks elements up by.
_UTF8_PARSER = etree.HTMLParser(encoding="utf-8", collect_ids=False)
#: A UTF-8 byte-order mark: such a body is parsed from its decoded text (which keeps it).
_UTF8_BOM = b"\xef\xbb\xbf"
#: Elements whose text BeautifulSoup's ``get_text`` leaves out.
_HIDDEN = frozenset({"script", "style", "template"})
#: Elements inside which BeautifulSoup keeps whitespace-only strings as they are.
_PRESERVE = frozenset({"pre", "textarea"})
#: What BeautifulSoup counts as whitespace when it collapses whitespace-only strings.
_ASCII_SPACES = " \n\t\x0c\r"


def parse_html(text: str, raw: str | bytes | None = None) -> Any:
    """Parse ``text`` into an lxml element tree and return its root; never raises.

    ``raw`` is the body ``text`` was decoded from, if at hand: see :func:`parse_document`.

    >>> parse_html("<p>a</p>").tag, parse_html("").tag
    ('html', 'html')
    >>> body = "<p>café</p>".encode()
    >>> parse_html(body.decode(), body).findtext(".//p")
    'café'
    """
    # ``not text.isspace()``: ``text.strip()`` is not empty, without copying the page
    if not text or text.isspace():
        return etree.Element("html")
    try:
        root = parse_document(text, raw)
    except (etree.ParserError, ValueError):
        root = None
    return root if root is not None else etree.Element("html")


def parse_document(text: str, raw: str | bytes | None = None) -> Any:
    """Return ``etree.fromstring(text, etree.HTMLParser())``, raising as it raises.

    ``raw`` is the body ``text`` was decoded from (as
    :func:`~scrapers.extract._body.decode_body` decodes it, UTF-8). When it is clean
    UTF-8 (no byte-order mark, nothing replaced while decoding), libxml2 reads those
    bytes directly, which is cheaper than handing it the decoded text and gives the
    same tree; otherwise, or when that parse gives nothing, ``text`` is parsed.

    >>> parse_document("<p>a</p>").findtext(".//p")
    'a'
    """
    if isinstance(raw, bytes) and not raw.startswith(_UTF8_BOM) and "\ufffd" not in text:
        try:
            root = etree.fromstring(raw, _UTF8_PARSER)
        except (etree.ParserError, ValueError):
            root = None  # the text parse below raises or answers as it always did
        if root is not None:
            return root
    return etree.fromstring(text, _PARSER)


def text_of(element: Any, sep: str = "") -> str:
    """Return the text of ``element`` as BeautifulSoup's ``get_text(sep)`` gives it.

    >>> root = parse_html("<div>a<!--c-->b<script>s</script><b>x</b>y</div>")
    >>> text_of(root.find(".//div"), " ")
    'a b x y'
    >>> text_of(root.find(".//b"))
    'x'
    """
    preserve = element.tag in _PRESERVE
    for ancestor in element.iterancestors():
        if ancestor.tag == "template":
            return ""  # BeautifulSoup leaves everything inside a template out
        preserve = preserve or ancestor.tag in _PRESERVE
    if not len(element):  # no children: just its own text (the common case)
        return _string(element.text, preserve) if element.text else ""
    parts: list[str] = []
    _strings(element, parts, preserve)
    return sep.join(parts)


def text_reader(root: Any) -> Callable[[Any, str], str]:
    """Return a function giving :func:`text_of` ``(element, sep)`` for the elements of a page.

    ``root`` is the page's root element (as :func:`parse_html` gives it). On a
    page without ``template``, ``pre`` or ``textarea`` elements (the usual case)
    the returned function skips :func:`text_of`'s walk over each element's
    ancestors, which only looks for those; otherwise it is :func:`text_of` itself.

    >>> root = parse_html("<div><p>a<b>b</b></p><p> </p></div>")
    >>> read = text_reader(root)
    >>> [read(p, " ") for p in root.iter("p")] == [text_of(p, " ") for p in root.iter("p")]
    True
    """
    if next(root.iter("template", "pre", "textarea"), None) is not None:
        return text_of
    return _plain_text_of


def _plain_text_of(element: Any, sep: str) -> str:
    """:func:`text_of` of an element with no template/pre/textarea around or inside it."""
    if not len(element):
        return _string(element.text, False) if element.text else ""
    parts: list[str] = []
    _strings(element, parts, False)
    return sep.join(parts)


def _string(text: str, preserve: bool) -> str:
    # BeautifulSoup turns a string of ASCII spaces (outside pre/textarea) into "\n" or " "
    if preserve or text.strip(_ASCII_SPACES):
        return text
    return "\n" if "\n" in text else " "


def _strings(node: Any, parts: list[str], preserve: bool) -> None:
    # document order: own text, then each child's strings followed by the child's tail
    if not isinstance(node.tag, str) or node.tag in _HIDDEN:
        return  # comments, processing instructions, script/style/template contents
    if node.text:
        parts.append(_string(node.text, preserve))
    for child in node:
        _strings(child, parts, preserve or child.tag in _PRESERVE)
        if child.tail:
            parts.append(_string(child.tail, preserve))


def has_token(element: Any, attribute: str, token: str) -> bool:
    """Return whether ``attribute`` of ``element`` has the whitespace-separated ``token``.

    >>> has_token(parse_html('<a rel="nofollow next">x</a>').find(".//a"), "rel", "next")
    True
    """
    value = element.get(attribute)
    # a token of value.split() is a substring of value: the cheap test skips most splits
    return bool(value) and token in value and token in value.split()


def plain_page(root: Any) -> bool:
    """Whether the page ``root`` has no ``template``, ``pre`` or ``textarea`` element.

    On such a page nothing hides or preserves text, so a childless element's
    :func:`text_of` is :func:`leaf_text` of its own ``.text``.

    >>> plain_page(parse_html("<p>a</p>")), plain_page(parse_html("<pre> </pre>"))
    (True, False)
    """
    return next(root.iter("template", "pre", "textarea"), None) is None


def leaf_text(text: str | None) -> str:
    r""":func:`text_of` of a childless element whose ``.text`` is ``text``, on a plain page.

    See :func:`plain_page`. BeautifulSoup turns a string of ASCII spaces into
    ``"\n"`` or ``" "`` and keeps any other string as it is.

    >>> leaf_text(" 3 "), leaf_text(" \n "), leaf_text(None)
    (' 3 ', '\n', '')
    """
    if not text:
        return ""
    if text.strip(_ASCII_SPACES):
        return text
    return "\n" if "\n" in text else " "


def iter_with_class(
    scope: Any, name: str, tag: str | None = None, *, self_too: bool = False
) -> Iterator[Any]:
    """Yield the elements under ``scope`` (in order) whose ``class`` has the token ``name``.

    ``self_too`` also tests ``scope`` itself (BeautifulSoup's ``soup.find`` on the
    whole document can return the root element).

    >>> root = parse_html('<p class="x kenmerk">a</p><p class="kenmerklabel">b</p>')
    >>> [text_of(p) for p in iter_with_class(root, "kenmerk")]
    ['a']
    """
    for element in scope.iter(tag or etree.Element):
        value = element.get("class")
        if (element is not scope or self_too) and value and name in value.split():
            yield element


def iter_with_class_prefix(
    scope: Any, prefix: str, tag: str | None = None, *, self_too: bool = False
) -> Iterator[Any]:
    """Yield the elements under ``scope`` (in order) with a class token starting ``prefix``.

    >>> root = parse_html('<p class="card_price__X1">a</p><p class="x_card_price__">b</p>')
    >>> [text_of(p) for p in iter_with_class_prefix(root, "card_price__")]
    ['a']
    """
    for element in scope.iter(tag or etree.Element):
        value = element.get("class")
        if (
            (element is not scope or self_too)
            and value
            and prefix in value
            and any(t.startswith(prefix) for t in value.split())
        ):
            yield element
