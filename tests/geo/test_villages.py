import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from langso.audit.models import ChangeEvent
from langso.geo.models import Village
from langso.geo.services import village_create, village_delete, village_update
from tests.factories.accounts import analyst, commune_officer
from tests.factories.geo import VillageFactory

pytestmark = pytest.mark.django_db


def test_officer_creates_a_village_in_their_commune():
    village = village_create(
        actor=commune_officer("01273"), commune_code="01273", name="Nà Rị", kind="thon"
    )
    assert Village.objects.get(pk=village.pk).commune_id == "01273"


def test_officer_cannot_create_a_village_outside_their_commune():
    with pytest.raises(ValidationError) as err:
        village_create(actor=commune_officer("01273"), commune_code="07210", name="X", kind="thon")
    assert "commune" in err.value.message_dict
    assert not Village.objects.filter(commune_id="07210").exists()


def test_read_only_role_cannot_create_villages():
    with pytest.raises(PermissionDenied):
        village_create(actor=analyst("04"), commune_code="01273", name="Nà Rị", kind="thon")


def test_same_name_with_other_tone_placement_is_a_duplicate():
    officer = commune_officer("01273")
    village_create(actor=officer, commune_code="01273", name="Hòa Bình", kind="thon")
    with pytest.raises(ValidationError):
        village_create(actor=officer, commune_code="01273", name="Thôn Hoà Bình", kind="thon")


def test_creating_a_village_writes_an_audit_entry_with_its_values():
    officer = commune_officer("01273")
    village = village_create(actor=officer, commune_code="01273", name="Nà Rị", kind="ban")
    event = ChangeEvent.objects.get(object_type="geo.village", object_id=str(village.pk))
    assert (event.action, event.actor, event.after["name"], event.commune_code) == (
        "create",
        officer,
        "Nà Rị",
        "01273",
    )


def test_updating_a_village_records_old_and_new_values():
    officer = commune_officer("01273")
    village = VillageFactory(name="Nà Rị")
    village_update(actor=officer, village_id=village.pk, name="Nà Rị Mới", kind="thon")
    event = ChangeEvent.objects.get(action="update", object_id=str(village.pk))
    assert ("name", "Nà Rị", "Nà Rị Mới") in event.changed_fields


def test_deleting_a_village_records_what_was_deleted():
    officer = commune_officer("01273")
    village = VillageFactory(name="Khuổi Pán")
    village_delete(actor=officer, village_id=village.pk)
    event = ChangeEvent.objects.get(action="delete", object_id=str(village.pk))
    assert event.before["name"] == "Khuổi Pán"
    assert not Village.objects.filter(pk=village.pk).exists()


def test_village_user_cannot_edit_the_village_they_can_read():
    from tests.factories.accounts import team_member

    village = VillageFactory()
    member = team_member(village)
    with pytest.raises(PermissionDenied):
        village_update(actor=member, village_id=village.pk, name="Khác", kind="thon")


def test_an_invalid_area_type_from_the_page_is_a_message_not_an_error():
    from tests.factories.accounts import province_admin
    from tests.factories.sessions import signed_in

    client = signed_in(province_admin("04"))
    response = client.post("/geo/communes/01273/area-type/", {"area_type": "moon"}, follow=True)
    assert response.status_code == 200
    assert "Khu vực không hợp lệ." in response.content.decode()
