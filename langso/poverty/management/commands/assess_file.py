import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from langso.core.tabular import TableError
from langso.poverty import file_check
from langso.poverty.queries import area_types
from langso.poverty.standard import StandardError, for_year


class Command(BaseCommand):
    help = (
        "Check a survey file (the household import template, CSV or XLSX) against the poverty "
        "rules of a review year without importing it: one CSV row per household."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, required=True, help="review year, e.g. 2026")
        parser.add_argument("--output", type=Path, help="CSV to write (default: standard output)")

    def handle(self, *args, file: Path, year: int, output: Path | None, **options):
        file, output = Path(file), Path(output) if output else None
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            standard = for_year(year)
        except StandardError as error:
            raise CommandError(str(error)) from None
        types = area_types()
        with file.open("rb") as stream:
            checked = file_check.check(
                file.name,
                stream,
                standard=standard,
                review_year=year,
                area_type_of=types.get,
                today=dt.date.today(),
            )
            try:
                if output:
                    with output.open("w", encoding="utf-8-sig", newline="") as out:
                        counts = file_check.write_csv(checked, standard, out)
                else:
                    counts = file_check.write_csv(checked, standard, self.stdout)
            except TableError as error:
                raise CommandError(f"{file.name}: {error}") from None
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        sys.stderr.write(f"{file.name} under {standard.code}, review year {year}: {summary}\n")
