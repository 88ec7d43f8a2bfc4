from django.core.management.base import BaseCommand, CommandError

from langso.accounts.models import User
from langso.jobs.foreground import run_with_progress
from langso.jobs.services import job_start
from langso.poverty.standard import StandardError, for_year

CLASSES = ("poor", "near_poor", "middle_income", "above", "unknown")


class Command(BaseCommand):
    help = (
        "Assess every household of an area under the review year's poverty standard, with "
        "progress; --what-if counts without storing anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="review year, e.g. 2026")
        parser.add_argument("--as", dest="username", required=True)
        parser.add_argument("--province", default="", help="province code (default: the user's)")
        parser.add_argument("--commune", action="append", default=[], help="commune code(s)")
        parser.add_argument("--what-if", action="store_true", help="count, store nothing")
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue for the worker (follow with `langso jobs watch`)",
        )

    def handle(self, *args, year, username, province, commune, what_if, background, **options):
        try:
            standard = for_year(year)
        except StandardError as error:
            raise CommandError(str(error)) from None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        job = job_start(
            actor=user,
            kind="poverty.assess_area",
            title=f"{'What if' if what_if else 'Assess'} {year} ({standard.code})",
            params={
                "review_year": year,
                "province": province,
                "communes": commune,
                "save": not what_if,
            },
            enqueue=background,
        )
        if background:
            self.stdout.write(f"queued as job #{job.pk}: langso jobs watch {job.pk}")
            return
        job = run_with_progress(self, job)
        if job.status != "succeeded":
            raise CommandError(job.error)
        result = job.result
        total = result["households"] or 1
        self.stdout.write(f"{standard.title_en} — review year {year}")
        for klass in CLASSES:
            n = result["by_class"].get(klass, 0)
            if n:
                self.stdout.write(f"  {klass:14} {n:>10,}  {100 * n / total:6.2f}%")
        self.stdout.write(f"  needs review   {result['needs_review']:>10,}")
        if standard.unconfirmed:
            self.stdout.write(f"  unconfirmed in the standard: {', '.join(standard.unconfirmed)}")
        verb = "counted (nothing stored)" if what_if else "assessed and stored"
        self.stdout.write(self.style.SUCCESS(f"{result['households']:,} households {verb}"))
