"""Fixtures of the web app tests: a seeded app, HTTP clients, a live server, a real browser.

Seeding is composable: the ``seeders`` fixture is a list of functions
``seed(settings) -> None`` run after the users are created. A test module (or
a conftest further down) extends it::

    @pytest.fixture
    def seeders(seeders):
        return [*seeders, seed_dwellings]

Every app uses a fresh SQLite file in ``tmp_path``. The browser is Debian's
chromium (``apt-get install chromium``), driven by Playwright for Python
without Playwright's own browser downloads; if it is missing the fixture
FAILS with a clear message (never skips).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.testclient import TestClient

from immolijst.settings import Settings
from immolijst.web.app import WebOptions, create_app
from immolijst.web.auth import LoginThrottle, hash_password
from immolijst.web.db import AppDB

#: Password of every seeded user.
PASSWORD = "geheim-wachtwoord-13"
#: Seeded users and their roles.
USERS = {"worker1": "worker", "worker2": "worker", "admin": "admin"}
#: Debian's chromium; override with IMMOLIJST_CHROMIUM.
CHROMIUM = os.environ.get("IMMOLIJST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
#: A household that passes validation, as posted by the intake form.
GOOD_FORM: dict[str, Any] = {
    "label": "Gezin Zonnebloem",
    "member_count": "2",
    "members-0-role": "applicant",
    "members-0-birth_date": "1987-03-21",
    "members-0-custody": "full",
    "members-1-role": "child",
    "members-1-birth_date": "2019-11-04",
    "members-1-custody": "full",
    "income-leefloon": "1.741,29",
    "income-groeipakket": "186,84",
    "taxable_annual": "20895,48",
    "waiting_list_since": "2019-02-01",
    "leaving": "none",
    "municipalities": ["Kortrijk", "Menen"],
    "property_types": ["apartment"],
    "min_bedrooms": "2",
    "action": "save",
}

_PASSWORD_HASH: str | None = None


def _password_hash() -> str:
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = hash_password(PASSWORD)
    return _PASSWORD_HASH


def seed_users(settings: Settings) -> None:
    """Create worker1, worker2 (workers) and admin, all with :data:`PASSWORD`."""
    db = AppDB(settings.database_url)
    try:
        for name, role in USERS.items():
            db.add_user(name, role, _password_hash())
    finally:
        db.close()


@pytest.fixture
def web_settings(tmp_path: Path) -> Settings:
    """Settings with a fresh SQLite store in ``tmp_path``."""
    return Settings(database_url=f"sqlite:///{tmp_path / 'store.sqlite3'}", data_dir=tmp_path)


@pytest.fixture
def seeders() -> list[Callable[[Settings], None]]:
    """Extra seed functions, run after the users; extend this fixture to add data."""
    return []


@pytest.fixture
def seeded_settings(web_settings: Settings, seeders: list[Callable[[Settings], None]]) -> Settings:
    """The settings of a database with the users and whatever the seeders add."""
    seed_users(web_settings)
    for seed in seeders:
        seed(web_settings)
    return web_settings


@pytest.fixture
def throttle() -> LoginThrottle:
    """The login throttle of the app under test (tests may give it a fake clock)."""
    return LoginThrottle()


@pytest.fixture
def app(seeded_settings: Settings, throttle: LoginThrottle) -> Iterator[Starlette]:
    """The web app over the seeded database."""
    application = create_app(
        seeded_settings, options=WebOptions(secret_key="test-secret-" + "x" * 32), throttle=throttle
    )
    yield application
    application.state.db.close()


@pytest.fixture
def app_db(app: Starlette) -> AppDB:
    """The app's database access object."""
    db: AppDB = app.state.db
    return db


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    """An HTTP client that is not logged in (redirects are not followed)."""
    with TestClient(app, base_url="http://localhost", follow_redirects=False) as test_client:
        yield test_client


def csrf_token(html: str) -> str:
    """Return the CSRF token of the first form in ``html``."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    """Log ``client`` in as ``name``; return the login POST's response."""
    token = csrf_token(client.get("/login").text)
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token})


def new_client(app: Starlette, name: str) -> TestClient:
    """A fresh client logged in as ``name`` (close it after use)."""
    test_client = TestClient(app, base_url="http://localhost", follow_redirects=False)
    response = login(test_client, name)
    assert response.status_code == 303, response.text
    return test_client


@pytest.fixture
def worker_client(app: Starlette) -> Iterator[TestClient]:
    """A client logged in as worker1."""
    with new_client(app, "worker1") as test_client:
        yield test_client


def create_household(test_client: TestClient, **changes: Any) -> str:
    """Create a household through the form (:data:`GOOD_FORM` with ``changes``); return its id."""
    token = csrf_token(test_client.get("/huishoudens/nieuw").text)
    response = test_client.post(
        "/huishoudens/nieuw", data={**GOOD_FORM, **changes, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    match = re.fullmatch(r"/huishoudens/([A-Za-z0-9_-]{22})", location)
    assert match, location
    return match.group(1)


# -- live server and browser ---------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_server(app: Starlette) -> Iterator[str]:
    """Serve the app with uvicorn on a free loopback port in a thread; yield its base URL."""
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _chromium_path() -> str:
    path = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if path is None:
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's package "
            "(`apt-get install -y chromium`) or set IMMOLIJST_CHROMIUM. "
            "The browser tests do not use Playwright's own browser downloads.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, driven by Playwright (one per test session)."""
    path = _chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page (own cookies), with the app's CSP enforced."""
    context = browser.new_context(locale="nl-BE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_page(browser: Any) -> Iterator[Any]:
    """A fresh page whose context bypasses CSP, so axe-core can be injected."""
    context = browser.new_context(locale="nl-BE", bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def browser_login(page: Any, base_url: str, name: str = "worker1") -> None:
    """Log in through the login form."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Gebruikersnaam").fill(name)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(f"{base_url}/")


#: axe-core, vendored (MPL-2.0).
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 AA and best-practice violations on ``page``.

    ``page`` must bypass the app's CSP (the ``axe_page`` fixture) for axe to be injected.
    """
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                            'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


class Helpers:
    """The helpers above as one object, for tests (``helpers`` fixture): modules
    cannot import a conftest under ``--import-mode=importlib``."""

    PASSWORD = PASSWORD
    USERS = USERS
    GOOD_FORM = GOOD_FORM
    csrf_token = staticmethod(csrf_token)
    login = staticmethod(login)
    new_client = staticmethod(new_client)
    create_household = staticmethod(create_household)
    browser_login = staticmethod(browser_login)
    serious_violations = staticmethod(serious_violations)
    seed_users = staticmethod(seed_users)


@pytest.fixture
def helpers() -> type[Helpers]:
    """Login, CSRF and household-creation helpers and the seeded credentials."""
    return Helpers
