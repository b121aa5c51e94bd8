"""Accessibility: axe-core in the browser (no serious or critical violations) and keyboard use.

axe-core is vendored in ``vendor/axe.min.js`` (MPL-2.0) and injected into pages of a
context that bypasses the app's CSP (the app itself allows no foreign scripts).
"""

from __future__ import annotations

from typing import Any

import pytest


def test_axe_finds_seeded_violations(axe_page: Any, live_server: str, helpers: Any) -> None:
    # The check itself works: a page with a known serious problem is reported.
    axe_page.goto(f"{live_server}/login")
    axe_page.evaluate("document.querySelector('label[for=name]').remove()")
    assert any(v.startswith("label") for v in helpers.serious_violations(axe_page))


def test_login_page_has_no_serious_violations(
    axe_page: Any, live_server: str, helpers: Any
) -> None:
    axe_page.goto(f"{live_server}/login")
    assert helpers.serious_violations(axe_page) == []


def test_households_list_has_no_serious_violations(
    axe_page: Any, live_server: str, helpers
) -> None:
    helpers.browser_login(axe_page, live_server, "worker1")
    axe_page.goto(f"{live_server}/huishoudens/nieuw")
    axe_page.locator("#label").fill("Gezin Zonnebloem")
    axe_page.locator("#members-0-birth_date").fill("1987-03-21")
    axe_page.get_by_role("button", name="Bewaren").click()
    axe_page.wait_for_url(f"{live_server}/huishoudens/*")
    assert helpers.serious_violations(axe_page) == []  # the household overview
    axe_page.goto(f"{live_server}/")
    assert axe_page.locator("tbody tr").count() == 1
    assert helpers.serious_violations(axe_page) == []


def test_intake_form_with_errors_has_no_serious_violations(
    axe_page: Any, live_server: str, helpers
) -> None:
    helpers.browser_login(axe_page, live_server, "worker1")
    axe_page.goto(f"{live_server}/huishoudens/nieuw")
    axe_page.get_by_role("button", name="Gezinslid toevoegen").click()
    axe_page.locator("#members-1-birth_date").fill("2090-01-01")
    axe_page.get_by_label("Loon (€ per maand)", exact=True).fill("veel")
    axe_page.get_by_role("button", name="Bewaren").click()
    assert axe_page.locator(".field-error").count() >= 3
    assert helpers.serious_violations(axe_page) == []


def test_login_by_keyboard_only(page: Any, live_server: str, helpers) -> None:
    page.goto(f"{live_server}/login")
    order = []
    for _ in range(5):
        page.keyboard.press("Tab")
        order.append(
            page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
        )
    # skip link, the site title (home link), name, password, submit
    assert order == ["Naar de inhoud", "Woonclub W13 — immolijst", "name", "password", "Aanmelden"]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "name"
    # The focused field shows a visible focus ring.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.type("worker1")
    page.keyboard.press("Tab")
    page.keyboard.type(helpers.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/")
    assert "Aangemeld als worker1" in page.content()


@pytest.mark.parametrize("key", ["Enter"])
def test_enter_in_the_intake_form_saves_not_adds_a_member(
    page: Any, live_server: str, helpers, app_db, key: str
) -> None:
    helpers.browser_login(page, live_server, "worker1")
    page.goto(f"{live_server}/huishoudens/nieuw")
    page.locator("#label").fill("Gezin Klaproos")
    page.locator("#members-0-birth_date").fill("1990-01-01")
    page.locator("#members-0-birth_date").press(key)
    page.wait_for_url(f"{live_server}/huishoudens/*")
    assert len(app_db.list_households()) == 1
