"""Residents' questions and reports (phản ánh, kiến nghị) and the commune's answers.

They come from the public portal's form, or are written down by a team member at a visit or by
an officer at the office; the commune officer answers, and may publish the answer on the portal
(Decree 49/2024 counts answering residents as part of grassroots information).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.roles import Capability
from langso.accounts.scope import restrict
from langso.audit.models import Action
from langso.audit.services import record_change, snapshot
from langso.geo.models import Commune, Village
from langso.outreach.models import Announcement, Feedback, FeedbackSource, Status

MAX_QUESTION = 4000


def _checked(commune_code: str, village_id: int | None, question: str) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    commune = Commune.objects.filter(code=commune_code).first()
    if commune is None:
        errors["commune"] = [_("Chọn xã, phường.")]
    village = None
    if village_id is not None and commune is not None:
        village = Village.objects.filter(pk=village_id, commune=commune).first()
        if village is None:
            errors["village"] = [_("Thôn không thuộc xã đã chọn.")]
    if not question.strip():
        errors["question"] = [_("Nhập nội dung phản ánh hoặc câu hỏi.")]
    elif len(question) > MAX_QUESTION:
        errors["question"] = [_("Nội dung quá dài (tối đa 4.000 ký tự).")]
    if errors:
        raise ValidationError(errors)
    return {"commune": commune, "village": village}


def feedback_submit(
    *,
    commune_code: str,
    question: str,
    name: str = "",
    contact: str = "",
    village_id: int | None = None,
    announcement_id: int | None = None,
) -> Feedback:
    """A resident writes in from the public portal (no account needed)."""
    where = _checked(commune_code, village_id, question)
    announcement = None
    if announcement_id is not None:
        announcement = Announcement.objects.filter(
            pk=announcement_id, status=Status.PUBLISHED
        ).first()
    with transaction.atomic():
        feedback = Feedback.objects.create(
            **where,
            announcement=announcement,
            source=FeedbackSource.PORTAL,
            name=name.strip()[:150],
            contact=contact.strip()[:150],
            question=question.strip(),
        )
        record_change(actor=None, action=Action.CREATE, obj=feedback, message="from the portal")
    return feedback


def feedback_record(
    *,
    actor: Any,
    commune_code: str,
    question: str,
    source: str,
    name: str = "",
    contact: str = "",
    village_id: int | None = None,
    announcement_id: int | None = None,
) -> Feedback:
    """A team member (at a visit) or an officer (at the office) writes a question down."""
    if not actor.can(Capability.RECORD_OBSERVATIONS):
        raise PermissionDenied
    if source not in (FeedbackSource.VISIT, FeedbackSource.OFFICE):
        raise ValidationError({"source": [_("Nguồn không hợp lệ.")]})
    where = _checked(commune_code, village_id, question)
    if not restrict(Commune.objects.all(), actor, for_write=True).filter(code=commune_code):
        # a village-level user (a team member) records for one of their own villages
        villages = restrict(Village.objects.all(), actor, for_write=True)
        if not villages.filter(commune_id=commune_code).exists():
            raise ValidationError({"commune": [_("Xã này không thuộc địa bàn của bạn.")]})
        if village_id is None or not villages.filter(pk=village_id).exists():
            raise ValidationError({"village": [_("Chọn thôn bạn phụ trách.")]})
    announcement = None
    if announcement_id is not None:
        announcement = Announcement.objects.filter(
            pk=announcement_id, status=Status.PUBLISHED
        ).first()
        if announcement is None:
            raise ValidationError({"announcement": [_("Không có thông báo này.")]})
    with transaction.atomic():
        feedback = Feedback.objects.create(
            **where,
            announcement=announcement,
            source=source,
            name=name.strip()[:150],
            contact=contact.strip()[:150],
            question=question.strip(),
            recorded_by=actor,
        )
        record_change(actor=actor, action=Action.CREATE, obj=feedback, after=snapshot(feedback))
    return feedback


def feedback_answer(*, actor: Any, feedback_id: int, answer: str, publish: bool) -> Feedback:
    """The commune answers; a published answer appears on the portal (without the resident's
    name or contact)."""
    if not actor.can(Capability.ANSWER_FEEDBACK):
        raise PermissionDenied
    if not answer.strip():
        raise ValidationError({"answer": [_("Nhập câu trả lời.")]})
    with transaction.atomic():
        feedback = (
            restrict(Feedback.objects.all(), actor, for_write=True)
            .select_for_update()
            .get(pk=feedback_id)
        )
        before = snapshot(feedback)
        feedback.answer = answer.strip()
        feedback.answered_by = actor
        feedback.answered_at = timezone.now()
        feedback.published = publish
        feedback.save()
        record_change(
            actor=actor,
            action=Action.UPDATE,
            obj=feedback,
            before=before,
            after=snapshot(feedback),
        )
    return feedback
