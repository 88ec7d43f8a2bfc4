"""Role × surface × object for the telecom infrastructure registry: stations, hotspots, village
coverage and subscriber figures are read only inside the user's area, on the pages, in each
commune's numbers and in the API; and written only where the user may write."""

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from langso.accounts.roles import Role
from langso.infra.models import Coverage
from tests.factories.accounts import (
    UserFactory,
    analyst,
    commune_officer,
    province_admin,
    team_member,
)
from tests.factories.geo import VillageFactory
from tests.factories.infra import base_station, coverage, hotspot, subscriber_counts
from tests.factories.sessions import api_client, signed_in

pytestmark = pytest.mark.django_db

HOME = "01273"  # Phường Thục Phán, Cao Bằng
NEIGHBOUR = "01290"  # Xã Bảo Lâm, Cao Bằng
ELSEWHERE = "07210"  # Phường Bắc Giang, Bắc Ninh

ROLES = ["province_admin", "analyst", "commune_officer", "team_member", "no_area"]

# Stations, hotspots and coverage belong to a village.
PLACES = ["own", "same_commune", "same_province", "other_province"]
PLACES_VISIBLE = {
    "province_admin": {"own", "same_commune", "same_province"},
    "analyst": {"own", "same_commune", "same_province"},
    "commune_officer": {"own", "same_commune"},
    "team_member": {"own"},
    "no_area": set(),
}
PLACES_WRITABLE = {
    "province_admin": {"own", "same_commune", "same_province"},
    "analyst": set(),
    "commune_officer": {"own", "same_commune"},
    "team_member": set(),
    "no_area": set(),
}
# Subscriber figures belong to a commune: a village's volunteer reads none.
COMMUNES = {"home": HOME, "neighbour": NEIGHBOUR, "elsewhere": ELSEWHERE}
COMMUNES_VISIBLE = {
    "province_admin": {"home", "neighbour"},
    "analyst": {"home", "neighbour"},
    "commune_officer": {"home"},
    "team_member": set(),
    "no_area": set(),
}
# The overview has a row for each commune whose name the user may read (of the three communes
# above; a province's users have a row for each commune of the province).
OVERVIEW_ROWS = {**COMMUNES_VISIBLE, "team_member": {"home"}}


@pytest.fixture
def villages():
    return {
        "own": VillageFactory(commune_id=HOME, name="Nà Rị"),
        "same_commune": VillageFactory(commune_id=HOME, name="Bó Mạ"),
        "same_province": VillageFactory(commune_id=NEIGHBOUR, name="Pác Bó"),
        "other_province": VillageFactory(commune_id=ELSEWHERE, name="Tổ dân phố 1"),
    }


@pytest.fixture
def users(villages):
    return {
        "province_admin": province_admin("04"),
        "analyst": analyst("04"),
        "commune_officer": commune_officer(HOME),
        "team_member": team_member(villages["own"]),
        "no_area": UserFactory(role=Role.COMMUNE_OFFICER.value),
    }


@pytest.fixture
def things(villages):
    """In each village: a station, a hotspot and its 4G coverage; in each commune: figures."""
    made = {}
    for place, village in villages.items():
        admin = province_admin("24" if place == "other_province" else "04")
        code = village.commune_id
        made[place] = {
            "station": base_station(code, actor=admin, village=village, site_code=f"T-{place}"),
            "hotspot": hotspot(code, actor=admin, village=village, name=f"Wifi {place}"),
            "coverage": coverage(village, "4g", "partial", actor=admin),
        }
    for unit, code in COMMUNES.items():
        admin = province_admin("24" if unit == "elsewhere" else "04")
        subscriber_counts(code, "Q2/2026", {"Di động": 1000}, actor=admin)
    return made


def _cells(response, xpath: str) -> set[str]:
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    return {e.text_content().strip() for e in page.xpath(xpath)}


# ------------------------------------------------------------------ pages


@pytest.mark.parametrize("role", ROLES)
def test_the_stations_page_lists_exactly_the_stations_of_the_area(users, things, role):
    listed = _cells(
        signed_in(users[role]).get("/infra/stations/"), "//*[@data-testid='stations']//td[1]/b"
    )
    assert listed == {f"T-{p}" for p in PLACES_VISIBLE[role]}


@pytest.mark.parametrize("role", ROLES)
def test_the_hotspots_page_lists_exactly_the_hotspots_of_the_area(users, things, role):
    listed = _cells(
        signed_in(users[role]).get("/infra/hotspots/"),
        "//*[@data-testid='hotspots']//tr/td[1][not(@colspan)]",
    )
    assert listed == {f"Wifi {p} miễn phí" for p in PLACES_VISIBLE[role]}


@pytest.mark.parametrize("role", ROLES)
def test_the_subscribers_page_lists_exactly_the_communes_of_the_area(users, things, role):
    listed = _cells(
        signed_in(users[role]).get("/infra/subscribers/"),
        "//*[@data-testid='subscribers']//tr/td[1][not(@colspan)]",
    )
    names = {"home": "Phường Thục Phán", "neighbour": "Xã Bảo Lâm"}
    assert listed == {names[u] for u in COMMUNES_VISIBLE[role]}


@pytest.mark.parametrize("role", ROLES)
def test_the_overview_counts_only_what_the_user_may_read(users, things, role):
    rows = signed_in(users[role]).get("/infra/").context["rows"]
    codes = {r.commune.code for r in rows} & set(COMMUNES.values())
    assert codes == {COMMUNES[u] for u in OVERVIEW_ROWS[role]}
    assert sum(r.stations for r in rows) == len(PLACES_VISIBLE[role])
    assert sum(r.hotspots for r in rows) == len(PLACES_VISIBLE[role])
    assert sum(r.villages for r in rows) == len(PLACES_VISIBLE[role])
    assert sum(r.coverage.get("4g", {}).get("partial", 0) for r in rows) == len(
        PLACES_VISIBLE[role]
    )
    assert sum(r.subscribers.get("mobile", 0) for r in rows) == 1000 * len(COMMUNES_VISIBLE[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("place", PLACES)
def test_a_coverage_grid_opens_only_for_a_commune_of_the_area(users, villages, role, place):
    commune = villages[place].commune_id
    visible = {villages[p].commune_id for p in PLACES_VISIBLE[role]}
    response = signed_in(users[role]).get(f"/infra/coverage/{commune}/")
    assert response.status_code == (200 if commune in visible else 404)


@pytest.mark.parametrize("role", ROLES)
def test_the_coverage_grid_lists_only_the_villages_of_the_area(users, villages, role):
    response = signed_in(users[role]).get(f"/infra/coverage/{HOME}/")
    if role == "no_area":
        assert response.status_code == 404
        return
    listed = _cells(response, "//*[@data-testid='coverage']//tr/td[1]")
    own_commune = {p for p in PLACES_VISIBLE[role] if villages[p].commune_id == HOME}
    assert listed == {villages[p].name for p in own_commune}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("place", PLACES)
def test_a_villages_coverage_is_set_only_where_the_user_may_write(users, things, role, place):
    village = things[place]["coverage"].village
    signed_in(users[role]).post(
        f"/infra/coverage/{village.commune_id}/",
        {"village": village.pk, "network": "4g", "level": "full", "as_of": "2026-06-30"},
    )
    level = Coverage.objects.get(village=village, network="4g").level
    assert level == ("full" if place in PLACES_WRITABLE[role] else "partial")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("place", PLACES)
def test_a_grid_post_cannot_reach_a_village_outside_the_area_through_the_own_commune(
    users, things, role, place
):
    """The commune in the address is the user's own; the village is named in the form."""
    village = things[place]["coverage"].village
    signed_in(users[role]).post(
        f"/infra/coverage/{HOME}/",
        {"village": village.pk, "network": "4g", "level": "none", "as_of": "2026-06-30"},
    )
    level = Coverage.objects.get(village=village, network="4g").level
    assert level == ("none" if place in PLACES_WRITABLE[role] else "partial")


@pytest.mark.parametrize("role", ROLES)
def test_the_import_page_opens_only_for_those_who_may_edit(users, role):
    response = signed_in(users[role]).get("/infra/import/")
    may = role in {"province_admin", "commune_officer", "no_area"}  # no_area: writes nowhere
    assert response.status_code == (200 if may else 403)


@pytest.mark.parametrize("role", ["province_admin", "commune_officer", "no_area"])
def test_an_imported_file_writes_only_inside_the_area(
    users, villages, role, django_capture_on_commit_callbacks
):
    rows = [f"{v.commune_id},{v.name},Cáp quang,Có" for v in villages.values()]
    upload = SimpleUploadedFile(
        "f.csv", ("Mã xã,Thôn,Mạng,Mức phủ sóng\n" + "\n".join(rows)).encode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(users[role]).post("/infra/import/", {"kind": "coverage", "file": upload})
    assert Coverage.objects.filter(network="fibre").count() == 0  # every file has a foreign row


# ------------------------------------------------------------------ API


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ["stations", "hotspots", "coverage"])
def test_the_api_lists_exactly_the_area(users, things, role, endpoint):
    items = api_client(users[role]).get(f"/api/v1/infra/{endpoint}?limit=100").json()["items"]
    made = {"stations": "station", "hotspots": "hotspot", "coverage": "coverage"}[endpoint]
    if endpoint == "coverage":
        found = {i["village"] for i in items}
        wanted = {things[p]["coverage"].village_id for p in PLACES_VISIBLE[role]}
    else:
        found = {i["id"] for i in items}
        wanted = {things[p][made].pk for p in PLACES_VISIBLE[role]}
    assert found == wanted


@pytest.mark.parametrize("role", ROLES)
def test_the_api_lists_exactly_the_subscriber_figures_of_the_area(users, things, role):
    items = api_client(users[role]).get("/api/v1/infra/subscribers?limit=100").json()["items"]
    assert {i["commune"] for i in items} == {COMMUNES[u] for u in COMMUNES_VISIBLE[role]}


@pytest.mark.parametrize("role", ROLES)
def test_the_api_communes_count_only_what_the_user_may_read(users, things, role):
    answer = api_client(users[role]).get("/api/v1/infra/communes").json()
    codes = {c["commune"] for c in answer} & set(COMMUNES.values())
    assert codes == {COMMUNES[u] for u in OVERVIEW_ROWS[role]}
    assert sum(c["stations"] for c in answer) == len(PLACES_VISIBLE[role])
    assert sum(c["hotspots"] for c in answer) == len(PLACES_VISIBLE[role])
