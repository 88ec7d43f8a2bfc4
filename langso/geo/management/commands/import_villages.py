from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from langso.accounts.models import User
from langso.jobs.foreground import run_with_progress, write_row_errors
from langso.jobs.services import job_start


class Command(BaseCommand):
    help = (
        "Import villages from CSV/XLSX (Mã xã or Tên xã, Tên thôn, Loại), as a user, with progress."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as", dest="username", required=True, help="the account whose area and rights apply"
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue for the worker and return (follow with `langso jobs watch`)",
        )

    def handle(self, *args, file: Path, username: str, background: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"no active user {username!r}") from None
        with file.open("rb") as stream:
            job = job_start(
                actor=user,
                kind="geo.import_villages",
                title=f"Import villages from {file.name}",
                params={"filename": file.name},
                input_file=File(stream, name=file.name),
                enqueue=background,
            )
        if background:
            self.stdout.write(f"queued as job #{job.pk}: langso jobs watch {job.pk}")
            return
        job = run_with_progress(self, job)
        write_row_errors(self, file.name, job)
        result = job.result or {}
        if job.status != "succeeded":
            raise CommandError(job.error)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['created']} created, {result['updated']} updated, "
                f"{result['unchanged']} unchanged ({result['rows']} rows)"
            )
        )
