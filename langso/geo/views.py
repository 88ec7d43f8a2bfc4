"""Geography pages: the user's area, communes and their villages, imports, address conversion."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.accounts.roles import Capability
from langso.accounts.scope import area_of
from langso.geo import queries, services
from langso.geo.conversion import ConversionError, convert_old_address
from langso.geo.filters import CommuneFilter
from langso.geo.forms import AreaTypeForm, ConvertForm, VillageForm, VillageImportForm
from langso.jobs.services import job_area, job_start


@login_required
def areas(request: HttpRequest) -> HttpResponse:
    """Communes in the user's area, filterable; each with its number of villages."""
    filterset = CommuneFilter(
        request.GET or None, queryset=queries.communes_with_village_counts(request.user)
    )
    page = Paginator(filterset.qs.order_by("code"), 50).get_page(request.GET.get("page"))
    template = "geo/_commune_rows.html" if request.htmx else "geo/areas.html"
    return render(request, template, {"filter": filterset, "page": page})


@login_required
def commune_detail(request: HttpRequest, code: str) -> HttpResponse:
    commune = get_object_or_404(queries.communes_for(request.user), code=code)
    user = request.user
    form = VillageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            village = services.village_create(
                actor=user, commune_code=commune.code, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Đã thêm %(v)s.") % {"v": village})
            return redirect("geo:commune", code=commune.code)
    villages = queries.villages_for(user).filter(commune=commune).order_by("name")
    can_edit = user.can(Capability.EDIT_VILLAGES) and _writable(user, commune)
    return render(
        request,
        "geo/commune.html",
        {
            "commune": commune,
            "villages": villages,
            "form": form if can_edit else None,
            "area_form": AreaTypeForm(initial={"area_type": commune.area_type})
            if user.can(Capability.EDIT_UNITS) and _writable(user, commune)
            else None,
            "can_edit": can_edit,
        },
    )


def _writable(user, commune) -> bool:
    return area_of(user).covers(province=commune.province_id, commune=commune.code, village=None)


@login_required
@require_POST
def commune_area_type(request: HttpRequest, code: str) -> HttpResponse:
    form = AreaTypeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Khu vực không hợp lệ."))
        return redirect("geo:commune", code=code)
    try:
        services.commune_set_area_type(
            actor=request.user, commune_code=code, area_type=form.cleaned_data["area_type"]
        )
    except services.Commune.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Đã cập nhật khu vực."))
    return redirect("geo:commune", code=code)


@login_required
def village_edit(request: HttpRequest, village_id: int) -> HttpResponse:
    village = get_object_or_404(queries.villages_for(request.user), pk=village_id)
    if not request.user.can(Capability.EDIT_VILLAGES):
        raise PermissionDenied
    form = VillageForm(request.POST or None, initial={"name": village.name, "kind": village.kind})
    if request.method == "POST":
        if "delete" in request.POST:
            services.village_delete(actor=request.user, village_id=village.pk)
            messages.success(request, _("Đã xóa %(v)s.") % {"v": village})
            return redirect("geo:commune", code=village.commune_id)
        if form.is_valid():
            try:
                services.village_update(
                    actor=request.user, village_id=village.pk, **form.cleaned_data
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Đã lưu."))
                return redirect("geo:commune", code=village.commune_id)
    return render(request, "geo/village_edit.html", {"village": village, "form": form})


@login_required
def villages_import(request: HttpRequest) -> HttpResponse:
    """Upload a village list; it is checked and written by a background job."""
    if not request.user.can(Capability.EDIT_VILLAGES):
        raise PermissionDenied
    form = VillageImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_start(
            actor=request.user,
            kind="geo.import_villages",
            title=_("Nhập danh sách thôn từ %(f)s") % {"f": upload.name},
            params={"filename": upload.name},
            input_file=upload,
            **job_area(request.user),
        )
        return redirect("jobs:detail", job_id=job.pk)
    return render(request, "geo/villages_import.html", {"form": form})


@login_required
def villages_template(request: HttpRequest) -> HttpResponse:
    """The import template: Vietnamese headers and example rows from the user's own area."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-thon.csv"'
    response.write("\ufeff")  # so Excel opens it as UTF-8
    writer = csv.writer(response)
    writer.writerow(["Mã xã", "Tên xã", "Tên thôn", "Loại"])
    commune = queries.communes_for(request.user).first()
    code, name = (commune.code, commune.name) if commune else ("01273", "Phường Thục Phán")
    writer.writerow([code, name, "Nà Rị", "Thôn"])
    writer.writerow([code, name, "Tổ dân phố 5", "Tổ dân phố"])
    return response


@login_required
def convert(request: HttpRequest) -> HttpResponse:
    """Old address (before 1 July 2025) → current commune."""
    form = ConvertForm(request.GET or None)
    result = error = None
    if request.GET and form.is_valid():
        try:
            result = convert_old_address(**form.cleaned_data)
        except ConversionError as exc:
            error = str(exc)
    return render(request, "geo/convert.html", {"form": form, "result": result, "error": error})


@login_required
def village_options(request: HttpRequest) -> HttpResponse:
    """<option>s of the villages of one commune (for pickers that load them on demand)."""
    code = request.GET.get("commune", "")
    villages = queries.villages_for(request.user).filter(commune_id=code).order_by("name")
    return render(request, "geo/_village_options.html", {"villages": villages})
