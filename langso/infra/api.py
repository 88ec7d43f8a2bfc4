"""Infrastructure endpoints: base stations, village coverage, hotspots, subscriber figures and
each commune's picture, limited to the caller's area like the pages."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from langso.api.pagination import Page
from langso.infra import queries
from langso.infra.models import Network, Operator

router = Router()


class StationOut(Schema):
    id: int
    operator: str
    site_code: str
    commune: str = Field(..., alias="commune_id")
    village: int | None = Field(None, alias="village_id")
    has_2g: bool
    has_3g: bool
    has_4g: bool
    has_5g: bool
    status: str
    lat: float | None
    lon: float | None
    on_air_on: dt.date | None


class CoverageOut(Schema):
    village: int = Field(..., alias="village_id")
    commune: str = Field(..., alias="commune_id")
    network: str
    level: str
    as_of: dt.date
    source: str


class HotspotOut(Schema):
    id: int
    commune: str = Field(..., alias="commune_id")
    village: int | None = Field(None, alias="village_id")
    name: str
    place: str
    provider: str
    free: bool
    active: bool


class SubscriberOut(Schema):
    commune: str = Field(..., alias="commune_id")
    period_end: dt.date
    operator: str
    kind: str
    count: int


class CommuneOut(Schema):
    commune: str
    name: str
    stations: int
    by_technology: dict[str, int]
    villages: int
    coverage: dict[str, dict[str, int]]
    hotspots: int
    clusters: int
    boards: int
    subscribers: dict[str, int]


class InCommune(Schema):
    commune: str | None = Field(None, pattern=r"^\d{5}$", description="commune code")


class StationQuery(InCommune):
    operator: Operator | None = None


class CoverageQuery(InCommune):
    network: Network | None = None


class SubscriberQuery(InCommune):
    period_end: dt.date | None = None


def _commune(found, query: InCommune):
    return found.filter(commune_id=query.commune) if query.commune else found


@router.get("/stations", response=list[StationOut], summary="Mobile base stations")
@paginate(Page)
def stations(request: HttpRequest, query: Query[StationQuery]):
    found = _commune(queries.stations_for(request.auth), query)
    if query.operator:
        found = found.filter(operator=query.operator)
    return found.order_by("commune_id", "operator", "site_code", "pk")


@router.get("/coverage", response=list[CoverageOut], summary="Coverage of villages by network")
@paginate(Page)
def coverage(request: HttpRequest, query: Query[CoverageQuery]):
    found = _commune(queries.coverage_for(request.auth), query)
    if query.network:
        found = found.filter(network=query.network)
    return found.order_by("commune_id", "village_id", "network")


@router.get("/hotspots", response=list[HotspotOut], summary="Public wifi hotspots")
@paginate(Page)
def hotspots(request: HttpRequest, query: Query[InCommune]):
    return _commune(queries.hotspots_for(request.auth), query).order_by("commune_id", "pk")


@router.get("/subscribers", response=list[SubscriberOut], summary="Subscriber figures")
@paginate(Page)
def subscribers(request: HttpRequest, query: Query[SubscriberQuery]):
    found = _commune(queries.subscribers_for(request.auth), query)
    if query.period_end:
        found = found.filter(period_end=query.period_end)
    return found.order_by("-period_end", "commune_id", "kind", "operator")


@router.get("/communes", response=list[CommuneOut], summary="Each commune's infrastructure")
def communes(request: HttpRequest):
    return [
        {
            "commune": r.commune.code,
            "name": r.commune.name,
            "stations": r.stations,
            "by_technology": r.by_tech,
            "villages": r.villages,
            "coverage": r.coverage,
            "hotspots": r.hotspots,
            "clusters": r.clusters,
            "boards": r.boards,
            "subscribers": r.subscribers,
        }
        for r in queries.overview(request.auth)
    ]
