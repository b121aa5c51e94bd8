"""The web app serving while a nightly run writes loses no update (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from starlette.testclient import TestClient

from immolijst.nightly import EXIT_OK
from immolijst.nightly._tables import nightly_runs
from immolijst.settings import Settings
from immolijst.web.app import WebOptions, create_app
from immolijst.web.auth import hash_password
from immolijst.web.db import AppDB
from listings import Store
from scrapers.run import RECORDINGS_DIR

PASSWORD = "geheim-wachtwoord-13"
#: A valid household as the intake form posts it.
FORM: dict[str, Any] = {
    "member_count": "1",
    "members-0-role": "applicant",
    "members-0-birth_date": "1980-05-02",
    "members-0-custody": "full",
    "income-wage": "1.850,00",
    "taxable_annual": "22200",
    "waiting_list_since": "",
    "leaving": "none",
    "municipalities": ["Kortrijk"],
    "action": "save",
}
MAX_ROUNDS = 60


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def _save(client: TestClient, path: str, label: str) -> Any:
    token = _token(client.get(path).text)
    return client.post(path, data={**FORM, "label": label, "csrf_token": token})


def test_web_edits_during_a_nightly_run_are_all_kept(settings: Settings, tmp_path: Path) -> None:
    url = settings.database_url
    Store(url).close()
    db = AppDB(url)
    db.add_user("worker1", "worker", hash_password(PASSWORD))
    app = create_app(settings, options=WebOptions(secret_key="test-secret-" + "x" * 32))
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMMOLIJST_")}
    command = [sys.executable, "-m", "immolijst.nightly", "--db", url, "--replay"]
    command += [str(RECORDINGS_DIR / "2026-11-20"), "--source", "zimmo", "--source", "immoweb"]
    expected: dict[str, str] = {}
    with (tmp_path / "nightly.log").open("w") as log:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
        try:
            with TestClient(app, base_url="http://localhost", follow_redirects=False) as client:
                token = _token(client.get("/login").text)
                response = client.post(
                    "/login", data={"name": "worker1", "password": PASSWORD, "csrf_token": token}
                )
                assert response.status_code == 303
                rounds = 0
                while process.poll() is None and rounds < MAX_ROUNDS:
                    rounds += 1
                    created = _save(client, "/huishoudens/nieuw", f"Huishouden {rounds}")
                    assert created.status_code == 303, created.text
                    household_id = created.headers["location"].rsplit("/", 1)[1]
                    label = f"Huishouden {rounds} bewerkt"
                    edited = _save(client, f"/huishoudens/{household_id}/bewerken", label)
                    assert edited.status_code == 303, edited.text
                    expected[household_id] = label
                    assert client.get("/").status_code == 200
                    page = client.get(f"/huishoudens/{household_id}/immolijst")
                    assert page.status_code == 200, page.text
                    time.sleep(0.05)
            returncode = process.wait(timeout=300)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    stderr = (tmp_path / "nightly.log").read_text()
    assert returncode == EXIT_OK, stderr
    assert len(expected) >= 3, "the nightly run ended before the web app could write"
    for household_id, label in expected.items():
        record = db.get_household(household_id)
        assert record is not None
        assert record.label == label
        assert record.data["income"]["taxable_annual"] == 22200
    with db.engine.connect() as conn:
        status, report = conn.execute(sa.select(nightly_runs.c.status, nightly_runs.c.report)).one()
    assert status == "complete"
    assert json.loads(report)["matches"]["skipped"] == 0
    db.close()
    app.state.db.close()
    page_store = getattr(app.state, "w2_store", None)  # opened by the immolijst page
    if page_store is not None:
        page_store.close()
