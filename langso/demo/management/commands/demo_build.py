import time

from django.core.management.base import BaseCommand

from langso.demo.services import DEMO_PASSWORD, demo_build
from langso.geo.models import Province
from langso.geo.services import units_load


class Command(BaseCommand):
    help = "Build the synthetic demo province (default Cao Bằng, 130,000 households); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="04", help="province code, or 'all'")
        parser.add_argument(
            "--households",
            type=int,
            default=130_000,
            help="households per province (national: 27,000,000 with --province all)",
        )
        parser.add_argument("--seed", type=int, default=2023)
        parser.add_argument("--no-users", action="store_true")

    def handle(self, *args, province, households, seed, no_users, **options):
        if Province.objects.count() < 34:
            self.stdout.write("Loading administrative units…")
            units_load()
        codes = (
            list(Province.objects.values_list("code", flat=True))
            if province == "all"
            else [province]
        )
        per_province = households // len(codes) if province == "all" else households
        start = time.perf_counter()
        for i, code in enumerate(codes):
            result = demo_build(
                province_code=code,
                households=per_province,
                seed=seed + i,
                with_users=not no_users and i == 0,
                progress=self.stdout.write,
            )
            self.stdout.write(f"  {result.villages_created:,} villages created")
            if i == 0 and province != "all":
                mix = result.plan.ethnic_households()
                total = sum(mix.values())
                self.stdout.write(
                    "  ethnic mix (household heads): "
                    + ", ".join(f"{g} {100 * n / total:.1f}%" for g, n in mix.items())
                )
            if result.logins:
                self.stdout.write(f"\nDemo logins (password: {DEMO_PASSWORD}):")
                for login in result.logins:
                    extra = f"  [2FA: langso totp-code {login.username}]" if login.totp else ""
                    self.stdout.write(
                        f"  {login.username:<14} {login.role:<16} {login.area}{extra}"
                    )
        self.stdout.write(self.style.SUCCESS(f"done in {time.perf_counter() - start:.1f} s"))
