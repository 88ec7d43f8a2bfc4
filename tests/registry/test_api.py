"""The household registry API: scope, filters, writes through the services, sensitive data."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from langso.audit.models import Action, ChangeEvent
from langso.jobs.models import Job
from langso.registry.api import DigitalFacts
from langso.registry.models import DigitalProfile, Household, Member
from langso.registry.records import DIGITAL_FIELDS, MemberRecord
from langso.registry.services import digital_observe, household_create
from tests.factories.accounts import analyst, commune_officer, team_member
from tests.factories.geo import VillageFactory
from tests.factories.registry import household_record
from tests.factories.sessions import api_client
from tests.registry.test_import import _csv, _household

pytestmark = pytest.mark.django_db
URL = "/api/v1/households"


@pytest.fixture
def village():
    return VillageFactory(commune_id="01273", name="Nà Rị")


@pytest.fixture
def officer(village):
    return commune_officer("01273")


@pytest.fixture
def household(officer, village):
    return household_create(actor=officer, record=household_record(village))


def _kinh_household(officer, village, name="Lê Văn Bình"):
    head = MemberRecord(name, "male", 1975, "head", ethnicity="Kinh")
    return household_create(actor=officer, record=household_record(village, head))


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def _fields(response) -> dict[str, str]:
    return {e["field"]: e["msg"] for e in response.json()["errors"]}


def _new_household(village, **kw) -> dict:
    return {
        "village_id": village.pk,
        "address": "Số 3, xóm Nà Rị",
        "wall": "durable",
        "floor_area_m2": 45.5,
        "members": [
            {
                "full_name": "Nông Văn Dũng",
                "sex": "male",
                "birth_year": 1980,
                "relationship": "head",
                "ethnicity": "Tày",
                "id_number": "004080012345",
                "has_health_insurance": True,
            },
            {
                "full_name": "Hoàng Thị Lan",
                "sex": "female",
                "birth_year": 1984,
                "relationship": "spouse",
                "ethnicity": "07",
            },
        ],
        **kw,
    }


def _reads(actor) -> list[ChangeEvent]:
    return list(ChangeEvent.objects.filter(action=Action.READ, actor=actor))


# --- reading and scope ------------------------------------------------------------------------


def test_the_list_holds_the_households_of_my_area_ordered_by_code(officer, village):
    second = _kinh_household(officer, village)
    first = _kinh_household(officer, village, name="Lý Văn Tư")
    body = api_client(officer).get(URL).json()
    assert body["count"] == 2
    assert [h["code"] for h in body["items"]] == sorted([first.code, second.code])


def test_a_list_item_has_its_place_facts_and_counts(officer, household):
    item = api_client(officer).get(URL).json()["items"][0]
    assert (item["commune_code"], item["village_id"], item["area_type"]) == (
        "01273",
        household.village_id,
        household.area_type,
    )
    assert (item["member_count"], item["is_active"], item["merged_into_id"]) == (3, True, None)


def test_an_officer_of_another_commune_sees_no_household(household):
    body = api_client(commune_officer("01279")).get(URL).json()
    assert (body["count"], body["items"]) == (0, [])


def test_a_household_outside_my_area_answers_404_like_a_missing_one(household):
    client = api_client(commune_officer("01279"))
    foreign = client.get(f"{URL}/{household.pk}")
    missing = client.get(f"{URL}/{household.pk + 1000}")
    assert (foreign.status_code, foreign.json()) == (missing.status_code, missing.json())
    assert foreign.status_code == 404


def test_a_member_outside_my_area_answers_404(household):
    member = household.members.get(relationship="head")
    response = _patch(
        api_client(commune_officer("01279")), f"{URL}/members/{member.pk}", {"phone": "0912"}
    )
    assert response.status_code == 404


def test_a_team_member_reads_the_households_of_their_village(household, village):
    response = api_client(team_member(village)).get(f"{URL}/{household.pk}")
    assert response.status_code == 200


def test_the_detail_has_the_active_members_head_first_and_an_empty_profile(officer, household):
    body = api_client(officer).get(f"{URL}/{household.pk}").json()
    assert [m["relationship"] for m in body["members"]] == ["head", "spouse", "child"]
    assert set(body["digital_profile"].values()) == {None}


def test_the_list_searches_by_name_without_marks(officer, village, household):
    _kinh_household(officer, village)
    body = api_client(officer).get(URL, {"q": "nong van dung"}).json()
    assert [h["id"] for h in body["items"]] == [household.pk]


def test_the_list_filters_by_village(officer, household):
    elsewhere = VillageFactory(commune_id="01273")
    _kinh_household(officer, elsewhere)
    body = api_client(officer).get(URL, {"village": household.village_id}).json()
    assert [h["id"] for h in body["items"]] == [household.pk]


def test_the_list_filters_minority_households_for_an_officer(officer, village, household):
    _kinh_household(officer, village)
    body = api_client(officer).get(URL, {"minority": "true"}).json()
    assert [h["id"] for h in body["items"]] == [household.pk]


def test_the_list_filters_by_a_digital_fact(officer, village, household):
    _kinh_household(officer, village)
    digital_observe(
        actor=officer,
        household_id=household.pk,
        observed_on=household.created_at.date(),
        source="visit",
        facts={"has_smartphone": True},
    )
    body = api_client(officer).get(URL, {"digital": "has_smartphone", "digital_value": "yes"})
    assert [h["id"] for h in body.json()["items"]] == [household.pk]


def test_inactive_households_are_listed_only_when_asked(officer, village, household):
    Household.objects.filter(pk=household.pk).update(is_active=False)
    client = api_client(officer)
    assert client.get(URL).json()["count"] == 0
    assert client.get(URL, {"inactive": "true"}).json()["count"] == 1


def test_a_sensitive_filter_is_refused_to_an_analyst(household):
    response = api_client(analyst("04")).get(URL, {"ethnicity": "02"})
    assert response.status_code == 403


def test_an_unknown_ethnicity_code_in_a_filter_is_422(officer, household):
    response = api_client(officer).get(URL, {"ethnicity": "99"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "ethnicity"]


# --- sensitive data -----------------------------------------------------------------------------


def test_an_analyst_gets_no_sensitive_member_fields(household):
    body = api_client(analyst("04")).get(f"{URL}/{household.pk}").json()
    head = body["members"][0]
    assert [head[k] for k in ("ethnicity", "id_number", "has_disability")] == [None] * 3
    assert body["is_ethnic_minority"] is None


def test_an_analyst_reading_a_household_leaves_no_sensitive_read_event(household):
    reader = analyst("04")
    api_client(reader).get(f"{URL}/{household.pk}")
    assert _reads(reader) == []


def test_an_officer_sees_ethnicity_and_only_a_masked_id_number(officer, household):
    response = api_client(officer).get(f"{URL}/{household.pk}")
    head = response.json()["members"][0]
    assert (head["ethnicity"], head["id_number"]) == ("02", "••••••••2345")
    assert "004080012345" not in response.content.decode()


def test_an_officer_reading_a_household_is_logged_once_with_the_fields_and_people(
    officer, household
):
    api_client(officer).get(f"{URL}/{household.pk}")
    [event] = _reads(officer)
    assert (event.object_type, event.object_id) == ("registry.household", str(household.pk))
    assert {"ethnicity", "id_number_last4", "is_ethnic_minority"} <= set(event.after["fields"])
    assert event.counts == {"people": 3}


def test_a_list_showing_the_minority_flag_is_logged_as_one_read(officer, household):
    api_client(officer).get(URL)
    [event] = _reads(officer)
    assert (event.after["fields"], event.counts) == (["is_ethnic_minority"], {"people": 3})


# --- writes ---------------------------------------------------------------------------------------


def test_an_officer_registers_a_household_with_its_members(officer, village):
    response = _post(api_client(officer), URL, _new_household(village))
    assert response.status_code == 201
    body = response.json()
    assert (body["code"], body["member_count"], body["wall"]) == ("01273-000001", 2, "durable")
    assert [m["ethnicity"] for m in body["members"]] == ["02", "07"]


def test_a_created_household_is_written_by_the_service_with_an_audit_entry(officer, village):
    household_id = _post(api_client(officer), URL, _new_household(village)).json()["id"]
    event = ChangeEvent.objects.get(action=Action.CREATE, object_id=str(household_id))
    assert event.object_type == "registry.household"


def test_invalid_members_are_400_naming_each_field_path(officer, village):
    body = _new_household(village)
    body["members"][1]["id_number"] = "123"
    body["members"][1]["birth_year"] = 1850
    response = _post(api_client(officer), URL, body)
    assert response.status_code == 400
    assert {"members[1].id_number", "members[1].birth_year"} <= set(_fields(response))
    assert not Household.objects.exists()


def test_a_village_outside_my_area_is_400_on_the_village_id_field(officer):
    elsewhere = VillageFactory(commune_id="01279")
    response = _post(api_client(officer), URL, _new_household(elsewhere))
    assert response.status_code == 400
    assert list(_fields(response)) == ["village_id"]


def test_a_wrong_choice_is_422_from_the_schema(officer, village):
    response = _post(api_client(officer), URL, _new_household(village, wall="bamboo"))
    assert response.status_code == 422


def test_an_analyst_cannot_register_a_household(village):
    response = _post(api_client(analyst("04")), URL, _new_household(village))
    assert response.status_code == 403


def test_a_team_member_cannot_change_a_household(household, village):
    response = _patch(api_client(team_member(village)), f"{URL}/{household.pk}", {"address": "x"})
    assert response.status_code == 403


def test_patch_changes_only_the_fields_sent(officer, household):
    response = _patch(api_client(officer), f"{URL}/{household.pk}", {"latrine": "septic"})
    assert response.status_code == 200
    household.refresh_from_db()
    assert (household.latrine, household.address) == ("septic", "")


def test_patch_can_clear_a_fact_with_null(officer, household):
    Household.objects.filter(pk=household.pk).update(wall="durable", income_per_person=900000)
    _patch(api_client(officer), f"{URL}/{household.pk}", {"wall": None, "income_per_person": None})
    household.refresh_from_db()
    assert (household.wall, household.income_per_person) == ("", None)


def test_patch_with_an_implausible_floor_area_is_400(officer, household):
    response = _patch(api_client(officer), f"{URL}/{household.pk}", {"floor_area_m2": 0})
    assert response.status_code == 400
    assert list(_fields(response)) == ["floor_area_m2"]


def test_a_member_is_added_to_a_household(officer, household):
    response = _post(
        api_client(officer),
        f"{URL}/{household.pk}/members",
        {"full_name": "Nông Thị Mai", "sex": "female", "birth_year": 2015, "relationship": "child"},
    )
    assert response.status_code == 201
    household.refresh_from_db()
    assert household.member_count == 4


def test_a_second_head_is_refused_with_the_relationship_field(officer, household):
    response = _post(
        api_client(officer),
        f"{URL}/{household.pk}/members",
        {"full_name": "Lý Văn Tư", "sex": "male", "birth_year": 1970, "relationship": "head"},
    )
    assert response.status_code == 400
    assert list(_fields(response)) == ["relationship"]


def test_a_member_update_keeps_the_id_number_when_none_is_sent(officer, household):
    head = household.members.get(relationship="head")
    response = _patch(api_client(officer), f"{URL}/members/{head.pk}", {"phone": "0912345678"})
    assert response.status_code == 200
    head.refresh_from_db()
    assert (head.phone, head.id_number_last4, head.full_name) == (
        "0912345678",
        "2345",
        "Nông Văn Dũng",
    )


def test_a_member_update_with_a_new_date_of_birth_takes_its_year(officer, household):
    child = household.members.get(relationship="child")
    _patch(api_client(officer), f"{URL}/members/{child.pk}", {"birth_date": "2013-02-01"})
    child.refresh_from_db()
    assert child.birth_year == 2013


def test_a_member_update_with_a_wrong_id_number_is_400(officer, household):
    head = household.members.get(relationship="head")
    response = _patch(api_client(officer), f"{URL}/members/{head.pk}", {"id_number": "12"})
    assert response.status_code == 400
    assert list(_fields(response)) == ["id_number"]


def test_a_member_who_moved_away_leaves_the_household(officer, household):
    spouse = household.members.get(relationship="spouse")
    response = _post(api_client(officer), f"{URL}/members/{spouse.pk}/leave", {"reason": "moved"})
    assert (response.status_code, response.json()["is_active"]) == (200, False)
    household.refresh_from_db()
    assert household.member_count == 2


def test_the_head_cannot_leave_before_the_head_changes(officer, household):
    head = household.members.get(relationship="head")
    response = _post(api_client(officer), f"{URL}/members/{head.pk}/leave", {"reason": "died"})
    assert response.status_code == 400


def test_the_head_changes_to_another_member(officer, household):
    spouse = household.members.get(relationship="spouse")
    response = _post(api_client(officer), f"{URL}/{household.pk}/head", {"member_id": spouse.pk})
    assert response.status_code == 200
    assert response.json()["members"][0]["id"] == spouse.pk
    assert Member.objects.get(pk=spouse.pk).relationship == "head"


def test_a_head_from_another_household_is_400_on_member_id(officer, village, household):
    other = _kinh_household(officer, village).members.get()
    response = _post(api_client(officer), f"{URL}/{household.pk}/head", {"member_id": other.pk})
    assert response.status_code == 400
    assert list(_fields(response)) == ["member_id"]


# --- digital observations -----------------------------------------------------------------------


def test_the_digital_schema_has_every_digital_field():
    assert set(DigitalFacts.model_fields) == set(DIGITAL_FIELDS)


def test_an_observation_refreshes_the_digital_profile(officer, household):
    client = api_client(officer)
    response = _post(
        client,
        f"{URL}/{household.pk}/digital-observations",
        {"observed_on": "2026-01-05", "source": "visit", "has_smartphone": True, "vneid_level": 2},
    )
    assert response.status_code == 201
    profile = client.get(f"{URL}/{household.pk}/digital-profile").json()
    assert (profile["has_smartphone"], profile["vneid_level"], profile["observed_on"]) == (
        True,
        2,
        "2026-01-05",
    )
    assert DigitalProfile.objects.filter(household=household).exists()


def test_a_team_member_records_an_observation_for_a_member(household, village):
    member = household.members.get(relationship="child")
    response = _post(
        api_client(team_member(village)),
        f"{URL}/{household.pk}/digital-observations",
        {
            "observed_on": "2026-01-05",
            "source": "visit",
            "member_id": member.pk,
            "uses_internet": True,
        },
    )
    assert (response.status_code, response.json()["member_id"]) == (201, member.pk)


def test_an_observation_in_the_future_is_400(officer, household):
    response = _post(
        api_client(officer),
        f"{URL}/{household.pk}/digital-observations",
        {"observed_on": "2999-01-01", "source": "visit", "has_tv": True},
    )
    assert (response.status_code, list(_fields(response))) == (400, ["observed_on"])


def test_an_analyst_cannot_record_an_observation(household):
    response = _post(
        api_client(analyst("04")),
        f"{URL}/{household.pk}/digital-observations",
        {"observed_on": "2026-01-05", "source": "visit", "has_tv": True},
    )
    assert response.status_code == 403


def test_observations_are_listed_newest_first_with_who_recorded_them(officer, household):
    client = api_client(officer)
    for day in ("2026-01-05", "2026-03-01", "2026-02-01"):
        _post(
            client,
            f"{URL}/{household.pk}/digital-observations",
            {"observed_on": day, "source": "survey", "has_tv": True},
        )
    items = client.get(f"{URL}/{household.pk}/digital-observations").json()["items"]
    assert [o["observed_on"] for o in items] == ["2026-03-01", "2026-02-01", "2026-01-05"]
    assert {o["recorded_by"] for o in items} == {officer.username}


# --- imports --------------------------------------------------------------------------------------


def test_an_upload_starts_an_import_job_with_a_link_to_its_status(officer):
    upload = SimpleUploadedFile("ho.csv", _csv(_household("H1")))
    response = api_client(officer).post(f"{URL}/import", {"file": upload, "valid_only": "true"})
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["job_id"])
    assert (job.kind, job.commune_code, job.params["valid_only"]) == (
        "registry.import_households",
        "01273",
        True,
    )
    assert response.json()["status_url"] == f"/api/v1/jobs/{job.pk}"


def test_the_import_job_status_is_read_from_the_jobs_api(
    officer, django_capture_on_commit_callbacks
):
    client = api_client(officer)
    upload = SimpleUploadedFile("ho.csv", _csv(_household("H1")))
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"{URL}/import", {"file": upload}).json()
    status = client.get(started["status_url"]).json()
    assert (status["status"], status["result"]["created"]) == ("succeeded", 1)


def test_an_upload_that_is_not_a_table_is_400_on_the_file_field(officer):
    upload = SimpleUploadedFile("ho.pdf", b"%PDF-1.4")
    response = api_client(officer).post(f"{URL}/import", {"file": upload})
    assert (response.status_code, list(_fields(response))) == (400, ["file"])


def test_an_analyst_cannot_start_an_import(village):
    upload = SimpleUploadedFile("ho.csv", _csv(_household("H1")))
    response = api_client(analyst("04")).post(f"{URL}/import", {"file": upload})
    assert response.status_code == 403
    assert not Job.objects.exists()
