from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from langso.accounts.models import User
from langso.poverty.legacy import legacy_results_load


class Command(BaseCommand):
    help = (
        "Load review results of the old communes (before 1 July 2025) from a CSV or XLSX: "
        "all rows or none; the reports re-aggregate them to today's communes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--as", dest="username", required=True)
        parser.add_argument("--source", required=True, help="where the figures come from")

    def handle(self, *args, file: Path, username: str, source: str, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {username}")
        try:
            with file.open("rb") as stream:
                report = legacy_results_load(
                    actor=actor, name=file.name, stream=stream, source=source
                )
        except ValidationError as error:
            raise CommandError("nothing loaded:\n" + "\n".join(error.messages)) from None
        except PermissionDenied:
            raise CommandError(f"{username} may not load poverty results") from None
        self.stdout.write(
            self.style.SUCCESS(f"{report.created} rows added, {report.updated} replaced")
        )
