"""Geography endpoints: provinces, communes, villages, and old→new address conversion."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from langso.api.pagination import Page
from langso.geo import queries, services
from langso.geo.conversion import ConversionError, convert_address_text, convert_old_address
from langso.geo.filters import CommuneFilter, VillageFilter
from langso.geo.models import AreaType, CommuneKind, VillageKind

router = Router()


class ProvinceOut(Schema):
    code: str
    name: str
    short_name: str
    lat: float | None
    lon: float | None


class CommuneOut(Schema):
    code: str
    name: str
    short_name: str
    kind: CommuneKind
    area_type: AreaType
    area_type_overridden: bool
    province_code: str = Field(..., alias="province_id")
    lat: float | None
    lon: float | None


class VillageOut(Schema):
    id: int
    name: str
    kind: VillageKind
    commune_code: str = Field(..., alias="commune_id")


class VillageIn(Schema):
    commune_code: str = Field(..., min_length=5, max_length=5, pattern=r"^\d{5}$")
    name: str = Field(..., min_length=1, max_length=120)
    kind: VillageKind = VillageKind.THON


class VillagePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    kind: VillageKind | None = None


class CommuneQuery(Schema):
    q: str | None = None
    province: str | None = Field(None, pattern=r"^\d{2}$")
    kind: CommuneKind | None = None
    area_type: AreaType | None = None


class VillageQuery(Schema):
    q: str | None = None
    commune: str | None = Field(None, pattern=r"^\d{5}$")
    province: str | None = Field(None, pattern=r"^\d{2}$")
    kind: VillageKind | None = None


class ConvertQuery(Schema):
    province: str | None = None
    district: str | None = None
    commune: str | None = None
    address: str | None = Field(None, description="'commune, district, province' as one text")


class UnitRef(Schema):
    code: str
    name: str


class ConvertOut(Schema):
    legacy_commune: UnitRef | None
    legacy_district: UnitRef
    commune: CommuneOut
    province: ProvinceOut
    is_split: bool
    alternatives: list[UnitRef]


def _filtered(filterset_class, params: Schema, queryset):
    data = {k: v for k, v in params.dict().items() if v is not None}
    return filterset_class(data=data, queryset=queryset).qs


@router.get("/provinces", response=list[ProvinceOut], summary="Provinces in your area")
def list_provinces(request: HttpRequest):
    return queries.provinces_for(request.auth)


@router.get("/provinces/{code}", response=ProvinceOut)
def get_province(request: HttpRequest, code: str):
    return get_object_or_404(queries.provinces_for(request.auth), code=code)


@router.get("/communes", response=list[CommuneOut], summary="Communes in your area")
@paginate(Page)
def list_communes(request: HttpRequest, filters: Query[CommuneQuery]):
    return _filtered(CommuneFilter, filters, queries.communes_for(request.auth))


@router.get("/communes/{code}", response=CommuneOut)
def get_commune(request: HttpRequest, code: str):
    return get_object_or_404(queries.communes_for(request.auth), code=code)


@router.get("/villages", response=list[VillageOut], summary="Villages in your area")
@paginate(Page)
def list_villages(request: HttpRequest, filters: Query[VillageQuery]):
    return _filtered(VillageFilter, filters, queries.villages_for(request.auth))


@router.get("/villages/{village_id}", response=VillageOut)
def get_village(request: HttpRequest, village_id: int):
    return get_object_or_404(queries.villages_for(request.auth), pk=village_id)


@router.post("/villages", response={201: VillageOut})
def create_village(request: HttpRequest, payload: VillageIn):
    village = services.village_create(
        actor=request.auth, commune_code=payload.commune_code, name=payload.name, kind=payload.kind
    )
    return Status(201, village)


@router.patch("/villages/{village_id}", response=VillageOut)
def update_village(request: HttpRequest, village_id: int, payload: VillagePatch):
    current = get_object_or_404(queries.villages_for(request.auth), pk=village_id)
    return services.village_update(
        actor=request.auth,
        village_id=current.pk,
        name=payload.name if payload.name is not None else current.name,
        kind=payload.kind or current.kind,
    )


@router.delete("/villages/{village_id}", response={204: None})
def delete_village(request: HttpRequest, village_id: int):
    current = get_object_or_404(queries.villages_for(request.auth), pk=village_id)
    services.village_delete(actor=request.auth, village_id=current.pk)
    return Status(204, None)


@router.get(
    "/convert",
    response=ConvertOut,
    summary="Old address (before 1 July 2025) to the current commune",
    description="Give province, district and commune (names or codes), a legacy commune code "
    "alone, or `address` as 'commune, district, province'. Works offline.",
)
def convert(request: HttpRequest, params: Query[ConvertQuery]):
    try:
        if params.address:
            result = convert_address_text(params.address)
        else:
            result = convert_old_address(
                province=params.province or "",
                district=params.district or "",
                commune=params.commune or "",
            )
    except ConversionError as exc:
        raise HttpError(400, str(exc)) from None
    legacy = result.legacy_commune
    return {
        "legacy_commune": {"code": legacy.code, "name": legacy.name} if legacy else None,
        "legacy_district": {
            "code": result.legacy_district.code,
            "name": result.legacy_district.name,
        },
        "commune": result.commune,
        "province": result.commune.province,
        "is_split": result.is_split,
        "alternatives": [{"code": c.code, "name": c.name} for c in result.alternatives],
    }
