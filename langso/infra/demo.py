"""The demo province's telecom infrastructure, shaped like the Cao Bằng article: about 1,322
mobile base stations of three operators on shared and own masts (2G/3G/4G everywhere the
stations are, 5G in towns), 4G reaching most villages fully and the farthest partly or not at
all, fixed broadband (fibre) in about half the villages, free wifi at commune offices and some
village cultural houses, and quarterly subscriber figures per commune from 2025 (province totals
near the article's 603,002 mobile, 80,382 internet and 52,156 IPTV subscribers, scaled to the
demo's households).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction

from langso.demo.generator import ProvincePlan
from langso.demo.services import province_of
from langso.geo.models import Commune, Village
from langso.geo.names import village_key
from langso.infra.models import (
    BaseStation,
    Coverage,
    CoverageSource,
    Mast,
    SubscriberCount,
    WifiHotspot,
)

STATIONS = 1_322
HOUSEHOLDS = 130_000  # the article's province, for scaling the subscriber figures
PER_HOUSEHOLD = {  # the article's province totals ÷ its households
    "mobile": 603_002 / HOUSEHOLDS,
    "fixed_phone": 11_580 / HOUSEHOLDS,
    "internet": 80_382 / HOUSEHOLDS,
    "iptv": 52_156 / HOUSEHOLDS,
}
OPERATORS = (("viettel", 0.5), ("vnpt", 0.3), ("mobifone", 0.2))
QUARTERS = [dt.date(2025, 3, 31), dt.date(2025, 6, 30), dt.date(2025, 9, 30)]
QUARTERS += [dt.date(2025, 12, 31), dt.date(2026, 3, 31), dt.date(2026, 6, 30)]
QUARTERS += [dt.date(2026, 9, 30)]
SURVEYED = dt.date(2026, 6, 30)


def _level(rng: random.Random, remoteness: float, full: float, partial: float) -> str:
    """full / partial / none, less likely full the farther the village."""
    roll = rng.random() + remoteness * 0.5
    return "full" if roll < full else "partial" if roll < full + partial else "none"


def contribute(*, plan: ProvincePlan, progress: Callable[[str], None]) -> None:
    province = province_of(plan)
    if province is None or BaseStation.objects.filter(commune__province_id=province).exists():
        return
    rng = random.Random(f"infra:{plan.seed}")
    communes = {c.code: c for c in Commune.objects.filter(province_id=province)}
    villages = {
        (v.commune_id, village_key(v.name)): v
        for v in Village.objects.filter(commune__province_id=province)
    }
    placed = [(v, villages.get((v.commune_code, village_key(v.name)))) for v in plan.villages]
    placed = [(p, v) for p, v in placed if v is not None]
    with transaction.atomic():
        _stations(placed, communes, rng)
        _coverage(placed, rng)
        _hotspots(placed, communes, rng)
        _subscribers(plan, communes, rng)
    progress(
        f"  infrastructure: {BaseStation.objects.count():,} base stations, "
        f"{WifiHotspot.objects.count():,} wifi hotspots"
    )


def _stations(placed, communes, rng: random.Random) -> None:
    # more stations where more people live and in towns; the share of the 1,322 by households
    weights = [p.households * (1.6 - p.remoteness) for p, _v in placed]
    chosen = rng.choices(placed, weights=weights, k=STATIONS)
    masts, stations = [], []
    for i, (p, village) in enumerate(chosen):
        commune = communes[p.commune_code]
        lat = (commune.lat or 22.7) + rng.uniform(-0.04, 0.04)
        lon = (commune.lon or 106.2) + rng.uniform(-0.04, 0.04)
        operator = rng.choices([o for o, _w in OPERATORS], [w for _o, w in OPERATORS])[0]
        if i % 2 == 0 or not masts:
            masts.append(
                Mast(
                    commune=commune,
                    village=village,
                    code=f"CB-{i:05d}",
                    owner=rng.choice(["shared", operator]),
                    height_m=rng.choice([30, 36, 42, 45, 50]),
                    lat=lat,
                    lon=lon,
                    built_on=dt.date(rng.randint(2008, 2024), 1, 1),
                )
            )
        town = p.remoteness < 0.15
        stations.append(
            BaseStation(
                operator=operator,
                site_code=f"{operator[:3].upper()}-CBG{i:05d}",
                commune=commune,
                village=village,
                has_2g=True,
                has_3g=rng.random() < 0.9,
                has_4g=True,
                has_5g=town and rng.random() < 0.4,
                status="active" if rng.random() < 0.97 else "down",
                lat=lat,
                lon=lon,
                on_air_on=dt.date(rng.randint(2010, 2025), rng.randint(1, 12), 1),
            )
        )
    Mast.objects.bulk_create(masts, batch_size=2000)
    for station, mast in zip(stations[::2], masts, strict=False):
        station.mast = mast
    BaseStation.objects.bulk_create(stations, batch_size=2000)


def _coverage(placed, rng: random.Random) -> None:
    rows = []
    for p, village in placed:
        for network, full, partial in (
            ("2g", 0.97, 0.03),
            ("3g", 0.85, 0.1),
            ("4g", 0.78, 0.14),
            ("5g", 0.05, 0.05),
            ("fibre", 0.5, 0.2),
        ):
            if network == "5g" and p.remoteness > 0.2:
                level = "none"
            else:
                level = _level(rng, p.remoteness, full, partial)
            rows.append(
                Coverage(
                    village=village,
                    commune_id=village.commune_id,
                    network=network,
                    level=level,
                    as_of=SURVEYED,
                    source=CoverageSource.SURVEY if network == "fibre" else "operator",
                )
            )
    Coverage.objects.bulk_create(rows, batch_size=5000)


def _hotspots(placed, communes, rng: random.Random) -> None:
    rows = [
        WifiHotspot(
            commune=c,
            name=f"Wifi trụ sở {c.name}",
            place="commune_office",
            provider="vnpt",
            installed_on=dt.date(2024, 9, 1),
        )
        for c in communes.values()
    ]
    for p, village in placed:
        if rng.random() < 0.25 + 0.2 * (1 - p.remoteness):
            rows.append(
                WifiHotspot(
                    commune_id=village.commune_id,
                    village=village,
                    name=f"Wifi nhà văn hóa {village.name}",
                    place="cultural_house",
                    provider=rng.choice(["viettel", "vnpt"]),
                    installed_on=dt.date(2025, rng.randint(1, 12), 1),
                )
            )
    WifiHotspot.objects.bulk_create(rows, batch_size=2000)


def _subscribers(plan: ProvincePlan, communes, rng: random.Random) -> None:
    households: dict[str, int] = {}
    for v in plan.villages:
        households[v.commune_code] = households.get(v.commune_code, 0) + v.households
    rows = []
    for code, count in households.items():
        if code not in communes:
            continue
        for q, end in enumerate(QUARTERS):
            growth = 1 + 0.012 * q  # ~5% a year, internet faster
            for kind, rate in PER_HOUSEHOLD.items():
                extra = growth + (0.02 * q if kind == "internet" else 0)
                total = count * rate * extra * rng.uniform(0.97, 1.03)
                for operator, share in OPERATORS:
                    rows.append(
                        SubscriberCount(
                            commune_id=code,
                            period_end=end,
                            operator=operator,
                            kind=kind,
                            count=round(total * share),
                            source="demo",
                        )
                    )
    SubscriberCount.objects.bulk_create(rows, batch_size=5000)
