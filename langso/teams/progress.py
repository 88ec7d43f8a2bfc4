"""Progress of the teams' work, read from the aggregate tables (teams/tallies.py).

Per area row (commune, village or team member): households, households reached, visits, skills
taught and mastered, and reached households that moved out of each key digital deprivation
(their profile said "no" before the first visit, and a visit since saw "yes").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from langso.accounts.scope import restrict
from langso.registry.models import Household
from langso.teams.models import HouseholdReach, SkillTally, TeamMember, VisitTally
from langso.teams.skills import catalogue

GROUPS = ("commune", "village", "member")
# per key indicator: the HouseholdReach column saying a visit saw the household gain it
MOVED = {
    "has_smartphone": "got_smartphone",
    "uses_internet": "got_internet",
    "vneid_level": "got_vneid",
    "pays_cashless": "got_cashless",
    "uses_online_public_services": "got_online_services",
}


@dataclass
class Row:
    key: Any
    name: str
    households: int = 0
    reached: int = 0
    visits: int = 0
    taught: int = 0
    mastered: int = 0
    moved: dict[str, int] = field(default_factory=dict)

    @property
    def moved_list(self) -> list[int]:
        return [self.moved.get(name, 0) for name in MOVED]

    @property
    def reached_share(self) -> float | None:
        return self.reached / self.households if self.households else None


def _key(group: str) -> tuple[str, str]:
    """(the grouping column of the tallies, the name to show) for a group."""
    return {
        "commune": ("commune_id", "commune__name"),
        "village": ("village_id", "village__name"),
        "member": ("team_member", ""),
    }[group]


def progress(user: Any, group: str, start: dt.date, end: dt.date) -> tuple[list[Row], Row]:
    """Rows of the chosen group in the user's area for visits from ``start`` to ``end``, and
    their total."""
    column, label = _key(group)
    tallies = restrict(VisitTally.objects.all(), user).filter(day__range=(start, end))
    reach = restrict(HouseholdReach.objects.all(), user).filter(first_visit__range=(start, end))
    rows: dict[Any, Row] = {}
    named = tallies.values(column, *([label] if label else []))
    for r in named.annotate(
        v=Sum("visits"), t=Sum("skills_taught"), m=Sum("skills_mastered")
    ).order_by():
        row = rows.setdefault(r[column], Row(r[column], r.get(label, "")))
        row.visits += r["v"]
        row.taught += r["t"]
        row.mastered += r["m"]
    if group != "member":
        moved = {
            name: Count("household_id", filter=Q(**{column: True}))
            for name, column in MOVED.items()
        }
        for r in reach.values(column, label).annotate(n=Count("household_id"), **moved).order_by():
            row = rows.setdefault(r[column], Row(r[column], r[label]))
            row.reached = r["n"]
            row.moved = {name: r[name] for name in MOVED}
        households = restrict(Household.objects.filter(is_active=True), user)
        hh_column = "commune_id" if group == "commune" else "village_id"
        for key, n in households.values_list(hh_column).annotate(n=Count("id")).order_by():
            if key in rows:
                rows[key].households = n
    else:
        members = TeamMember.objects.filter(pk__in=list(rows)).values_list("pk", "full_name")
        for pk, name in members:
            rows[pk].name = name
        if 0 in rows:
            rows[0].name = _("Cán bộ xã ghi")
    ordered = sorted(rows.values(), key=lambda r: (r.name or "", str(r.key)))
    total = Row("total", _("Tổng"))
    for r in ordered:
        total.households += r.households
        total.reached += r.reached
        total.visits += r.visits
        total.taught += r.taught
        total.mastered += r.mastered
        for name, n in r.moved.items():
            total.moved[name] = total.moved.get(name, 0) + n
    return ordered, total


def skills_progress(user: Any, start: dt.date, end: dt.date) -> list[tuple[str, int, int]]:
    """(skill title, taught, mastered) in catalogue order, for visits in the period's months."""
    rows = (
        restrict(SkillTally.objects.all(), user)
        .filter(month__range=(start.replace(day=1), end))
        .values("skill")
        .annotate(t=Sum("taught"), m=Sum("mastered"))
        .order_by()
    )
    found = {r["skill"]: (r["t"], r["m"]) for r in rows}
    return [(s.title_vi, *found[s.code]) for s in catalogue().skills if s.code in found]


INFORMATION_INDICATORS = ("telecom_use", "information_access")


def information_indicators(user: Any) -> list[dict[str, Any]]:
    """The poverty standard's two information indicators in the user's area, for the two latest
    review years with assessments: households assessed, and how many were deprived on each
    (with the share, in percent)."""
    from django.db.models import Value
    from django.db.models.functions import Substr
    from django.db.models.lookups import Exact

    from langso.poverty.queries import RECORDED, current_assessments, report_years
    from langso.poverty.standard import by_code

    years, old_only = report_years(user)
    out = []
    for year in [y for y in years if y not in old_only][:2]:
        rows = current_assessments(user, year, RECORDED)
        standard = rows.values_list("standard", flat=True).first()
        if standard is None:
            continue
        codes = [i.code for i in by_code(standard).indicators]
        counts = {
            code: Count(
                "id",
                filter=Exact(Substr("indicators", codes.index(code) + 1, 1), Value("D")),
            )
            for code in INFORMATION_INDICATORS
            if code in codes
        }
        found = rows.aggregate(households=Count("id"), **counts)
        households = found.pop("households")
        out.append(
            {
                "year": year,
                "households": households,
                "deprived": [
                    (
                        code,
                        found.get(code, 0),
                        round(100 * found.get(code, 0) / households, 2) if households else None,
                    )
                    for code in INFORMATION_INDICATORS
                ],
            }
        )
    return out
