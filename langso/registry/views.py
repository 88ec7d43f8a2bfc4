"""Registry pages: importing households."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from langso.accounts.roles import Capability
from langso.accounts.scope import area_of
from langso.geo.queries import villages_for
from langso.jobs.services import job_start
from langso.registry.forms import HouseholdImportForm
from langso.registry.template import template_xlsx


@login_required
def households_import(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Capability.RUN_IMPORTS):
        raise PermissionDenied
    form = HouseholdImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        area = area_of(request.user)
        commune = next(iter(area.communes)) if len(area.communes) == 1 else ""
        province = next(iter(area.provinces)) if len(area.provinces) == 1 else ""
        if commune and not province:
            province = (
                villages_for(request.user)
                .filter(commune_id=commune)
                .values_list("commune__province_id", flat=True)
                .first()
                or ""
            )
        job = job_start(
            actor=request.user,
            kind="registry.import_households",
            title=_("Nhập hộ gia đình từ %(f)s") % {"f": upload.name},
            params={"filename": upload.name, "valid_only": form.cleaned_data["valid_only"]},
            input_file=upload,
            province_code=province,
            commune_code=commune,
        )
        return redirect("jobs:detail", job_id=job.pk)
    return render(request, "registry/import.html", {"form": form})


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    village = villages_for(request.user).order_by("commune_id", "name").first()
    response = HttpResponse(
        template_xlsx(village),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-ho-gia-dinh.xlsx"'
    return response
