"""Pages of the infrastructure registry: each commune's picture, base stations, coverage by
village, hotspots, subscriber figures, and imports of operators' and communes' files."""

from __future__ import annotations

import csv
import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from langso.accounts.roles import Capability
from langso.core.forms import apply_errors
from langso.core.paging import CappedPaginator
from langso.infra import queries
from langso.infra.forms import KINDS, CoverageForm, HotspotForm, ImportForm, StationForm
from langso.infra.import_rows import COLUMNS
from langso.infra.models import Level, Network, Operator
from langso.infra.services import base_station_save, coverage_set, hotspot_save
from langso.jobs.services import job_area, job_start

COMMUNE_CODE = re.compile(r"[0-9]{5}")


def _can_edit(user: Any) -> bool:
    return user.can(Capability.EDIT_INFRASTRUCTURE)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    rows = queries.overview(request.user)
    totals = {
        "stations": sum(r.stations for r in rows),
        "villages": sum(r.villages for r in rows),
        "hotspots": sum(r.hotspots for r in rows),
        "clusters": sum(r.clusters for r in rows),
        "boards": sum(r.boards for r in rows),
        "g4_full": sum(r.coverage.get("4g", {}).get("full", 0) for r in rows),
        "fibre_full": sum(r.coverage.get("fibre", {}).get("full", 0) for r in rows),
        "no_signal": sum(r.coverage.get("4g", {}).get("none", 0) for r in rows),
        "mobile": sum(r.subscribers.get("mobile", 0) for r in rows),
        "internet": sum(r.subscribers.get("internet", 0) for r in rows),
    }
    return render(
        request,
        "infra/overview.html",
        {"rows": rows, "totals": totals, "can_edit": _can_edit(request.user)},
    )


def _choices(user: Any) -> dict:
    communes = list(queries.writable_communes(user)[:500])
    villages = []
    if len(communes) <= 3:
        for c in communes:
            villages += list(queries.villages_of(user, c.code).select_related("commune"))
    return {"communes": communes, "villages": villages}


@login_required
def stations(request: HttpRequest) -> HttpResponse:
    found = queries.stations_for(request.user)
    commune = request.GET.get("commune", "")
    if commune:  # no commune has a code that is not five digits (nor a NUL byte, for PostgreSQL)
        found = (
            found.filter(commune_id=commune) if COMMUNE_CODE.fullmatch(commune) else found.none()
        )
    operator = request.GET.get("operator", "")
    if operator in Operator.values:
        found = found.filter(operator=operator)
    form = None
    if _can_edit(request.user):
        form = StationForm(request.POST or None, **_choices(request.user))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                base_station_save(
                    actor=request.user,
                    operator=data["operator"],
                    site_code=data["site_code"],
                    commune_code=data["commune"],
                    village_id=data["village"],
                    technologies=data["technologies"],
                    status=data["status"],
                    lat=data["lat"],
                    lon=data["lon"],
                    on_air_on=data["on_air_on"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu trạm."))
                return redirect("infra:stations")
    page = CappedPaginator(found.order_by("commune_id", "operator", "site_code"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "infra/stations.html",
        {
            "page": page,
            "form": form,
            "operators": Operator.choices,
            "operator": operator,
            "can_edit": form is not None,
        },
    )


@login_required
def coverage(request: HttpRequest, commune_code: str) -> HttpResponse:
    if not COMMUNE_CODE.fullmatch(commune_code):
        raise Http404
    commune = queries.communes_for(request.user).filter(code=commune_code).first()
    if commune is None:
        raise Http404
    editable = _can_edit(request.user) and queries.writable_communes(request.user).filter(
        code=commune_code
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = CoverageForm(request.POST)
        if form.is_valid():
            try:
                coverage_set(
                    actor=request.user,
                    village_id=form.cleaned_data["village"],
                    network=form.cleaned_data["network"],
                    level=form.cleaned_data["level"],
                    as_of=form.cleaned_data["as_of"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Đã cập nhật vùng phủ sóng."))
        return redirect("infra:coverage", commune_code)
    return render(
        request,
        "infra/coverage.html",
        {
            "commune": commune,
            "grid": queries.coverage_grid(request.user, commune_code),
            "networks": Network.choices,
            "levels": Level.choices,
            "editable": bool(editable),
            "can_edit": _can_edit(request.user),
            "today": dt.date.today(),
        },
    )


@login_required
def hotspots(request: HttpRequest) -> HttpResponse:
    found = queries.hotspots_for(request.user)
    form = None
    if _can_edit(request.user):
        form = HotspotForm(request.POST or None, **_choices(request.user))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                hotspot_save(
                    actor=request.user,
                    commune_code=data["commune"],
                    village_id=data["village"],
                    name=data["name"],
                    place=data["place"],
                    provider=data["provider"],
                    free=data["free"],
                    installed_on=data["installed_on"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu điểm wifi."))
                return redirect("infra:hotspots")
    page = CappedPaginator(found.order_by("commune_id", "name"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request, "infra/hotspots.html", {"page": page, "form": form, "can_edit": form is not None}
    )


@login_required
def subscribers(request: HttpRequest) -> HttpResponse:
    found = queries.subscribers_for(request.user).select_related("commune")
    periods = list(found.values_list("period_end", flat=True).distinct().order_by("-period_end"))
    try:  # a period typed into the address is shown only if it is one of the periods
        asked = dt.date.fromisoformat(request.GET.get("period", ""))
    except ValueError:
        asked = None
    chosen = (asked if asked in periods else periods[0]).isoformat() if periods else ""
    rows = (
        found.filter(period_end=chosen).order_by("commune_id", "kind", "operator") if chosen else []
    )
    return render(
        request,
        "infra/subscribers.html",
        {
            "rows": rows,
            "periods": periods,
            "chosen": chosen,
            "can_edit": _can_edit(request.user),
        },
    )


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    if not _can_edit(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        job = job_start(
            actor=request.user,
            kind="infra.import",
            title=_("Nhập %(what)s từ %(f)s") % {"what": dict(KINDS)[kind], "f": upload.name},
            params={"kind": kind, "filename": upload.name},
            input_file=upload,
            **job_area(request.user),
        )
        return redirect("jobs:detail", job_id=job.pk)
    return render(request, "infra/import.html", {"form": form, "kinds": KINDS, "can_edit": True})


EXAMPLES = {
    "stations": (
        ["Mã xã", "Thôn", "Nhà mạng", "Mã trạm", "2G", "3G", "4G", "5G", "Tình trạng", "Vĩ độ",
         "Kinh độ", "Ngày phát sóng"],
        ["01273", "Nà Rị", "Viettel", "CBG0123", "x", "x", "x", "", "Đang phát sóng", "22.66",
         "106.25", "15/03/2024"],
    ),
    "coverage": (
        ["Mã xã", "Thôn", "Mạng", "Mức phủ sóng", "Thời điểm", "Ghi chú"],
        ["01273", "Nà Rị", "4G", "Một phần", "30/06/2026", "Lõm sóng phía khe suối"],
    ),
    "subscribers": (
        ["Mã xã", "Cuối kỳ", "Nhà mạng", "Loại thuê bao", "Số thuê bao"],
        ["01273", "Q2/2026", "Viettel", "Di động", "8.412"],
    ),
    "hotspots": (
        ["Mã xã", "Thôn", "Tên điểm", "Nơi đặt", "Đơn vị cung cấp", "Miễn phí", "Ngày lắp đặt"],
        ["01273", "Nà Rị", "Wifi nhà văn hóa Nà Rị", "Nhà văn hóa", "VNPT", "x", "01/09/2025"],
    ),
}  # fmt: skip


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in COLUMNS:
        raise Http404
    header, example = EXAMPLES[kind]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mau-{kind}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerow(example)
    return response
