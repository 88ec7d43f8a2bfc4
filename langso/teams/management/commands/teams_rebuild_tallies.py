"""Recompute a province's progress aggregates from its visits (after a bulk load, or to repair)."""

from django.core.management.base import BaseCommand, CommandError

from langso.geo.models import Province
from langso.teams import tallies


class Command(BaseCommand):
    help = "Tính lại số liệu tổng hợp kết quả hỗ trợ của tổ công nghệ số cho một tỉnh."

    def add_arguments(self, parser):
        parser.add_argument("province", help="mã tỉnh, ví dụ 04")

    def handle(self, *args, province: str, **options):
        if not Province.objects.filter(code=province).exists():
            raise CommandError(f"không có tỉnh mã {province}")
        tallies.rebuild(province)
        self.stdout.write(f"đã tính lại số liệu tổng hợp của tỉnh {province}")
