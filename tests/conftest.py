"""Shared test fixtures: a real PostgreSQL server, and store URLs for both backends.

Fixtures (usable from every test module under ``tests/``):

``pg_server``
    Session-scoped. Runs ``initdb`` into a fresh temporary directory, starts
    ``postgres`` on a free localhost port (its unix socket in that directory,
    ``fsync`` off: test data is throw-away, time zone Europe/Brussels) and stops
    it at the end of the session; on Linux the server also stops when the test
    process is killed. As root (CI), the server runs as the ``postgres`` system
    user, since PostgreSQL refuses to run as root. The binaries are found with
    ``pg_config --bindir`` or under ``/usr/lib/postgresql/*/bin``. When they are
    missing the fixture *fails*: CI installs PostgreSQL (``.ci/run``), so a
    missing server is a defect, never a reason to skip.
``pg_url``
    An empty database on that server for one test, as a SQLAlchemy URL
    ``postgresql+psycopg://postgres@127.0.0.1:PORT/NAME`` (one database per
    session, its ``public`` schema dropped and created anew before each test).
``store_url``
    Parametrised over ``sqlite`` (a file in ``tmp_path``) and ``postgresql``
    (``pg_url``): a test that takes it runs once per backend, with ids
    ``[sqlite]`` and ``[postgresql]``.
"""

from __future__ import annotations

import ctypes
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

_PG_USER = "postgres"
_HOST = "127.0.0.1"
_INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, postgres) not found: install them "
    "(Debian: `apt-get install -y postgresql`, as .ci/run does) — the store tests need them"
)


def _pg_bindir() -> Path:
    """Directory with ``initdb`` and ``postgres``; fails the test when there is none."""
    candidates: list[str] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(done.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)  # newest first
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).resolve().parent))
    for candidate in candidates:
        if candidate and all((Path(candidate) / tool).is_file() for tool in ("initdb", "postgres")):
            return Path(candidate)
    pytest.fail(_INSTALL_HINT, pytrace=False)


@dataclass(frozen=True)
class PgServer:
    """A running throw-away PostgreSQL server (see the module docstring)."""

    port: int
    """TCP port on 127.0.0.1."""

    def url(self, database: str) -> str:
        """SQLAlchemy URL of ``database`` on this server."""
        return f"postgresql+psycopg://{_PG_USER}@{_HOST}:{self.port}/{database}"

    @property
    def admin_url(self) -> str:
        """URL of the ``postgres`` maintenance database (create/drop databases there)."""
        return self.url("postgres")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((_HOST, 0))
        return int(sock.getsockname()[1])


def _server_user_options() -> dict[str, Any]:
    """``subprocess`` options that run a PostgreSQL tool as ``postgres`` when we are root."""
    if os.geteuid() != 0:
        return {}
    return {"user": _PG_USER, "group": pwd.getpwnam(_PG_USER).pw_gid, "extra_groups": []}


def _die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that stops the server when the test process dies (Linux only).

    A test run killed outright (``timeout``, Ctrl-C twice) runs no fixture
    teardown; without this its server would live on.
    """
    if sys.platform != "linux":
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # resolved before the fork
    pr_set_pdeathsig = 1

    def preexec() -> None:
        prctl(pr_set_pdeathsig, signal.SIGQUIT)  # SIGQUIT: immediate shutdown

    return preexec


def _wait_until_ready(server: subprocess.Popen[bytes], port: int) -> bool:
    """Whether the server accepts connections (``False`` when it exited first)."""
    import psycopg  # checked by pg_server

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            psycopg.connect(host=_HOST, port=port, user=_PG_USER, dbname="postgres").close()
        except psycopg.OperationalError:
            time.sleep(0.05)
        else:
            return True
    return False


_TMP_PREFIX = "immolijst-pg-"
_OWNER_FILE = "pytest.pid"


def _remove_dead_servers_dirs() -> None:
    """Remove the directories of servers whose test run was killed (its pid is gone)."""
    for owner in Path(tempfile.gettempdir()).glob(f"{_TMP_PREFIX}*/{_OWNER_FILE}"):
        try:
            os.kill(int(owner.read_text()), 0)
        except ProcessLookupError:
            shutil.rmtree(owner.parent, ignore_errors=True)
        except (OSError, ValueError):  # not ours to judge: leave it
            continue


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """Start a PostgreSQL server for the test session and stop it afterwards."""
    bindir = _pg_bindir()
    try:
        import psycopg  # noqa: F401 - the driver of every PostgreSQL URL here
    except ImportError:
        pytest.fail("psycopg is missing: install the [postgres] extra", pytrace=False)
    as_root = os.geteuid() == 0
    if as_root:
        try:
            pwd.getpwnam(_PG_USER)
        except KeyError:
            pytest.fail(f"as root, the server runs as user {_PG_USER!r}: {_INSTALL_HINT}")
    # Not under pytest's tmp_path: that is private to the current user, and the
    # server may run as another one.
    _remove_dead_servers_dirs()
    base = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX))
    (base / _OWNER_FILE).write_text(str(os.getpid()))
    if as_root:
        shutil.chown(base, user=_PG_USER, group=pwd.getpwnam(_PG_USER).pw_gid)
    data = base / "data"
    try:
        initdb = [str(bindir / "initdb"), "--pgdata", str(data), "--username", _PG_USER]
        init = subprocess.run(
            [*initdb, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"],
            capture_output=True,
            text=True,
            check=False,
            **_server_user_options(),
        )
        if init.returncode != 0:
            pytest.fail(f"initdb failed:\n{init.stdout}\n{init.stderr}", pytrace=False)
        # Test data is throw-away: no fsync. A time zone other than UTC, so code
        # that takes the session's time zone for UTC fails here too.
        settings = {
            "listen_addresses": _HOST,
            "unix_socket_directories": str(base),
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "timezone": "Europe/Brussels",
        }
        options = [arg for name, value in settings.items() for arg in ("-c", f"{name}={value}")]
        log = base / "server.log"
        for _attempt in range(5):  # another process may take the free port first
            port = _free_port()
            with log.open("ab") as log_file:
                server = subprocess.Popen(
                    [str(bindir / "postgres"), "-D", str(data), "-p", str(port), *options],
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                    preexec_fn=_die_with_parent(),  # only prctl(), between fork and exec
                    **_server_user_options(),
                )
            if _wait_until_ready(server, port):
                break
            _stop(server)
        else:
            pytest.fail(
                f"PostgreSQL did not start:\n{log.read_text(errors='replace')}", pytrace=False
            )
        try:
            yield PgServer(port=port)
        finally:
            _stop(server)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server at once (SIGQUIT: immediate shutdown; the data is thrown away)."""
    if server.poll() is None:
        server.send_signal(signal.SIGQUIT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:  # pragma: no cover - a stuck server
        server.kill()
        server.wait()


@pytest.fixture(scope="session")
def _pg_test_database(pg_server: PgServer) -> str:
    """The one database the tests of this session use (emptied before each test)."""
    name = f"immolijst_test_{os.getpid()}"
    admin = sa.create_engine(pg_server.admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        admin.dispose()
    return name


@pytest.fixture
def pg_url(pg_server: PgServer, _pg_test_database: str) -> str:
    """A URL of an empty PostgreSQL database for one test.

    The session's test database is emptied first (its connections closed, the
    ``public`` schema dropped and made anew), which is much faster than a new
    database per test.
    """
    url = pg_server.url(_pg_test_database)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for a new, empty store: a SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def backend(store_url: str) -> str:
    """The SQLAlchemy backend name of ``store_url`` (``sqlite`` or ``postgresql``)."""
    return sa.engine.make_url(store_url).get_backend_name()
