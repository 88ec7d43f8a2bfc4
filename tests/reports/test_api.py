"""The indicators API gives the dashboard's numbers, within the caller's area."""

import pytest

from langso.reports.aggregates import refresh
from tests.factories.accounts import commune_officer, province_admin
from tests.factories.geo import VillageFactory
from tests.factories.registry import household
from tests.factories.sessions import api_client, signed_in
from tests.reports.test_aggregates import HOME, NEIGHBOUR, TODAY, _assessed

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures():
    village = VillageFactory(commune_id=HOME, name="Nà Rị")
    homes = [household(village) for _ in range(4)]
    _assessed(homes[0], 2026, "poor")
    for home in homes[1:]:
        _assessed(home, 2026, "not_poor")
    refresh(province_code="04", communes=[HOME], years=[2026], today=TODAY)


def _by_code(response) -> dict:
    assert response.status_code == 200, response.content
    return {row["code"]: row for row in response.json()}


def test_the_poor_rate_of_the_api_is_the_dashboard_s(figures):
    officer = commune_officer(HOME)
    rows = _by_code(api_client(officer).get("/api/v1/reports/indicators?year=2026"))
    assert rows["poor_rate"]["value"] == 25.0
    assert "25,00%" in signed_in(officer).get("/reports/?year=2026").content.decode()


def test_an_officer_of_another_commune_gets_no_figures(figures):
    rows = _by_code(
        api_client(commune_officer(NEIGHBOUR)).get("/api/v1/reports/indicators?year=2026")
    )
    assert rows["poor_rate"]["value"] is None


def test_a_commune_outside_the_area_is_not_found(figures):
    response = api_client(commune_officer(NEIGHBOUR)).get(
        f"/api/v1/reports/indicators?year=2026&commune={HOME}"
    )
    assert response.status_code == 404


def test_the_figures_of_each_commune_are_listed_for_the_province(figures):
    response = api_client(province_admin("04")).get("/api/v1/reports/figures?year=2026")
    assert response.status_code == 200
    assert response.json()[HOME]["poor"] == 1
