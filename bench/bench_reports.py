"""Dashboards and the aggregate rebuild at national scale (PostgreSQL).

The country: the 34 provinces and 3,321 communes of the unit data, VILLAGES_PER_COMMUNE villages
each, and LANGSO_BENCH_HOUSEHOLDS households (default small; the issue's figure is 27,000,000)
spread evenly over the villages. Filled with ``INSERT … SELECT generate_series`` one province at
a time (setup, not measured), with what the rebuild reads: households (a share of them ethnic
minority, varying by province), a digital profile for 70% of them, a current assessment for
every household in two review years (rates falling between them), team visits for a quarter,
a team per village with five members, skill tallies, base stations, coverage, wifi, radio
clusters, boards and operators' subscriber figures. Members are not generated: no figure reads
them.

Set LANGSO_BENCH_KEEP_DB=1 to keep the filled database (``test_<name>``) and reuse it on the
next run (filling 27 million households takes most of an hour on two cores), and
LANGSO_BENCH_FILL_ONLY=1 to fill it and measure nothing.

Measured, on the same database:
- baseline for the rebuild: one ``GROUP BY commune, village`` pass over the household table,
  every row fetched;
- the full rebuild of every province (what ``langso reports-rebuild all`` runs: each source
  read once per year for the whole country), once; the rebuild of the largest province;
- the incremental refresh of one commune (what an import or an assessment triggers);
- baseline for the dashboards: the raw ``SUM`` of the province's (the country's) figures;
- the province dashboard (a province analyst) and the national dashboard (a superuser), the
  whole page through the Django test client, median of RUNS after one warm-up run;
- the province brief as PDF.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

VILLAGES_PER_COMMUNE = 24
DEFAULT_HOUSEHOLDS = 200_000
REVIEW_YEARS = (2024, 2025)
RUNS = 5
PROVINCE = "04"  # Cao Bằng


def households_wanted() -> int:
    text = os.environ.get("LANGSO_BENCH_HOUSEHOLDS", str(DEFAULT_HOUSEHOLDS)).split(",")[-1]
    return int(text.replace("_", ""))


def _sql(statement: str, params: list | tuple = ()) -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(statement, params)
        return cur.rowcount


def _scalar(statement: str, params: list | tuple = ()):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchone()[0]


def _log(text: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {text}", flush=True)


def _villages() -> None:
    _sql(
        """INSERT INTO geo_village (name, kind, name_key, plain_name, created_at, commune_id)
        SELECT 'Thôn ' || g, 'thon', 'thon ' || g, 'Thon ' || g, now(), c.code
        FROM geo_commune c CROSS JOIN generate_series(1, %s) g""",
        [VILLAGES_PER_COMMUNE],
    )


def _fill_province(province: str, per_village: int, positions: dict[str, int]) -> None:
    """Everything of one province, in SQL; shares vary by province so figures differ."""
    p = int(province)
    minority = 20 + (p * 37) % 75  # % of households
    poor = {2024: 6 + (p * 13) % 25, 2025: 4 + (p * 13) % 22}
    where = "c.province_id = %s"
    _sql(
        f"""INSERT INTO registry_household (code, address, area_type_override, wall, "column",
            roof, water_source, latrine, is_ethnic_minority, member_count, is_active,
            created_at, updated_at, commune_id, village_id)
        SELECT v.commune_id || '-' || v.id || '-' || g, '', '', '', '', '', '', '',
            (v.id * 7919 + g * 104729) %% 100 < {minority}, 1 + (v.id + g) %% 6, true,
            now(), now(), v.commune_id, v.id
        FROM geo_village v JOIN geo_commune c ON c.code = v.commune_id
        CROSS JOIN generate_series(1, %s) g WHERE {where}""",
        [per_village, province],
    )
    scope = """FROM registry_household h JOIN geo_commune c ON c.code = h.commune_id
        WHERE c.province_id = %s"""
    _sql(
        f"""INSERT INTO registry_digitalprofile (household_id, observed_on, has_smartphone,
            has_fixed_broadband, uses_internet, vneid_level, pays_cashless,
            uses_online_public_services)
        SELECT h.id, DATE '2026-06-01', (h.id * 31) %% 100 < 72, (h.id * 17) %% 100 < 48,
            (h.id * 23) %% 100 < 66, (h.id %% 4)::smallint, (h.id * 41) %% 100 < 38,
            (h.id * 43) %% 100 < 29
        {scope} AND h.id %% 10 < 7""",
        [province],
    )
    telecom, access = positions["deprived_telecom_use"], positions["deprived_information_access"]
    for year in REVIEW_YEARS:
        rate = poor[year]
        _sql(
            f"""INSERT INTO poverty_assessment (review_year, standard, standard_version, as_of,
                area_type, member_count, is_ethnic_minority, income_method, indicators,
                deprived_count, unknown_count, poverty_class, possible_classes, needs_review,
                low_income_workers, is_current, created_at, commune_id, household_id,
                village_id)
            SELECT %s, 'nd07-2021', '1', make_date(%s, 10, 1), 'rural', h.member_count,
                h.is_ethnic_minority, 'pmt',
                overlay(overlay(repeat('N', 12) placing
                    (CASE WHEN (h.id * 61 + %s) %% 100 < {rate + 6} THEN 'D' ELSE 'N' END)
                    from {telecom} for 1) placing
                    (CASE WHEN (h.id * 67 + %s) %% 100 < {rate + 9} THEN 'D' ELSE 'N' END)
                    from {access} for 1),
                0, 0,
                CASE WHEN (h.id * 53 + %s) %% 100 < {rate} THEN 'poor'
                     WHEN (h.id * 53 + %s) %% 100 < {rate + 7} THEN 'near_poor'
                     ELSE 'not_poor' END,
                '', false, 0, true, now(), h.commune_id, h.id, h.village_id
            {scope}""",
            [year, year, year, year, year, year, province],
        )
    _sql(
        f"""INSERT INTO teams_householdreach (household_id, first_visit, last_visit, visits,
            got_smartphone, got_internet, got_vneid, got_cashless, got_online_services,
            commune_id, village_id)
        SELECT h.id, DATE '2025-03-01' + (h.id %% 500)::int, DATE '2026-09-01', 1 + h.id %% 3,
            false, false, false, false, false, h.commune_id, h.village_id
        {scope} AND h.id %% 4 = 0""",
        [province],
    )
    villages = """FROM geo_village v JOIN geo_commune c ON c.code = v.commune_id
        WHERE c.province_id = %s"""
    _sql(
        f"""INSERT INTO teams_team (level, name, decision_number, decision_file, established_on,
            created_at, commune_id, village_id)
        SELECT 'village', 'Tổ CNS ' || v.name, '', '', DATE '2023-05-01', now(), v.commune_id,
            v.id {villages}""",
        [province],
    )
    _sql(
        """INSERT INTO teams_teammember (full_name, phone, role, kind, starts_on, team_id)
        SELECT 'Thành viên ' || g, '', 'member', 'resident', DATE '2023-05-01', t.id
        FROM teams_team t JOIN geo_commune c ON c.code = t.commune_id
        CROSS JOIN generate_series(1, 5) g WHERE c.province_id = %s""",
        [province],
    )
    _sql(
        f"""INSERT INTO teams_skilltally (skill, month, taught, mastered, commune_id, village_id)
        SELECT s, make_date(y, m, 1), 12, 9, v.commune_id, v.id {
            villages.replace(
                "WHERE",
                "CROSS JOIN unnest(ARRAY['smartphone', 'vneid']) s "
                "CROSS JOIN generate_series(2025, 2026) y CROSS JOIN generate_series(3, 6) m WHERE",
            )
        }""",
        [province],
    )
    _sql(
        f"""INSERT INTO infra_basestation (operator, site_code, has_2g, has_3g, has_4g, has_5g,
            status, updated_at, commune_id, village_id)
        SELECT 'viettel', 'BTS-' || v.id, true, true, v.id %% 5 <> 0, false, 'active', now(),
            v.commune_id, v.id {villages}""",
        [province],
    )
    _sql(
        f"""INSERT INTO infra_coverage (network, level, as_of, source, note, updated_at,
            commune_id, village_id)
        SELECT n, CASE WHEN (v.id + length(n)) %% 3 = 0 THEN 'partial'
                       WHEN (v.id + length(n)) %% 7 = 0 THEN 'none' ELSE 'full' END,
            DATE '2026-06-01', 'operator', '', now(), v.commune_id, v.id
        {villages.replace("WHERE", "CROSS JOIN unnest(ARRAY['4g', 'fibre']) n WHERE")}""",
        [province],
    )
    _sql(
        f"""INSERT INTO infra_wifihotspot (name, place, provider, free, active, commune_id,
            village_id)
        SELECT 'Wifi ' || v.name, 'Nhà văn hoá', 'VNPT', true, true, v.commune_id, v.id
        {villages} AND v.id %% 4 = 0""",
        [province],
    )
    _sql(
        f"""INSERT INTO outreach_device (kind, name, location, token_prefix, token_digest,
            active, created_at, commune_id, village_id)
        SELECT 'cluster', 'Cụm loa ' || v.name, '', '', md5(v.id::text), true, now(),
            v.commune_id, v.id {villages}""",
        [province],
    )
    _sql(
        """INSERT INTO infra_subscribercount (period_end, operator, kind, count, source,
            imported_at, commune_id)
        SELECT DATE '2026-06-30', 'viettel', k, 1000 + length(c.code) * 100, 'bench', now(),
            c.code
        FROM geo_commune c CROSS JOIN unnest(ARRAY['mobile', 'internet']) k
        WHERE c.province_id = %s""",
        [province],
    )


BIG_TABLES = (
    "registry_household",
    "registry_digitalprofile",
    "poverty_assessment",
    "teams_householdreach",
)


def _unindex() -> list[str]:
    """Drop the big tables' secondary indexes and foreign keys and stop logging them, so that
    filling them is bounded by the disk, not by index upkeep and the write-ahead log; returns
    the statements that create the indexes again (run after the fill: the queries measured
    use them). Foreign keys stay dropped: no measured query needs them."""
    tables = list(BIG_TABLES)
    indexes = _rows(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = ANY(%s) AND i.indexname NOT IN (
            SELECT conname FROM pg_constraint WHERE contype IN ('p'))""",
        [tables],
    )
    constraints = _rows(
        """SELECT conrelid::regclass::text, conname FROM pg_constraint
        WHERE contype IN ('f', 'u') AND (conrelid::regclass::text = ANY(%s)
            OR confrelid::regclass::text = ANY(%s))""",
        [tables, tables],
    )
    recreate = []
    for table, name in constraints:
        _sql(f'ALTER TABLE {table} DROP CONSTRAINT IF EXISTS "{name}"')
    for name, definition in indexes:
        _sql(f'DROP INDEX IF EXISTS "{name}"')
        recreate.append(definition)
    for table in tables:
        _sql(f"ALTER TABLE {table} SET UNLOGGED")
    return recreate


def fill(households: int) -> None:
    from langso.geo.services import units_load
    from langso.reports.aggregates import _information_positions

    start = time.perf_counter()
    units_load()
    _villages()
    recreate = _unindex()
    villages = _scalar("SELECT count(*) FROM geo_village")
    per_village = max(households // villages, 1)
    positions = _information_positions()["nd07-2021"]
    provinces = [code for (code,) in _rows("SELECT code FROM geo_province ORDER BY code")]
    for i, province in enumerate(provinces, 1):
        _fill_province(province, per_village, positions)
        _log(f"filled province {province} ({i}/{len(provinces)})")
    _log(f"rows in after {time.perf_counter() - start:.0f} s; indexing")
    for definition in recreate:
        _sql(definition)
    _sql("ANALYZE")
    _log(f"filled and indexed in {time.perf_counter() - start:.0f} s")


def _rows(statement: str, params: list | tuple = ()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchall()


def _median(fn, runs: int = RUNS, warm: bool = True) -> float:
    if warm:
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _signed_in(user):
    """A client signed in with a second factor, as the pages require of some roles."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _get(client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code}")
    b"".join(response) if response.streaming else response.content


def run() -> str:
    from django.db import connection

    from langso.accounts.models import AreaAssignment, User
    from langso.accounts.roles import Role
    from langso.reports import aggregates

    if connection.vendor != "postgresql":
        return "## Dashboards at national scale\n\nPostgreSQL only: set LANGSO_DATABASE_URL."
    if not _scalar("SELECT count(*) FROM registry_household"):
        fill(households_wanted())
    if os.environ.get("LANGSO_BENCH_FILL_ONLY"):
        return "(filled only)"
    households = _scalar("SELECT count(*) FROM registry_household")
    assessments = _scalar("SELECT count(*) FROM poverty_assessment")
    provinces = [code for (code,) in _rows("SELECT code FROM geo_province ORDER BY code")]
    communes = _scalar("SELECT count(*) FROM geo_commune")
    villages = _scalar("SELECT count(*) FROM geo_village")
    _log(f"{households:,} households, {assessments:,} assessments")

    baseline_group = _median(
        lambda: _rows(
            """SELECT commune_id, village_id, count(*), sum(member_count)
            FROM registry_household WHERE is_active GROUP BY commune_id, village_id"""
        ),
        runs=3,
    )
    _log(f"baseline GROUP BY {baseline_group:.1f} s")
    today = dt.date(2026, 12, 7)
    start = time.perf_counter()
    aggregates.refresh(province_code=None, today=today)
    rebuild = time.perf_counter() - start
    _log(f"national rebuild {rebuild:.1f} s")
    biggest = _scalar(
        """SELECT province_id FROM geo_commune GROUP BY province_id ORDER BY count(*) DESC
        LIMIT 1"""
    )
    start = time.perf_counter()
    aggregates.refresh(province_code=biggest, today=today)
    one_province = time.perf_counter() - start
    _log(f"province {biggest} {one_province:.1f} s")
    one_commune = _scalar("SELECT min(code) FROM geo_commune WHERE province_id = %s", [PROVINCE])
    incremental = _median(
        lambda: aggregates.refresh(province_code=PROVINCE, communes=[one_commune], today=today),
        runs=3,
        warm=False,
    )
    figures_rows = _scalar("SELECT count(*) FROM reports_villagefigures")

    analyst, _ = User.objects.get_or_create(
        username="bench-analyst", defaults={"role": Role.ANALYST.value}
    )
    AreaAssignment.objects.get_or_create(user=analyst, province_id=PROVINCE)
    national, _ = User.objects.get_or_create(
        username="bench-national", defaults={"role": Role.ANALYST.value, "is_superuser": True}
    )
    sums = ", ".join(f"sum({c})" for c in aggregates.COLUMNS)
    baseline_province = _median(
        lambda: _rows(
            f"SELECT {sums} FROM reports_villagefigures WHERE province = %s AND year = 2026",
            [PROVINCE],
        )
    )
    baseline_national = _median(
        lambda: _rows(f"SELECT {sums} FROM reports_villagefigures WHERE year = 2026")
    )
    timings = []
    for user, label, baseline in (
        (analyst, f"province {PROVINCE}", baseline_province),
        (national, "national", baseline_national),
    ):
        client = _signed_in(user)
        for what, path in (
            ("dashboard", "/reports/"),
            ("dashboard, year before", "/reports/?year=2025"),
            ("brief (PDF)", "/reports/brief/?format=pdf"),
        ):
            first = time.perf_counter()
            _get(client, path)
            cold = time.perf_counter() - first
            warm = _median(lambda c=client, p=path: _get(c, p), runs=3 if "PDF" in what else RUNS)
            timings.append((label, what, cold, warm, baseline))
    lines = [
        f"Households: {households:,} in {len(provinces)} provinces, {communes:,} communes, "
        f"{villages:,} villages; {assessments:,} current assessments "
        f"({', '.join(map(str, REVIEW_YEARS))}); figures table: {figures_rows:,} rows.",
        "",
        "| what | time | ratio to baseline |",
        "|---|---:|---:|",
        f"| baseline: one GROUP BY (commune, village) over the household table | "
        f"{baseline_group:.2f} s | 1.0 |",
        f"| full rebuild (`reports-rebuild all`), {len(provinces)} provinces × "
        f"{len(REVIEW_YEARS) + 1} years | {rebuild:.1f} s | {rebuild / baseline_group:.1f} |",
        f"| rebuild of the largest province ({biggest}), every year | {one_province:.1f} s | "
        f"{one_province / baseline_group:.2f} |",
        f"| incremental refresh of one commune, every year | {incremental:.2f} s | "
        f"{incremental / baseline_group:.2f} |",
        "",
        "| scope | page | first | median warm | raw SUM baseline | ratio |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for label, what, cold, warm, baseline in timings:
        lines.append(
            f"| {label} | {what} | {cold * 1000:.0f} ms | {warm * 1000:.0f} ms | "
            f"{baseline * 1000:.1f} ms | {warm / baseline:.0f}× |"
        )
    return "## Dashboards at national scale (PostgreSQL)\n\n" + "\n".join(lines)
