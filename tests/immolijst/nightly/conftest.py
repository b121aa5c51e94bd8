"""Fixtures of the nightly tests: settings over both backends, recordings, an SMTP sink.

``store_url`` (SQLite and PostgreSQL) comes from ``tests/conftest.py``.
"""

from __future__ import annotations

import shutil
import socketserver
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from immolijst.settings import Settings
from immolijst.web.db import AppDB

#: Adult household data in the form the web app saves (``households.data``).
HOUSEHOLD_BASE: dict[str, Any] = {
    "members": [{"role": "applicant", "birth_date": "1980-01-01"}],
    "situation": {"waiting_list_since": None, "leaving": "none"},
}


def _household_data(net_monthly: float) -> dict[str, Any]:
    return {
        **HOUSEHOLD_BASE,
        "income": {"net_monthly": {"wage": net_monthly}, "taxable_annual": net_monthly * 12},
    }


@pytest.fixture
def household_data() -> Callable[[float], dict[str, Any]]:
    """Build a one-person household mapping with the given net monthly wage."""
    return _household_data


@pytest.fixture
def settings(store_url: str, tmp_path: Path) -> Settings:
    """Application settings over a new, empty store (SQLite or PostgreSQL)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    return Settings(database_url=store_url, data_dir=data_dir)


@pytest.fixture
def app_db(settings: Settings) -> Iterator[AppDB]:
    """The app tables of the store (migrated: users, households, nightly tables)."""
    db = AppDB(settings.database_url)
    yield db
    db.close()


def _replay_set(target: Path, cassettes: dict[str, Path]) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for source, path in cassettes.items():
        shutil.copyfile(path, target / f"{source}.yaml")
    return target


@pytest.fixture
def replay_set() -> Callable[[Path, dict[str, Path]], Path]:
    """Build a recording set in a directory from ``{source: cassette path}``."""
    return _replay_set


# -- an SMTP sink on loopback ------------------------------------------------------------


@dataclass
class SmtpSink:
    """A minimal SMTP server on 127.0.0.1 that keeps every message it receives."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def environ(self) -> dict[str, str]:
        """The nightly job's SMTP settings pointing at this sink."""
        return {
            "IMMOLIJST_SMTP_HOST": self.host,
            "IMMOLIJST_SMTP_PORT": str(self.port),
            "IMMOLIJST_SMTP_FROM": "immolijst@w13.test",
        }


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        sink = self.server.sink
        sender, recipients = "", []
        self._reply("220 sink ESMTP")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 sink")
            elif verb == "MAIL":
                sender, recipients = command.partition(":")[2].strip(" <>"), []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.partition(":")[2].strip(" <>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 end with .")
                lines = []
                while True:
                    line = self.rfile.readline()
                    if line in (b".\r\n", b".\n", b""):
                        break
                    lines.append(line[1:] if line.startswith(b"..") else line)
                message = message_from_bytes(b"".join(lines), policy=policy.default)
                assert isinstance(message, EmailMessage)
                sink.messages.append(message)
                sink.envelopes.append((sender, recipients))
                self._reply("250 queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("250 OK")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    sink: SmtpSink


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """An SMTP server on a free loopback port, stopped after the test."""
    server = _Server(("127.0.0.1", 0), _Handler)
    host, port = server.server_address[:2]
    sink = SmtpSink(str(host), int(port))
    server.sink = sink
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
