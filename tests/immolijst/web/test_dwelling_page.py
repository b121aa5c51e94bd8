"""HTTP-level tests of the page that explains one dwelling for one household (issue 6, page 4)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from immolijst.report._sample import seed_sample_store
from listings import Store
from listings._dwellings import dwelling_of


@pytest.fixture
def seeders(seeders: list[Any]) -> list[Any]:
    """Add the sample dwellings to the seeded database."""
    return [*seeders, lambda settings: seed_sample_store(settings.database_url)]


def _top_dwelling(settings: Any) -> int:
    with Store(settings.database_url) as store:
        dwelling_id = dwelling_of(store, "zimmo", "Z1")
    assert dwelling_id is not None
    return dwelling_id


def test_dwelling_page_explains_everything(
    worker_client: Any, helpers: Any, seeded_settings: Any, app_db: Any
) -> None:
    household_id = helpers.create_household(worker_client)
    dwelling_id = _top_dwelling(seeded_settings)
    listing_page = worker_client.get(f"/huishoudens/{household_id}/immolijst").text
    link = f"/huishoudens/{household_id}/woningen/{dwelling_id}"
    assert f'href="{link}"' in listing_page
    response = worker_client.get(link)
    assert response.status_code == 200
    html = response.text
    assert "Kerkstraat 12" in html
    # each allowance with its conditions and outcome, the formula and the parameters + source
    assert "Huurpremie:" in html
    assert "Huursubsidie:" in html
    assert "op de wachtlijst voor een sociale woning" in html
    assert 'class="outcome outcome-yes">voldaan<' in html
    assert 'class="outcome outcome-no">niet voldaan<' in html  # huursubsidie: no trigger
    formula = re.search(r"<strong>Berekening:</strong> ([^<]*)</p>", html)
    assert formula is not None
    assert "75 % × maximale huurprijs" in formula.group(1)
    assert "inkomen € 20.895,48 / 55" in formula.group(1)
    assert "income_limit" in html
    assert "max_rent" in html
    assert 'href="https://www.vlaanderen.be/' in html
    assert "bevestigd" in html
    assert "schatting" in html
    # next steps: huurpremie, the deposit via OCMW or the Woningfonds loan
    assert "Vraag ze aan bij Wonen in Vlaanderen" in html
    assert "OCMW" in html
    assert "huurwaarborglening" in html
    # every advert and the price history (rent went from 690 to 650)
    assert "https://www.zimmo.be/nl/te-huur/z1/" in html
    assert "https://www.immoweb.be/nl/te-huur/i1/" in html
    history = re.search(r"Prijs van de advertentie op zimmo Z1.*?</table>", html, flags=re.S)
    assert history is not None
    rents = re.findall(r'<td class="num">(€ [\d.,]+)</td><td class="num">€ 50,00', history.group(0))
    assert rents == ["€ 690,00", "€ 650,00"]
    assert ("open", household_id) in [(e.action, e.household_id) for e in app_db.audit_entries()]


def test_unknown_dwelling_is_404_and_other_worker_403(
    app: Any, worker_client: Any, helpers: Any, seeded_settings: Any
) -> None:
    household_id = helpers.create_household(worker_client)
    assert worker_client.get(f"/huishoudens/{household_id}/woningen/99999").status_code == 404
    dwelling_id = _top_dwelling(seeded_settings)
    with helpers.new_client(app, "worker2") as other:
        response = other.get(f"/huishoudens/{household_id}/woningen/{dwelling_id}")
        assert response.status_code == 403
        assert "Kerkstraat" not in response.text
