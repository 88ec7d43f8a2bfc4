"""Household search over a province of LANGSO_BENCH_HOUSEHOLDS households (default small; the
issue's figure is 1,000,000), as the list page runs it.

The province (Cao Bằng villages planned by the demo generator) is filled directly with plain
inserts: households, members (names and CCCDs as ``bench.registry_data`` makes them; the CCCD
lookup hash is real, the encrypted value a placeholder of the same length) and one current
digital profile for 95% of households. Then each query kind runs through
``HouseholdFilter(data, households_for(user), user=user)`` as a commune officer (the largest
commune) and as a province admin: the count (stopping past 10,000) and first page of 50
in list order (``queries.LIST_ORDER``, CappedPaginator, as the list page) plus the page's heads
(``with_heads``).
Reported: p50 and p95 per kind over ``RUNS`` different search values each, after one untimed
warm-up query per kind.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from unittest import mock

SEED = 2023
DEFAULT_SIZE = 20_000
RUNS = 25
PAGE = 50
TARGET_MS = 150
_SEX = {"Nam": "male", "Nữ": "female"}
_RELATIONSHIP = {
    "Chủ hộ": "head",
    "Vợ": "spouse",
    "Chồng": "spouse",
    "Con": "child",
    "Bố": "parent",
    "Mẹ": "parent",
    "Cháu": "grandchild",
    "Con dâu": "child_in_law",
}
_TOKEN = "gAAAAA" + "x" * 134  # the length of a Fernet token of a 12-digit CCCD
CCCDS: dict[str, list[str]] = {}  # a few real CCCDs per commune, kept while filling


@dataclass
class Kind:
    name: str
    values: Callable[[random.Random], dict[str, str]]


def size() -> int:
    text = os.environ.get("LANGSO_BENCH_HOUSEHOLDS", str(DEFAULT_SIZE))
    return max(int(part.replace("_", "")) for part in text.split(",") if part.strip())


def _batches(plan, batch: int = 5000) -> Iterator[tuple[list, list, list]]:
    """(households, members, profiles) rows for ``insert_rows``, a few thousand households at a
    time; household ids from 1, in plan order."""
    from bench import registry_data
    from langso.core import field_encryption
    from langso.geo.models import Village
    from langso.geo.names import clean, plain
    from langso.registry.ethnicity import catalogue
    from langso.registry.records import given_key

    villages = {
        (v.commune_id, v.name): v.pk
        for v in Village.objects.filter(commune__province_id="04").only("commune_id", "name")
    }
    column = {name: i for i, name in enumerate(registry_data.COLUMNS)}
    ethnic = {g: catalogue().find(g).code for g in registry_data._SURNAMES}
    names: dict[str, tuple[str, str, str]] = {}
    rng = random.Random(SEED)
    households, members, profiles = [], [], []
    for pk, rows in enumerate(registry_data.households(plan, seed=SEED), start=1):
        first = rows[0]
        commune = first[column["commune_code"]]
        code = first[column["household_code"]] or f"{commune}-{pk:06d}"
        people = []
        for row in rows:
            full = row[column["full_name"]]
            if full not in names:
                key = plain(full)
                names[full] = (clean(full), key, given_key(key))
            name, key, given = names[full]
            number = row[column["id_number"]]
            if number and len(kept := CCCDS.setdefault(commune, [])) < 40:
                kept.append(number)
            year = row[column["birth_year"]] or row[column["birth_date"]][-4:]
            people.append(
                (
                    pk,
                    name,
                    key,
                    given,
                    _SEX[row[column["sex"]]],
                    int(year),
                    ethnic.get(row[column["ethnicity"]], ""),
                    _RELATIONSHIP[row[column["relationship"]]],
                    _TOKEN if number else "",
                    field_encryption.lookup_hash(number),
                    number[-4:],
                    commune,
                )
            )
        minority = any(p[6] not in ("", "01") for p in people)
        households.append(
            (
                pk,
                code,
                commune,
                villages[(commune, first[column["village"]])],
                minority,
                len(people),
            )
        )
        members += people
        if rng.random() < 0.95:
            smartphone = rng.random() < 0.7
            profiles.append(
                (
                    pk,
                    dt.date(2025, 9, 15),
                    smartphone if rng.random() < 0.9 else None,
                    rng.random() < 0.5 if rng.random() < 0.9 else None,
                    smartphone and rng.random() < 0.8,
                    rng.choice([0, 1, 2, None]),
                    commune,
                )
            )
        if len(households) >= batch:
            yield households, members, profiles
            households, members, profiles = [], [], []
    if households:
        yield households, members, profiles


def fill(households: int) -> None:
    """The province: villages (demo plan), then households, members and profiles."""
    from django.db import connection, transaction

    from langso.core.bulk import analyze, insert_rows
    from langso.demo import services as demo
    from langso.registry.importer import SQLITE_WRITE_CACHE_MB, sqlite_cache
    from langso.registry.models import DigitalProfile, Household, Member

    with mock.patch.object(demo, "CONTRIBUTORS", []):
        plan = demo.demo_build(
            province_code="04", households=households, seed=SEED, with_users=False
        ).plan
    start = time.perf_counter()
    written = 0
    for hh, mm, pp in _batches(plan):
        with transaction.atomic(), sqlite_cache(SQLITE_WRITE_CACHE_MB):
            insert_rows(
                Household,
                ("id", "code", "commune_id", "village_id", "is_ethnic_minority", "member_count"),
                hh,
            )
            insert_rows(
                Member,
                (
                    "household_id",
                    "full_name",
                    "name_key",
                    "given_key",
                    "sex",
                    "birth_year",
                    "ethnicity",
                    "relationship",
                    "id_number_encrypted",
                    "id_number_hash",
                    "id_number_last4",
                    "search_commune",
                ),
                mm,
            )
            insert_rows(
                DigitalProfile,
                (
                    "household_id",
                    "observed_on",
                    "has_smartphone",
                    "has_fixed_broadband",
                    "uses_internet",
                    "vneid_level",
                    "listed_commune",
                ),
                [(p[0], connection.ops.adapt_datefield_value(p[1]), *p[2:]) for p in pp],
            )
        written += len(hh)
        if written % 100_000 < len(hh):
            print(
                f"  {written:,} households in {time.perf_counter() - start:.0f} s", file=sys.stderr
            )
    # as an import of that size leaves the tables (importer.ANALYZE_AFTER), and on PostgreSQL
    # what autovacuum does soon after a bulk load (VACUUM sets the visibility map, which lets
    # the name searches read the households from the index alone)
    analyze(Household, Member, DigitalProfile)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Household, Member, DigitalProfile):
                cursor.execute(f"VACUUM {model._meta.db_table}")
    print(f"  filled in {time.perf_counter() - start:.0f} s", file=sys.stderr)


def _kinds(samples: dict[str, list]) -> list[Kind]:
    def pick(name: str) -> Callable[[random.Random], object]:
        return lambda rng: rng.choice(samples[name])

    surname, given, code, village = (pick(n) for n in ("surname", "given", "code", "village"))
    return [
        Kind('name prefix ("Nông Văn")', lambda rng: {"q": surname(rng)}),
        Kind('surname alone ("Hoàng")', lambda rng: {"q": surname(rng).split()[0]}),
        Kind('given name ("Dũng")', lambda rng: {"q": given(rng)}),
        Kind("full name", lambda rng: {"q": rng.choice(samples["full"])}),
        Kind("household code", lambda rng: {"q": code(rng)}),
        Kind("code prefix (9 digits)", lambda rng: {"q": code(rng)[:9]}),
        Kind("CCCD", lambda rng: {"q": rng.choice(samples["cccd"])}),
        Kind("village", lambda rng: {"village": str(village(rng))}),
        Kind(
            "digital yes",
            lambda rng: {"digital": rng.choice(["has_smartphone", "uses_internet"])},
        ),
        Kind(
            "digital no",
            lambda rng: {
                "digital": rng.choice(["has_smartphone", "has_fixed_broadband"]),
                "digital_value": "no",
            },
        ),
        Kind(
            "digital unknown",
            lambda rng: {
                "digital": rng.choice(["has_smartphone", "has_fixed_broadband"]),
                "digital_value": "unknown",
            },
        ),
        Kind("minority", lambda rng: {"minority": rng.choice(["true", "false"])}),
        Kind(
            "village + digital no",
            lambda rng: {
                "village": str(village(rng)),
                "digital": "has_smartphone",
                "digital_value": "no",
            },
        ),
    ]


def _samples(commune: str | None) -> dict[str, list]:
    """Search values that exist in the user's area (what people really type)."""
    from langso.registry.models import Household, Member

    members = Member.objects.filter(relationship="head")
    households = Household.objects.all()
    if commune:
        members = members.filter(household__commune_id=commune)
        households = households.filter(commune_id=commune)
    rng = random.Random(SEED)
    heads = list(members.values_list("full_name", "id_number_last4", "household_id")[:20000:37])
    full = [h[0] for h in heads]
    return {
        "full": rng.sample(full, min(50, len(full))),
        "surname": _some(rng, {" ".join(n.split()[:2]) for n in full}),
        "given": _some(rng, {n.split()[-1] for n in full}),
        "code": list(households.values_list("code", flat=True)[:20000:97]),
        "village": sorted(set(households.values_list("village_id", flat=True)[:50000:11])),
        "cccd": CCCDS.get(commune, []) if commune else [n for ns in CCCDS.values() for n in ns],
    }


def _some(rng: random.Random, values: set[str], n: int = 60) -> list[str]:
    ordered = sorted(values)
    return rng.sample(ordered, min(n, len(ordered)))


def _run_query(user, data: dict[str, str]) -> tuple[float, int]:
    from langso.core.paging import CappedPaginator
    from langso.registry import queries
    from langso.registry.filters import HouseholdFilter
    from langso.registry.views import LIST_COUNT_CAP

    start = time.perf_counter()
    filterset = HouseholdFilter(data, queries.households_for(user), user=user)
    households = filterset.listing()
    page = CappedPaginator(households, PAGE, cap=LIST_COUNT_CAP).get_page(1)
    queries.with_heads(list(page.object_list))
    return (time.perf_counter() - start) * 1000, page.paginator.count


def _explain(user, data: dict[str, str]) -> str:
    """The database's plans for the page and the count of one query (for slow kinds)."""
    from langso.registry import queries
    from langso.registry.filters import HouseholdFilter
    from langso.registry.views import LIST_COUNT_CAP

    households = HouseholdFilter(data, queries.households_for(user), user=user).listing()
    if not hasattr(households, "explain"):
        return f"{data}: searched by name, commune by commune (registry/name_search.py)"
    page = households[:PAGE].explain()
    count = households.order_by()[: LIST_COUNT_CAP + 1].values("pk").explain()  # as paged
    return f"{data}\n  page:\n{page}\n  count (its first {LIST_COUNT_CAP + 1:,} rows):\n{count}"


def measure(user, commune: str | None) -> list[tuple[str, float, float, float]]:
    """(kind, p50 ms, p95 ms, median count) per query kind."""
    samples = _samples(commune)
    rng = random.Random(SEED)
    out = []
    for kind in _kinds(samples):
        _run_query(user, kind.values(rng))  # warm-up
        times, counts, slowest = [], [], (0.0, {})
        for _ in range(RUNS):
            data = kind.values(rng)
            ms, count = _run_query(user, data)
            times.append(ms)
            counts.append(count)
            slowest = max(slowest, (ms, data), key=lambda pair: pair[0])
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        out.append((kind.name, statistics.median(times), p95, statistics.median(counts)))
        if p95 > TARGET_MS and os.environ.get("LANGSO_BENCH_EXPLAIN"):
            print(
                f"--- {kind.name} ({slowest[0]:.0f} ms): {_explain(user, slowest[1])}",
                file=sys.stderr,
            )
    return out


def run() -> str:
    from django.db import connection
    from django.db.models import Count

    from langso.accounts.roles import Role
    from langso.accounts.services import user_create
    from langso.geo.services import units_load
    from langso.registry.models import Household

    units_load()
    households = size()
    fill(households)
    commune = (
        Household.objects.values("commune_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("commune_id", "n")
        .first()
    )
    officer = user_create(
        actor=None,
        username="bench.xa",
        password="-",
        role=Role.COMMUNE_OFFICER,
        communes=[commune[0]],
    )
    admin = user_create(
        actor=None, username="bench.tinh", password="-", role=Role.PROVINCE_ADMIN, provinces=["04"]
    )
    lines = [
        f"## Household search on {connection.vendor}: {households:,} households in the province, "
        f"{commune[1]:,} in the officer's commune",
        "",
        "| query | commune officer p50 / p95 ms (rows) | province admin p50 / p95 ms (rows) |",
        "|---|---|---|",
    ]
    by_officer = measure(officer, commune[0])
    by_admin = measure(admin, None)
    for (name, p50, p95, n), (_n, a50, a95, an) in zip(by_officer, by_admin, strict=True):
        flag = " ⚠" if max(p95, a95) > TARGET_MS else ""
        lines.append(
            f"| {name}{flag} | {p50:,.0f} / {p95:,.0f} ({n:,.0f}) | {a50:,.0f} / {a95:,.0f} "
            f"({an:,.0f}) |"
        )
    return "\n".join(lines)
