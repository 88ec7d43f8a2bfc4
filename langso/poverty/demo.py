"""The poverty app's part of the demo province: two review years of assessments.

The current year (2026: the periodic review of autumn 2025, when the demo's survey was taken)
is the rules run on the registry as it stands. The year before replays the seed article's
movement ("the poor-household rate fell from 28.94% to 24.71%"): the same indicator vectors with
each household's income of a year earlier, 2–10% lower (incomes grew), classified under the
same standard. Deterministic from the household ids.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction

from langso.core.bulk import insert_rows
from langso.demo.generator import ProvincePlan
from langso.demo.services import province_of
from langso.poverty import rules
from langso.poverty.models import Assessment, AssessmentRun
from langso.poverty.services import ASSESSMENT_FIELDS, run_assessment
from langso.poverty.standard import for_year

CURRENT, PREVIOUS = 2026, 2025
CHUNK = 20_000


def earlier_income(household_id: int, income: int) -> int:
    """Income a year before: 2–10% lower, by a fixed draw from the household id."""
    u = (household_id * 2654435761 % 2**32) / 2**32
    return int(income / (1.02 + 0.085 * u)) // 10_000 * 10_000


def contribute(*, plan: ProvincePlan, progress: Callable[[str], None]) -> None:
    province = province_of(plan)
    if province is None:
        return
    if Assessment.objects.filter(commune__province_id=province, review_year=CURRENT).exists():
        return
    result = run_assessment(
        actor=None,
        review_year=CURRENT,
        province=province,
        communes=None,
        save=True,
        progress=lambda done, total, _m="": progress(f"  assessments {CURRENT}: {done:,}"),
    )
    poor = result.by_class["poor"] / max(result.households, 1)
    progress(f"  {CURRENT}: {poor:.2%} poor")
    _previous_year(province, progress)


def _previous_year(province: str, progress: Callable[[str], None]) -> None:
    standard = for_year(PREVIOUS)
    as_of = rules.default_as_of(PREVIOUS)
    stored_as_of = connection.ops.adapt_datefield_value(as_of)
    columns = [f for f in ASSESSMENT_FIELDS if f not in ("run_id", "review_year", "as_of")]
    current = Assessment.objects.filter(
        commune__province_id=province, review_year=CURRENT, is_current=True
    ).order_by("household_id")
    counts: dict[str, int] = {}
    with transaction.atomic():
        run = AssessmentRun.objects.create(
            review_year=PREVIOUS,
            standard=standard.code,
            standard_version=standard.version,
            as_of=as_of,
            province=province,
        )
        last = 0
        while True:
            rows = list(current.filter(household_id__gt=last).values_list(*columns)[:CHUNK])
            if not rows:
                break
            last = rows[-1][0]
            out = []
            for row in rows:
                values = dict(zip(columns, row, strict=True))
                income = values["income_per_person"]
                if income is not None:
                    income = earlier_income(values["household_id"], income)
                klass, possible = rules.classify(
                    standard,
                    values["area_type"],
                    income,
                    values["deprived_count"],
                    values["unknown_count"],
                )
                counts[klass or "unknown"] = counts.get(klass or "unknown", 0) + 1
                values.update(
                    income_per_person=income,
                    poverty_class=klass or "",
                    possible_classes=",".join(possible),
                    needs_review=len(possible) != 1,
                    low_income_workers=values["low_income_workers"]
                    if klass not in ("poor", "near_poor")
                    else 0,
                    standard=standard.code,
                    standard_version=standard.version,
                )
                out.append(
                    tuple(
                        run.pk
                        if f == "run_id"
                        else PREVIOUS
                        if f == "review_year"
                        else stored_as_of
                        if f == "as_of"
                        else values[f]
                        for f in ASSESSMENT_FIELDS
                    )
                )
            insert_rows(Assessment, ASSESSMENT_FIELDS, out)
        total = sum(counts.values())
        run.households = total
        run.counts = {"households": total, "by_class": counts}
        run.save(update_fields=["households", "counts"])
    progress(f"  {PREVIOUS}: {counts.get('poor', 0) / max(total, 1):.2%} poor")
