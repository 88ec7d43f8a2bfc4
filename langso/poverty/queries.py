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
