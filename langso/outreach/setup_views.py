"""Pages where officers set things up: radio stations, their slots, clusters and boards (with
their tokens), messaging channels, the reading dictionary; and residents' feedback to answer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.accounts.roles import Capability
from langso.accounts.scope import area_of
from langso.core.forms import apply_errors
from langso.core.paging import CappedPaginator
from langso.outreach import queries
from langso.outreach.feedback import feedback_answer, feedback_record
from langso.outreach.forms import (
    AnswerForm,
    ChannelForm,
    DeviceForm,
    RecordFeedbackForm,
    SlotForm,
    SpokenFormForm,
    StationForm,
)
from langso.outreach.outbox import channel_config
from langso.outreach.setup import (
    channel_save,
    device_register,
    device_token_rotate,
    slot_add,
    slot_remove,
    spoken_form_save,
    station_create,
)
from langso.outreach.tts.normalize import load_spoken_forms


@login_required
def devices(request: HttpRequest) -> HttpResponse:
    """Stations with their slots, and every cluster and board with when it was last seen."""
    user = request.user
    manage = user.can(Capability.MANAGE_OUTREACH)
    communes = list(queries.issuing_communes(user)[:500]) if manage else []
    stations = list(queries.stations_for(user).prefetch_related("slots").order_by("commune_id"))
    villages = queries.target_villages(user, [c.code for c in communes]).select_related("commune")
    station_form = StationForm(prefix="s", communes=communes)
    device_form = DeviceForm(
        prefix="d", communes=communes, villages=list(villages[:400]), stations=stations
    )
    token = None
    if request.method == "POST" and manage:
        try:
            if "s-name" in request.POST:
                station_form = StationForm(request.POST, prefix="s", communes=communes)
                if station_form.is_valid():
                    station_create(
                        actor=user,
                        commune_code=station_form.cleaned_data["commune"],
                        name=station_form.cleaned_data["name"],
                    )
                    messages.success(request, _("Đã thêm đài truyền thanh."))
                    return redirect("outreach:devices")
            else:
                device_form = DeviceForm(
                    request.POST,
                    prefix="d",
                    communes=communes,
                    villages=list(villages[:400]),
                    stations=stations,
                )
                if device_form.is_valid():
                    data = device_form.cleaned_data
                    device, token = device_register(
                        actor=user,
                        kind=data["kind"],
                        commune_code=data["commune"],
                        name=data["name"],
                        village_id=data["village"],
                        station_id=data["station"],
                        location=data["location"],
                    )
                    messages.success(request, _("Đã đăng ký %(name)s.") % {"name": device.name})
        except ValidationError as exc:
            apply_errors(device_form if "s-name" not in request.POST else station_form, exc)
    found = queries.devices_for(user).order_by("commune_id", "kind", "name")
    page = CappedPaginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/devices.html",
        {
            "stations": stations,
            "page": page,
            "station_form": station_form,
            "device_form": device_form,
            "slot_form": SlotForm(),
            "manage": manage,
            "token": token,
            "now": timezone.now(),
            "offline_after": queries.OFFLINE_AFTER,
        },
    )


@login_required
@require_POST
def slot_new(request: HttpRequest, station_id: int) -> HttpResponse:
    get_object_or_404(queries.stations_for(request.user), pk=station_id)
    form = SlotForm(request.POST)
    if form.is_valid():
        try:
            slot_add(
                actor=request.user,
                station_id=station_id,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                weekdays="".join(form.cleaned_data["weekdays"]),
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã thêm khung giờ phát."))
    else:
        messages.error(request, _("Giờ phát không hợp lệ."))
    return redirect("outreach:devices")


@login_required
@require_POST
def slot_delete(request: HttpRequest, slot_id: int) -> HttpResponse:
    get_object_or_404(queries.slots_for(request.user), pk=slot_id)
    slot_remove(actor=request.user, slot_id=slot_id)
    messages.success(request, _("Đã xóa khung giờ phát."))
    return redirect("outreach:devices")


@login_required
@require_POST
def token_rotate(request: HttpRequest, device_id: int) -> HttpResponse:
    get_object_or_404(queries.devices_for(request.user), pk=device_id)
    device, token = device_token_rotate(actor=request.user, device_id=device_id)
    return render(request, "outreach/token.html", {"device": device, "token": token})


def _owners(user: Any) -> list[tuple[str, str]]:
    area = area_of(user)
    owners = [(f"p:{p}", _("Tỉnh (mã %s)") % p) for p in sorted(area.provinces)]
    return owners + [(f"c:{c.code}", c.name) for c in queries.issuing_communes(user)[:500]]


@login_required
def channels(request: HttpRequest) -> HttpResponse:
    user = request.user
    manage = user.can(Capability.MANAGE_OUTREACH)
    form = ChannelForm(request.POST or None, owners=_owners(user)) if manage else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        level, code = data["owner"].split(":", 1)
        try:
            channel_save(
                actor=user,
                kind=data["kind"],
                name=data["name"],
                config=data["config"],
                rate_per_minute=data["rate_per_minute"],
                commune_code=code if level == "c" else None,
                province_code=code if level == "p" else None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu kênh."))
            return redirect("outreach:channels")
    rows = [
        (c, sorted(k for k in channel_config(c) if "key" not in k and "token" not in k))
        for c in queries.channels_for(user)
    ]
    return render(request, "outreach/channels.html", {"rows": rows, "form": form})


@login_required
def dictionary(request: HttpRequest) -> HttpResponse:
    user = request.user
    manage = user.can(Capability.MANAGE_OUTREACH)
    form = SpokenFormForm(request.POST or None) if manage else None
    area = area_of(user)
    provinces = sorted(area.provinces | area.ancestor_provinces)
    if request.method == "POST" and form is not None and not provinces:
        form.add_error(None, _("Tài khoản của bạn không gắn với tỉnh nào."))
    elif request.method == "POST" and form is not None and form.is_valid():
        try:
            spoken_form_save(
                actor=user,
                province_code=provinces[0],
                written=form.cleaned_data["written"],
                spoken=form.cleaned_data["spoken"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu cách đọc."))
            return redirect("outreach:dictionary")
    if request.method == "POST" and not manage:
        raise PermissionDenied
    return render(
        request,
        "outreach/dictionary.html",
        {
            "own": queries.spoken_forms_for(user),
            "built_in": load_spoken_forms(),
            "form": form,
        },
    )


@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    found = queries.feedback_for(user)
    if request.GET.get("open"):
        found = found.filter(answer="")
    page = CappedPaginator(found.order_by("-created_at"), 25).get_page(request.GET.get("page"))
    form = None
    if user.can(Capability.RECORD_OBSERVATIONS):
        communes = list(queries.recording_communes(user)[:500])
        villages = queries.target_villages(user, [c.code for c in communes])[:400]
        form = RecordFeedbackForm(request.POST or None, communes=communes, villages=villages)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                feedback_record(
                    actor=user,
                    commune_code=data["commune"],
                    village_id=data["village"],
                    question=data["question"],
                    source=data["source"],
                    name=data["name"],
                    contact=data["contact"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã ghi nhận phản ánh."))
                return redirect("outreach:feedback")
    return render(
        request,
        "outreach/feedback.html",
        {
            "page": page,
            "form": form,
            "answer_form": AnswerForm(),
            "can_answer": user.can(Capability.ANSWER_FEEDBACK),
        },
    )


@login_required
@require_POST
def feedback_reply(request: HttpRequest, feedback_id: int) -> HttpResponse:
    get_object_or_404(queries.feedback_for(request.user), pk=feedback_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        feedback_answer(
            actor=request.user,
            feedback_id=feedback_id,
            answer=form.cleaned_data["answer"],
            publish=form.cleaned_data["publish"],
        )
        messages.success(request, _("Đã trả lời."))
    else:
        messages.error(request, _("Nhập câu trả lời."))
    return redirect("outreach:feedback")
