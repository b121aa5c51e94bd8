"""Normalise a :class:`~listings.Listing` after extraction: one canonical form per fact.

:func:`normalise_listing` fills what can be derived without guessing (rent and
charges from the published price text, the official municipality from the
postcode, official place names for case and typo variants), tidies addresses
and whitespace, and is idempotent: normalising twice changes nothing.
It never overrides a value the source gave as a number and never invents an
EPC label from a score.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from listings import _places
from listings._model import Listing
from listings._parse import parse_price
from listings.errors import PlaceNotFoundError

__all__ = ["normalise_listing"]

# Small words that stay lower-case inside a street name ("Jan van Eyckplein").
_PARTICLES = frozenset(
    {"de", "der", "den", "van", "het", "ten", "ter", "te", "op", "aan", "en", "la", "le", "les",
     "du", "des", "et", "sur", "'t", "'s", "d'", "l'"}
)  # fmt: skip
_ROMAN_RE = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
_BOX_IN_NUMBER_RE = re.compile(
    r"^(?P<number>.*?)[\s,/-]*\b(?:bus|bte|boîte|boite|box)\b\.?\s*(?P<box>\S.*)$",
    re.IGNORECASE,
)
_BOX_PREFIX_RE = re.compile(
    r"^(?:(?:bus|bte|boîte|boite|box|bt)\b|b(?=\s*[.:#]?\s*[0-9]))\s*[.:#]?\s*(?=\S)",
    re.IGNORECASE,
)
_DIGIT_SPACE_LETTER_RE = re.compile(r"(?<=[0-9])\s+(?=[^\W\d_]+$)")


def _collapse(text: str | None) -> str | None:
    """Strip and collapse runs of whitespace; an empty result is ``None``."""
    if text is None:
        return None
    collapsed = " ".join(text.split())
    return collapsed or None


def _is_roman(word: str) -> bool:
    return bool(word) and _ROMAN_RE.fullmatch(word) is not None


def _title_part(part: str, *, first: bool, after_roman: bool) -> str:
    lower = part.lower()
    if (not first and lower in _PARTICLES) or after_roman:
        return lower
    if _is_roman(part):
        return part
    for prefix in ("d'", "l'"):
        if lower.startswith(prefix) and len(lower) > len(prefix):
            return prefix.upper() + lower[len(prefix) :].capitalize()
    return lower.capitalize()


def _title_street(street: str) -> str:
    """Title-case an ALL CAPS street name, keeping particles and roman numerals right.

    >>> _title_street("KONING ALBERT I-LAAN")
    'Koning Albert I-laan'
    >>> _title_street("JAN VAN EYCKPLEIN")
    'Jan van Eyckplein'
    """
    words = []
    for index, word in enumerate(street.split(" ")):
        parts = word.split("-")
        titled = [
            _title_part(
                part,
                first=index == 0 and i == 0,
                after_roman=i > 0 and _is_roman(parts[i - 1]),
            )
            for i, part in enumerate(parts)
        ]
        words.append("-".join(titled))
    return " ".join(words)


def _street(street: str | None) -> str | None:
    text = _collapse(street)
    if text is not None and text.isupper():
        text = _title_street(text)
    return text


def _box(box: str | None) -> str | None:
    text = _collapse(box)
    while text is not None:
        stripped = _BOX_PREFIX_RE.sub("", text, count=1)
        if stripped == text:
            break
        text = _collapse(stripped)
    return text.upper() if text is not None else None


def _house_number(number: str | None, box: str | None) -> tuple[str | None, str | None]:
    """Return the tidy house number and box; a box written in the number moves to ``box``."""
    text, box = _collapse(number), _collapse(box)
    if text is not None and box is None and (match := _BOX_IN_NUMBER_RE.match(text)):
        text, box = _collapse(match.group("number")), match.group("box")
    if text is not None:
        text = _DIGIT_SPACE_LETTER_RE.sub("", text).upper()
    return text, _box(box)


def _resolve(text: str, postcode: str | None) -> _places.PlaceMatch | None:
    query = f"{postcode} {text}" if postcode else text
    try:
        return _places.resolve_place(query)
    except PlaceNotFoundError:
        return None


def _place_fields(listing: Listing) -> dict[str, Any]:
    """Official municipality and deelgemeente from the postcode and the place texts."""
    municipality = _collapse(listing.municipality)
    locality = _collapse(listing.locality)
    info = _places.postcode_info(listing.postcode) if listing.postcode else None
    official = info.municipality if info is not None else None

    for text, is_locality in ((locality, True), (municipality, False)):
        if text is None:
            continue
        match = _resolve(text, info.postcode if info is not None else None)
        if match is None or (official is not None and match.municipality != official):
            continue  # unknown, or contradicts the postcode: the postcode wins
        municipality = match.municipality
        if match.locality is not None:
            locality = match.locality
        elif is_locality:
            locality = match.municipality  # the namesake deelgemeente ("Kortrijk")
        break
    if official is not None:
        municipality = official
    if locality is None and info is not None and len(info.localities) == 1:
        locality = info.localities[0]
    return {"municipality": municipality, "locality": locality}


def normalise_listing(listing: Listing) -> Listing:
    """Return a new, validated listing in canonical form.

    - ``rent_eur`` and ``charges_eur`` are filled from ``price_raw`` when missing
      (never overriding numbers the source gave; an implausible parse is dropped);
    - ``municipality`` becomes the official hoofdgemeente of the postcode, and a
      place text that is a deelgemeente or a case/typo variant becomes official
      names (``"HEULE"`` → municipality ``"Kortrijk"``, locality ``"Heule"``);
      ``locality`` is filled when the postcode has a single one;
    - street names lose extra whitespace and are title-cased only when ALL CAPS;
      house numbers are upper-cased (``"12a"`` → ``"12A"``) and a box prefix is
      dropped (``"bus 3"``, ``"bte 3"``, ``"b3"`` → ``"3"``);
    - whitespace in the title is collapsed; the description is kept as published;
    - EPC score and label are kept as published (no label is derived from a score).

    >>> lst = Listing(source="zimmo", source_id="1", url="https://www.zimmo.be/nl/1/",
    ...               price_raw="€ 795 + € 50 kosten", postcode="8501", municipality="HEULE",
    ...               street="DOORNIKSESTRAAT", house_number="12a", box="bus 3")
    >>> out = normalise_listing(lst)
    >>> out.rent_eur, out.charges_eur, out.municipality, out.locality
    (795.0, 50.0, 'Kortrijk', 'Heule')
    >>> out.street, out.house_number, out.box
    ('Doorniksestraat', '12A', '3')
    """
    data = listing.model_dump()
    filled: set[str] = set()
    if listing.price_raw and (listing.rent_eur is None or listing.charges_eur is None):
        price = parse_price(listing.price_raw)
        if listing.rent_eur is None and price.rent_eur is not None:
            data["rent_eur"] = price.rent_eur
            filled.add("rent_eur")
        if listing.charges_eur is None and price.charges_eur is not None:
            data["charges_eur"] = price.charges_eur
            filled.add("charges_eur")
    data.update(_place_fields(listing))
    data["street"] = _street(listing.street)
    data["house_number"], data["box"] = _house_number(listing.house_number, listing.box)
    data["title"] = _collapse(listing.title)
    try:
        return Listing.model_validate(data)
    except ValidationError as exc:
        bad = {str(err["loc"][0]) for err in exc.errors() if err["loc"]} & filled
        if not bad:
            raise
        # A parsed amount the model rejects (a sale price, a deposit) is not filled in.
        data.update(dict.fromkeys(bad))
        return Listing.model_validate(data)
