"""Recording a visit: the closed loop from the door to the profile and the next assessment."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from langso.registry.models import Consent, DigitalObservation, DigitalProfile, Household
from langso.registry.services import digital_observe
from langso.teams.models import Visit
from langso.teams.services import VisitRecord, visit_record
from tests.factories.accounts import analyst, commune_officer, team_member
from tests.factories.geo import VillageFactory
from tests.factories.registry import household
from tests.factories.teams import team
from tests.factories.teams import team_member as add_team_member

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
OFFLINE = {  # no smartphone, TV, radio or computer; no internet
    "has_smartphone": False,
    "has_tv": False,
    "has_radio": False,
    "has_computer": False,
    "uses_internet": False,
}


@pytest.fixture
def village():
    return VillageFactory(commune_id="01273", name="Nà Rị")


@pytest.fixture
def home(village):
    found = household(village)
    digital_observe(
        actor=commune_officer("01273"),
        household_id=found.pk,
        observed_on=dt.date(2026, 1, 10),
        source="survey",
        facts=OFFLINE,
    )
    return found


@pytest.fixture
def volunteer(village):
    user = team_member(village)
    add_team_member(team(village), village, user=user)
    return user


def _head(home):
    return home.members.get(relationship="head").pk


def _record(home, **kw) -> VisitRecord:
    kw.setdefault("visited_on", TODAY)
    kw.setdefault("present", [_head(home)])
    return VisitRecord(household_id=home.pk, **kw)


def test_facts_seen_at_a_visit_become_the_households_current_profile(home, volunteer):
    visit_record(
        actor=volunteer,
        record=_record(home, facts={"has_smartphone": True, "uses_internet": True}),
        today=TODAY,
    )
    profile = DigitalProfile.objects.get(household=home)
    assert (profile.has_smartphone, profile.uses_internet, profile.observed_on) == (
        True,
        True,
        TODAY,
    )


def test_the_visits_observation_is_dated_the_visit_day_and_marked_as_a_visit(home, volunteer):
    result = visit_record(
        actor=volunteer, record=_record(home, facts={"has_smartphone": True}), today=TODAY
    )
    observation = DigitalObservation.objects.get(visit=result.visit)
    assert (observation.observed_on, observation.source, observation.recorded_by) == (
        TODAY,
        "visit",
        volunteer,
    )


def test_the_next_assessment_sees_what_the_visit_saw(home, volunteer):
    from langso.poverty.services import assess_household

    officer = commune_officer("01273")
    before, _row = assess_household(actor=officer, household=home, review_year=2026, save=False)
    visit_record(
        actor=volunteer,
        record=_record(home, facts={"has_smartphone": True, "uses_internet": True}),
        today=TODAY,
    )
    after, _row = assess_household(actor=officer, household=home, review_year=2026, save=False)
    deprived = [
        {i.code for i in result.indicators if i.status == "deprived"}
        & {"telecom_use", "information_access"}
        for result in (before, after)
    ]
    assert deprived == [{"telecom_use", "information_access"}, set()]


def test_skills_are_stored_with_their_outcome_and_the_catalogue_version(home, volunteer):
    result = visit_record(
        actor=volunteer,
        record=_record(
            home,
            skills={"vneid_level2": "practised", "scam_safety": "shown"},
            consent_method="signed_form",
        ),
        today=TODAY,
    )
    stored = sorted(result.visit.skills.values_list("skill", "outcome", "catalogue_version"))
    assert stored == [
        ("scam_safety", "shown", "2025.1"),
        ("vneid_level2", "practised", "2025.1"),
    ]


def test_skills_without_anyones_consent_are_refused(home, volunteer):
    with pytest.raises(ValidationError) as refused:
        visit_record(
            actor=volunteer, record=_record(home, skills={"scam_safety": "shown"}), today=TODAY
        )
    assert "consent" in refused.value.message_dict
    assert not Visit.objects.exists()


def test_consent_asked_at_the_door_is_recorded_for_the_adults_present(home, volunteer):
    child = home.members.get(relationship="child").pk
    visit_record(
        actor=volunteer,
        record=_record(
            home,
            present=[_head(home), child],
            needs="Cần hướng dẫn bán chè trên mạng",
            consent_method="signed_form",
        ),
        today=TODAY,
    )
    assert list(Consent.objects.values_list("member_id", "purpose", "status")) == [
        (_head(home), "digital_support", "given")
    ]


def test_a_visit_without_consent_still_records_that_it_happened_and_what_was_seen(home, volunteer):
    result = visit_record(
        actor=volunteer, record=_record(home, facts={"has_tv": True}), today=TODAY
    )
    assert (result.visit.consent, result.visit.observation.has_tv) == (False, True)


def test_the_same_visit_synced_twice_is_stored_once(home, volunteer):
    record = _record(home, client_id=uuid.uuid4(), facts={"has_radio": True})
    first = visit_record(actor=volunteer, record=record, today=TODAY)
    again = visit_record(actor=volunteer, record=record, today=TODAY)
    assert (again.created, again.visit.pk, Visit.objects.count()) == (False, first.visit.pk, 1)
    assert DigitalObservation.objects.filter(source="visit").count() == 1


def test_the_visit_is_credited_to_the_team_member_covering_the_village(home, volunteer):
    result = visit_record(actor=volunteer, record=_record(home), today=TODAY)
    assert result.visit.team_member.user == volunteer


def test_a_household_outside_my_villages_cannot_be_visited(volunteer):
    elsewhere = household(VillageFactory(commune_id="01273", name="Khuổi Khon"))
    with pytest.raises(Household.DoesNotExist):
        visit_record(actor=volunteer, record=_record(elsewhere), today=TODAY)


def test_a_reader_cannot_record_a_visit(home):
    with pytest.raises(PermissionDenied):
        visit_record(actor=analyst("04"), record=_record(home), today=TODAY)


def test_a_person_from_another_household_cannot_be_present(home, village, volunteer):
    other = household(village)
    with pytest.raises(ValidationError) as refused:
        visit_record(actor=volunteer, record=_record(home, present=[_head(other)]), today=TODAY)
    assert "present" in refused.value.message_dict


def test_an_unknown_skill_is_refused(home, volunteer):
    with pytest.raises(ValidationError) as refused:
        visit_record(
            actor=volunteer,
            record=_record(home, skills={"astrology": "alone"}, consent_method="signed_form"),
            today=TODAY,
        )
    assert "skills" in refused.value.message_dict


def test_a_visit_in_the_future_is_refused(home, volunteer):
    with pytest.raises(ValidationError) as refused:
        visit_record(
            actor=volunteer,
            record=_record(home, visited_on=TODAY + dt.timedelta(days=1)),
            today=TODAY,
        )
    assert "visited_on" in refused.value.message_dict
