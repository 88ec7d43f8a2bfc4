import csv
import io

import pytest
from python_calamine import CalamineWorkbook

from langso.audit.models import Action, ChangeEvent
from langso.registry.models import Household, Member
from langso.registry.records import MemberRecord
from tests.factories.accounts import analyst, commune_officer, province_admin, team_member
from tests.factories.geo import VillageFactory
from tests.factories.registry import household
from tests.factories.sessions import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def village():
    return VillageFactory(commune_id="01273", name="Nà Rị")


def test_the_list_shows_the_households_of_my_commune_only(village):
    mine = household(village)
    household(VillageFactory(commune_id="01279"))
    page = signed_in(commune_officer("01273")).get("/households/")
    assert list(page.context["page"].object_list) == [mine]


def test_a_province_admin_sees_the_province_by_commune_then_code():
    from langso.geo.models import Commune
    from langso.registry import queries

    second = household(VillageFactory(commune_id="01279"), code="A-1")
    first = household(VillageFactory(commune_id="01273"), code="Z-1")
    elsewhere = Commune.objects.exclude(province_id="04").first()
    household(VillageFactory(commune_id=elsewhere.code), code="B-1")
    listed = queries.households_for(province_admin("04")).order_by(*queries.LIST_ORDER)
    assert list(listed) == [first, second]


def test_a_list_longer_than_the_cap_says_more_than_instead_of_counting(village, monkeypatch):
    from langso.registry import views

    monkeypatch.setattr(views, "LIST_COUNT_CAP", 2)
    for _ in range(3):
        household(village)
    page = signed_in(commune_officer("01273")).get("/households/")
    assert "Hơn 2 hộ" in page.content.decode()


def test_searching_without_diacritics_finds_a_member_by_full_name(village):
    found = household(village)
    household(village, MemberRecord("Lê Văn Bình", "male", 1975, "head", ethnicity="Kinh"))
    page = signed_in(commune_officer("01273")).get("/households/", {"q": "nong van"})
    assert list(page.context["page"].object_list) == [found]


def test_searching_a_given_name_finds_the_household(village):
    found = household(village)
    household(village, MemberRecord("Lê Văn Bình", "male", 1975, "head", ethnicity="Kinh"))
    page = signed_in(commune_officer("01273")).get("/households/", {"q": "Dũng"})
    assert list(page.context["page"].object_list) == [found]


def test_searching_an_id_number_finds_the_household_for_an_officer(village):
    found = household(village)
    page = signed_in(commune_officer("01273")).get("/households/", {"q": "004080012345"})
    assert list(page.context["page"].object_list) == [found]


def test_searching_an_id_number_finds_nothing_for_an_analyst(village):
    household(village)
    page = signed_in(analyst("04")).get("/households/", {"q": "004080012345"})
    assert list(page.context["page"].object_list) == []


def test_the_digital_filter_keeps_households_without_a_smartphone(village):
    officer = commune_officer("01273")
    without, with_phone = household(village), household(village)
    from langso.registry.services import digital_observe

    for h, value in ((without, False), (with_phone, True)):
        digital_observe(
            actor=officer,
            household_id=h.pk,
            observed_on=h.created_at.date(),
            source="survey",
            facts={"has_smartphone": value},
        )
    page = signed_in(officer).get(
        "/households/", {"digital": "has_smartphone", "digital_value": "no"}
    )
    assert list(page.context["page"].object_list) == [without]


def test_the_unknown_digital_filter_keeps_households_never_observed(village):
    never = household(village)
    page = signed_in(commune_officer("01273")).get(
        "/households/", {"digital": "has_smartphone", "digital_value": "unknown"}
    )
    assert list(page.context["page"].object_list) == [never]


def test_the_ethnicity_filter_is_not_offered_to_an_analyst(village):
    page = signed_in(analyst("04")).get("/households/")
    assert "ethnicity" not in page.context["filter"].filters


def test_an_ethnicity_parameter_from_an_analyst_is_ignored(village):
    household(village)
    kinh = household(village, MemberRecord("Lê Văn Bình", "male", 1975, "head", ethnicity="01"))
    page = signed_in(analyst("04")).get("/households/", {"ethnicity": "01"})
    assert kinh in page.context["page"].object_list
    assert page.context["page"].paginator.count == 2


def test_the_household_page_shows_members_with_masked_id_for_an_officer(village):
    h = household(village)
    page = signed_in(commune_officer("01273")).get(f"/households/{h.pk}/")
    text = page.content.decode()
    assert "Nông Văn Dũng" in text
    assert "••••••••2345" in text
    assert "004080012345" not in text


def test_the_household_page_hides_ethnicity_and_id_from_an_analyst(village):
    h = household(village)
    text = signed_in(analyst("04")).get(f"/households/{h.pk}/").content.decode()
    assert "2345" not in text
    assert "Tày" not in text


def test_an_officer_viewing_a_household_is_logged_as_a_sensitive_read(village):
    h = household(village)
    signed_in(commune_officer("01273")).get(f"/households/{h.pk}/")
    event = ChangeEvent.objects.get(action=Action.READ)
    assert (event.object_id, event.counts) == (str(h.pk), {"people": 3})


def test_a_household_of_another_commune_answers_404(village):
    other = household(VillageFactory(commune_id="01279"))
    assert signed_in(commune_officer("01273")).get(f"/households/{other.pk}/").status_code == 404


def test_an_officer_creates_a_household_with_its_head_through_the_form(village):
    response = signed_in(commune_officer("01273")).post(
        "/households/new/",
        {
            "village": village.pk,
            "full_name": "Hoàng Văn Sáng",
            "sex": "male",
            "birth_year": "1979",
            "ethnicity": "03",
            "id_number": "",
            "is_person_of_merit": "unknown",
            "no_working_capacity": "false",
        },
    )
    created = Household.objects.get()
    assert response.url == f"/households/{created.pk}/"
    head = created.members.get()
    assert (head.relationship, head.ethnicity, created.no_working_capacity) == ("head", "03", False)


def test_a_bad_id_number_in_the_form_is_shown_next_to_the_field(village):
    response = signed_in(commune_officer("01273")).post(
        "/households/new/",
        {
            "village": village.pk,
            "full_name": "A",
            "sex": "male",
            "birth_year": "1979",
            "id_number": "123",
        },
    )
    assert response.context["form"].errors["id_number"]
    assert not Household.objects.exists()


def test_an_analyst_cannot_open_the_new_household_form(village):
    assert signed_in(analyst("04")).get("/households/new/").status_code == 403


def test_an_officer_adds_a_member(village):
    h = household(village)
    signed_in(commune_officer("01273")).post(
        f"/households/{h.pk}/members/new/",
        {
            "full_name": "Nông Thị Mai",
            "sex": "female",
            "birth_year": "2019",
            "relationship": "child",
            "ethnicity": "02",
        },
    )
    h.refresh_from_db()
    assert h.member_count == 4
    assert h.members.filter(full_name="Nông Thị Mai").exists()


def test_editing_a_member_without_an_id_number_keeps_the_stored_one(village):
    h = household(village)
    head = h.members.get(relationship="head")
    signed_in(commune_officer("01273")).post(
        f"/households/{h.pk}/members/{head.pk}/edit/",
        {
            "full_name": "Nông Văn Dũng",
            "sex": "male",
            "birth_year": "1980",
            "relationship": "head",
            "ethnicity": "02",
            "id_number": "",
            "phone": "0912345678",
        },
    )
    head.refresh_from_db()
    assert (head.phone, head.id_number_last4) == ("0912345678", "2345")


def test_a_member_who_moved_away_leaves_the_count_but_stays_in_history(village):
    h = household(village)
    child = h.members.get(relationship="child")
    signed_in(commune_officer("01273")).post(
        f"/households/{h.pk}/members/{child.pk}/leave/", {"reason": "moved"}
    )
    h.refresh_from_db()
    assert h.member_count == 2
    assert Member.objects.filter(pk=child.pk, is_active=False).exists()


def test_making_another_member_head_demotes_the_old_head(village):
    h = household(village)
    spouse = h.members.get(relationship="spouse")
    signed_in(commune_officer("01273")).post(f"/households/{h.pk}/members/{spouse.pk}/head/")
    assert list(h.members.filter(relationship="head")) == [spouse]


def test_a_team_member_records_what_a_household_has_today(village):
    h = household(village)
    signed_in(team_member(village)).post(
        f"/households/{h.pk}/digital/new/",
        {
            "observed_on": "2026-11-20",
            "source": "visit",
            "member": "",
            "has_smartphone": "true",
            "uses_messaging": "false",
        },
    )
    profile = h.__class__.objects.get(pk=h.pk).digital_profile
    assert (profile.has_smartphone, profile.uses_messaging, profile.has_tv) == (True, False, None)


def test_editing_a_household_records_the_change_in_its_history(village):
    h = household(village)
    client = signed_in(commune_officer("01273"))
    client.post(
        f"/households/{h.pk}/edit/",
        {
            "village": village.pk,
            "address": "Xóm Trên",
            "water_source": "piped",
            "is_person_of_merit": "unknown",
            "no_working_capacity": "unknown",
        },
    )
    page = client.get(f"/households/{h.pk}/")
    assert page.context["household"].water_source == "piped"
    assert any(e.action == "update" for e in page.context["history"])


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_an_officer_exports_people_with_masked_ids_by_default(village):
    household(village)
    response = signed_in(commune_officer("01273")).get(
        "/households/export/", {"kind": "people", "format": "csv"}
    )
    rows = _csv_rows(response)
    header, head = rows[0], rows[1]
    assert "Dân tộc" in header
    assert head[header.index("Số CCCD")] == "••••••••2345"


def test_an_officer_may_export_full_id_numbers_and_it_is_logged(village):
    household(village)
    response = signed_in(commune_officer("01273")).get(
        "/households/export/", {"kind": "people", "format": "csv", "full_id": "on"}
    )
    rows = _csv_rows(response)
    assert rows[1][rows[0].index("Số CCCD")] == "004080012345"
    assert ChangeEvent.objects.get(action=Action.READ).counts == {"people": 3}


def test_an_analyst_export_has_no_sensitive_columns(village):
    household(village)
    response = signed_in(analyst("04")).get(
        "/households/export/", {"kind": "people", "format": "csv", "full_id": "on"}
    )
    header = _csv_rows(response)[0]
    assert not {"Dân tộc", "Số CCCD", "Khuyết tật", "Bệnh mãn tính"} & set(header)


def test_the_export_keeps_the_list_filters_and_the_area(village):
    household(village, MemberRecord("Lê Văn Bình", "male", 1975, "head", ethnicity="Kinh"))
    household(village)
    household(VillageFactory(commune_id="01279"))
    response = signed_in(commune_officer("01273")).get(
        "/households/export/", {"kind": "households", "format": "xlsx", "q": "binh"}
    )
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert len(rows) == 2
    assert rows[1][4] == "Lê Văn Bình"


def test_a_large_export_runs_as_a_job_whose_file_only_its_author_downloads(
    village, monkeypatch, django_capture_on_commit_callbacks
):
    from langso.registry import export

    monkeypatch.setattr(export, "IMMEDIATE_LIMIT", 1)
    household(village)
    officer = commune_officer("01273")
    client = signed_in(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/households/export/", {"kind": "people", "format": "csv"})
    job_url = response.url
    download = client.get(f"{job_url}download/")
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 4
    other = commune_officer("01273")
    assert signed_in(other).get(f"{job_url}download/").status_code == 404
