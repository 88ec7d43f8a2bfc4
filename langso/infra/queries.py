"""The read side of the infrastructure registry: scoped lists and each commune's picture."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum

from langso.accounts.scope import restrict
from langso.geo.models import Commune, Village
from langso.infra.models import (
    BaseStation,
    Coverage,
    Network,
    SiteStatus,
    SubscriberCount,
    WifiHotspot,
)
from langso.outreach.models import Device


def stations_for(user: Any) -> QuerySet[BaseStation]:
    return restrict(BaseStation.objects.all(), user).select_related("commune", "village")


def hotspots_for(user: Any) -> QuerySet[WifiHotspot]:
    return restrict(WifiHotspot.objects.all(), user).select_related("commune", "village")


def coverage_for(user: Any) -> QuerySet[Coverage]:
    return restrict(Coverage.objects.all(), user)


def subscribers_for(user: Any) -> QuerySet[SubscriberCount]:
    return restrict(SubscriberCount.objects.all(), user)


def communes_for(user: Any) -> QuerySet[Commune]:
    return restrict(Commune.objects.all(), user).order_by("name")


def writable_communes(user: Any) -> QuerySet[Commune]:
    return restrict(Commune.objects.all(), user, for_write=True).order_by("name")


def villages_of(user: Any, commune_code: str) -> QuerySet[Village]:
    return restrict(Village.objects.all(), user).filter(commune_id=commune_code).order_by("name")


@dataclass
class CommuneRow:
    commune: Commune
    stations: int = 0
    by_tech: dict[str, int] = field(default_factory=dict)
    villages: int = 0
    coverage: dict[str, dict[str, int]] = field(default_factory=dict)  # network → level → n
    hotspots: int = 0
    clusters: int = 0
    boards: int = 0
    subscribers: dict[str, int] = field(default_factory=dict)  # kind → count (latest period)


def overview(user: Any) -> list[CommuneRow]:
    """One row per commune of the user's area: base stations (active, by technology), villages
    by coverage level per network, hotspots, loudspeaker clusters, boards and the latest
    subscriber figures. A handful of GROUP BY queries, whatever the number of communes.

    Each count reads only rows the user may read: a village's volunteer sees their commune's
    row (its name is visible to them) with the numbers of their own village, not the commune's.
    """
    communes = list(communes_for(user)[:5000])
    rows = {c.code: CommuneRow(c) for c in communes}
    codes = list(rows)
    active = restrict(BaseStation.objects.all(), user).filter(
        commune_id__in=codes, status=SiteStatus.ACTIVE
    )
    for code, n, g2, g3, g4, g5 in active.values_list("commune_id").annotate(
        n=Count("pk"),
        g2=Count("pk", filter=Q(has_2g=True)),
        g3=Count("pk", filter=Q(has_3g=True)),
        g4=Count("pk", filter=Q(has_4g=True)),
        g5=Count("pk", filter=Q(has_5g=True)),
    ):
        rows[code].stations = n
        rows[code].by_tech = {"2g": g2, "3g": g3, "4g": g4, "5g": g5}
    for code, n in (
        restrict(Village.objects.all(), user)
        .filter(commune_id__in=codes)
        .values_list("commune_id")
        .annotate(n=Count("pk"))
    ):
        rows[code].villages = n
    for code, network, level, n in (
        coverage_for(user)
        .filter(commune_id__in=codes)
        .values_list("commune_id", "network", "level")
        .annotate(n=Count("pk"))
    ):
        rows[code].coverage.setdefault(network, {})[level] = n
    for code, n in (
        restrict(WifiHotspot.objects.all(), user)
        .filter(commune_id__in=codes, active=True)
        .values_list("commune_id")
        .annotate(n=Count("pk"))
    ):
        rows[code].hotspots = n
    for code, kind, n in (
        restrict(Device.objects.all(), user)
        .filter(commune_id__in=codes, active=True)
        .values_list("commune_id", "kind")
        .annotate(n=Count("pk"))
    ):
        if kind == "cluster":
            rows[code].clusters = n
        else:
            rows[code].boards = n
    figures = subscribers_for(user).filter(commune_id__in=codes)
    latest = figures.aggregate(end=Max("period_end"))
    if latest["end"]:
        for code, kind, n in (
            figures.filter(period_end=latest["end"])
            .values_list("commune_id", "kind")
            .annotate(n=Sum("count"))
        ):
            rows[code].subscribers[kind] = n
    return list(rows.values())


def coverage_grid(user: Any, commune_code: str) -> list[tuple[Village, list[tuple]]]:
    """Each village of a commune with, per network (in order), (code, label, coverage)."""
    villages = list(villages_of(user, commune_code))
    found: dict[int, dict[str, Coverage]] = {}
    for c in coverage_for(user).filter(village__in=villages):
        found.setdefault(c.village_id, {})[c.network] = c
    return [
        (v, [(code, label, found.get(v.pk, {}).get(code)) for code, label in Network.choices])
        for v in villages
    ]
