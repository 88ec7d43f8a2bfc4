"""Poverty pages: a household's assessment (with its evidence), assessing an area (stored or
"what if") as a job, and a run's results."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.accounts.roles import Capability
from langso.geo.queries import communes_for
from langso.jobs.queries import jobs_for
from langso.jobs.services import job_area, job_start
from langso.poverty import queries, rules, services
from langso.poverty.forms import AreaAssessForm, FileCheckForm
from langso.poverty.standard import StandardError, by_code, for_year
from langso.registry.models import DigitalObservation, Household, Member
from langso.registry.queries import households_for

SENSITIVE_FACTS = frozenset({"undernourished", "has_disability", "has_chronic_illness"})


def _year(text: str | None) -> int:
    """A review year from a request (the current one if absent or not a number)."""
    try:
        return int(text or "")
    except ValueError:
        return current_review_year()


def current_review_year(today: dt.date | None = None) -> int:
    """The review year whose lists are in force today (the periodic review of the autumn
    prepares the next year's)."""
    return (today or dt.date.today()).year


def _fact(name: str, value: object) -> str:
    """ "Việc làm: Thất nghiệp" for a fact the rules read."""
    if name == "members":
        return _("số người: %(n)s") % {"n": value}
    model = DigitalObservation if name.startswith("digital.") else Member
    field_name = name.removeprefix("digital.")
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        field = Household._meta.get_field(field_name)
    if value is None or value == "":
        shown = _("chưa rõ")
    elif isinstance(value, bool):
        shown = _("có") if value else _("không")
    else:
        shown = str(dict(field.choices or ()).get(value, value))
    return f"{field.verbose_name}: {shown}"


def _explained(standard, vector: str, evidence: dict | None, sensitive: bool) -> list[dict]:
    rows = []
    for indicator, letter in zip(standard.indicators, vector, strict=False):
        items = []
        for item in (evidence or {}).get(indicator.code, []):
            facts = [
                _fact(k, v)
                for k, v in item["facts"].items()
                if sensitive or k not in SENSITIVE_FACTS
            ]
            items.append({"name": item.get("name", ""), "facts": facts})
        rows.append({"indicator": indicator, "status": rules.STATUS[letter], "evidence": items})
    return rows


@login_required
def household_assessment(request: HttpRequest, household_id: int) -> HttpResponse:
    """The household's assessments (fragment of the household page): the stored ones by year,
    and what the rules say of today's data for the current review year."""
    household = get_object_or_404(households_for(request.user), pk=household_id)
    user = request.user
    sensitive = user.can(Capability.VIEW_SENSITIVE)
    year = _year(request.GET.get("year"))
    try:
        standard = for_year(year)
    except StandardError:
        year, standard = current_review_year(), for_year(current_review_year())
    live, _row = services.assess_household(
        actor=user, household=household, review_year=year, save=False
    )
    stored = list(queries.assessments_of(household))
    for row in stored:
        try:
            row_standard = by_code(row.standard)
        except StandardError:
            row.explained = []
        else:
            row.explained = _explained(row_standard, row.indicators, row.evidence, sensitive)
    return render(
        request,
        "poverty/_household.html",
        {
            "household": household,
            "year": year,
            "standard": standard,
            "live": live,
            "live_rows": _explained(standard, live.vector, services.evidence_json(live), sensitive),
            "stored": stored,
            "can_assess": user.can(Capability.ASSESS_POVERTY),
        },
    )


@login_required
@require_POST
def household_assess(request: HttpRequest, household_id: int) -> HttpResponse:
    household = get_object_or_404(households_for(request.user), pk=household_id)
    year = _year(request.POST.get("year"))
    try:
        _result, row = services.assess_household(
            actor=request.user, household=household, review_year=year
        )
    except StandardError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Đã lưu kết quả đánh giá năm %(year)s: %(klass)s")
            % {"year": year, "klass": row.get_poverty_class_display() or _("chưa phân loại")},
        )
    return redirect("registry:detail", household_id=household.pk)


@login_required
def assess_area_page(request: HttpRequest) -> HttpResponse:
    """Assess every household of my area under a review year's standard, or only count."""
    user = request.user
    if not user.can(Capability.ASSESS_POVERTY):
        raise PermissionDenied
    communes = communes_for(user).order_by("name")
    form = AreaAssessForm(
        request.POST or None, communes=communes, default_year=current_review_year()
    )
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["review_year"]
        commune = form.cleaned_data["commune"]
        what_if = form.cleaned_data["what_if"]
        try:
            province, codes = services.area_scope(user, communes=[commune] if commune else None)
        except (PermissionDenied, ValueError) as error:
            form.add_error(None, str(error) or _("Không được đánh giá địa bàn này."))
        else:
            area = job_area(user)
            job = job_start(
                actor=user,
                kind="poverty.assess_area",
                title=(_("Tính thử năm %(y)s") if what_if else _("Đánh giá năm %(y)s"))
                % {"y": year},
                params={
                    "review_year": year,
                    "province": province if codes is None else "",
                    "communes": codes or [],
                    "save": not what_if,
                },
                **area,
            )
            return redirect("jobs:detail", job_id=job.pk)
    return render(
        request,
        "poverty/assess.html",
        {"form": form, "runs": queries.runs_for(user)[:20]},
    )


@login_required
def run_result(request: HttpRequest, job_id: int) -> HttpResponse:
    """What an area assessment (stored or "what if") found: classes and indicators, with rates
    computed from the counts."""
    job = get_object_or_404(jobs_for(request.user), pk=job_id, kind="poverty.assess_area")
    result = job.result or {}
    standard = for_year(int(job.params["review_year"]))
    return render(
        request,
        "poverty/result.html",
        {"job": job, "standard": standard, **queries.result_tables(standard, result)},
    )


@login_required
def check_file_page(request: HttpRequest) -> HttpResponse:
    """Upload a survey file; a job checks it against the rules and offers the CSV to download.
    Nothing is imported."""
    user = request.user
    if not user.can(Capability.ASSESS_POVERTY):
        raise PermissionDenied
    form = FileCheckForm(
        request.POST or None, request.FILES or None, default_year=current_review_year()
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        year = form.cleaned_data["review_year"]
        job = job_start(
            actor=user,
            kind="poverty.check_file",
            title=_("Kiểm tra tệp %(name)s theo chuẩn năm %(y)s")
            % {"name": upload.name, "y": year},
            params={"filename": upload.name, "review_year": year},
            input_file=upload,
            **job_area(user),
        )
        return redirect("jobs:detail", job_id=job.pk)
    return render(request, "poverty/check_file.html", {"form": form})


def _sensitive_tables(user, year: int, basis: str) -> dict:
    """Households by ethnicity and children's deprivations: aggregates of sensitive personal
    data (ethnicity, health), for users who may see such data only; each showing is logged."""
    from langso.audit.services import record_read

    if not user.can(Capability.VIEW_SENSITIVE):
        return {}
    tables = {
        "ethnicity": queries.by_ethnicity(user, year, basis),
        "children": queries.children(user, year, basis),
    }
    record_read(
        actor=user,
        object_type="poverty.report",
        fields=("ethnicity", "undernourished", "has_health_insurance", "in_school"),
        count=sum(r["poor"] + r["near_poor"] for r in tables["ethnicity"] if not r["is_total"]),
        message=f"báo cáo nghèo năm {year}: theo dân tộc, trẻ em",
    )
    return tables


def _report_params(request: HttpRequest) -> dict:
    """Year, comparison year and boundary basis of a report, from the query string."""
    years, old_only = queries.report_years(request.user)
    if not years:
        return {"years": []}
    data = request.POST if request.method == "POST" else request.GET
    year = _pick(data.get("year"), years, years[0])
    earlier = [y for y in years if y < year]
    compare = _pick(data.get("compare"), earlier, earlier[0] if earlier else None)
    basis = data.get("basis") if data.get("basis") in ("recorded", "current") else "recorded"
    return {
        "years": years,
        "year": year,
        "earlier": earlier,
        "compare": compare,
        "basis": basis,
        # old communes' results only (before the system): counts re-aggregated, no households
        "legacy": year in old_only,
        "households_both": compare is not None and not ({year, compare} & old_only),
    }


@login_required
def reports_page(request: HttpRequest) -> HttpResponse:
    """Review results of a year per commune, the change from an earlier year (the seed article's
    sentence), the movement of poor households, deprivations and groups, in the user's area."""
    from langso.poverty.reports import change_sentence

    user = request.user
    context = _report_params(request)
    if not context["years"]:
        return render(request, "poverty/reports.html", context)
    year, compare, basis = context["year"], context["compare"], context["basis"]
    if context["legacy"]:
        context["rows"] = queries.legacy_results(user, year)
    standard = queries.standard_of_year(user, year)
    deprivations = queries.deprivations(user, year, basis)
    language = get_language() or "vi"
    context.update(
        rows=context.get("rows") or queries.results_by_commune(user, year, basis),
        standard=standard,
        standard_title=standard.title(language) if standard else "",
        deprivations=deprivations,
        deprivation_rows=[
            {"name": ind.name(language), "cells": [t["indicators"][n] for t in deprivations]}
            for n, ind in enumerate(standard.indicators)
        ]
        if deprivations
        else [],
    )
    if not context["legacy"]:
        context["groups"] = queries.groups(user, year, basis)
        context.update(_sensitive_tables(user, year, basis))
    if context["households_both"]:
        context["movement"] = queries.movement_between(user, compare, year, basis)
        context["near_poor_movement"] = queries.movement_between(
            user, compare, year, basis, klass="near_poor"
        )
    if compare:
        context["sentence"] = change_sentence(
            queries.year_figures(user, compare, basis), queries.year_figures(user, year, basis)
        )
    return render(request, "poverty/reports.html", context)


@login_required
def reports_xlsx(request: HttpRequest) -> HttpResponse:
    """The same reports as a workbook in the layout of the review's summary forms."""
    from langso.poverty import report_xlsx

    user = request.user
    params = _report_params(request)
    if not params["years"]:
        raise Http404
    year, compare, basis = params["year"], params["compare"], params["basis"]
    standard = queries.standard_of_year(user, year)
    both = params["households_both"]
    # the workbook is an official form: Vietnamese whatever the page's language
    if params["legacy"]:
        lines = [
            f"Năm rà soát {year} — số liệu của các xã cũ (trước 1/7/2025)",
            "Địa giới: cộng dồn vào xã hiện nay theo bảng chuyển đổi; dòng có dấu ≈ gồm xã cũ bị "
            "chia tách nên chỉ là gần đúng",
        ]
    else:
        lines = [
            f"Năm rà soát {year} — {standard.title_vi}",
            "Địa giới: theo xã ghi nhận lúc đánh giá"
            if basis == "recorded"
            else "Địa giới: theo địa giới hành chính hiện nay",
        ]
    lines.append("Tỷ lệ tính từ số hộ, số người của từng dòng; không lấy trung bình các tỷ lệ.")
    data = report_xlsx.workbook(
        lines=lines,
        results=queries.legacy_results(user, year)
        if params["legacy"]
        else queries.results_by_commune(user, year, basis),
        movement=queries.movement_by_commune(user, compare, year, basis) if both else None,
        near_poor_movement=queries.movement_by_commune(
            user, compare, year, basis, klass="near_poor"
        )
        if both
        else None,
        deprivations=[] if params["legacy"] else queries.deprivations(user, year, basis),
        groups=[] if params["legacy"] else queries.groups(user, year, basis),
        **({} if params["legacy"] else _sensitive_tables(user, year, basis)),
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="bao-cao-ho-ngheo-{year}.xlsx"'
    return response


@login_required
@require_POST
def named_list(request: HttpRequest) -> HttpResponse:
    """The named list of poor or near-poor households of a year, written by a job."""
    params = _report_params(request)
    klass = request.POST.get("class")
    if not params["years"] or klass not in ("poor", "near_poor"):
        raise Http404
    if klass == "poor":
        title = _("Danh sách hộ nghèo năm %(y)s") % {"y": params["year"]}
    else:
        title = _("Danh sách hộ cận nghèo năm %(y)s") % {"y": params["year"]}
    job = job_start(
        actor=request.user,
        kind="poverty.named_list",
        title=title,
        params={"year": params["year"], "class": klass, "basis": params["basis"]},
        **job_area(request.user),
    )
    return redirect("jobs:detail", job_id=job.pk)


def _pick(text: str | None, allowed: list[int], default):
    try:
        value = int(text or "")
    except ValueError:
        return default
    return value if value in allowed else default
