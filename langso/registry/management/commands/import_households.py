from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from langso.accounts.models import User
from langso.jobs.foreground import run_with_progress, write_row_errors
from langso.jobs.services import job_start


class Command(BaseCommand):
    help = "Import households and members from the template (CSV/XLSX), as a user, with progress."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--as", dest="username", required=True)
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="import the valid households and skip the others",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue for the worker (follow with `langso jobs watch`)",
        )

    def handle(
        self, *args, file: Path, username: str, valid_only: bool, background: bool, **options
    ):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        with file.open("rb") as stream:
            job = job_start(
                actor=user,
                kind="registry.import_households",
                title=f"Import households from {file.name}",
                params={"filename": file.name, "valid_only": valid_only},
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
                f"{result['created']} created, {result['updated']} updated, {result['skipped']} "
                f"skipped ({result['households']} households, {result['members']} people)"
            )
        )
