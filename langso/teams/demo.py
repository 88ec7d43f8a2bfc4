"""The demo province's community digital teams and a year of their visits.

One team per village and one per commune, established in early 2025 by commune decisions, with
3–6 members each (about 6,700 members for Cao Bằng's ~1,420 villages, as the seed article
counts). From October 2025 to November 2026 the members visit about 45% of households, more
often the less connected ones, teach the skills each household lacks, and some households
change: a new smartphone, internet use, VNeID level 2, cashless payment, online public
services. Those changes are dated observations (source "visit"), so profiles, the next
assessment and the progress pages tell the same story.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction

from langso.accounts.models import User
from langso.demo.generator import ProvincePlan
from langso.demo.services import province_of
from langso.geo.models import Commune, Village
from langso.registry.models import DigitalObservation, DigitalProfile, Household, Member
from langso.registry.services import refresh_profiles
from langso.teams import tallies
from langso.teams.models import Team, TeamLevel, TeamMember, Visit, VisitSkill
from langso.teams.skills import catalogue

ESTABLISHED = dt.date(2025, 3, 1)
FIRST_VISIT = dt.date(2025, 10, 1)
LAST_VISIT = dt.date(2026, 11, 20)
_SURNAMES = ("Nông", "Hoàng", "Lý", "Đàm", "Bế", "Lương", "Triệu", "Ma", "Lục", "Vi", "Hà")
_MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Hồng", "Quang", "Ngọc")
_GIVEN = ("Hoa", "Lan", "Dũng", "Tuấn", "Mai", "Hùng", "Thảo", "Nam", "Hương", "Cường", "Liên")
_KINDS = ("youth_union", "women_union", "teacher", "police", "telecom", "volunteer")
# chance that a lacking indicator is there after a household's visits
_CHANGE = {
    "has_smartphone": 0.12,
    "uses_internet": 0.4,
    "vneid_level": 0.35,
    "pays_cashless": 0.3,
    "uses_online_public_services": 0.25,
    "uses_messaging": 0.35,
}


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_SURNAMES)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _teams(province: str, rng: random.Random) -> dict[int, list[TeamMember]]:
    """Teams and members; the members covering each village."""
    villages = list(
        Village.objects.filter(commune__province_id=province).order_by("commune_id", "name")
    )
    communes = list(Commune.objects.filter(province_id=province).order_by("code"))
    numbers = {c.code: 100 for c in communes}
    teams = []
    for village in villages:
        numbers[village.commune_id] += 1
        teams.append(
            Team(
                commune_id=village.commune_id,
                village=village,
                level=TeamLevel.VILLAGE,
                name=f"Tổ công nghệ số cộng đồng {village.name}",
                decision_number=f"{numbers[village.commune_id]}/QĐ-UBND",
                decision_date=ESTABLISHED - dt.timedelta(days=7),
                established_on=ESTABLISHED,
            )
        )
    for commune in communes:
        teams.append(
            Team(
                commune_id=commune.code,
                level=TeamLevel.COMMUNE,
                name=f"Tổ công nghệ số cộng đồng {commune.name}",
                decision_number="99/QĐ-UBND",
                decision_date=ESTABLISHED - dt.timedelta(days=10),
                established_on=ESTABLISHED,
            )
        )
    Team.objects.bulk_create(teams, batch_size=2000)
    members, covers = [], []
    for team in teams:
        size = rng.choice((3, 4, 4, 5, 5, 6)) if team.village_id else rng.choice((5, 6, 7))
        for i in range(size):
            members.append(
                TeamMember(
                    team=team,
                    full_name=_name(rng),
                    phone=f"09{rng.randrange(10**7, 10**8)}",
                    role="leader" if i == 0 else "deputy" if i == 1 else "member",
                    kind="village_head" if i == 0 and team.village_id else rng.choice(_KINDS),
                    starts_on=ESTABLISHED,
                )
            )
    TeamMember.objects.bulk_create(members, batch_size=2000)
    through = TeamMember.villages.through
    by_village: dict[int, list[TeamMember]] = {}
    for member in members:
        if member.team.village_id:
            covers.append(through(teammember_id=member.pk, village_id=member.team.village_id))
            by_village.setdefault(member.team.village_id, []).append(member)
    through.objects.bulk_create(covers, batch_size=5000)
    return by_village


def _link_demo_accounts(by_village: dict[int, list[TeamMember]]) -> None:
    """The demo's team leader and member record visits as members of their village teams."""
    for username, index in (("to.truong", 0), ("to.vien", 2)):
        user = User.objects.filter(username=username).first()
        area = user.areas.filter(village__isnull=False).first() if user else None
        if area and by_village.get(area.village_id):
            member = by_village[area.village_id][min(index, len(by_village[area.village_id]) - 1)]
            member.user = user
            member.full_name = user.full_name or member.full_name
            member.save(update_fields=["user", "full_name"])


def _visit_days(rng: random.Random, count: int) -> list[dt.date]:
    span = (LAST_VISIT - FIRST_VISIT).days
    return sorted(FIRST_VISIT + dt.timedelta(days=rng.randrange(span)) for _ in range(count))


def contribute(*, plan: ProvincePlan, progress: Callable[[str], None]) -> None:
    province = province_of(plan)
    if province is None or Team.objects.filter(commune__province_id=province).exists():
        return
    rng = random.Random(f"teams:{plan.seed}")
    with transaction.atomic():
        by_village = _teams(province, rng)
        _link_demo_accounts(by_village)
        progress(f"  teams: {Team.objects.count():,}, members {TeamMember.objects.count():,}")
        changed = _visits(province, by_village, rng, progress)
    for start in range(0, len(changed), 5000):
        refresh_profiles(changed[start : start + 5000])
    tallies.rebuild(province)
    progress(f"  visits: {Visit.objects.count():,}; {len(changed):,} households changed")


def _visits(province: str, by_village, rng: random.Random, progress) -> list[int]:
    skills = catalogue()
    version = skills.version
    profiles = {
        p["household_id"]: p
        for p in DigitalProfile.objects.filter(household__commune__province_id=province).values()
    }
    heads = dict(
        Member.objects.filter(
            household__commune__province_id=province, relationship="head", is_active=True
        ).values_list("household_id", "id")
    )
    households = Household.objects.filter(commune__province_id=province, is_active=True)
    changed: list[int] = []
    batch: list[tuple] = []
    rows = households.values_list("id", "commune_id", "village_id").order_by("id").iterator()
    for household_id, commune_id, village_id in rows:
        profile = profiles.get(household_id, {})
        lacking = sum(1 for f in _CHANGE if profile.get(f) in (False, 0, None))
        if rng.random() > 0.25 + 0.06 * lacking or not by_village.get(village_id):
            continue
        days = _visit_days(rng, rng.choice((1, 1, 2, 2, 3)))
        lacked = skills.for_profile(profile) or [skills.skill("scam_safety")]
        facts = {}
        for field in _CHANGE:
            value = profile.get(field)
            missing = value in (False, 0) if field != "vneid_level" else (value or 0) < 2
            if missing and rng.random() < _CHANGE[field]:
                if field == "uses_internet" and not (
                    profile.get("has_smartphone") or facts.get("has_smartphone")
                ):
                    continue
                facts[field] = 2 if field == "vneid_level" else True
        for i, day in enumerate(days):
            member = rng.choice(by_village[village_id])
            consent = rng.random() < 0.85
            taught = rng.sample(lacked, min(len(lacked), rng.choice((1, 2)))) if consent else []
            last = i == len(days) - 1
            batch.append(
                (
                    household_id,
                    commune_id,
                    village_id,
                    member.pk,
                    day,
                    consent,
                    taught,
                    facts if last else {},
                    heads.get(household_id),
                )
            )
        if facts:
            changed.append(household_id)
        if len(batch) >= 5000:
            _store(batch, version, rng)
            batch = []
    _store(batch, version, rng)
    return changed


def _store(batch: list[tuple], version: str, rng: random.Random) -> None:
    if not batch:
        return
    observations = [
        DigitalObservation(household_id=h, observed_on=day, source="visit", **facts)
        for h, _c, _v, _m, day, _consent, _t, facts, _head in batch
        if facts
    ]
    DigitalObservation.objects.bulk_create(observations, batch_size=2000)
    observed = iter(observations)
    visits = [
        Visit(
            household_id=h,
            commune_id=c,
            village_id=v,
            team_member_id=m,
            visited_on=day,
            consent=consent,
            observation=next(observed) if facts else None,
        )
        for h, c, v, m, day, consent, _t, facts, _head in batch
    ]
    Visit.objects.bulk_create(visits, batch_size=2000)
    outcomes = ("shown", "shown", "practised", "practised", "alone")
    VisitSkill.objects.bulk_create(
        [
            VisitSkill(
                visit=visit, skill=s.code, catalogue_version=version, outcome=rng.choice(outcomes)
            )
            for visit, row in zip(visits, batch, strict=True)
            for s in row[6]
        ],
        batch_size=5000,
    )
    present = Visit.present.through
    present.objects.bulk_create(
        [
            present(visit_id=visit.pk, member_id=row[8])
            for visit, row in zip(visits, batch, strict=True)
            if row[8]
        ],
        batch_size=5000,
    )
