"""Teams and their members: established by the commune, counted like the articles count them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from langso.audit.models import ChangeEvent
from langso.teams import queries
from langso.teams.services import team_create
from tests.factories.accounts import commune_officer, province_admin, team_member
from tests.factories.geo import VillageFactory
from tests.factories.teams import team
from tests.factories.teams import team_member as add_member

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def village():
    return VillageFactory(commune_id="01273", name="Nà Rị")


def test_a_commune_officer_establishes_a_village_team_with_its_decision(village):
    made = team(village, decision_number="125/QĐ-UBND", decision_date=dt.date(2025, 2, 20))
    assert (made.level, made.commune_id, made.decision_number) == (
        "village",
        "01273",
        "125/QĐ-UBND",
    )
    assert ChangeEvent.objects.filter(object_type="teams.team", object_id=str(made.pk)).exists()


def test_a_team_without_a_village_is_a_commune_level_team(village):
    made = team_create(
        actor=commune_officer("01273"),
        commune_code="01273",
        name="Tổ công nghệ số xã",
        established_on=dt.date(2025, 3, 1),
    )
    assert made.level == "commune"


def test_an_officer_cannot_establish_a_team_in_another_commune():
    other = VillageFactory(commune_id="01279")
    with pytest.raises(ValidationError):
        team(other, actor=commune_officer("01273"))


def test_a_team_member_cannot_establish_teams(village):
    with pytest.raises(PermissionDenied):
        team(village, actor=team_member(village))


def test_a_decision_after_the_founding_day_is_refused(village):
    with pytest.raises(ValidationError) as refused:
        team(village, decision_date=dt.date(2025, 4, 1), established_on=dt.date(2025, 3, 1))
    assert "decision_date" in refused.value.message_dict


def test_a_member_covers_only_villages_of_the_teams_commune(village):
    other = VillageFactory(commune_id="01279")
    with pytest.raises(ValidationError) as refused:
        add_member(team(village), village, other)
    assert "villages" in refused.value.message_dict


def test_counts_give_teams_by_level_and_active_members(village):
    second = VillageFactory(commune_id="01273", name="Khuổi Khon")
    first_team = team(village)
    add_member(first_team, village, role="leader")
    add_member(first_team, village, starts_on=dt.date(2027, 1, 1))  # not yet
    add_member(team(second), second)
    team_create(
        actor=commune_officer("01273"),
        commune_code="01273",
        name="Tổ xã",
        established_on=dt.date(2025, 3, 1),
    )
    assert queries.team_counts(province_admin("04"), TODAY) == {
        "teams": 3,
        "village_teams": 2,
        "commune_teams": 1,
        "members": 2,
    }


def test_counts_are_scoped_to_my_commune(village):
    team(village)
    team(VillageFactory(commune_id="01279"))
    assert queries.team_counts(commune_officer("01273"), TODAY)["teams"] == 1
