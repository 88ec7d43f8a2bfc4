"""TOTP second factor (django-otp): who needs it, setting it up, checking a code."""

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from langso.accounts.roles import TWO_FACTOR_REQUIRED, Role


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def needs_second_factor(user: Any) -> bool:
    """Required for provincial administrators and superusers; on for anyone who set it up."""
    try:
        required = user.is_superuser or Role(user.role) in TWO_FACTOR_REQUIRED
    except ValueError:
        required = user.is_superuser
    return required or confirmed_device(user) is not None


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being set up (made on first call), whose key the QR code shows."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="langso", confirmed=False)
