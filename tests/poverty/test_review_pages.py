"""Review pages: scoped lists, refusals shown as messages, the public posting list without
sensitive fields, certificates only for those who may see ID numbers."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from langso.audit.models import Action, ChangeEvent
from langso.geo.models import Commune
from langso.poverty import review
from langso.poverty.models import Review, ReviewHousehold
from langso.poverty.services import active_scorecard, assess_household
from tests.factories.accounts import analyst, commune_officer
from tests.factories.geo import VillageFactory
from tests.factories.registry import household
from tests.factories.sessions import signed_in

pytestmark = pytest.mark.django_db

POOR_FACTS = {
    "income_per_person": 900_000,
    "latrine": "none",
    "water_source": "surface",
    "floor_area_m2": 10,
}
OPENED = dt.date(2025, 9, 15)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _listed_review(officer) -> tuple[Review, ReviewHousehold]:
    """A 2026 periodic review of commune 01273 with one household poor in 2025."""
    village = VillageFactory(commune_id="01273", name="Nà Rị")
    h = household(village, facts=POOR_FACTS)
    assess_household(actor=officer, household=h, review_year=2025)
    r = review.open_review(
        actor=officer, commune=Commune.objects.get(code="01273"), review_year=2026, today=OPENED
    )
    return r, ReviewHousehold.objects.get(review=r)


def _closed_review(officer) -> tuple[Review, ReviewHousehold]:
    r, entry = _listed_review(officer)
    r = review.finish_step(actor=officer, review=r, today=OPENED)
    card = active_scorecard(2026)
    poorest = {item.code: min(item.answers, key=lambda a: a.points).code for item in card.items}
    review.survey_household(
        actor=officer, entry=entry, answers=poorest, surveyed_on=dt.date(2025, 10, 1)
    )
    r = review.finish_step(actor=officer, review=r, today=dt.date(2025, 10, 2))
    review.record_meeting(
        actor=officer,
        review=r,
        village=entry.village,
        held_on=dt.date(2025, 10, 10),
        attendees=20,
        votes_for=15,
        chair_name="Nông Văn Tài",
        secretary_name="Lục Thị Mai",
        minutes_village=SimpleUploadedFile("thon.pdf", b"%PDF-1.4 thon"),
        minutes_commune=SimpleUploadedFile("xa.pdf", b"%PDF-1.4 xa"),
    )
    r = review.finish_step(actor=officer, review=r, today=dt.date(2025, 10, 11))
    posted = dt.date(2025, 11, 3)
    review.start_posting(
        actor=officer, review=r, starts_on=posted, place="Nhà văn hóa", today=posted
    )
    r = review.finish_step(actor=officer, review=r, today=dt.date(2025, 11, 10))
    review.decide(
        actor=officer,
        review=r,
        number="123/QĐ-UBND",
        decision_date=dt.date(2025, 11, 20),
        signer="Hoàng Văn Chủ",
    )
    r.refresh_from_db()
    entry.refresh_from_db()
    return r, entry


def _other_commune() -> str:
    return Commune.objects.filter(province_id="04").exclude(code="01273").first().code


def test_the_review_list_shows_only_reviews_of_my_area():
    officer = commune_officer("01273")
    r, _ = _listed_review(officer)
    link = f'href="/poverty/reviews/{r.pk}/"'
    mine = signed_in(officer).get(reverse("poverty:reviews"))
    theirs = signed_in(commune_officer(_other_commune())).get(reverse("poverty:reviews"))
    assert "Nà Rị" not in theirs.content.decode()
    assert link in mine.content.decode()
    assert link not in theirs.content.decode()


def test_a_review_of_another_commune_is_not_found():
    r, _ = _listed_review(commune_officer("01273"))
    response = signed_in(commune_officer(_other_commune())).get(
        reverse("poverty:review", args=[r.pk])
    )
    assert response.status_code == 404


def test_the_review_page_shows_the_step_and_what_blocks_the_next_one():
    officer = commune_officer("01273")
    r, _ = _listed_review(officer)
    review.finish_step(actor=officer, review=r, today=OPENED)
    page = signed_in(officer).get(reverse("poverty:review", args=[r.pk])).content.decode()
    assert "Bước hiện tại: Rà soát, chấm điểm" in page
    assert "1 hộ chưa khảo sát, chấm điểm Phiếu B." in page


def test_a_step_asked_for_out_of_order_is_refused_with_a_message_and_nothing_changes():
    officer = commune_officer("01273")
    r, _ = _listed_review(officer)
    response = signed_in(officer).post(
        reverse("poverty:review_decide", args=[r.pk]),
        {"number": "1/QĐ", "decision_date": "2025-11-20", "signer": "A"},
        follow=True,
    )
    assert "Việc này chỉ làm ở bước: Quyết định công nhận" in response.content.decode()
    r.refresh_from_db()
    assert (r.step, r.decision_number) == ("list", "")


def test_the_survey_form_scores_the_household_and_shows_its_class():
    officer = commune_officer("01273")
    r, entry = _listed_review(officer)
    review.finish_step(actor=officer, review=r, today=OPENED)
    card = active_scorecard(2026)
    data = {
        f"item_{item.code}": min(item.answers, key=lambda a: a.points).code for item in card.items
    }
    response = signed_in(officer).post(
        reverse("poverty:review_survey", args=[r.pk, entry.pk]),
        {**data, "surveyed_on": "2025-10-01"},
        follow=True,
    )
    entry.refresh_from_db()
    assert entry.proposed_class == "poor"
    assert 'data-testid="survey-result"' in response.content.decode()


def test_the_posting_list_shows_heads_and_proposals_but_no_id_number_or_ethnicity():
    officer = commune_officer("01273")
    r, _ = _closed_review(officer)
    page = signed_in(officer).get(reverse("poverty:posting_list", args=[r.pk])).content.decode()
    assert "Nông Văn Dũng" in page
    assert "Công nhận hộ nghèo" in page
    for sensitive in ("004080012345", "2345", "Tày", "Dân tộc", "CCCD"):
        assert sensitive not in page


def test_a_certificate_is_a_pdf_with_its_number_and_the_read_is_logged():
    import io

    from pypdf import PdfReader

    officer = commune_officer("01273")
    r, entry = _closed_review(officer)
    response = signed_in(officer).get(reverse("poverty:review_certificate", args=[r.pk, entry.pk]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert response["Content-Type"] == "application/pdf"
    assert "1/GCN-HN.HCN" in text
    assert "004080012345" in text
    assert ChangeEvent.objects.filter(action=Action.READ, actor=officer).exists()


def test_a_user_who_may_not_see_id_numbers_gets_no_certificate():
    officer = commune_officer("01273")
    r, entry = _closed_review(officer)
    response = signed_in(analyst()).get(
        reverse("poverty:review_certificate", args=[r.pk, entry.pk])
    )
    assert response.status_code == 403


def test_meeting_minutes_are_served_to_the_commune_and_not_outside_it():
    officer = commune_officer("01273")
    r, _ = _closed_review(officer)
    meeting = r.meetings.get()
    url = reverse("poverty:review_minutes", args=[r.pk, meeting.pk, "village"])
    assert b"".join(signed_in(officer).get(url).streaming_content) == b"%PDF-1.4 thon"
    assert signed_in(commune_officer(_other_commune())).get(url).status_code == 404


def test_all_certificates_are_printed_by_a_job_for_their_author():
    from langso.jobs.models import Job

    officer = commune_officer("01273")
    r, _ = _closed_review(officer)
    response = signed_in(officer).post(reverse("poverty:review_certificates", args=[r.pk]))
    job = Job.objects.get(kind="poverty.certificates")
    assert response.status_code == 302
    assert job.params == {"review": r.pk}


def test_a_meeting_with_bad_figures_shows_the_form_again_with_what_was_typed():
    officer = commune_officer("01273")
    r, entry = _listed_review(officer)
    r = review.finish_step(actor=officer, review=r, today=OPENED)
    card = active_scorecard(2026)
    answers = {item.code: item.answers[0].code for item in card.items}
    review.survey_household(
        actor=officer, entry=entry, answers=answers, surveyed_on=dt.date(2025, 10, 1)
    )
    review.finish_step(actor=officer, review=r, today=dt.date(2025, 10, 2))
    response = signed_in(officer).post(
        reverse("poverty:review_meeting", args=[r.pk]),
        {
            "village": entry.village_id,
            "held_on": "2025-10-10",
            "attendees": 10,
            "votes_for": 12,
            "chair_name": "Nông Văn Tài",
            "secretary_name": "Lục Thị Mai",
            "minutes_village": SimpleUploadedFile("thon.pdf", b"%PDF-1.4"),
            "minutes_commune": SimpleUploadedFile("xa.pdf", b"%PDF-1.4"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Số người đồng ý không thể lớn hơn số người dự họp." in page
    assert 'value="Nông Văn Tài"' in page
    assert not r.meetings.exists()
