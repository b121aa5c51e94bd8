"""Security headers on every response; error pages show nothing of the request."""

from __future__ import annotations

import logging

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from immolijst.web.security import CSP


def _check_headers(headers) -> None:
    assert headers["content-security-policy"] == CSP
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"


def test_csp_allows_nothing_inline_or_foreign() -> None:
    assert "default-src 'self'" in CSP
    assert "unsafe-inline" not in CSP
    assert "unsafe-eval" not in CSP
    assert "frame-ancestors 'none'" in CSP
    assert "http" not in CSP


@pytest.mark.parametrize("path", ["/login", "/static/app.css", "/", "/bestaat-niet"])
def test_headers_on_public_and_redirect_responses(client: TestClient, path: str) -> None:
    _check_headers(client.get(path).headers)


def test_headers_on_pages_errors_and_refusals(worker_client: TestClient) -> None:
    for response in (
        worker_client.get("/"),
        worker_client.get("/huishoudens/nieuw"),
        worker_client.get("/bestaat-niet"),
        worker_client.post("/huishoudens/nieuw", data={}),
    ):
        _check_headers(response.headers)
    assert worker_client.get("/").headers["cache-control"] == "no-store"


def test_404_page_is_dutch(worker_client: TestClient) -> None:
    response = worker_client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Niet gevonden" in response.text


def test_templates_have_no_inline_scripts_or_styles(worker_client: TestClient) -> None:
    for path in ("/", "/huishoudens/nieuw"):
        html = worker_client.get(path).text
        assert "<script" not in html
        assert "style=" not in html
        assert "<style" not in html


def test_unhandled_error_gives_a_generic_dutch_page_without_data(
    app: Starlette, worker_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "Gezin Geheim 1987-03-21 1741,29"

    async def boom(request):
        raise ValueError(f"household {secret}")

    app.router.routes.insert(0, Route("/boom", boom))
    with caplog.at_level(logging.DEBUG):
        response = worker_client.get("/boom?label=Geheim")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.text
    assert "Geheim" not in response.text
    assert "Traceback" not in response.text
    _check_headers(response.headers)
    # Only the app's loggers (the test client logs its own request line).
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert "ValueError" in logged
    assert "Geheim" not in logged
