from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from langso.accounts.twofactor import confirmed_device


class Command(BaseCommand):
    help = (
        "Print the current TOTP code of a user's device (operators and the demo; needs DB access)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        from langso.accounts.models import User

        user = User.objects.filter(username=username).first()
        device = confirmed_device(user) if user else None
        if device is None:
            raise CommandError(f"{username}: no confirmed TOTP device")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
