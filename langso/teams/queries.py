"""Read side of the teams: scoped teams and visits, a household's visits, and the worklist."""

from __future__ import annotations

import datetime as dt
import gc
from typing import Any, NamedTuple

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils.translation import gettext as _

from langso.accounts.scope import restrict
from langso.geo.models import Village
from langso.poverty.models import Assessment
from langso.poverty.standard import by_code
from langso.registry.models import DigitalProfile, Household
from langso.registry.records import DIGITAL_FIELDS
from langso.teams import targeting
from langso.teams.models import Team, TeamMember, Visit
from langso.teams.skills import catalogue


def teams_for(user: Any) -> QuerySet[Team]:
    return restrict(Team.objects.select_related("commune", "village"), user)


def team_members_for(user: Any) -> QuerySet[TeamMember]:
    return restrict(TeamMember.objects.select_related("team"), user)


def visits_for(user: Any) -> QuerySet[Visit]:
    return restrict(Visit.objects.select_related("household", "village", "team_member"), user)


def visits_of(household: Household) -> QuerySet[Visit]:
    return (
        household.visits.select_related("team_member", "recorded_by")
        .prefetch_related("skills")
        .order_by("-visited_on", "-recorded_at")
    )


def worklist_villages(user: Any) -> QuerySet[Village]:
    """The villages whose households the user may visit (write scope), by commune and name."""
    return restrict(Village.objects.select_related("commune"), user, for_write=True).order_by(
        "commune__name", "name"
    )


def team_counts(user: Any, today: dt.date) -> dict[str, int]:
    """Teams and active members in the user's area (as the articles count them)."""
    active = Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today)
    teams = teams_for(user).filter(active)
    by_level = dict(teams.values_list("level").annotate(n=Count("id")))
    members = (
        team_members_for(user)
        .filter(team__in=teams, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .count()
    )
    return {
        "teams": sum(by_level.values()),
        "village_teams": by_level.get("village", 0),
        "commune_teams": by_level.get("commune", 0),
        "members": members,
    }


def _latest_assessments(households: QuerySet) -> dict[int, tuple[str, frozenset[str]]]:
    """Per household: the class and deprived indicators of its current assessment of the
    latest review year assessed among them."""
    current = Assessment.objects.filter(household__in=households, is_current=True)
    year = current.aggregate(latest=Max("review_year"))["latest"]
    if year is None:
        return {}
    codes: dict[str, list[str]] = {}
    latest: dict[int, tuple[str, frozenset[str]]] = {}
    for household_id, klass, vector, standard in current.filter(review_year=year).values_list(
        "household_id", "poverty_class", "indicators", "standard"
    ):
        if standard not in codes:
            codes[standard] = [i.code for i in by_code(standard).indicators]
        deprived = frozenset(
            code for code, letter in zip(codes[standard], vector, strict=False) if letter == "D"
        )
        latest[household_id] = (klass, deprived)
    return latest


class Listed(NamedTuple):
    """A worklist entry's household, as the lists show it."""

    id: int
    code: str
    village_id: int
    village: str
    address: str


def household_facts(
    households: QuerySet[Household], today: dt.date, listed: dict | None = None
) -> list[targeting.HouseholdFacts]:
    """What the worklist needs of these households, in five set-based queries; ``listed``,
    if given, receives each household as the lists show it (from the same first query)."""
    rows = []
    for pk, code, minority, village_id, village, address in households.values_list(
        "id", "code", "is_ethnic_minority", "village_id", "village__name", "address"
    ):
        rows.append((pk, code, minority))
        if listed is not None:
            listed[pk] = Listed(pk, code, village_id, village, address)
    profiles = {
        row[0]: dict(zip(DIGITAL_FIELDS, row[1:], strict=True))
        for row in DigitalProfile.objects.filter(household__in=households).values_list(
            "household_id", *DIGITAL_FIELDS
        )
    }
    oldest = dict(
        households.filter(members__is_active=True)
        .annotate(first=Min("members__birth_year"))
        .values_list("id", "first")
    )
    visited = dict(
        Visit.objects.filter(household__in=households)
        .values("household_id")
        .annotate(last=Max("visited_on"))
        .values_list("household_id", "last")
    )
    assessed = _latest_assessments(households)
    unknown = dict.fromkeys(DIGITAL_FIELDS)
    return [
        targeting.HouseholdFacts(
            household_id=pk,
            code=code,
            digital=profiles.get(pk, unknown),
            member_ages=(today.year - oldest[pk],) if pk in oldest else (),
            ethnic_minority=minority,
            poverty_class=assessed.get(pk, ("", frozenset()))[0] or None,
            deprived=assessed.get(pk, ("", frozenset()))[1],
            last_visit=visited.get(pk),
        )
        for pk, code, minority in rows
    ]


def worklist_for(
    user: Any, village_ids: list[int], today: dt.date, *, limit: int | None = None
) -> list[tuple[targeting.Entry, Listed]]:
    """The worklist of these villages (within the user's write scope), with each household."""
    villages = worklist_villages(user).filter(pk__in=village_ids)
    households = Household.objects.filter(village__in=villages, is_active=True)
    collecting = gc.isenabled()
    gc.disable()  # thousands of small records to build, none to free (see targeting.worklist)
    shown: dict[int, Listed] = {}
    try:
        facts = household_facts(households, today, shown)
    finally:
        if collecting:
            gc.enable()
    entries = targeting.worklist(facts, targeting.rules(), catalogue(), today, limit=limit)
    return [(e, shown[e.household_id]) for e in entries]


# A phone keeps at most this many households (its member's villages); an officer with more
# in their area picks villages first.
FIELD_HOUSEHOLDS_MAX = 3000
FIELD_VISIT_DAYS = 90  # recent visits a phone keeps, to show what was taught lately


class TooManyHouseholds(ValueError):
    pass


def _shown_reasons(entry: targeting.Entry, sensitive: bool, language: str) -> list[str]:
    texts = [r.text(language) for r in entry.reasons if sensitive or not r.sensitive]
    if len(texts) < len(entry.reasons):
        texts.append(_("Diện ưu tiên khác"))
    return texts


def field_data(
    user: Any, village_ids: list[int] | None, today: dt.date, *, language: str = "vi"
) -> dict[str, Any]:
    """Everything the phone needs to record visits without signal: the households of the
    chosen (or all of the user's) villages in worklist order, with their members and current
    profile, the skills, and the recent visits there. Only what the user may see and write."""
    from langso.accounts.roles import Capability
    from langso.registry.models import Member
    from langso.registry.privacy import consent_methods

    villages = worklist_villages(user)
    if village_ids:
        villages = villages.filter(pk__in=village_ids)
    households = Household.objects.filter(village__in=villages, is_active=True)
    total = households.count()
    if total > FIELD_HOUSEHOLDS_MAX:
        raise TooManyHouseholds(total)
    facts = household_facts(households, today)
    entries = {
        e.household_id: e for e in targeting.worklist(facts, targeting.rules(), catalogue(), today)
    }
    profiles = {f.household_id: dict(f.digital) for f in facts}
    people: dict[int, list[dict]] = {}
    for member in (
        Member.objects.filter(household__in=households, is_active=True)
        .order_by("household_id", "id")
        .values("id", "household_id", "full_name", "birth_year", "relationship")
    ):
        people.setdefault(member["household_id"], []).append(
            {
                "id": member["id"],
                "name": member["full_name"],
                "age": today.year - member["birth_year"],
                "head": member["relationship"] == "head",
            }
        )
    sensitive = user.can(Capability.VIEW_SENSITIVE)
    rows = []
    for household in households.select_related("village").order_by("village__name", "code"):
        entry = entries.get(household.pk)
        rows.append(
            {
                "id": household.pk,
                "code": household.code,
                "village": household.village.name,
                "address": household.address,
                "members": people.get(household.pk, []),
                "profile": profiles.get(household.pk, {}),
                "points": entry.points if entry else 0,
                "reasons": _shown_reasons(entry, sensitive, language) if entry else [],
                "skills": list(entry.skills) if entry else [],
                "last_visit": entry.last_visit.isoformat() if entry and entry.last_visit else None,
            }
        )
    rows.sort(key=lambda r: (-r["points"], r["last_visit"] or "", r["code"]))
    since = today - dt.timedelta(days=FIELD_VISIT_DAYS)
    recent = [
        {
            "id": visit.pk,
            "household": visit.household_id,
            "visited_on": visit.visited_on.isoformat(),
            "skills": {s.skill: s.outcome for s in visit.skills.all()},
        }
        for visit in Visit.objects.filter(household__in=households, visited_on__gte=since)
        .prefetch_related("skills")
        .order_by("-visited_on")
    ]
    skills = catalogue()
    return {
        "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "today": today.isoformat(),
        "villages": [{"id": v.pk, "name": v.name} for v in villages],
        "households": rows,
        "recent_visits": recent,
        "catalogue": skills.version,
        "skills": [
            {
                "code": s.code,
                "title": s.title(language),
                "steps": list(s.steps_vi),
                "moves": list(s.moves),
            }
            for s in skills.skills
        ],
        "consent_methods": [
            {"code": m.code, "label": m.label(language)}
            for m in consent_methods()
            if m.valid_for_consent
        ],
    }


def teams_listed(user: Any, today: dt.date) -> QuerySet[Team]:
    """The user's teams with their active members counted, by commune and village."""
    active = Q(members__starts_on__lte=today) & (
        Q(members__ends_on__isnull=True) | Q(members__ends_on__gte=today)
    )
    return (
        teams_for(user)
        .annotate(active_members=Count("members", filter=active))
        .order_by("commune__name", "level", "village__name", "name")
    )


def members_of(team: Team) -> QuerySet[TeamMember]:
    return (
        team.members.select_related("user")
        .prefetch_related("villages")
        .order_by("role", "full_name")
    )


def team_accounts(team: Team) -> QuerySet:
    """Accounts a member of this team may use to record visits: team roles in its commune."""
    from langso.accounts.models import User
    from langso.accounts.roles import Role

    return (
        User.objects.filter(
            role__in=[Role.TEAM_MEMBER, Role.TEAM_LEADER],
            is_active=True,
        )
        .filter(
            Q(areas__village__commune_id=team.commune_id) | Q(areas__commune_id=team.commune_id)
        )
        .distinct()
        .order_by("full_name")
    )


def team_villages(team: Team) -> QuerySet[Village]:
    return Village.objects.filter(commune_id=team.commune_id).order_by("name")


def manageable_communes(user: Any) -> QuerySet:
    """Communes where the user may establish teams (write scope)."""
    from langso.geo.models import Commune

    return restrict(Commune.objects.all(), user, for_write=True).order_by("name")


def writable_team(user: Any, team: Team) -> bool:
    return restrict(Team.objects.filter(pk=team.pk), user, for_write=True).exists()


def open_conflicts(household: Household) -> QuerySet:
    from langso.teams.models import VisitConflict

    return VisitConflict.objects.filter(
        visit__household=household, resolved_at__isnull=True
    ).select_related("visit", "visit__team_member")
