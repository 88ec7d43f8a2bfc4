"""Job pages: list, one job with a live progress bar, retry."""

import csv
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from langso.jobs.queries import jobs_for
from langso.jobs.runner import live
from langso.jobs.services import job_retry

# Labels of the counts jobs report; keys not listed are shown as they are.
RESULT_LABELS = {
    "rows": gettext_lazy("Số dòng đã đọc"),
    "created": gettext_lazy("Thêm mới"),
    "updated": gettext_lazy("Cập nhật"),
    "unchanged": gettext_lazy("Không đổi"),
    "provinces": gettext_lazy("Tỉnh / thành phố"),
    "communes": gettext_lazy("Xã / phường"),
    "households": gettext_lazy("Số hộ"),
    "members": gettext_lazy("Số người"),
    "persons": gettext_lazy("Số người"),
    "review_year": gettext_lazy("Năm rà soát"),
    "standard": gettext_lazy("Chuẩn nghèo"),
    "needs_review": gettext_lazy("Hộ cần xem lại"),
    "low_income_workers": gettext_lazy("Người lao động có thu nhập thấp"),
    "poor": gettext_lazy("Hộ nghèo"),
    "near_poor": gettext_lazy("Hộ cận nghèo"),
    "middle_income": gettext_lazy("Hộ có mức sống trung bình"),
    "above": gettext_lazy("Trên mức sống trung bình"),
    "unknown": gettext_lazy("Chưa phân loại"),
    "error": gettext_lazy("Không đánh giá được"),
    "with_problems": gettext_lazy("Hộ có lỗi trong tệp"),
    "skipped": gettext_lazy("Bỏ qua (có lỗi)"),
}
_HIDDEN = {"errors", "file", "written", "valid_only", "output"}


def _result_rows(job) -> list[tuple[str, str, object]]:
    if not isinstance(job.result, dict):
        return []
    return [
        (k, RESULT_LABELS.get(k, k), v)
        for k, v in job.result.items()
        if k not in _HIDDEN and not isinstance(v, dict | list)
    ]


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(jobs_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page})


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = live(get_object_or_404(jobs_for(request.user), pk=job_id))
    template = "jobs/_progress.html" if request.htmx else "jobs/detail.html"
    return render(request, template, {"job": job, "result_rows": _result_rows(job)})


@login_required
@require_POST
def job_retry_view(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(jobs_for(request.user), pk=job_id)
    try:
        job_retry(actor=request.user, job_id=job.pk)
    except ValueError:
        messages.error(request, _("Chỉ chạy lại được tác vụ bị lỗi."))
    return redirect("jobs:detail", job_id=job.pk)


@login_required
def job_errors_csv(request: HttpRequest, job_id: int) -> HttpResponse:
    """Every error a job reported (row, column, value, reason), for fixing the file in Excel."""
    job = get_object_or_404(jobs_for(request.user), pk=job_id)
    errors = (job.result or {}).get("errors", []) if isinstance(job.result, dict) else []
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = (job.params.get("filename") or f"job-{job.pk}").rsplit(".", 1)[0]
    response["Content-Disposition"] = f'attachment; filename="loi-{job.pk}-{name[:40]}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Dòng"), _("Cột"), _("Giá trị"), _("Lý do")])
    for e in errors:
        writer.writerow(
            [
                e.get("row", ""),
                e.get("column") or e.get("field", ""),
                e.get("value", ""),
                e.get("reason", ""),
            ]
        )
    return response


@login_required
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    """The file a job produced (an export). Only its author may download it: it can hold
    personal data chosen for them."""
    job = get_object_or_404(jobs_for(request.user), pk=job_id, created_by=request.user)
    output = (job.result or {}).get("output") if isinstance(job.result, dict) else None
    if not output:
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / output).resolve()
    if root not in path.parents or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
