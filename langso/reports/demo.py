"""The demo province's dashboard figures, computed once every other app has built its part."""

from __future__ import annotations

from collections.abc import Callable

from langso.demo.generator import ProvincePlan
from langso.demo.services import province_of
from langso.reports.aggregates import refresh


def contribute(*, plan: ProvincePlan, progress: Callable[[str], None]) -> None:
    province = province_of(plan)
    if province is None:
        return
    rows = refresh(province_code=province)
    progress(f"  dashboard figures: {rows:,} rows")
