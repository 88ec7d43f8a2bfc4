"""The read side of the dashboards: the pre-computed figures of an area and year, summed, and
the indicators of the catalogue computed from them (the same numbers for pages and API)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Count, QuerySet, Sum

from langso.accounts.scope import restrict
from langso.geo.models import Commune
from langso.reports import indicators
from langso.reports.aggregates import COLUMNS
from langso.reports.models import VillageFigures


@cache
def catalogue() -> indicators.Catalogue:
    return indicators.load_catalogue()


def figures_for(user: Any) -> QuerySet[VillageFigures]:
    return restrict(VillageFigures.objects.all(), user)


def years(user: Any) -> list[int]:
    return sorted(set(figures_for(user).values_list("year", flat=True)), reverse=True)


def communes_for(user: Any) -> QuerySet[Commune]:
    return restrict(Commune.objects.all(), user).order_by("name")


def _sums(rows: QuerySet[VillageFigures]) -> dict[str, int | None]:
    found = rows.aggregate(
        **{name: Sum(name) for name in COLUMNS}, communes=Count("commune", distinct=True)
    )
    return found


def measures(user: Any, year: int, commune: str | None = None) -> dict[str, int | None]:
    """The counts of the user's area (or one commune of it) in a year."""
    rows = figures_for(user).filter(year=year)
    if commune:
        rows = rows.filter(commune_id=commune)
    return _sums(rows)


def by_commune(user: Any, year: int) -> dict[str, dict[str, int | None]]:
    """The counts of each commune of the area in a year (one GROUP BY)."""
    rows = figures_for(user).filter(year=year).values("commune_id")
    found = rows.annotate(**{name: Sum(name) for name in COLUMNS})
    return {r.pop("commune_id"): {**r, "communes": 1} for r in found}


@dataclass(frozen=True)
class Figure:
    indicator: indicators.Indicator
    value: float | None
    before: float | None
    change: indicators.Change
    shown: str
    change_shown: str


def figures(
    now: dict[str, int | None], before: dict[str, int | None] | None, language: str
) -> list[Figure]:
    """Every indicator of the catalogue: its value now, a year before, and the change."""
    found = []
    for indicator in catalogue().indicators:
        value = indicators.value(indicator, now)
        earlier = indicators.value(indicator, before) if before else None
        change = indicators.change(indicator, earlier, value)
        shown_change = (
            indicators.format_change(indicator, change, language)
            if change.absolute is not None
            else ""
        )
        found.append(
            Figure(
                indicator=indicator,
                value=value,
                before=earlier,
                change=change,
                shown=indicators.format_value(indicator, value, language),
                change_shown=shown_change,
            )
        )
    return found
