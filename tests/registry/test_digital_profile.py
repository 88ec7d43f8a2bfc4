import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from langso.registry.queries import digital_profile
from langso.registry.services import digital_observe, household_create
from tests.factories.accounts import commune_officer
from tests.factories.geo import VillageFactory
from tests.factories.registry import household_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    officer = commune_officer("01273")
    village = VillageFactory(commune_id="01273")
    household = household_create(
        actor=officer, record=household_record(village), today=dt.date(2026, 1, 1)
    )
    return officer, household


def _observe(officer, household, day, **facts):
    return digital_observe(
        actor=officer, household_id=household.pk, observed_on=day, source="visit", facts=facts
    )


def test_the_profile_takes_each_fields_latest_observation(setting):
    officer, household = setting
    _observe(officer, household, dt.date(2025, 3, 1), has_smartphone=False, has_tv=True)
    _observe(officer, household, dt.date(2026, 2, 1), has_smartphone=True)
    profile = digital_profile(household)
    assert (profile["has_smartphone"], profile["has_tv"]) == (True, True)


def test_fields_never_observed_stay_unknown(setting):
    officer, household = setting
    _observe(officer, household, dt.date(2026, 2, 1), has_smartphone=True)
    assert digital_profile(household)["has_fixed_broadband"] is None


def test_the_profile_can_be_read_as_of_an_earlier_date(setting):
    officer, household = setting
    _observe(officer, household, dt.date(2025, 3, 1), has_smartphone=False)
    _observe(officer, household, dt.date(2026, 2, 1), has_smartphone=True)
    assert digital_profile(household, as_of=dt.date(2025, 12, 31))["has_smartphone"] is False


def test_a_member_profile_reads_only_that_members_observations(setting):
    officer, household = setting
    head = household.members.get(relationship="head")
    digital_observe(
        actor=officer,
        household_id=household.pk,
        member_id=head.pk,
        observed_on=dt.date(2026, 2, 1),
        source="visit",
        facts={"uses_internet": True, "vneid_level": 2},
    )
    assert digital_profile(household, member_id=head.pk)["vneid_level"] == 2
    assert digital_profile(household)["uses_internet"] is None


def test_an_impossible_vneid_level_is_refused(setting):
    officer, household = setting
    with pytest.raises(ValidationError):
        _observe(officer, household, dt.date(2026, 2, 1), vneid_level=3)


def test_a_future_observation_date_is_refused(setting):
    officer, household = setting
    with pytest.raises(ValidationError):
        _observe(officer, household, dt.date(2099, 1, 1), has_tv=True)
