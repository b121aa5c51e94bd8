"""Write assembled interactions as a vcrpy cassette with the assembled-recording header."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from scrapers._cassette import Cassette, Interaction
from scrapers.recordings._build.w13 import ASSEMBLED_NOTE

__all__ = ["RECORDINGS", "write_cassette"]

#: The recordings directory.
RECORDINGS = Path(__file__).resolve().parent.parent


def write_cassette(
    path: Path, interactions: Iterable[Mapping[str, Any]], follows: str, notes: str = ""
) -> Path:
    """Write interactions (dicts of :class:`Interaction` fields) to ``path`` with the header."""
    cassette = Cassette(path, [Interaction(**dict(it)) for it in interactions])
    header = (
        f"{ASSEMBLED_NOTE}: bodies follow the structure of {follows}; "
        "listings are realistic but invented.\n"
        "Regenerate with: python -m scrapers.recordings._build." + path.stem + "\n" + notes
    )
    return cassette.save(header.rstrip("\n"))
