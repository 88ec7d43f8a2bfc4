"""Rebuilding the figures per village and year (``VillageFigures``) from the registry, the
assessments, the teams' aggregates, the infrastructure registry and the outreach devices.

Each source is read with one GROUP BY per year over the communes asked for, then the rows of
those communes and years are replaced in one transaction: a rebuild never leaves half a year.
What is only known now (the registry's households, digital profiles, stations, coverage, wifi,
devices) fills the current year; poverty (by review year), teams, visits and subscribers fill
every year they have data for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.db.models.functions import Substr

from langso.geo.models import Commune, Village
from langso.reports.indicators import MEASURES
from langso.reports.models import VillageFigures

COLUMNS = [m for m in MEASURES if m != "communes"]
Key = tuple[str, int | None]  # (commune, village or None)


def _in(rows: Any, communes: list[str] | None, field: str = "commune_id") -> Any:
    """``rows`` of these communes; all of them for None (a national rebuild: one pass over each
    table instead of one per province)."""
    return rows if communes is None else rows.filter(**{f"{field}__in": communes})


def _years_with_data(communes: list[str] | None, today: dt.date) -> list[int]:
    from langso.poverty.models import Assessment

    # the first year, then one EXISTS per later year: each reads a few index entries, where a
    # DISTINCT would read every assessment of the province
    current = _in(Assessment.objects.filter(is_current=True), communes)
    first = current.order_by("review_year").values_list("review_year", flat=True).first()
    if first is None:
        return [today.year]
    years = {y for y in range(first, today.year + 1) if current.filter(review_year=y).exists()}
    return sorted(years | {today.year})


def _add(rows: dict[Key, dict], key: Key, name: str, n: int | None) -> None:
    row = rows.setdefault(key, {})
    row[name] = (row.get(name) or 0) + (n or 0)


MINORITY_HOUSEHOLD = Q(household__is_ethnic_minority=True)


def _registry(rows, communes) -> None:
    from langso.registry.models import DigitalProfile, Household

    households = _in(Household.objects.filter(is_active=True), communes)
    for commune, village, n, people, minority in households.values_list(
        "commune_id", "village_id"
    ).annotate(
        n=Count("pk"),
        people=Sum("member_count"),
        minority=Count("pk", filter=Q(is_ethnic_minority=True)),
    ):
        _add(rows, (commune, village), "households", n)
        _add(rows, (commune, village), "people", people)
        _add(rows, (commune, village), "minority_households", minority)
    profiles = _in(
        DigitalProfile.objects.filter(household__is_active=True), communes, "household__commune_id"
    )
    found = profiles.values_list("household__commune_id", "household__village_id").annotate(
        profiled=Count("pk"),
        with_broadband=Count("pk", filter=Q(has_fixed_broadband=True)),
        with_smartphone=Count("pk", filter=Q(has_smartphone=True)),
        using_internet=Count("pk", filter=Q(uses_internet=True)),
        with_vneid=Count("pk", filter=Q(vneid_level__gte=2)),
        paying_cashless=Count("pk", filter=Q(pays_cashless=True)),
        using_public_services=Count("pk", filter=Q(uses_online_public_services=True)),
        minority_profiled=Count("pk", filter=MINORITY_HOUSEHOLD),
        minority_with_smartphone=Count("pk", filter=MINORITY_HOUSEHOLD & Q(has_smartphone=True)),
        minority_using_internet=Count("pk", filter=MINORITY_HOUSEHOLD & Q(uses_internet=True)),
    )
    names = ["profiled", "with_broadband", "with_smartphone", "using_internet", "with_vneid"]
    names += ["paying_cashless", "using_public_services", "minority_profiled"]
    names += ["minority_with_smartphone", "minority_using_internet"]
    for commune, village, *counts in found:
        for name, n in zip(names, counts, strict=True):
            _add(rows, (commune, village), name, n)


def _information_positions() -> dict[str, dict[str, int]]:
    """Per standard code: the 1-based position of its two information indicators in the
    stored vector of letters (the standards' own order)."""
    from langso.poverty.standard import all_standards

    found: dict[str, dict[str, int]] = {}
    for standard in all_standards():
        codes = [i.code for i in standard.indicators]
        info = [i.code for i in standard.indicators if i.dimension == "information"]
        if len(info) == 2:
            found[standard.code] = {
                "deprived_telecom_use": codes.index(info[0]) + 1,
                "deprived_information_access": codes.index(info[1]) + 1,
            }
    return found


def _poverty(rows, communes, year: int) -> None:
    """One pass over the year's current assessments: each standard keeps its two information
    indicators at its own positions in the stored letters, picked per row."""
    from langso.poverty.models import Assessment

    positions = _information_positions()

    def letter(measure: str) -> Case:
        return Case(
            *(
                When(standard=code, then=Substr("indicators", at[measure], 1))
                for code, at in positions.items()
            ),
            default=Value(""),
            output_field=CharField(),
        )

    current = _in(
        Assessment.objects.filter(is_current=True, review_year=year, standard__in=positions),
        communes,
    )
    minority = Q(is_ethnic_minority=True)  # as the household was when assessed
    found = (
        current.annotate(
            telecom=letter("deprived_telecom_use"),
            information=letter("deprived_information_access"),
        )
        .values_list("commune_id", "village_id")
        .annotate(
            assessed=Count("pk"),
            poor=Count("pk", filter=Q(poverty_class="poor")),
            near_poor=Count("pk", filter=Q(poverty_class="near_poor")),
            deprived_telecom_use=Count("pk", filter=Q(telecom="D")),
            deprived_information_access=Count("pk", filter=Q(information="D")),
            minority_assessed=Count("pk", filter=minority),
            minority_poor=Count("pk", filter=minority & Q(poverty_class="poor")),
            minority_near_poor=Count("pk", filter=minority & Q(poverty_class="near_poor")),
            minority_deprived_telecom_use=Count("pk", filter=minority & Q(telecom="D")),
            minority_deprived_information_access=Count("pk", filter=minority & Q(information="D")),
        )
    )
    names = ["assessed", "poor", "near_poor", "deprived_telecom_use"]
    names += ["deprived_information_access", "minority_assessed", "minority_poor"]
    names += ["minority_near_poor", "minority_deprived_telecom_use"]
    names += ["minority_deprived_information_access"]
    for commune, village, *counts in found:
        for name, n in zip(names, counts, strict=True):
            _add(rows, (commune, village), name, n)


def _teams(rows, communes, year: int) -> None:
    from langso.teams.models import HouseholdReach, SkillTally, Team, TeamMember

    end = dt.date(year, 12, 31)
    active = Q(established_on__lte=end) & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end))
    teams = _in(Team.objects.filter(active), communes)
    for commune, village, n in teams.values_list("commune_id", "village_id").annotate(
        n=Count("pk")
    ):
        _add(rows, (commune, village), "teams", n)
    members = TeamMember.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=end), team__in=teams, starts_on__lte=end
    )
    for commune, village, n in members.values_list("team__commune_id", "team__village_id").annotate(
        n=Count("pk")
    ):
        _add(rows, (commune, village), "team_members", n)
    reached = _in(HouseholdReach.objects.filter(first_visit__lte=end), communes)
    for commune, village, n in reached.values_list("commune_id", "village_id").annotate(
        n=Count("pk")
    ):
        _add(rows, (commune, village), "households_reached", n)
    skills = _in(SkillTally.objects.filter(month__year=year), communes)
    for commune, village, n in skills.values_list("commune_id", "village_id").annotate(
        n=Sum("mastered")
    ):
        _add(rows, (commune, village), "skills_mastered", n)


def _infrastructure(rows, communes) -> None:
    from langso.infra.models import BaseStation, Coverage, WifiHotspot
    from langso.outreach.models import Device

    stations = _in(BaseStation.objects.filter(status="active"), communes)
    for commune, village, n in stations.values_list("commune_id", "village_id").annotate(
        n=Count("pk")
    ):
        _add(rows, (commune, village), "base_stations", n)
    coverage = _in(Coverage.objects.all(), communes)
    for commune, village in coverage.filter(network="4g", level="full").values_list(
        "commune_id", "village_id"
    ):
        _add(rows, (commune, village), "villages_4g_full", 1)
    for commune, village in coverage.filter(
        network="fibre", level__in=["full", "partial"]
    ).values_list("commune_id", "village_id"):
        _add(rows, (commune, village), "villages_fibre", 1)
    wifi = _in(WifiHotspot.objects.filter(active=True), communes)
    for commune, village, n in wifi.values_list("commune_id", "village_id").annotate(n=Count("pk")):
        _add(rows, (commune, village), "wifi_points", n)
    devices = _in(Device.objects.filter(active=True), communes)
    for commune, village, kind, n in devices.values_list(
        "commune_id", "village_id", "kind"
    ).annotate(n=Count("pk")):
        _add(rows, (commune, village), "radio_clusters" if kind == "cluster" else "boards", n)


def _subscribers(rows, communes, year: int) -> None:
    """The last period of the year each commune reported, per kind (all operators summed)."""
    from django.db.models import Max

    from langso.infra.models import SubscriberCount

    counts = _in(SubscriberCount.objects.filter(period_end__year=year), communes)
    last = dict(
        counts.values_list("commune_id")
        .annotate(end=Max("period_end"))
        .values_list("commune_id", "end")
    )
    kinds = {
        "mobile": ("mobile_subscribers", "phone_subscribers"),
        "fixed_phone": ("phone_subscribers",),
        "internet": ("internet_subscribers",),
        "iptv": ("iptv_subscribers",),
    }
    for commune, end, kind, n in (
        counts.filter(kind__in=kinds)
        .values_list("commune_id", "period_end", "kind")
        .annotate(n=Sum("count"))
    ):
        if last.get(commune) == end:
            for name in kinds[kind]:
                _add(rows, (commune, None), name, n)


def refresh(
    *,
    province_code: str | None,
    communes: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int | None, str], None] | None = None,
) -> int:
    """Recompute the figures of a province's communes (all, or those given), or of the whole
    country (``province_code`` None: each source read once per year for every province), for
    the years given (default: every review year with assessments, and the current year).
    Returns the number of rows written."""
    today = today or dt.date.today()
    national = province_code is None
    all_communes = (
        Commune.objects.all() if national else Commune.objects.filter(province_id=province_code)
    )
    if communes is not None:
        all_communes = all_communes.filter(code__in=list(communes))
        national = False
    province_of = dict(all_communes.values_list("code", "province_id"))
    if not province_of:
        return 0
    codes = None if national else sorted(province_of)  # None: no filter, every commune
    years = sorted(set(years) if years is not None else _years_with_data(codes, today))
    villages = list(_in(Village.objects.all(), codes).values_list("commune_id", "pk"))
    written = 0
    for step, year in enumerate(years):
        if progress:
            progress(step, len(years), f"{year}")
        rows: dict[Key, dict[str, Any]] = {(c, None): {} for c in province_of}
        for commune, village in villages:
            if commune in province_of:
                rows[(commune, village)] = {"villages": 1}
        _poverty(rows, codes, year)
        _teams(rows, codes, year)
        _subscribers(rows, codes, year)
        if year == today.year:
            _registry(rows, codes)
            _infrastructure(rows, codes)
        else:
            # an earlier year's households are those its review assessed (every household is
            # reviewed), so its rates stand on the same base as the review's own report
            for values in rows.values():
                if "assessed" in values:
                    values["households"] = values["assessed"]
                    values["minority_households"] = values["minority_assessed"]
        written += _replace(province_of, codes, year, rows, current=year == today.year)
    return written


KNOWN_NOW_ONLY = frozenset(
    {
        *("households", "people", "profiled", "with_broadband", "with_smartphone"),
        *("using_internet", "with_vneid", "paying_cashless", "using_public_services"),
        *("base_stations", "villages_4g_full", "villages_fibre", "wifi_points"),
        *("radio_clusters", "boards", "minority_households", "minority_profiled"),
        *("minority_with_smartphone", "minority_using_internet"),
    }
)


def _replace(
    province_of: dict[str, str], codes: list[str] | None, year: int, rows: dict, *, current: bool
) -> int:
    """The year's rows of these communes (None: of every commune) replaced by ``rows``, in one
    transaction."""
    objects = []
    for (commune, village), values in rows.items():
        if commune not in province_of:
            continue  # a row of a commune not asked for (a national pass reads everything)
        figures = VillageFigures(
            province=province_of[commune], commune_id=commune, village_id=village, year=year
        )
        for name in COLUMNS:
            if name in values:
                setattr(figures, name, values[name])
            elif current or name not in KNOWN_NOW_ONLY:
                setattr(figures, name, 0)  # known, and none
        objects.append(figures)
    with transaction.atomic():
        _in(VillageFigures.objects.filter(year=year), codes).delete()
        VillageFigures.objects.bulk_create(objects, batch_size=2000)
    return len(objects)
