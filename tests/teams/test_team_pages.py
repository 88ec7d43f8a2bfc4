"""The team pages: establishing a team with its decision, adding members, counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from langso.teams.models import Team
from tests.factories.accounts import commune_officer, team_member
from tests.factories.geo import VillageFactory
from tests.factories.sessions import signed_in
from tests.factories.teams import team

pytestmark = pytest.mark.django_db


@pytest.fixture
def village():
    return VillageFactory(commune_id="01273", name="Nà Rị")


def test_an_officer_establishes_a_team_with_its_decision_file(village):
    client = signed_in(commune_officer("01273"))
    response = client.post(
        "/teams/",
        {
            "commune": "01273",
            "village": village.pk,
            "name": "Tổ công nghệ số Nà Rị",
            "decision_number": "125/QĐ-UBND",
            "decision_date": "2025-02-20",
            "established_on": "2025-03-01",
            "decision_file": SimpleUploadedFile("qd.pdf", b"%PDF-1.4 quyet dinh"),
        },
    )
    made = Team.objects.get()
    assert response.url == f"/teams/{made.pk}/"
    assert b"".join(client.get(f"/teams/{made.pk}/decision/").streaming_content) == (
        b"%PDF-1.4 quyet dinh"
    )


def test_a_decision_that_is_not_a_pdf_or_picture_is_refused(village):
    page = signed_in(commune_officer("01273")).post(
        "/teams/",
        {
            "commune": "01273",
            "name": "Tổ xã",
            "established_on": "2025-03-01",
            "decision_file": SimpleUploadedFile("qd.exe", b"MZ"),
        },
    )
    assert (page.status_code, Team.objects.count()) == (200, 0)
    assert "Chỉ nhận tệp PDF hoặc ảnh." in page.content.decode()


def test_an_officer_adds_a_member_with_the_villages_they_cover(village):
    made = team(village)
    account = team_member(village, full_name="Nông Thị Hoa")
    signed_in(commune_officer("01273")).post(
        f"/teams/{made.pk}/",
        {
            "full_name": "Nông Thị Hoa",
            "role": "leader",
            "kind": "women_union",
            "villages": [village.pk],
            "starts_on": "2025-03-01",
            "account": account.pk,
        },
    )
    member = made.members.get()
    assert (member.role, member.user, list(member.villages.all())) == ("leader", account, [village])


def test_a_team_member_cannot_establish_a_team(village):
    response = signed_in(team_member(village)).post(
        "/teams/", {"commune": "01273", "name": "x", "established_on": "2025-03-01"}
    )
    assert response.status_code == 403


def test_the_list_counts_teams_and_members(village):
    from tests.factories.teams import team_member as add_member

    add_member(team(village), village)
    page = signed_in(commune_officer("01273")).get("/teams/")
    assert page.context["counts"] == {
        "teams": 1,
        "village_teams": 1,
        "commune_teams": 0,
        "members": 1,
    }


def test_a_team_of_another_commune_is_not_found(village):
    other = team(VillageFactory(commune_id="01279"))
    assert signed_in(commune_officer("01273")).get(f"/teams/{other.pk}/").status_code == 404
