"""YAML reading shared by the parameter files and the household files."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["load_yaml_text"]


class _NoDatesLoader(yaml.SafeLoader):
    """A safe YAML loader that keeps dates as text, so they are parsed (and reported) by us."""


_NoDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml_text(text: str) -> Any:
    """Parse YAML safely, keeping dates as text (``2024-01-01`` stays a string).

    >>> load_yaml_text("since: 2019-02-01")
    {'since': '2019-02-01'}
    """
    return yaml.load(text, Loader=_NoDatesLoader)
