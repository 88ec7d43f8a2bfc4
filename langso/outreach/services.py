"""The write path of announcements: draft, submit, approve (or the emergency fast path), update
and cancel after publishing. Publishing hands the announcement to every channel (``fanout`` for
loudspeakers and boards, ``outbox`` for messaging) and renders its audio as a job.

Rules: an announcement is approved by someone other than its author, whose area covers the
issuing unit (a commune, or the province); an emergency may skip the second person through the
fast path, which needs its own capability and a reason, and is logged as such.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.roles import Capability
from langso.accounts.scope import area_of, restrict
from langso.audit.models import Action
from langso.audit.services import record_change, snapshot
from langso.geo.models import Commune, Village
from langso.jobs.services import job_start
from langso.outreach import fanout, outbox
from langso.outreach.models import (
    Announcement,
    AnnouncementArea,
    Category,
    Language,
    LanguageVersion,
    Priority,
    Status,
    TargetGroup,
)

EDITABLE = (Status.DRAFT, Status.RETURNED)


@dataclass
class Draft:
    """What an editor fills in; areas are communes (whole) and villages."""

    title: str
    body: str
    category: str
    priority: str
    valid_from: dt.datetime
    valid_until: dt.datetime
    commune_codes: list[str] = field(default_factory=list)
    village_ids: list[int] = field(default_factory=list)
    whole_province: bool = False
    target_groups: list[str] = field(default_factory=list)
    plays_per_day: int = 2
    spoken_text: str = ""


def _errors(draft: Draft) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not draft.title.strip():
        errors["title"] = [_("Nhập tiêu đề.")]
    if not draft.body.strip():
        errors["body"] = [_("Nhập nội dung.")]
    if draft.category not in Category.values:
        errors["category"] = [_("Chọn lĩnh vực.")]
    if draft.priority not in Priority.values:
        errors["priority"] = [_("Chọn mức độ.")]
    if draft.valid_until <= draft.valid_from:
        errors["valid_until"] = [_("Thời hạn hiệu lực phải sau thời điểm bắt đầu.")]
    if not 1 <= draft.plays_per_day <= 12:
        errors["plays_per_day"] = [_("Số lần phát mỗi ngày từ 1 đến 12.")]
    if set(draft.target_groups) - set(TargetGroup.values):
        errors["target_groups"] = [_("Nhóm đối tượng không hợp lệ.")]
    if not (draft.whole_province or draft.commune_codes or draft.village_ids):
        errors["areas"] = [_("Chọn địa bàn nhận thông báo.")]
    return errors


def _issuer(actor: Any, commune_code: str | None, province_code: str | None) -> tuple[str, str]:
    """(province, commune or "") the actor may issue for."""
    area = area_of(actor)
    if commune_code:
        commune = restrict(Commune.objects.all(), actor, for_write=True).filter(code=commune_code)
        province = commune.values_list("province_id", flat=True).first()
        if province is None:
            raise ValidationError({"commune": [_("Xã này không thuộc địa bàn của bạn.")]})
        return province, commune_code
    if province_code and (area.everything or province_code in area.provinces):
        return province_code, ""
    raise ValidationError({"commune": [_("Chỉ cán bộ cấp tỉnh phát hành thông báo của tỉnh.")]})


def _areas(
    draft: Draft, province: str, commune: str
) -> tuple[list[tuple[str, int | None]], dict[str, list[str]]]:
    """The (commune, village) rows the draft targets, or the errors if any lies outside."""
    allowed = Commune.objects.filter(province_id=province)
    if commune:
        allowed = allowed.filter(code=commune)
    codes = set(allowed.filter(code__in=draft.commune_codes).values_list("code", flat=True))
    villages = dict(
        Village.objects.filter(pk__in=draft.village_ids, commune__in=allowed).values_list(
            "pk", "commune_id"
        )
    )
    errors: dict[str, list[str]] = {}
    if draft.whole_province and commune:
        errors["areas"] = [_("Thông báo của xã chỉ gửi trong xã.")]
    if len(codes) != len(set(draft.commune_codes)) or len(villages) != len(set(draft.village_ids)):
        errors["areas"] = [_("Có địa bàn không thuộc đơn vị phát hành.")]
    rows: list[tuple[str, int | None]] = [(c, None) for c in sorted(codes)]
    rows += [(c, v) for v, c in sorted(villages.items()) if c not in codes]
    return rows, errors


def _write_areas(announcement: Announcement, rows: list[tuple[str, int | None]]) -> None:
    announcement.areas.all().delete()
    AnnouncementArea.objects.bulk_create(
        AnnouncementArea(announcement=announcement, commune_id=c, village_id=v) for c, v in rows
    )


def _apply(announcement: Announcement, draft: Draft) -> None:
    for name in (
        "title",
        "body",
        "category",
        "priority",
        "valid_from",
        "valid_until",
        "whole_province",
        "target_groups",
        "plays_per_day",
        "spoken_text",
    ):
        value = getattr(draft, name)
        setattr(announcement, name, value.strip() if isinstance(value, str) else value)


def announcement_create(
    *,
    actor: Any,
    draft: Draft,
    commune_code: str | None = None,
    province_code: str | None = None,
) -> Announcement:
    """A new draft announcement of a commune (``commune_code``) or of the province."""
    if not actor.can(Capability.DRAFT_ANNOUNCEMENTS):
        raise PermissionDenied
    province, commune = _issuer(actor, commune_code, province_code)
    rows, area_errors = _areas(draft, province, commune)
    errors = {**_errors(draft), **area_errors}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        announcement = Announcement(province_id=province, commune_id=commune or None)
        _apply(announcement, draft)
        announcement.created_by = actor
        announcement.save()
        _write_areas(announcement, rows)
        record_change(
            actor=actor, action=Action.CREATE, obj=announcement, after=snapshot(announcement)
        )
    return announcement


def _writable(actor: Any, announcement_id: int) -> Announcement:
    found = restrict(Announcement.objects.all(), actor, for_write=True)
    return found.select_for_update().get(pk=announcement_id)


def announcement_edit(*, actor: Any, announcement_id: int, draft: Draft) -> Announcement:
    """Change a draft (or a returned one). A published announcement changes through
    ``announcement_update``, which every channel hears about."""
    if not actor.can(Capability.DRAFT_ANNOUNCEMENTS):
        raise PermissionDenied
    with transaction.atomic():
        announcement = _writable(actor, announcement_id)
        if announcement.status not in EDITABLE:
            raise ValidationError(_("Chỉ sửa được bản nháp hoặc bản bị trả lại."))
        before = snapshot(announcement)
        rows, area_errors = _areas(draft, announcement.province_id, announcement.commune_id or "")
        errors = {**_errors(draft), **area_errors}
        if errors:
            raise ValidationError(errors)
        _apply(announcement, draft)
        announcement.save()
        _write_areas(announcement, rows)
        record_change(
            actor=actor,
            action=Action.UPDATE,
            obj=announcement,
            before=before,
            after=snapshot(announcement),
        )
    return announcement


def version_save(
    *,
    actor: Any,
    announcement_id: int,
    language: str,
    title: str = "",
    body: str = "",
    recording: Any = None,
) -> LanguageVersion:
    """Add or replace the version in a local language (text, an uploaded recording, or both)."""
    from langso.outreach.audio_render import store_upload

    if not actor.can(Capability.DRAFT_ANNOUNCEMENTS):
        raise PermissionDenied
    if language not in Language.values or language == Language.VI:
        raise ValidationError({"language": [_("Chọn ngôn ngữ dân tộc.")]})
    if not (body.strip() or recording):
        raise ValidationError({"body": [_("Nhập nội dung hoặc tải bản thu âm.")]})
    with transaction.atomic():
        announcement = _writable(actor, announcement_id)
        if announcement.status not in EDITABLE:
            raise ValidationError(_("Chỉ sửa được bản nháp hoặc bản bị trả lại."))
        version, _created = LanguageVersion.objects.get_or_create(
            announcement=announcement, language=language
        )
        version.title, version.body = title.strip(), body.strip()
        if recording is not None:
            version.recording = store_upload(recording)
        version.save()
        record_change(actor=actor, action=Action.UPDATE, obj=version, after=snapshot(version))
    return version


def _check_areas(announcement: Announcement) -> None:
    if not (announcement.whole_province or announcement.areas.exists()):
        raise ValidationError(_("Chọn địa bàn nhận thông báo."))


def announcement_submit(*, actor: Any, announcement_id: int) -> Announcement:
    """The editor asks for approval."""
    if not actor.can(Capability.DRAFT_ANNOUNCEMENTS):
        raise PermissionDenied
    with transaction.atomic():
        announcement = _writable(actor, announcement_id)
        if announcement.status not in EDITABLE:
            raise ValidationError(_("Thông báo này không ở trạng thái nháp."))
        _check_areas(announcement)
        announcement.status = Status.SUBMITTED
        announcement.submitted_at = timezone.now()
        announcement.submitted_by = actor
        announcement.returned_reason = ""
        announcement.save(
            update_fields=["status", "submitted_at", "submitted_by", "returned_reason"]
        )
        record_change(
            actor=actor, action=Action.UPDATE, obj=announcement, message="submitted for approval"
        )
    return announcement


def _may_approve(actor: Any, announcement: Announcement) -> None:
    if not actor.can(Capability.APPROVE_ANNOUNCEMENTS):
        raise PermissionDenied
    if actor.pk in (announcement.created_by_id, announcement.submitted_by_id):
        raise ValidationError(_("Người soạn không tự duyệt thông báo của mình."))


def announcement_approve(*, actor: Any, announcement_id: int) -> Announcement:
    """An approver of the issuing unit approves; the announcement goes out on every channel."""
    with transaction.atomic():
        announcement = _writable(actor, announcement_id)
        _may_approve(actor, announcement)
        if announcement.status != Status.SUBMITTED:
            raise ValidationError(_("Chỉ duyệt được thông báo đang chờ duyệt."))
        announcement.approved_by = actor
        announcement.approved_at = timezone.now()
        _publish(actor, announcement, message="approved and published")
    return announcement


def announcement_return(*, actor: Any, announcement_id: int, reason: str) -> Announcement:
    """The approver sends the draft back with what to change."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Ghi lý do trả lại.")]})
    with transaction.atomic():
        announcement = _writable(actor, announcement_id)
        _may_approve(actor, announcement)
        if announcement.status != Status.SUBMITTED:
            raise ValidationError(_("Chỉ trả lại được thông báo đang chờ duyệt."))
        announcement.status = Status.RETURNED
        announcement.returned_reason = reason.strip()[:300]
        announcement.save(update_fields=["status", "returned_reason"])
        record_change(
            actor=actor, action=Action.UPDATE, obj=announcement, message=f"returned: {reason}"
        )
    return announcement


def announcement_send_emergency(*, actor: Any, announcement_id: int, reason: str) -> Announcement:
    """The fast path: an authorised person sends an emergency at once, without a second approver.

    Logged as such (who, when, why); the announcement must be an emergency.
    """
    if not actor.can(Capability.SEND_EMERGENCY):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": [_("Ghi lý do phát khẩn cấp không qua duyệt.")]})
    with transaction.atomic():
        announcement = _writable(actor, announcement_id)
        if announcement.priority != Priority.EMERGENCY:
            raise ValidationError(_("Chỉ thông báo khẩn cấp được phát không qua duyệt."))
        if announcement.status not in (*EDITABLE, Status.SUBMITTED):
            raise ValidationError(_("Thông báo này đã được phát hành hoặc đã hủy."))
        # a draft from an upstream alert may name no commune of the province: sent as it is,
        # it would reach nobody while looking published
        _check_areas(announcement)
        announcement.fast_path = True
        announcement.fast_path_reason = reason.strip()[:300]
        announcement.approved_by = actor
        announcement.approved_at = timezone.now()
        _publish(actor, announcement, message=f"emergency fast path: {reason}")
    return announcement


def _publish(actor: Any, announcement: Announcement, *, message: str, kind: str = "notice") -> None:
    before = snapshot(announcement)
    now = timezone.now()
    announcement.status = Status.PUBLISHED
    announcement.published_at = announcement.published_at or now
    sent = list(announcement.cap_sent or [])
    while len(sent) < announcement.revision:
        sent.append(now.isoformat())
    announcement.cap_sent = sent
    announcement.save()
    fanout.deliver_to_devices(announcement, now=now)
    record_change(
        actor=actor,
        action=Action.UPDATE,
        obj=announcement,
        before=before,
        after=snapshot(announcement),
        message=message,
    )
    _dispatch(actor, announcement, kind)
    if announcement.replaces_id:
        replaced = Announcement.objects.select_for_update().get(pk=announcement.replaces_id)
        if replaced.status == Status.PUBLISHED:
            _cancel(actor, replaced, f"Thay bằng thông báo #{announcement.pk}")


def _dispatch(actor: Any, announcement: Announcement, kind: str) -> None:
    """Audio and messages take time: a job renders the revision's audio and queues and sends the
    messages, so the request (and an emergency's loudspeaker fan-out) returns at once."""
    job_start(
        actor=actor,
        kind="outreach.dispatch",
        title=_("Phát thông báo: %(title)s") % {"title": announcement.title},
        params={
            "announcement": announcement.pk,
            "revision": announcement.revision,
            "kind": kind,
        },
        province_code=announcement.province_id,
        commune_code=announcement.commune_id or "",
    )


def announcement_update(
    *, actor: Any, announcement_id: int, draft: Draft, reason: str
) -> Announcement:
    """Correct a published announcement: a new revision replaces the old one on every device,
    the people already messaged get the correction, the CAP feed carries an Update."""
    if not actor.can(Capability.APPROVE_ANNOUNCEMENTS):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": [_("Ghi lý do cập nhật.")]})
    with transaction.atomic():
        announcement = _writable(actor, announcement_id)
        if announcement.status != Status.PUBLISHED:
            raise ValidationError(_("Chỉ cập nhật được thông báo đã phát hành."))
        own = actor.pk in (announcement.created_by_id, announcement.submitted_by_id)
        if own and not (announcement.is_emergency and actor.can(Capability.SEND_EMERGENCY)):
            # four eyes: the author's correction goes through another approver
            raise ValidationError(_("Người soạn không tự cập nhật thông báo của mình."))
        rows, area_errors = _areas(draft, announcement.province_id, announcement.commune_id or "")
        errors = {**_errors(draft), **area_errors}
        if errors:
            raise ValidationError(errors)
        _apply(announcement, draft)
        announcement.revision += 1
        _write_areas(announcement, rows)
        _publish(actor, announcement, message=f"updated: {reason}", kind="update")
    return announcement


def announcement_cancel(*, actor: Any, announcement_id: int, reason: str) -> Announcement:
    """Withdraw an announcement: devices drop it, queued messages are not sent, people already
    messaged are told, the CAP feed carries a Cancel. A draft is simply cancelled."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Ghi lý do hủy.")]})
    with transaction.atomic():
        announcement = _writable(actor, announcement_id)
        published = announcement.status == Status.PUBLISHED
        needed = Capability.APPROVE_ANNOUNCEMENTS if published else Capability.DRAFT_ANNOUNCEMENTS
        if not actor.can(needed):
            raise PermissionDenied
        if announcement.status == Status.CANCELLED:
            raise ValidationError(_("Thông báo đã hủy."))
        _cancel(actor, announcement, reason.strip())
    return announcement


def _cancel(actor: Any, announcement: Announcement, reason: str) -> None:
    published = announcement.status == Status.PUBLISHED
    before = snapshot(announcement)
    announcement.status = Status.CANCELLED
    announcement.cancelled_at = timezone.now()
    announcement.cancel_reason = reason[:300]
    announcement.save()
    record_change(
        actor=actor,
        action=Action.UPDATE,
        obj=announcement,
        before=before,
        after=snapshot(announcement),
        message=f"cancelled: {reason}",
    )
    if published:
        fanout.withdraw(announcement)
        outbox.cancel_queued(announcement)
        _dispatch(actor, announcement, "cancel")


def spoken_text_save(*, actor: Any, announcement_id: int, spoken_text: str) -> Announcement:
    """The editor's corrected reading text (what the loudspeakers will say); blank: the text
    read by the normaliser. Only before publishing: afterwards it changes through an update."""
    if not actor.can(Capability.DRAFT_ANNOUNCEMENTS):
        raise PermissionDenied
    with transaction.atomic():
        announcement = _writable(actor, announcement_id)
        if announcement.status not in (*EDITABLE, Status.SUBMITTED):
            raise ValidationError(_("Chỉ sửa văn bản đọc trước khi phát hành."))
        before = snapshot(announcement)
        announcement.spoken_text = spoken_text.strip()
        announcement.save(update_fields=["spoken_text", "updated_at"])
        record_change(
            actor=actor,
            action=Action.UPDATE,
            obj=announcement,
            before=before,
            after=snapshot(announcement),
        )
    return announcement
