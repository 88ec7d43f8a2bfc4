"""The whole-area SQL path gives exactly what the per-household rules give, on any data."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from langso.poverty import rules, sql
from langso.poverty.services import _tables, household_facts
from langso.poverty.standard import all_standards
from langso.registry.models import (
    DigitalProfile,
    Durability,
    Education,
    Household,
    Latrine,
    Member,
    WaterSource,
    WorkStatus,
)
from langso.registry.records import DIGITAL_FIELDS
from tests.factories.geo import VillageFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2025, 9, 1)


def maybe(values):
    return st.one_of(st.none(), st.sampled_from(values))


def choice(choices):
    return st.sampled_from(["", *choices.values])


member_facts = st.fixed_dictionaries(
    {
        "birth_year": st.integers(1930, 2025),
        "birth_date": st.one_of(st.none(), st.dates(dt.date(1930, 1, 1), dt.date(2025, 8, 31))),
        "work_status": choice(WorkStatus),
        "education": choice(Education),
        "has_health_insurance": maybe([True, False]),
        "in_school": maybe([True, False]),
        "school_level_fits_age": maybe([True, False]),
        "undernourished": maybe([True, False]),
        "has_disability": maybe([True, False]),
        "has_chronic_illness": maybe([True, False]),
        "receives_social_allowance": maybe([True, False]),
        "is_active": st.booleans(),
    }
)
household_facts_strategy = st.fixed_dictionaries(
    {
        "area_type_override": st.sampled_from(["", "rural", "urban"]),
        "wall": choice(Durability),
        "column": choice(Durability),
        "roof": choice(Durability),
        "floor_area_m2": st.one_of(
            st.none(), st.decimals(min_value=1, max_value=200, places=1, allow_nan=False)
        ),
        "water_source": choice(WaterSource),
        "latrine": choice(Latrine),
        "income_per_person": st.one_of(
            st.none(),
            st.sampled_from([700_000, 1_500_000, 1_500_001, 2_000_000, 2_200_000, 3_000_001]),
            st.integers(0, 4_000_000),
        ),
        "members": st.lists(member_facts, min_size=0, max_size=7),
        "profile": st.one_of(
            st.none(), st.fixed_dictionaries({f: maybe([True, False]) for f in DIGITAL_FIELDS[:9]})
        ),
    }
)


def _store(village, index: int, raw: dict) -> Household:
    members = raw.pop("members")
    profile = raw.pop("profile")
    h = Household.objects.create(
        code=f"T{index}", commune_id=village.commune_id, village=village, **raw
    )
    for j, m in enumerate(members):
        if m["birth_date"] is not None:
            m["birth_year"] = m["birth_date"].year
        Member.objects.create(
            household=h,
            full_name=f"Người {j}",
            name_key=f"nguoi {j}",
            sex="male",
            relationship="head" if j == 0 else "child",
            **m,
        )
    if profile is not None:
        DigitalProfile.objects.create(household=h, observed_on=AS_OF, **profile)
    return h


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(households=st.lists(household_facts_strategy, min_size=1, max_size=6))
def test_the_sql_pass_agrees_with_the_rules_household_by_household(households):
    from django.db import connection

    village = VillageFactory(commune_id="01273")
    stored = [_store(village, i, raw) for i, raw in enumerate(households)]
    try:
        for standard in all_standards():
            year = standard.last_review_year
            where = ("h.village_id = %s", [village.pk])
            query, params = sql.batch_query(standard, AS_OF, _tables(), where)
            ranged, ranged_params = sql.batch_query(
                standard,
                AS_OF,
                _tables(),
                where,
                (stored[0].pk, stored[-1].pk),
            )
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                rows = {row[0]: row for row in cursor.fetchall()}
                cursor.execute(ranged, ranged_params)
                assert {row[0]: row for row in cursor.fetchall()} == rows
            read = sql.row_reader(standard)
            for h in stored:
                expected = rules.assess(standard, year, household_facts(h), AS_OF)
                statuses, workers = sql.indicator_statuses(standard, rows[h.pk])
                assert read(rows[h.pk]) == (
                    expected.vector,
                    expected.deprived,
                    expected.unknown,
                    workers,
                )
                row = rows[h.pk]
                klass, possible = rules.classify(
                    standard,
                    row[3],
                    row[4],
                    statuses.count(rules.DEPRIVED),
                    statuses.count(rules.UNKNOWN),
                )
                assert statuses == [i.status for i in expected.indicators], standard.code
                assert (klass, possible) == (expected.klass, expected.possible)
                assert row[5] == len(household_facts(h).members)
                assert (
                    rules.low_income_count(standard, year, klass, row[4], row[3], workers)
                    == expected.low_income_workers
                )
    finally:
        Household.objects.filter(pk__in=[h.pk for h in stored]).delete()
        village.delete()
