"""Assessing a province under Decree 07/2021, against one GROUP BY over the same member table.

The province of LANGSO_BENCH_HOUSEHOLDS households (default small; the issue's figure is
1,000,000) is filled with plain inserts from the demo generator (households with their housing
facts and income, members with every indicator fact, one current digital profile each; ID
numbers left out: the rules never read them). Then, on the same database:

- baseline: ``SELECT household_id, COUNT(*), SUM(…) FROM member GROUP BY household_id``, every
  row fetched: the least any per-household pass over the members costs;
- the stored assessment of the whole province (``run_assessment``, save=True: one SQL pass per
  batch of 5,000 households, classes in Python, rows written with COPY / executemany), in a
  fresh child process for its peak memory;
- the rows it wrote, written again raw (``raw_write``: COPY / executemany into the same table):
  the least writing them costs on this machine;
- the same as a "what if" (nothing written);
- the province results query the report will run (households and persons per class, from the
  stored assessments).
Each figure is the median of RUNS runs (the stored run once per size, it writes a million rows).
"""

from __future__ import annotations

import itertools
import json
import os
import resource
import statistics
import sys
import time
from unittest import mock

SEED = 2023
DEFAULT_SIZES = "2000,10000"
YEAR = 2026
RUNS = 3


def sizes() -> list[int]:
    text = os.environ.get("LANGSO_BENCH_HOUSEHOLDS", DEFAULT_SIZES)
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


HOUSEHOLD_FIELDS = (
    "id",
    "code",
    "commune_id",
    "village_id",
    "wall",
    "column",
    "roof",
    "floor_area_m2",
    "water_source",
    "latrine",
    "income_per_person",
    "is_person_of_merit",
    "no_working_capacity",
    "is_ethnic_minority",
    "member_count",
)
MEMBER_FACTS = (
    "in_school",
    "school_level_fits_age",
    "education",
    "undernourished",
    "has_disability",
    "has_chronic_illness",
    "work_status",
    "receives_social_allowance",
)
MEMBER_FIELDS = (
    "household_id",
    "full_name",
    "sex",
    "birth_year",
    "ethnicity",
    "relationship",
    "has_health_insurance",
    *MEMBER_FACTS,
)


def fill(households: int) -> int:
    """Villages of the demo plan, then households, members and profiles; returns members."""
    from django.db import connection, transaction

    from langso.core.bulk import analyze, insert_rows
    from langso.demo import services as demo
    from langso.geo.models import Village
    from langso.registry import demo as registry_demo
    from langso.registry.importer import SQLITE_WRITE_CACHE_MB, sqlite_cache
    from langso.registry.models import DigitalProfile, Household, Member
    from langso.registry.profile import summarise
    from langso.registry.records import DIGITAL_FIELDS

    with mock.patch.object(demo, "CONTRIBUTORS", []):
        plan = demo.demo_build(
            province_code="04", households=households, seed=SEED, with_users=False
        ).plan
    villages = {
        (v.commune_id, v.name): v.pk
        for v in Village.objects.filter(commune__province_id="04").only("commune_id", "name")
    }
    observed = connection.ops.adapt_datefield_value(registry_demo.SURVEY_DAY)
    serial = itertools.count()
    pk = 0
    members = 0
    start = time.perf_counter()
    batch: tuple[list, list, list] = ([], [], [])

    def flush() -> None:
        with transaction.atomic(), sqlite_cache(SQLITE_WRITE_CACHE_MB):
            insert_rows(Household, HOUSEHOLD_FIELDS, batch[0])
            insert_rows(Member, MEMBER_FIELDS, batch[1])
            insert_rows(DigitalProfile, ("household_id", "observed_on", *DIGITAL_FIELDS), batch[2])
        for part in batch:
            part.clear()

    for v in plan.villages:
        village = villages[(v.commune_code, v.name)]
        for b in registry_demo._village_households(v, village, v.commune_code, pk + 1, serial):
            pk += 1
            h = b["household"]
            batch[0].append(
                (pk, h.code, h.commune_id, village, h.wall, h.column, h.roof, h.floor_area_m2,
                 h.water_source, h.latrine, h.income_per_person, h.is_person_of_merit,
                 h.no_working_capacity, h.is_ethnic_minority, len(b["members"]))
            )  # fmt: skip
            for sex, year, rel, name, ethnicity, _cccd, insured, facts in b["members"]:
                batch[1].append(
                    (pk, name, sex, year, ethnicity, rel, insured,
                     *(facts[f] for f in MEMBER_FACTS))
                )  # fmt: skip
            members += len(b["members"])
            profile = summarise(
                [
                    {"member_id": None, "order": 0, **b["digital"]["household"]},
                    {"member_id": 1, "order": 0, **b["digital"]["head"]},
                ]
            )
            batch[2].append((pk, observed, *(profile[f] for f in DIGITAL_FIELDS)))
            if len(batch[0]) >= 5000:
                flush()
                if pk % 100_000 < 5000:
                    print(f"  {pk:,} households in {time.perf_counter() - start:.0f} s",
                          file=sys.stderr)  # fmt: skip
    if batch[0]:
        flush()
    analyze(Household, Member, DigitalProfile)
    return members


def baseline() -> float:
    """One GROUP BY over the members, every row fetched."""
    from django.db import connection

    from langso.registry.models import Member

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT household_id, COUNT(*), "
            f"SUM(CASE WHEN has_health_insurance THEN 0 ELSE 1 END) "
            f"FROM {Member._meta.db_table} WHERE is_active GROUP BY household_id"
        )
        while cursor.fetchmany(10_000):
            pass
    return time.perf_counter() - start


def what_if() -> float:
    from langso.poverty.services import run_assessment

    start = time.perf_counter()
    run_assessment(actor=None, review_year=YEAR, province="04", communes=None, save=False)
    return time.perf_counter() - start


def results_query() -> float:
    from django.db.models import Count, Sum

    from langso.poverty.models import Assessment

    start = time.perf_counter()
    list(
        Assessment.objects.filter(review_year=YEAR, is_current=True, commune__province_id="04")
        .values("poverty_class")
        .annotate(households=Count("id"), persons=Sum("member_count"))
    )
    return time.perf_counter() - start


def raw_write() -> float:
    """The stored assessment rows written again raw: read back, the table emptied, and loaded
    in one transaction with ``insert_rows`` (COPY on PostgreSQL, executemany on SQLite) into the
    same table with its indexes and constraints. The least that writing them costs here."""
    from django.db import connection, transaction

    from langso.core.bulk import insert_rows
    from langso.poverty.models import Assessment
    from langso.poverty.services import ASSESSMENT_FIELDS

    rows = list(Assessment.objects.order_by("pk").values_list(*ASSESSMENT_FIELDS))
    if connection.vendor == "sqlite":
        at = ASSESSMENT_FIELDS.index("as_of")
        rows = [(*r[:at], connection.ops.adapt_datefield_value(r[at]), *r[at + 1 :]) for r in rows]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Assessment._meta.db_table}")
    start = time.perf_counter()
    with transaction.atomic():
        insert_rows(Assessment, ASSESSMENT_FIELDS, rows)
    return time.perf_counter() - start


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child() -> None:
    """In a fresh process: the stored assessment of the province; figures as JSON."""
    import django

    django.setup()
    from bench.scratch_db import use_scratch_database

    use_scratch_database()
    from langso.poverty.services import run_assessment

    start_mb = _rss_mb()
    start = time.perf_counter()
    result = run_assessment(actor=None, review_year=YEAR, province="04", communes=None, save=True)
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "seconds": seconds,
                "households": result.households,
                "poor": result.by_class["poor"],
                "peak_mb": _rss_mb(),
                "start_mb": start_mb,
            }
        )
    )


def measure(households: int) -> dict:
    from django.db import connection

    from bench.scratch_db import run_child
    from langso.poverty.models import Assessment, AssessmentRun
    from langso.registry.models import DigitalProfile, Household, Member

    members = fill(households)
    base = statistics.median(baseline() for _ in range(RUNS))
    stored = json.loads(run_child("bench.bench_assess", "child").strip().splitlines()[-1])
    assert Assessment.objects.count() == stored["households"]
    raw = raw_write()
    preview = statistics.median(what_if() for _ in range(RUNS))
    report = statistics.median(results_query() for _ in range(RUNS))
    figures = {
        "households": stored["households"],
        "members": members,
        "baseline": base,
        "stored": stored["seconds"],
        "raw_write": raw,
        "what_if": preview,
        "report": report,
        "peak_mb": stored["peak_mb"],
        "start_mb": stored["start_mb"],
        "poor": stored["poor"] / stored["households"],
    }
    with connection.cursor() as cursor:  # empty for the next size
        for model in (Assessment, AssessmentRun, DigitalProfile, Member, Household):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
    return figures


def run() -> str:
    from django.db import connection

    from langso.geo.services import units_load

    units_load()
    lines = [
        f"## Poverty assessment on {connection.vendor} (Decree 07/2021, review year {YEAR})",
        "",
        "| households | people | GROUP BY s | stored assessment s | households/s | ratio "
        "| raw write of the rows s | what-if s | results query s | peak RSS MB (at start) | poor |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for households in sizes():
        f = measure(households)
        print(f"  {households:,}: {f}", file=sys.stderr)
        lines.append(
            f"| {f['households']:,} | {f['members']:,} | {f['baseline']:.2f} | {f['stored']:.1f} "
            f"| {f['households'] / f['stored']:,.0f} | {f['stored'] / f['baseline']:.1f}× "
            f"| {f['raw_write']:.1f} | {f['what_if']:.1f} | {f['report']:.2f} "
            f"| {f['peak_mb']:,.0f} ({f['start_mb']:,.0f})"
            f" | {f['poor']:.1%} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "langso.settings")
    if sys.argv[1:] == ["child"]:
        child()
    else:
        sys.exit("usage: python -m bench assess")
