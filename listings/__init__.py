"""listings: the shared vocabulary of immolijst.

The :class:`Listing` model, value parsing, Belgian places, the store with
observation history and cross-source dedup into dwellings. Importing this
package never imports Scrapy or the web app.
"""

from listings._model import LISTING_FIELDS, Listing, PropertyType, validation_problems
from listings.errors import ListingsError, ParseError, PlaceNotFoundError, StoreError

__all__ = [
    "LISTING_FIELDS",
    "Listing",
    "ListingsError",
    "ParseError",
    "PlaceNotFoundError",
    "PropertyType",
    "StoreError",
    "validation_problems",
]
