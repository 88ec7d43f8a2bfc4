"""The poverty app's part of the demo province: four review years of assessments.

The current year (2026: the periodic review of autumn 2025, when the demo's survey was taken)
is the rules run on the registry as it stands. The years before replay the seed article's
movement ("the poor-household rate fell from 28.94% to 24.71%"): the same indicator vectors with
each household's income of a year earlier, 2–10% lower each year back (incomes grew), and some
households deprived on the two information indicators then that are not now (the digital teams'
work: ~7% more per year back), classified under the standard of that year. Deterministic from
the household ids.
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

CURRENT = 2026
EARLIER = (2025, 2024, 2023)  # replayed review years, nearest first
INFORMATION_GAIN = 0.07  # share of households newly not deprived on information, per year
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
    for year in EARLIER:
        _previous_year(province, year, progress)


def _draw(household_id: int, salt: int) -> float:
    """A fixed number in [0, 1) from a household id and a salt."""
    return ((household_id * 2654435761 + salt * 40503) % 2**32) / 2**32


def earlier_letters(household_id: int, letters: str, positions: tuple[int, ...], years_back: int):
    """The indicator letters ``years_back`` years before, with the added deprivations: each
    information indicator not deprived now was deprived then with a chance that grows by
    INFORMATION_GAIN per year back."""
    found, added = list(letters), 0
    for at in positions:
        earlier = _draw(household_id, at) < INFORMATION_GAIN * years_back
        if at < len(found) and found[at] == "N" and earlier:
            found[at], added = "D", added + 1
    return "".join(found), added


def _previous_year(province: str, year: int, progress: Callable[[str], None]) -> None:
    standard = for_year(year)
    years_back = CURRENT - year
    positions = tuple(
        i for i, indicator in enumerate(standard.indicators) if indicator.dimension == "information"
    )
    as_of = rules.default_as_of(year)
    stored_as_of = connection.ops.adapt_datefield_value(as_of)
    columns = [f for f in ASSESSMENT_FIELDS if f not in ("run_id", "review_year", "as_of")]
    current = Assessment.objects.filter(
        commune__province_id=province, review_year=CURRENT, is_current=True
    ).order_by("household_id")
    counts: dict[str, int] = {}
    with transaction.atomic():
        run = AssessmentRun.objects.create(
            review_year=year,
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
                for _ in range(years_back):
                    if income is not None:
                        income = earlier_income(values["household_id"], income)
                letters, added = earlier_letters(
                    values["household_id"], values["indicators"], positions, years_back
                )
                deprived = values["deprived_count"] + added
                klass, possible = rules.classify(
                    standard, values["area_type"], income, deprived, values["unknown_count"]
                )
                counts[klass or "unknown"] = counts.get(klass or "unknown", 0) + 1
                values.update(
                    income_per_person=income,
                    indicators=letters,
                    deprived_count=deprived,
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
                        else year
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
    progress(f"  {year}: {counts.get('poor', 0) / max(total, 1):.2%} poor")
