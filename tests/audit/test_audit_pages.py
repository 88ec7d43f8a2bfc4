import pytest

from langso.audit.models import ChangeEvent
from langso.geo.names import village_key
from langso.geo.services import village_create
from tests.factories.accounts import analyst, commune_officer, province_admin
from tests.factories.sessions import signed_in

pytestmark = pytest.mark.django_db


def test_auditor_sees_changes_in_their_area_with_who_and_what():
    officer = commune_officer("01273")
    village_create(actor=officer, commune_code="01273", name="Nà Rị", kind="thon")
    page = signed_in(province_admin("04")).get("/audit/").content.decode()
    assert officer.username in page
    assert "Nà Rị" in page


def test_audit_list_leaves_out_other_provinces():
    village_create(actor=province_admin("24"), commune_code="07210", name="Tổ 9", kind="to_dan_pho")
    page = signed_in(province_admin("04")).get("/audit/").content.decode()
    assert "Tổ 9" not in page


def test_audit_list_filters_by_action():
    officer = commune_officer("01273")
    village = village_create(actor=officer, commune_code="01273", name="Nà Rị", kind="thon")
    from langso.geo.services import village_delete

    village_delete(actor=officer, village_id=village.pk)
    client = signed_in(province_admin("04"))
    deleted_only = client.get("/audit/", {"action": "delete"}).content.decode()
    assert "<td>Xóa</td>" in deleted_only
    assert "<td>Tạo</td>" not in deleted_only


def test_audit_detail_shows_old_and_new_values():
    officer = commune_officer("01273")
    village = village_create(actor=officer, commune_code="01273", name="Nà Rị", kind="thon")
    from langso.geo.services import village_update

    village_update(actor=officer, village_id=village.pk, name="Nà Rị Trên", kind="thon")
    event = ChangeEvent.objects.get(action="update")
    page = signed_in(officer).get(f"/audit/{event.pk}/").content.decode()
    assert "<td>Nà Rị</td>" in page
    assert "<td>Nà Rị Trên</td>" in page


def test_read_only_roles_cannot_open_the_audit_log():
    assert signed_in(analyst("04")).get("/audit/").status_code == 403


def test_admin_edits_are_audited():
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="x" * 12)
    client = signed_in(root)
    response = client.post(
        "/admin/geo/village/add/", {"commune": "01273", "name": "Từ admin", "kind": "thon"}
    )
    assert response.status_code == 302
    event = ChangeEvent.objects.get(object_type="geo.village", action="create")
    assert (event.source, event.actor) == ("admin", root)
    assert event.after["name_key"] == village_key("Từ admin")  # keys follow admin edits too


def test_a_province_wide_import_is_in_the_province_audit_log():
    import io

    from langso.geo.services import villages_import

    admin = province_admin("04")
    other = "01279"  # Phường Nùng Trí Cao, also Cao Bằng
    data = f"Mã xã,Tên thôn,Loại\n01273,Nà Rị,Thôn\n{other},Bó Mạ,Bản\n".encode()
    villages_import(actor=admin, filename="thon.csv", stream=io.BytesIO(data))
    event = ChangeEvent.objects.get(action="batch", object_type="geo.village")
    assert event.province_code == "04"
    assert event in signed_in(admin).get("/audit/").context["page"].object_list


def test_admin_user_edits_are_audited_without_the_password_hash():
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="x" * 12)
    officer = commune_officer("01273")
    response = signed_in(root).post(
        f"/admin/accounts/user/{officer.pk}/change/",
        {
            "username": officer.username,
            "role": "analyst",
            "full_name": "Đổi Vai",
            "phone": "",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "areas-TOTAL_FORMS": "0",
            "areas-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = ChangeEvent.objects.get(object_type="accounts.user", action="update")
    assert ("role", "commune_officer", "analyst") in event.changed_fields
    assert "password" not in event.after
