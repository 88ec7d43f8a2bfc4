"""The worklist read from the registry, the latest assessment and the visits."""

import datetime as dt

import pytest

from langso.registry.services import digital_observe
from langso.teams import queries
from langso.teams.services import VisitRecord, visit_record
from tests.factories.accounts import commune_officer, team_member
from tests.factories.geo import VillageFactory
from tests.factories.registry import household

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
CONNECTED = {
    "has_smartphone": True,
    "uses_internet": True,
    "vneid_level": 2,
    "pays_cashless": True,
    "uses_online_public_services": True,
    "has_tv": True,
}


@pytest.fixture
def village():
    return VillageFactory(commune_id="01273", name="Nà Rị")


def _observe(home, **facts):
    digital_observe(
        actor=commune_officer("01273"),
        household_id=home.pk,
        observed_on=dt.date(2026, 6, 1),
        source="survey",
        facts={**CONNECTED, **facts},
    )


def _codes(user, village) -> list[str]:
    return [h.code for _e, h in queries.worklist_for(user, [village.pk], TODAY)]


def test_a_household_without_a_smartphone_comes_before_a_connected_one(village):
    connected, offline = household(village), household(village)
    _observe(connected)
    _observe(offline, has_smartphone=False)
    assert _codes(team_member(village), village)[:2] == [offline.code, connected.code]


def test_a_recent_visit_takes_a_connected_household_off_the_list(village):
    user = team_member(village)
    home = household(village, *[])
    _observe(home)
    visit_record(
        actor=user,
        record=VisitRecord(household_id=home.pk, visited_on=TODAY - dt.timedelta(days=3)),
        today=TODAY,
    )
    reasons = [
        [r.kind for r in e.reasons] for e, h in queries.worklist_for(user, [village.pk], TODAY)
    ]
    assert ["never_visited"] not in reasons


def test_the_elderly_reason_comes_from_the_members_birth_years(village):
    from langso.registry.records import MemberRecord

    home = household(village, MemberRecord("Nông Văn Tư", "male", 1950, "head", ethnicity="01"))
    _observe(home)
    entry, _h = queries.worklist_for(team_member(village), [village.pk], TODAY)[0]
    assert "elderly_member" in [r.kind for r in entry.reasons]


def test_the_latest_assessment_gives_the_information_deprivations(village):
    from langso.poverty.services import assess_household

    home = household(village)
    _observe(home, has_smartphone=False, has_tv=False, has_radio=False, has_computer=False)
    assess_household(actor=commune_officer("01273"), household=home, review_year=2026)
    entry, _h = queries.worklist_for(team_member(village), [village.pk], TODAY)[0]
    assert "poverty_indicator" in [r.kind for r in entry.reasons]


def test_villages_outside_my_area_give_no_worklist(village):
    household(VillageFactory(commune_id="01273", name="Khuổi Khon"))
    other = household(village)
    elsewhere = other.village
    mine = VillageFactory(commune_id="01273", name="Bản Giới")
    assert queries.worklist_for(team_member(mine), [elsewhere.pk], TODAY) == []
