"""Households over HTTP: create, edit, delete, validation next to the field, access,
audit, privacy."""

from __future__ import annotations

import html
import logging
import re

import pytest
import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.testclient import TestClient

from immolijst.web.db import AppDB, audit_log, households
from immolijst.web.households import FormState, field_for_path, validate


def _field_error(page: str, field_id: str) -> str:
    """The error text shown next to input ``field_id`` (empty when none)."""
    match = re.search(
        rf'<p class="field-error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S
    )
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""


def _input_value(page: str, field_id: str) -> str:
    match = re.search(
        rf'<input type="text" id="{re.escape(field_id)}" name="[^"]+" value="([^"]*)"', page
    )
    assert match, f"no input {field_id}"
    return html.unescape(match.group(1))


@pytest.fixture
def post_form(helpers):
    """Post the intake form at ``url``: the good household with ``changes``."""

    def post(client: TestClient, url: str, **changes: object):
        token = helpers.csrf_token(client.get(url).text)
        return client.post(url, data={**helpers.GOOD_FORM, **changes, "csrf_token": token})

    return post


# -- create / show / edit / delete ------------------------------------------------------------


def test_create_shows_the_overview_with_belgian_amounts(
    worker_client: TestClient, app_db: AppDB, helpers
) -> None:
    household_id = helpers.create_household(worker_client)
    page = worker_client.get(f"/huishoudens/{household_id}")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Huishouden Gezin Zonnebloem" in text
    assert "Het huishouden is bewaard." in text
    assert "€ 1.741,29" in text
    assert "€ 186,84" in text
    assert "€ 1.928,13" in text
    assert "Kortrijk, Menen" in text
    record = app_db.get_household(household_id)
    assert record is not None
    assert record.label == "Gezin Zonnebloem"
    assert record.data["members"][1] == {
        "role": "child",
        "birth_date": "2019-11-04",
        "disability": False,
        "sex": None,
        "custody": "full",
    }
    assert record.data["income"]["net_monthly"] == {"leefloon": 1741.29, "groeipakket": 186.84}
    assert record.data["income"]["taxable_annual"] == 20895.48
    assert record.data["preferences"]["min_bedrooms"] == 2


def test_list_shows_own_households_only(app: Starlette, worker_client: TestClient, helpers) -> None:
    helpers.create_household(worker_client, label="Gezin Zonnebloem")
    other = helpers.new_client(app, "worker2")
    helpers.create_household(other, label="Gezin Klaproos")
    mine = worker_client.get("/").text
    assert "Gezin Zonnebloem" in mine
    assert "Gezin Klaproos" not in mine
    theirs = other.get("/").text
    assert "Gezin Klaproos" in theirs
    assert "Gezin Zonnebloem" not in theirs
    other.close()


def test_admin_sees_every_household_with_its_owner(
    app: Starlette, worker_client: TestClient, helpers
) -> None:
    first = helpers.create_household(worker_client, label="Gezin Zonnebloem")
    other = helpers.new_client(app, "worker2")
    helpers.create_household(other, label="Gezin Klaproos")
    other.close()
    admin = helpers.new_client(app, "admin")
    page = admin.get("/").text
    assert "Gezin Zonnebloem" in page
    assert "Gezin Klaproos" in page
    assert "<td>worker1</td>" in page
    assert "<td>worker2</td>" in page
    assert admin.get(f"/huishoudens/{first}").status_code == 200
    assert admin.get(f"/huishoudens/{first}/bewerken").status_code == 200
    admin.close()


def test_edit_form_is_filled_and_saves_changes(
    post_form, worker_client: TestClient, app_db: AppDB, helpers
) -> None:
    household_id = helpers.create_household(worker_client)
    url = f"/huishoudens/{household_id}/bewerken"
    form = worker_client.get(url).text
    assert _input_value(form, "label") == "Gezin Zonnebloem"
    assert _input_value(form, "members-1-birth_date") == "2019-11-04"
    assert _input_value(form, "income-leefloon") == "1741,29"
    assert 'value="Menen" checked' in form
    response = post_form(worker_client, url, **{"income-leefloon": "1800", "label": "Gezin Roos"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/huishoudens/{household_id}"
    record = app_db.get_household(household_id)
    assert record is not None
    assert record.label == "Gezin Roos"
    assert record.data["income"]["net_monthly"]["leefloon"] == 1800


def test_delete_asks_then_erases_completely(
    worker_client: TestClient, app_db: AppDB, helpers
) -> None:
    household_id = helpers.create_household(worker_client)
    worker_client.get(f"/huishoudens/{household_id}")
    confirm = worker_client.get(f"/huishoudens/{household_id}/verwijderen")
    assert confirm.status_code == 200
    assert "Ja, verwijder alles" in confirm.text
    assert app_db.get_household(household_id) is not None  # GET does not delete
    token = helpers.csrf_token(confirm.text)
    response = worker_client.post(
        f"/huishoudens/{household_id}/verwijderen", data={"csrf_token": token}
    )
    assert response.status_code == 303
    assert "Het huishouden is helemaal verwijderd." in worker_client.get("/").text
    assert worker_client.get(f"/huishoudens/{household_id}").status_code == 404
    with app_db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(households)).scalar() == 0
        rows = conn.execute(sa.select(audit_log)).mappings().all()
    # The audit log keeps who did what to which id, and nothing of the content.
    assert [r["action"] for r in rows if r["household_id"]] == ["create", "open", "delete"]
    assert {r["household_id"] for r in rows if r["household_id"]} == {household_id}
    assert set(rows[0].keys()) == {"id", "at", "user_name", "action", "household_id"}


def test_unknown_household_is_404(worker_client: TestClient) -> None:
    for path in ("/huishoudens/abcdefghijklmnopqrstuv", "/huishoudens/a%20b/bewerken"):
        response = worker_client.get(path)
        assert response.status_code == 404
        assert "Niet gevonden" in response.text


def test_another_workers_household_is_403(
    app: Starlette, worker_client: TestClient, app_db: AppDB, helpers
) -> None:
    household_id = helpers.create_household(worker_client)
    other = helpers.new_client(app, "worker2")
    for path in ("", "/bewerken", "/verwijderen"):
        response = other.get(f"/huishoudens/{household_id}{path}")
        assert response.status_code == 403, path
        assert "Geen toegang" in response.text
        assert "Zonnebloem" not in response.text
    token = helpers.csrf_token(other.get("/").text)
    assert (
        other.post(
            f"/huishoudens/{household_id}/verwijderen", data={"csrf_token": token}
        ).status_code
        == 403
    )
    response = other.post(
        f"/huishoudens/{household_id}/bewerken",
        data={**helpers.GOOD_FORM, "label": "Overgenomen", "csrf_token": token},
    )
    assert response.status_code == 403
    other.close()
    record = app_db.get_household(household_id)
    assert record is not None
    assert record.label == "Gezin Zonnebloem"
    assert all(e.user_name != "worker2" for e in app_db.audit_entries(household_id))


# -- validation ----------------------------------------------------------------------------------


def test_future_birth_date_is_shown_next_to_the_field_in_dutch_and_typed_values_kept(
    post_form, worker_client: TestClient, app_db: AppDB
) -> None:
    response = post_form(
        worker_client,
        "/huishoudens/nieuw",
        **{"members-1-birth_date": "2090-01-01", "income-wage": "veel", "min_bedrooms": "twee"},
    )
    assert response.status_code == 422
    page = response.text
    assert _field_error(page, "members-1-birth_date") == "Geboortedatum ligt in de toekomst"
    assert _field_error(page, "income-wage") == "Geen geldig bedrag"
    assert _field_error(page, "min_bedrooms") == "Geen geldig getal"
    assert _field_error(page, "members-0-birth_date") == ""
    # What was typed stays in the form.
    assert _input_value(page, "members-1-birth_date") == "2090-01-01"
    assert _input_value(page, "income-wage") == "veel"
    assert _input_value(page, "income-leefloon") == "1.741,29"
    assert _input_value(page, "label") == "Gezin Zonnebloem"
    assert 'value="Kortrijk" checked' in page
    # The input points at its error, and the summary links to the input.
    assert re.search(
        r'id="members-1-birth_date"[^>]*aria-describedby="members-1-birth_date-help '
        r'members-1-birth_date-error" aria-invalid="true"',
        page,
    )
    assert 'href="#members-1-birth_date"' in page
    assert "Er zijn 3 fouten in het formulier" in html.unescape(page)
    assert app_db.list_households() == []


def test_missing_label_and_birth_date(post_form, worker_client: TestClient) -> None:
    response = post_form(
        worker_client, "/huishoudens/nieuw", label="", **{"members-0-birth_date": ""}
    )
    assert response.status_code == 422
    assert _field_error(response.text, "label") == "Geef een schuilnaam"
    assert _field_error(response.text, "members-0-birth_date") == "Dit gegeven ontbreekt"


def test_role_problems_are_shown_on_the_members_group(post_form, worker_client: TestClient) -> None:
    response = post_form(worker_client, "/huishoudens/nieuw", **{"members-0-role": "adult"})
    assert response.status_code == 422
    assert "Er is geen aanvrager" in _field_error(response.text, "members")


def test_belgian_dates_and_amounts_are_accepted(
    post_form, worker_client: TestClient, app_db: AppDB
) -> None:
    response = post_form(
        worker_client,
        "/huishoudens/nieuw",
        **{"members-0-birth_date": "21/03/1987", "income-wage": "€ 2.100", "taxable_annual": ""},
    )
    assert response.status_code == 303
    (record,) = app_db.list_households()
    assert record.data["members"][0]["birth_date"] == "1987-03-21"
    assert record.data["income"]["net_monthly"]["wage"] == 2100
    assert record.data["income"]["taxable_annual"] is None


def test_add_and_remove_member_rerender_without_saving(
    post_form, worker_client: TestClient, app_db: AppDB
) -> None:
    added = post_form(worker_client, "/huishoudens/nieuw", action="add_member")
    assert added.status_code == 200
    assert 'name="member_count" value="3"' in added.text
    assert 'id="members-2-birth_date"' in added.text
    assert _input_value(added.text, "members-1-birth_date") == "2019-11-04"
    assert "field-error" not in added.text
    removed = post_form(worker_client, "/huishoudens/nieuw", action="remove_member-0")
    assert 'name="member_count" value="1"' in removed.text
    assert _input_value(removed.text, "members-0-birth_date") == "2019-11-04"
    assert app_db.list_households() == []


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("members[3].birth_date", "members-3-birth_date"),
        ("members[0].sex", "members-0-sex"),
        ("members[0]", "members"),
        ("members", "members"),
        ("income.net_monthly.pension", "income-pension"),
        ("income.net_monthly.salary", "income"),
        ("income.taxable_annual", "taxable_annual"),
        ("situation.waiting_list_since", "waiting_list_since"),
        ("preferences.municipalities[2]", "municipalities"),
        ("preferences.move_in_by", "move_in_by"),
        ("household", "form"),
    ],
)
def test_every_problem_path_maps_to_an_input(path: str, field: str) -> None:
    assert field_for_path(path) == field


def test_unknown_municipality_gets_a_dutch_message() -> None:
    state = FormState(label="x", municipalities=["Kortrijkk"])
    state.members[0]["birth_date"] = "1990-01-01"
    result = validate(state)
    assert result.household is None
    assert result.errors["municipalities"][0].startswith("Onbekende gemeente")


# -- privacy ----------------------------------------------------------------------------------


def test_no_household_data_in_urls_or_logs(
    post_form, app: Starlette, worker_client: TestClient, caplog: pytest.LogCaptureFixture, helpers
) -> None:
    secrets = ["Zonnebloem", "1987-03-21", "2019-11-04", "1741", "1.741", "186,84", "20895"]
    redirects: list[str] = []
    with caplog.at_level(logging.DEBUG):
        # error, create, open, edit with an error, update, delete
        bad = post_form(
            worker_client, "/huishoudens/nieuw", **{"members-1-birth_date": "2090-01-01"}
        )
        assert bad.status_code == 422
        household_id = helpers.create_household(worker_client)
        page = worker_client.get(f"/huishoudens/{household_id}")
        redirects += re.findall(r'(?:href|action)="(/[^"]*)"', page.text)
        url = f"/huishoudens/{household_id}/bewerken"
        assert post_form(worker_client, url, taxable_annual="-1").status_code == 422
        response = post_form(worker_client, url)
        redirects.append(response.headers["location"])
        token = helpers.csrf_token(worker_client.get("/").text)
        response = worker_client.post(
            f"/huishoudens/{household_id}/verwijderen", data={"csrf_token": token}
        )
        redirects.append(response.headers["location"])
    app_records = [r for r in caplog.records if not r.name.startswith("httpx")]
    assert any(r.name == "immolijst.web.access" for r in app_records)
    logged = "\n".join(r.getMessage() for r in app_records)
    for secret in secrets:
        assert secret not in logged, secret
        for url in redirects:
            assert secret not in url, (secret, url)
    # Every household URL carries only the opaque 22-character id.
    assert all(
        re.fullmatch(r"/(huishoudens/([A-Za-z0-9_-]{22}(/\w+)?|nieuw))?|/static/.*|/logout", u)
        for u in redirects
    ), redirects


def test_audit_records_open_create_update(
    post_form, worker_client: TestClient, app_db: AppDB, helpers
) -> None:
    household_id = helpers.create_household(worker_client)
    worker_client.get(f"/huishoudens/{household_id}")
    post_form(worker_client, f"/huishoudens/{household_id}/bewerken")
    entries = app_db.audit_entries(household_id)
    assert [(e.user_name, e.action) for e in entries] == [
        ("worker1", "create"),
        ("worker1", "open"),
        ("worker1", "open"),  # the edit form shows the household
        ("worker1", "update"),
    ]
    record = app_db.get_household(household_id)
    assert record is not None
    assert record.last_opened_at is not None
