"""Visits recorded offline and synced in batches: no visit lost or doubled, conflicts kept."""

import datetime as dt
import uuid

import pytest

from langso.registry.models import DigitalProfile
from langso.registry.services import digital_observe
from langso.teams.models import Visit, VisitConflict
from langso.teams.services import VisitRecord, conflict_resolve, visits_sync
from tests.factories.accounts import commune_officer, team_member
from tests.factories.geo import VillageFactory
from tests.factories.registry import household

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def village():
    return VillageFactory(commune_id="01273", name="Nà Rị")


@pytest.fixture
def home(village):
    return household(village)


@pytest.fixture
def volunteer(village):
    return team_member(village)


def _visit(home, **kw) -> VisitRecord:
    kw.setdefault("visited_on", TODAY - dt.timedelta(days=2))
    kw.setdefault("client_id", uuid.uuid4())
    return VisitRecord(household_id=home.pk, **kw)


def _someone_else_records(home, **facts):
    digital_observe(
        actor=commune_officer("01273"),
        household_id=home.pk,
        observed_on=TODAY - dt.timedelta(days=1),
        source="visit",
        facts=facts,
    )


def test_each_visit_of_a_batch_is_stored(home, village, volunteer):
    other = household(village)
    outcomes = visits_sync(actor=volunteer, records=[_visit(home), _visit(other)], today=TODAY)
    assert ([o.status for o in outcomes], Visit.objects.count()) == (["stored", "stored"], 2)


def test_a_batch_sent_again_stores_nothing_twice(home, volunteer):
    batch = [_visit(home), _visit(home, visited_on=TODAY)]
    visits_sync(actor=volunteer, records=batch, today=TODAY)
    again = visits_sync(actor=volunteer, records=batch, today=TODAY)
    assert ([o.status for o in again], Visit.objects.count()) == (["duplicate", "duplicate"], 2)


def test_a_refused_visit_does_not_hold_back_the_others(home, volunteer):
    bad = _visit(home, visited_on=TODAY + dt.timedelta(days=3))
    outcomes = visits_sync(actor=volunteer, records=[bad, _visit(home)], today=TODAY)
    assert [o.status for o in outcomes] == ["refused", "stored"]
    assert "visited_on" in outcomes[0].errors


def test_a_household_outside_my_villages_is_refused_with_a_reason(volunteer):
    elsewhere = household(VillageFactory(commune_id="01273", name="Khuổi Khon"))
    (outcome,) = visits_sync(actor=volunteer, records=[_visit(elsewhere)], today=TODAY)
    assert (outcome.status, list(outcome.errors)) == ("refused", ["household"])


def test_a_fact_changed_by_someone_else_meanwhile_is_a_conflict_not_an_overwrite(home, volunteer):
    _someone_else_records(home, has_smartphone=True)
    record = _visit(home, facts={"has_smartphone": False}, base={"has_smartphone": None})
    (outcome,) = visits_sync(actor=volunteer, records=[record], today=TODAY)
    conflict = outcome.conflicts[0]
    assert (conflict.field, conflict.base, conflict.mine, conflict.theirs) == (
        "has_smartphone",
        None,
        False,
        True,
    )
    assert DigitalProfile.objects.get(household=home).has_smartphone is True


def test_the_other_facts_of_a_conflicting_visit_are_applied(home, volunteer):
    _someone_else_records(home, has_smartphone=True)
    record = _visit(
        home,
        facts={"has_smartphone": False, "has_tv": True},
        base={"has_smartphone": None, "has_tv": None},
    )
    visits_sync(actor=volunteer, records=[record], today=TODAY)
    assert DigitalProfile.objects.get(household=home).has_tv is True


def test_the_same_value_recorded_by_two_people_is_no_conflict(home, volunteer):
    _someone_else_records(home, has_smartphone=True)
    record = _visit(home, facts={"has_smartphone": True}, base={"has_smartphone": None})
    (outcome,) = visits_sync(actor=volunteer, records=[record], today=TODAY)
    assert outcome.conflicts == ()


def test_a_fact_nobody_else_changed_is_applied(home, volunteer):
    record = _visit(home, facts={"has_smartphone": True}, base={"has_smartphone": None})
    (outcome,) = visits_sync(actor=volunteer, records=[record], today=TODAY)
    assert (outcome.conflicts, DigitalProfile.objects.get(household=home).has_smartphone) == (
        (),
        True,
    )


def test_keeping_mine_makes_the_visits_value_current(home, volunteer):
    _someone_else_records(home, has_smartphone=True)
    record = _visit(home, facts={"has_smartphone": False}, base={"has_smartphone": None})
    (outcome,) = visits_sync(actor=volunteer, records=[record], today=TODAY)
    conflict_resolve(actor=volunteer, conflict_id=outcome.conflicts[0].pk, keep="mine", today=TODAY)
    assert DigitalProfile.objects.get(household=home).has_smartphone is False


def test_keeping_theirs_leaves_the_registry_and_closes_the_conflict(home, volunteer):
    _someone_else_records(home, has_smartphone=True)
    record = _visit(home, facts={"has_smartphone": False}, base={"has_smartphone": None})
    (outcome,) = visits_sync(actor=volunteer, records=[record], today=TODAY)
    conflict_resolve(
        actor=volunteer, conflict_id=outcome.conflicts[0].pk, keep="theirs", today=TODAY
    )
    closed = VisitConflict.objects.get()
    assert (
        closed.kept,
        closed.resolved_by,
        DigitalProfile.objects.get(household=home).has_smartphone,
    ) == (
        "theirs",
        volunteer,
        True,
    )


def test_the_household_page_lists_visits_and_open_conflicts(home, volunteer):
    from tests.factories.sessions import signed_in

    _someone_else_records(home, has_smartphone=True)
    record = _visit(home, facts={"has_smartphone": False}, base={"has_smartphone": None})
    visits_sync(actor=volunteer, records=[record], today=TODAY)
    page = signed_in(commune_officer("01273")).get(f"/teams/households/{home.pk}/visits/")
    text = page.content.decode()
    assert "có điện thoại thông minh: lần đến hộ" in text.lower()
    assert (len(page.context["visits"]), len(page.context["conflicts"])) == (1, 1)


def test_an_officer_settles_a_conflict_from_the_household_page(home, volunteer):
    from tests.factories.sessions import signed_in

    _someone_else_records(home, has_smartphone=True)
    record = _visit(home, facts={"has_smartphone": False}, base={"has_smartphone": None})
    (outcome,) = visits_sync(actor=volunteer, records=[record], today=TODAY)
    response = signed_in(commune_officer("01273")).post(
        f"/teams/conflicts/{outcome.conflicts[0].pk}/", {"keep": "mine"}
    )
    assert response.url == f"/households/{home.pk}/"
    assert DigitalProfile.objects.get(household=home).has_smartphone is False


def test_a_team_member_cannot_settle_a_conflict(home, volunteer):
    from tests.factories.sessions import signed_in

    _someone_else_records(home, has_smartphone=True)
    record = _visit(home, facts={"has_smartphone": False}, base={"has_smartphone": None})
    (outcome,) = visits_sync(actor=volunteer, records=[record], today=TODAY)
    response = signed_in(volunteer).post(
        f"/teams/conflicts/{outcome.conflicts[0].pk}/", {"keep": "mine"}
    )
    assert response.status_code == 403
