"""The progress aggregates, kept up to date one visit at a time (inside its transaction).

Progress pages at national scale (tens of millions of visits) read these small tables, whose
size grows with villages × days and households, never with visits.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F

from langso.registry.models import DigitalProfile
from langso.teams.models import HouseholdReach, Outcome, SkillTally, Visit, VisitTally

# HouseholdReach's baseline column for each profile indicator, and what "had it" means
BASELINE = {
    "has_smartphone": ("had_smartphone", lambda v: bool(v)),
    "uses_internet": ("used_internet", lambda v: bool(v)),
    "vneid_level": ("had_vneid", lambda v: v >= 2),
    "pays_cashless": ("paid_cashless", lambda v: bool(v)),
    "uses_online_public_services": ("used_online_services", lambda v: bool(v)),
}


def _add(model, key: dict, **amounts: int) -> None:
    increments = {name: F(name) + n for name, n in amounts.items()}
    if model.objects.filter(**key).update(**increments):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **amounts)
    except IntegrityError:  # another visit created the row meanwhile
        model.objects.filter(**key).update(**increments)


def baseline_of(household_id: int) -> dict[str, bool | None]:
    """The key indicators of the household's current profile, as HouseholdReach keeps them."""
    profile = DigitalProfile.objects.filter(household_id=household_id).first()
    out: dict[str, bool | None] = {}
    for field, (column, had) in BASELINE.items():
        value = getattr(profile, field, None) if profile else None
        out[column] = None if value is None else had(value)
    return out


def count_visit(visit: Visit, outcomes: dict[str, str], baseline: dict[str, bool | None]) -> None:
    """Add one stored visit to the aggregates. ``baseline``: the profile before this visit."""
    taught = len(outcomes)
    mastered = sum(1 for o in outcomes.values() if o == Outcome.ALONE)
    _add(
        VisitTally,
        {
            "commune_id": visit.commune_id,
            "village_id": visit.village_id,
            "team_member": visit.team_member_id or 0,
            "day": visit.visited_on,
        },
        visits=1,
        skills_taught=taught,
        skills_mastered=mastered,
    )
    month = visit.visited_on.replace(day=1)
    for skill, outcome in outcomes.items():
        _add(
            SkillTally,
            {
                "commune_id": visit.commune_id,
                "village_id": visit.village_id,
                "skill": skill,
                "month": month,
            },
            taught=1,
            mastered=1 if outcome == Outcome.ALONE else 0,
        )
    reached = HouseholdReach.objects.filter(household_id=visit.household_id)
    if reached.exists():
        reached.update(
            visits=F("visits") + 1,
            commune_id=visit.commune_id,
            village_id=visit.village_id,
        )
        _widen(reached.get(), visit.visited_on)
    else:
        HouseholdReach.objects.create(
            household_id=visit.household_id,
            commune_id=visit.commune_id,
            village_id=visit.village_id,
            first_visit=visit.visited_on,
            last_visit=visit.visited_on,
            visits=1,
            **baseline,
        )


def _widen(reach: HouseholdReach, day: dt.date) -> None:
    changed = []
    if day < reach.first_visit:
        reach.first_visit = day
        changed.append("first_visit")
    if day > reach.last_visit:
        reach.last_visit = day
        changed.append("last_visit")
    if changed:
        reach.save(update_fields=changed)
