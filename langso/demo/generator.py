"""A deterministic synthetic province: communes → villages with households and profiles (pure).

The same seed always gives the same plan, so every app's demo (households, assessments, teams)
can build on it later and benchmarks can scale it to the whole country (27 million households)
with the same code. Figures follow Cao Bằng: about 89 households per village, 1,462 villages for
130,000 households; ethnic mix of the 2019 census (Tày 41%, Nùng 31%, H'Mông 11%, Dao 10%, Kinh
5%, others 2%), with remote villages more often H'Mông or Dao and towns more often Kinh or Tày.
"""

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

# Codes of the 54 official ethnic groups are registry data (issue 3); here only the names.
PROVINCE_ETHNIC_MIX: dict[str, float] = {
    "Tày": 0.408,
    "Nùng": 0.311,
    "H'Mông": 0.113,
    "Dao": 0.101,
    "Kinh": 0.054,
    "San Chay": 0.006,
    "Lô Lô": 0.005,
    "Hoa": 0.002,
}
_REMOTE_GROUPS = {"H'Mông": 3.0, "Dao": 2.2, "Lô Lô": 2.0}
_TOWN_GROUPS = {"Kinh": 4.0, "Tày": 1.4, "Hoa": 3.0}

_FIRST = (
    "Nà",
    "Khuổi",
    "Pác",
    "Lũng",
    "Phiêng",
    "Cốc",
    "Khau",
    "Nặm",
    "Bó",
    "Pò",
    "Lủng",
    "Slam",
    "Thôm",
    "Nậm",
    "Kéo",
    "Đông",
)
_SECOND = (
    "Mạ",
    "Rị",
    "Giáo",
    "Lẹng",
    "Pán",
    "Nưa",
    "Tổng",
    "Vạc",
    "Khoang",
    "Lin",
    "Quang",
    "Sao",
    "Mòn",
    "Luông",
    "Khiêu",
    "Cáp",
    "Hoi",
    "Pục",
    "Chang",
    "Rằng",
    "Thin",
    "Mu",
    "Slưa",
    "Chạp",
    "Bây",
    "Nhùng",
    "Tấu",
    "Cải",
    "Phàng",
    "Lầu",
)

DEFAULT_HOUSEHOLDS_PER_VILLAGE = 89


@dataclass(frozen=True)
class CommuneInput:
    code: str
    kind: str  # "xa" | "phuong" | "dac_khu"
    area_km2: float | None


@dataclass(frozen=True)
class VillagePlan:
    commune_code: str
    name: str
    kind: str  # geo.VillageKind value
    households: int
    remoteness: float  # 0 = town centre … 1 = farthest, highest, least connected
    ethnic_mix: dict[str, float]
    seed: int  # for anything later generated inside the village


@dataclass(frozen=True)
class ProvincePlan:
    seed: int
    villages: list[VillagePlan]

    @property
    def households(self) -> int:
        return sum(v.households for v in self.villages)

    def ethnic_households(self) -> dict[str, float]:
        """Expected households by the group of the household head."""
        totals: dict[str, float] = {}
        for v in self.villages:
            for group, share in v.ethnic_mix.items():
                totals[group] = totals.get(group, 0.0) + share * v.households
        return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


def _village_mix(rng: random.Random, remoteness: float, urban: bool) -> dict[str, float]:
    """One dominant group (60–90% of households), the rest in the province's proportions.

    The dominant group is drawn with probability proportional to its province share, tilted by
    remoteness, so the province total stays close to the census mix.
    """
    tilt = {}
    for group, share in PROVINCE_ETHNIC_MIX.items():
        w = share
        if group in _REMOTE_GROUPS:
            w *= 0.1 if urban else _REMOTE_GROUPS[group] ** (2 * remoteness - 1)
        if urban and group in _TOWN_GROUPS:
            w *= _TOWN_GROUPS[group]
        tilt[group] = w
    dominant = rng.choices(list(tilt), weights=list(tilt.values()))[0]
    dominant_share = rng.uniform(0.6, 0.9)
    rest = {g: s for g, s in PROVINCE_ETHNIC_MIX.items() if g != dominant}
    rest_total = sum(rest.values())
    mix = {dominant: dominant_share}
    for group, share in rest.items():
        mix[group] = (1 - dominant_share) * share / rest_total
    return {g: round(v, 4) for g, v in mix.items()}


def _names(rng: random.Random) -> Iterator[str]:
    used: set[str] = set()
    while True:
        name = f"{rng.choice(_FIRST)} {rng.choice(_SECOND)}"
        if name not in used:
            used.add(name)
            yield name
        elif len(used) > len(_FIRST) * len(_SECOND) // 2:
            # very large communes: number the rest, as many communes do ("Xóm 12")
            yield f"Xóm {len(used) + 1}"
            used.add(f"Xóm {len(used) + 1}")


def plan_province(
    communes: list[CommuneInput],
    *,
    households: int,
    seed: int = 2023,
    households_per_village: int = DEFAULT_HOUSEHOLDS_PER_VILLAGE,
) -> ProvincePlan:
    """Spread ``households`` over the communes' villages, deterministically from ``seed``."""
    if not communes:
        raise ValueError("no communes to build a province on")
    rng = random.Random(seed)
    # Towns are denser: weight phường up; larger rural communes hold more households.
    weights = []
    for c in communes:
        base = math.sqrt(c.area_km2 or 50.0)
        weights.append(base * (2.5 if c.kind == "phuong" else 1.0) * rng.lognormvariate(0, 0.35))
    scale = households / sum(weights)
    village_plans: list[VillagePlan] = []
    for c, w in zip(communes, weights, strict=True):
        commune_rng = random.Random(f"{seed}:{c.code}")
        commune_households = max(1, round(w * scale))
        urban = c.kind == "phuong"
        size = households_per_village * (1.6 if urban else 1.0)
        n_villages = max(1, round(commune_households / size))
        shares = [commune_rng.lognormvariate(0, 0.4) for _ in range(n_villages)]
        share_total = sum(shares)
        names = _names(commune_rng)
        for i, share in enumerate(shares):
            remoteness = 0.15 * commune_rng.random() if urban else commune_rng.betavariate(2.2, 1.8)
            if urban:
                name, kind = f"Tổ dân phố {i + 1}", "to_dan_pho"
            else:
                name, kind = next(names), "ban" if commune_rng.random() < 0.25 else "xom"
                if kind == "ban" and name.startswith("Bản "):
                    kind = "xom"
            village_plans.append(
                VillagePlan(
                    commune_code=c.code,
                    name=name,
                    kind=kind,
                    households=max(5, round(commune_households * share / share_total)),
                    remoteness=round(remoteness, 3),
                    ethnic_mix=_village_mix(commune_rng, remoteness, urban),
                    seed=commune_rng.randrange(2**31),
                )
            )
    return ProvincePlan(seed=seed, villages=village_plans)
