"""Pure per-source extractors: URL + body → listings, problems, links (no Scrapy).

Each source module has ``extract(url, body) -> Extraction``; this package maps
source slugs to those functions and imports them lazily.

>>> sorted(EXTRACTORS)
['2dehands', 'immoscoop', 'immovlan', 'immoweb', 'realtor', 'zimmo']
>>> source_slug("realtor:vastgoed-demo")
'realtor'
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from importlib.machinery import EXTENSION_SUFFIXES

from scrapers.extract._base import (
    Extraction,
    Problem,
    detect_challenge,
    merge_items,
)

__all__ = [
    "EXTRACTORS",
    "Extraction",
    "Extractor",
    "Problem",
    "compiled_modules",
    "detect_challenge",
    "extract",
    "get_extractor",
    "merge_items",
    "source_slug",
]

#: A pure extractor: ``(url, body) -> Extraction``.
Extractor = Callable[[str, str | bytes], Extraction]

#: Source slug → ``"module:function"`` of its extractor, imported on first use.
EXTRACTORS: dict[str, str] = {
    "immoweb": "scrapers.extract._immoweb:extract",
    "zimmo": "scrapers.extract._zimmo:extract",
    "immoscoop": "scrapers.extract._immoscoop:extract",
    "immovlan": "scrapers.extract._immovlan:extract",
    "2dehands": "scrapers.extract._tweedehands:extract",
    "realtor": "scrapers.extract._realtor:extract",
}


#: Slug → (``EXTRACTORS`` entry, its imported function): each extractor is imported once.
_LOADED: dict[str, tuple[str, Extractor]] = {}


def source_slug(source: str) -> str:
    """Return the extractor slug of a source: ``"realtor:<office>"`` → ``"realtor"``."""
    return source.split(":", 1)[0]


def get_extractor(source: str) -> Extractor:
    """Return the extractor function of ``source`` (``"realtor:<office>"`` → realtor's).

    Raises :class:`KeyError` naming the known sources when ``source`` is unknown.
    """
    slug = source_slug(source)
    cached = _LOADED.get(slug)
    if cached is not None and cached[0] == EXTRACTORS.get(slug):
        return cached[1]
    try:
        target = EXTRACTORS[slug]
    except KeyError:
        raise KeyError(
            f"source={source!r} has no extractor (known: {', '.join(sorted(EXTRACTORS))})"
        ) from None
    module_name, _, func_name = target.partition(":")
    func: Extractor = getattr(importlib.import_module(module_name), func_name)
    _LOADED[slug] = (target, func)
    return func


def extract(source: str, url: str, body: str | bytes) -> Extraction:
    """Extract one page of ``source``: ``url`` and raw ``body`` → :class:`Extraction`."""
    return get_extractor(source)(url, body)


def compiled_modules() -> list[str]:
    """Return the names of this package's modules that run as compiled extension modules.

    The extractors are pure Python unless the project was built with its mypyc
    build hook (see the README, "Compiled extractors"); then every module the hook
    compiles is listed here. An empty list means a pure-Python install.
    """
    names = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if str(getattr(module, "__file__", "")).endswith(tuple(EXTENSION_SUFFIXES)):
            names.append(module.__name__)
    return names
