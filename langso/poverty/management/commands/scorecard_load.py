from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from langso.poverty.scorecard import ScorecardError, parse
from langso.poverty.services import scorecard_load


class Command(BaseCommand):
    help = "Load an income-proxy scorecard (Phiếu B) from its TOML file and make it active."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--inactive", action="store_true", help="store without activating")

    def handle(self, *args, file: Path, inactive: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        text = file.read_text(encoding="utf-8")
        try:
            card = parse(text, file.name)
        except ScorecardError as error:
            raise CommandError(str(error)) from None
        scorecard_load(actor=None, text=text, activate=not inactive)
        note = " (EXAMPLE, not the circular's table)" if card.is_example else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{card.code}: {len(card.items)} questions, {len(card.cutoffs)} cut-offs, "
                f"review years {card.first_review_year}–{card.last_review_year}{note}"
            )
        )
