"""Fetch the upstream CAP feeds (e.g. national disaster warnings) and make draft emergencies."""

from django.core.management.base import BaseCommand, CommandError

from langso.outreach.cap_feed import ingest, poll
from langso.outreach.models import CapSubscription


class Command(BaseCommand):
    help = (
        "Đọc các nguồn cảnh báo CAP đã đăng ký (hoặc một tệp CAP) và tạo bản nháp thông báo "
        "khẩn cấp cho các xã bị ảnh hưởng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", help="đọc một tệp CAP / nguồn Atom thay vì các nguồn")
        parser.add_argument("--province", help="mã tỉnh nhận bản nháp (bắt buộc với --file)")

    def handle(self, *args, file: str | None, province: str | None, **options):
        if file:
            if not province:
                raise CommandError("--file cần --province")
            with open(file, "rb") as handle:
                made = ingest(xml=handle.read(), province_code=province)
            self.stdout.write(f"{file}: {len(made)} bản nháp")
            return
        for subscription in CapSubscription.objects.filter(enabled=True):
            made = poll(subscription)
            state = subscription.last_error or "ok"
            self.stdout.write(f"{subscription.name}: {len(made)} bản nháp ({state})")
