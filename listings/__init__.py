"""listings: the shared vocabulary of immolijst.

The :class:`Listing` model, value parsing, Belgian places, the store with
observation history and cross-source dedup into dwellings. Importing this
package never imports Scrapy or the web app.

>>> from listings import Listing, parse_price, resolve_place
>>> parse_price("€1,700 (+ €125)")
Price(rent_eur=1700.0, charges_eur=125.0, reason=None, raw='€1,700 (+ €125)')
>>> resolve_place("HEULE").municipality
'Kortrijk'
"""

from listings._dedupe import (
    Evidence,
    LinkDecision,
    Linker,
    Match,
    cluster,
    compare,
    normalise_street,
)
from listings._dedupe_eval import evaluate_links, pairwise_metrics, read_labelled
from listings._dwellings import (
    AdvertRef,
    DedupeResult,
    Dwelling,
    FieldValue,
    dedupe,
    dwelling_of,
    dwellings_frame,
    get_dwelling,
    iter_dwellings,
)
from listings._frame import frame
from listings._io import EXPORT_FORMATS, ImportReport, export_frame, iter_jsonl, read_jsonl
from listings._model import LISTING_FIELDS, Listing, PropertyType, validation_problems
from listings._normalise import normalise_listing
from listings._parse import (
    Availability,
    Epc,
    Price,
    parse_amount,
    parse_area,
    parse_availability,
    parse_bool,
    parse_date,
    parse_epc,
    parse_int,
    parse_price,
)
from listings._places import (
    W13_MUNICIPALITIES,
    W13_POSTCODES,
    PlaceMatch,
    PostcodeInfo,
    centroid,
    distance_km,
    is_municipality,
    is_w13,
    municipality_of,
    municipality_postcodes,
    postcode_exists,
    postcode_info,
    resolve_place,
    suggest_municipality,
)
from listings._store import (
    CrawlRun,
    Observation,
    RunStatus,
    Store,
    StoredListing,
    UpsertResult,
    default_database_url,
)
from listings.errors import (
    ImportRowError,
    ListingsError,
    ParseError,
    PlaceNotFoundError,
    StoreError,
)

__all__ = [
    "EXPORT_FORMATS",
    "LISTING_FIELDS",
    "W13_MUNICIPALITIES",
    "W13_POSTCODES",
    "AdvertRef",
    "Availability",
    "CrawlRun",
    "DedupeResult",
    "Dwelling",
    "Epc",
    "Evidence",
    "FieldValue",
    "ImportReport",
    "ImportRowError",
    "LinkDecision",
    "Linker",
    "Listing",
    "ListingsError",
    "Match",
    "Observation",
    "ParseError",
    "PlaceMatch",
    "PlaceNotFoundError",
    "PostcodeInfo",
    "Price",
    "PropertyType",
    "RunStatus",
    "Store",
    "StoreError",
    "StoredListing",
    "UpsertResult",
    "centroid",
    "cluster",
    "compare",
    "dedupe",
    "default_database_url",
    "distance_km",
    "dwelling_of",
    "dwellings_frame",
    "evaluate_links",
    "export_frame",
    "frame",
    "get_dwelling",
    "is_municipality",
    "is_w13",
    "iter_dwellings",
    "iter_jsonl",
    "municipality_of",
    "municipality_postcodes",
    "normalise_listing",
    "normalise_street",
    "pairwise_metrics",
    "parse_amount",
    "parse_area",
    "parse_availability",
    "parse_bool",
    "parse_date",
    "parse_epc",
    "parse_int",
    "parse_price",
    "postcode_exists",
    "postcode_info",
    "read_jsonl",
    "read_labelled",
    "resolve_place",
    "suggest_municipality",
    "validation_problems",
]
