"""Login, password hashing, throttling, session cookie flags, logout, login required."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from immolijst.web.auth import LoginThrottle, hash_password, verify_password
from immolijst.web.db import AppDB


def test_passwords_are_hashed_with_argon2id(app_db: AppDB, helpers) -> None:
    user = app_db.user_by_name("worker1")
    assert user is not None
    stored = app_db.password_hash(user.id)
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert helpers.PASSWORD not in stored
    assert verify_password(stored, helpers.PASSWORD)
    assert not verify_password(stored, helpers.PASSWORD + "x")


def test_hash_is_salted_and_bad_hash_does_not_raise() -> None:
    assert hash_password("zelfde") != hash_password("zelfde")
    assert verify_password("not-a-hash", "zelfde") is False


def test_login_with_good_password_starts_a_session(client: TestClient, helpers) -> None:
    response = helpers.login(client, "worker1")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert "Aangemeld als worker1" in page.text


@pytest.mark.parametrize(("name", "password"), [("worker1", "fout-wachtwoord"), ("niemand", "x")])
def test_login_failure_is_the_same_for_unknown_user_and_wrong_password(
    client: TestClient, app_db: AppDB, helpers, name: str, password: str
) -> None:
    response = helpers.login(client, name, password)
    assert response.status_code == 401
    assert "De naam of het wachtwoord klopt niet." in response.text
    assert client.get("/").status_code == 303
    assert [e.action for e in app_db.audit_entries()] == ["login_failed"]


def test_session_cookie_is_httponly_samesite_and_signed(client: TestClient, helpers) -> None:
    response = helpers.login(client, "worker1")
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("immolijst_session=")
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "max-age=28800" in cookie  # 8 hours
    # A tampered cookie is not accepted.
    value = client.cookies["immolijst_session"]
    client.cookies.clear()
    client.cookies.set("immolijst_session", value)
    assert client.get("/").status_code == 200  # the same cookie set again still works
    client.cookies.clear()
    client.cookies.set("immolijst_session", value[:-3] + ("AAA" if value[-3:] != "AAA" else "BBB"))
    assert client.get("/").status_code == 303


def test_https_only_option_marks_the_cookie_secure(seeded_settings, helpers) -> None:
    from immolijst.web.app import WebOptions, create_app

    app = create_app(seeded_settings, options=WebOptions(secret_key="s" * 40, https_only=True))
    with TestClient(app, base_url="https://localhost", follow_redirects=False) as client:
        response = helpers.login(client, "worker1")
        assert "secure" in response.headers["set-cookie"].lower()
        assert "strict-transport-security" in response.headers
    app.state.db.close()


def test_logout_invalidates_the_old_cookie(client: TestClient, app_db: AppDB, helpers) -> None:
    helpers.login(client, "worker1")
    stolen = client.cookies["immolijst_session"]
    token = helpers.csrf_token(client.get("/").text)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert client.get("/").status_code == 303
    # Replaying the cookie from before the logout does not work either.
    client.cookies.clear()
    client.cookies.set("immolijst_session", stolen)
    response = client.get("/")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert [e.action for e in app_db.audit_entries()] == ["login", "logout"]


def test_logout_needs_post_with_csrf(client: TestClient, helpers) -> None:
    helpers.login(client, "worker1")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout", data={}).status_code == 403
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/huishoudens/nieuw",
        "/huishoudens/abcdefghijklmnopqrstuv",
        "/huishoudens/abcdefghijklmnopqrstuv/bewerken",
        "/huishoudens/abcdefghijklmnopqrstuv/verwijderen",
        "/bestaat-niet",
    ],
)
def test_every_page_but_login_redirects_to_login(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_login_and_static_files_are_public(client: TestClient) -> None:
    assert client.get("/login").status_code == 200
    assert client.get("/static/app.css").status_code == 200


def test_throttle_locks_out_exponentially() -> None:
    now = [1000.0]
    throttle = LoginThrottle(
        free_attempts=3, base_seconds=30, max_seconds=100, clock=lambda: now[0]
    )
    waits = [throttle.failure("Worker1", "10.0.0.1") for _ in range(6)]
    assert waits == [0, 0, 0, 30, 60, 100]
    assert throttle.locked_for("worker1", "10.0.0.1") == 100  # name is case-insensitive
    assert throttle.locked_for("worker1", "10.0.0.2") == 0  # other address: free
    assert throttle.locked_for("worker2", "10.0.0.1") == 0  # other name: free
    now[0] += 101
    assert throttle.locked_for("worker1", "10.0.0.1") == 0
    throttle.success("worker1", "10.0.0.1")
    assert throttle.failure("worker1", "10.0.0.1") == 0


@pytest.fixture
def throttle() -> LoginThrottle:
    return LoginThrottle(free_attempts=2, base_seconds=60)


def test_login_is_refused_while_locked_even_with_the_right_password(
    client: TestClient, helpers
) -> None:
    for _ in range(3):
        assert helpers.login(client, "worker1", "fout").status_code == 401
    response = helpers.login(client, "worker1")
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.text
    assert client.get("/").status_code == 303


def test_lockout_does_not_block_another_user(client: TestClient, helpers) -> None:
    for _ in range(3):
        helpers.login(client, "worker1", "fout")
    assert helpers.login(client, "worker2").status_code == 303


def test_inactive_or_unknown_session_user_is_logged_out(
    app: Starlette, app_db: AppDB, helpers
) -> None:
    client = helpers.new_client(app, "worker2")
    with app_db.engine.begin() as conn:
        from immolijst.web.db import users

        conn.execute(users.update().where(users.c.name == "worker2").values(active=False))
    assert client.get("/").status_code == 303
    assert helpers.login(client, "worker2").status_code == 401
    client.close()
