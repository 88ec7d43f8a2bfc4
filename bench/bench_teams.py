"""The community digital teams: the worklist of a commune, a batch sync, the progress pages.

- Worklist: a commune of LANGSO_BENCH_COMMUNE households (default 5,000; the issue's figure)
  with members, a digital profile each, a current assessment each and visits for 45% of them,
  as ``queries.worklist_for`` builds it for an officer (every village of the commune). Baseline:
  the same households' profiles read in one plain query.
- Sync: batches of 200 offline visits (skills, consent asked at the door, digital facts with
  their base values) through ``visits_sync``, as the field app sends them. Baseline: 200 visit
  rows inserted raw.
- Progress: the aggregate tables of a province as a national visit table of 50 million visits
  implies for it (1/34 of the country: ~1.5 million visits, ~460,000 tally rows, 450,000
  reached households out of 1,000,000), read by ``progress.progress`` by commune (province
  admin) and by village (commune officer). The visits themselves are not inserted: the pages
  never read them (tallies are kept per visit, ``tallies.count_visit``). Baseline: one scan of
  the province's tally rows.
p50 / p95 over ``RUNS`` runs after a warm-up run.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
import uuid
from collections.abc import Callable

RUNS = 15
SEED = 11
TODAY = dt.date(2026, 11, 20)


def _timed(fn: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def _commune(households: int):
    """A commune with ``households`` households in 50 villages, each with 4 members, a profile,
    a current assessment, and visits for 45% of them."""
    from django.db import connection

    from langso.core.bulk import analyze, insert_rows
    from langso.geo.models import Village
    from langso.poverty.models import Assessment
    from langso.registry.models import DigitalProfile, Household, Member
    from langso.teams.models import Visit

    rng = random.Random(SEED)
    commune = "01273"
    villages = [
        Village.objects.create(
            commune_id=commune, name=f"Thôn {i}", name_key=f"thon {i}", plain_name=f"thon {i}"
        )
        for i in range(50)
    ]
    hh, mm, pp, aa, vv = [], [], [], [], []
    member_id = 0
    for pk in range(1, households + 1):
        village = villages[pk % len(villages)].pk
        hh.append((pk, f"{commune}-{pk:06d}", commune, village, rng.random() < 0.6, 4))
        for i in range(4):
            member_id += 1
            year = rng.randrange(1940, 1990) if i == 0 else rng.randrange(1940, 2020)
            mm.append(
                (member_id, pk, f"Người {member_id}", f"nguoi {member_id}", str(member_id),
                 "male", year, "head" if i == 0 else "child", commune)
            )  # fmt: skip
        smartphone = rng.random() < 0.6
        pp.append(
            (pk, commune, connection.ops.adapt_datefield_value(dt.date(2025, 9, 15)), smartphone,
             smartphone and rng.random() < 0.8, rng.choice([0, 1, 2]), rng.random() < 0.4)
        )  # fmt: skip
        vector = "".join(rng.choice("NNNNDU") for _ in range(12))
        aa.append(
            (pk, 2026, "nd07-2021", "x", connection.ops.adapt_datefield_value(dt.date(2026, 1, 1)),
             commune, village, "rural", 4, False, 0, "declared", vector, vector.count("D"),
             vector.count("U"), rng.choice(["poor", "near_poor", "middle_income", "above"]),
             "", False, True)
        )  # fmt: skip
        if rng.random() < 0.45:
            day = TODAY - dt.timedelta(days=rng.randrange(400))
            vv.append((pk, commune, village, connection.ops.adapt_datefield_value(day), True))
    insert_rows(
        Household,
        ("id", "code", "commune_id", "village_id", "is_ethnic_minority", "member_count"),
        hh,
    )
    insert_rows(
        Member,
        ("id", "household_id", "full_name", "name_key", "given_key", "sex", "birth_year",
         "relationship", "search_commune"),
        mm,
    )  # fmt: skip
    insert_rows(
        DigitalProfile,
        ("household_id", "listed_commune", "observed_on", "has_smartphone", "uses_internet",
         "vneid_level", "pays_cashless"),
        pp,
    )  # fmt: skip
    insert_rows(
        Assessment,
        ("household_id", "review_year", "standard", "standard_version", "as_of", "commune_id",
         "village_id", "area_type", "member_count", "is_ethnic_minority", "low_income_workers",
         "income_method", "indicators", "deprived_count", "unknown_count", "poverty_class",
         "possible_classes", "needs_review", "is_current"),
        aa,
    )  # fmt: skip
    insert_rows(Visit, ("household_id", "commune_id", "village_id", "visited_on", "consent"), vv)
    analyze(Household, Member, DigitalProfile, Assessment, Visit)
    return commune, villages


def worklist(households: int) -> dict:
    from langso.accounts.roles import Role
    from langso.accounts.services import user_create
    from langso.registry.models import DigitalProfile
    from langso.teams import queries

    commune, villages = _commune(households)
    officer = user_create(
        actor=None, username="bench.xa", password="-", role=Role.COMMUNE_OFFICER, communes=[commune]
    )
    ids = [v.pk for v in villages]
    entries = queries.worklist_for(officer, ids, TODAY)
    p50, p95 = _timed(lambda: queries.worklist_for(officer, ids, TODAY))
    base50, _base95 = _timed(
        lambda: list(DigitalProfile.objects.filter(listed_commune=commune).values_list())
    )
    return {
        "entries": len(entries),
        "p50": p50,
        "p95": p95,
        "baseline": base50,
        "officer": officer,
        "villages": villages,
    }


def sync(officer, villages, batches: int = 5, size: int = 200) -> dict:
    from django.db import connection

    from langso.core.bulk import insert_rows
    from langso.registry.models import DigitalProfile, Household, Member
    from langso.teams.models import Visit
    from langso.teams.services import VisitRecord, visits_sync

    rng = random.Random(SEED + 1)
    households = list(
        Household.objects.order_by("id").values_list("id", flat=True)[: batches * size]
    )
    heads = dict(
        Member.objects.filter(household_id__in=households, relationship="head").values_list(
            "household_id", "id"
        )
    )
    seen = {
        h: {"has_smartphone": phone, "uses_internet": internet}
        for h, phone, internet in DigitalProfile.objects.filter(
            household_id__in=households
        ).values_list("household_id", "has_smartphone", "uses_internet")
    }
    times = []
    for b in range(batches):
        records = [
            VisitRecord(
                household_id=h,
                visited_on=TODAY - dt.timedelta(days=rng.randrange(1, 30)),
                present=[heads[h]],
                skills={"vneid_level2": "practised", "scam_safety": "shown"},
                needs="Cần hướng dẫn bán hàng trên mạng",
                facts={"has_smartphone": True, "uses_internet": True},
                base=seen[h],  # what the phone downloaded: no conflict
                consent_method="signed_form",
                client_id=uuid.uuid4(),
            )
            for h in households[b * size : (b + 1) * size]
        ]
        start = time.perf_counter()
        outcomes = visits_sync(actor=officer, records=records, today=TODAY)
        times.append((time.perf_counter() - start) * 1000)
        assert all(o.status == "stored" for o in outcomes), outcomes[0]
    rows = [
        (h, "01273", villages[0].pk, connection.ops.adapt_datefield_value(TODAY), True)
        for h in households[:size]
    ]
    start = time.perf_counter()
    insert_rows(Visit, ("household_id", "commune_id", "village_id", "visited_on", "consent"), rows)
    raw = (time.perf_counter() - start) * 1000
    times.sort()
    return {"median": statistics.median(times), "max": times[-1], "raw": raw, "size": size}


def progress_tables(households: int = 1_000_000, visits: int = 1_500_000) -> dict:
    """A province's aggregates as ``visits`` visits leave them (1/34 of 50 million), over
    ``households`` households in 56 communes of 25 villages; then the progress pages' reads."""
    from django.db import connection

    from langso.accounts.roles import Role
    from langso.accounts.services import user_create
    from langso.core.bulk import analyze, insert_rows
    from langso.geo.models import Commune, Village
    from langso.registry.models import DigitalProfile, Household
    from langso.teams import progress
    from langso.teams.models import HouseholdReach, VisitTally

    hh_cols = ("id", "code", "commune_id", "village_id", "is_ethnic_minority", "member_count")
    pp_cols = ("household_id", "listed_commune", "observed_on", "has_smartphone", "uses_internet")
    rr_cols = ("household_id", "commune_id", "village_id", "first_visit", "last_visit", "visits")
    rr_cols += ("had_smartphone", "used_internet")
    rng = random.Random(SEED + 2)
    communes = list(Commune.objects.filter(province_id="04").order_by("code")[:56])
    villages = []
    for c in communes:
        for i in range(25):
            villages.append(
                Village(commune=c, name=f"Bản {i}", name_key=f"ban {i}", plain_name=f"ban {i}")
            )
    Village.objects.bulk_create(villages, batch_size=2000)
    first_id = (Household.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    per_village = households // len(villages)
    hh, pp, rr = [], [], []
    day = connection.ops.adapt_datefield_value
    pk = first_id
    for v in villages:
        for _ in range(per_village):
            hh.append((pk, f"P{pk}", v.commune_id, v.pk, False, 4))
            had = rng.random() < 0.6
            pp.append((pk, v.commune_id, day(dt.date(2025, 9, 15)), had or rng.random() < 0.3,
                       rng.random() < 0.5))  # fmt: skip
            if rng.random() < 0.45:
                first = dt.date(2025, 10, 1) + dt.timedelta(days=rng.randrange(400))
                rr.append((pk, v.commune_id, v.pk, day(first), day(first), 3, had, False))
            pk += 1
        if len(hh) >= 50_000:
            insert_rows(Household, hh_cols, hh)
            insert_rows(DigitalProfile, pp_cols, pp)
            insert_rows(HouseholdReach, rr_cols, rr)
            hh, pp, rr = [], [], []
    insert_rows(Household, hh_cols, hh)
    insert_rows(DigitalProfile, pp_cols, pp)
    insert_rows(HouseholdReach, rr_cols, rr)
    # tally rows: each member's visiting days (about 3.3 visits a day out)
    tallies, rows = 0, []
    for v in villages:
        for member in range(1, 5):
            for _ in range(visits // len(villages) // 4 // 3):
                when = dt.date(2025, 10, 1) + dt.timedelta(days=rng.randrange(400))
                rows.append((v.commune_id, v.pk, member, day(when), 3, 4, 1))
        if len(rows) >= 50_000:
            tallies += _tally_rows(rows)
            rows = []
    tallies += _tally_rows(rows)
    analyze(Household, DigitalProfile, HouseholdReach, VisitTally)
    admin = user_create(
        actor=None, username="bench.tinh", password="-", role=Role.PROVINCE_ADMIN, provinces=["04"]
    )
    officer = user_create(
        actor=None,
        username="bench.xa2",
        password="-",
        role=Role.COMMUNE_OFFICER,
        communes=[communes[0].code],
    )
    period = (dt.date(2025, 10, 1), dt.date(2026, 11, 20))
    out = {"tallies": tallies, "reached": HouseholdReach.objects.count()}
    out["province"] = _timed(lambda: progress.progress(admin, "commune", *period), runs=5)
    out["commune"] = _timed(lambda: progress.progress(officer, "village", *period), runs=5)
    out["members"] = _timed(lambda: progress.progress(officer, "member", *period), runs=5)
    out["baseline"] = _timed(
        lambda: list(VisitTally.objects.filter(commune__province_id="04").values_list("visits")),
        runs=5,
    )[0]
    return out


def _tally_rows(rows: list[tuple]) -> int:
    from django.db import IntegrityError, transaction

    from langso.core.bulk import insert_rows
    from langso.teams.models import VisitTally

    unique = list({(r[1], r[2], r[3]): r for r in rows}.values())
    try:
        with transaction.atomic():
            columns = ("commune_id", "village_id", "team_member", "day", "visits")
            insert_rows(VisitTally, (*columns, "skills_taught", "skills_mastered"), unique)
    except IntegrityError:  # a (village, member, day) drawn twice across batches: skip the batch
        return 0
    return len(unique)


def run() -> str:
    from django.db import connection

    from langso.geo.services import units_load

    units_load()
    households = int(os.environ.get("LANGSO_BENCH_COMMUNE", "5000"))
    w = worklist(households)
    s = sync(w["officer"], w["villages"])
    lines = [
        f"## Teams on {connection.vendor}",
        "",
        "| measure | p50 ms | p95 ms | baseline ms | ratio | target |",
        "|---|---|---|---|---|---|",
        f"| worklist, commune of {households:,} households ({w['entries']:,} entries) | "
        f"{w['p50']:,.0f} | {w['p95']:,.0f} | {w['baseline']:,.1f} (profiles read) | "
        f"{w['p50'] / w['baseline']:,.1f}× | < 300 ms |",
        f"| sync of {s['size']} offline visits (median / slowest of 5 batches) | "
        f"{s['median']:,.0f} | {s['max']:,.0f} | {s['raw']:,.1f} (raw insert) | "
        f"{s['median'] / s['raw']:,.0f}× | < 2,000 ms |",
    ]
    if os.environ.get("LANGSO_BENCH_PROGRESS", "1") != "0":
        size = int(os.environ.get("LANGSO_BENCH_PROVINCE", "1000000"))
        p = progress_tables(size, visits=size * 3 // 2)
        base = p["baseline"]
        for label, key in (
            ("progress, province by commune", "province"),
            ("progress, commune by village", "commune"),
            ("progress, commune by member", "members"),
        ):
            p50, p95 = p[key]
            lines.append(
                f"| {label} ({p['tallies']:,} tally rows, {p['reached']:,} reached households) "
                f"| {p50:,.0f} | {p95:,.0f} | {base:,.0f} (tally rows read) | {p50 / base:,.1f}× "
                "| < 2,000 ms |"
            )
    return "\n".join(lines)
