"""Role × surface × object: nobody reads outside their area, in pages or the API."""

import pytest

from langso.accounts.roles import Role
from langso.geo.models import Commune
from tests.factories.accounts import (
    UserFactory,
    analyst,
    commune_officer,
    province_admin,
    team_member,
)
from tests.factories.geo import VillageFactory
from tests.factories.sessions import api_client, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    other_cb = Commune.objects.filter(province_id="04", kind="xa").order_by("code").first()
    v_own = VillageFactory(commune_id="01273", name="Nà Rị")
    v_same_commune = VillageFactory(commune_id="01273", name="Bó Mạ")
    v_same_province = VillageFactory(commune_id=other_cb.code, name="Pác Bó")
    v_other_province = VillageFactory(commune_id="07210", name="Tổ dân phố 1")
    users = {
        "province_admin": province_admin("04"),
        "analyst": analyst("04"),
        "commune_officer": commune_officer("01273"),
        "team_member": team_member(v_own),
        "no_area": UserFactory(role=Role.COMMUNE_OFFICER.value),
    }
    villages = {
        "own": v_own,
        "same_commune": v_same_commune,
        "same_province": v_same_province,
        "other_province": v_other_province,
    }
    return users, villages


VISIBLE = {
    "province_admin": {"own", "same_commune", "same_province"},
    "analyst": {"own", "same_commune", "same_province"},
    "commune_officer": {"own", "same_commune"},
    "team_member": {"own"},
    "no_area": set(),
}
ROLES = sorted(VISIBLE)
PLACES = ["own", "same_commune", "same_province", "other_province"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("place", PLACES)
def test_api_village_detail_answers_only_inside_the_area(world, role, place):
    users, villages = world
    response = api_client(users[role]).get(f"/api/v1/geo/villages/{villages[place].pk}")
    assert response.status_code == (200 if place in VISIBLE[role] else 404)


@pytest.mark.parametrize("role", ROLES)
def test_api_village_list_holds_exactly_the_area(world, role):
    users, villages = world
    response = api_client(users[role]).get("/api/v1/geo/villages?limit=1000")
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    wanted = {villages[p].pk for p in VISIBLE[role]}
    test_ids = {v.pk for v in villages.values()}
    assert ids & test_ids == wanted


@pytest.mark.parametrize("role", ROLES)
def test_api_commune_list_stays_in_the_area(world, role):
    users, _ = world
    response = api_client(users[role]).get("/api/v1/geo/communes?limit=1000")
    provinces = {c["province_code"] for c in response.json()["items"]}
    assert provinces <= ({"04"} if role != "no_area" else set())
    codes = {c["code"] for c in response.json()["items"]}
    if role in {"commune_officer", "team_member"}:
        assert codes == {"01273"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("place", PLACES)
def test_commune_page_opens_only_inside_the_area(world, role, place):
    """A commune page opens for users of the commune, its province, or one of its villages."""
    users, villages = world
    commune = villages[place].commune_id
    visible_communes = {villages[p].commune_id for p in VISIBLE[role]}
    response = signed_in(users[role]).get(f"/geo/communes/{commune}/")
    assert response.status_code == (200 if commune in visible_communes else 404)


@pytest.mark.parametrize("role", ROLES)
def test_commune_page_lists_only_villages_inside_the_area(world, role):
    users, _villages = world
    response = signed_in(users[role]).get("/geo/communes/01273/")
    if role == "no_area":
        assert response.status_code == 404
        return
    body = response.content.decode()
    assert ("Bó Mạ" in body) == ("same_commune" in VISIBLE[role])
    assert "Nà Rị" in body


def test_user_with_no_area_sees_nothing_on_the_areas_page(world):
    users, _ = world
    body = signed_in(users["no_area"]).get("/geo/").content.decode()
    assert "Phường Thục Phán" not in body
    assert "0 đơn vị" in body


def test_province_admin_cannot_write_in_another_province(world):
    users, _ = world
    response = api_client(users["province_admin"]).post(
        "/api/v1/geo/villages",
        {"commune_code": "07210", "name": "Lạ", "kind": "thon"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "commune"
