"""Probable duplicates: finding them in a user's area, dismissing, merging people and households,
and the pages for it."""

import datetime as dt
import pathlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from langso.audit.models import Action, ChangeEvent
from langso.registry import duplicates
from langso.registry.dedup_rules import SAME_ID, SAME_NAME_YEAR
from langso.registry.models import Consent, DigitalObservation, Household, Member
from langso.registry.records import MemberRecord
from langso.registry.services import digital_observe, household_create
from tests.factories.accounts import analyst, commune_officer, province_admin
from tests.factories.geo import VillageFactory
from tests.factories.registry import household_record
from tests.factories.sessions import signed_in

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)
CCCD = "004080012345"  # a man born in 1980, registered in Cao Bằng
OTHER_COMMUNE = "01279"  # Phường Nùng Trí Cao, also in Cao Bằng


def person(name="Nông Văn Dũng", year=1980, relationship="head", **kw) -> MemberRecord:
    return MemberRecord(name, "male", year, relationship, ethnicity="02", **kw)


def household(village, *members: MemberRecord, actor=None, **kw) -> Household:
    """A household in the village, registered by an officer of its commune."""
    actor = actor or commune_officer(village.commune_id)
    members = members or (person(),)
    return household_create(
        actor=actor, record=household_record(village, *members, **kw), today=TODAY
    )


def head(h: Household) -> Member:
    return h.members.get(relationship="head")


def pairs(user, kind=duplicates.PERSON) -> list[tuple[str, tuple[int, int]]]:
    """Every pair listed for the user, with its reason (same ID number first)."""
    return [
        (group.reason, pair)
        for reason in (SAME_ID, SAME_NAME_YEAR)
        for group in duplicates.duplicate_groups(user, kind=kind, reason=reason)
        for pair in group.pairs
    ]


# --- finding ----------------------------------------------------------------------------------


def test_the_same_id_number_in_villages_of_two_communes_is_found():
    a = household(VillageFactory(commune_id="01273"), person(id_number=CCCD))
    b = household(VillageFactory(commune_id=OTHER_COMMUNE), person("Nông Dũng", id_number=CCCD))
    assert pairs(province_admin("04")) == [(SAME_ID, (head(a).pk, head(b).pk))]


def test_the_same_name_and_birth_year_in_one_commune_is_found():
    a = household(VillageFactory(commune_id="01273"), person("Nông Văn Dũng"))
    b = household(VillageFactory(commune_id="01273"), person("Nong Van Dung"))
    assert pairs(commune_officer("01273")) == [(SAME_NAME_YEAR, (head(a).pk, head(b).pk))]


def test_the_same_name_and_birth_year_in_another_commune_is_not_found():
    household(VillageFactory(commune_id="01273"))
    household(VillageFactory(commune_id=OTHER_COMMUNE))
    assert pairs(province_admin("04")) == []


def test_the_same_name_with_another_birth_year_is_not_found():
    household(VillageFactory(commune_id="01273"), person(year=1980))
    household(VillageFactory(commune_id="01273"), person(year=1981))
    assert pairs(commune_officer("01273")) == []


def test_people_sharing_an_id_number_are_listed_once_as_same_id():
    village = VillageFactory(commune_id="01273")
    household(village, person(id_number=CCCD))
    household(village, person(id_number=CCCD))
    assert [reason for reason, _pair in pairs(commune_officer("01273"))] == [SAME_ID]


def test_a_dismissed_pair_is_no_longer_listed():
    a = household(VillageFactory(commune_id="01273"), person(id_number=CCCD))
    b = household(VillageFactory(commune_id="01273"), person(id_number=CCCD))
    officer = commune_officer("01273")
    duplicates.duplicate_dismiss(
        actor=officer, kind="person", first_id=head(b).pk, second_id=head(a).pk, note="anh em"
    )
    assert pairs(officer) == []


def test_a_group_of_three_keeps_the_pairs_that_were_not_dismissed():
    village = VillageFactory(commune_id="01273")
    a, b, c = (household(village, person(id_number=CCCD)) for _ in range(3))
    officer = commune_officer("01273")
    duplicates.duplicate_dismiss(
        actor=officer, kind="person", first_id=head(a).pk, second_id=head(b).pk
    )
    assert [p for _reason, p in pairs(officer)] == [
        (head(a).pk, head(c).pk),
        (head(b).pk, head(c).pk),
    ]


def test_households_whose_heads_look_alike_are_a_household_pair():
    village = VillageFactory(commune_id="01273")
    a = household(village, person(), person("Lò Thị Mai", 1990, "spouse"))
    b = household(village, person())
    found = pairs(commune_officer("01273"), duplicates.HOUSEHOLD)
    assert found == [(SAME_NAME_YEAR, (a.pk, b.pk))]


def test_households_whose_heads_share_an_id_number_across_communes_are_a_pair():
    a = household(VillageFactory(commune_id="01273"), person(id_number=CCCD))
    b = household(VillageFactory(commune_id=OTHER_COMMUNE), person("Nông Dũng", id_number=CCCD))
    found = pairs(province_admin("04"), duplicates.HOUSEHOLD)
    assert found == [(SAME_ID, (a.pk, b.pk))]


def test_look_alike_members_who_are_not_heads_make_no_household_pair():
    village = VillageFactory(commune_id="01273")
    household(village, person("Lò Văn A", 1970), person(relationship="child"))
    household(village, person("Lò Văn B", 1971), person(relationship="child"))
    assert pairs(commune_officer("01273"), duplicates.HOUSEHOLD) == []


def test_an_officer_does_not_see_a_duplicate_in_another_commune():
    household(VillageFactory(commune_id="01273"), person(id_number=CCCD))
    household(VillageFactory(commune_id=OTHER_COMMUNE), person(id_number=CCCD))
    assert pairs(commune_officer("01273")) == []


def test_groups_are_paged():
    village = VillageFactory(commune_id="01273")
    for year in (1970, 1971, 1972):
        household(village, person(year=year))
        household(village, person(year=year))
    page = duplicates.duplicate_groups(
        commune_officer("01273"), reason=SAME_NAME_YEAR, page=2, per_page=2
    )
    assert (page.paginator.count, len(page.object_list)) == (3, 1)


def test_a_page_past_the_end_shows_the_last_page():
    village = VillageFactory(commune_id="01273")
    household(village, person(id_number=CCCD))
    household(village, person(id_number=CCCD))
    page = duplicates.duplicate_groups(commune_officer("01273"), page=9)
    assert (page.number, len(page.object_list)) == (1, 1)


# --- dismissing --------------------------------------------------------------------------------


def test_a_dismissal_is_audited():
    village = VillageFactory(commune_id="01273")
    a, b = household(village), household(village)
    dismissal = duplicates.duplicate_dismiss(
        actor=commune_officer("01273"), kind="household", first_id=b.pk, second_id=a.pk
    )
    event = ChangeEvent.objects.get(object_type="registry.duplicatedismissal")
    assert (event.object_id, event.after["first_id"]) == (str(dismissal.pk), a.pk)


def test_an_analyst_cannot_dismiss():
    village = VillageFactory(commune_id="01273")
    a, b = household(village), household(village)
    with pytest.raises(PermissionDenied):
        duplicates.duplicate_dismiss(
            actor=analyst("04"), kind="household", first_id=a.pk, second_id=b.pk
        )


def test_dismissing_a_pair_twice_is_refused():
    village = VillageFactory(commune_id="01273")
    a, b = household(village), household(village)
    officer = commune_officer("01273")
    duplicates.duplicate_dismiss(actor=officer, kind="household", first_id=a.pk, second_id=b.pk)
    with pytest.raises(ValidationError):
        duplicates.duplicate_dismiss(actor=officer, kind="household", first_id=a.pk, second_id=b.pk)


# --- merging people ----------------------------------------------------------------------------


@pytest.fixture
def two_records():
    """One man recorded twice: alone in one household, and as a son in another."""
    officer = commune_officer("01273")
    village = VillageFactory(commune_id="01273")
    alone = household(
        village,
        person("Hoàng Văn Phúc", 1995, id_number="004095011111", phone="0912345678"),
        actor=officer,
    )
    family = household(
        village,
        person("Hoàng Văn Sơn", 1965),
        person("Hoang Van Phuc", 1995, "child", facts={"education": "college"}),
        actor=officer,
    )
    kept = family.members.get(relationship="child")
    dropped = head(alone)
    return officer, kept, dropped


def _merge(two_records):
    officer, kept, dropped = two_records
    return duplicates.person_merge(actor=officer, keep_id=kept.pk, drop_id=dropped.pk)


def test_person_merge_fills_the_kept_members_blanks(two_records):
    _merge(two_records)
    kept = Member.objects.get(pk=two_records[1].pk)
    assert (kept.phone, kept.id_number_last4) == ("0912345678", "1111")


def test_person_merge_never_overwrites_a_known_value(two_records):
    _officer, kept, dropped = two_records
    Member.objects.filter(pk=dropped.pk).update(education="primary")
    result = _merge(two_records)
    assert Member.objects.get(pk=kept.pk).education == "college"
    assert "education" in result.conflicts


def test_person_merge_keeps_the_dropped_row_inactive_pointing_to_the_kept(two_records):
    _merge(two_records)
    dropped = Member.objects.get(pk=two_records[2].pk)
    assert (dropped.is_active, dropped.merged_into_id) == (False, two_records[1].pk)


def test_person_merge_moves_observations_to_the_kept_member(two_records):
    officer, kept, dropped = two_records
    digital_observe(
        actor=officer,
        household_id=dropped.household_id,
        member_id=dropped.pk,
        observed_on=TODAY,
        source="visit",
        facts={"uses_internet": True},
    )
    _merge(two_records)
    observation = DigitalObservation.objects.get(member_id=kept.pk)
    assert observation.household_id == kept.household_id


def test_person_merge_moves_consents_to_the_kept_member(two_records):
    _officer, kept, dropped = two_records
    Consent.objects.create(member=dropped, purpose="contact", status="given", given_on=TODAY)
    _merge(two_records)
    assert Consent.objects.get().member_id == kept.pk


def test_a_household_left_empty_by_a_person_merge_joins_the_kept_household(two_records):
    result = _merge(two_records)
    emptied = Household.objects.get(pk=two_records[2].household_id)
    assert (emptied.is_active, emptied.merged_into_id, emptied.member_count) == (
        False,
        two_records[1].household_id,
        0,
    )
    assert result.closed_household == emptied.pk


def test_person_merge_refreshes_the_kept_households_profile(two_records):
    officer, kept, dropped = two_records
    digital_observe(
        actor=officer,
        household_id=dropped.household_id,
        observed_on=TODAY,
        source="visit",
        facts={"has_tv": True},
    )
    _merge(two_records)
    assert Household.objects.get(pk=kept.household_id).digital_profile.has_tv is True


def test_person_merge_is_one_audit_event_with_both_records(two_records):
    _merge(two_records)
    event = ChangeEvent.objects.get(object_type="registry.member", action=Action.UPDATE)
    assert (event.before["dropped"]["is_active"], event.after["dropped"]["is_active"]) == (
        True,
        False,
    )
    assert "id_number_hash" not in event.after["kept"]


def test_a_head_with_others_in_the_household_cannot_be_merged_away(two_records):
    officer, kept, _dropped = two_records
    father = kept.household.members.get(relationship="head")
    other = household(VillageFactory(commune_id="01273"), person("Hoàng Văn Sơn", 1965))
    with pytest.raises(ValidationError):
        duplicates.person_merge(actor=officer, keep_id=head(other).pk, drop_id=father.pk)


def test_an_officer_of_another_commune_cannot_merge(two_records):
    _officer, kept, dropped = two_records
    with pytest.raises(Member.DoesNotExist):
        duplicates.person_merge(
            actor=commune_officer(OTHER_COMMUNE), keep_id=kept.pk, drop_id=dropped.pk
        )


def test_an_analyst_cannot_merge(two_records):
    _officer, kept, dropped = two_records
    with pytest.raises(PermissionDenied):
        duplicates.person_merge(actor=analyst("04"), keep_id=kept.pk, drop_id=dropped.pk)


# --- merging households -------------------------------------------------------------------------


@pytest.fixture
def two_households():
    """One family registered twice: the second record has the head (with his ID) and a baby."""
    officer = commune_officer("01273")
    village = VillageFactory(commune_id="01273")
    kept = household_create(actor=officer, record=household_record(village), today=TODAY)
    # ^ Nông Văn Dũng (with his ID number), Hoàng Thị Lan, Nông Văn An
    dropped = household(
        village,
        person("Nong Van Dung", id_number=CCCD, phone="0987654321"),
        person("Nông Thị Hoa", 2024, "child"),
        actor=officer,
        address="Nà Rị",
    )
    return officer, kept, dropped


def _merge_households(two_households):
    officer, kept, dropped = two_households
    return duplicates.household_merge(actor=officer, keep_id=kept.pk, drop_id=dropped.pk)


def test_household_merge_moves_new_members_to_the_kept_household(two_households):
    _merge_households(two_households)
    kept = two_households[1]
    assert sorted(kept.members.filter(is_active=True).values_list("full_name", flat=True)) == [
        "Hoàng Thị Lan",
        "Nông Thị Hoa",
        "Nông Văn An",
        "Nông Văn Dũng",
    ]


def test_household_merge_leaves_one_head(two_households):
    _merge_households(two_households)
    kept = two_households[1]
    assert kept.members.filter(is_active=True, relationship="head").count() == 1


def test_household_merge_merges_the_same_person_instead_of_copying(two_households):
    _merge_households(two_households)
    kept_head = head(two_households[1])
    dropped_head = Member.objects.get(household=two_households[2], full_name="Nong Van Dung")
    assert (dropped_head.is_active, dropped_head.merged_into_id) == (False, kept_head.pk)
    assert kept_head.phone == "0987654321"


def test_household_merge_keeps_the_dropped_household_inactive_pointing_to_the_kept(
    two_households,
):
    _merge_households(two_households)
    dropped = Household.objects.get(pk=two_households[2].pk)
    assert (dropped.is_active, dropped.merged_into_id) == (False, two_households[1].pk)


def test_household_merge_recounts_the_kept_household(two_households):
    _merge_households(two_households)
    assert Household.objects.get(pk=two_households[1].pk).member_count == 4


def test_household_merge_fills_the_kept_households_blanks(two_households):
    _merge_households(two_households)
    assert Household.objects.get(pk=two_households[1].pk).address == "Nà Rị"


def test_household_merge_moves_observations(two_households):
    officer, kept, dropped = two_households
    digital_observe(
        actor=officer,
        household_id=dropped.pk,
        observed_on=TODAY,
        source="visit",
        facts={"has_smartphone": True},
    )
    _merge_households(two_households)
    assert DigitalObservation.objects.get().household_id == kept.pk


def test_a_dropped_head_who_is_somebody_new_becomes_other():
    officer = commune_officer("01273")
    village = VillageFactory(commune_id="01273")
    kept = household(village, person("Lò Văn Tài", 1960), actor=officer)
    dropped = household(village, person("Lò Văn Tâm", 1988), actor=officer)
    duplicates.household_merge(actor=officer, keep_id=kept.pk, drop_id=dropped.pk)
    assert Member.objects.get(full_name="Lò Văn Tâm").relationship == "other"


def test_household_merge_is_one_audit_event_on_the_kept_household(two_households):
    _merge_households(two_households)
    event = ChangeEvent.objects.get(object_type="registry.household", action=Action.UPDATE)
    assert (event.object_id, event.after["dropped"]["is_active"]) == (
        str(two_households[1].pk),
        False,
    )


def test_an_officer_of_another_commune_cannot_merge_households(two_households):
    _officer, kept, dropped = two_households
    with pytest.raises(Household.DoesNotExist):
        duplicates.household_merge(
            actor=commune_officer(OTHER_COMMUNE), keep_id=kept.pk, drop_id=dropped.pk
        )


def test_a_failed_household_merge_writes_nothing(two_households):
    officer, kept, _dropped = two_households
    with pytest.raises(ValidationError):
        duplicates.household_merge(actor=officer, keep_id=kept.pk, drop_id=kept.pk)
    assert not ChangeEvent.objects.filter(action=Action.UPDATE).exists()


# --- pages -------------------------------------------------------------------------------------


@pytest.fixture
def flagged():
    """Two records of one man in two villages of the officer's commune."""
    officer = commune_officer("01273")
    a = household(VillageFactory(commune_id="01273", name="Nà Rị"), person(id_number=CCCD))
    b = household(VillageFactory(commune_id="01273", name="Khau Đồn"), person(id_number=CCCD))
    return officer, head(a), head(b)


def _compare_url(kind, first, second):
    return f"/households/duplicates/{kind}/{first}/{second}/"


def test_the_list_shows_an_officer_the_group_with_its_villages(flagged):
    response = signed_in(flagged[0]).get("/households/duplicates/")
    assert response.status_code == 200
    assert "Khau Đồn" in response.text
    assert "Nà Rị" in response.text


def test_the_list_shows_only_the_last_four_digits_of_the_id_number(flagged):
    text = signed_in(flagged[0]).get("/households/duplicates/").text
    assert "••••••••2345" in text
    assert CCCD not in text


def test_showing_id_digits_is_logged(flagged):
    signed_in(flagged[0]).get("/households/duplicates/")
    assert ChangeEvent.objects.get(action=Action.READ).counts == {"people": 2}


def test_the_list_links_each_household(flagged):
    text = signed_in(flagged[0]).get("/households/duplicates/").text
    assert f'href="/households/{flagged[1].household_id}/"' in text


def test_an_analyst_may_not_open_the_list(flagged):
    assert signed_in(analyst("04")).get("/households/duplicates/").status_code == 403


def test_the_compare_page_shows_both_records(flagged):
    officer, a, b = flagged
    response = signed_in(officer).get(_compare_url("person", a.pk, b.pk))
    assert response.text.count("Nông Văn Dũng") == 2


def test_the_compare_page_of_another_commune_answers_not_found(flagged):
    _officer, a, b = flagged
    client = signed_in(commune_officer(OTHER_COMMUNE))
    assert client.get(_compare_url("person", a.pk, b.pk)).status_code == 404


def test_merging_from_the_compare_page_keeps_the_chosen_side(flagged):
    officer, a, b = flagged
    response = signed_in(officer).post(
        _compare_url("person", a.pk, b.pk), {"action": "keep_second"}
    )
    assert response.status_code == 302
    assert Member.objects.get(pk=a.pk).merged_into_id == b.pk


def test_merging_redirects_to_the_list_with_a_message(flagged):
    officer, a, b = flagged
    response = signed_in(officer).post(
        _compare_url("person", a.pk, b.pk), {"action": "keep_first"}, follow=True
    )
    assert "Đã gộp" in response.text


def test_dismissing_from_the_compare_page_records_the_note(flagged):
    officer, a, b = flagged
    signed_in(officer).post(
        _compare_url("person", a.pk, b.pk), {"action": "dismiss", "note": "hai người khác"}
    )
    assert pairs(officer) == []


def test_another_communes_officer_cannot_merge_from_the_page(flagged):
    _officer, a, b = flagged
    client = signed_in(commune_officer(OTHER_COMMUNE))
    response = client.post(_compare_url("person", a.pk, b.pk), {"action": "keep_first"})
    assert response.status_code == 404


def test_the_household_compare_page_lists_both_households_members(flagged):
    officer, a, b = flagged
    url = _compare_url("household", a.household_id, b.household_id)
    assert signed_in(officer).get(url).status_code == 200


def test_an_unknown_kind_answers_not_found(flagged):
    officer, a, b = flagged
    assert signed_in(officer).get(_compare_url("village", a.pk, b.pk)).status_code == 404


def test_the_duplicate_pages_read_through_scoped_functions():
    source = pathlib.Path(duplicates.__file__).with_name("duplicate_views.py").read_text()
    assert ".objects." not in source


def test_a_province_admin_can_narrow_the_list_to_one_commune():
    household(VillageFactory(commune_id="01273"), person())
    household(VillageFactory(commune_id="01273"), person())
    household(VillageFactory(commune_id=OTHER_COMMUNE), person("Lò Văn Tâm"))
    household(VillageFactory(commune_id=OTHER_COMMUNE), person("Lò Văn Tâm"))
    page = duplicates.duplicate_groups(
        province_admin("04"), reason=SAME_NAME_YEAR, commune=OTHER_COMMUNE
    )
    assert [r.full_name for group in page for r in group.records] == ["Lò Văn Tâm", "Lò Văn Tâm"]
