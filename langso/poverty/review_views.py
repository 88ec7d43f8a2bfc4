"""Review pages (rà soát): the reviews of my area, one review step by step, Phiếu A and B on a
phone, the village meetings, the public posting list, complaints, the decision, certificates.

Thin: each view parses a form, calls one service of ``review.py`` (which checks the step and
the user's rights) and shows what it refused, in words the official can act on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.accounts.roles import Capability
from langso.geo.queries import communes_for
from langso.jobs.services import job_area, job_start
from langso.poverty import certificate, review, review_queries
from langso.poverty import procedure as proc
from langso.poverty.models import Review, ReviewStep, ScreenResult
from langso.poverty.review_forms import (
    ApplicationForm,
    ComplaintForm,
    DecisionForm,
    MeetingForm,
    OpenReviewForm,
    PostingForm,
    ResolveForm,
    ScreenForm,
    SurveyForm,
)
from langso.poverty.services import active_scorecard
from langso.poverty.standard import by_code
from langso.registry.queries import households_for

STEPS = [s for s in ReviewStep if s != ReviewStep.CLOSED]
PAGE = 100


def unconfirmed_text(codes: tuple[str, ...]) -> list[str]:
    texts = {
        "periodic": _("thời gian rà soát định kỳ"),
        "regular": _("thời hạn rà soát thường xuyên"),
        "meeting": _("tỷ lệ thông qua và số biên bản họp dân"),
        "posting": _("số ngày làm việc niêm yết"),
        "posting.holidays": _("các ngày nghỉ lễ"),
        "certificate": _("số giấy chứng nhận"),
        "screen": _("câu hỏi Phiếu A (ví dụ)"),
    }
    return [texts.get(code, code) for code in codes]


def blocker_text(blocker: proc.Blocker) -> str:
    texts = {
        "empty_list": _("Danh sách rà soát chưa có hộ nào."),
        "awaiting_screen": _("%(n)s hộ có giấy đề nghị chưa làm Phiếu A."),
        "awaiting_survey": _("%(n)s hộ chưa khảo sát, chấm điểm Phiếu B."),
        "unclassified": _("%(n)s hộ chưa phân loại được (thiếu thu nhập)."),
        "villages_without_meeting": _("%(n)s thôn chưa họp dân thông qua: %(names)s."),
        "posting_not_started": _("Chưa niêm yết danh sách."),
        "posting_running": _("Đang niêm yết đến hết ngày %(names)s."),
        "open_complaints": _("%(n)s phản ánh chưa giải quyết xong (kể cả phúc tra)."),
        "closed": _("Đợt rà soát đã kết thúc."),
    }
    names = ", ".join(blocker.names)
    if blocker.code == "posting_running":
        names = dt.date.fromisoformat(blocker.names[0]).strftime("%d/%m/%Y")
    return texts[blocker.code] % {"n": blocker.count, "names": names}


def _errors(error: Exception) -> list[str]:
    if isinstance(error, proc.StepError):
        return [str(error)] + [blocker_text(b) for b in error.blockers]
    if isinstance(error, ValidationError):
        return [str(m) for m in error.messages]
    return [_("Bạn không có quyền làm việc này ở xã này.")]


def _attempt(request: HttpRequest, action: Callable[[], object], done: str) -> bool:
    """Run a service; show what it refused. True if it succeeded."""
    try:
        action()
    except (proc.StepError, ValidationError, PermissionDenied) as error:
        for text in _errors(error):
            messages.error(request, text)
        return False
    messages.success(request, done)
    return True


def _review(request: HttpRequest, review_id: int) -> Review:
    return get_object_or_404(review_queries.reviews_for(request.user), pk=review_id)


def _years(today: dt.date) -> list[int]:
    """Review years one may open today: the coming year's periodic review (autumn), this
    year's regular reviews."""
    years = {today.year, today.year + 1}
    covered = {
        y for p in proc.all_procedures() for y in range(p.first_review_year, p.last_review_year + 1)
    }
    return sorted(years & covered, reverse=True)


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """The reviews of my area, their step and deadline; open a commune's review."""
    user = request.user
    today = timezone.localdate()
    form = None
    if user.can(Capability.ASSESS_POVERTY):
        form = OpenReviewForm(
            request.POST or None,
            communes=communes_for(user).order_by("name"),
            years=_years(today),
        )
        if request.method == "POST" and form.is_valid():
            commune = get_object_or_404(communes_for(user), code=form.cleaned_data["commune"])
            try:
                opened = review.open_review(
                    actor=user,
                    commune=commune,
                    review_year=form.cleaned_data["review_year"],
                    kind=form.cleaned_data["kind"],
                )
            except (ValidationError, PermissionDenied) as error:
                for text in _errors(error):
                    form.add_error(None, text)
            else:
                messages.success(request, _("Đã mở đợt rà soát."))
                return redirect("poverty:review", review_id=opened.pk)
    reviews = list(review_queries.reviews_for(user)[:200])
    return render(
        request,
        "poverty/review/list.html",
        {
            "form": form,
            "reviews": reviews,
            "today": today,
            "months": review_queries.regular_months(user, today.year),
        },
    )


@login_required
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    """One review: its steps (done, who, when), deadline, what blocks the next step, and the
    form of the step it is at."""
    return _detail(request, _review(request, review_id))


def _detail(request: HttpRequest, r: Review, bound: dict | None = None) -> HttpResponse:
    """The review page; ``bound``: a step's form as the user sent it, with its errors (the page
    is shown again with what they typed, answered 400)."""
    user = request.user
    today = timezone.localdate()
    procedure = review.procedure_of(r)
    progress = review.progress_of(r)
    entries = review_queries.entries_of(r)
    status = request.GET.get("status", "")
    if status == "todo":
        entries = entries.filter(assessment__isnull=True).exclude(screen=ScreenResult.EXCLUDED)
    shown = list(entries[:PAGE])
    heads = review_queries.heads_of(shown)
    for entry in shown:
        entry.head = heads.get(entry.household_id, "")
    events = list(review_queries.events_of(r))
    finished = {e.step: e for e in events if e.action in ("finished", "decided")}
    can_act = user.can(Capability.ASSESS_POVERTY) and r.step != ReviewStep.CLOSED
    villages = review_queries.villages_of(r)
    context = {
        "review": r,
        "procedure": procedure,
        "procedure_confirmed": procedure.is_confirmed_for(r.review_year),
        "unconfirmed": unconfirmed_text(procedure.unconfirmed),
        "standard_title": by_code(r.standard).title(get_language() or "vi"),
        "procedure_title": procedure.title(get_language() or "vi"),
        "steps": [
            {
                "code": s.value,
                "label": s.label,
                # a step sent back to (a meeting not adopted) is current again, not done
                "done": finished.get(s.value) if index < proc.STEPS.index(r.step) else None,
                "current": r.step == s.value,
            }
            for index, s in enumerate(STEPS)
        ],
        "blockers": [blocker_text(b) for b in proc.blockers(r.step, progress, today)],
        "progress": progress,
        "counts": review_queries.counts_of(r),
        "entries": shown,
        "more": entries.count() > PAGE,
        "status": status,
        "heads": heads,
        "events": events[-30:],
        "can_act": can_act,
        "days_left": (r.decide_by - today).days,
        "days_late": (today - r.decide_by).days,
        "villages": villages,
        "meetings": list(review_queries.meetings_of(r)),
        "complaints": list(review_queries.complaints_of(r)),
        "can_print": user.can(Capability.VIEW_SENSITIVE),
    }
    if can_act:
        context.update(
            application_form=ApplicationForm(initial={"applied_on": today}),
            meeting_form=MeetingForm(
                villages=[v for v in villages if not v.adopted], initial={"held_on": today}
            ),
            posting_form=PostingForm(initial={"starts_on": today}),
            complaint_form=_complaint_form(r, initial={"lodged_on": today})
            if r.step == ReviewStep.POSTING
            else None,
            resolve_form=ResolveForm(),
            decision_form=DecisionForm(initial={"decision_date": today}),
        )
        context.update(bound or {})
    return render(request, "poverty/review/detail.html", context, status=400 if bound else 200)


def _submit(
    request: HttpRequest,
    r: Review,
    name: str,
    form,
    action: Callable[[dict], object],
    done: str,
) -> HttpResponse:
    """A step's form: run the service with its data. A refused step goes back to the page with
    a message; bad input shows the form again with its errors next to the fields."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except proc.StepError as error:
            for text in _errors(error):
                messages.error(request, text)
            return redirect("poverty:review", review_id=r.pk)
        except PermissionDenied:
            raise
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, done)
            return redirect("poverty:review", review_id=r.pk)
    return _detail(request, r, {name: form})


@login_required
@require_POST
def review_finish(request: HttpRequest, review_id: int) -> HttpResponse:
    r = _review(request, review_id)
    _attempt(
        request,
        lambda: review.finish_step(actor=request.user, review=r),
        _("Đã chuyển sang bước tiếp theo."),
    )
    return redirect("poverty:review", review_id=r.pk)


@login_required
@require_POST
def review_application(request: HttpRequest, review_id: int) -> HttpResponse:
    r = _review(request, review_id)
    form = ApplicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nhập mã hộ và ngày đề nghị."))
        return redirect("poverty:review", review_id=r.pk)
    household = (
        households_for(request.user)
        .filter(code=form.cleaned_data["household"].strip(), commune_id=r.commune_id)
        .first()
    )
    if household is None:
        messages.error(request, _("Không tìm thấy hộ có mã này trong xã."))
    else:
        _attempt(
            request,
            lambda: review.add_application(
                actor=request.user,
                review=r,
                household=household,
                applied_on=form.cleaned_data["applied_on"],
            ),
            _("Đã thêm hộ %(code)s vào danh sách.") % {"code": household.code},
        )
    return redirect("poverty:review", review_id=r.pk)


@login_required
def review_screen(request: HttpRequest, review_id: int, entry_id: int) -> HttpResponse:
    """Phiếu A for one household that applied."""
    r = _review(request, review_id)
    entry = _entry(r, entry_id)
    procedure = review.procedure_of(r)
    form = ScreenForm(request.POST or None, procedure=procedure, language=get_language() or "vi")
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            request,
            lambda: review.screen_household(
                actor=request.user, entry=entry, answers=form.answers()
            ),
            _("Đã lưu Phiếu A."),
        )
    ):
        return redirect("poverty:review", review_id=r.pk)
    return render(
        request,
        "poverty/review/screen.html",
        {
            "review": r,
            "entry": entry,
            "form": form,
            "procedure": procedure,
            "head": review_queries.heads_of([entry]).get(entry.household_id, ""),
        },
    )


@login_required
def review_survey(request: HttpRequest, review_id: int, entry_id: int) -> HttpResponse:
    """Phiếu B for one household: the scorecard's questions, one tap each."""
    r = _review(request, review_id)
    entry = _entry(r, entry_id)
    card = active_scorecard(r.review_year)
    form = SurveyForm(
        request.POST or None,
        card=card,
        initial={
            "surveyed_on": timezone.localdate(),
            **{f"item_{k}": v for k, v in (entry.survey.answers if entry.survey else {}).items()},
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            request,
            lambda: review.survey_household(
                actor=request.user,
                entry=entry,
                answers=form.answers(),
                surveyed_on=form.cleaned_data["surveyed_on"],
            ),
            _("Đã lưu Phiếu B và phân loại hộ."),
        )
    ):
        return redirect("poverty:review_survey", review_id=r.pk, entry_id=entry.pk)
    entry = _entry(r, entry_id)
    return render(
        request,
        "poverty/review/survey.html",
        {
            "review": r,
            "entry": entry,
            "form": form,
            "card": card,
            "head": review_queries.heads_of([entry]).get(entry.household_id, ""),
        },
    )


def _entry(r: Review, entry_id: int):
    try:
        return review_queries.entry_in(r, entry_id)
    except ObjectDoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def review_meeting(request: HttpRequest, review_id: int) -> HttpResponse:
    r = _review(request, review_id)
    villages = [v for v in review_queries.villages_of(r) if not v.adopted]
    form = MeetingForm(request.POST, request.FILES, villages=villages)

    def record(data: dict) -> None:
        village = get_object_or_404(review_queries.villages_in(r), pk=data["village"])
        fields = {k: v for k, v in data.items() if k != "village"}
        review.record_meeting(actor=request.user, review=r, village=village, **fields)

    return _submit(request, r, "meeting_form", form, record, _("Đã ghi nhận cuộc họp dân."))


@login_required
def meeting_minutes(request: HttpRequest, review_id: int, meeting_id: int, which: str):
    """A signed minutes file (it names and is signed by residents): for the officials who run
    or check reviews in the review's area; each download is logged."""
    from langso.audit.services import record_read

    user = request.user
    if not (user.can(Capability.ASSESS_POVERTY) or user.can(Capability.VIEW_SENSITIVE)):
        raise PermissionDenied
    r = _review(request, review_id)
    try:
        meeting = review_queries.meeting_in(r, meeting_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    if which not in ("village", "commune"):
        raise Http404
    stored = getattr(meeting, f"minutes_{which}")
    try:
        handle = stored.open("rb")
    except OSError:
        raise Http404 from None
    record_read(
        actor=user,
        obj=meeting,
        fields=(f"minutes_{which}",),
        message=f"biên bản họp dân {meeting.village.name}",
    )
    return FileResponse(handle, filename=stored.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def review_posting(request: HttpRequest, review_id: int) -> HttpResponse:
    r = _review(request, review_id)
    return _submit(
        request,
        r,
        "posting_form",
        PostingForm(request.POST),
        lambda data: review.start_posting(actor=request.user, review=r, **data),
        _("Đã niêm yết danh sách."),
    )


@login_required
def posting_list(request: HttpRequest, review_id: int) -> HttpResponse:
    """The public notice, ready to print: household heads, villages and proposals only."""
    r = _review(request, review_id)
    return render(
        request,
        "poverty/review/posting.html",
        {"review": r, "rows": review_queries.posting_rows(r)},
    )


def _complaint_form(r: Review, data=None, entries=None, **kwargs) -> ComplaintForm:
    """Any household of the review's list may be complained about (not only the page shown)."""
    entries = entries if entries is not None else list(review_queries.entries_of(r))
    heads = review_queries.heads_of(entries) if data is None else None
    return ComplaintForm(data, entries=entries, heads=heads, **kwargs)


@login_required
@require_POST
def complaint_add(request: HttpRequest, review_id: int) -> HttpResponse:
    r = _review(request, review_id)
    entries = list(review_queries.entries_of(r))
    form = _complaint_form(r, data=request.POST, entries=entries)
    if not form.is_valid():
        messages.error(request, _("Hãy nhập ngày, người phản ánh và nội dung."))
        return redirect("poverty:review", review_id=r.pk)
    data = dict(form.cleaned_data)
    entry_id = data.pop("entry")
    entry = next((e for e in entries if e.pk == entry_id), None)
    _attempt(
        request,
        lambda: review.lodge_complaint(actor=request.user, review=r, entry=entry, **data),
        _("Đã ghi nhận phản ánh."),
    )
    return redirect("poverty:review", review_id=r.pk)


@login_required
@require_POST
def complaint_resolve(request: HttpRequest, review_id: int, complaint_id: int) -> HttpResponse:
    r = _review(request, review_id)
    try:
        complaint = review_queries.complaint_in(r, complaint_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    form = ResolveForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: review.resolve_complaint(
                actor=request.user,
                complaint=complaint,
                resolution=form.cleaned_data["resolution"],
                note=form.cleaned_data["note"],
            ),
            _("Đã ghi kết quả giải quyết phản ánh."),
        )
    else:
        messages.error(request, _("Chọn kết quả và ghi cách kiểm tra."))
    return redirect("poverty:review", review_id=r.pk)


@login_required
@require_POST
def review_decide(request: HttpRequest, review_id: int) -> HttpResponse:
    r = _review(request, review_id)
    return _submit(
        request,
        r,
        "decision_form",
        DecisionForm(request.POST),
        lambda data: review.decide(actor=request.user, review=r, **data),
        _("Đã ghi quyết định công nhận; giấy chứng nhận đã được đánh số."),
    )


@login_required
def certificate_pdf(request: HttpRequest, review_id: int, entry_id: int) -> HttpResponse:
    """One household's certificate (it shows the head's ID number and ethnicity)."""
    r = _review(request, review_id)
    try:
        data = certificate.print_certificates(actor=request.user, review=r, entry_id=entry_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-chung-nhan-{entry_id}.pdf"'
    return response


@login_required
@require_POST
def certificates_all(request: HttpRequest, review_id: int) -> HttpResponse:
    """Every certificate of the review, printed by a background job (about 0.1 s a page)."""
    r = _review(request, review_id)
    if not request.user.can(Capability.VIEW_SENSITIVE) or r.step != ReviewStep.CLOSED:
        raise PermissionDenied
    job = job_start(
        actor=request.user,
        kind="poverty.certificates",
        title=_("Giấy chứng nhận hộ nghèo, cận nghèo năm %(y)s — %(c)s")
        % {"y": r.review_year, "c": r.commune.name},
        params={"review": r.pk},
        **job_area(request.user),
    )
    return redirect("jobs:detail", job_id=job.pk)
