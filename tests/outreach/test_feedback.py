"""Residents' questions and reports, and the commune's answers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from langso.audit.models import ChangeEvent
from langso.outreach import feedback
from langso.outreach.models import Feedback, FeedbackSource
from tests.factories.accounts import analyst, commune_officer, province_admin, team_member
from tests.factories.geo import VillageFactory
from tests.factories.outreach import announcement, published

pytestmark = pytest.mark.django_db
HOME, NEIGHBOUR = "01273", "01279"
QUESTION = "Gia đình tôi có được hỗ trợ tiền điện không?"


@pytest.fixture
def village():
    return VillageFactory(commune_id=HOME, name="Nà Rị")


def _asked(commune=HOME, **kw) -> Feedback:
    return feedback.feedback_submit(commune_code=commune, question=QUESTION, **kw)


def _answer(actor, asked, answer="Có, hộ nghèo được hỗ trợ 30 kWh mỗi tháng.", publish=True):
    return feedback.feedback_answer(
        actor=actor, feedback_id=asked.pk, answer=answer, publish=publish
    )


# ---------------------------------------------------------------- from the portal


def test_a_question_from_the_portal_is_stored_as_such(village):
    asked = _asked(village_id=village.pk, name="Hoàng Thị Lan", contact="0912345678")
    asked.refresh_from_db()
    assert (asked.source, asked.commune_id, asked.village, asked.name, asked.question) == (
        FeedbackSource.PORTAL,
        HOME,
        village,
        "Hoàng Thị Lan",
        QUESTION,
    )
    assert (asked.recorded_by, asked.answer, asked.published) == (None, "", False)


def test_a_portal_question_is_logged_without_an_actor():
    asked = _asked()
    event = ChangeEvent.objects.get(object_type="outreach.feedback", object_id=asked.pk)
    assert (event.actor, event.message, event.commune_code) == (None, "from the portal", HOME)


def test_a_portal_question_about_a_published_announcement_is_linked_to_it():
    made = published(HOME)
    assert _asked(announcement_id=made.pk).announcement == made


def test_a_portal_question_is_not_linked_to_an_unpublished_announcement():
    assert _asked(announcement_id=announcement(HOME).pk).announcement is None


def test_an_empty_question_is_refused():
    with pytest.raises(ValidationError) as refused:
        feedback.feedback_submit(commune_code=HOME, question="  ")
    assert "question" in refused.value.message_dict


def test_a_village_of_another_commune_is_refused():
    elsewhere = VillageFactory(commune_id=NEIGHBOUR)
    with pytest.raises(ValidationError) as refused:
        _asked(village_id=elsewhere.pk)
    assert "village" in refused.value.message_dict


def test_an_unknown_commune_is_refused():
    with pytest.raises(ValidationError) as refused:
        _asked(commune="99999")
    assert "commune" in refused.value.message_dict


# ---------------------------------------------------------------- answers


def test_an_officer_answers_and_publishes_the_answer():
    officer = commune_officer(HOME)
    answered = _answer(officer, _asked())
    answered.refresh_from_db()
    assert (answered.answer, answered.answered_by, answered.published) == (
        "Có, hộ nghèo được hỗ trợ 30 kWh mỗi tháng.",
        officer,
        True,
    )
    assert answered.answered_at is not None


def test_an_answer_may_stay_unpublished():
    assert _answer(commune_officer(HOME), _asked(), publish=False).published is False


def test_an_empty_answer_is_refused():
    with pytest.raises(ValidationError) as refused:
        _answer(commune_officer(HOME), _asked(), answer=" ")
    assert "answer" in refused.value.message_dict


def test_answering_needs_the_capability(village):
    with pytest.raises(PermissionDenied):
        _answer(team_member(village), _asked())


def test_an_analyst_of_the_province_cannot_answer():
    with pytest.raises(PermissionDenied):
        _answer(analyst("04"), _asked())


def test_an_officer_of_another_commune_cannot_answer():
    with pytest.raises(Feedback.DoesNotExist):
        _answer(commune_officer(NEIGHBOUR), _asked())


def test_a_province_admin_answers_for_any_commune_of_the_province():
    assert _answer(province_admin("04"), _asked()).answered_by is not None


def test_answering_is_logged_with_before_and_after():
    asked = _asked()
    _answer(commune_officer(HOME), asked)
    event = ChangeEvent.objects.get(
        object_type="outreach.feedback", object_id=asked.pk, action="update"
    )
    assert (event.before["answer"], event.after["published"]) == ("", True)


# ---------------------------------------------------------------- recorded by a team or officer


def test_a_team_member_records_a_question_at_a_visit(village):
    member = team_member(village)
    recorded = feedback.feedback_record(
        actor=member, commune_code=HOME, village_id=village.pk, question=QUESTION, source="visit"
    )
    assert (recorded.source, recorded.recorded_by, recorded.village) == (
        FeedbackSource.VISIT,
        member,
        village,
    )


def test_an_officer_records_a_question_at_the_office(village):
    recorded = feedback.feedback_record(
        actor=commune_officer(HOME), commune_code=HOME, question=QUESTION, source="office"
    )
    assert recorded.source == FeedbackSource.OFFICE


def test_a_recorded_question_cannot_claim_to_come_from_the_portal(village):
    with pytest.raises(ValidationError) as refused:
        feedback.feedback_record(
            actor=commune_officer(HOME), commune_code=HOME, question=QUESTION, source="portal"
        )
    assert "source" in refused.value.message_dict


def test_recording_needs_the_capability(village):
    with pytest.raises(PermissionDenied):
        feedback.feedback_record(
            actor=analyst("04"), commune_code=HOME, question=QUESTION, source="office"
        )


def test_a_team_member_cannot_record_in_another_commune(village):
    with pytest.raises(ValidationError) as refused:
        feedback.feedback_record(
            actor=team_member(village), commune_code=NEIGHBOUR, question=QUESTION, source="visit"
        )
    assert "commune" in refused.value.message_dict


def test_a_team_member_cannot_record_for_a_village_outside_their_area(village):
    other = VillageFactory(commune_id=HOME, name="Khuổi Khon")
    with pytest.raises(ValidationError) as refused:
        feedback.feedback_record(
            actor=team_member(village),
            commune_code=HOME,
            village_id=other.pk,
            question=QUESTION,
            source="visit",
        )
    assert "village" in refused.value.message_dict


def test_a_recorded_question_links_only_a_published_announcement(village):
    with pytest.raises(ValidationError) as refused:
        feedback.feedback_record(
            actor=commune_officer(HOME),
            commune_code=HOME,
            question=QUESTION,
            source="office",
            announcement_id=announcement(HOME).pk,
        )
    assert "announcement" in refused.value.message_dict


def test_a_recorded_question_about_a_published_announcement_is_linked_to_it(village):
    made = published(HOME)
    recorded = feedback.feedback_record(
        actor=commune_officer(HOME),
        commune_code=HOME,
        question=QUESTION,
        source="office",
        announcement_id=made.pk,
    )
    assert recorded.announcement == made


def test_an_officer_records_a_question_before_any_village_is_registered():
    recorded = feedback.feedback_record(
        actor=commune_officer(NEIGHBOUR), commune_code=NEIGHBOUR, question=QUESTION, source="office"
    )
    assert (recorded.commune_id, recorded.village) == (NEIGHBOUR, None)


def test_a_team_member_names_one_of_their_villages(village):
    with pytest.raises(ValidationError) as refused:
        feedback.feedback_record(
            actor=team_member(village), commune_code=HOME, question=QUESTION, source="visit"
        )
    assert "village" in refused.value.message_dict
