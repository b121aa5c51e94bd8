"""Placeholder: replaced by the places module (postcodes, municipalities, fuzzy lookup)."""

from __future__ import annotations


def postcode_exists(postcode: str) -> bool:
    """Return True when ``postcode`` is a Belgian postcode (placeholder: any 1000..9999)."""
    return postcode.isdigit() and 1000 <= int(postcode) <= 9999
