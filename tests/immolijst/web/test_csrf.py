"""Every POST needs the session's CSRF token; refusals are 403 and change nothing."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from immolijst.web.db import AppDB


def test_login_without_token_is_refused(client: TestClient, helpers) -> None:
    client.get("/login")
    response = client.post("/login", data={"name": "worker1", "password": helpers.PASSWORD})
    assert response.status_code == 403
    assert "Formulier verlopen" in response.text
    assert client.get("/").status_code == 303


def test_login_without_session_is_refused(client: TestClient, helpers) -> None:
    response = client.post(
        "/login", data={"name": "worker1", "password": helpers.PASSWORD, "csrf_token": "x"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_household_post_with_missing_or_wrong_token_is_refused(
    worker_client: TestClient, app_db: AppDB, helpers, token: str | None
) -> None:
    data = dict(helpers.GOOD_FORM)
    if token is not None:
        data["csrf_token"] = token
    response = worker_client.post("/huishoudens/nieuw", data=data)
    assert response.status_code == 403
    assert app_db.list_households() == []
    # Nothing of the posted household is echoed in the refusal.
    assert helpers.GOOD_FORM["label"] not in response.text


def test_token_of_another_session_is_refused(app, worker_client: TestClient, helpers) -> None:
    other = helpers.new_client(app, "worker2")
    foreign = helpers.csrf_token(other.get("/").text)
    other.close()
    response = worker_client.post(
        "/huishoudens/nieuw", data={**helpers.GOOD_FORM, "csrf_token": foreign}
    )
    assert response.status_code == 403


def test_delete_without_token_keeps_the_household(
    worker_client: TestClient, app_db: AppDB, helpers
) -> None:
    household_id = helpers.create_household(worker_client)
    response = worker_client.post(f"/huishoudens/{household_id}/verwijderen", data={})
    assert response.status_code == 403
    assert app_db.get_household(household_id) is not None


def test_json_body_is_refused(worker_client: TestClient) -> None:
    response = worker_client.post("/huishoudens/nieuw", json={"label": "x"})
    assert response.status_code == 403


def test_the_token_changes_at_login(client: TestClient, helpers) -> None:
    before = helpers.csrf_token(client.get("/login").text)
    helpers.login(client, "worker1")
    after = helpers.csrf_token(client.get("/").text)
    assert before != after


def test_oversized_body_is_refused(worker_client: TestClient, helpers) -> None:
    token = helpers.csrf_token(worker_client.get("/").text)
    response = worker_client.post(
        "/huishoudens/nieuw", data={"csrf_token": token, "label": "x" * 300_000}
    )
    assert response.status_code == 413
