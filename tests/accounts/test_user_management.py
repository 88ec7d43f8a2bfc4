import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from langso.accounts.models import User
from langso.accounts.queries import manageable_users, users_for
from langso.accounts.roles import Role
from langso.accounts.services import user_area_add, user_create, user_set_password, user_update
from langso.audit.models import ChangeEvent
from tests.factories.accounts import (
    UserFactory,
    commune_officer,
    province_admin,
    team_member,
)
from tests.factories.geo import VillageFactory
from tests.factories.sessions import signed_in

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "Nà-Rị-2026-an-toàn"


def _create(actor, **kw):
    args = {
        "username": "mai.nari",
        "password": GOOD_PASSWORD,
        "role": Role.TEAM_MEMBER,
        "full_name": "Nông Thị Mai",
    } | kw
    return user_create(actor=actor, **args)


def test_province_admin_creates_a_team_member_for_a_village_of_the_province():
    village = VillageFactory(commune_id="01273")
    user = _create(province_admin("04"), villages=[village.pk])
    assert list(user.areas.values_list("village_id", flat=True)) == [village.pk]


def test_province_admin_cannot_grant_a_commune_of_another_province():
    with pytest.raises(ValidationError) as err:
        _create(province_admin("04"), communes=["07210"])
    assert "area" in err.value.message_dict
    assert not User.objects.filter(username="mai.nari").exists()


def test_a_new_account_needs_an_area():
    with pytest.raises(ValidationError):
        _create(province_admin("04"))


def test_weak_passwords_are_refused():
    with pytest.raises(ValidationError):
        _create(province_admin("04"), communes=["01273"], password="12345678")


def test_commune_officers_cannot_create_accounts():
    with pytest.raises(PermissionDenied):
        _create(commune_officer("01273"), communes=["01273"])


def test_nobody_creates_superusers_through_the_app():
    with pytest.raises(PermissionDenied):
        _create(province_admin("04"), communes=["01273"], is_superuser=True)


def test_user_list_holds_only_users_of_the_province():
    admin = province_admin("04")
    ours = commune_officer("01273")
    theirs = commune_officer("07210")
    visible = set(users_for(admin))
    assert ours in visible
    assert theirs not in visible


def test_a_user_with_units_in_two_provinces_is_visible_but_not_changeable():
    admin = province_admin("04")
    both = UserFactory(communes=["01273", "07210"])
    assert both in users_for(admin)
    assert both not in manageable_users(admin)
    with pytest.raises(User.DoesNotExist):
        user_update(
            actor=admin,
            user_id=both.pk,
            full_name="X",
            phone="",
            role=Role.ANALYST,
            is_active=False,
        )


def test_deactivating_a_user_is_audited_with_old_and_new_values():
    admin = province_admin("04")
    officer = commune_officer("01273")
    user_update(
        actor=admin,
        user_id=officer.pk,
        full_name=officer.full_name,
        phone="",
        role=Role.COMMUNE_OFFICER,
        is_active=False,
    )
    event = ChangeEvent.objects.get(action="update", object_id=str(officer.pk))
    assert ("is_active", True, False) in event.changed_fields
    assert "password" not in event.after


def test_an_admin_cannot_lock_themselves_out():
    admin = province_admin("04")
    with pytest.raises(ValidationError):
        user_update(
            actor=admin,
            user_id=admin.pk,
            full_name="A",
            phone="",
            role=Role.PROVINCE_ADMIN,
            is_active=False,
        )


def test_adding_a_village_gives_the_user_that_village():
    admin = province_admin("04")
    member = team_member(VillageFactory(commune_id="01273", name="Nà Rị"))
    second = VillageFactory(commune_id="01273", name="Bó Mạ")
    user_area_add(actor=admin, user_id=member.pk, village=second.pk)
    assert set(member.areas.values_list("village__name", flat=True)) == {"Nà Rị", "Bó Mạ"}


def test_password_reset_is_audited_without_the_password():
    admin = province_admin("04")
    officer = commune_officer("01273")
    user_set_password(actor=admin, user_id=officer.pk, password=GOOD_PASSWORD)
    officer.refresh_from_db()
    assert officer.check_password(GOOD_PASSWORD)
    event = ChangeEvent.objects.get(action="security", object_id=str(officer.pk))
    assert GOOD_PASSWORD not in str(event.before) + str(event.after) + event.message


def test_users_page_creates_an_account_with_a_commune():
    client = signed_in(province_admin("04"))
    response = client.post(
        "/account/users/new/",
        {
            "username": "thuy.xa",
            "full_name": "Lý Thị Thủy",
            "phone": "0912 345 678",
            "role": "commune_officer",
            "password": GOOD_PASSWORD,
            "level": "commune",
            "province": "04",
            "commune": "01273",
            "village": "",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="thuy.xa")
    assert (user.phone, list(user.areas.values_list("commune_id", flat=True))) == (
        "0912 345 678",
        ["01273"],
    )


def test_users_page_is_closed_to_commune_officers():
    assert signed_in(commune_officer("01273")).get("/account/users/").status_code == 403


def test_village_options_list_only_villages_in_scope():
    VillageFactory(commune_id="07210", name="Tổ dân phố 3")
    VillageFactory(commune_id="01273", name="Nà Rị")
    client = signed_in(province_admin("04"))
    assert "Nà Rị" in client.get("/geo/village-options/", {"commune": "01273"}).content.decode()
    assert (
        "Tổ dân phố 3"
        not in client.get("/geo/village-options/", {"commune": "07210"}).content.decode()
    )
