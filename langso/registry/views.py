"""Registry pages: the household list and search, a household, its forms, exports, imports."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.accounts.roles import Capability
from langso.audit.models import Action
from langso.audit.queries import events_for
from langso.audit.services import record_read
from langso.core.forms import apply_errors
from langso.core.paging import CappedPaginator
from langso.geo.queries import communes_for, villages_for
from langso.jobs.services import job_area, job_start
from langso.registry import export, queries, services
from langso.registry.filters import HouseholdFilter
from langso.registry.forms import (
    ExportForm,
    HouseholdForm,
    HouseholdImportForm,
    LeaveForm,
    MemberForm,
    NewHouseholdForm,
    ObservationForm,
)
from langso.registry.import_start import households_import_start
from langso.registry.models import Member
from langso.registry.records import HOUSEHOLD_FACTS, MEMBER_FACTS, HouseholdRecord
from langso.registry.template import template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def households_import(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Capability.RUN_IMPORTS):
        raise PermissionDenied
    form = HouseholdImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = households_import_start(
            actor=request.user,
            upload=form.cleaned_data["file"],
            valid_only=form.cleaned_data["valid_only"],
        )
        return redirect("jobs:detail", job_id=job.pk)
    return render(request, "registry/import.html", {"form": form})


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    village = villages_for(request.user).order_by("commune_id", "name").first()
    response = HttpResponse(
        template_xlsx(village),
        content_type=XLSX,
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-ho-gia-dinh.xlsx"'
    return response


PAGE_SIZE = 50
LIST_COUNT_CAP = 10_000  # past this, the list says "more than 10,000" instead of counting


def _filterset(request: HttpRequest) -> HouseholdFilter:
    return HouseholdFilter(
        request.GET or None, queries.households_for(request.user), user=request.user
    )


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    """Search and filter the households of the user's area; export what is shown."""
    filterset = _filterset(request)
    households = (
        filterset.listing()
        if filterset.is_bound
        else queries.households_for(request.user)
        .filter(is_active=True)
        .order_by(*queries.LIST_ORDER)
    )
    page = CappedPaginator(households, PAGE_SIZE, cap=LIST_COUNT_CAP).get_page(
        request.GET.get("page")
    )
    rows = queries.with_heads(list(page.object_list))
    user = request.user
    context = {
        "filter": filterset,
        "page": page,
        "rows": rows,
        "communes": communes_for(user).order_by("name") if _many_communes(user) else None,
        "villages": queries.villages_of_filter(user, request.GET.get("commune", "")),
        "export_form": ExportForm(),
        "query": request.GET.urlencode(),
        "can_edit": user.can(Capability.EDIT_HOUSEHOLDS),
        "can_import": user.can(Capability.RUN_IMPORTS),
        "sensitive": user.can(Capability.VIEW_SENSITIVE),
    }
    template = "registry/_household_rows.html" if request.htmx else "registry/list.html"
    return render(request, template, context)


def _many_communes(user) -> bool:
    return communes_for(user).count() > 1


@login_required
def household_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV or XLSX: at once when small, as a background job when large."""
    form = ExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Chọn loại danh sách và định dạng."))
        return redirect(f"{reverse('registry:list')}?{_filters_only(request)}")
    kind, file_format = form.cleaned_data["kind"], form.cleaned_data["format"]
    full_id = form.cleaned_data["full_id"] and request.user.can(Capability.VIEW_SENSITIVE)
    filters = {k: v for k, v in request.GET.items() if k in HouseholdFilter.base_filters}
    households = HouseholdFilter(
        filters, queries.households_for(request.user), user=request.user
    ).qs
    if export.count_rows(households, kind) > export.IMMEDIATE_LIMIT:
        job = job_start(
            actor=request.user,
            kind="registry.export_households",
            title=_("Xuất danh sách hộ (%(n)s)") % {"n": file_format.upper()},
            params={"kind": kind, "format": file_format, "full_id": full_id, "filters": filters},
            **job_area(request.user),
        )
        return redirect("jobs:detail", job_id=job.pk)
    table = export.build(households, user=request.user, kind=kind, full_id=full_id)
    name = f"danh-sach-{'nhan-khau' if kind == 'people' else 'ho'}-{timezone.localdate():%Y%m%d}"
    if file_format == "xlsx":
        out = io.BytesIO()
        rows = export.write_xlsx(table, out, sheet=kind)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        text = io.StringIO()
        rows = export.write_csv(table, text)
        response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    export.log_export(user=request.user, table=table, rows=rows, kind=kind)
    return response


def _filters_only(request: HttpRequest) -> str:
    params = request.GET.copy()
    for key in ("kind", "format", "full_id"):
        params.pop(key, None)
    return params.urlencode()


@login_required
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    """A household: where it lives, its members, its digital profile and how it changed."""
    household = get_object_or_404(queries.households_for(request.user), pk=household_id)
    user = request.user
    sensitive = user.can(Capability.VIEW_SENSITIVE)
    members = list(queries.members_of(household))
    if sensitive and members:
        record_read(
            actor=user,
            obj=household,
            fields=[f for f in Member.sensitive_fields],
            count=len(members),
            message="xem trang hộ",
        )
    can_edit = user.can(Capability.EDIT_HOUSEHOLDS) and queries.writable(user, household)
    return render(
        request,
        "registry/detail.html",
        {
            "household": household,
            "members": members,
            "former_members": queries.former_members_of(household),
            "sensitive": sensitive,
            "profile": queries.profile_rows(household),
            "observations": queries.observations_of(household)[:30],
            "history": events_for(user)
            .filter(
                Q(object_type="registry.household", object_id=str(household.pk))
                | Q(object_type="registry.member", object_id__in=[str(m.pk) for m in members])
            )
            .exclude(action=Action.READ)[:20],
            "can_edit": can_edit,
            "can_observe": user.can(Capability.RECORD_OBSERVATIONS),
            "leave_form": LeaveForm(),
        },
    )


@login_required
def household_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.can(Capability.EDIT_HOUSEHOLDS):
        raise PermissionDenied
    villages = queries.writable_villages(user)
    sensitive = user.can(Capability.VIEW_SENSITIVE)
    form = NewHouseholdForm(request.POST or None, villages=villages, sensitive=sensitive)
    if request.method == "POST" and form.is_valid():
        record = HouseholdRecord(
            village_id=form.cleaned_data["village"].pk,
            members=[form.head()],
            address=form.cleaned_data["address"],
            facts=form.facts(),
        )
        try:
            household = services.household_create(actor=user, record=record)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Đã tạo hộ %(c)s. Thêm các thành viên khác.") % {"c": household.code}
            )
            return redirect("registry:detail", household_id=household.pk)
    return render(request, "registry/household_form.html", {"form": form, "new": True})


@login_required
def household_edit(request: HttpRequest, household_id: int) -> HttpResponse:
    user = request.user
    household = get_object_or_404(queries.households_for(user), pk=household_id)
    if not (user.can(Capability.EDIT_HOUSEHOLDS) and queries.writable(user, household)):
        raise PermissionDenied
    initial = {name: getattr(household, name) for name in (*HOUSEHOLD_FACTS, "address")}
    initial["village"] = household.village_id
    form = HouseholdForm(
        request.POST or None, initial=initial, villages=queries.writable_villages(user)
    )
    if request.method == "POST" and form.is_valid():
        changes = {
            "village_id": form.cleaned_data["village"].pk,
            "address": form.cleaned_data["address"],
        }
        changes |= form.facts()
        try:
            services.household_update(actor=user, household_id=household.pk, changes=changes)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("registry:detail", household_id=household.pk)
    return render(request, "registry/household_form.html", {"form": form, "household": household})


def _member_initial(member: Member) -> dict:
    initial = {
        name: getattr(member, name)
        for name in (
            "full_name",
            "sex",
            "birth_date",
            "birth_year",
            "relationship",
            "ethnicity",
            "phone",
            *MEMBER_FACTS,
        )
    }
    return initial


@login_required
def member_form(
    request: HttpRequest, household_id: int, member_id: int | None = None
) -> HttpResponse:
    """Add a member to a household, or correct one."""
    user = request.user
    household = get_object_or_404(queries.households_for(user), pk=household_id)
    if not (user.can(Capability.EDIT_HOUSEHOLDS) and queries.writable(user, household)):
        raise PermissionDenied
    member = None
    if member_id is not None:
        member = get_object_or_404(queries.members_of(household), pk=member_id)
    sensitive = user.can(Capability.VIEW_SENSITIVE)
    form = MemberForm(
        request.POST or None,
        initial=_member_initial(member) if member else {"relationship": "child"},
        sensitive=sensitive,
    )
    if request.method == "POST" and form.is_valid():
        record = form.record()
        try:
            if member is None:
                services.member_add(actor=user, household_id=household.pk, record=record)
            else:
                if not sensitive:  # fields they cannot see stay as they are
                    for name in ("ethnicity",):
                        setattr(record, name, getattr(member, name))
                services.member_update(actor=user, member_id=member.pk, record=record)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu %(n)s.") % {"n": record.full_name})
            return redirect("registry:detail", household_id=household.pk)
    return render(
        request,
        "registry/member_form.html",
        {"form": form, "household": household, "member": member, "sensitive": sensitive},
    )


@login_required
@require_POST
def member_leave(request: HttpRequest, household_id: int, member_id: int) -> HttpResponse:
    household = get_object_or_404(queries.households_for(request.user), pk=household_id)
    member = get_object_or_404(queries.members_of(household), pk=member_id)
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            services.member_leave(
                actor=request.user, member_id=member.pk, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(n)s đã rời hộ.") % {"n": member.full_name})
    return redirect("registry:detail", household_id=household.pk)


@login_required
@require_POST
def head_change(request: HttpRequest, household_id: int, member_id: int) -> HttpResponse:
    household = get_object_or_404(queries.households_for(request.user), pk=household_id)
    member = get_object_or_404(queries.members_of(household), pk=member_id)
    try:
        services.head_change(actor=request.user, household_id=household.pk, new_head_id=member.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s là chủ hộ mới.") % {"n": member.full_name})
    return redirect("registry:detail", household_id=household.pk)


@login_required
def observation_new(request: HttpRequest, household_id: int) -> HttpResponse:
    """Record what a household (or one member) has and does today: devices, accounts, use."""
    user = request.user
    household = get_object_or_404(queries.households_for(user), pk=household_id)
    if not user.can(Capability.RECORD_OBSERVATIONS):
        raise PermissionDenied
    members = list(queries.members_of(household))
    form = ObservationForm(
        request.POST or None,
        members=members,
        initial={"observed_on": timezone.localdate(), "source": "visit"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.digital_observe(
                actor=user,
                household_id=household.pk,
                observed_on=form.cleaned_data["observed_on"],
                source=form.cleaned_data["source"],
                member_id=form.cleaned_data["member"],
                facts=form.facts(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận."))
            return redirect("registry:detail", household_id=household.pk)
    return render(request, "registry/observation_form.html", {"form": form, "household": household})
