import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from langso import settings as production
from tests.factories.accounts import PASSWORD, commune_officer, province_admin

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str = PASSWORD):
    return client.post("/account/login/", {"username": username, "password": password})


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_production_passwords_are_hashed_with_argon2():
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        assert make_password("mật khẩu").startswith("argon2$")


def test_commune_officer_signs_in_with_a_password_alone():
    officer = commune_officer()
    client = Client()
    _login(client, officer.username)
    assert client.get("/").status_code == 200


def test_wrong_password_does_not_sign_in():
    officer = commune_officer()
    client = Client()
    response = _login(client, officer.username, "wrong")
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_five_failures_lock_the_account_even_with_the_right_password():
    officer = commune_officer()
    client = Client()
    for _ in range(5):
        _login(client, officer.username, "wrong")
    response = _login(client, officer.username)
    assert response.status_code == 429
    assert "Tạm khóa" in response.content.decode()


def test_province_admin_must_set_up_two_factor_before_anything_else():
    admin = province_admin()
    client = Client()
    _login(client, admin.username)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/account/2fa/")
    assert "QR" in client.get("/account/2fa/").content.decode()


def test_province_admin_gets_in_after_confirming_a_totp_code():
    admin = province_admin()
    client = Client()
    _login(client, admin.username)
    client.get("/account/2fa/")  # creates the pending device shown as a QR code
    device = TOTPDevice.objects.get(user=admin)
    response = client.post("/account/2fa/", {"code": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_a_wrong_totp_code_is_refused():
    admin = province_admin()
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client = Client()
    _login(client, admin.username)
    response = client.post("/account/2fa/", {"code": "000000"})
    assert "không đúng" in response.content.decode()
    assert client.get("/").status_code == 302


def test_session_api_access_needs_the_second_factor_too():
    admin = province_admin()
    client = Client()
    _login(client, admin.username)
    assert client.get("/api/v1/me").status_code == 401


def test_home_page_differs_by_role():
    from tests.factories.accounts import analyst
    from tests.factories.sessions import signed_in

    officer_page = signed_in(commune_officer("01273")).get("/").content.decode()
    analyst_page = signed_in(analyst("04")).get("/").content.decode()
    assert "Nhập danh sách thôn" in officer_page
    assert "Nhập danh sách thôn" not in analyst_page
    assert "Các xã trong địa bàn" in analyst_page
