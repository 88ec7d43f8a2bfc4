"""The demo province's dashboard figures, computed once every other app has built its part."""

from __future__ import annotations

from collections.abc import Callable

from langso.demo.generator import ProvincePlan
from langso.geo.models import Commune
from langso.reports.aggregates import refresh


def contribute(*, plan: ProvincePlan, progress: Callable[[str], None]) -> None:
    commune = plan.villages[0].commune_code if plan.villages else None
    province = Commune.objects.filter(code=commune).values_list("province_id", flat=True).first()
    if province is None:
        return
    rows = refresh(province_code=province)
    progress(f"  dashboard figures: {rows:,} rows")
