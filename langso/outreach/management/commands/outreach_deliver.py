"""Send the messages that are due (first sends and retries after a temporary failure)."""

import time

from django.core.management.base import BaseCommand

from langso.outreach.outbox import deliver_due


class Command(BaseCommand):
    help = "Gửi các tin nhắn thông báo đến hạn (kể cả gửi lại sau lỗi tạm thời)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="chạy liên tục (mỗi --interval giây một lượt)"
        )
        parser.add_argument("--interval", type=float, default=30.0)

    def handle(self, *args, loop: bool, interval: float, **options):
        while True:
            counts = deliver_due()
            if any(counts.values()) or not loop:
                self.stdout.write(
                    "đã gửi {sent}, chờ gửi lại {retry}, lỗi {failed}".format(**counts)
                )
            if not loop:
                return
            time.sleep(interval)
