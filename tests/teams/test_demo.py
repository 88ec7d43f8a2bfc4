"""The demo province's teams and a year of visits tell a believable story."""

import datetime as dt

import pytest

from langso.demo.services import demo_build
from langso.geo.models import Village
from langso.registry.models import Household
from langso.teams.models import HouseholdReach, Team, TeamMember, Visit
from langso.teams.progress import progress
from tests.factories.accounts import province_admin
from tests.factories.demo import remove_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    from langso.audit.models import ChangeEvent

    with django_db_blocker.unblock():
        last_event = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        demo_build(province_code="04", households=3000, seed=7, with_users=False)
        yield
        remove_demo("04")
        ChangeEvent.objects.filter(id__gt=last_event).delete()


def test_every_village_has_a_team_and_every_commune_one_more(built):
    villages = Village.objects.filter(commune__province_id="04").count()
    assert Team.objects.filter(level="village").count() == villages
    assert Team.objects.filter(level="commune").count() == 56


def test_village_teams_have_three_to_six_members_about_four_and_a_half_on_average(built):
    members = TeamMember.objects.filter(team__level="village").count()
    assert 4.0 < members / Team.objects.filter(level="village").count() < 5.0


def test_about_half_of_households_were_reached_within_the_year(built):
    share = HouseholdReach.objects.count() / Household.objects.count()
    assert 0.4 < share < 0.7
    days = Visit.objects.values_list("visited_on", flat=True)
    assert dt.date(2025, 10, 1) <= min(days) <= max(days) <= dt.date(2026, 11, 20)


def test_visited_households_moved_out_of_digital_deprivations(built):
    _rows, total = progress(
        province_admin("04"), "commune", dt.date(2025, 1, 1), dt.date(2026, 12, 31)
    )
    assert total.visits == Visit.objects.count()
    assert total.moved["uses_internet"] > 0
    assert total.moved["vneid_level"] > 0
