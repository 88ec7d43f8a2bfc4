"""A commune's review, step by step (QĐ 24/2021): list → survey → meeting → posting → decision."""

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from langso.geo.models import Village
from langso.poverty import certificate, review
from langso.poverty.models import (
    Assessment,
    Complaint,
    IncomeSurvey,
    Review,
    ReviewEvent,
    ReviewHousehold,
    VillageMeeting,
)
from langso.poverty.procedure import Blocker, StepError
from langso.poverty.services import active_scorecard, assess_household
from tests.factories.accounts import analyst, commune_officer, province_admin
from tests.factories.geo import VillageFactory
from tests.factories.registry import household

pytestmark = pytest.mark.django_db

YEAR = 2026  # the lists the periodic review of autumn 2025 makes
OPENED = dt.date(2025, 9, 15)  # a Monday inside 1 September – 14 December 2025
# The walk below dates each step from the day the review opened: meetings 25 days later, the
# posting 49 days later (Monday 3 November: it ends Wednesday 5 November), the decision 15 days
# after the posting ends (20 November 2025).
MEETING_AFTER = dt.timedelta(days=25)
POSTING_AFTER = dt.timedelta(days=49)
POSTED = OPENED + POSTING_AFTER
POSTING_ENDS = dt.date(2025, 11, 5)
DECIDED = dt.date(2025, 11, 20)

POOR_FACTS = {
    "income_per_person": 900_000,
    "latrine": "none",
    "water_source": "surface",
    "floor_area_m2": 10,
}
# Deprived on nothing that is known; the income is under the poverty line: near-poor.
NEAR_POOR_FACTS = {
    "income_per_person": 900_000,
    "wall": "durable",
    "column": "durable",
    "roof": "durable",
    "floor_area_m2": 60,
    "water_source": "piped",
    "latrine": "septic",
}
NOT_EXCLUDED = {"car": False, "salaried": False, "solid_large_house": False, "business": False}


def phieu_b(best: bool) -> dict[str, str]:
    """Phiếu B answers of the example scorecard, each the lowest-scoring (an income estimated at
    the poverty line) or the highest-scoring (above the middle-income line)."""
    card = active_scorecard(YEAR)
    return {item.code: item.answers[-1 if best else 0].code for item in card.items}


def minutes() -> SimpleUploadedFile:
    return SimpleUploadedFile("bb.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- the builder ----------------------------------------------------------------------------


@dataclass
class Scene:
    """A commune with a poor household in Nà Rị and a near-poor one in Pác Bó (the lists of
    the year before), its officer and its periodic review."""

    officer: object
    village: object
    other_village: object
    poor: object
    near_poor: object
    review: Review

    def entry(self, h) -> ReviewHousehold:
        return ReviewHousehold.objects.get(review=self.review, household=h)

    def refresh(self) -> Review:
        self.review.refresh_from_db()
        return self.review


def on_the_lists(village, facts, officer, year=YEAR - 1):
    """A household whose current assessment of ``year`` puts it on that year's lists."""
    h = household(village, facts=facts)
    assess_household(actor=officer, household=h, review_year=year)
    return h


def meet(scene, village, attendees=30, votes_for=30, on=None) -> VillageMeeting:
    return review.record_meeting(
        actor=scene.officer,
        review=scene.review,
        village=village,
        held_on=on or scene.review.opened_on + MEETING_AFTER,
        attendees=attendees,
        votes_for=votes_for,
        chair_name="Nông Văn Chủ",
        secretary_name="Hoàng Thị Thư",
        minutes_village=minutes(),
        minutes_commune=minutes(),
    )


def survey(scene, h, best=False) -> ReviewHousehold:
    return review.survey_household(
        actor=scene.officer,
        entry=scene.entry(h),
        answers=phieu_b(best),
        surveyed_on=scene.review.opened_on + dt.timedelta(days=10),
    )


def apply(scene):
    """A household of Nà Rị that applies to be reviewed."""
    h = household(scene.village, facts={"income_per_person": 5_000_000})
    review.add_application(actor=scene.officer, review=scene.review, household=h, applied_on=OPENED)
    return h


def decide(scene, actor=None, on=DECIDED) -> Review:
    scene.review = review.decide(
        actor=actor or scene.officer,
        review=scene.review,
        number="125/QĐ-UBND",
        decision_date=on,
        signer="Lương Văn Chủ Tịch",
    )
    return scene.review


def finish(scene, today=None) -> Review:
    scene.review = review.finish_step(
        actor=scene.officer, review=scene.review, today=today or scene.review.opened_on
    )
    return scene.review


def walk(scene, to: str) -> Scene:
    """Do what each step needs, the plain way, until the review reaches step ``to``: applicants
    answer no to Phiếu A, every household gets the lowest-scoring Phiếu B, every meeting adopts,
    the posting starts 49 days after the review opened and draws no complaint."""
    while scene.review.step != to:
        step, r = scene.review.step, scene.review
        if step == "survey":
            for entry in ReviewHousehold.objects.filter(review=r, screen=""):
                review.screen_household(actor=scene.officer, entry=entry, answers=NOT_EXCLUDED)
            for entry in ReviewHousehold.objects.filter(review=r, screen="survey", survey=None):
                survey(scene, entry.household)
        elif step == "meeting":
            for village in review.progress_of(r).villages_without_meeting:
                meet(scene, Village.objects.get(commune=r.commune, name=village))
        elif step == "posting":
            if r.posting_started is None:
                starts = r.opened_on + POSTING_AFTER
                review.start_posting(
                    actor=scene.officer, review=r, starts_on=starts, place="x", today=starts
                )
            finish(scene, today=r.posting_ends + dt.timedelta(days=1))
            continue
        elif step == "decision":
            decide(scene, on=r.posting_ends + dt.timedelta(days=15))
            continue
        finish(scene)
    return scene


def review_at(step: str = "list") -> Scene:
    """A new scene whose periodic review of ``YEAR`` has reached ``step``."""
    officer = commune_officer("01273")
    village = VillageFactory(commune_id="01273", name="Nà Rị")
    other_village = VillageFactory(commune_id="01273", name="Pác Bó")
    poor = on_the_lists(village, POOR_FACTS, officer)
    near_poor = on_the_lists(other_village, NEAR_POOR_FACTS, officer)
    opened = review.open_review(
        actor=officer, commune=village.commune, review_year=YEAR, today=OPENED
    )
    return walk(Scene(officer, village, other_village, poor, near_poor, opened), step)


REGULAR_OPENED = dt.date(2026, 3, 16)  # a regular review of the 2026 lists, from the 15th


def open_regular(scene) -> Review:
    return review.open_review(
        actor=scene.officer,
        commune=scene.village.commune,
        review_year=YEAR,
        kind="regular",
        today=REGULAR_OPENED,
    )


def regular_review_with_a_newcomer(scene):
    """A regular review of the scene's commune with one poor household that applied to it."""
    regular = open_regular(scene)
    newcomer = household(scene.village, facts=POOR_FACTS)
    review.add_application(
        actor=scene.officer, review=regular, household=newcomer, applied_on=REGULAR_OPENED
    )
    return Scene(scene.officer, scene.village, scene.other_village, None, None, regular), newcomer


def raised_blockers(error) -> list[str]:
    return [b.code for b in error.value.blockers]


# --- step 1: the list ---------------------------------------------------------------------------


def test_a_periodic_review_lists_the_poor_and_near_poor_households_of_the_year_before():
    scene = review_at("list")
    listed = ReviewHousehold.objects.filter(review=scene.review)
    assert {(e.household_id, e.village_id, e.source, e.screen) for e in listed} == {
        (scene.poor.pk, scene.village.pk, "poor", "survey"),
        (scene.near_poor.pk, scene.other_village.pk, "near_poor", "survey"),
    }


def test_a_periodic_review_leaves_out_households_not_on_last_years_lists():
    officer = commune_officer("01273")
    village = VillageFactory(commune_id="01273")
    on_the_lists(village, {"income_per_person": 5_000_000}, officer)  # above the lines
    on_the_lists(village, POOR_FACTS, officer, year=YEAR - 2)  # poor two years before
    on_the_lists(VillageFactory(commune_id="01279"), POOR_FACTS, province_admin("04"))
    left_poverty = on_the_lists(village, POOR_FACTS, officer)
    left_poverty.income_per_person = 5_000_000
    left_poverty.save()
    assess_household(actor=officer, household=left_poverty, review_year=YEAR - 1)  # now above
    kept = on_the_lists(village, POOR_FACTS, officer)
    opened = review.open_review(
        actor=officer, commune=village.commune, review_year=YEAR, today=OPENED
    )
    listed = ReviewHousehold.objects.filter(review=opened).values_list("household", flat=True)
    assert list(listed) == [kept.pk]


@pytest.mark.parametrize("today", [dt.date(2025, 8, 31), dt.date(2025, 12, 15)])
def test_a_periodic_review_cannot_be_opened_outside_its_window(today):
    village = VillageFactory(commune_id="01273")
    with pytest.raises(ValidationError):
        review.open_review(
            actor=commune_officer("01273"), commune=village.commune, review_year=YEAR, today=today
        )
    assert not Review.objects.exists()


def test_a_regular_review_cannot_be_opened_before_the_15th():
    village = VillageFactory(commune_id="01273")
    with pytest.raises(ValidationError):
        review.open_review(
            actor=commune_officer("01273"),
            commune=village.commune,
            review_year=YEAR,
            kind="regular",
            today=dt.date(2026, 3, 14),
        )


def test_a_commune_has_one_periodic_review_a_year():
    scene = review_at("list")
    with pytest.raises(ValidationError):
        review.open_review(
            actor=scene.officer, commune=scene.village.commune, review_year=YEAR, today=OPENED
        )
    assert Review.objects.count() == 1


def test_an_analyst_cannot_open_a_review():
    village = VillageFactory(commune_id="01273")
    with pytest.raises(PermissionDenied):
        review.open_review(
            actor=analyst("04"), commune=village.commune, review_year=YEAR, today=OPENED
        )


def test_an_officer_of_another_commune_cannot_open_a_review():
    village = VillageFactory(commune_id="01273")
    with pytest.raises(PermissionDenied):
        review.open_review(
            actor=commune_officer("01279"), commune=village.commune, review_year=YEAR, today=OPENED
        )


def test_a_province_admin_may_open_a_review_of_a_commune_of_the_province():
    village = VillageFactory(commune_id="01273")
    opened = review.open_review(
        actor=province_admin("04"), commune=village.commune, review_year=YEAR, today=OPENED
    )
    assert (opened.step, opened.procedure, opened.standard) == ("list", "qd24-2021", "nd07-2021")


def test_an_application_joins_the_list_awaiting_phieu_a():
    scene = review_at("list")
    h = apply(scene)
    assert (scene.entry(h).source, scene.entry(h).screen) == ("application", "")


def test_an_application_from_another_commune_is_refused():
    scene = review_at("list")
    stranger = household(VillageFactory(commune_id="01279"))
    with pytest.raises(ValidationError):
        review.add_application(
            actor=scene.officer, review=scene.review, household=stranger, applied_on=OPENED
        )


def test_applications_are_taken_only_at_the_list_step():
    scene = review_at("survey")
    with pytest.raises(StepError):
        apply(scene)


def test_an_empty_list_cannot_go_to_the_survey():
    village = VillageFactory(commune_id="01273")
    officer = commune_officer("01273")
    opened = review.open_review(
        actor=officer, commune=village.commune, review_year=YEAR, today=OPENED
    )
    with pytest.raises(StepError) as error:
        review.finish_step(actor=officer, review=opened, today=OPENED)
    assert raised_blockers(error) == ["empty_list"]


# --- step 2: Phiếu A and Phiếu B ---------------------------------------------------------------


def test_an_application_gets_phieu_a_before_phieu_b():
    scene = review_at("list")
    h = apply(scene)
    finish(scene)
    with pytest.raises(ValidationError):
        survey(scene, h)
    assert not IncomeSurvey.objects.filter(household=h).exists()


def test_phieu_a_with_every_answer_no_sends_the_household_to_phieu_b():
    scene = review_at("list")
    h = apply(scene)
    finish(scene)
    review.screen_household(actor=scene.officer, entry=scene.entry(h), answers=NOT_EXCLUDED)
    assert scene.entry(h).screen == "survey"
    assert survey(scene, h).assessment is not None


def test_an_excluding_phieu_a_answer_excludes_the_household():
    scene = review_at("list")
    h = apply(scene)
    finish(scene)
    answers = NOT_EXCLUDED | {"car": True}
    review.screen_household(actor=scene.officer, entry=scene.entry(h), answers=answers)
    assert scene.entry(h).screen == "excluded"
    with pytest.raises(ValidationError):
        survey(scene, h)


def test_phieu_a_with_an_unanswered_question_is_refused():
    scene = review_at("list")
    h = apply(scene)
    finish(scene)
    with pytest.raises(ValidationError):
        review.screen_household(actor=scene.officer, entry=scene.entry(h), answers={"car": False})
    assert scene.entry(h).screen == ""


def test_the_survey_cannot_finish_before_every_application_is_screened():
    scene = review_at("list")
    apply(scene)
    finish(scene)
    survey(scene, scene.poor)
    survey(scene, scene.near_poor)
    with pytest.raises(StepError) as error:
        finish(scene)
    assert error.value.blockers == (Blocker("awaiting_screen", 1),)


def test_the_survey_cannot_finish_with_households_not_surveyed():
    scene = review_at("survey")
    survey(scene, scene.poor)
    with pytest.raises(StepError) as error:
        finish(scene)
    assert error.value.blockers == (Blocker("awaiting_survey", 1),)
    assert scene.refresh().step == "survey"


def test_a_survey_stores_phieu_b_and_an_assessment_and_proposes_its_class():
    scene = review_at("survey")
    entry = survey(scene, scene.poor)
    stored = IncomeSurvey.objects.get(household=scene.poor, review_year=YEAR, is_current=True)
    assessment = Assessment.objects.get(household=scene.poor, review_year=YEAR, is_current=True)
    assert (entry.survey, entry.assessment, entry.proposed_class) == (stored, assessment, "poor")
    assert assessment.income_method == "scorecard"


def test_a_better_off_phieu_b_proposes_a_class_above_the_lines():
    scene = review_at("survey")
    assert survey(scene, scene.poor, best=True).proposed_class == "above"


def test_households_on_the_lists_skip_phieu_a():
    scene = review_at("survey")
    with pytest.raises(ValidationError):
        review.screen_household(
            actor=scene.officer, entry=scene.entry(scene.poor), answers=NOT_EXCLUDED
        )
    assert scene.entry(scene.poor).screen_answers is None


def test_households_cannot_be_surveyed_at_the_list_step():
    scene = review_at("list")
    with pytest.raises(StepError):
        survey(scene, scene.poor)


# --- steps cannot be skipped ---------------------------------------------------------------------


def test_a_meeting_cannot_be_recorded_at_the_survey_step():
    scene = review_at("survey")
    with pytest.raises(StepError):
        meet(scene, scene.village)
    assert not VillageMeeting.objects.exists()


def test_the_posting_cannot_start_at_the_meeting_step():
    scene = review_at("meeting")
    with pytest.raises(StepError):
        review.start_posting(
            actor=scene.officer, review=scene.review, starts_on=POSTED, place="x", today=POSTED
        )
    assert scene.refresh().posting_started is None


def test_the_decision_cannot_be_taken_at_the_posting_step():
    scene = review_at("posting")
    with pytest.raises(StepError):
        decide(scene)


def test_the_meeting_step_cannot_finish_before_every_village_adopted_its_result():
    scene = review_at("meeting")
    meet(scene, scene.village)
    with pytest.raises(StepError) as error:
        finish(scene)
    assert error.value.blockers == (Blocker("villages_without_meeting", 1, ("Pác Bó",)),)


# --- step 3: village meetings --------------------------------------------------------------------


def test_a_meeting_with_exactly_half_in_favour_adopts():
    scene = review_at("meeting")
    assert meet(scene, scene.village, attendees=30, votes_for=15).adopted
    meet(scene, scene.other_village)
    assert finish(scene).step == "posting"


def test_a_meeting_under_half_in_favour_sends_the_village_back_to_the_survey():
    scene = review_at("meeting")
    meeting = meet(scene, scene.village, attendees=31, votes_for=15)
    entry = scene.entry(scene.poor)
    assert not meeting.adopted
    assert scene.refresh().step == "survey"
    assert (entry.survey, entry.assessment, entry.proposed_class) == (None, None, "")


def test_a_rejected_meeting_keeps_the_other_villages_proposals():
    scene = review_at("meeting")
    meet(scene, scene.other_village)
    meet(scene, scene.village, attendees=31, votes_for=15)
    assert scene.entry(scene.near_poor).proposed_class == "near_poor"


def test_after_a_rejected_meeting_the_village_is_surveyed_and_meets_again():
    scene = review_at("meeting")
    meet(scene, scene.other_village)
    meet(scene, scene.village, attendees=31, votes_for=15)
    with pytest.raises(StepError) as error:
        finish(scene)
    assert error.value.blockers == (Blocker("awaiting_survey", 1),)
    survey(scene, scene.poor)
    finish(scene)
    with pytest.raises(StepError) as error:
        finish(scene)
    assert error.value.blockers == (Blocker("villages_without_meeting", 1, ("Nà Rị",)),)


def test_a_village_whose_meeting_adopted_its_result_is_not_surveyed_again():
    scene = review_at("meeting")
    meet(scene, scene.other_village)
    meet(scene, scene.village, attendees=31, votes_for=15)
    with pytest.raises(ValidationError):
        survey(scene, scene.near_poor, best=True)
    assert scene.entry(scene.near_poor).proposed_class == "near_poor"


def test_a_meeting_needs_both_signed_minutes():
    scene = review_at("meeting")
    with pytest.raises(ValidationError):
        review.record_meeting(
            actor=scene.officer,
            review=scene.review,
            village=scene.village,
            held_on=OPENED + MEETING_AFTER,
            attendees=30,
            votes_for=30,
            chair_name="Nông Văn Chủ",
            secretary_name="Hoàng Thị Thư",
            minutes_village=minutes(),
            minutes_commune=None,
        )


def test_a_meeting_before_the_review_opened_is_refused():
    scene = review_at("meeting")
    with pytest.raises(ValidationError):
        meet(scene, scene.village, on=OPENED - dt.timedelta(days=1))


# --- step 4: posting and complaints -----------------------------------------------------------


def test_the_posting_ends_after_three_working_days():
    scene = review_at("posting")
    friday = dt.date(2025, 10, 31)
    posted = review.start_posting(
        actor=scene.officer, review=scene.review, starts_on=friday, place="x", today=friday
    )
    assert posted.posting_ends == dt.date(2025, 11, 4)


def test_the_posting_step_cannot_finish_before_the_posting_ends():
    scene = review_at("posting")
    review.start_posting(
        actor=scene.officer, review=scene.review, starts_on=POSTED, place="x", today=POSTED
    )
    with pytest.raises(StepError) as error:
        finish(scene, today=POSTING_ENDS)
    assert raised_blockers(error) == ["posting_running"]


def test_the_posting_cannot_start_before_the_meetings_were_held():
    scene = review_at("posting")
    with pytest.raises(ValidationError):
        review.start_posting(
            actor=scene.officer,
            review=scene.review,
            starts_on=OPENED + MEETING_AFTER - dt.timedelta(days=1),
            place="x",
            today=OPENED,
        )


def posted(scene) -> Scene:
    review.start_posting(
        actor=scene.officer, review=scene.review, starts_on=POSTED, place="x", today=POSTED
    )
    return scene


def complain(scene, h=None, on=POSTED) -> Complaint:
    return review.lodge_complaint(
        actor=scene.officer,
        review=scene.review,
        entry=scene.entry(h) if h else None,
        lodged_on=on,
        complainant="Bế Văn Hàng Xóm",
        text="Hộ này có ô tô.",
    )


@pytest.mark.parametrize("on", [POSTED - dt.timedelta(days=1), POSTING_ENDS + dt.timedelta(days=1)])
def test_complaints_are_taken_only_while_the_list_is_posted(on):
    scene = posted(review_at("posting"))
    with pytest.raises(ValidationError):
        complain(scene, scene.poor, on=on)
    assert not Complaint.objects.exists()


def test_a_complaint_on_the_last_day_of_the_posting_is_taken():
    scene = posted(review_at("posting"))
    assert complain(scene, scene.poor, on=POSTING_ENDS).resolution == ""


def test_the_decision_waits_for_open_complaints():
    scene = posted(review_at("posting"))
    complain(scene, scene.poor)
    with pytest.raises(StepError) as error:
        finish(scene, today=POSTING_ENDS + dt.timedelta(days=1))
    assert error.value.blockers == (Blocker("open_complaints", 1),)


def test_a_dismissed_complaint_no_longer_holds_the_decision():
    scene = posted(review_at("posting"))
    complaint = complain(scene, scene.poor)
    review.resolve_complaint(
        actor=scene.officer, complaint=complaint, resolution="dismissed", note="Xe của người thân."
    )
    assert finish(scene, today=POSTING_ENDS + dt.timedelta(days=1)).step == "decision"


def test_an_upheld_complaint_holds_the_decision_until_the_household_is_surveyed_again():
    scene = posted(review_at("posting"))
    complaint = complain(scene, scene.poor)
    review.resolve_complaint(
        actor=scene.officer, complaint=complaint, resolution="upheld", note="Đã xác minh có ô tô."
    )
    with pytest.raises(StepError) as error:
        finish(scene, today=POSTING_ENDS + dt.timedelta(days=1))
    assert error.value.blockers == (Blocker("open_complaints", 1),)


def test_the_class_of_the_resurvey_after_an_upheld_complaint_is_what_the_decision_recognises():
    scene = posted(review_at("posting"))
    complaint = complain(scene, scene.poor)
    review.resolve_complaint(
        actor=scene.officer, complaint=complaint, resolution="upheld", note="Đã xác minh có ô tô."
    )
    survey(scene, scene.poor, best=True)
    complaint.refresh_from_db()
    assert complaint.corrected_class == "above"
    walk(scene, "closed")
    entry = scene.entry(scene.poor)
    assert (entry.final_class, entry.outcome, entry.certificate_number) == (
        "above",
        "left_poverty",
        "",
    )


def test_one_recheck_answers_every_upheld_complaint_on_the_household():
    scene = posted(review_at("posting"))
    later = complain(scene, scene.poor, on=POSTING_ENDS)
    earlier = complain(scene, scene.poor, on=POSTED)
    for complaint in (later, earlier):  # resolved in the other order than they were lodged
        review.resolve_complaint(
            actor=scene.officer, complaint=complaint, resolution="upheld", note="Đã xác minh."
        )
    survey(scene, scene.poor, best=True)
    assert set(
        Complaint.objects.filter(pk__in=[later.pk, earlier.pk]).values_list(
            "corrected_class", flat=True
        )
    ) == {"above"}
    walk(scene, "closed")
    assert scene.entry(scene.poor).final_class == "above"


def test_a_household_without_an_upheld_complaint_is_not_surveyed_at_the_posting_step():
    scene = posted(review_at("posting"))
    with pytest.raises(StepError):
        survey(scene, scene.poor, best=True)
    assert scene.entry(scene.poor).proposed_class == "poor"


# --- step 5: the decision ---------------------------------------------------------------------


def test_the_decision_numbers_certificates_of_recognised_households_only():
    scene = review_at("list")
    excluded, better_off = apply(scene), apply(scene)
    finish(scene)
    review.screen_household(
        actor=scene.officer, entry=scene.entry(excluded), answers=NOT_EXCLUDED | {"car": True}
    )
    review.screen_household(
        actor=scene.officer, entry=scene.entry(better_off), answers=NOT_EXCLUDED
    )
    survey(scene, better_off, best=True)
    walk(scene, "closed")
    results = {
        h.pk: (e.final_class, e.outcome, e.certificate_number)
        for h in (scene.poor, scene.near_poor, excluded, better_off)
        for e in [scene.entry(h)]
    }
    assert results == {
        scene.poor.pk: ("poor", "poor", "1/GCN-HN.HCN"),  # Nà Rị comes before Pác Bó
        scene.near_poor.pk: ("near_poor", "near_poor", "2/GCN-HN.HCN"),
        excluded.pk: ("", "not_recognised", ""),
        better_off.pk: ("above", "not_recognised", ""),
    }


def test_a_household_that_left_poverty_gets_no_certificate():
    scene = review_at("survey")
    survey(scene, scene.poor, best=True)
    walk(scene, "closed")
    entry = scene.entry(scene.poor)
    assert (entry.outcome, entry.certificate_number) == ("left_poverty", "")
    assert scene.entry(scene.near_poor).certificate_number == "1/GCN-HN.HCN"


def test_certificate_numbers_continue_through_the_reviews_of_the_commune_and_year():
    scene = walk(review_at("list"), "closed")
    later, newcomer = regular_review_with_a_newcomer(scene)
    walk(later, "closed")
    assert later.entry(newcomer).certificate_number == "3/GCN-HN.HCN"


def test_the_decision_confirms_the_assessments_it_rests_on():
    scene = review_at("decision")
    chair = province_admin("04")
    decide(scene, actor=chair)
    entries = ReviewHousehold.objects.filter(review=scene.review).select_related("assessment")
    assert {e.assessment.confirmed_by for e in entries} == {chair}


def test_the_decision_closes_the_review():
    scene = review_at("decision")
    closed = decide(scene)
    assert (closed.step, closed.decision_number, closed.decision_date) == (
        "closed",
        "125/QĐ-UBND",
        DECIDED,
    )
    with pytest.raises(StepError):
        finish(scene)


def test_the_decision_must_come_after_the_posting():
    scene = review_at("decision")
    with pytest.raises(ValidationError):
        decide(scene, on=POSTING_ENDS)
    assert scene.refresh().step == "decision"


def test_every_step_leaves_an_event_with_who_did_it():
    scene = review_at("decision")
    chair = province_admin("04")
    decide(scene, actor=chair)
    events = [(e.step, e.action, e.by) for e in ReviewEvent.objects.filter(review=scene.review)]
    officer = scene.officer
    assert events == [
        ("list", "opened", officer),
        ("list", "finished", officer),
        ("survey", "surveyed", officer),
        ("survey", "surveyed", officer),
        ("survey", "finished", officer),
        ("meeting", "meeting_adopted", officer),
        ("meeting", "meeting_adopted", officer),
        ("meeting", "finished", officer),
        ("posting", "posted", officer),
        ("posting", "finished", officer),
        ("decision", "decided", chair),
    ]


def test_the_certificate_shows_its_number_and_the_heads_name_and_full_id_number():
    scene = walk(review_at("list"), "closed")
    data = certificate.pdf(
        [scene.entry(scene.poor)],
        {
            "commune_name": scene.village.commune.name,
            "decision_number": scene.review.decision_number,
            "decision_date": scene.review.decision_date,
            "decision_signer": scene.review.decision_signer,
            "standard_title": "Nghị định 07/2021/NĐ-CP",
        },
    )
    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    assert "1/GCN-HN.HCN" in text
    assert "Nông Văn Dũng" in text
    assert "004080012345" in text


def test_a_household_that_moved_in_is_reviewed_by_the_commune_it_lives_in_now():
    officer = commune_officer("01273")
    village = VillageFactory(commune_id="01273")
    moved = on_the_lists(VillageFactory(commune_id="01279"), POOR_FACTS, province_admin("04"))
    moved.commune_id, moved.village = "01273", village
    moved.save()
    opened = review.open_review(
        actor=officer, commune=village.commune, review_year=YEAR, today=OPENED
    )
    listed = ReviewHousehold.objects.filter(review=opened).values_list("household", flat=True)
    assert list(listed) == [moved.pk]


def test_regular_reviews_are_reported_by_month_with_the_5th_of_the_next_as_due_date():
    from langso.poverty.review_queries import regular_months

    scene = walk(review_at("list"), "closed")  # a periodic review: not in the monthly report
    later, _ = regular_review_with_a_newcomer(scene)
    walk(later, "closed")  # decided on 21 May 2026
    (row,) = regular_months(scene.officer, 2026)
    assert (row.month, row.due, row.reviews, row.counts) == (
        dt.date(2026, 5, 1),
        dt.date(2026, 6, 5),
        1,
        {"poor": 1},
    )


def test_a_posting_cannot_be_recorded_as_started_before_today():
    scene = review_at("posting")
    with pytest.raises(ValidationError) as refused:
        review.start_posting(
            actor=scene.officer,
            review=scene.review,
            starts_on=POSTED,
            place="x",
            today=POSTED + dt.timedelta(days=1),
        )
    assert "starts_on" in refused.value.message_dict


def test_a_listed_household_that_applies_in_a_regular_review_keeps_its_class_as_reason():
    scene = walk(review_at("list"), "closed")  # the poor household is recognised poor for 2026
    regular = open_regular(scene)
    entry = review.add_application(
        actor=scene.officer, review=regular, household=scene.poor, applied_on=REGULAR_OPENED
    )
    assert (entry.source, entry.screen) == ("poor", "survey")


def test_a_regular_review_is_for_the_lists_of_the_current_year():
    officer = commune_officer("01273")
    village = VillageFactory(commune_id="01273")
    with pytest.raises(ValidationError):
        review.open_review(
            actor=officer,
            commune=village.commune,
            review_year=2027,
            kind="regular",
            today=dt.date(2026, 3, 16),
        )


def test_the_decision_makes_the_assessment_it_confirms_the_current_one():
    scene = review_at("decision")
    entry = scene.entry(scene.poor)
    assess_household(actor=scene.officer, household=scene.poor, review_year=YEAR)  # a re-run
    decide(scene)
    current = Assessment.objects.get(household=scene.poor, review_year=YEAR, is_current=True)
    assert current.pk == entry.assessment_id
