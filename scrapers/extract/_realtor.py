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
from scrapers.extract._base import Extraction, Problem, decode_body, detect_challenge
from scrapers.extract._cached import parse_price
from scrapers.extract._html import (
    has_token,
    iter_with_class,
    parse_html,
    text_reader,
)
from scrapers.extract._schemaorg import schema_listing
from scrapers.extract._urls import join_on_page
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
    host = urlparse(url).netloc.lower().removeprefix("www.")
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
    if _SALE_PATH.search(urlparse(url).path):
        return Problem(url, "sale", f"url={url!r}: a sale, not a rental", source_id, "url", url)
    return price_problem(url, source_id, price)


_NUMBERS = re.compile(r"\d{3,}")


def _list_links(root: Any) -> list[Any]:
    """``div.switch-view-container a[href], a[title='Meer info'][href]``, in document order."""
    return [
        a
        for a in root.iter("a")
        if a.get("href") is not None
        and (
            a.get("title") == "Meer info"
            or any(has_token(d, "class", "switch-view-container") for d in a.iterancestors("div"))
        )
    ]


def _id_from_url(url: str) -> str | None:
    numbers = _NUMBERS.findall(urlparse(url).path)
    return numbers[-1] if numbers else None


def _searchon_list_page(url: str, root: Any) -> Extraction:
    links = _unique([join_on_page(url, str(a.get("href"))) for a in _list_links(root)])
    nxt = next(
        (a for a in root.iter("a") if a.get("title") == "Volgende" and a.get("href") is not None),
        None,
    )
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


def _kenmerk_labels(root: Any) -> list[Any]:
    return list(iter_with_class(root, "kenmerklabel", "td", self_too=True))


def _searchon_list_detail(
    url: str, html: str, root: Any, office: Office, labels: list[Any] | None = None
) -> Extraction:
    facts: dict[str, Any] = {}
    text = text_reader(root)
    today = date.today()
    for label in _kenmerk_labels(root) if labels is None else labels:
        value = _kenmerk_value(label)
        if value is not None:
            facts.update(fact_fields_on(text(label, " "), text(value, " "), today))
    schema = schema_listing(html, url, root)
    base: dict[str, Any] = dict(schema.item) if schema is not None else {}
    source_id = str(facts.get("source_id") or base.get("source_id") or _id_from_url(url) or "")
    price_raw = facts.pop("price_raw", None) or (schema.price_text if schema else None)
    price = parse_price(price_raw)
    problem = _sale_problem(url, source_id or None, price)
    if problem is not None:
        return Extraction(problems=[problem])
    item = base
    item.update(facts)
    title_tag = next(root.iter("title"), None)
    title = clean(text(title_tag, " ")) if title_tag is not None else None
    item.setdefault("title", title)
    item.update(
        {
            "source": office.source,
            "source_id": source_id,
            "url": url,
            "price_raw": price_raw,
            "rent_eur": price.rent_eur,
            "agency_name": office.name,
        }
    )
    if price.charges_eur is not None and item.get("charges_eur") is None:
        item["charges_eur"] = price.charges_eur
    if item.get("property_type") is None:
        item["property_type"] = property_type_of(urlparse(url).path) or property_type_of(
            item.get("title")
        )
    return Extraction(items=[item])


@lru_cache(maxsize=64)
def _pattern(detail_pattern: str | None) -> re.Pattern[str]:
    return re.compile(detail_pattern or r"$^")


def _jsonld_page(url: str, html: str, root: Any, office: Office) -> Extraction:
    pattern = _pattern(office.detail_pattern)
    if pattern.search(urlparse(url).path):
        schema = schema_listing(html, url, root)
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
        if pattern.search(urlparse(link).path):
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
    root = parse_html(html)
    if office.template == "jsonld":
        return _jsonld_page(url, html, root, office)
    labels = _kenmerk_labels(root)
    if labels:
        return _searchon_list_detail(url, html, root, office, labels)
    return _searchon_list_page(url, root)


def extract(url: str, body: str | bytes) -> Extraction:
    """Extract a realtor page; the office is found by host in the bundled ``sources.yaml``.

    For a host that is not configured, pages of the ``searchon=list`` template are
    recognised by their markup; anything else is read as schema.org data.
    """
    office = office_for_url(url)
    if not any(office is known for known in _default_offices()):
        html = decode_body(body)
        if "kenmerklabel" in html or "switch-view-container" in html:
            office = replace(office, template="searchon_list", list_paths=(), detail_pattern=None)
        return extract_office(url, html, office)
    return extract_office(url, body, office)
