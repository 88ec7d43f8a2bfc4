import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from langso.audit.models import ChangeEvent
from langso.core import field_encryption
from langso.registry.models import Household, Member
from langso.registry.queries import households_for
from langso.registry.records import MemberRecord
from langso.registry.services import household_create
from tests.factories.accounts import analyst, commune_officer, team_member
from tests.factories.geo import VillageFactory
from tests.factories.registry import household_record

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def _create(actor, village, *members, **kw):
    return household_create(
        actor=actor, record=household_record(village, *members, **kw), today=TODAY
    )


def test_an_officer_registers_a_household_with_its_members():
    village = VillageFactory(commune_id="01273")
    household = _create(commune_officer("01273"), village)
    assert (household.commune_id, household.member_count, household.code) == (
        "01273",
        3,
        "01273-000001",
    )
    assert household.members.get(relationship="head").full_name == "Nông Văn Dũng"


def test_household_codes_follow_on_within_the_commune():
    village = VillageFactory(commune_id="01273")
    officer = commune_officer("01273")
    _create(officer, village)
    assert _create(officer, village).code == "01273-000002"


def test_a_household_with_a_minority_member_is_flagged():
    household = _create(commune_officer("01273"), VillageFactory(commune_id="01273"))
    assert household.is_ethnic_minority


def test_an_all_kinh_household_is_not_flagged():
    head = MemberRecord("Lê Văn Bình", "male", 1975, "head", ethnicity="Kinh")
    household = _create(commune_officer("01273"), VillageFactory(commune_id="01273"), head)
    assert not household.is_ethnic_minority


def test_the_id_number_is_stored_encrypted_and_findable_by_its_hash():
    _create(commune_officer("01273"), VillageFactory(commune_id="01273"))
    head = Member.objects.get(relationship="head")
    assert "004080012345" not in head.id_number_encrypted
    assert field_encryption.decrypt(head.id_number_encrypted) == "004080012345"
    assert head.id_number_hash == field_encryption.lookup_hash("004080012345")
    assert head.id_number_last4 == "2345"


def test_the_audit_entry_has_the_members_but_not_their_id_numbers():
    household = _create(commune_officer("01273"), VillageFactory(commune_id="01273"))
    event = ChangeEvent.objects.get(object_type="registry.household", object_id=str(household.pk))
    assert len(event.after["members"]) == 3
    assert "id_number_encrypted" not in event.after["members"][0]
    assert "id_number_hash" not in event.after["members"][0]


def test_every_problem_is_reported_by_field_and_nothing_is_written():
    bad_head = MemberRecord("", "x", 1850, "head", id_number="123")
    with pytest.raises(ValidationError) as err:
        _create(commune_officer("01273"), VillageFactory(commune_id="01273"), bad_head)
    assert {
        "members[0].full_name",
        "members[0].sex",
        "members[0].birth_year",
        "members[0].id_number",
    } <= set(err.value.message_dict)
    assert not Household.objects.exists()
    assert not Member.objects.exists()


def test_a_village_outside_the_area_answers_like_a_missing_one():
    with pytest.raises(ValidationError) as err:
        _create(commune_officer("01273"), VillageFactory(commune_id="07210"))
    assert err.value.message_dict == {"village": ["không có thôn này trong địa bàn của bạn"]}


def test_read_only_roles_cannot_register_households():
    with pytest.raises(PermissionDenied):
        _create(analyst("04"), VillageFactory(commune_id="01273"))


def test_household_list_is_scoped_to_the_users_village():
    officer = commune_officer("01273")
    mine, other = VillageFactory(commune_id="01273"), VillageFactory(commune_id="01273")
    a, b = _create(officer, mine), _create(officer, other)
    assert list(households_for(team_member(mine))) == [a]
    assert set(households_for(officer)) == {a, b}
