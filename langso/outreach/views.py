"""Pages of announcements: the list, the composer, approval, the reading text and its preview,
language versions, update and cancel, and the reach report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.accounts.roles import Capability
from langso.accounts.scope import area_of
from langso.core.forms import apply_errors
from langso.core.paging import CappedPaginator
from langso.outreach import audio_render, queries
from langso.outreach.forms import (
    PROVINCE,
    AnnouncementForm,
    ReasonForm,
    SpokenTextForm,
    VersionForm,
)
from langso.outreach.models import Priority, Status
from langso.outreach.services import (
    EDITABLE,
    announcement_approve,
    announcement_cancel,
    announcement_create,
    announcement_edit,
    announcement_return,
    announcement_send_emergency,
    announcement_submit,
    announcement_update,
    spoken_text_save,
    version_save,
)

MAX_FORM_VILLAGES = 400


def _form_choices(user: Any) -> dict[str, Any]:
    issuers = list(queries.issuing_communes(user)[:500])
    area = area_of(user)
    province = None
    if area.everything or area.provinces:
        codes = sorted(area.provinces) or sorted({c.province_id for c in issuers})
        province = queries.public_province(codes[0]) if codes else None
    villages = list(
        queries.target_villages(user, [c.code for c in issuers]).select_related("commune")[
            : MAX_FORM_VILLAGES + 1
        ]
    )
    if len(villages) > MAX_FORM_VILLAGES:
        villages = []  # a province picks communes; villages are picked within one commune
    return {"issuers": issuers, "province": province, "villages": villages}


@login_required
def announcement_list(request: HttpRequest) -> HttpResponse:
    found = queries.announcements_for(request.user).select_related("commune")
    status = request.GET.get("status", "")
    if status in Status.values:
        found = found.filter(status=status)
    priority = request.GET.get("priority", "")
    if priority in Priority.values:
        found = found.filter(priority=priority)
    page = CappedPaginator(found.order_by("-created_at"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/list.html",
        {
            "page": page,
            "statuses": Status.choices,
            "priorities": Priority.choices,
            "status": status,
            "priority": priority,
            "can_draft": request.user.can(Capability.DRAFT_ANNOUNCEMENTS),
        },
    )


@login_required
def announcement_new(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Capability.DRAFT_ANNOUNCEMENTS):
        raise PermissionDenied
    choices = _form_choices(request.user)
    form = AnnouncementForm(request.POST or None, **choices)
    if request.method == "POST" and form.is_valid():
        issuer = form.cleaned_data["issuer"]
        try:
            announcement = announcement_create(
                actor=request.user,
                draft=form.draft(),
                commune_code=None if issuer == PROVINCE else issuer,
                province_code=choices["province"].code if issuer == PROVINCE else None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu bản nháp."))
            return redirect("outreach:detail", announcement.pk)
    return render(request, "outreach/form.html", {"form": form, "announcement": None})


def _visible(request: HttpRequest, announcement_id: int):
    return get_object_or_404(queries.announcements_for(request.user), pk=announcement_id)


@login_required
def announcement_edit_page(request: HttpRequest, announcement_id: int) -> HttpResponse:
    """A draft is edited in place; a published announcement is updated with a reason."""
    announcement = _visible(request, announcement_id)
    allowed = _allowed(request.user, announcement)
    if not (allowed.get("editable") or allowed.get("can_change")):
        raise PermissionDenied
    published = announcement.status == Status.PUBLISHED
    choices = _form_choices(request.user)
    initial = {
        "issuer": announcement.commune_id or PROVINCE,
        "communes": [a.commune_id for a in announcement.areas.all() if not a.village_id],
        "villages": [a.village_id for a in announcement.areas.all() if a.village_id],
        **{
            name: getattr(announcement, name)
            for name in (
                "title",
                "body",
                "category",
                "priority",
                "whole_province",
                "target_groups",
                "plays_per_day",
            )
        },
        "valid_from": timezone.localtime(announcement.valid_from),
        "valid_until": timezone.localtime(announcement.valid_until),
    }
    form = AnnouncementForm(request.POST or None, initial=initial, **choices)
    form.fields["issuer"].disabled = True
    reason = ReasonForm(request.POST or None) if published else None
    if request.method == "POST" and form.is_valid() and (reason is None or reason.is_valid()):
        try:
            if published:
                announcement_update(
                    actor=request.user,
                    announcement_id=announcement.pk,
                    draft=form.draft(),
                    reason=reason.cleaned_data["reason"],
                )
                messages.success(request, _("Đã cập nhật; mọi kênh nhận bản mới."))
            else:
                announcement_edit(
                    actor=request.user, announcement_id=announcement.pk, draft=form.draft()
                )
                messages.success(request, _("Đã lưu."))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("outreach:detail", announcement.pk)
    return render(
        request,
        "outreach/form.html",
        {"form": form, "announcement": announcement, "reason_form": reason},
    )


def _allowed(user: Any, announcement: Any) -> dict[str, bool]:
    """Which actions the detail page offers: the services' own rules (area, capability, status,
    not one's own approval), so nobody is shown a button that would answer 403."""
    if not queries.writable_announcement(user, announcement):
        return {}
    status, can = announcement.status, user.can
    emergency = announcement.priority == Priority.EMERGENCY
    published = status == Status.PUBLISHED
    drafter = can(Capability.DRAFT_ANNOUNCEMENTS)
    approver = can(Capability.APPROVE_ANNOUNCEMENTS)
    own = user.pk in (announcement.created_by_id, announcement.submitted_by_id)
    return {
        "editable": status in EDITABLE and drafter,
        "reading_editable": status in (*EDITABLE, Status.SUBMITTED) and drafter,
        "can_submit": status in EDITABLE and drafter,
        "can_approve": status == Status.SUBMITTED and approver and not own,
        "can_fast_path": emergency
        and status in (*EDITABLE, Status.SUBMITTED)
        and can(Capability.SEND_EMERGENCY),
        "can_change": published
        and approver
        and (not own or (emergency and can(Capability.SEND_EMERGENCY))),
        # announcement_cancel: an approver once published, a drafter before
        "can_cancel": status != Status.CANCELLED and (approver if published else drafter),
    }


@login_required
def announcement_detail(request: HttpRequest, announcement_id: int) -> HttpResponse:
    announcement = _visible(request, announcement_id)
    reading = audio_render.reading_of(announcement)
    context = {
        "a": announcement,
        "areas": queries.areas_of(announcement),
        "versions": queries.versions_of(announcement),
        "clips": queries.clips_of(announcement),
        "reading": reading,
        "spoken_form": SpokenTextForm(
            initial={"spoken_text": announcement.spoken_text or reading.text}
        ),
        "version_form": VersionForm(),
        **_allowed(request.user, announcement),
        "reason_form": ReasonForm(),
        "preview_url": request.session.pop(f"preview-{announcement.pk}", None),
    }
    if announcement.status in (Status.PUBLISHED, Status.CANCELLED):
        context["reach"] = queries.reach(announcement, timezone.now())
    return render(request, "outreach/detail.html", context)


def _act(request: HttpRequest, announcement_id: int, action, done: str, **kwargs) -> HttpResponse:
    announcement = _visible(request, announcement_id)
    # an announcement sent into the user's area from above is readable, not theirs to act on
    if not queries.writable_announcement(request.user, announcement):
        raise PermissionDenied
    try:
        action(actor=request.user, announcement_id=announcement_id, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("outreach:detail", announcement_id)


def _reason(request: HttpRequest) -> str:
    return request.POST.get("reason", "").strip()


@login_required
@require_POST
def submit(request: HttpRequest, announcement_id: int) -> HttpResponse:
    return _act(request, announcement_id, announcement_submit, _("Đã gửi duyệt."))


@login_required
@require_POST
def approve(request: HttpRequest, announcement_id: int) -> HttpResponse:
    return _act(
        request, announcement_id, announcement_approve, _("Đã duyệt và phát hành trên mọi kênh.")
    )


@login_required
@require_POST
def send_back(request: HttpRequest, announcement_id: int) -> HttpResponse:
    return _act(
        request,
        announcement_id,
        announcement_return,
        _("Đã trả lại cho người soạn."),
        reason=_reason(request),
    )


@login_required
@require_POST
def emergency(request: HttpRequest, announcement_id: int) -> HttpResponse:
    return _act(
        request,
        announcement_id,
        announcement_send_emergency,
        _("Đã phát khẩn cấp; việc phát không qua duyệt đã được ghi nhật ký."),
        reason=_reason(request),
    )


@login_required
@require_POST
def cancel(request: HttpRequest, announcement_id: int) -> HttpResponse:
    return _act(
        request,
        announcement_id,
        announcement_cancel,
        _("Đã hủy; loa, bảng tin và tin nhắn được báo hủy."),
        reason=_reason(request),
    )


@login_required
@require_POST
def spoken_text(request: HttpRequest, announcement_id: int) -> HttpResponse:
    """Save the editor's reading text; with ``preview``, synthesise it to listen to."""
    form = SpokenTextForm(request.POST)
    if not form.is_valid():
        raise Http404
    text = form.cleaned_data["spoken_text"]
    response = _act(
        request, announcement_id, spoken_text_save, _("Đã lưu văn bản đọc."), spoken_text=text
    )
    if "preview" in request.POST:
        announcement = _visible(request, announcement_id)
        try:
            audio = audio_render.preview(announcement, text or None)
        except Exception as exc:  # the engine's own error, shown to the editor
            messages.error(request, _("Không đọc được: %s") % exc)
        else:
            request.session[f"preview-{announcement_id}"] = audio.file.url
    return response


@login_required
@require_POST
def version_add(request: HttpRequest, announcement_id: int) -> HttpResponse:
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("outreach:detail", announcement_id)
    return _act(
        request,
        announcement_id,
        version_save,
        _("Đã lưu bản tiếng dân tộc."),
        language=form.cleaned_data["language"],
        title=form.cleaned_data["title"],
        body=form.cleaned_data["body"],
        recording=form.cleaned_data["recording"],
    )


@login_required
def devices_of(request: HttpRequest, announcement_id: int, kind: str) -> HttpResponse:
    """Which clusters (or boards) played (showed) the announcement and when, which did not."""
    announcement = _visible(request, announcement_id)
    if kind not in ("cluster", "board"):
        raise Http404
    rows = queries.device_rows(announcement, timezone.now(), kind)
    return render(
        request, "outreach/devices_of.html", {"a": announcement, "rows": rows, "kind": kind}
    )
