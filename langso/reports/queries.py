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


def may_see_ethnicity(user: Any) -> bool:
    """Figures by ethnicity are sensitive personal data in aggregate (Law 91/2025): only for
    users who may see ethnicity itself."""
    from langso.accounts.roles import Capability

    return bool(user.can(Capability.VIEW_SENSITIVE))


def ethnicity_shown(user: Any, what: str) -> None:
    """Log that figures by ethnicity were shown to the user (a read of sensitive data)."""
    from langso.audit.services import record_read

    record_read(
        actor=user,
        object_type="reports.figures",
        fields=("ethnicity",),
        count=0,
        message=f"số liệu tổng hợp theo dân tộc: {what}",
    )


def indicators_for(user: Any) -> tuple[indicators.Indicator, ...]:
    """The catalogue's indicators the user may see (sensitive ones only with the right)."""
    allowed = may_see_ethnicity(user)
    return tuple(i for i in catalogue().indicators if allowed or not i.sensitive)


def visible(user: Any, counts: dict[str, Any]) -> dict[str, Any]:
    """``counts`` without the sensitive measures, unless the user may see them."""
    if may_see_ethnicity(user):
        return counts
    return {k: v for k, v in counts.items() if k not in indicators.SENSITIVE_MEASURES}


def figures_for(user: Any) -> QuerySet[VillageFigures]:
    return restrict(VillageFigures.objects.all(), user)


def years(user: Any) -> list[int]:
    return list(figures_for(user).values_list("year", flat=True).distinct().order_by("-year"))


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


def by_commune(
    user: Any, year: int, commune: str | None = None
) -> dict[str, dict[str, int | None]]:
    """The counts of each commune of the area (or the one given) in a year (one GROUP BY)."""
    rows = figures_for(user).filter(year=year)
    if commune:
        rows = rows.filter(commune_id=commune)
    found = rows.values("commune_id").annotate(**{name: Sum(name) for name in COLUMNS})
    return {r.pop("commune_id"): {**r, "communes": 1} for r in found}


def by_province(user: Any, year: int) -> dict[str, dict[str, int | None]]:
    """The counts of each province of the area in a year (one GROUP BY)."""
    rows = figures_for(user).filter(year=year).values("province")
    found = rows.annotate(
        **{name: Sum(name) for name in COLUMNS}, communes=Count("commune", distinct=True)
    )
    return {r.pop("province"): r for r in found}


def by_village(
    user: Any, year: int, commune: str | None = None
) -> dict[int, dict[str, int | None]]:
    """The counts of each village of the area (or of one commune) in a year; what is known
    only per commune (subscribers, devices not placed in a village) is left out."""
    rows = figures_for(user).filter(year=year, village__isnull=False)
    if commune:
        rows = rows.filter(commune_id=commune)
    found = rows.values("village_id").annotate(**{name: Sum(name) for name in COLUMNS})
    return {r.pop("village_id"): r for r in found}


def by_year(user: Any, commune: str | None = None) -> dict[int, dict[str, int | None]]:
    """The counts of the area (or one commune) in every year there are figures for."""
    rows = figures_for(user)
    if commune:
        rows = rows.filter(commune_id=commune)
    found = rows.values("year").annotate(
        **{name: Sum(name) for name in COLUMNS}, communes=Count("commune", distinct=True)
    )
    return {r.pop("year"): r for r in found.order_by("year")}


def refreshed_at(user: Any) -> Any:
    """When the area's figures were last recomputed (None: never)."""
    from django.db.models import Max

    return figures_for(user).aggregate(at=Max("refreshed_at"))["at"]


def villages_named(ids: list[int]) -> dict[int, Any]:
    from langso.geo.models import Village

    return {v.pk: v for v in Village.objects.filter(pk__in=ids).select_related("commune")}


def provinces_named(codes: list[str]) -> dict[str, Any]:
    from langso.geo.models import Province

    return {p.code: p for p in Province.objects.filter(code__in=codes)}


@dataclass(frozen=True)
class Figure:
    indicator: indicators.Indicator
    value: float | None
    before: float | None
    change: indicators.Change
    shown: str
    change_shown: str


def figures(
    now: dict[str, int | None],
    before: dict[str, int | None] | None,
    language: str,
    shown: tuple[indicators.Indicator, ...] | None = None,
) -> list[Figure]:
    """Each indicator (``shown``, by default the catalogue's): its value now, a year before,
    and the change."""
    found = []
    for indicator in catalogue().indicators if shown is None else shown:
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


@dataclass(frozen=True)
class GapRow:
    village_id: int
    village: str
    commune: str
    gap: Any  # gaps.VillageGap
    kind: str | None
    lack: str | None


def gap_rows(user: Any, commune: str | None = None) -> list[GapRow]:
    """Every village of the user's area (or one commune) with its information gap, from the
    latest review year's current assessments, today's profiles and the recorded coverage.
    Villages with too few deprived households have kind None."""
    from django.db.models import Max, Q
    from django.db.models.functions import Substr

    from langso.geo.models import Village
    from langso.infra.models import Coverage
    from langso.poverty.models import Assessment
    from langso.registry.models import DigitalProfile, Household
    from langso.reports import gaps
    from langso.reports.aggregates import _information_positions

    villages = restrict(Village.objects.all(), user).select_related("commune")
    if commune:
        villages = villages.filter(commune_id=commune)
    villages = list(villages.order_by("commune_id", "name")[:20000])
    ids = [v.pk for v in villages]
    households = dict(
        Household.objects.filter(village_id__in=ids, is_active=True)
        .values_list("village_id")
        .annotate(n=Count("pk"))
    )
    current = Assessment.objects.filter(village_id__in=ids, is_current=True)
    year = current.aggregate(y=Max("review_year"))["y"]
    deprived: dict[int, int] = {}
    if year:
        for standard, at in _information_positions().items():
            rows = (
                current.filter(review_year=year, standard=standard)
                .annotate(
                    a=Substr("indicators", at["deprived_telecom_use"], 1),
                    b=Substr("indicators", at["deprived_information_access"], 1),
                )
                .values_list("village_id")
                .annotate(n=Count("pk", filter=Q(a="D") | Q(b="D")))
            )
            for village, n in rows:
                deprived[village] = deprived.get(village, 0) + n
    profiles = {
        village: (n, no_phone, offline)
        for village, n, no_phone, offline in DigitalProfile.objects.filter(
            household__village_id__in=ids, household__is_active=True
        )
        .values_list("household__village_id")
        .annotate(
            n=Count("pk"),
            no_phone=Count("pk", filter=Q(has_smartphone=False)),
            offline=Count("pk", filter=Q(uses_internet=False)),
        )
    }
    levels: dict[tuple[int, str], str] = {
        (v, n): level
        for v, n, level in Coverage.objects.filter(
            village_id__in=ids, network__in=["4g", "fibre"]
        ).values_list("village_id", "network", "level")
    }
    found = []
    for village in villages:
        n, no_phone, offline = profiles.get(village.pk, (0, 0, 0))
        gap = gaps.VillageGap(
            households=households.get(village.pk, 0),
            deprived=deprived.get(village.pk, 0),
            coverage_4g=levels.get((village.pk, "4g")),
            fibre=levels.get((village.pk, "fibre")),
            profiled=n,
            without_smartphone=no_phone,
            not_using_internet=offline,
        )
        kind = gaps.classify(gap)
        lack = gaps.main_lack(gap) if kind == gaps.DESPITE_COVERAGE else None
        found.append(GapRow(village.pk, village.name, village.commune.name, gap, kind, lack))
    return found
