"""The read side of assessments: scoped lists and the tables of a run's results."""

from typing import Any

from django.db.models import QuerySet

from langso.accounts.scope import area_of, restrict
from langso.poverty.models import Assessment, AssessmentRun, PovertyClass
from langso.poverty.standard import Standard
from langso.registry.models import Household


def assessments_of(household: Household) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(household=household)
        .select_related("created_by")
        .order_by("-review_year", "-created_at", "-pk")
    )


def assessments_for(user: Any) -> QuerySet[Assessment]:
    return restrict(Assessment.objects.all(), user)


def runs_for(user: Any) -> QuerySet[AssessmentRun]:
    """Runs over the user's province, or over communes of their area."""
    area = area_of(user)
    runs = AssessmentRun.objects.select_related("started_by").order_by("-started_at")
    if area.everything:
        return runs
    recent = AssessmentRun.objects.order_by("-started_at").values_list(
        "pk", "province", "communes"
    )[:500]
    keep = [pk for pk, province, communes in recent if _inside(province, communes, area)]
    return runs.filter(pk__in=keep)


def _inside(province: str, communes: list[str], area) -> bool:
    if communes:
        return all(c in area.communes or province in area.provinces for c in communes)
    return province in area.provinces


def _rate(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def result_tables(standard: Standard, result: dict) -> dict[str, Any]:
    """Rows for the result page: households and persons per class, and per indicator the
    households deprived and unknown; every rate is computed from counts."""
    households = result.get("households", 0)
    persons = result.get("persons", 0)
    by_class, persons_by_class = result.get("by_class", {}), result.get("persons_by_class", {})
    labels = dict(PovertyClass.choices)
    classes = [
        {
            "code": code,
            "label": labels.get(code, code),
            "households": by_class.get(code, 0),
            "rate": _rate(by_class.get(code, 0), households),
            "persons": persons_by_class.get(code, 0),
            "person_rate": _rate(persons_by_class.get(code, 0), persons),
        }
        for code in [*PovertyClass.values, "unknown"]
        if code in by_class or code in PovertyClass.values[:2]
    ]
    poor_and_near = by_class.get("poor", 0) + by_class.get("near_poor", 0)
    indicators = [
        {
            "indicator": ind,
            "deprived": result.get("deprived", {}).get(ind.code, 0),
            "rate": _rate(result.get("deprived", {}).get(ind.code, 0), households),
            "unknown": result.get("unknown", {}).get(ind.code, 0),
        }
        for ind in standard.indicators
    ]
    return {
        "households": households,
        "persons": persons,
        "classes": classes,
        "indicators": indicators,
        "poor_and_near": poor_and_near,
        "needs_review": result.get("needs_review", 0),
        "low_income_workers": result.get("low_income_workers", 0),
        "saved": bool(result.get("saved")),
    }


def area_types() -> dict[str, str]:
    """Rural or urban of every commune, by code (the income lines depend on it)."""
    from langso.geo.models import Commune

    return dict(Commune.objects.values_list("code", "area_type"))


# --- reports -------------------------------------------------------------------------------

RECORDED, CURRENT = "recorded", "current"  # boundary basis: units as recorded, or today's


def current_assessments(
    user: Any, year: int | None, basis: str, commune: str = ""
) -> QuerySet[Assessment]:
    """The current assessments of a year (every year if None) in the user's area, with the
    unit of the basis annotated as ``unit``."""
    from django.db.models import F

    from langso.registry.queries import households_for

    rows = Assessment.objects.filter(is_current=True)
    if year is not None:
        rows = rows.filter(review_year=year)
    if basis == CURRENT:
        rows = rows.filter(household__in=households_for(user)).annotate(
            unit=F("household__commune_id")
        )
    else:
        rows = restrict(rows, user).annotate(unit=F("commune_id"))
    if commune:
        rows = rows.filter(unit=commune)
    return rows


def results_by_commune(user: Any, year: int, basis: str = RECORDED) -> list[dict[str, Any]]:
    """Per commune of the user's area: households and persons, poor and near-poor, with rates
    from the counts; the total row computed from the summed counts."""
    from django.db.models import Count, Q, Sum

    from langso.geo.models import Commune
    from langso.poverty.reports import rate

    rows = (
        current_assessments(user, year, basis)
        .values("unit")
        .annotate(
            households=Count("id"),
            persons=Sum("member_count"),
            poor=Count("id", filter=Q(poverty_class="poor")),
            near_poor=Count("id", filter=Q(poverty_class="near_poor")),
            poor_persons=Sum("member_count", filter=Q(poverty_class="poor")),
            near_poor_persons=Sum("member_count", filter=Q(poverty_class="near_poor")),
            minority=Count("id", filter=Q(is_ethnic_minority=True)),
            minority_poor=Count("id", filter=Q(is_ethnic_minority=True, poverty_class="poor")),
        )
        .order_by("unit")
    )
    names = dict(
        Commune.objects.filter(code__in=[r["unit"] for r in rows]).values_list("code", "name")
    )
    out = []
    total: dict[str, Any] = {"unit": "", "name": "Tổng"}
    for r in rows:
        r = {k: v or 0 for k, v in r.items()}
        r["unit"] = r["unit"] or ""
        r["name"] = names.get(r["unit"], r["unit"])
        out.append(r)
        for k, v in r.items():
            if isinstance(v, int):
                total[k] = total.get(k, 0) + v
    for r in [*out, total]:
        r["poor_rate"] = rate(r.get("poor", 0), r.get("households", 0))
        r["near_poor_rate"] = rate(r.get("near_poor", 0), r.get("households", 0))
        r["poor_person_rate"] = rate(r.get("poor_persons", 0), r.get("persons", 0))
        r["near_poor_person_rate"] = rate(r.get("near_poor_persons", 0), r.get("persons", 0))
    return [*out, total] if out else []


def year_figures(user: Any, year: int, basis: str = RECORDED, commune: str = ""):
    """The figures of the change sentence: from the year's assessments, or from old communes'
    results re-aggregated when the year has only those."""
    from django.db.models import Count, Q

    from langso.poverty.reports import YearFigures

    if not commune and not assessments_for(user).filter(review_year=year).exists():
        rows = legacy_results(user, year)
        if rows:
            total = rows[-1]
            return YearFigures(
                year=year,
                households=total["households"],
                poor=total["poor"],
                # unknown minority figures: no minority sentence (a rate of 0 of 0)
                minority_households=total["minority_households"] or 0,
                minority_poor=total["minority_poor"] or 0,
            )

    counts = current_assessments(user, year, basis, commune).aggregate(
        households=Count("id"),
        poor=Count("id", filter=Q(poverty_class="poor")),
        minority_households=Count("id", filter=Q(is_ethnic_minority=True)),
        minority_poor=Count("id", filter=Q(is_ethnic_minority=True, poverty_class="poor")),
    )
    return YearFigures(year=year, **counts)


def movement_between(
    user: Any,
    before: int,
    after: int,
    basis: str = RECORDED,
    commune: str = "",
    klass: str = PovertyClass.POOR,
):
    """The movement of poor (or near-poor) households from review year ``before`` to ``after``
    in the user's area (households present in either year)."""
    from langso.poverty.reports import movement

    fields = ("household_id", "poverty_class")
    classes_before = dict(current_assessments(user, before, basis, commune).values_list(*fields))
    classes_after = dict(current_assessments(user, after, basis, commune).values_list(*fields))
    earlier_poor = set(
        current_assessments(user, None, basis, commune)
        .filter(review_year__lt=before, poverty_class=klass)
        .values_list("household_id", flat=True)
    )
    households = set(classes_before) | set(classes_after)
    return movement(
        (
            (classes_before.get(h) or None, classes_after.get(h) or None, h in earlier_poor)
            for h in households
        ),
        klass,
    )


def standard_of_year(user: Any, year: int):
    """The standard the year's assessments in the user's area were made under (None if none)."""
    from langso.poverty.standard import by_code

    code = restrict(Assessment.objects.filter(review_year=year), user).values_list(
        "standard", flat=True
    )[:1]
    return by_code(code[0]) if code else None


def deprivations(
    user: Any, year: int, basis: str = RECORDED, commune: str = ""
) -> list[dict[str, Any]]:
    """Per class (poor, near-poor): households, deprivations counted, and how many households
    are deprived on each indicator of the year's standard, with rates from the counts (the
    summary form's deprivation table)."""
    from django.db.models import Count, Sum, Value
    from django.db.models.functions import Substr
    from django.db.models.lookups import Exact

    from langso.poverty.reports import rate

    standard = standard_of_year(user, year)
    if standard is None:
        return []
    rows = current_assessments(user, year, basis, commune).filter(
        poverty_class__in=[PovertyClass.POOR, PovertyClass.NEAR_POOR]
    )
    letters = {
        f"i{n}": Exact(Substr("indicators", n + 1, 1), Value("D"))
        for n in range(len(standard.indicators))
    }
    counted = (
        rows.values("poverty_class")
        .annotate(
            households=Count("id"),
            total=Sum("deprived_count"),
            **{name: Count("id", filter=deprived) for name, deprived in letters.items()},
        )
        .order_by()
    )
    by_class = {r["poverty_class"]: r for r in counted}
    out = []
    for klass in (PovertyClass.POOR, PovertyClass.NEAR_POOR):
        r = by_class.get(klass, {})
        households = r.get("households", 0)
        per = [r.get(f"i{n}", 0) for n in range(len(standard.indicators))]
        out.append(
            {
                "class": klass,
                "label": klass.label,
                "households": households,
                "deprivations": r.get("total") or 0,
                "indicators": [
                    {"name": ind.name_vi, "count": n, "rate": rate(n, households)}
                    for ind, n in zip(standard.indicators, per, strict=True)
                ],
            }
        )
    return out


def groups(user: Any, year: int, basis: str = RECORDED, commune: str = "") -> list[dict]:
    """Poor and near-poor households by group: ethnic minority, no working capacity, person of
    merit, none of these, and not known (a flag not recorded, no group known); a household may
    belong to several groups."""
    from django.db.models import Count, Q

    # annotation names differ from the model's fields: a filter on a field of the same name
    # would read the aggregate instead
    rows = (
        current_assessments(user, year, basis, commune)
        .filter(poverty_class__in=[PovertyClass.POOR, PovertyClass.NEAR_POOR])
        .values("poverty_class")
        .annotate(
            n_total=Count("id"),
            n_minority=Count("id", filter=Q(is_ethnic_minority=True)),
            n_no_working_capacity=Count("id", filter=Q(no_working_capacity=True)),
            n_merit=Count("id", filter=Q(is_person_of_merit=True)),
            n_other=Count(
                "id",
                filter=Q(is_ethnic_minority=False, no_working_capacity=False)
                & Q(is_person_of_merit=False),
            ),
            # in no group that is known, but a flag not recorded: neither in a group nor "other"
            n_unknown=Count(
                "id",
                filter=Q(is_ethnic_minority=False)
                & ~Q(no_working_capacity=True)
                & ~Q(is_person_of_merit=True)
                & (Q(no_working_capacity__isnull=True) | Q(is_person_of_merit__isnull=True)),
            ),
        )
        .order_by()
    )
    by_class = {r["poverty_class"]: r for r in rows}
    keys = ("total", "minority", "no_working_capacity", "merit", "other", "unknown")
    return [
        {
            "class": k,
            "label": k.label,
            **{key: by_class.get(k, {}).get(f"n_{key}", 0) for key in keys},
        }
        for k in (PovertyClass.POOR, PovertyClass.NEAR_POOR)
    ]


def movement_by_commune(
    user: Any, before: int, after: int, basis: str = RECORDED, klass: str = PovertyClass.POOR
) -> list[tuple[str, Any]]:
    """The movement of poor (or near-poor) households per commune of the user's area, then
    the total of the rows. A household assessed in one commune the earlier year and another the
    later year counts as a decrease in the first and an increase in the second."""
    import dataclasses

    from langso.geo.models import Commune
    from langso.poverty.reports import Movement, movement

    def classes(year: int) -> dict[int, tuple[str, str]]:
        rows = current_assessments(user, year, basis).values_list(
            "household_id", "unit", "poverty_class"
        )
        return {h: (unit, cls) for h, unit, cls in rows}

    earlier, later = classes(before), classes(after)
    earlier_poor = set(
        current_assessments(user, None, basis)
        .filter(review_year__lt=before, poverty_class=klass)
        .values_list("household_id", flat=True)
    )
    by_unit: dict[str, list[tuple]] = {}
    for h in set(earlier) | set(later):
        was, now = earlier.get(h), later.get(h)
        flag = h in earlier_poor
        if was and now and was[0] != now[0]:
            # moved between communes: it leaves the one (other decrease) and joins the other
            by_unit.setdefault(was[0], []).append((was[1] or None, None, flag))
            by_unit.setdefault(now[0], []).append((None, now[1] or None, flag))
            continue
        unit = (now or was)[0]
        by_unit.setdefault(unit, []).append(
            ((was or (None, None))[1] or None, (now or (None, None))[1] or None, flag)
        )
    names = dict(Commune.objects.filter(code__in=list(by_unit)).values_list("code", "name"))
    rows = [(names.get(u, u), movement(by_unit[u], klass)) for u in sorted(by_unit)]
    # the total row adds the communes' rows up (a move inside the area is a decrease in one
    # commune and an increase in another), so the table sums down as the form does
    total = Movement(
        **{f.name: sum(getattr(m, f.name) for _, m in rows) for f in dataclasses.fields(Movement)}
    )
    return [*rows, ("", total)] if rows else []


def _households_of(user: Any, year: int, basis: str, klass: str) -> QuerySet:
    """The ids of the year's households of a class in the user's area, as a subquery."""
    return current_assessments(user, year, basis).filter(poverty_class=klass).values("household_id")


def by_ethnicity(user: Any, year: int, basis: str = RECORDED) -> list[dict[str, Any]]:
    """Poor and near-poor households by the ethnicity of their head: Kinh, ethnic minorities in
    all, then each group found (most households first); a head without ethnicity is unknown."""
    from collections import Counter

    from django.db.models import Count

    from langso.registry.ethnicity import KINH, catalogue
    from langso.registry.models import Member, Relationship
    from langso.registry.queries import households_for

    counts: dict[str, Counter] = {}
    for klass in (PovertyClass.POOR, PovertyClass.NEAR_POOR):
        households = _households_of(user, year, basis, klass)
        heads = (
            Member.objects.filter(
                household_id__in=households,
                household__in=households_for(user),
                relationship=Relationship.HEAD,
                is_active=True,
            )
            .values("ethnicity")
            .annotate(n=Count("id"))
            .order_by()
        )
        counter: Counter = Counter({r["ethnicity"] or "": r["n"] for r in heads})
        # households without an active head count as unknown
        counter[""] += max(households.count() - sum(counter.values()), 0)
        counts[klass] = counter
    groups = catalogue()
    codes = sorted(
        {c for counter in counts.values() for c in counter if c and c != KINH},
        key=lambda c: (-sum(counter[c] for counter in counts.values()), c),
    )
    rows = [{"code": KINH, "name": groups.by_code(KINH).name, "is_total": False}]
    rows.append({"code": "minority", "name": "Dân tộc thiểu số", "is_total": True})
    rows += [
        {"code": c, "name": (groups.by_code(c).name if groups.by_code(c) else c), "is_total": False}
        for c in codes
    ]
    rows.append({"code": "", "name": "Chưa rõ", "is_total": False})
    for row in rows:
        for klass, counter in counts.items():
            if row["code"] == "minority":
                row[klass] = sum(counter[c] for c in codes)
            else:
                row[klass] = counter.get(row["code"], 0)
    return [r for r in rows if r["code"] in (KINH, "minority") or r["poor"] or r["near_poor"]]


def children(user: Any, year: int, basis: str = RECORDED) -> list[dict[str, Any]]:
    """Children (under 16 at the review's reference date, by year of birth) of poor and
    near-poor households: how many, undernourished, aged 6–15 without health insurance, aged
    3–15 not in school or not at the level for their age. Unknown facts are not counted."""
    from django.db.models import Count, Q

    from langso.poverty.rules import default_as_of
    from langso.registry.models import Member
    from langso.registry.queries import households_for

    reference = default_as_of(year).year
    out = []
    for klass in (PovertyClass.POOR, PovertyClass.NEAR_POOR):
        counted = Member.objects.filter(
            household_id__in=_households_of(user, year, basis, klass),
            household__in=households_for(user),
            is_active=True,
            birth_year__gt=reference - 16,
        ).aggregate(
            children=Count("id"),
            undernourished=Count("id", filter=Q(undernourished=True)),
            no_insurance=Count(
                "id", filter=Q(birth_year__lte=reference - 6, has_health_insurance=False)
            ),
            not_in_school=Count(
                "id",
                filter=Q(birth_year__lte=reference - 3)
                & (Q(in_school=False) | Q(school_level_fits_age=False)),
            ),
        )
        totals = {key: value or 0 for key, value in counted.items()}
        out.append({"class": klass, "label": PovertyClass(klass).label, **totals})
    return out


def _own_communes(user: Any) -> QuerySet:
    """Communes wholly inside the user's area: a village user's commune is visible to them as
    a place, but its figures are not theirs."""
    from langso.geo.models import Commune

    return restrict(Commune.objects.all(), user, for_write=True)


def legacy_results(user: Any, year: int) -> list[dict[str, Any]]:
    """Old communes' results of a year, summed into today's communes of the user's area, with a
    total row and rates from the counts; rows flagged ``approximate`` where a split old commune
    went in (see ``legacy.py``)."""
    from langso.poverty import legacy
    from langso.poverty.reports import rate

    names = dict(_own_communes(user).values_list("code", "name"))
    rows = legacy.by_new_commune(names, year)
    if not rows:
        return []
    total: dict[str, Any] = {"unit": "", "name": "Tổng", "approximate": False}
    for r in rows:
        for key in legacy.COUNTS:
            before = total.get(key, 0)
            total[key] = None if before is None or r[key] is None else before + r[key]
        total["approximate"] |= r["approximate"]

    def of(part, whole):
        return None if part is None or whole is None else rate(part, whole)

    for r in [*rows, total]:
        r["poor_rate"] = of(r["poor"], r["households"])
        r["near_poor_rate"] = of(r["near_poor"], r["households"])
        r["poor_person_rate"] = of(r["poor_persons"], r["persons"])
        r["near_poor_person_rate"] = of(r["near_poor_persons"], r["persons"])
    return [*rows, total]


def report_years(user: Any) -> tuple[list[int], set[int]]:
    """Review years with assessments or old communes' results in the user's area, newest
    first, and which of them have old results only."""
    from langso.poverty import legacy

    assessed = set(
        assessments_for(user).values_list("review_year", flat=True).distinct().order_by()
    )
    old = set(legacy.legacy_years(list(_own_communes(user).values_list("code", flat=True))))
    return sorted(assessed | old, reverse=True), old - assessed
