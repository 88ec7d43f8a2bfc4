"""Household registry endpoints: households, members, digital observations, imports.

Reads start from the caller's area (``queries.*_for``); a household or member outside it answers
404, like a missing one. Writes go through ``registry.services``, which check the role and the
area and raise the errors that ``api.errors`` turns into JSON.

Sensitive personal data (a member's ethnicity, ID number, undernourishment, disability and
chronic illness, and the household's minority flag) is shown only to roles that may see it;
for everyone else those keys are present and null. The ID number is only ever shown masked
(its last four digits). Every answer that shows sensitive data is logged as a read.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any, Literal

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import ValidationError as InputError
from ninja.pagination import paginate

from langso.accounts.roles import Capability
from langso.api.pagination import Page
from langso.audit.services import record_read
from langso.geo.models import AreaType
from langso.geo.names import clean
from langso.registry import queries, services
from langso.registry.cccd import mask
from langso.registry.filters import HouseholdFilter
from langso.registry.forms import HouseholdImportForm
from langso.registry.import_start import households_import_start
from langso.registry.models import (
    DigitalProfile,
    Durability,
    Education,
    Household,
    Latrine,
    Member,
    ObservationSource,
    Relationship,
    Sex,
    WaterSource,
    WorkStatus,
)
from langso.registry.records import DIGITAL_FIELDS, MEMBER_FACTS, HouseholdRecord, MemberRecord

router = Router()

MEMBER_SENSITIVE = Member.sensitive_fields  # ethnicity, id_number_last4, health facts
HOUSEHOLD_SENSITIVE = ("is_ethnic_minority",)
# Service field names that the API's bodies spell differently.
_BODY_NAMES = {"village": "village_id", "member": "member_id"}
INT_MAX = 2**31 - 1

DigitalField = StrEnum("DigitalField", {name: name for name in DIGITAL_FIELDS})


def _sensitive(user: Any) -> bool:
    return user is not None and user.can(Capability.VIEW_SENSITIVE)


def _shown(context: dict | None) -> bool:
    """In a resolver: may the caller of this request see sensitive data?"""
    request = (context or {}).get("request")
    return _sensitive(getattr(request, "auth", None))


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


@contextmanager
def _body_fields() -> Iterator[None]:
    """Name the fields of a service's ValidationError as the request body names them."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {_BODY_NAMES.get(name, name): msgs for name, msgs in exc.message_dict.items()}
        ) from None


# ---------------------------------------------------------------------------------------------
# Schemas


class DigitalFacts(Schema):
    """What an observation records (null: not observed); ITU household and individual ICT."""

    has_smartphone: bool | None = None
    has_feature_phone: bool | None = None
    has_computer: bool | None = None
    has_tv: bool | None = None
    has_radio: bool | None = None
    has_mobile_data: bool | None = None
    has_fixed_broadband: bool | None = None
    hears_loudspeaker: bool | None = None
    uses_internet: bool | None = None
    vneid_level: int | None = Field(None, description="0, 1 or 2")
    has_bank_or_ewallet: bool | None = None
    pays_cashless: bool | None = None
    uses_messaging: bool | None = None
    uses_online_public_services: bool | None = None
    buys_online: bool | None = None
    sells_online: bool | None = None


class ProfileOut(DigitalFacts):
    """The household's current digital profile; all null if it was never observed."""

    observed_on: dt.date | None = None


class ObservationOut(DigitalFacts):
    id: int
    member_id: int | None
    observed_on: dt.date
    source: ObservationSource
    recorded_by: str | None = Field(None, description="username of who recorded it")
    recorded_at: dt.datetime

    @staticmethod
    def resolve_recorded_by(obj: Any) -> str | None:
        return obj.recorded_by.username if obj.recorded_by_id else None


class ObservationIn(DigitalFacts):
    observed_on: dt.date
    source: ObservationSource
    member_id: int | None = Field(None, description="a member of the household, for their use")


class MemberOut(Schema):
    id: int
    household_id: int
    full_name: str
    sex: str
    birth_year: int
    birth_date: dt.date | None
    relationship: str
    phone: str
    work_status: str
    has_health_insurance: bool | None
    education: str
    in_school: bool | None
    school_level_fits_age: bool | None
    receives_social_allowance: bool | None
    is_active: bool
    # sensitive: null for roles that may not see them
    ethnicity: str | None = Field(None, description="code 01–54 (sensitive)")
    id_number: str | None = Field(None, description="masked, last 4 digits only (sensitive)")
    undernourished: bool | None = Field(None, description="sensitive")
    has_disability: bool | None = Field(None, description="sensitive")
    has_chronic_illness: bool | None = Field(None, description="sensitive")

    @staticmethod
    def resolve_ethnicity(obj: Member, context: dict) -> str | None:
        return obj.ethnicity if _shown(context) else None

    @staticmethod
    def resolve_id_number(obj: Member, context: dict) -> str | None:
        if not _shown(context) or not obj.id_number_last4:
            return None
        return mask("0" * 8 + obj.id_number_last4)  # only the last four digits are read

    @staticmethod
    def resolve_undernourished(obj: Member, context: dict) -> bool | None:
        return obj.undernourished if _shown(context) else None

    @staticmethod
    def resolve_has_disability(obj: Member, context: dict) -> bool | None:
        return obj.has_disability if _shown(context) else None

    @staticmethod
    def resolve_has_chronic_illness(obj: Member, context: dict) -> bool | None:
        return obj.has_chronic_illness if _shown(context) else None


class HouseholdOut(Schema):
    id: int
    code: str
    commune_code: str = Field(..., alias="commune_id")
    village_id: int
    address: str
    area_type: AreaType
    area_type_override: str
    wall: str
    column: str
    roof: str
    floor_area_m2: float | None
    water_source: str
    latrine: str
    income_per_person: int | None
    is_person_of_merit: bool | None
    no_working_capacity: bool | None
    is_ethnic_minority: bool | None = Field(None, description="sensitive")
    member_count: int
    is_active: bool
    merged_into_id: int | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_is_ethnic_minority(obj: Household, context: dict) -> bool | None:
        return obj.is_ethnic_minority if _shown(context) else None


class HouseholdDetailOut(HouseholdOut):
    members: list[MemberOut] = Field(..., description="active members, the head first")
    digital_profile: ProfileOut

    @staticmethod
    def resolve_members(obj: Household) -> list[Member]:
        return obj.api_members

    @staticmethod
    def resolve_digital_profile(obj: Household) -> DigitalProfile:
        return _profile(obj)


# Choice fields accept their code, "" or null (both: unknown).
DurabilityIn = Durability | Literal[""] | None
WaterSourceIn = WaterSource | Literal[""] | None
LatrineIn = Latrine | Literal[""] | None
AreaTypeIn = AreaType | Literal[""] | None
WorkStatusIn = WorkStatus | Literal[""] | None
EducationIn = Education | Literal[""] | None
_CHOICE_FACTS = {
    "wall",
    "column",
    "roof",
    "water_source",
    "latrine",
    "area_type_override",
    "work_status",
    "education",
}


class HouseholdFactsIn(Schema):
    wall: DurabilityIn = None
    column: DurabilityIn = None
    roof: DurabilityIn = None
    floor_area_m2: Decimal | None = Field(None, max_digits=7, decimal_places=1)
    water_source: WaterSourceIn = None
    latrine: LatrineIn = None
    income_per_person: int | None = Field(None, le=INT_MAX, description="đồng/người/tháng")
    is_person_of_merit: bool | None = None
    no_working_capacity: bool | None = None
    area_type_override: AreaTypeIn = None


class MemberFactsIn(Schema):
    work_status: WorkStatusIn = None
    has_health_insurance: bool | None = None
    education: EducationIn = None
    in_school: bool | None = None
    school_level_fits_age: bool | None = None
    undernourished: bool | None = None
    has_disability: bool | None = None
    has_chronic_illness: bool | None = None
    receives_social_allowance: bool | None = None


class MemberIn(MemberFactsIn):
    full_name: str = Field(..., max_length=120)
    sex: Sex
    birth_year: int | None = Field(None, description="may be left out when birth_date is given")
    birth_date: dt.date | None = None
    relationship: Relationship
    ethnicity: str = Field("", max_length=40, description="code 01–54 or a name (Tày, Mông…)")
    id_number: str = Field("", max_length=20, description="CCCD, 12 digits")
    phone: str = Field("", max_length=20)


class MemberPatch(MemberFactsIn):
    """Only the fields sent change; an empty or missing id_number keeps the stored one."""

    full_name: str | None = Field(None, max_length=120)
    sex: Sex | None = None
    birth_year: int | None = None
    birth_date: dt.date | None = None
    relationship: Relationship | None = None
    ethnicity: str | None = Field(None, max_length=40)
    id_number: str | None = Field(None, max_length=20)
    phone: str | None = Field(None, max_length=20)


class HouseholdIn(HouseholdFactsIn):
    village_id: int
    code: str = Field("", max_length=40, description="left empty: the next code of the commune")
    address: str = Field("", max_length=200)
    members: list[MemberIn] = Field(..., max_length=100, description="exactly one head")


class HouseholdPatch(HouseholdFactsIn):
    """Only the fields sent change."""

    village_id: int | None = None
    address: str | None = Field(None, max_length=200)


class HeadIn(Schema):
    member_id: int


class LeaveIn(Schema):
    reason: Literal["moved", "died"]


class HouseholdQuery(Schema):
    q: str | None = Field(
        None, max_length=100, description="name (without marks), household code or CCCD"
    )
    commune: str | None = Field(None, pattern=r"^\d{5}$")
    village: int | None = Field(None, ge=1, le=2**63 - 1)
    minority: bool | None = Field(None, description="sensitive filter")
    ethnicity: str | None = Field(None, pattern=r"^\d{2}$", description="sensitive filter")
    digital: DigitalField | None = None
    digital_value: Literal["yes", "no", "unknown"] | None = None
    inactive: bool | None = Field(None, description="include moved-away and merged households")


class ImportStarted(Schema):
    job_id: int
    status: str
    status_url: str = Field(..., description="the job in the API: progress, result, errors")
    page_url: str = Field(..., description="the job's page in the app")


# ---------------------------------------------------------------------------------------------
# Helpers


def _profile(household: Household) -> DigitalProfile:
    try:
        return household.digital_profile
    except ObjectDoesNotExist:
        return DigitalProfile(household_id=household.pk)  # unsaved: every field null


def _active_members(user: Any, household: Household) -> list[Member]:
    members = queries.members_for(user).filter(household=household, is_active=True)
    return sorted(members, key=lambda m: (m.relationship != "head", m.birth_year, m.pk))


def _detail(request: HttpRequest, household_id: int, *, message: str) -> Household:
    """A household with its members for a detail answer, logging the sensitive read."""
    household = get_object_or_404(
        queries.households_for(request.auth).select_related("digital_profile"), pk=household_id
    )
    household.api_members = _active_members(request.auth, household)
    if _sensitive(request.auth):
        fields = HOUSEHOLD_SENSITIVE + (MEMBER_SENSITIVE if household.api_members else ())
        record_read(
            actor=request.auth,
            obj=household,
            fields=fields,
            count=len(household.api_members),
            message=message,
        )
    return household


def _household(request: HttpRequest, household_id: int, *, message: str) -> Household:
    household = get_object_or_404(queries.households_for(request.auth), pk=household_id)
    if _sensitive(request.auth):
        record_read(
            actor=request.auth,
            obj=household,
            fields=HOUSEHOLD_SENSITIVE,
            count=household.member_count,
            message=message,
        )
    return household


def _member(request: HttpRequest, member_id: int, *, message: str) -> Member:
    member = get_object_or_404(queries.members_for(request.auth), pk=member_id)
    if _sensitive(request.auth):
        record_read(actor=request.auth, obj=member, fields=MEMBER_SENSITIVE, message=message)
    return member


def _facts(sent: dict[str, Any], names: tuple[str, ...] | set[str]) -> dict[str, Any]:
    """The facts among the sent fields, as the model stores them (a choice unknown is "")."""
    out = {}
    for name in names:
        if name in sent:
            value = _plain(sent[name])
            out[name] = "" if value is None and name in _CHOICE_FACTS else value
    return out


def _member_record(m: MemberIn) -> MemberRecord:
    return MemberRecord(
        full_name=m.full_name,
        sex=_plain(m.sex),
        birth_year=m.birth_year,
        relationship=_plain(m.relationship),
        birth_date=m.birth_date,
        ethnicity=m.ethnicity.strip(),
        id_number=m.id_number.strip(),
        phone=clean(m.phone),
        facts=_facts(m.dict(), MEMBER_FACTS),
    )


class HouseholdPage(Page):
    """A page of households; showing the minority flag to those who may see it is logged."""

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = households = list(page["items"])
        if households and _sensitive(request.auth):
            record_read(
                actor=request.auth,
                object_type="registry.household",
                fields=HOUSEHOLD_SENSITIVE,
                count=sum(h.member_count for h in households),
                message=f"API: danh sách hộ ({len(households)} hộ)",
            )
        return page


# ---------------------------------------------------------------------------------------------
# Households


@router.get("", response=list[HouseholdOut], summary="Households in your area")
@paginate(HouseholdPage)
def list_households(request: HttpRequest, filters: Query[HouseholdQuery]):
    data = {k: _plain(v) for k, v in filters.dict().items() if v is not None}
    if not _sensitive(request.auth) and set(data) & set(HouseholdFilter.SENSITIVE):
        raise PermissionDenied
    if "q" in data:
        data["q"] = clean(data["q"])
    filterset = HouseholdFilter(data, queries.households_for(request.auth), user=request.auth)
    if not filterset.is_valid():
        raise InputError(
            [
                {"loc": ["query", name], "msg": " ".join(errors), "type": "value_error"}
                for name, errors in filterset.errors.items()
            ]
        )
    return filterset.qs.order_by(*queries.LIST_ORDER)


@router.post("", response={201: HouseholdDetailOut}, summary="Register a household")
def create_household(request: HttpRequest, payload: HouseholdIn):
    record = HouseholdRecord(
        village_id=payload.village_id,
        members=[_member_record(m) for m in payload.members],
        code=clean(payload.code),
        address=payload.address,
        facts=_facts(payload.dict(), services.HOUSEHOLD_FACTS),
    )
    with _body_fields():
        household = services.household_create(actor=request.auth, record=record)
    return Status(201, _detail(request, household.pk, message="API: tạo hộ"))


@router.post(
    "/import",
    response={202: ImportStarted},
    summary="Import households from a file (background job)",
    description="The household template (.xlsx or .csv, see /households/import/template.xlsx). "
    "With `valid_only`, households without errors are imported and the others reported. "
    "Follow the job at `status_url`.",
)
def import_households(
    request: HttpRequest, file: File[UploadedFile], valid_only: Form[bool] = False
):
    if not request.auth.can(Capability.RUN_IMPORTS):
        raise PermissionDenied
    form = HouseholdImportForm(data={"valid_only": valid_only}, files={"file": file})
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    job = households_import_start(
        actor=request.auth,
        upload=form.cleaned_data["file"],
        valid_only=form.cleaned_data["valid_only"],
    )
    return Status(
        202,
        {
            "job_id": job.pk,
            "status": job.status,
            "status_url": reverse("api:get_job", kwargs={"job_id": job.pk}),
            "page_url": reverse("jobs:detail", kwargs={"job_id": job.pk}),
        },
    )


@router.get(
    "/{household_id}",
    response=HouseholdDetailOut,
    summary="One household with its members and current digital profile",
)
def get_household(request: HttpRequest, household_id: int):
    return _detail(request, household_id, message="API: xem hộ")


@router.patch("/{household_id}", response=HouseholdOut, summary="Change a household")
def update_household(request: HttpRequest, household_id: int, payload: HouseholdPatch):
    current = get_object_or_404(queries.households_for(request.auth), pk=household_id)
    sent = payload.dict(exclude_unset=True)
    changes = _facts(sent, services.HOUSEHOLD_FACTS)
    if "address" in sent:
        changes["address"] = sent["address"] or ""
    if "village_id" in sent:
        if sent["village_id"] is None:
            raise ValidationError({"village_id": ["thiếu thôn"]})
        changes["village_id"] = sent["village_id"]
    with _body_fields():
        services.household_update(actor=request.auth, household_id=current.pk, changes=changes)
    return _household(request, current.pk, message="API: sửa hộ")


@router.post("/{household_id}/head", response=HouseholdDetailOut, summary="Change the head")
def change_head(request: HttpRequest, household_id: int, payload: HeadIn):
    current = get_object_or_404(queries.households_for(request.auth), pk=household_id)
    with _body_fields():
        services.head_change(
            actor=request.auth, household_id=current.pk, new_head_id=payload.member_id
        )
    return _detail(request, current.pk, message="API: đổi chủ hộ")


# ---------------------------------------------------------------------------------------------
# Members


@router.post(
    "/{household_id}/members", response={201: MemberOut}, summary="Add a member to a household"
)
def add_member(request: HttpRequest, household_id: int, payload: MemberIn):
    current = get_object_or_404(queries.households_for(request.auth), pk=household_id)
    with _body_fields():
        member = services.member_add(
            actor=request.auth, household_id=current.pk, record=_member_record(payload)
        )
    return Status(201, _member(request, member.pk, message="API: thêm thành viên"))


@router.patch("/members/{member_id}", response=MemberOut, summary="Correct a member's details")
def update_member(request: HttpRequest, member_id: int, payload: MemberPatch):
    member = get_object_or_404(queries.members_for(request.auth), pk=member_id, is_active=True)
    sent = payload.dict(exclude_unset=True)

    def given(name: str) -> Any:
        """The sent value, or the stored one when the field was left out or null."""
        value = sent.get(name)
        return _plain(value) if value is not None else getattr(member, name)

    birth_year = given("birth_year")
    if sent.get("birth_date") is not None and sent.get("birth_year") is None:
        birth_year = None  # follows the new date of birth
    record = MemberRecord(
        full_name=given("full_name"),
        sex=given("sex"),
        birth_year=birth_year,
        relationship=given("relationship"),
        birth_date=sent.get("birth_date", member.birth_date),
        ethnicity=(sent["ethnicity"] or "").strip() if "ethnicity" in sent else member.ethnicity,
        id_number=(sent.get("id_number") or "").strip(),  # empty: keep the stored number
        phone=clean(sent["phone"] or "") if "phone" in sent else member.phone,
        facts=_facts(sent, MEMBER_FACTS),
    )
    with _body_fields():
        services.member_update(actor=request.auth, member_id=member.pk, record=record)
    return _member(request, member.pk, message="API: sửa thành viên")


@router.post(
    "/members/{member_id}/leave",
    response=MemberOut,
    summary="A member moved away or died (kept for history)",
)
def leave_member(request: HttpRequest, member_id: int, payload: LeaveIn):
    member = get_object_or_404(queries.members_for(request.auth), pk=member_id, is_active=True)
    with _body_fields():
        services.member_leave(actor=request.auth, member_id=member.pk, reason=payload.reason)
    return _member(request, member.pk, message="API: thành viên rời hộ")


# ---------------------------------------------------------------------------------------------
# Digital profile and observations


@router.get(
    "/{household_id}/digital-profile",
    response=ProfileOut,
    summary="The household's current digital profile (latest value of each field)",
)
def get_digital_profile(request: HttpRequest, household_id: int):
    household = get_object_or_404(
        queries.households_for(request.auth).select_related("digital_profile"), pk=household_id
    )
    return _profile(household)


@router.get(
    "/{household_id}/digital-observations",
    response=list[ObservationOut],
    summary="Every observation of a household, newest first",
)
@paginate(Page)
def list_observations(request: HttpRequest, household_id: int):
    household = get_object_or_404(queries.households_for(request.auth), pk=household_id)
    return (
        queries.observations_for(request.auth)
        .filter(household=household)
        .order_by("-observed_on", "-recorded_at", "-id")
    )


@router.post(
    "/{household_id}/digital-observations",
    response={201: ObservationOut},
    summary="Record what a household (or one member) has and does, on a date",
)
def create_observation(request: HttpRequest, household_id: int, payload: ObservationIn):
    household = get_object_or_404(queries.households_for(request.auth), pk=household_id)
    facts = {
        name: _plain(getattr(payload, name))
        for name in DIGITAL_FIELDS
        if getattr(payload, name) is not None
    }
    with _body_fields():
        observation = services.digital_observe(
            actor=request.auth,
            household_id=household.pk,
            observed_on=payload.observed_on,
            source=_plain(payload.source),
            facts=facts,
            member_id=payload.member_id,
        )
    return Status(201, observation)
