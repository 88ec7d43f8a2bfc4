"""The review of a commune (rà soát), step by step as the procedure says (``procedure.py``):
list → survey (Phiếu A, Phiếu B) → village meetings → public posting and complaints → the
chair's decision and certificates. Every service checks the step it belongs to, so no step can
be skipped, and records who did it and when (``ReviewEvent``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.roles import Capability
from langso.accounts.scope import area_of
from langso.audit.models import Action
from langso.audit.services import record_change, snapshot
from langso.geo.models import Commune, Village
from langso.poverty import procedure as proc
from langso.poverty.models import (
    Assessment,
    Complaint,
    ComplaintResolution,
    PovertyClass,
    Review,
    ReviewEvent,
    ReviewHousehold,
    ReviewKind,
    ReviewSource,
    ReviewStep,
    ScreenResult,
    VillageMeeting,
)
from langso.poverty.services import assess_household, income_survey_record
from langso.poverty.standard import for_year
from langso.registry.models import Household

LISTED_CLASSES = {
    PovertyClass.POOR: ReviewSource.POOR,
    PovertyClass.NEAR_POOR: ReviewSource.NEAR_POOR,
}
RECOGNISED = (PovertyClass.POOR, PovertyClass.NEAR_POOR)


def _check(actor: Any, commune: Commune) -> None:
    if actor is None or not actor.can(Capability.ASSESS_POVERTY):
        raise PermissionDenied
    if not area_of(actor).covers(province=commune.province_id, commune=commune.code, village=None):
        raise PermissionDenied


def _in_step(review: Review, *steps: str) -> None:
    if review.step not in steps:
        names = ", ".join(str(ReviewStep(step).label) for step in steps)
        raise proc.StepError(
            _("Việc này chỉ làm ở bước: %(steps)s; đợt rà soát đang ở bước: %(now)s.")
            % {"steps": names, "now": ReviewStep(review.step).label}
        )


def _lock(review: Review, *steps: str) -> Review:
    """The review's row locked for this transaction, still at one of ``steps``: two officers
    acting at once (or a double tap) cannot both pass the same check."""
    locked = Review.objects.select_for_update().select_related("commune").get(pk=review.pk)
    _in_step(locked, *steps)
    return locked


def _event(review: Review, actor: Any, action: str, note: str = "", step: str = "") -> None:
    ReviewEvent.objects.create(
        review=review, step=step or review.step, action=action, note=note[:300], by=actor
    )


def procedure_of(review: Review) -> proc.Procedure:
    return proc.for_year(review.review_year)


# --- step 1: the list ------------------------------------------------------------------------


def open_review(
    *,
    actor: Any,
    commune: Commune,
    review_year: int,
    kind: str = ReviewKind.PERIODIC,
    today: dt.date | None = None,
) -> Review:
    """Open a commune's review. A periodic one lists every household of the commune's current
    poor and near-poor lists (their current assessments of the year before); applications are
    added with ``add_application``. Refused outside the procedure's window."""
    _check(actor, commune)
    today = today or timezone.localdate()
    procedure = proc.for_year(review_year)
    window = proc.window(procedure, kind, review_year, today)
    if today < window.opens:
        raise ValidationError(
            {"review_year": _("Đợt rà soát này bắt đầu từ ngày %s.") % f"{window.opens:%d/%m/%Y}"}
        )
    if kind == ReviewKind.PERIODIC and today > window.decide_by:
        raise ValidationError(
            {
                "review_year": _("Rà soát định kỳ năm %(year)s đã kết thúc ngày %(end)s.")
                % {"year": review_year, "end": f"{window.decide_by:%d/%m/%Y}"}
            }
        )
    if kind == ReviewKind.REGULAR and review_year != today.year:
        raise ValidationError(
            {"review_year": _("Rà soát thường xuyên chỉ cho danh sách của năm nay.")}
        )
    if (
        kind == ReviewKind.PERIODIC
        and Review.objects.filter(commune=commune, review_year=review_year, kind=kind).exists()
    ):
        raise ValidationError({"review_year": _("Xã đã mở đợt rà soát định kỳ của năm này.")})
    standard = for_year(review_year)
    try:
        return _open(actor, commune, review_year, kind, today, window, procedure, standard)
    except IntegrityError:  # the same periodic review opened twice at once (a double tap)
        raise ValidationError(
            {"review_year": _("Xã đã mở đợt rà soát định kỳ của năm này.")}
        ) from None


def _open(actor, commune, review_year, kind, today, window, procedure, standard) -> Review:
    with transaction.atomic():
        review = Review.objects.create(
            commune=commune,
            review_year=review_year,
            kind=kind,
            opened_on=today,
            decide_by=window.decide_by,
            procedure=procedure.code,
            procedure_version=procedure.version,
            standard=standard.code,
            opened_by=actor,
        )
        listed = 0
        if kind == ReviewKind.PERIODIC:
            # where the household lives now: one that moved in is reviewed here
            current = Assessment.objects.filter(
                household__commune=commune,
                review_year=review_year - 1,
                is_current=True,
                poverty_class__in=list(LISTED_CLASSES),
                household__is_active=True,
            ).values_list("household_id", "household__village_id", "poverty_class")
            entries = [
                ReviewHousehold(
                    review=review,
                    household_id=household,
                    village_id=village,
                    source=LISTED_CLASSES[klass],
                    screen=ScreenResult.SURVEY,  # on the lists: straight to Phiếu B
                    updated_by=actor,
                )
                for household, village, klass in current.iterator(chunk_size=2000)
            ]
            ReviewHousehold.objects.bulk_create(entries, batch_size=1000)
            listed = len(entries)
        _event(review, actor, "opened", f"{listed} households from the current lists")
        record_change(actor=actor, action=Action.CREATE, obj=review, after=snapshot(review))
    return review


def add_application(
    *, actor: Any, review: Review, household: Household, applied_on: dt.date
) -> ReviewHousehold:
    """A household that applied (giấy đề nghị, Mẫu 01) joins the list; it gets the quick screen
    (Phiếu A) before any full survey."""
    _check(actor, review.commune)
    _in_step(review, ReviewStep.LIST)
    if household.commune_id != review.commune_id or not household.is_active:
        raise ValidationError({"household": _("Hộ không thuộc xã này hoặc không còn hoạt động.")})
    if applied_on > timezone.localdate():
        raise ValidationError({"applied_on": _("Ngày đề nghị ở tương lai.")})
    if ReviewHousehold.objects.filter(review=review, household=household).exists():
        raise ValidationError({"household": _("Hộ đã có trong danh sách rà soát.")})
    if (
        ReviewHousehold.objects.filter(household=household, review__review_year=review.review_year)
        .exclude(review__step=ReviewStep.CLOSED)
        .exists()
    ):
        raise ValidationError(
            {"household": _("Hộ đang ở trong một đợt rà soát khác của năm này chưa kết thúc.")}
        )
    # A household on the lists in force (asking, say, to be recognised out of poverty) keeps
    # that as its reason and goes straight to Phiếu B; any other gets Phiếu A first.
    in_force = review.review_year - (1 if review.kind == ReviewKind.PERIODIC else 0)
    listed = (
        Assessment.objects.filter(
            household=household,
            review_year=in_force,
            is_current=True,
            poverty_class__in=list(LISTED_CLASSES),
        )
        .values_list("poverty_class", flat=True)
        .first()
    )
    try:
        with transaction.atomic():
            entry = ReviewHousehold.objects.create(
                review=review,
                household=household,
                village_id=household.village_id,
                source=LISTED_CLASSES[listed] if listed else ReviewSource.APPLICATION,
                screen=ScreenResult.SURVEY if listed else ScreenResult.PENDING,
                applied_on=applied_on,
                updated_by=actor,
            )
    except IntegrityError:  # the same household added twice at once
        raise ValidationError({"household": _("Hộ đã có trong danh sách rà soát.")}) from None
    with transaction.atomic():
        _event(review, actor, "application", household.code)
    return entry


# --- what blocks the next step ------------------------------------------------------------------


def progress_of(review: Review) -> proc.Progress:
    entries = ReviewHousehold.objects.filter(review=review)
    surveyed = entries.filter(screen=ScreenResult.SURVEY)
    to_meet = (
        entries.exclude(screen=ScreenResult.EXCLUDED)
        .values_list("village_id", flat=True)
        .distinct()
    )
    adopted = VillageMeeting.objects.filter(review=review, adopted=True).values_list(
        "village_id", flat=True
    )
    missing = Village.objects.filter(pk__in=set(to_meet) - set(adopted)).order_by("name")
    reopened = entries.filter(
        pk__in=Complaint.objects.filter(
            review=review,
            resolution=ComplaintResolution.UPHELD,
            corrected_class="",
            entry__isnull=False,
        ).values("entry_id")
    )
    return proc.Progress(
        listed=entries.count(),
        awaiting_screen=entries.filter(screen=ScreenResult.PENDING).count(),
        awaiting_survey=surveyed.filter(assessment__isnull=True).count(),
        unclassified=surveyed.filter(assessment__isnull=False, proposed_class="").count(),
        villages_without_meeting=tuple(missing.values_list("name", flat=True)),
        posting_started=review.posting_started,
        posting_ends=review.posting_ends,
        open_complaints=Complaint.objects.filter(review=review, resolution="").count()
        + reopened.count(),
    )


def finish_step(*, actor: Any, review: Review, today: dt.date | None = None) -> Review:
    """Move the review to its next step, if nothing blocks it (``procedure.blockers``). The
    decision step is finished by ``decide``."""
    _check(actor, review.commune)
    today = today or timezone.localdate()
    if review.step == ReviewStep.DECISION:
        raise proc.StepError(_("Bước quyết định kết thúc bằng quyết định của Chủ tịch UBND xã."))
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        to = proc.next_step(review.step)
        proc.check_advance(review.step, to, progress_of(review), today)
        _event(review, actor, "finished")
        review.step = to
        review.save(update_fields=["step"])
    return review


# --- step 2: Phiếu A and Phiếu B -------------------------------------------------------------


def screen_household(
    *, actor: Any, entry: ReviewHousehold, answers: dict[str, bool]
) -> ReviewHousehold:
    """Phiếu A for a household that applied: survey it with Phiếu B, or not (a clearly
    better-off household, with the answers that say so)."""
    review = entry.review
    _check(actor, review.commune)
    _in_step(review, ReviewStep.SURVEY)
    if entry.source != ReviewSource.APPLICATION:
        raise ValidationError(
            {"screen": _("Hộ đang trong danh sách được khảo sát thẳng bằng Phiếu B.")}
        )
    _not_adopted(entry)
    survey, excluded = proc.screen_outcome(answers, procedure_of(review))
    if survey is None:
        raise ValidationError({"screen": _("Hãy trả lời mọi câu hỏi của Phiếu A.")})
    with transaction.atomic():
        _lock(review, ReviewStep.SURVEY)
        entry.screen_answers = answers
        entry.screen = ScreenResult.SURVEY if survey else ScreenResult.EXCLUDED
        entry.updated_by = actor
        entry.save(update_fields=["screen_answers", "screen", "updated_by", "updated_at"])
        _event(
            review,
            actor,
            "screened",
            f"{entry.household.code}: {entry.screen} {','.join(excluded)}",
        )
    return entry


def _not_adopted(entry: ReviewHousehold) -> None:
    """Refuse to change a household its village meeting has adopted (the review is back at the
    survey step for another village whose meeting did not adopt its result)."""
    if VillageMeeting.objects.filter(
        review_id=entry.review_id, village_id=entry.village_id, adopted=True
    ).exists():
        raise ValidationError({"survey": _("Cuộc họp của thôn đã thông qua kết quả của hộ này.")})


def _awaiting_recheck(entry: ReviewHousehold) -> Complaint | None:
    return Complaint.objects.filter(
        review_id=entry.review_id,
        entry=entry,
        resolution=ComplaintResolution.UPHELD,
        corrected_class="",
    ).first()


def survey_household(
    *,
    actor: Any,
    entry: ReviewHousehold,
    answers: dict[str, str],
    surveyed_on: dt.date,
) -> ReviewHousehold:
    """Phiếu B: score the answers (income estimate), assess the household under the year's
    standard with that income, and propose its class to the village meeting. At the posting
    step, only for a household whose complaint was upheld (the re-check, phúc tra)."""
    review = entry.review
    _check(actor, review.commune)
    recheck = _awaiting_recheck(entry) if review.step == ReviewStep.POSTING else None
    if recheck is None:
        _in_step(review, ReviewStep.SURVEY)
        _not_adopted(entry)
    if entry.screen != ScreenResult.SURVEY:
        raise ValidationError({"survey": _("Hộ chưa được Phiếu A chuyển sang khảo sát Phiếu B.")})
    if not review.opened_on <= surveyed_on <= timezone.localdate():
        raise ValidationError(
            {"surveyed_on": _("Ngày khảo sát phải từ ngày bắt đầu rà soát đến hôm nay.")}
        )
    household = entry.household
    with transaction.atomic():
        _lock(review, ReviewStep.POSTING if recheck else ReviewStep.SURVEY)
        survey = income_survey_record(
            actor=actor,
            household=household,
            review_year=review.review_year,
            answers=answers,
            surveyed_on=surveyed_on,
        )
        _result, assessment = assess_household(
            actor=actor, household=household, review_year=review.review_year
        )
        entry.survey = survey
        entry.assessment = assessment
        entry.proposed_class = assessment.poverty_class
        entry.updated_by = actor
        entry.save(
            update_fields=["survey", "assessment", "proposed_class", "updated_by", "updated_at"]
        )
        if recheck is not None:
            if not assessment.poverty_class:  # rolls the re-check back: the complaint stays open
                raise ValidationError(
                    {"survey": _("Phiếu B chưa cho phân loại được hộ: chưa thể kết luận phúc tra.")}
                )
            # every upheld complaint waiting on this household is answered by this re-check
            Complaint.objects.filter(
                review_id=entry.review_id,
                entry=entry,
                resolution=ComplaintResolution.UPHELD,
                corrected_class="",
            ).update(corrected_class=assessment.poverty_class)
        _event(
            review,
            actor,
            "recheck" if recheck else "surveyed",
            f"{household.code}: {survey.points} points, {assessment.poverty_class or '?'}",
        )
    return entry


# --- step 3: village meetings -----------------------------------------------------------------


def record_meeting(
    *,
    actor: Any,
    review: Review,
    village: Village,
    held_on: dt.date,
    attendees: int,
    votes_for: int,
    chair_name: str,
    secretary_name: str,
    minutes_village: UploadedFile,
    minutes_commune: UploadedFile,
) -> VillageMeeting:
    """One village meeting on the proposed classes, with its two signed minutes. Adopted when
    at least half of the attendees agree; otherwise the village's households go back to the
    survey (step 2) and a new meeting follows."""
    _check(actor, review.commune)
    _in_step(review, ReviewStep.MEETING)
    procedure = procedure_of(review)
    errors: dict[str, str] = {}
    if (
        not ReviewHousehold.objects.filter(review=review, village=village)
        .exclude(screen=ScreenResult.EXCLUDED)
        .exists()
    ):
        errors["village"] = _("Thôn không có hộ nào trong danh sách rà soát.")
    elif VillageMeeting.objects.filter(review=review, village=village, adopted=True).exists():
        errors["village"] = _("Cuộc họp của thôn đã thông qua kết quả.")
    if attendees < 1:
        errors["attendees"] = _("Cuộc họp phải có người dự.")
    elif not 0 <= votes_for <= attendees:
        errors["votes_for"] = _("Số người đồng ý không thể lớn hơn số người dự họp.")
    last_survey = (
        ReviewHousehold.objects.filter(review=review, village=village)
        .exclude(survey=None)
        .aggregate(last=Max("survey__surveyed_on"))["last"]
    )
    if held_on < review.opened_on or held_on > timezone.localdate():
        errors["held_on"] = _("Ngày họp phải từ ngày bắt đầu rà soát đến hôm nay.")
    elif last_survey and held_on < last_survey:
        errors["held_on"] = _("Ngày họp phải sau ngày khảo sát cuối cùng của thôn (%s).") % (
            f"{last_survey:%d/%m/%Y}"
        )
    if not minutes_village or not minutes_commune:
        errors["minutes_commune"] = _("Hãy tải lên %d biên bản đã ký.") % procedure.minutes_required
    if not chair_name.strip() or not secretary_name.strip():
        errors["chair_name"] = _("Ghi tên chủ trì và thư ký đã ký biên bản.")
    if errors:
        raise ValidationError(errors)
    adopted = proc.meeting_adopted(attendees, votes_for, procedure)
    with transaction.atomic():
        _lock(review, ReviewStep.MEETING)
        if VillageMeeting.objects.filter(review=review, village=village, adopted=True).exists():
            raise ValidationError({"village": _("Cuộc họp của thôn đã thông qua kết quả.")})
        meeting = VillageMeeting.objects.create(
            review=review,
            village=village,
            held_on=held_on,
            attendees=attendees,
            votes_for=votes_for,
            adopted=adopted,
            chair_name=chair_name.strip(),
            secretary_name=secretary_name.strip(),
            minutes_village=minutes_village,
            minutes_commune=minutes_commune,
            recorded_by=actor,
        )
        note = f"{village.name}: {votes_for}/{attendees}"
        if adopted:
            _event(review, actor, "meeting_adopted", note)
        else:
            ReviewHousehold.objects.filter(
                review=review, village=village, screen=ScreenResult.SURVEY
            ).update(survey=None, assessment=None, proposed_class="", updated_by=actor)
            _event(review, actor, "meeting_rejected", note)
            Review.objects.filter(pk=review.pk).update(step=ReviewStep.SURVEY)
            review.step = ReviewStep.SURVEY
            _event(review, actor, "reopened", f"{village.name}: back to the survey")
    return meeting


# --- step 4: public posting and complaints --------------------------------------------------------


def start_posting(
    *,
    actor: Any,
    review: Review,
    starts_on: dt.date,
    place: str,
    today: dt.date | None = None,
) -> Review:
    """Post the list publicly (village cultural house, commune office) for the procedure's
    number of working days, from today or a later day: a posting cannot be recorded as having
    started in the past, or its period could be over before anyone saw the list."""
    _check(actor, review.commune)
    _in_step(review, ReviewStep.POSTING)
    today = today or timezone.localdate()
    if review.posting_started is not None:
        raise ValidationError({"starts_on": _("Danh sách đã được niêm yết.")})
    if not place.strip():
        raise ValidationError({"place": _("Ghi nơi niêm yết danh sách.")})
    last_meeting = VillageMeeting.objects.filter(review=review, adopted=True).aggregate(
        last=Max("held_on")
    )["last"]
    if starts_on < (last_meeting or review.opened_on):
        raise ValidationError(
            {
                "starts_on": _("Danh sách niêm yết sau cuộc họp dân cuối cùng (%s).")
                % f"{last_meeting or review.opened_on:%d/%m/%Y}"
            }
        )
    if starts_on < today:
        raise ValidationError({"starts_on": _("Ngày bắt đầu niêm yết không thể trước hôm nay.")})
    with transaction.atomic():
        if _lock(review, ReviewStep.POSTING).posting_started is not None:
            raise ValidationError({"starts_on": _("Danh sách đã được niêm yết.")})
        review.posting_started = starts_on
        review.posting_ends = proc.posting_end(starts_on, procedure_of(review))
        review.posting_place = place.strip()
        review.save(update_fields=["posting_started", "posting_ends", "posting_place"])
        _event(review, actor, "posted", f"{starts_on:%d/%m/%Y}–{review.posting_ends:%d/%m/%Y}")
    return review


def lodge_complaint(
    *,
    actor: Any,
    review: Review,
    entry: ReviewHousehold | None,
    lodged_on: dt.date,
    complainant: str,
    text: str,
) -> Complaint:
    """A complaint received while the list is posted (about one household, or the list)."""
    _check(actor, review.commune)
    _in_step(review, ReviewStep.POSTING)
    if review.posting_started is None:
        raise ValidationError({"lodged_on": _("Danh sách chưa được niêm yết.")})
    if not review.posting_started <= lodged_on <= review.posting_ends:
        raise ValidationError(
            {
                "lodged_on": _("Chỉ nhận phản ánh trong thời gian niêm yết (%s).")
                % f"{review.posting_started:%d/%m/%Y}–{review.posting_ends:%d/%m/%Y}"
            }
        )
    if entry is not None and entry.review_id != review.pk:
        raise ValidationError({"entry": _("Hộ không có trong danh sách rà soát.")})
    if not text.strip() or not complainant.strip():
        raise ValidationError({"text": _("Ghi người phản ánh và nội dung phản ánh.")})
    with transaction.atomic():
        _lock(review, ReviewStep.POSTING)
        complaint = Complaint.objects.create(
            review=review,
            entry=entry,
            lodged_on=lodged_on,
            complainant=complainant.strip(),
            text=text.strip(),
            recorded_by=actor,
        )
        _event(review, actor, "complaint", complainant.strip())
    return complaint


def resolve_complaint(*, actor: Any, complaint: Complaint, resolution: str, note: str) -> Complaint:
    """Dismissed: nothing changes. Upheld: the household is re-checked (phúc tra) with a new
    Phiếu B (``survey_household``), whose class replaces the proposed one."""
    review = complaint.review
    _check(actor, review.commune)
    _in_step(review, ReviewStep.POSTING)
    if complaint.resolution:
        raise ValidationError({"resolution": _("Phản ánh này đã được giải quyết.")})
    if resolution not in (ComplaintResolution.UPHELD, ComplaintResolution.DISMISSED):
        raise ValidationError({"resolution": _("Chọn có cơ sở hoặc không có cơ sở.")})
    if not note.strip():
        raise ValidationError({"note": _("Ghi cách đã kiểm tra phản ánh.")})
    with transaction.atomic():
        _lock(review, ReviewStep.POSTING)
        if Complaint.objects.filter(pk=complaint.pk).exclude(resolution="").exists():
            raise ValidationError({"resolution": _("Phản ánh này đã được giải quyết.")})
        complaint.resolution = resolution
        complaint.resolution_note = note.strip()
        complaint.resolved_by = actor
        complaint.resolved_at = timezone.now()
        complaint.save()
        if resolution == ComplaintResolution.UPHELD and complaint.entry is not None:
            entry = complaint.entry
            entry.screen = ScreenResult.SURVEY
            entry.save(update_fields=["screen", "updated_at"])
        _event(review, actor, f"complaint_{resolution}", complaint.complainant)
    return complaint


# --- step 5: the decision -----------------------------------------------------------------------


def decide(
    *,
    actor: Any,
    review: Review,
    number: str,
    decision_date: dt.date,
    signer: str,
) -> Review:
    """The commune chair's decision: each listed household's outcome (recognised poor or
    near-poor, out of poverty or near-poverty, or not recognised), a certificate number for each
    recognised household, the assessments confirmed; the review is closed."""
    _check(actor, review.commune)
    _in_step(review, ReviewStep.DECISION)
    errors = {}
    if not number.strip():
        errors["number"] = _("Cần số quyết định.")
    if not signer.strip():
        errors["signer"] = _("Ghi tên người ký quyết định.")
    if review.posting_ends and decision_date <= review.posting_ends:
        errors["decision_date"] = _("Quyết định phải sau thời gian niêm yết.")
    if decision_date > timezone.localdate():
        errors["decision_date"] = _("Ngày quyết định ở tương lai.")
    if errors:
        raise ValidationError(errors)
    procedure = procedure_of(review)
    now = timezone.now()
    with transaction.atomic():
        # Lock every review of the commune's year: certificate numbers run through the year,
        # so two decisions of the same commune and year must not read the same last number.
        locked = list(
            Review.objects.select_for_update()
            .filter(commune_id=review.commune_id, review_year=review.review_year)
            .order_by("pk")
        )
        review = next(r for r in locked if r.pk == review.pk)
        _in_step(review, ReviewStep.DECISION)
        seq = (
            ReviewHousehold.objects.filter(
                review__commune=review.commune, review__review_year=review.review_year
            ).aggregate(last=Max("certificate_seq"))["last"]
            or 0
        )
        entries = list(
            ReviewHousehold.objects.filter(review=review).order_by(
                "village__name", "household__code"
            )
        )
        for entry in entries:
            # The class of the household's latest Phiếu B: a re-check after an upheld complaint
            # replaces the proposed class too (the complaint keeps it as corrected_class).
            final = entry.proposed_class
            if entry.screen == ScreenResult.EXCLUDED:
                final = ""
            entry.final_class = final if final in PovertyClass.values else ""
            entry.outcome = proc.outcome(entry.source, entry.final_class)
            if entry.final_class in RECOGNISED:
                seq += 1
                entry.certificate_seq = seq
                entry.certificate_number = proc.certificate_number(seq, procedure)
            entry.updated_by = actor
        ReviewHousehold.objects.bulk_update(
            entries,
            ["final_class", "outcome", "certificate_seq", "certificate_number", "updated_by"],
            batch_size=500,
        )
        confirmed = [e.assessment_id for e in entries if e.assessment_id]
        # What the chair recognised is the year's current assessment of each household, even if
        # someone re-assessed it after its Phiếu B: reports and next year's list read it.
        Assessment.objects.filter(
            household_id__in=[e.household_id for e in entries if e.assessment_id],
            review_year=review.review_year,
            is_current=True,
        ).exclude(pk__in=confirmed).update(is_current=False)
        Assessment.objects.filter(pk__in=confirmed).update(
            confirmed_by=actor, confirmed_at=now, is_current=True
        )
        certified = sum(e.final_class in RECOGNISED for e in entries)
        review.decision_number = number.strip()
        review.decision_date = decision_date
        review.decision_signer = signer.strip()
        review.step = ReviewStep.CLOSED
        review.save(update_fields=["decision_number", "decision_date", "decision_signer", "step"])
        _event(review, actor, "decided", number.strip(), step=ReviewStep.DECISION)
        record_change(
            actor=actor,
            action=Action.UPDATE,
            obj=review,
            after=snapshot(review),
            message=f"decision {number.strip()}: {certified} certificates",
        )
    return review
