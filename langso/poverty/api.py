"""Poverty endpoints: the reports of a review year (results, movement, deprivations, groups),
a household's assessments and the reviews, all limited to the caller's area."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from langso.poverty import queries, review_queries
from langso.registry.queries import households_for

router = Router()
Basis = Literal["recorded", "current"]


class YearQuery(Schema):
    year: int = Field(..., ge=2016, le=2100, description="review year (lists apply that year)")
    basis: Basis = Field("recorded", description="units as recorded, or today's units")


class MovementQuery(Schema):
    before: int = Field(..., ge=2016, le=2100)
    after: int = Field(..., ge=2016, le=2100)
    basis: Basis = "recorded"
    poverty_class: Literal["poor", "near_poor"] = Field("poor", description="whose movement")


class ResultRow(Schema):
    commune: str = Field(..., description="commune code; empty on the total row")
    name: str
    households: int
    persons: int
    poor: int
    poor_rate: float | None
    near_poor: int
    near_poor_rate: float | None
    poor_persons: int
    poor_person_rate: float | None
    near_poor_persons: int
    near_poor_person_rate: float | None


class MovementRow(Schema):
    commune: str = Field(..., description="commune name; empty on the total row")
    columns: list[int] = Field(..., description="the form's columns 1–9")
    balanced: bool


class IndicatorCount(Schema):
    name: str
    count: int
    rate: float | None


class DeprivationTable(Schema):
    poverty_class: str
    households: int
    deprivations: int
    indicators: list[IndicatorCount]


class GroupRow(Schema):
    poverty_class: str
    total: int
    minority: int
    no_working_capacity: int
    merit: int
    other: int
    unknown: int = Field(..., description="in no known group, with a group flag not recorded")


class AssessmentOut(Schema):
    review_year: int
    standard: str
    standard_version: str
    as_of: dt.date
    poverty_class: str
    indicators: str = Field(..., description="one letter per indicator: D, N or U (unknown)")
    deprived_count: int
    unknown_count: int
    needs_review: bool
    income_per_person: int | None
    income_method: str
    is_current: bool
    confirmed_at: dt.datetime | None


class ReviewOut(Schema):
    id: int
    commune: str
    review_year: int
    kind: str
    step: str
    opened_on: dt.date
    decide_by: dt.date
    posting_started: dt.date | None
    posting_ends: dt.date | None
    decision_number: str


@router.get("/years", response=list[int], summary="Review years with assessments in your area")
def years(request: HttpRequest):
    rows = queries.assessments_for(request.auth).values_list("review_year", flat=True)
    return sorted(set(rows.distinct().order_by()), reverse=True)


@router.get(
    "/reports/results", response=list[ResultRow], summary="Review results per commune, with total"
)
def results(request: HttpRequest, q: Query[YearQuery]):
    return [
        {"commune": r["unit"], **r}
        for r in queries.results_by_commune(request.auth, q.year, q.basis)
    ]


@router.get(
    "/reports/movement",
    response=list[MovementRow],
    summary="Movement of poor (or near-poor) households between two years, per commune",
)
def movement(request: HttpRequest, q: Query[MovementQuery]):
    if q.before >= q.after:
        raise HttpError(422, "before must be an earlier review year than after")
    rows = queries.movement_by_commune(
        request.auth, q.before, q.after, q.basis, klass=q.poverty_class
    )
    return [{"commune": name, "columns": m.columns(), "balanced": m.balanced} for name, m in rows]


@router.get(
    "/reports/deprivations",
    response=list[DeprivationTable],
    summary="Deprivations per indicator of poor and near-poor households",
)
def deprivations(request: HttpRequest, q: Query[YearQuery]):
    return [
        {**t, "poverty_class": str(t["class"])}
        for t in queries.deprivations(request.auth, q.year, q.basis)
    ]


@router.get(
    "/reports/groups", response=list[GroupRow], summary="Poor and near-poor households by group"
)
def groups(request: HttpRequest, q: Query[YearQuery]):
    return [
        {**g, "poverty_class": str(g["class"])}
        for g in queries.groups(request.auth, q.year, q.basis)
    ]


@router.get(
    "/households/{household_id}/assessments",
    response=list[AssessmentOut],
    summary="A household's assessments, newest first (history kept)",
)
def household_assessments(request: HttpRequest, household_id: int):
    household = get_object_or_404(households_for(request.auth), pk=household_id)
    return list(queries.assessments_of(household)[:100])


@router.get("/reviews", response=list[ReviewOut], summary="Reviews of communes in your area")
def reviews(request: HttpRequest):
    fields = [f for f in ReviewOut.model_fields if f != "commune"]
    return [
        {**{f: getattr(r, f) for f in fields}, "commune": r.commune_id}
        for r in review_queries.reviews_for(request.auth)[:500]
    ]
