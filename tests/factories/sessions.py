"""Signing test clients in, the way the app does (with a verified second factor if needed)."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from langso.accounts.services import api_token_create


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def api_client(user) -> Client:
    _token, plain = api_token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {plain}"})
