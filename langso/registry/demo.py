"""The registry's part of the demo province: households, members and a first digital survey.

Deterministic from each village's seed. Correlations follow the articles: remote, mostly
ethnic-minority villages are poorer, have more non-durable houses and unprotected water, and own
fewer smartphones and less broadband; about half of all households have fixed broadband.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections.abc import Callable, Iterator

from django.db import transaction

from langso.core import field_encryption
from langso.core.bulk import insert_many
from langso.demo.generator import ProvincePlan, VillagePlan
from langso.geo.models import Village
from langso.geo.names import plain
from langso.registry.demo_facts import person_facts
from langso.registry.ethnicity import catalogue
from langso.registry.models import DigitalObservation, DigitalProfile, Household, Member
from langso.registry.profile import summarise
from langso.registry.records import given_key

SURVEY_DAY = dt.date(2025, 9, 15)
# income per person of a well-off household (đồng/month); poorer ones earn less (see below)
INCOME_MEDIAN = 3_310_000
_SURNAMES = {
    "Tày": ["Nông", "Hoàng", "Lương", "Bế", "Đàm", "Lục", "Hà"],
    "Nùng": ["Hoàng", "Nông", "Lục", "Lý", "Chu", "Mã"],
    "H'Mông": ["Giàng", "Thào", "Vàng", "Sùng", "Lầu", "Vừ", "Mùa"],
    "Dao": ["Triệu", "Bàn", "Lý", "Đặng", "Chìu"],
    "Kinh": ["Nguyễn", "Trần", "Lê", "Phạm", "Vũ"],
}
_MALE = ["Văn Dũng", "Văn Minh", "Văn Tùng", "A Páo", "Văn Quý", "Văn Thắng", "Seo Lử", "Văn Hải"]
_FEMALE = ["Thị Lan", "Thị Mai", "Thị Hoa", "Thị Dung", "Thị Sinh", "Thị Nhung", "Thị Hương"]


def _group_code(name: str) -> str:
    return catalogue().find(name).code


def _person(rng, group: str, sex: str) -> str:
    surname = rng.choice(_SURNAMES.get(group, _SURNAMES["Tày"]))
    return f"{surname} {rng.choice(_MALE if sex == 'male' else _FEMALE)}"


def _cccd(sex: str, year: int, serial: int) -> str:
    century = (year - 1900) // 100
    return f"004{2 * century + (sex == 'female')}{year % 100:02d}{serial % 1_000_000:06d}"


def _village_households(
    v: VillagePlan, village_id: int, commune: str, start: int, serial: Iterator[int]
):
    rng = random.Random(v.seed)
    facts_rng = random.Random(v.seed * 31 + 7)  # own stream: the other draws stay as they were
    groups = list(v.ethnic_mix)
    weights = list(v.ethnic_mix.values())
    r = v.remoteness
    out = []
    for i in range(v.households):
        group = rng.choices(groups, weights)[0]
        minority = group != "Kinh"
        size = max(1, min(9, round(rng.gauss(3.65 + 1.1 * r, 1.3))))
        head_year = rng.randint(1950, 1998)
        head_sex = "male" if rng.random() < 0.82 else "female"
        members = [(head_sex, head_year, "head")]
        if size > 1:
            members.append(
                (
                    "female" if head_sex == "male" else "male",
                    head_year + rng.randint(-3, 6),
                    "spouse",
                )
            )
        for _ in range(size - len(members)):
            members.append(
                (
                    rng.choice(["male", "female"]),
                    rng.randint(max(head_year + 18, 1990), 2025),
                    "child",
                )
            )
        poverty = min(
            0.95, max(0.02, 0.12 + 0.55 * r + (0.12 if minority else 0) + rng.gauss(0, 0.1))
        )
        income = int(
            math.exp(rng.gauss(math.log(INCOME_MEDIAN) - 1.1 * poverty, 0.35)) // 10_000 * 10_000
        )
        durable = rng.random() > poverty * 0.6
        people = [
            (
                sex,
                year,
                rel,
                _person(rng, group, sex),
                _group_code(group),
                _cccd(sex, year, next(serial)) if year <= 2011 and rng.random() < 0.9 else "",
                rng.random() < 0.93 - 0.15 * r,
                person_facts(facts_rng, year, poverty),
            )
            for sex, year, rel in members
        ]
        # About 1 household in 250 also lists the previous household's head (an old parent
        # written into two sons' households): the duplicates the officers' page exists for.
        if out and rng.random() < 0.004:
            previous_head = out[-1]["members"][0]
            people.append((previous_head[0], previous_head[1], "parent", *previous_head[3:]))
        out.append(
            {
                "household": Household(
                    code=f"{commune}-{start + i:06d}",
                    commune_id=commune,
                    village_id=village_id,
                    wall="durable" if durable else "non_durable",
                    column="durable" if durable or rng.random() < 0.5 else "non_durable",
                    roof="durable" if rng.random() > poverty * 0.5 else "non_durable",
                    floor_area_m2=round(max(12, rng.gauss(60 - 30 * poverty, 15)), 1),
                    water_source=rng.choices(
                        ["piped", "drilled_well", "protected_spring", "unprotected", "surface"],
                        [3 - 2 * r, 2, 2, 1 + 3 * r, 0.5 + r],
                    )[0],
                    latrine=rng.choices(
                        ["septic", "semi_septic", "simple_pit", "none"],
                        [3 - 2.5 * r, 2, 1 + 3 * r, 0.3 + r],
                    )[0],
                    income_per_person=income,
                    is_person_of_merit=rng.random() < 0.02,
                    no_working_capacity=rng.random() < 0.03,
                    is_ethnic_minority=minority,
                    member_count=len(people),
                ),
                "members": people,
                "digital": _digital(rng, r, minority, poverty),
            }
        )
    return out


def _digital(rng, r: float, minority: bool, poverty: float) -> dict:
    p_phone = 0.98 - 0.45 * r - (0.1 if minority else 0) - 0.3 * poverty
    smartphone = rng.random() < p_phone
    broadband = rng.random() < 0.85 - 0.75 * r - 0.1 * poverty
    internet = smartphone and rng.random() < 0.85
    vneid = (2 if rng.random() < 0.7 else 1) if internet and rng.random() < 0.8 else 0
    bank = internet and rng.random() < 0.75 - 0.3 * r
    return {
        "household": {
            "has_smartphone": smartphone,
            "has_feature_phone": not smartphone or rng.random() < 0.3,
            "has_computer": rng.random() < 0.25 - 0.2 * r,
            "has_tv": rng.random() < 0.95 - 0.3 * r - 1.05 * poverty,
            "has_radio": rng.random() < 0.08,
            "has_mobile_data": smartphone and rng.random() < 0.8,
            "has_fixed_broadband": broadband,
            "hears_loudspeaker": rng.random() < 0.9 - 0.3 * r,
        },
        "head": {
            "uses_internet": internet,
            "vneid_level": vneid,
            "has_bank_or_ewallet": bank,
            "pays_cashless": bank and rng.random() < 0.7,
            "uses_messaging": internet,
            "uses_online_public_services": vneid == 2 and rng.random() < 0.5,
            "buys_online": internet and rng.random() < 0.35,
            "sells_online": internet and rng.random() < 0.08,
        },
    }


def contribute(*, plan: ProvincePlan, progress: Callable[[str], None]) -> None:
    """Households for every planned village that has none yet (so re-running adds nothing)."""
    villages = {
        (v.commune_id, v.name): v.pk
        for v in Village.objects.filter(commune_id__in={p.commune_code for p in plan.villages})
    }
    done = set(
        Household.objects.filter(village_id__in=villages.values())
        .values_list("village_id", flat=True)
        .distinct()
    )
    todo = [p for p in plan.villages if villages.get((p.commune_code, p.name)) not in done]
    if not todo:
        return
    serial = itertools.count(plan.seed * 1000)  # unique ID numbers across the province
    next_number: dict[str, int] = {}
    batch: list = []
    written = 0
    for i, p in enumerate(todo):
        start = next_number.get(p.commune_code, 1)
        next_number[p.commune_code] = start + p.households
        batch += _village_households(
            p, villages[(p.commune_code, p.name)], p.commune_code, start, serial
        )
        if len(batch) >= 5000 or i == len(todo) - 1:
            _save(batch)
            written += len(batch)
            progress(f"  households: {written:,}")
            batch = []


def _save(batch: list) -> None:
    with transaction.atomic():
        Household.objects.bulk_create([b["household"] for b in batch], batch_size=1000)
        members = []
        for b in batch:
            h = b["household"]
            for sex, year, rel, name, ethnicity, cccd, insured, facts in b["members"]:
                m = Member(
                    household=h,
                    search_commune=h.commune_id,
                    full_name=name,
                    name_key=plain(name),
                    given_key=given_key(plain(name)),
                    sex=sex,
                    birth_year=year,
                    ethnicity=ethnicity,
                    relationship=rel,
                    id_number_encrypted=field_encryption.encrypt(cccd),
                    id_number_hash=field_encryption.lookup_hash(cccd),
                    id_number_last4=cccd[-4:],
                    has_health_insurance=insured,
                    **facts,
                )
                members.append(m)
        for m in members:
            m.household_id = m.household.pk  # set after the households got their ids
        insert_many(Member, members)
        head_ids = dict(
            Member.objects.filter(
                household_id__in=[b["household"].pk for b in batch], relationship="head"
            ).values_list("household_id", "id")
        )
        observations = []
        for b in batch:
            household = b["household"]
            observations.append(
                DigitalObservation(
                    household=household,
                    observed_on=SURVEY_DAY,
                    source="survey",
                    **b["digital"]["household"],
                )
            )
            observations.append(
                DigitalObservation(
                    household=household,
                    member_id=head_ids[household.pk],
                    observed_on=SURVEY_DAY,
                    source="survey",
                    **b["digital"]["head"],
                )
            )
        insert_many(DigitalObservation, observations)
        insert_many(
            DigitalProfile,
            [
                DigitalProfile(
                    household_id=b["household"].pk,
                    listed_commune=b["household"].commune_id,
                    observed_on=SURVEY_DAY,
                    **summarise(
                        [
                            {"member_id": None, "order": 0, **b["digital"]["household"]},
                            {"member_id": 1, "order": 0, **b["digital"]["head"]},
                        ]
                    ),
                )
                for b in batch
            ],
        )
