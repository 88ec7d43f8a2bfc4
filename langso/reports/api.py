"""Indicators and the figures behind them, the same numbers as the dashboard, limited to the
caller's area."""

from typing import Annotated, Literal

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
    sensitive: bool
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
            "sensitive": f.indicator.sensitive,
            "definition": f.indicator.definition,
        }
        for f in queries.figures(now, before, "vi", queries.indicators_for(user))
    ]


class FiguresIn(Schema):
    year: Year
    level: Literal["province", "commune", "village"] = "commune"
    commune: CommuneCode | None = None


@router.get(
    "/figures",
    summary="The counts (measures) of each unit of a level in the area in a year",
    description="`{unit code (a village: its id): {measure: count or null}}` for each province, "
    "commune or village of the caller's area (or of one commune); measures: "
    + ", ".join(indicators.MEASURES)
    + ". The ethnic-minority measures only for callers who may see ethnicity.",
)
def figures(request: HttpRequest, params: Query[FiguresIn]) -> dict:
    user = request.auth
    if params.level == "province":
        found = queries.by_province(user, params.year)
    elif params.level == "commune":
        found = queries.by_commune(user, params.year, params.commune)
    else:
        found = queries.by_village(user, params.year, params.commune)
    return {str(k): queries.visible(user, v) for k, v in found.items()}


class SeriesIn(Schema):
    indicator: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,60}$")]
    commune: CommuneCode | None = None


class PointOut(Schema):
    year: int
    value: float | None


@router.get(
    "/series",
    response=list[PointOut],
    summary="One indicator for the area (or one commune) in every year there are figures for",
)
def series(request: HttpRequest, params: Query[SeriesIn]):
    user = request.auth
    chosen = next((i for i in queries.indicators_for(user) if i.code == params.indicator), None)
    if chosen is None:
        raise HttpError(404, "Not Found")
    return [
        {"year": year, "value": indicators.value(chosen, counts)}
        for year, counts in sorted(queries.by_year(user, params.commune).items())
    ]
