"""Structured logging of the nightly job: one JSON object per line on stderr.

Every line has ``ts`` (ISO 8601, UTC), ``level``, ``logger``, ``event`` (a short
snake_case name such as ``crawl_finished``) and the event's fields. Household
content never goes into a log line: the job logs counts, source names, run ids
and opaque household ids only.

>>> import io, json, logging
>>> stream = io.StringIO()
>>> logger = configure_logging(stream=stream)
>>> log_event(logger, "crawl_started", sources=["zimmo"])
>>> line = json.loads(stream.getvalue())
>>> line["event"], line["level"], line["sources"]
('crawl_started', 'info', ['zimmo'])
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Any, Final

__all__ = ["LOGGER_NAME", "JsonLinesFormatter", "configure_logging", "log_event"]

#: Name of the nightly job's logger.
LOGGER_NAME: Final = "immolijst.nightly"
_FIELDS_ATTR: Final = "nightly_fields"
_HANDLER_FLAG: Final = "_immolijst_nightly_handler"


class JsonLinesFormatter(logging.Formatter):
    """Format a record as one JSON object: ``ts``, ``level``, ``logger``, ``event``, fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a single JSON line (no trailing newline)."""
        fields: dict[str, Any] = dict(getattr(record, _FIELDS_ATTR, {}) or {})
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": fields.pop("event", None) or record.getMessage(),
        }
        line.update(fields)
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = record.exc_info[0].__name__
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(
    *, stream: IO[str] | None = None, level: int = logging.INFO
) -> logging.Logger:
    """Send the nightly logger's records as JSON lines to ``stream`` (default: stderr).

    Calling it again replaces the handler it installed before (never duplicates).
    """
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        if getattr(handler, _HANDLER_FLAG, False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(JsonLinesFormatter())
    setattr(handler, _HANDLER_FLAG, True)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return logger


def log_event(
    logger: logging.Logger, event: str, *, level: int = logging.INFO, **fields: Any
) -> None:
    """Log ``event`` with ``fields`` (JSON-serialisable values; no household content)."""
    logger.log(level, event, extra={_FIELDS_ATTR: {"event": event, **fields}})
