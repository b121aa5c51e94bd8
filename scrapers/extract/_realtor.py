"""Realtor-site extractor: the shared ``searchon=list`` template and a schema.org fallback.

Offices are configured in ``scrapers/sources.yaml`` under ``realtor.offices``;
each has a ``slug`` (listings get source ``realtor:<slug>``), a ``name``, a
``base_url`` and a ``template``:

``searchon_list``
    The site template of sources.md §11.2: list pages
    ``/te-huur?searchon=list&transactiontype=Rent&sorts={Dwelling|Flat}&pageindex={n}``
    with links in ``div.switch-view-container a`` / ``a[title='Meer info']`` and
    the next page in ``a[title='Volgende']``; detail pages with a facts table
    (``td.kenmerklabel`` / ``td.kenmerk``) and JSON-LD (``name, id, description,
    geo{latitude, longitude, address{...}}, additionalProperty[...]``).
``jsonld``
    Any office site: list pages are scanned for links matching the office's
    ``detail_pattern`` (a regular expression on the URL path) and ``a[rel=next]``;
    detail pages are read from schema.org JSON-LD / microdata with ``extruct``.

Adding an office is a YAML edit. No real page of either kind is stored: the
bundled recordings are assembled from the §11.2 description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import yaml

from listings._parse import Price
from scrapers.extract._base import Extraction, Problem
from scrapers.extract._body import decode_body, detect_challenge
from scrapers.extract._cached import parse_price
from scrapers.extract._html import (
    has_token,
    leaf_text,
    parse_html,
    plain_page,
    text_of,
)
from scrapers.extract._schemaorg import schema_listing
from scrapers.extract._urls import join_on_page, netloc_path, url_path
from scrapers.extract._values import clean, fact_fields_on, price_problem, property_type_of

__all__ = [
    "DEFAULT_SOURCES_YAML",
    "SEARCHON_LIST_PATHS",
    "TEMPLATES",
    "Office",
    "extract",
    "extract_office",
    "load_offices",
    "office_for_url",
]

#: The bundled source settings file holding ``realtor.offices``.
DEFAULT_SOURCES_YAML = Path(__file__).resolve().parent.parent / "sources.yaml"
#: Site templates an office can use.
TEMPLATES = ("searchon_list", "jsonld")
#: List pages of the ``searchon=list`` template (houses, then flats); ``{page}`` is 1-based.
SEARCHON_LIST_PATHS = (
    "/te-huur?searchon=list&transactiontype=Rent&sorts=Dwelling&pageindex={page}",
    "/te-huur?searchon=list&transactiontype=Rent&sorts=Flat&pageindex={page}",
)
_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_SALE_PATH = re.compile(r"/(te-koop|a-vendre|for-sale)(/|$)")


def _host_of(url: str) -> str:
    """Host name of ``url`` as offices are keyed: lower case, without ``www.``."""
    return netloc_path(url)[0].lower().removeprefix("www.")


@dataclass(frozen=True)
class Office:
    """One realtor office whose own website is crawled.

    >>> office = Office(slug="immopottelberg", name="Immo Pottelberg",
    ...                 base_url="https://www.immopottelberg.be")
    >>> office.source
    'realtor:immopottelberg'
    >>> office.start_urls()[0]
    'https://www.immopottelberg.be/te-huur?searchon=list&transactiontype=Rent&sorts=Dwelling&pageindex=1'
    """

    slug: str
    """Short name; listings get source ``realtor:<slug>``."""
    name: str
    """Office name as it presents itself (stored as ``agency_name``)."""
    base_url: str
    """Site root, ``https://www.example.be``."""
    template: str = "searchon_list"
    """``searchon_list`` (sources.md §11.2) or ``jsonld`` (generic schema.org fallback)."""
    list_paths: tuple[str, ...] = ()
    """List-page paths (``{page}`` is replaced by 1); default: the template's own."""
    detail_pattern: str | None = None
    """``jsonld`` offices: regular expression a detail page's URL path matches."""
    municipality: str | None = None
    """Municipality the office is located in (documentation only)."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    """Unknown YAML keys, kept for forward compatibility."""

    def __post_init__(self) -> None:
        if not _SLUG_RE.match(self.slug):
            raise ValueError(f"office slug={self.slug!r} must be lower-case letters, digits, -._")
        if self.template not in TEMPLATES:
            raise ValueError(
                f"office {self.slug!r}: template={self.template!r} is not one of {TEMPLATES}"
            )
        if not re.match(r"^https?://[^/\s]+", self.base_url):
            raise ValueError(f"office {self.slug!r}: base_url={self.base_url!r} is not a URL")
        if self.template == "jsonld" and not (self.list_paths and self.detail_pattern):
            raise ValueError(
                f"office {self.slug!r}: a jsonld office needs list_paths and detail_pattern"
            )

    @property
    def source(self) -> str:
        """Source slug of this office's listings: ``realtor:<slug>``."""
        return f"realtor:{self.slug}"

    @property
    def host(self) -> str:
        """Host name of the site, without ``www.``."""
        return urlparse(self.base_url).netloc.lower().removeprefix("www.")

    def start_urls(self) -> list[str]:
        """Return the first list page of each search, absolute."""
        paths = self.list_paths or (SEARCHON_LIST_PATHS if self.template == "searchon_list" else ())
        return [urljoin(self.base_url, p.replace("{page}", "1")) for p in paths]


def load_offices(path: str | Path | None = None) -> list[Office]:
    """Read ``realtor.offices`` from a sources YAML file (default: the bundled one).

    Raises :class:`ValueError` naming the file and the office on a bad entry.
    """
    file = Path(path) if path is not None else DEFAULT_SOURCES_YAML
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    realtor = data.get("realtor") or {}
    offices: list[Office] = []
    known = {"slug", "name", "base_url", "template", "list_paths", "detail_pattern", "municipality"}
    for entry in realtor.get("offices") or []:
        if not isinstance(entry, dict):
            raise ValueError(f"{file}: realtor.offices entry {entry!r} is not a mapping")
        try:
            offices.append(
                Office(
                    slug=str(entry["slug"]),
                    name=str(entry.get("name") or entry["slug"]),
                    base_url=str(entry["base_url"]).rstrip("/"),
                    template=str(entry.get("template") or "searchon_list"),
                    list_paths=tuple(str(p) for p in entry.get("list_paths") or ()),
                    detail_pattern=entry.get("detail_pattern"),
                    municipality=entry.get("municipality"),
                    extra={k: v for k, v in entry.items() if k not in known},
                )
            )
        except (KeyError, ValueError) as exc:
            raise ValueError(f"{file}: bad realtor office {entry!r}: {exc}") from exc
    return offices


@lru_cache(maxsize=1)
def _default_offices() -> tuple[Office, ...]:
    try:
        return tuple(load_offices())
    except FileNotFoundError:
        return ()


@lru_cache(maxsize=1)
def _default_hosts() -> dict[str, Office]:
    hosts: dict[str, Office] = {}
    for office in _default_offices():
        hosts.setdefault(office.host, office)  # the first office of a host wins, as before
    return hosts


def office_for_url(url: str, offices: list[Office] | None = None) -> Office:
    """Return the configured office serving ``url``, else an ad-hoc ``jsonld`` office.

    >>> office_for_url("https://www.example-immo.be/nl/te-huur/123").source
    'realtor:example-immo'
    """
    host = _host_of(url)
    if offices is None:
        found = _default_hosts().get(host)
        if found is not None:
            return found
    else:
        for office in offices:
            if office.host == host:
                return office
    slug = re.sub(r"[^a-z0-9-]+", "-", host.rsplit(".", 1)[0]).strip("-") or "unknown"
    return Office(
        slug=slug,
        name=host,
        base_url=f"{urlparse(url).scheme}://{urlparse(url).netloc}",
        template="jsonld",
        list_paths=("/",),
        detail_pattern=r"\d",
    )


def _unique(urls: list[str]) -> list[str]:
    return list(dict.fromkeys(urls))


def _sale_problem(url: str, source_id: str | None, price: Price) -> Problem | None:
    if _SALE_PATH.search(url_path(url)):
        return Problem(url, "sale", f"url={url!r}: a sale, not a rental", source_id, "url", url)
    return price_problem(url, source_id, price)


_NUMBERS = re.compile(r"\d{3,}")


def _list_anchors(root: Any) -> tuple[list[Any], Any]:
    """Return the list links and the first ``a[title='Volgende'][href]``.

    The list links are ``div.switch-view-container a[href], a[title='Meer info'][href]``,
    in document order.

    One pass over the ``a`` elements. Instead of walking each link's ancestors,
    the links inside a ``div.switch-view-container`` are collected from the
    containers first: an ``a`` has such a ``div`` ancestor exactly when it is a
    descendant of one. lxml keeps one Python proxy per element while it is
    referenced, so the set's members are the very objects ``root.iter`` yields.
    """
    inside: set[Any] = set()
    for div in root.iter("div"):
        if has_token(div, "class", "switch-view-container"):
            inside.update(div.iterdescendants("a"))
    links = []
    nxt = None
    for a in root.iter("a"):
        if a.get("href") is None:
            continue
        title = a.get("title")
        if title == "Meer info" or a in inside:
            links.append(a)
        if nxt is None and title == "Volgende":
            nxt = a
    return links, nxt


def _id_from_url(url: str) -> str | None:
    numbers = _NUMBERS.findall(url_path(url))
    return numbers[-1] if numbers else None


def _searchon_list_page(url: str, root: Any) -> Extraction:
    anchors, nxt = _list_anchors(root)
    # each link is on the page twice (picture and "Meer info"): join each href once;
    # joining is a function of the href, so the first occurrences stay in their order
    hrefs = _unique([str(a.get("href")) for a in anchors])
    links = _unique([join_on_page(url, href) for href in hrefs])
    return Extraction(
        links=links, next_page=join_on_page(url, str(nxt.get("href"))) if nxt is not None else None
    )


def _kenmerk_value(label: Any) -> Any:
    following = label.getnext()
    if following is not None and following.tag == "td" and following.get("class") == "kenmerk":
        return following  # the usual row: the value cell right after the label cell
    for sibling in label.itersiblings("td"):
        if has_token(sibling, "class", "kenmerk") or sibling.get("class") == "kenmerk":
            return sibling
    return None


def _kenmerk_rows(root: Any) -> list[tuple[Any, Any]]:
    """Each ``td.kenmerklabel`` of the page (the root too, in document order) with its value cell.

    The value cell is :func:`_kenmerk_value` of the label.

    One pass reads every ``td``'s class. The usual value cell is the next ``td``
    of that pass and the label's next sibling: then its class is already known.
    (lxml keeps one proxy per element while it is referenced, so ``getnext``
    gives the very object the pass holds.)
    """
    cells = [(td, td.get("class")) for td in root.iter("td")]
    rows = []
    for at, (td, value) in enumerate(cells, 1):
        # a token of value.split() is a substring of value: the value cells need no split
        if value and "kenmerklabel" in value and "kenmerklabel" in value.split():
            following = td.getnext()
            if at < len(cells) and cells[at][0] is following and cells[at][1] == "kenmerk":
                rows.append((td, following))  # as _kenmerk_value's first test finds it
            else:
                rows.append((td, _kenmerk_value(td)))
    return rows


def _kenmerk_texts(root: Any, rows: list[tuple[Any, Any]] | None = None) -> list[tuple[str, str]]:
    """``text_of(cell, " ")`` of the label and value cells of each facts row that has both.

    ``rows``: :func:`_kenmerk_rows` of the page, when already found. On a plain
    page (:func:`~scrapers.extract._html.plain_page`) two childless cells are
    read from their ``.text``.
    """
    plain = plain_page(root)
    texts = []
    for label, value in _kenmerk_rows(root) if rows is None else rows:
        if value is None:
            continue
        if plain and not len(label) and not len(value):  # the usual row: two text cells
            texts.append((leaf_text(label.text), leaf_text(value.text)))
        else:
            texts.append((text_of(label, " "), text_of(value, " ")))
    return texts


def _searchon_list_detail(
    url: str,
    html: str,
    root: Any,
    office: Office,
    rows: list[tuple[Any, Any]] | None = None,
    raw: str | bytes | None = None,
) -> Extraction:
    facts: dict[str, Any] = {}
    today = date.today()
    for label_text, value_text in _kenmerk_texts(root, rows):
        facts.update(fact_fields_on(label_text, value_text, today))
    schema = schema_listing(html, url, root, raw)
    base: dict[str, Any] = dict(schema.item) if schema is not None else {}
    source_id = str(facts.get("source_id") or base.get("source_id") or _id_from_url(url) or "")
    price_raw = facts.pop("price_raw", None) or (schema.price_text if schema else None)
    price = parse_price(price_raw)
    problem = _sale_problem(url, source_id or None, price)
    if problem is not None:
        return Extraction(problems=[problem])
    item = base
    item.update(facts)
    if "title" not in item:  # setdefault's value is only read when the key is missing
        title_tag = next(root.iter("title"), None)
        item["title"] = clean(text_of(title_tag, " ")) if title_tag is not None else None
    # one key at a time, in the order item.update({...}) set them: no second dict
    item["source"] = office.source
    item["source_id"] = source_id
    item["url"] = url
    item["price_raw"] = price_raw
    item["rent_eur"] = price.rent_eur
    item["agency_name"] = office.name
    if price.charges_eur is not None and item.get("charges_eur") is None:
        item["charges_eur"] = price.charges_eur
    if item.get("property_type") is None:
        item["property_type"] = property_type_of(url_path(url)) or property_type_of(
            item.get("title")
        )
    return Extraction(items=[item])


@lru_cache(maxsize=64)
def _pattern(detail_pattern: str | None) -> re.Pattern[str]:
    return re.compile(detail_pattern or r"$^")


def _jsonld_page(
    url: str, html: str, root: Any, office: Office, raw: str | bytes | None = None
) -> Extraction:
    pattern = _pattern(office.detail_pattern)
    if pattern.search(url_path(url)):
        schema = schema_listing(html, url, root, raw)
        if schema is None:
            return Extraction(
                problems=[Problem(url, "parse_error", "no schema.org listing data on the page")]
            )
        item = dict(schema.item)
        source_id = str(item.get("source_id") or _id_from_url(url) or "")
        problem = _sale_problem(url, source_id or None, parse_price(schema.price_text))
        if problem is None and schema.is_sale:
            problem = Problem(url, "sale", "schema.org offer is a sale", source_id or None)
        if problem is not None:
            return Extraction(problems=[problem])
        kind = item.get("property_type")
        if kind == "other":
            return Extraction(
                problems=[Problem(url, "not_residential", f"type={kind!r}", source_id)]
            )
        item.update(
            {
                "source": office.source,
                "source_id": source_id,
                "url": url,
                "agency_name": office.name,
            }
        )
        if item.get("property_type") is None:
            item["property_type"] = property_type_of(item.get("title"))
        return Extraction(items=[item])
    links = []
    for a in root.iter("a"):
        href = a.get("href")
        if href is None:
            continue
        link = join_on_page(url, str(href))
        if pattern.search(url_path(link)):
            links.append(link)
    nxt = next(
        (a for a in root.iter("a") if has_token(a, "rel", "next") or a.get("rel") == "next"),
        None,
    )
    next_page = (
        join_on_page(url, str(nxt.get("href"))) if nxt is not None and nxt.get("href") else None
    )
    return Extraction(links=_unique(links), next_page=next_page)


def extract_office(url: str, body: str | bytes, office: Office) -> Extraction:
    """Extract one page of ``office``'s site (list or detail page) with its template."""
    html = decode_body(body)
    challenge = detect_challenge(200, {}, html)
    if challenge:
        return Extraction(problems=[Problem(url, "challenge", challenge)], challenge=challenge)
    root = parse_html(html, body)
    if office.template == "jsonld":
        return _jsonld_page(url, html, root, office, body)
    rows = _kenmerk_rows(root)
    if rows:
        return _searchon_list_detail(url, html, root, office, rows, body)
    return _searchon_list_page(url, root)


def extract(url: str, body: str | bytes) -> Extraction:
    """Extract a realtor page; the office is found by host in the bundled ``sources.yaml``.

    For a host that is not configured, pages of the ``searchon=list`` template are
    recognised by their markup; anything else is read as schema.org data.
    """
    office = _default_hosts().get(_host_of(url))
    if office is None:
        # office_for_url finds no configured office either: it makes an ad-hoc one
        office = office_for_url(url)
        html = decode_body(body)
        if "kenmerklabel" in html or "switch-view-container" in html:
            office = replace(office, template="searchon_list", list_paths=(), detail_pattern=None)
        return extract_office(url, html, office)
    return extract_office(url, body, office)
