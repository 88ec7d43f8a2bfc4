import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Set up the demo (migrate, units, demo province) and serve it with a background worker."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--households", type=int, default=130_000)
        parser.add_argument(
            "--setup-only", action="store_true", help="prepare the data, do not serve"
        )

    def handle(self, *args, addr, households, setup_only, **options):
        call_command("migrate", verbosity=0)
        call_command("demo_build", households=households)
        if setup_only:
            return
        self.stdout.write(f"\nlangso: http://{addr}/   (API docs: http://{addr}/api/v1/docs)")
        self.stdout.write("Stop with Ctrl+C.\n")
        worker = subprocess.Popen(
            [sys.executable, "-m", "langso", "db_worker", "--interval", "0.5"],
        )
        try:
            call_command("runserver", addr, use_reloader=False)
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
