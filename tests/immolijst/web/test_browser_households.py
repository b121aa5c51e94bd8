"""In a real browser (Debian's chromium via Playwright): log in, create a household with a
deliberate error, read the Dutch message, fix it, save; log out and be refused."""

from __future__ import annotations

from typing import Any

from immolijst.web.db import AppDB


def test_create_household_with_an_error_then_fix_it_then_log_out(
    page: Any, live_server: str, app_db: AppDB, helpers
) -> None:
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    helpers.browser_login(page, live_server, "worker1")
    assert page.get_by_role("heading", name="Huishoudens").is_visible()

    page.get_by_role("link", name="Nieuw huishouden").first.click()
    page.wait_for_url(f"{live_server}/huishoudens/nieuw")
    page.locator("#label").fill("Gezin Zonnebloem")
    page.locator("#members-0-birth_date").fill("1987-03-21")
    page.get_by_role("button", name="Gezinslid toevoegen").click()
    # The server re-rendered the form with a second member, keeping what was typed.
    assert page.locator("#label").input_value() == "Gezin Zonnebloem"
    page.locator("#members-1-role").select_option("child")
    page.locator("#members-1-birth_date").fill("2090-01-01")  # deliberately in the future
    page.get_by_label("Leefloon (€ per maand)").fill("1.741,29")
    page.get_by_label("Kortrijk").check()
    page.get_by_role("button", name="Bewaren").click()

    error = page.locator("#members-1-birth_date-error")
    assert error.inner_text() == "Geboortedatum ligt in de toekomst"
    summary = page.get_by_role("alert")
    assert "Er is 1 fout in het formulier" in summary.inner_text()
    assert page.locator("#members-1-birth_date").get_attribute("aria-invalid") == "true"
    assert page.locator("#members-1-birth_date").input_value() == "2090-01-01"
    assert page.get_by_label("Leefloon (€ per maand)").input_value() == "1.741,29"
    assert page.get_by_label("Kortrijk").is_checked()
    # The summary link takes the worker to the field.
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "members-1-birth_date"
    assert app_db.list_households() == []

    page.locator("#members-1-birth_date").fill("2019-11-04")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url(f"{live_server}/huishoudens/*")
    assert page.get_by_role("heading", level=1).inner_text() == "Huishouden Gezin Zonnebloem"
    assert page.get_by_role("status").inner_text() == "Het huishouden is bewaard."
    assert "€ 1.741,29" in page.content()
    (record,) = app_db.list_households()
    assert record.data["members"][1]["birth_date"] == "2019-11-04"
    assert page.url == f"{live_server}/huishoudens/{record.id}"  # only the opaque id

    page.get_by_role("button", name="Afmelden").click()
    page.wait_for_url(f"{live_server}/login")
    assert "U bent afgemeld." in page.content()
    page.goto(f"{live_server}/huishoudens/{record.id}")
    assert page.url == f"{live_server}/login"
    assert "Zonnebloem" not in page.content()
    assert csp_errors == []
