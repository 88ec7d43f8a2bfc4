"""Indicators and the figures behind them, the same numbers as the dashboard, limited to the
caller's area."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from langso.reports import indicators, queries

router = Router()
Year = Annotated[int, Field(ge=2000, le=2100)]
CommuneCode = Annotated[str, Field(pattern=r"^\d{5}$")]


class IndicatorsIn(Schema):
    year: Year
    commune: CommuneCode | None = None


class IndicatorOut(Schema):
    code: str
    name_vi: str
    name_en: str
    group: str
    unit: str
    value: float | None
    previous: float | None
    change: float | None
    better: bool | None
    confirmed: bool
    definition: str


@router.get(
    "/indicators",
    response=list[IndicatorOut],
    summary="The catalogue's indicators for the area (or one commune) in a year",
)
def indicator_values(request: HttpRequest, params: Query[IndicatorsIn]):
    user = request.auth
    if params.commune and not queries.communes_for(user).filter(code=params.commune).exists():
        raise HttpError(404, "Not Found")
    now = queries.measures(user, params.year, params.commune)
    before = queries.measures(user, params.year - 1, params.commune)
    return [
        {
            "code": f.indicator.code,
            "name_vi": f.indicator.name_vi,
            "name_en": f.indicator.name_en,
            "group": f.indicator.group,
            "unit": f.indicator.unit,
            "value": f.value,
            "previous": f.before,
            "change": f.change.absolute,
            "better": f.change.better,
            "confirmed": f.indicator.confirmed,
            "definition": f.indicator.definition,
        }
        for f in queries.figures(now, before, "vi")
    ]


class FiguresIn(Schema):
    year: Year


@router.get(
    "/figures",
    summary="The counts (measures) of each commune of the area in a year",
    description="`{commune code: {measure: count or null}}`; measures: "
    + ", ".join(indicators.MEASURES),
)
def figures(request: HttpRequest, params: Query[FiguresIn]) -> dict:
    return queries.by_commune(request.auth, params.year)
