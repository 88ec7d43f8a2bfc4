"""The progress aggregates, kept up to date one visit at a time (inside its transaction).

Progress pages at national scale (tens of millions of visits) read these small tables, whose
size grows with villages × days and households, never with visits.
"""

from __future__ import annotations

from django.db import connection, transaction

from langso.registry.models import DigitalObservation, DigitalProfile
from langso.teams.models import HouseholdReach, Outcome, SkillTally, Visit, VisitSkill, VisitTally

# HouseholdReach's baseline column for each profile indicator, and what "had it" means
BASELINE = {
    "has_smartphone": ("had_smartphone", lambda v: bool(v)),
    "uses_internet": ("used_internet", lambda v: bool(v)),
    "vneid_level": ("had_vneid", lambda v: v >= 2),
    "pays_cashless": ("paid_cashless", lambda v: bool(v)),
    "uses_online_public_services": ("used_online_services", lambda v: bool(v)),
}
# and the column saying a visit has seen the household gain it
GAINED = {
    "has_smartphone": "got_smartphone",
    "uses_internet": "got_internet",
    "vneid_level": "got_vneid",
    "pays_cashless": "got_cashless",
    "uses_online_public_services": "got_online_services",
}


def _seen(facts: dict[str, object]) -> list[str]:
    """The key indicators this visit saw the household have."""
    return [f for f, (_c, had) in BASELINE.items() if facts.get(f) is not None and had(facts[f])]


def baseline_from(profile: DigitalProfile | None) -> dict[str, bool | None]:
    """The key indicators of a household's current profile, as HouseholdReach keeps them."""
    out: dict[str, bool | None] = {}
    for field, (column, had) in BASELINE.items():
        value = getattr(profile, field, None) if profile else None
        out[column] = None if value is None else had(value)
    return out


def count_visit(
    visit: Visit,
    outcomes: dict[str, str],
    baseline: dict[str, bool | None],
    facts: dict[str, object] | None = None,
) -> None:
    """Add one stored visit to the aggregates. ``baseline``: the profile before this visit;
    ``facts``: the digital facts the visit saw (and stored)."""
    count_visits([(visit, outcomes, baseline, facts or {})])


def count_visits(
    counted: list[tuple[Visit, dict[str, str], dict[str, bool | None], dict[str, object]]],
) -> None:
    """Visits of distinct households added to the aggregates in a few statements: each day's
    and month's sums added once per key (INSERT … ON CONFLICT DO UPDATE, so concurrent visits
    never lose a count), the households' reach read locked, then updated and created in bulk."""
    days: dict[tuple, list[int]] = {}
    months: dict[tuple, list[int]] = {}
    for visit, outcomes, _baseline, _facts in counted:
        key = (visit.commune_id, visit.village_id, visit.team_member_id or 0, visit.visited_on)
        sums = days.setdefault(key, [0, 0, 0])
        sums[0] += 1
        sums[1] += len(outcomes)
        sums[2] += sum(1 for o in outcomes.values() if o == Outcome.ALONE)
        month = visit.visited_on.replace(day=1)
        for skill, outcome in outcomes.items():
            per = months.setdefault((visit.commune_id, visit.village_id, skill, month), [0, 0])
            per[0] += 1
            per[1] += 1 if outcome == Outcome.ALONE else 0
    _add_many(VisitTally, ("commune", "village", "team_member", "day"), days,
              ("visits", "skills_taught", "skills_mastered"))  # fmt: skip
    _add_many(SkillTally, ("commune", "village", "skill", "month"), months,
              ("taught", "mastered"))  # fmt: skip
    households = [visit.household_id for visit, *_rest in counted]
    reached = {
        r.household_id: r
        for r in HouseholdReach.objects.select_for_update().filter(household_id__in=households)
    }
    changed, made = [], []
    for visit, _outcomes, baseline, facts in counted:
        seen = _seen(facts)
        reach = reached.get(visit.household_id)
        if reach is None:
            made.append(
                HouseholdReach(
                    household_id=visit.household_id,
                    commune_id=visit.commune_id,
                    village_id=visit.village_id,
                    first_visit=visit.visited_on,
                    last_visit=visit.visited_on,
                    visits=1,
                    **baseline,
                    **{GAINED[f]: baseline[BASELINE[f][0]] is False for f in seen},
                )
            )
            continue
        reach.visits += 1
        reach.commune_id, reach.village_id = visit.commune_id, visit.village_id
        reach.first_visit = min(reach.first_visit, visit.visited_on)
        reach.last_visit = max(reach.last_visit, visit.visited_on)
        for f in seen:
            if getattr(reach, BASELINE[f][0]) is False:
                setattr(reach, GAINED[f], True)
        changed.append(reach)
    HouseholdReach.objects.bulk_create(made)
    HouseholdReach.objects.bulk_update(
        changed,
        ["visits", "commune_id", "village_id", "first_visit", "last_visit", *GAINED.values()],
    )


def _add_many(model, key_fields: tuple, sums: dict[tuple, list[int]], amounts: tuple) -> None:
    if not sums:
        return
    table = model._meta.db_table
    columns = [model._meta.get_field(n).column for n in (*key_fields, *amounts)]
    (unique,) = model._meta.constraints
    conflict = [model._meta.get_field(n).column for n in unique.fields]
    added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns[len(key_fields) :])
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {added}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[*key, *values] for key, values in sums.items()])


def rebuild(province: str) -> None:
    """Recompute a province's aggregates from its visits (after a bulk load such as the demo,
    or to repair them): `langso teams-rebuild-tallies PROVINCE`."""
    from django.db.models import Count, Max, Min, Q
    from django.db.models.functions import TruncMonth

    from langso.registry.profile import summarise
    from langso.registry.records import DIGITAL_FIELDS

    visits = Visit.objects.filter(commune__province_id=province)
    skills = VisitSkill.objects.filter(visit__commune__province_id=province)
    with transaction.atomic():
        for model in (VisitTally, SkillTally, HouseholdReach):
            model.objects.filter(commune__province_id=province).delete()
        taught = {
            (r["visit__village_id"], r["visit__team_member_id"] or 0, r["visit__visited_on"]): r
            for r in skills.values(
                "visit__village_id", "visit__team_member_id", "visit__visited_on"
            )
            .annotate(t=Count("id"), m=Count("id", filter=Q(outcome=Outcome.ALONE)))
            .order_by()
        }
        rows = []
        for r in (
            visits.values("commune_id", "village_id", "team_member_id", "visited_on")
            .annotate(n=Count("id"))
            .order_by()
        ):
            key = (r["village_id"], r["team_member_id"] or 0, r["visited_on"])
            found = taught.get(key, {"t": 0, "m": 0})
            rows.append(
                VisitTally(
                    commune_id=r["commune_id"],
                    village_id=r["village_id"],
                    team_member=key[1],
                    day=r["visited_on"],
                    visits=r["n"],
                    skills_taught=found["t"],
                    skills_mastered=found["m"],
                )
            )
        VisitTally.objects.bulk_create(rows, batch_size=5000)
        SkillTally.objects.bulk_create(
            [
                SkillTally(
                    commune_id=r["visit__commune_id"],
                    village_id=r["visit__village_id"],
                    skill=r["skill"],
                    month=r["month"].date() if hasattr(r["month"], "date") else r["month"],
                    taught=r["t"],
                    mastered=r["m"],
                )
                for r in skills.annotate(month=TruncMonth("visit__visited_on"))
                .values("visit__commune_id", "visit__village_id", "skill", "month")
                .annotate(t=Count("id"), m=Count("id", filter=Q(outcome=Outcome.ALONE)))
                .order_by()
            ],
            batch_size=5000,
        )
        reach = list(
            visits.values("household_id")
            .annotate(
                first=Min("visited_on"),
                last=Max("visited_on"),
                n=Count("id"),
                commune=Max("commune_id"),
                village=Max("village_id"),
            )
            .order_by()
        )
        first = {r["household_id"]: r["first"] for r in reach}
        before: dict[int, list[dict]] = {}
        ids = list(first)
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            for row in DigitalObservation.objects.filter(household_id__in=chunk).values(
                "id", "household_id", "member_id", "observed_on", "recorded_at", *DIGITAL_FIELDS
            ):
                if row["observed_on"] < first[row["household_id"]]:
                    row["order"] = (row["observed_on"], row["recorded_at"], row["id"])
                    before.setdefault(row["household_id"], []).append(row)
        seen_at_visits: dict[int, set[str]] = {}
        for household_id, *values in visits.filter(observation__isnull=False).values_list(
            "household_id", *(f"observation__{f}" for f in BASELINE)
        ):
            facts = dict(zip(BASELINE, values, strict=True))
            seen_at_visits.setdefault(household_id, set()).update(_seen(facts))
        made = []
        for r in reach:
            profile = summarise(before[r["household_id"]]) if r["household_id"] in before else {}
            baseline = {
                column: None if profile.get(f) is None else had(profile[f])
                for f, (column, had) in BASELINE.items()
            }
            seen = seen_at_visits.get(r["household_id"], set())
            baseline.update(
                {GAINED[f]: baseline[BASELINE[f][0]] is False and f in seen for f in BASELINE}
            )
            made.append(
                HouseholdReach(
                    household_id=r["household_id"],
                    commune_id=r["commune"],
                    village_id=r["village"],
                    first_visit=r["first"],
                    last_visit=r["last"],
                    visits=r["n"],
                    **baseline,
                )
            )
        HouseholdReach.objects.bulk_create(made, batch_size=5000)
