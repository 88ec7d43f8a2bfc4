from django.core.management.base import BaseCommand, CommandError

from langso.geo.conversion import ConversionError, convert_address_text


class Command(BaseCommand):
    help = "Old address 'commune, district, province' (before 1 July 2025) to the current commune."

    def add_arguments(self, parser):
        parser.add_argument("address")

    def handle(self, *args, address: str, **options):
        try:
            result = convert_address_text(address)
        except ConversionError as exc:
            raise CommandError(str(exc)) from None
        c = result.commune
        self.stdout.write(f"{c.name}, {c.province.name} ({c.code})")
        if result.is_split:
            others = ", ".join(f"{o.name} ({o.code})" for o in result.alternatives)
            self.stdout.write(f"note: the old commune was split; other parts went to {others}")
