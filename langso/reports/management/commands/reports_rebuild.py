"""Recompute the dashboards' figures per village and year (after a bulk load, or nightly)."""

from django.core.management.base import BaseCommand, CommandError

from langso.geo.models import Province
from langso.reports.aggregates import refresh


class Command(BaseCommand):
    help = (
        "Tính lại số liệu tổng hợp theo thôn và năm cho bảng điều khiển của một tỉnh (hoặc tất cả)."
    )

    def add_arguments(self, parser):
        parser.add_argument("province", help="mã tỉnh, ví dụ 04, hoặc 'all'")
        parser.add_argument("--year", type=int, action="append", help="chỉ năm này (lặp lại được)")

    def handle(self, *args, province: str, year: list[int] | None, **options):
        if province != "all" and not Province.objects.filter(code=province).exists():
            raise CommandError(f"không có tỉnh mã {province}")
        where = "cả nước" if province == "all" else f"tỉnh {province}"
        rows = refresh(
            province_code=None if province == "all" else province,
            years=year,
            progress=lambda done, total, what: self.stdout.write(
                f"  {where}: năm {what} ({done + 1}/{total})"
            ),
        )
        self.stdout.write(f"{where}: {rows:,} dòng số liệu")
