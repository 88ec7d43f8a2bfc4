"""Role × surface × object for grassroots information: announcements, devices and residents'
feedback are read only inside the user's area, on the pages and in the API."""

import lxml.html
import pytest

from langso.accounts.roles import Role
from langso.outreach.feedback import feedback_submit
from tests.factories.accounts import (
    UserFactory,
    analyst,
    commune_officer,
    province_admin,
    team_member,
)
from tests.factories.geo import VillageFactory
from tests.factories.sessions import api_client, signed_in
from tests.outreach.conftest import ELSEWHERE, HOME, NEIGHBOUR, announcement, board, published

pytestmark = pytest.mark.django_db

ROLES = ["province_admin", "analyst", "commune_officer", "team_member", "no_area"]

# Announcements are issued by a commune: the home commune, another of the province, elsewhere.
UNITS = {"home": HOME, "neighbour": NEIGHBOUR, "elsewhere": ELSEWHERE}
DRAFTS_VISIBLE = {
    "province_admin": {"home", "neighbour"},
    "analyst": {"home", "neighbour"},
    "commune_officer": {"home"},
    "team_member": set(),  # a village's volunteer reads no commune's drafts
    "no_area": set(),
}
# Published announcements are also read by everyone in the area they were sent to.
PUBLISHED_VISIBLE = {**DRAFTS_VISIBLE, "team_member": {"home"}}

# Devices and feedback belong to a village (or a whole commune).
PLACES = ["own", "same_commune", "same_province", "other_province"]
PLACES_VISIBLE = {
    "province_admin": {"own", "same_commune", "same_province"},
    "analyst": {"own", "same_commune", "same_province"},
    "commune_officer": {"own", "same_commune"},
    "team_member": {"own"},
    "no_area": set(),
}


@pytest.fixture
def users():
    own = VillageFactory(commune_id=HOME, name="Nà Rị")
    return {
        "province_admin": province_admin("04"),
        "analyst": analyst("04"),
        "commune_officer": commune_officer(HOME),
        "team_member": team_member(own),
        "no_area": UserFactory(role=Role.COMMUNE_OFFICER.value),
    }, own


@pytest.fixture
def drafts():
    return {unit: announcement(commune=code, title=f"Nháp {unit}") for unit, code in UNITS.items()}


@pytest.fixture
def sent():
    return {unit: published(commune=code, title=f"Đã phát {unit}") for unit, code in UNITS.items()}


@pytest.fixture
def villages(users):
    _users, own = users
    return {
        "own": own,
        "same_commune": VillageFactory(commune_id=HOME, name="Bó Mạ"),
        "same_province": VillageFactory(commune_id=NEIGHBOUR, name="Pác Bó"),
        "other_province": VillageFactory(commune_id=ELSEWHERE, name="Tổ dân phố 1"),
    }


def _cells(response, xpath: str) -> set[str]:
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    return {e.text_content().strip() for e in page.xpath(xpath)}


def _titles(response) -> set[str]:
    return _cells(response, "//*[@data-testid='announcements']//td/a")


# ------------------------------------------------------------------ announcements


@pytest.mark.parametrize("role", ROLES)
def test_the_announcement_list_page_holds_exactly_the_drafts_of_the_area(users, drafts, role):
    listed = _titles(signed_in(users[0][role]).get("/outreach/"))
    assert listed == {f"Nháp {u}" for u in DRAFTS_VISIBLE[role]}


@pytest.mark.parametrize("role", ROLES)
def test_the_announcement_list_page_holds_exactly_what_was_sent_into_the_area(users, sent, role):
    listed = _titles(signed_in(users[0][role]).get("/outreach/"))
    assert listed == {f"Đã phát {u}" for u in PUBLISHED_VISIBLE[role]}


@pytest.mark.parametrize("role", ROLES)
def test_the_announcement_api_list_holds_exactly_the_area(users, drafts, sent, role):
    response = api_client(users[0][role]).get("/api/v1/outreach/announcements?limit=100")
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    wanted = {drafts[u].pk for u in DRAFTS_VISIBLE[role]}
    wanted |= {sent[u].pk for u in PUBLISHED_VISIBLE[role]}
    assert ids == wanted


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("unit", sorted(UNITS))
def test_an_announcement_page_opens_only_inside_the_area(users, drafts, role, unit):
    response = signed_in(users[0][role]).get(f"/outreach/{drafts[unit].pk}/")
    assert response.status_code == (200 if unit in DRAFTS_VISIBLE[role] else 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("unit", sorted(UNITS))
def test_api_announcement_detail_and_reach_answer_only_inside_the_area(users, sent, role, unit):
    client = api_client(users[0][role])
    base = f"/api/v1/outreach/announcements/{sent[unit].pk}"
    wanted = 200 if unit in PUBLISHED_VISIBLE[role] else 404
    assert (client.get(base).status_code, client.get(f"{base}/reach").status_code) == (
        wanted,
        wanted,
    )


# ------------------------------------------------------------------ devices and feedback


@pytest.mark.parametrize("role", ROLES)
def test_the_devices_page_lists_exactly_the_devices_of_the_area(users, villages, role):
    for place, village in villages.items():
        board(village.commune_id, name=f"Bảng tin {place}", village=village)
    listed = _cells(
        signed_in(users[0][role]).get("/outreach/devices/"),
        "//*[@data-testid='devices']//tr/td[1]",
    )
    assert listed == {f"Bảng tin {p}" for p in PLACES_VISIBLE[role]}


@pytest.mark.parametrize("role", ROLES)
def test_the_feedback_page_lists_exactly_the_questions_of_the_area(users, villages, role):
    for place, village in villages.items():
        feedback_submit(
            commune_code=village.commune_id, village_id=village.pk, question=f"Hỏi {place}"
        )
    listed = _cells(
        signed_in(users[0][role]).get("/outreach/feedback/"),
        "//*[@data-testid='feedback']/p[2]",
    )
    assert listed == {f"Hỏi {p}" for p in PLACES_VISIBLE[role]}
