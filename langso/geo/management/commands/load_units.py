import time

from django.core.management.base import BaseCommand

from langso.geo.services import units_load


class Command(BaseCommand):
    help = (
        "Load (or refresh) the 34/3,321 current and 63/696/10,035 legacy units and the crosswalk."
    )

    def handle(self, *args, **options):
        start = time.perf_counter()
        counts = units_load()
        took = time.perf_counter() - start
        for name, value in counts.as_dict().items():
            self.stdout.write(f"{name:>18}: {value:,}")
        self.stdout.write(self.style.SUCCESS(f"loaded in {took:.1f} s"))
