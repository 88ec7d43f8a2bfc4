"""Assessing households under the standard of a review year: one household (with the
evidence), or every household of an area in one set-based pass (stored, or as a "what if")."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from langso.accounts.roles import Capability
from langso.accounts.scope import area_of
from langso.audit.services import record_batch
from langso.core.bulk import insert_rows
from langso.geo.models import Commune
from langso.poverty import rules, scorecard, sql
from langso.poverty.models import (
    Assessment,
    AssessmentRun,
    IncomeMethod,
    IncomeSurvey,
    Scorecard,
)
from langso.poverty.standard import Standard, for_year
from langso.registry.importer import SQLITE_WRITE_CACHE_MB, sqlite_cache
from langso.registry.models import DigitalProfile, Household, Member
from langso.registry.records import DIGITAL_FIELDS, HOUSEHOLD_FACTS, MEMBER_FACTS

Progress = Callable[..., None]
BATCH = 20_000


def household_income(household: Household, review_year: int | None) -> tuple[int | None, str]:
    """The income the rules use, and how it was obtained: the estimate of the household's
    current Phiếu B of the review year if there is one, else the income in the registry."""
    if review_year is not None:
        survey = (
            IncomeSurvey.objects.filter(
                household=household, review_year=review_year, is_current=True
            )
            .values_list("income_estimate", flat=True)
            .first()
        )
        if survey is not None:
            return survey, IncomeMethod.SCORECARD
    income = household.income_per_person
    return income, _method(income)


def household_facts(household: Household, review_year: int | None = None) -> rules.HouseholdFacts:
    """What the rules read of a stored household: its facts, its active members' facts, its
    current digital profile, and its income (see ``household_income``)."""
    members = [
        rules.Person(
            birth_year=m.birth_year,
            birth_date=m.birth_date,
            facts={name: getattr(m, name) for name in MEMBER_FACTS},
            ref=m.pk,
            name=m.full_name,
        )
        for m in household.members.filter(is_active=True).order_by("pk")
    ]
    facts = {name: getattr(household, name) for name in HOUSEHOLD_FACTS}
    profile = DigitalProfile.objects.filter(household=household).first()
    for name in DIGITAL_FIELDS:
        facts[f"digital.{name}"] = getattr(profile, name) if profile else None
    return rules.HouseholdFacts(
        area_type=household.area_type,
        income_per_person=household_income(household, review_year)[0],
        facts=facts,
        members=members,
    )


def evidence_json(result: rules.Result) -> dict[str, Any]:
    def plain(value: object) -> object:
        return value if isinstance(value, bool | int | str | type(None)) else str(value)

    return {
        i.code: [
            {"member": e.member, "name": e.name, "facts": {k: plain(v) for k, v in e.facts.items()}}
            for e in i.evidence
        ]
        for i in result.indicators
        if i.status != rules.NOT_DEPRIVED
    }


def _check(actor: Any) -> None:
    if not actor.can(Capability.ASSESS_POVERTY):
        raise PermissionDenied


def assess_household(
    *,
    actor: Any,
    household: Household,
    review_year: int,
    save: bool = True,
    as_of: dt.date | None = None,
) -> tuple[rules.Result, Assessment | None]:
    """The household under the review year's standard; stored as its current assessment for the
    year (the previous one stays, no longer current) unless ``save`` is False."""
    standard = for_year(review_year)
    as_of = as_of or rules.default_as_of(review_year)
    facts = household_facts(household, review_year)
    result = rules.assess(standard, review_year, facts, as_of)
    if not save:
        return result, None
    _check(actor)
    with transaction.atomic():
        Assessment.objects.filter(
            household=household, review_year=review_year, is_current=True
        ).update(is_current=False)
        row = Assessment.objects.create(
            household=household,
            review_year=review_year,
            standard=standard.code,
            standard_version=standard.version,
            as_of=as_of,
            commune_id=household.commune_id,
            village_id=household.village_id,
            area_type=facts.area_type,
            member_count=len(facts.members),
            is_ethnic_minority=household.is_ethnic_minority,
            is_person_of_merit=household.is_person_of_merit,
            no_working_capacity=household.no_working_capacity,
            income_per_person=facts.income_per_person,
            income_method=household_income(household, review_year)[1],
            indicators=result.vector,
            deprived_count=result.deprived,
            unknown_count=result.unknown,
            poverty_class=result.klass or "",
            possible_classes=",".join(result.possible),
            needs_review=result.needs_review,
            low_income_workers=result.low_income_workers,
            evidence=evidence_json(result),
            created_by=actor,
        )
    return result, row


def _method(income: int | None) -> str:
    return IncomeMethod.UNKNOWN if income is None else IncomeMethod.DECLARED


# --- a whole area in one pass ---------------------------------------------------------------


@dataclass
class AreaResult:
    """What a run found: households per class, per indicator deprived and unknown, and those a
    reviewer must look at. Rates are computed from these counts, never averaged."""

    standard: Standard
    review_year: int
    households: int = 0
    persons: int = 0
    by_class: Counter = field(default_factory=Counter)
    persons_by_class: Counter = field(default_factory=Counter)
    deprived: Counter = field(default_factory=Counter)  # indicator code -> households
    unknown: Counter = field(default_factory=Counter)
    needs_review: int = 0
    low_income_workers: int = 0
    run: AssessmentRun | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "standard": self.standard.code,
            "review_year": self.review_year,
            "households": self.households,
            "persons": self.persons,
            "by_class": dict(self.by_class),
            "persons_by_class": dict(self.persons_by_class),
            "deprived": dict(self.deprived),
            "unknown": dict(self.unknown),
            "needs_review": self.needs_review,
            "low_income_workers": self.low_income_workers,
        }


def _tables() -> sql.Tables:
    return sql.Tables(
        household=Household._meta.db_table,
        member=Member._meta.db_table,
        profile=DigitalProfile._meta.db_table,
        commune=Commune._meta.db_table,
        survey=IncomeSurvey._meta.db_table,
    )


def _scope_sql(province: str, communes: list[str] | None) -> sql.Sql:
    if communes:
        marks = ", ".join(["%s"] * len(communes))
        return f"h.commune_id IN ({marks})", list(communes)
    table = Commune._meta.db_table
    return f"h.commune_id IN (SELECT code FROM {table} WHERE province_id = %s)", [province]


def _id_ranges(scope: sql.Sql, batch: int) -> Iterator[tuple[int, int]]:
    """Consecutive (first id, last id) ranges of ``batch`` active households in scope."""
    where, params = scope
    table = Household._meta.db_table
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT h.id FROM {table} h WHERE h.is_active AND {where} AND h.id > %s "
                f"ORDER BY h.id LIMIT %s",
                [*params, last, batch],
            )
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return
            yield ids[0], ids[-1]
            last = ids[-1]


def _count(scope: sql.Sql) -> int:
    where, params = scope
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {Household._meta.db_table} h WHERE h.is_active AND {where}",
            params,
        )
        return cursor.fetchone()[0]


ASSESSMENT_FIELDS = (
    "household_id",
    "run_id",
    "review_year",
    "standard",
    "standard_version",
    "as_of",
    "commune_id",
    "village_id",
    "area_type",
    "member_count",
    "is_ethnic_minority",
    "is_person_of_merit",
    "no_working_capacity",
    "income_per_person",
    "income_method",
    "indicators",
    "deprived_count",
    "unknown_count",
    "poverty_class",
    "possible_classes",
    "needs_review",
    "low_income_workers",
    "is_current",
    "created_by_id",
)


def area_scope(
    actor: Any, *, province: str = "", communes: list[str] | None = None
) -> tuple[str, list[str] | None]:
    """The province and communes a run covers: the communes or the province asked for, if they
    are inside the actor's area; the actor's own province or communes otherwise."""
    area = area_of(actor)
    if communes:
        rows = dict(Commune.objects.filter(code__in=communes).values_list("code", "province_id"))
        for code in communes:
            if code not in rows or not (
                area.everything or rows[code] in area.provinces or code in area.communes
            ):
                raise PermissionDenied
        return rows[communes[0]], sorted(set(communes))
    if province:
        if not (area.everything or province in area.provinces):
            raise PermissionDenied
        return province, None
    if len(area.provinces) == 1 and not area.communes:
        return next(iter(area.provinces)), None
    if area.communes and not area.provinces:
        return area_scope(actor, communes=sorted(area.communes))
    raise ValueError("hãy chọn một tỉnh hoặc các xã cần đánh giá")


def assess_area(
    *,
    actor: Any,
    review_year: int,
    province: str = "",
    communes: list[str] | None = None,
    save: bool = True,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    batch: int = BATCH,
) -> AreaResult:
    """Every active household of the area (the actor's, or the given communes inside it) under
    the review year's standard, in batches of ``batch`` households: one SQL pass per batch.

    With ``save`` the results are stored in one transaction as the households' current
    assessments for the year (earlier ones stay, no longer current): all or nothing. Without it,
    nothing is written: the "what if" of a standard on today's data.
    """
    _check(actor)
    province, communes = area_scope(actor, province=province, communes=communes)
    return run_assessment(
        actor=actor,
        review_year=review_year,
        province=province,
        communes=communes,
        save=save,
        as_of=as_of,
        progress=progress,
        batch=batch,
    )


def run_assessment(
    *,
    actor: Any,
    review_year: int,
    province: str,
    communes: list[str] | None,
    save: bool,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    batch: int = BATCH,
) -> AreaResult:
    """``assess_area`` without the permission check (system runs: the demo, the benchmark)."""
    standard = for_year(review_year)
    as_of = as_of or rules.default_as_of(review_year)
    scope = _scope_sql(province, communes)
    total = _count(scope)
    result = AreaResult(standard=standard, review_year=review_year)
    if progress:
        progress(0, total, "Đang đánh giá")
    vectors: Counter = Counter()
    with transaction.atomic(), sqlite_cache(SQLITE_WRITE_CACHE_MB):
        run = None
        if save:
            run = AssessmentRun.objects.create(
                review_year=review_year,
                standard=standard.code,
                standard_version=standard.version,
                as_of=as_of,
                province=province,
                communes=communes or [],
                started_by=actor,
            )
        fixed = (
            run.pk if run else None,
            review_year,
            standard.code,
            standard.version,
            connection.ops.adapt_datefield_value(as_of),
        )
        rows_of = _Rows(standard, review_year, fixed, getattr(actor, "pk", None), result, vectors)
        if save:  # once for the area: per batch it would rescan the rows this run just wrote
            _replace_current(review_year, scope)
        for first, last in _id_ranges(scope, batch):
            where = (f"h.id BETWEEN %s AND %s AND {scope[0]}", [first, last, *scope[1]])
            query, params = sql.batch_query(
                standard, as_of, _tables(), where, (first, last), review_year
            )
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                out = rows_of(cursor.fetchall())
            if save:
                insert_rows(Assessment, ASSESSMENT_FIELDS, out)
            if progress:
                progress(result.households, total, f"Đã đánh giá {result.households:,} hộ")
        codes = [ind.code for ind in standard.indicators]
        for vector, count in vectors.items():
            for code, letter in zip(codes, vector, strict=True):
                if letter == "D":
                    result.deprived[code] += count
                elif letter == "U":
                    result.unknown[code] += count
        if run is not None:
            run.households = result.households
            run.counts = result.as_dict()
            run.finished_at = timezone.now()
            run.save(update_fields=["households", "counts", "finished_at"])
            result.run = run
            record_batch(
                actor=actor,
                object_type="poverty.assessment",
                counts={"assessed": result.households, **result.by_class},
                message=f"Đánh giá {result.households} hộ năm {review_year} theo {standard.code}",
            )
    return result


class _Rows:
    """Rows of ``batch_query`` to assessment tuples (ASSESSMENT_FIELDS), counting as it goes."""

    def __init__(self, standard, review_year, fixed, actor_id, result: AreaResult, vectors):
        self.standard, self.review_year, self.fixed = standard, review_year, fixed
        self.actor_id, self.result, self.vectors = actor_id, result, vectors
        self.read = sql.row_reader(standard)

    def __call__(self, rows: list[tuple]) -> list[tuple]:
        standard, review_year, fixed = self.standard, self.review_year, self.fixed
        result = self.result
        by_class, persons = result.by_class, result.persons_by_class
        out = []
        for row in rows:
            vector, deprived, unknown, workers = self.read(row)
            area_type, income, n = row[3], row[4], row[5]
            klass, possible = rules.classify(standard, area_type, income, deprived, unknown)
            if workers:
                workers = rules.low_income_count(
                    standard, review_year, klass, income, area_type, workers
                )
            key = klass or "unknown"
            by_class[key] += 1
            persons[key] += n
            result.persons += n
            review = len(possible) != 1
            result.needs_review += review
            result.low_income_workers += workers
            self.vectors[vector] += 1
            out.append(
                (
                    row[0],
                    *fixed,
                    row[1],
                    row[2],
                    area_type,
                    n,
                    bool(row[6]),
                    None if row[7] is None else bool(row[7]),
                    None if row[8] is None else bool(row[8]),
                    income,
                    IncomeMethod.SCORECARD
                    if row[9]
                    else IncomeMethod.UNKNOWN
                    if income is None
                    else IncomeMethod.DECLARED,
                    vector,
                    deprived,
                    unknown,
                    klass or "",
                    ",".join(possible),
                    review,
                    workers,
                    True,
                    self.actor_id,
                )
            )
        result.households += len(rows)
        return out


def _replace_current(review_year: int, where: sql.Sql) -> None:
    table = Assessment._meta.db_table
    households = Household._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET is_current = %s WHERE review_year = %s AND is_current "
            f"AND household_id IN (SELECT h.id FROM {households} h WHERE {where[0]})",
            [False, review_year, *where[1]],
        )


# --- the income-proxy scorecard (Phiếu B) ----------------------------------------------------


def scorecard_load(*, actor: Any, text: str, activate: bool = True) -> Scorecard:
    """Store a scorecard from its TOML text (new, or replacing the one with its code); when
    activated, it replaces the active scorecard of overlapping review years."""
    if actor is not None and not actor.can(Capability.EDIT_UNITS):
        raise PermissionDenied
    card = scorecard.parse(text)
    with transaction.atomic():
        row, created = Scorecard.objects.update_or_create(
            code=card.code,
            defaults={
                "title": card.title_vi,
                "text": text,
                "version": card.version,
                "is_example": card.is_example,
                "first_review_year": card.first_review_year,
                "last_review_year": card.last_review_year,
                "is_active": activate,
            },
        )
        if activate:
            Scorecard.objects.filter(
                is_active=True,
                first_review_year__lte=card.last_review_year,
                last_review_year__gte=card.first_review_year,
            ).exclude(pk=row.pk).update(is_active=False)
        record_batch(
            actor=actor,
            object_type="poverty.scorecard",
            counts={"items": len(card.items), "created": int(created)},
            message=f"Nạp bảng điểm Phiếu B {card.code} ({card.version})",
        )
    return row


def active_scorecard(review_year: int) -> scorecard.Scorecard:
    """The scorecard in use for a review year; the shipped example if none was loaded."""
    row = (
        Scorecard.objects.filter(
            is_active=True, first_review_year__lte=review_year, last_review_year__gte=review_year
        )
        .order_by("-loaded_at")
        .first()
    )
    if row is None:
        return scorecard.example()
    return scorecard.parse(row.text, row.code)


def income_survey_record(
    *,
    actor: Any,
    household: Household,
    review_year: int,
    answers: dict[str, str],
    surveyed_on: dt.date,
) -> IncomeSurvey:
    """Score a household's Phiếu B and keep it as the year's current survey (earlier ones stay
    as history); its income estimate is what the assessment of that year uses."""
    if not actor.can(Capability.ASSESS_POVERTY):
        raise PermissionDenied
    card = active_scorecard(review_year)
    standard = for_year(review_year)
    try:
        result = scorecard.score(
            card,
            standard,
            answers,
            province=household.commune.province_id,
            area_type=household.area_type,
        )
    except scorecard.ScorecardError as error:
        raise ValidationError({"answers": [str(error)]}) from None
    if result.points is None:
        raise ValidationError({code: "chưa trả lời" for code in result.missing})
    with transaction.atomic():
        IncomeSurvey.objects.filter(
            household=household, review_year=review_year, is_current=True
        ).update(is_current=False)
        return IncomeSurvey.objects.create(
            household=household,
            review_year=review_year,
            scorecard=card.code,
            scorecard_version=card.version,
            is_example_scorecard=card.is_example,
            answers=answers,
            points=result.points,
            income_estimate=result.income,
            surveyed_on=surveyed_on,
            recorded_by=actor,
        )
