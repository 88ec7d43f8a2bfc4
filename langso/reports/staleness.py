"""Keeping the dashboards' figures fresh: after an import, an assessment or a batch of visits,
the touched communes' figures are recomputed by the worker once the change has committed."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django_tasks import task

from langso.geo.models import Commune


@task()
def refresh_figures(province_code: str, communes: list[str], years: list[int] | None) -> int:
    from langso.reports.aggregates import refresh

    return refresh(province_code=province_code, communes=communes, years=years)


def figures_changed(*, communes: Iterable[str], years: Iterable[int] | None = None) -> None:
    """Recompute these communes' figures (for these years; default: every year with data) in
    the worker, after the current transaction commits."""
    codes = sorted(set(communes))
    if not codes:
        return
    by_province: dict[str, list[str]] = {}
    for province, code in Commune.objects.filter(code__in=codes).values_list("province_id", "code"):
        by_province.setdefault(province, []).append(code)
    chosen = sorted(set(years)) if years is not None else None
    for province, members in by_province.items():
        transaction.on_commit(lambda p=province, m=members: refresh_figures.enqueue(p, m, chosen))
