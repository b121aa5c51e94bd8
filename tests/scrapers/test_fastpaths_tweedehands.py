"""The fast paths of the 2dehands extractor give exactly what its general code gives.

Each fast path is compared with the code it replaces (kept here as a reference, as
it was written before the fast paths) on generated inputs, odd ones included:

* ``_clean_of`` equals ``clean(str(value or ""))``, ``_int_of`` equals ``to_int``;
* the free-text scan equals six plain ``pattern.search(text)`` calls, and the
  late-look-behind postcode pattern equals the original one;
* ``_availability`` equals ``availability_of`` (and a d/m/Y date does not depend
  on today's date);
* the text-level next page equals the ``urlparse``/``parse_qsl``/``urlencode`` one;
* ``decode_json`` with the ``json.loads`` fallback equals ``json.loads``, values and errors alike;
* skipping ``detect_challenge`` for a body without "<" loses no challenge;
* ``item_from_listing`` and ``extract`` equal the reference implementation.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from listings import _parse
from scrapers.extract import _tweedehands as tw
from scrapers.extract._base import (
    Extraction,
    Problem,
    decode_body,
    decode_json,
    detect_challenge,
    to_int,
)
from scrapers.extract._cached import (
    parse_amount,
    parse_area,
    parse_date,
    parse_epc,
    parse_int,
    parse_price,
)
from scrapers.extract._urls import join_path, join_scheme
from scrapers.extract._values import availability_of, clean, property_type_of

# -- the reference: the extractor as written before its fast paths ------------------

#: The postcode pattern as first written (``\b`` for the word start).
PLAIN_POSTCODE = re.compile(r"\b([1-9]\d{3})\s+[A-Z][a-zé-]+")
SALE_WORDS = ("te koop", "à vendre", "verkocht", "for sale")


def plain_scan(text: str) -> tuple[str | None, ...]:
    """The six plain searches that ``scan_description`` stands for."""
    charges = tw._CHARGES.search(text)
    bedrooms = tw._BEDROOMS.search(text)
    area = tw._AREA.search(text)
    epc = tw._EPC.search(text)
    postcode = PLAIN_POSTCODE.search(text)
    available = tw._AVAILABLE.search(text)
    return (
        charges.group(0) if charges else None,
        bedrooms.group(0) if bedrooms else None,
        area.group(0) if area else None,
        epc.group(1) if epc else None,
        postcode.group(1) if postcode else None,
        available.group(1) if available else None,
    )


def plain_next_page(url: str, count: int, total: int | None) -> str | None:
    """The next page computed with ``urlparse``/``parse_qsl``/``urlencode`` only."""
    parsed = urlparse(url)
    query = parse_qsl(parsed.query, keep_blank_values=True)
    params = dict(query)
    limit = to_int(params.get("limit")) or count
    offset = to_int(params.get("offset")) or 0
    if count == 0 or limit <= 0:
        return None
    if total is None:
        if count < limit:
            return None
    elif offset + limit >= total:
        return None
    new_query = [(k, str(offset + limit) if k == "offset" else v) for k, v in query]
    return urlunparse(parsed._replace(query=urlencode(new_query)))


def plain_item(entry: dict[str, Any]) -> tuple[dict[str, Any] | None, Problem | None]:
    """``item_from_listing`` without fast paths."""
    source_id = str(entry.get("itemId") or "").strip()
    vip = str(entry.get("vipUrl") or "")
    url = join_path(tw.BASE_URL, vip) if vip else ""
    if not source_id or not url:
        return None, Problem(
            url or tw.BASE_URL, "parse_error", f"itemId={source_id!r} vipUrl={vip!r}: missing"
        )
    title = clean(str(entry.get("title") or ""))
    description = clean(str(entry.get("description") or ""))
    text = f"{title or ''} {description or ''}"
    lower = text.lower()
    for word in SALE_WORDS:
        if word in lower:
            return None, Problem(
                url, "sale", f"title={title!r}: a sale, not a rental", source_id, "title", title
            )
    kind = property_type_of(title) or property_type_of(description)
    if kind == "other":
        return None, Problem(
            url, "not_residential", f"title={title!r} is not a dwelling", source_id, "title", title
        )
    price_info = entry.get("priceInfo") or {}
    cents = to_int(price_info.get("priceCents"))
    label = clean(str(price_info.get("priceLabel") or ""))
    price_raw: str | None
    if cents:
        rent: float | None = cents / 100
        price_raw = label or f"€ {cents // 100}"
    else:
        parsed = parse_price(label)
        rent, price_raw = parsed.rent_eur, label
    if rent is None:
        return None, Problem(
            url,
            "no_price",
            f"priceInfo={price_info!r}: no monthly rent",
            source_id,
            "priceInfo",
            price_info,
        )
    charges, bedrooms, area, epc, postcode, available = plain_scan(text)
    available_from, available_now = availability_of(available) if available else (None, None)
    location = entry.get("location") or {}
    seller = entry.get("seller") or {}
    pictures = entry.get("pictures") or []
    return {
        "source": tw.SOURCE,
        "source_id": source_id,
        "url": url,
        "title": title,
        "description": description,
        "property_type": kind,
        "price_raw": price_raw,
        "rent_eur": rent,
        "charges_eur": parse_amount(charges) if charges else None,
        "bedrooms": parse_int(bedrooms) if bedrooms else None,
        "living_area_m2": parse_area(area) if area else None,
        "epc_kwh_m2": parse_epc(epc).kwh_m2 if epc else None,
        "postcode": postcode,
        "available_now": available_now,
        "available_from": available_from,
        "municipality": clean(str(location.get("cityName") or "")),
        "agency_name": clean(str(seller.get("name") or "")),
        "image_urls": [
            join_scheme("https:", str(p["mediumUrl"]))
            for p in pictures
            if isinstance(p, dict) and p.get("mediumUrl")
        ],
    }, None


def plain_extract(url: str, body: str | bytes) -> Extraction:
    """``extract`` without fast paths."""
    text = decode_body(body)
    challenge = detect_challenge(200, {}, text)
    if challenge:
        return Extraction(problems=[Problem(url, "challenge", challenge)], challenge=challenge)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Extraction(problems=[Problem(url, "parse_error", f"body is not JSON: {exc}")])
    if not isinstance(data, dict) or not isinstance(data.get("listings"), list):
        return Extraction(
            problems=[Problem(url, "parse_error", "JSON has no 'listings' list", field="listings")]
        )
    entries = [e for e in data["listings"] if isinstance(e, dict)]
    total = to_int(data.get("totalResultCount"))
    result = Extraction(total=total, next_page=plain_next_page(url, len(entries), total))
    for entry in entries:
        item, problem = plain_item(entry)
        if problem is not None:
            result.problems.append(problem)
        if item is not None:
            result.items.append(item)
    return result


def outcome(fn: Any, *args: Any) -> tuple[str, Any]:
    """``("ok", value)`` or ``("error", (type, message))``: compare results and errors."""
    try:
        return "ok", fn(*args)
    except Exception as exc:  # the error itself is what is compared
        return "error", (type(exc), str(exc))


# -- strategies -----------------------------------------------------------------------

#: Every character that ``str.split()`` (and so ``clean``) treats as whitespace.
WHITESPACE = [chr(c) for c in range(0x110000) if chr(c).isspace()]
ODD_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from([*WHITESPACE, "a", "é", "€", "\x00", "\u200b", "\ud800", "İ"]),
        st.characters(),
    ),
    max_size=12,
)
#: Odd JSON-ish values: what a changed API could put where a string is expected.
ODD_VALUES = st.one_of(
    ODD_TEXT,
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)

WORDS = st.sampled_from(
    [
        "1",
        "2",
        "12",
        "65",
        "8500",
        "1000",
        "0",
        "\u0663",
        " ",
        "  ",
        "\u00a0",
        "\n",
        "\x1c",
        ",",
        ".",
        ":",
        "(",
        ")",
        "(s)",
        "/",
        "+",
        "€",
        "euro",
        "kosten",
        "m²",
        "M2",
        "m2",
        "m",
        "²",
        "slaapkamer",
        "slaapkamers",
        "SLPK",
        "slpk",
        "ſlaapkamer",
        "slaapkamer(s)",
        "EPC",
        "epc",
        "kWh",
        "Beschikbaar",
        "beschikbaar",
        "vrij",
        "VRİJ",
        "vrıj",
        "vanaf",
        "op",
        "onmiddellijk",
        "Direct",
        "01/12/2026",
        "1/2/2027",
        "Kortrijk",
        "Sint-Denijs",
        "K",
        "\u212a",
        "é",
        "a",
        "x",
    ]
)
TEXTS = st.lists(WORDS, max_size=16).map("".join)


# -- values -----------------------------------------------------------------------------


def test_only_the_space_is_printable_whitespace() -> None:
    """Why a printable str with no "  " and no edge space is already clean."""
    assert [c for c in WHITESPACE if c.isprintable()] == [" "]


@given(ODD_VALUES)
@example("Appartement te huur Kortrijk")
@example("Kortrijk")
@example("")
@example("  a  b ")
@example("a\u00a0b")
@example("a\tb")
@example(" a")
@example("a ")
@example(0)
@example([])
@example(False)
@example(["a  b"])
def test_clean_of_is_clean_of_str(value: object) -> None:
    assert tw._clean_of(value) == clean(str(value or ""))


@given(
    st.one_of(
        st.integers(),
        st.sampled_from([2**53 - 1, 2**53, 2**53 + 1, -(2**53) - 1, 10**20 + 1, True, False]),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=6),
        st.none(),
        st.lists(st.integers(), max_size=1),
    )
)
@example(70000)
@example(0)
def test_int_of_is_to_int(value: object) -> None:
    assert outcome(tw._int_of, value) == outcome(to_int, value)


# -- free text --------------------------------------------------------------------------


def test_ascii_run_characters_are_those_of_the_patterns() -> None:
    """The ASCII characters of a number run: exactly ``[\\d\\s.,]``."""
    run = re.compile(r"[\d\s.,]")
    for code in range(128):
        char = chr(code)
        assert (char in tw._ASCII_RUN_ALL) == bool(run.fullmatch(char)), repr(char)


@given(st.text(alphabet="0123456789 .,\u00a0\u0663\x1c:(aé", max_size=24), st.integers(0, 24))
@example("x 1234567 slaapkamers", 10)
@example("Kortrijk: 1 slaapkamer", 12)
@example("x1\x1c123456 slaapkamer", 9)
def test_number_start_is_at_or_before_the_number_run(text: str, at: int) -> None:
    """A search from ``_number_start`` cannot miss a match that starts in the run."""
    at = min(at, len(text))
    run = re.search(r"[\d\s.,]*\Z", text[:at])
    assert run is not None
    assert 0 <= tw._number_start(text, at) <= run.start()


@given(TEXTS)
@example("x 1234567 slaapkamers, 12345678.5 m², a 1 2 3 4 5 6 7 8 9 slaapkamer")
@example("Appartement te huur in Kortrijk: 1 slaapkamer(s), 65 m². EPC 120 kWh/m². "
         "Beschikbaar: 01/01/2027. € 770 + € 50 kosten. Adres: 8500 Kortrijk.")  # fmt: skip
@example("Kortrijk: 12 slpk, 3 slaapkamers, 5, 65 m2 of 70 m², vrij beschikbaar: direct")
@example("abcdefgh 1 2 3 4 5 6 7 8 9 slaapkamers, x 1.5 m²")
@example("x,1, 12 slaapkamer")
@example("a\u00a0\u06631 slaapkamer, \x1c2 m2")
@example("EPC 150 m2, 3 ſlaapkamers, vrİj: direct, 8500 Kortrijk")
@example("a1234 Kortrijk 5678 Gent")
@example("é8500 Kortrijk, 12345 Gent, 2500  Lier")
def test_scan_description_is_six_plain_searches(text: str) -> None:
    assert tw.scan_description(text) == plain_scan(text)


@given(st.text(alphabet="0123456789 \n\u00a0\u0663aéZK-_.", max_size=20).map(lambda s: s + " Gent"))
@example("8500 Kortrijk")
@example("x8500 Kortrijk")
@example("_8500 Gent")
@example("\u06638500 Gent")
def test_late_postcode_pattern_is_the_plain_one(text: str) -> None:
    late = tw._POSTCODE.search(text)
    plain = PLAIN_POSTCODE.search(text)
    assert (late.span(), late.group(1)) == (plain.span(), plain.group(1)) if plain else late is None


DATES = st.builds(
    "{}/{}/{}".format,
    st.text(alphabet="0123456789", min_size=1, max_size=2),
    st.text(alphabet="0123456789", min_size=1, max_size=2),
    st.text(alphabet="0123456789", min_size=4, max_size=4),
)


@given(st.one_of(DATES, st.sampled_from(["onmiddellijk", "Direct", "DIRECT", "Onmiddellijk"])))
@example("01/12/2026")
@example("31/02/2026")
@example("00/00/0000")
@example("1/1/0099")
@example("onmiddellijk")
def test_availability_is_availability_of(found: str) -> None:
    assert tw._availability(found) == availability_of(found)


@given(DATES, st.dates())
@example("01/12/2026", date(2026, 12, 2))
@example("01/12/2026", date(2026, 11, 30))
def test_a_date_gives_the_same_availability_on_any_day(found: str, today: date) -> None:
    """Why ``_availability`` may read a d/m/Y date without today's date."""
    got = _parse.parse_availability(found, today=today)
    assert got.available_from == parse_date(found)
    if got.available_from is None:
        assert got.available_now is None


# -- paging -----------------------------------------------------------------------------

SEARCH = tw.search_url("8500", l1_category=1032, l2_category=2143, distance_m=2000)
QUERY_PARTS = st.sampled_from(
    [
        "limit=30",
        "limit=10",
        "limit=",
        "limit=0",
        "limit=-5",
        "limit=1e1",
        "limit=1_0",
        "offset=0",
        "offset=30",
        "offset=",
        "offset",
        "offset=a",
        "offset=%33%30",
        "q=a+b",
        "q=a b",
        "q=é",
        "q=a=b",
        "q=~._-",
        "Offset=5",
        "",
        "=",
        "x",
        "a=1",
    ]
)
HEADS = st.sampled_from(
    [
        "https://www.2dehands.be/lrp/api/search",
        "http://www.2dehands.be/lrp/api/search",
        "HTTPS://www.2dehands.be/lrp/api/search",
        "https://www.2dehands.be",
        "https://www.2dehands.be/",
        "https://www.2dehands.be/a;b",
        "https://www.2dehands.be//a",
        "https://[::1]/a",
        "https://x.be:8080/a",
        "https:/x.be/a",
        "ftp://x.be/a",
        "https://x_y.be/a",
    ]
)


@given(
    HEADS,
    st.lists(QUERY_PARTS, max_size=6).map("&".join),
    st.sampled_from(["", "#", "#f"]),
    st.integers(0, 40),
    st.one_of(st.none(), st.integers(0, 100)),
)
@example("https://www.2dehands.be/lrp/api/search", "limit=30&offset=0&sortBy=X", "", 30, 32)
@example("https://www.2dehands.be/lrp/api/search", "offset=0&limit=30&offset=5", "", 30, None)
@example("https://www.2dehands.be/lrp/api/search", "a=1&limit=10", "", 10, 50)
@example("https://www.2dehands.be/lrp/api/search", "q=a+b&offset=0&limit=10", "", 10, 50)
@example("https://www.2dehands.be/lrp/api/search", "q=%41&offset=0&limit=10", "", 10, 50)
@example("HTTPS://www.2dehands.be/lrp/api/search", "limit=10&offset=0", "", 10, 50)
@example("https://www.2dehands.be/a;b", "limit=10&offset=0", "", 10, None)
def test_next_page_is_the_general_one(
    head: str, query: str, fragment: str, count: int, total: int | None
) -> None:
    url = f"{head}?{query}{fragment}"
    assert outcome(tw._next_page, url, count, total) == outcome(plain_next_page, url, count, total)


@pytest.mark.parametrize("count", [0, 1, 29, 30])
@pytest.mark.parametrize("total", [None, 0, 30, 31, 90])
def test_next_page_of_a_search_url(count: int, total: int | None) -> None:
    assert tw._next_page(SEARCH, count, total) == plain_next_page(SEARCH, count, total)


def test_next_page_moves_the_offset_as_text() -> None:
    assert tw._next_page(SEARCH, 30, 90) == SEARCH.replace("offset=0", "offset=30")


# -- JSON and challenges ----------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=4)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)


@given(
    st.sampled_from(["", " ", "\n", "\ufeff"]),
    JSON_VALUES.map(json.dumps),
    st.sampled_from(["", " ", "\n\t\r ", " x", "}", "\f", "\u00a0", "{}"]),
)
@example("", '{"listings": []}', "\n")
@example("", '{"a": NaN}', "")
@example("", '{"a": 1,}', "")
@example("", "{", "")
def test_loads_is_json_loads(lead: str, body: str, tail: str) -> None:
    text = lead + body + tail
    assert outcome(lambda t: decode_json(t, fallback=json.loads), text) == outcome(json.loads, text)


@given(st.text(alphabet=st.characters(blacklist_characters="<"), max_size=40))
@example("title>Just a moment...</title>")
@example('{"listings": [], "captcha": "robot"}')
def test_no_challenge_without_a_tag(text: str) -> None:
    """Why ``extract`` only runs ``detect_challenge`` on a body with "<"."""
    assert detect_challenge(200, {}, text) is None


@pytest.mark.parametrize(
    "body",
    [
        '{"listings": [], "x": "<title>Just a moment...</title>"}',
        "<html><title>Just a moment...</title></html>",
        "<title>Captcha</title><div class='g-recaptcha'></div>",
    ],
)
def test_a_challenge_in_any_body_is_still_reported(body: str) -> None:
    assert tw.extract(SEARCH, body) == plain_extract(SEARCH, body)
    assert tw.extract(SEARCH, body).challenge is not None


# -- whole entries and pages ------------------------------------------------------------

ENTRY_TEXT = st.one_of(TEXTS, ODD_VALUES)
ENTRIES = st.fixed_dictionaries(
    {},
    optional={
        "itemId": st.one_of(st.sampled_from(["m2100000001", " m1 ", ""]), ODD_VALUES),
        "vipUrl": st.one_of(st.sampled_from(["/v/a/m1-x", "/v/../a", "//x", "a b"]), ODD_VALUES),
        "title": st.one_of(
            st.sampled_from(["Appartement te huur", "Garage TE KOOP", "Studio", "Kamer  x"]),
            ENTRY_TEXT,
        ),
        "description": ENTRY_TEXT,
        "priceInfo": st.fixed_dictionaries(
            {},
            optional={
                "priceCents": st.one_of(
                    st.integers(-(10**7), 10**7), st.sampled_from([2**60, 0]), ODD_VALUES
                ),
                "priceLabel": st.one_of(
                    st.sampled_from(["", "€ 750", "Op aanvraag", "€ 750 per maand"]), ODD_VALUES
                ),
            },
        ),
        "location": st.fixed_dictionaries({}, optional={"cityName": ODD_VALUES}),
        "seller": st.fixed_dictionaries({}, optional={"name": ODD_VALUES}),
        "pictures": st.one_of(
            st.lists(
                st.one_of(
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "mediumUrl": st.one_of(
                                st.sampled_from(["//images.x.com/a/1.jpg", "//a/../b", "/x"]),
                                ODD_VALUES,
                            )
                        },
                    ),
                    ODD_VALUES,
                ),
                max_size=3,
            ),
            st.sampled_from(["ab", None]),
        ),
    },
)
USUAL_ENTRY = {
    "itemId": "m2203100001",
    "title": "Appartement te huur Kortrijk",
    "description": "Gezellig appartement te huur, 1 slaapkamer, 65 m². Huur € 700 + € 50 kosten "
    "per maand. Vrij vanaf 01/12/2026. EPC 245. Adres: 8500 Kortrijk.",
    "priceInfo": {"priceCents": 70000, "priceLabel": ""},
    "location": {"cityName": "Kortrijk"},
    "vipUrl": "/v/huizen-en-kamers/huizen-te-huur/m2203100001-appartement-te-huur-kortrijk",
    "pictures": [{"mediumUrl": "//images.2dehands.com/api/v1/listing-twh-p/images/m1_1.jpg"}],
    "seller": {"name": "Particulier"},
}


#: Entries that mostly reach the item stage: the usual entry with fields replaced or removed.
NEAR_USUAL_ENTRIES = st.builds(
    lambda over, drop: {k: v for k, v in {**USUAL_ENTRY, **over}.items() if k not in drop},
    ENTRIES,
    st.sets(st.sampled_from(sorted(USUAL_ENTRY)), max_size=2),
)


@settings(max_examples=300)
@given(st.one_of(ENTRIES, NEAR_USUAL_ENTRIES))
@example({**USUAL_ENTRY, "pictures": [{}, {"mediumUrl": ""}, {"mediumUrl": "//a/../b"}, "x"]})
@example(USUAL_ENTRY)
@example({**USUAL_ENTRY, "description": "Beschikbaar: onmiddellijk. 2 slpk"})
@example({**USUAL_ENTRY, "priceInfo": {"priceCents": 0, "priceLabel": "Op aanvraag"}})
@example({**USUAL_ENTRY, "title": "Huis te koop"})
@example({**USUAL_ENTRY, "title": "Garage te huur"})
@example({**USUAL_ENTRY, "priceInfo": {"priceCents": 2**53 + 1}})
@example({**USUAL_ENTRY, "title": "Studio\u00a0 te huur ", "description": None})
def test_item_from_listing_is_the_reference(entry: dict[str, Any]) -> None:
    assert outcome(tw.item_from_listing, entry) == outcome(plain_item, entry)


@settings(max_examples=150)
@given(
    st.lists(st.one_of(ENTRIES, NEAR_USUAL_ENTRIES, ODD_VALUES), max_size=3),
    st.one_of(st.integers(-5, 100), st.sampled_from([2**53 + 1, "32", "3.7", None, [1]])),
    st.sampled_from(
        [SEARCH, SEARCH.replace("offset=0", "offset=30"), SEARCH + "#x", "https://x.be/?limit=2"]
    ),
)
@example([USUAL_ENTRY] * 2, 32, SEARCH)
@example([], 0, SEARCH)
def test_extract_is_the_reference(entries: list[Any], total: Any, url: str) -> None:
    body = json.dumps({"listings": entries, "totalResultCount": total}, indent=1)
    for raw in (body, body.encode()):
        assert outcome(tw.extract, url, raw) == outcome(plain_extract, url, raw)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[]",
        b'{"listings": {}}',
        b'{"listings": []} x',
        b"\xef\xbb\xbf{}",
        b' {"listings": []}',
        b'{"listings": [], "a": "\xff"}',
        b'{"listings": [1, "a", null], "totalResultCount": "1e3"}',
        '{"listings": []}'.encode("utf-16"),
    ],
)
def test_odd_bodies_are_read_as_before(body: bytes) -> None:
    assert outcome(tw.extract, SEARCH, body) == outcome(plain_extract, SEARCH, body)


@pytest.mark.parametrize("word", tw._SALE_WORDS)
def test_every_sale_word_drops_the_advert(word: str) -> None:
    """The inlined sale-word test covers each word of ``_SALE_WORDS`` (and only those)."""
    assert tw._SALE_WORDS == SALE_WORDS
    entry = {
        "itemId": "m1",
        "vipUrl": "/v/huizen-en-kamers/m1-x",
        "title": f"Appartement {word.upper()} Kortrijk",
        "priceInfo": {"priceCents": 70000},
    }
    item, problem = tw.item_from_listing(entry)
    assert item is None
    assert problem is not None
    assert problem.code == "sale"


def test_the_odd_folds_are_the_three_tested_in_scan() -> None:
    """``_scan`` tests these three characters one by one: the constant must not drift."""
    assert tw._ODD_FOLDS == ("\u017f", "\u0131", "\u0130")
