"""Personal data: consents, a person's copy of their data, erasure, and logged sensitive reads."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from python_calamine import CalamineWorkbook

from langso.audit.models import Action, ChangeEvent
from langso.geo.models import Commune
from langso.registry import privacy
from langso.registry.models import Consent, DigitalObservation, DigitalProfile, Member
from langso.registry.records import MemberRecord
from langso.registry.services import digital_observe, member_leave
from tests.factories.accounts import analyst, commune_officer, team_member
from tests.factories.geo import VillageFactory
from tests.factories.registry import household
from tests.factories.sessions import signed_in

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)
PHONE = "0912345678"
HEAD_ID = "004080012345"
SPOUSE_ID = "004184006789"


@pytest.fixture
def village():
    return VillageFactory(commune_id="01273")


def _family(village):
    """A household of three: a head with a phone, a spouse with an ID number, a child."""
    return household(
        village,
        MemberRecord("Nông Văn Dũng", "male", 1980, "head", ethnicity="02", id_number=HEAD_ID,
                     phone=PHONE, facts={"has_disability": False}),
        MemberRecord("Hoàng Thị Lan", "female", 1984, "spouse", ethnicity="07",
                     id_number=SPOUSE_ID, birth_date=dt.date(1984, 3, 8),
                     facts={"has_chronic_illness": True}),
        MemberRecord("Nông Văn An", "male", 2012, "child", ethnicity="02",
                     birth_date=dt.date(2012, 5, 4)),
    )  # fmt: skip


def _person(village, relationship="head"):
    return _family(village).members.get(relationship=relationship)


def _consent(
    actor,
    member,
    purpose="contact",
    status="given",
    given_on=dt.date(2026, 1, 15),
    method="signed_form",
    note="",
):
    return privacy.consent_record(
        actor=actor, member_id=member.pk, purpose=purpose, status=status, given_on=given_on,
        method=method, note=note, today=TODAY,
    )  # fmt: skip


def _observe(actor, member, **facts):
    return digital_observe(
        actor=actor,
        household_id=member.household_id,
        member_id=member.pk,
        observed_on=dt.date(2026, 10, 1),
        source="visit",
        facts=facts or {"uses_internet": True, "pays_cashless": True},
    )


def _other_commune() -> str:
    return Commune.objects.filter(province_id="04").exclude(code="01273").first().code


def _audit_text() -> str:
    rows = ChangeEvent.objects.values("object_repr", "before", "after", "message")
    return json.dumps(list(rows), ensure_ascii=False, default=str)


def _erase(actor, member, reason="Người dân yêu cầu ngày 20/11/2026"):
    privacy.person_erase(actor=actor, member_id=member.pk, reason=reason, today=TODAY)
    return Member.objects.get(pk=member.pk)


# ---------------------------------------------------------------- consents


def test_a_recorded_consent_is_the_current_status(village):
    member = _person(village)
    _consent(commune_officer(), member)
    assert privacy.consents_current(member)["contact"].status == "given"


def test_nothing_recorded_means_no_consent(village):
    member = _person(village)
    assert privacy.consents_current(member) == {"digital_support": None, "contact": None}


def test_has_consent_is_false_when_nothing_was_recorded(village):
    assert not privacy.has_consent(_person(village).pk, "contact")


def test_has_consent_is_true_after_a_consent(village):
    member = _person(village)
    _consent(commune_officer(), member)
    assert privacy.has_consent(member.pk, "contact")


def test_the_legal_mandate_purpose_refuses_a_consent_record(village):
    with pytest.raises(ValidationError) as err:
        _consent(commune_officer(), _person(village), purpose="poverty_review")
    assert "purpose" in err.value.message_dict


def test_has_consent_refuses_to_answer_for_a_legal_mandate_purpose(village):
    with pytest.raises(ValueError, match="not a consent-based purpose"):
        privacy.has_consent(_person(village).pk, "poverty_review")


def test_a_later_withdrawal_wins_over_an_earlier_consent(village):
    member = _person(village)
    officer = commune_officer()
    _consent(officer, member, given_on=dt.date(2026, 1, 15))
    _consent(officer, member, status="withdrawn", given_on=dt.date(2026, 3, 1), method="verbal")
    assert not privacy.has_consent(member.pk, "contact")


def test_an_earlier_dated_withdrawal_recorded_late_does_not_undo_a_newer_consent(village):
    member = _person(village)
    officer = commune_officer()
    _consent(officer, member, given_on=dt.date(2026, 3, 1))
    _consent(officer, member, status="withdrawn", given_on=dt.date(2026, 1, 15), method="verbal")
    assert privacy.has_consent(member.pk, "contact")


def test_consent_to_one_purpose_says_nothing_of_another(village):
    member = _person(village)
    _consent(commune_officer(), member, purpose="contact")
    assert not privacy.has_consent(member.pk, "digital_support")


def test_a_spoken_yes_is_not_recorded_as_consent(village):
    with pytest.raises(ValidationError) as err:
        _consent(commune_officer(), _person(village), method="verbal")
    assert "method" in err.value.message_dict


def test_a_spoken_refusal_is_recorded(village):
    member = _person(village)
    _consent(commune_officer(), member, status="refused", method="verbal")
    assert privacy.consents_current(member)["contact"].status == "refused"


def test_a_childs_consent_must_say_who_gave_it(village):
    with pytest.raises(ValidationError) as err:
        _consent(commune_officer(), _person(village, "child"))
    assert "note" in err.value.message_dict


def test_a_childs_consent_given_by_a_parent_is_recorded(village):
    child = _person(village, "child")
    _consent(commune_officer(), child, note="mẹ là Hoàng Thị Lan đồng ý")
    assert privacy.has_consent(child.pk, "contact")


def test_a_consent_dated_in_the_future_is_refused(village):
    with pytest.raises(ValidationError):
        _consent(commune_officer(), _person(village), given_on=dt.date(2026, 12, 1))


def test_a_team_member_cannot_record_a_consent(village):
    with pytest.raises(PermissionDenied):
        _consent(team_member(village), _person(village))


def test_recording_a_consent_is_audited(village):
    consent = _consent(commune_officer(), _person(village))
    event = ChangeEvent.objects.get(object_type="registry.consent", object_id=str(consent.pk))
    assert (event.action, event.after["purpose"]) == (Action.CREATE, "contact")


def test_a_consent_for_a_person_of_another_commune_is_not_found(village):
    with pytest.raises(Member.DoesNotExist):
        _consent(commune_officer(_other_commune()), _person(village))


# ---------------------------------------------------------------- export


def test_the_export_holds_the_full_id_number(village):
    member = _person(village)
    data = privacy.person_export(actor=commune_officer(), member_id=member.pk)
    assert data["person"]["id_number"] == HEAD_ID


def test_the_export_holds_the_persons_digital_observations(village):
    member = _person(village)
    _observe(commune_officer(), member)
    data = privacy.person_export(actor=commune_officer(), member_id=member.pk)
    assert data["digital_observations"][0]["pays_cashless"] is True


def test_the_export_holds_the_persons_consents(village):
    member = _person(village)
    _consent(commune_officer(), member)
    data = privacy.person_export(actor=commune_officer(), member_id=member.pk)
    assert [c["purpose"] for c in data["consents"]] == ["contact"]


def test_the_export_holds_the_audit_events_about_the_person(village):
    member = _person(village)
    officer = commune_officer()
    _consent(officer, member)
    data = privacy.person_export(actor=officer, member_id=member.pk)
    assert {e["object_type"] for e in data["audit_events"]} == {
        "registry.household",
        "registry.consent",
    }


def test_the_export_shows_only_this_persons_part_of_the_household_event(village):
    member = _person(village)
    data = privacy.person_export(actor=commune_officer(), member_id=member.pk)
    created = next(e for e in data["audit_events"] if e["object_type"] == "registry.household")
    assert [m["full_name"] for m in created["after"]["members"]] == ["Nông Văn Dũng"]


def test_the_export_does_not_hold_the_other_members_id_numbers(village):
    member = _person(village)
    data = privacy.person_export(actor=commune_officer(), member_id=member.pk)
    assert SPOUSE_ID not in json.dumps(data, ensure_ascii=False, default=str)


def test_the_export_is_refused_to_a_team_member(village):
    with pytest.raises(PermissionDenied):
        privacy.person_export(actor=team_member(village), member_id=_person(village).pk)


def test_the_export_is_refused_to_an_analyst(village):
    with pytest.raises(PermissionDenied):
        privacy.person_export(actor=analyst(), member_id=_person(village).pk)


def test_the_export_is_logged_as_a_read_of_the_id_number(village):
    member = _person(village)
    privacy.person_export(actor=commune_officer(), member_id=member.pk)
    event = ChangeEvent.objects.get(action=Action.READ, object_id=str(member.pk))
    assert "id_number" in event.after["fields"]


def test_the_export_of_a_person_of_another_commune_is_not_found(village):
    member = _person(village)
    with pytest.raises(Member.DoesNotExist):
        privacy.person_export(actor=commune_officer(_other_commune()), member_id=member.pk)


def test_the_export_renders_as_a_workbook_with_the_id_number(village):
    data = privacy.person_export(actor=commune_officer(), member_id=_person(village).pk)
    book = CalamineWorkbook.from_filelike(io.BytesIO(privacy.export_xlsx(data)))
    rows = book.get_sheet_by_index(0).to_python()
    assert [r[1] for r in rows if r and r[1] == HEAD_ID] == [HEAD_ID]


def test_the_export_renders_as_json(village):
    data = privacy.person_export(actor=commune_officer(), member_id=_person(village).pk)
    assert json.loads(privacy.export_json(data))["person"]["full_name"] == "Nông Văn Dũng"


# ---------------------------------------------------------------- erasure


def test_erasing_an_active_member_clears_the_phone(village):
    member = _erase(commune_officer(), _person(village))
    assert member.phone == ""


def test_erasing_an_active_member_deletes_their_observations(village):
    member = _person(village)
    _observe(commune_officer(), member)
    _erase(commune_officer(), member)
    assert not DigitalObservation.objects.filter(member_id=member.pk).exists()


def test_erasing_an_active_member_keeps_the_review_facts(village):
    member = _erase(commune_officer(), _person(village, "spouse"))
    kept = (member.full_name, member.birth_date, member.ethnicity, member.has_chronic_illness)
    assert kept == ("Hoàng Thị Lan", dt.date(1984, 3, 8), "07", True)


def test_erasing_an_active_member_keeps_the_id_number(village):
    member = _erase(commune_officer(), _person(village))
    assert member.id_number_hash


def test_erasing_marks_when_it_happened(village):
    member = _erase(commune_officer(), _person(village))
    assert member.erased_at is not None


def test_erasing_withdraws_the_consents_still_given(village):
    member = _person(village)
    _consent(commune_officer(), member)
    _erase(commune_officer(), member)
    assert not privacy.has_consent(member.pk, "contact")


def test_erasing_clears_the_notes_of_consent_records(village):
    child = _person(village, "child")
    _consent(commune_officer(), child, note="mẹ là Hoàng Thị Lan đồng ý")
    _erase(commune_officer(), child)
    assert list(Consent.objects.filter(member=child).values_list("note", flat=True)) == ["", ""]


def test_erasing_rebuilds_the_household_profile_without_the_persons_observations(village):
    member = _person(village)
    _observe(commune_officer(), member)
    _erase(commune_officer(), member)
    assert not DigitalProfile.objects.filter(household_id=member.household_id).exists()


def _departed(village):
    officer = commune_officer()
    spouse = _person(village, "spouse")
    member_leave(actor=officer, member_id=spouse.pk, reason="moved")
    return spouse


def test_erasing_a_departed_member_replaces_the_name_by_a_pseudonym(village):
    member = _erase(commune_officer(), _departed(village))
    assert member.full_name == f"Người đã xóa dữ liệu #{member.pk}"


def test_erasing_a_departed_member_clears_the_id_number(village):
    member = _erase(commune_officer(), _departed(village))
    cleared = (member.id_number_encrypted, member.id_number_hash, member.id_number_last4)
    assert cleared == ("", "", "")


def test_erasing_a_departed_member_keeps_only_the_birth_year(village):
    member = _erase(commune_officer(), _departed(village))
    assert (member.birth_date, member.birth_year) == (None, 1984)


def test_erasing_a_departed_member_clears_the_sensitive_facts(village):
    member = _erase(commune_officer(), _departed(village))
    assert (member.ethnicity, member.has_chronic_illness) == ("", None)


def test_erasing_a_departed_member_makes_the_name_unsearchable(village):
    member = _erase(commune_officer(), _departed(village))
    assert "lan" not in member.name_key


def test_the_erased_phone_is_not_left_in_the_audit_log(village):
    _erase(commune_officer(), _person(village))
    assert PHONE not in _audit_text()


def test_a_departed_members_name_is_not_left_in_the_audit_log(village):
    officer = commune_officer()
    member = _departed(village)
    signed_in(officer).get(f"/households/people/{member.pk}/")  # a logged read names them
    _erase(officer, member)
    assert "Hoàng Thị Lan" not in _audit_text()


def test_a_departed_members_id_digits_are_not_left_in_the_audit_log(village):
    _erase(commune_officer(), _departed(village))
    assert '"6789"' not in _audit_text()


def test_erased_observations_are_not_left_in_the_audit_log(village):
    member = _person(village)
    observation = _observe(commune_officer(), member, sells_online=True)
    _erase(commune_officer(), member)
    event = ChangeEvent.objects.get(
        object_type="registry.digitalobservation", object_id=str(observation.pk)
    )
    assert event.after["sells_online"] == privacy.REDACTED


def test_the_erasure_is_audited_with_field_names_only(village):
    member = _erase(commune_officer(), _person(village))
    event = ChangeEvent.objects.filter(object_type="registry.member", object_id=str(member.pk))
    assert event.get().after["erased_fields"] == ["phone"]


def test_erasure_needs_a_reason(village):
    with pytest.raises(ValidationError):
        _erase(commune_officer(), _person(village), reason="  ")


def test_a_team_member_cannot_erase(village):
    with pytest.raises(PermissionDenied):
        _erase(team_member(village), _person(village))


def test_erasing_a_person_of_another_commune_is_not_found(village):
    with pytest.raises(Member.DoesNotExist):
        _erase(commune_officer(_other_commune()), _person(village))


# ---------------------------------------------------------------- pages


def _url(member, action=""):
    return f"/households/people/{member.pk}/{action + '/' if action else ''}"


def test_the_person_page_shows_the_sensitive_facts_to_an_officer(village):
    member = _person(village)
    response = signed_in(commune_officer()).get(_url(member))
    assert "•••• 2345" in response.content.decode()


def test_the_person_page_logs_the_sensitive_read(village):
    member = _person(village)
    signed_in(commune_officer()).get(_url(member))
    assert ChangeEvent.objects.filter(action=Action.READ, object_id=str(member.pk)).exists()


def test_the_person_page_hides_the_sensitive_facts_from_a_team_member(village):
    member = _person(village)
    response = signed_in(team_member(village)).get(_url(member))
    assert "•••• 2345" not in response.content.decode()


def test_the_person_page_is_not_logged_for_a_team_member(village):
    member = _person(village)
    signed_in(team_member(village)).get(_url(member))
    assert not ChangeEvent.objects.filter(action=Action.READ).exists()


def test_the_person_page_is_forbidden_to_an_analyst(village):
    assert signed_in(analyst()).get(_url(_person(village))).status_code == 403


def test_the_person_page_of_another_commune_answers_404(village):
    response = signed_in(commune_officer(_other_commune())).get(_url(_person(village)))
    assert response.status_code == 404


def test_the_person_page_links_back_to_the_household(village):
    member = _person(village)
    response = signed_in(commune_officer()).get(_url(member))
    assert f'href="/households/{member.household_id}/"' in response.content.decode()


def test_an_officer_records_a_consent_through_the_form(village):
    member = _person(village)
    signed_in(commune_officer()).post(
        _url(member, "consent"),
        {"purpose": "contact", "status": "given", "given_on": "2026-11-20",
         "method": "signed_form", "note": ""},
    )  # fmt: skip
    assert privacy.has_consent(member.pk, "contact")


def test_the_form_shows_why_a_spoken_consent_is_refused(village):
    member = _person(village)
    response = signed_in(commune_officer()).post(
        _url(member, "consent"),
        {"purpose": "contact", "status": "given", "given_on": "2026-11-20", "method": "verbal"},
    )
    assert "kiểm chứng được" in response.content.decode()


def test_a_team_member_cannot_post_a_consent(village):
    member = _person(village)
    response = signed_in(team_member(village)).post(
        _url(member, "consent"),
        {"purpose": "contact", "status": "given", "given_on": "2026-11-20",
         "method": "signed_form"},
    )  # fmt: skip
    assert response.status_code == 403


def test_an_officer_downloads_the_persons_data_as_a_workbook(village):
    response = signed_in(commune_officer()).post(_url(_person(village), "export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_officer_downloads_the_persons_data_as_json(village):
    response = signed_in(commune_officer()).post(
        _url(_person(village), "export"), {"format": "json"}
    )
    assert json.loads(response.content)["person"]["id_number"] == HEAD_ID


def test_a_team_member_cannot_download_a_persons_data(village):
    response = signed_in(team_member(village)).post(_url(_person(village), "export"))
    assert response.status_code == 403


def test_the_download_of_a_person_of_another_commune_answers_404(village):
    officer = commune_officer(_other_commune())
    assert signed_in(officer).post(_url(_person(village), "export")).status_code == 404


def test_the_erase_page_explains_that_the_review_facts_are_kept(village):
    response = signed_in(commune_officer()).get(_url(_person(village), "erase"))
    assert "07/2021/NĐ-CP" in response.content.decode()


def test_an_officer_erases_through_the_confirm_page(village):
    member = _person(village)
    signed_in(commune_officer()).post(_url(member, "erase"), {"reason": "yêu cầu ngày 20/11"})
    assert Member.objects.get(pk=member.pk).phone == ""


def test_a_team_member_cannot_open_the_erase_page(village):
    assert signed_in(team_member(village)).get(_url(_person(village), "erase")).status_code == 403


def test_the_erase_page_of_another_commune_answers_404(village):
    officer = commune_officer(_other_commune())
    assert signed_in(officer).get(_url(_person(village), "erase")).status_code == 404


def test_every_field_of_a_member_has_a_processing_purpose():
    from langso.registry.purposes import catalogue

    covered = {name for p in catalogue().purposes for name in p.fields_of("member")}
    assert {f.name for f in Member._meta.concrete_fields} - covered == {"id"}


def test_the_export_lists_reads_of_the_household_page(village):
    member = _person(village)
    officer = commune_officer()
    signed_in(officer).get(f"/households/{member.household_id}/")
    data = privacy.person_export(actor=officer, member_id=member.pk)
    assert [e["object_type"] for e in data["audit_events"] if e["action"] == "read"] == [
        "registry.household"
    ]
