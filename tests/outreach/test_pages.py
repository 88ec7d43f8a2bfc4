"""The announcement pages and the setup pages behind them: list, composer, approval, reading
text, devices, slots, channels, reading dictionary, feedback, and which devices played."""

import datetime as dt
import hashlib
import json

import lxml.html
import pytest
from django.utils import timezone

from langso.outreach import fanout
from langso.outreach.feedback import feedback_submit
from langso.outreach.models import (
    Announcement,
    BroadcastSlot,
    Channel,
    Delivery,
    Device,
    Feedback,
    SpokenForm,
    Status,
)
from langso.outreach.outbox import channel_config
from langso.outreach.services import announcement_submit
from tests.factories.accounts import analyst, commune_officer, province_admin, team_member
from tests.factories.geo import VillageFactory
from tests.factories.sessions import signed_in
from tests.outreach.conftest import (
    HOME,
    NEIGHBOUR,
    announcement,
    cluster,
    published,
    station,
)

pytestmark = pytest.mark.django_db


def _page(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def _texts(page: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [e.text_content().strip() for e in page.xpath(xpath)]


def _listed(client) -> list[str]:
    return _texts(_page(client.get("/outreach/")), "//*[@data-testid='announcements']//td/a")


# ------------------------------------------------------------------ the list


def test_the_list_shows_my_communes_drafts_and_not_another_communes():
    announcement(title="Họp dân tổ 3")
    announcement(commune=NEIGHBOUR, title="Họp dân xã Bảo Lâm")
    assert _listed(signed_in(commune_officer(HOME))) == ["Họp dân tổ 3"]


def test_the_list_shows_a_published_province_announcement_sent_to_my_commune():
    published(province="04", commune_codes=[HOME], title="Tỉnh: lịch nộp thuế")
    assert _listed(signed_in(commune_officer(HOME))) == ["Tỉnh: lịch nộp thuế"]


def test_the_list_hides_a_province_draft_sent_to_my_commune_until_it_is_published():
    announcement(province="04", commune_codes=[HOME], title="Tỉnh: bản nháp")
    assert _listed(signed_in(commune_officer(HOME))) == []


def test_the_list_hides_a_province_announcement_sent_to_another_commune():
    published(province="04", commune_codes=[NEIGHBOUR], title="Tỉnh: cho xã Bảo Lâm")
    assert _listed(signed_in(commune_officer(HOME))) == []


# ------------------------------------------------------------------ composer and detail


def _composer_post(**kw):
    now = timezone.localtime().replace(second=0, microsecond=0)
    return {
        "issuer": HOME,
        "title": "Đăng ký học nghề miễn phí",
        "body": "Hộ nghèo đăng ký học nghề tại UBND phường trước ngày 20.",
        "category": "jobs",
        "priority": "normal",
        "communes": [HOME],
        "valid_from": now.strftime("%Y-%m-%dT%H:%M"),
        "valid_until": (now + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
        "plays_per_day": 2,
        **kw,
    }


def test_the_composer_saves_a_draft_and_opens_it():
    officer = commune_officer(HOME)
    response = signed_in(officer).post("/outreach/new/", _composer_post())
    made = Announcement.objects.get()
    assert response.status_code == 302
    assert response.url == f"/outreach/{made.pk}/"
    assert (made.status, made.created_by, made.commune_id) == (Status.DRAFT, officer, HOME)
    assert list(made.areas.values_list("commune_id", flat=True)) == [HOME]


def test_the_composer_refuses_a_commune_outside_my_area():
    response = signed_in(commune_officer(HOME)).post(
        "/outreach/new/", _composer_post(communes=[NEIGHBOUR])
    )
    assert (response.status_code, Announcement.objects.count()) == (200, 0)


def test_the_composer_is_forbidden_to_a_team_member():
    member = team_member(VillageFactory(commune_id=HOME))
    assert signed_in(member).get("/outreach/new/").status_code == 403


def _reading_warning(client, made) -> list[str]:
    page = _page(client.get(f"/outreach/{made.pk}/"))
    return _texts(page, "//*[@data-testid='reading']//p[contains(@class, 'error')]/strong")


def test_the_detail_warns_that_an_unknown_acronym_will_be_spelled():
    made = announcement(body="Họp ban BQLDA XYZQ vào thứ Hai.")
    warned = _reading_warning(signed_in(made.created_by), made)
    assert len(warned) == 1
    assert "XYZQ" in warned[0].split(", ")


def test_the_detail_does_not_warn_about_an_acronym_of_the_dictionary():
    made = announcement(title="Họp HTX", body="UBND phường mời các HTX họp.")
    assert _reading_warning(signed_in(made.created_by), made) == []


def test_the_detail_shows_the_reading_text_with_acronyms_and_times_in_words():
    made = announcement(title="Họp HTX", body="Họp lúc 7h30.")
    page = _page(signed_in(made.created_by).get(f"/outreach/{made.pk}/"))
    reading = page.xpath("//*[@data-testid='reading']//textarea[@name='spoken_text']")[
        0
    ].text_content()
    assert "hợp tác xã" in reading
    assert "bảy giờ ba mươi" in reading


def test_a_word_added_to_the_dictionary_is_no_longer_spelled():
    made = announcement(body="Họp ban XYZQ vào thứ Hai.")
    client = signed_in(made.created_by)
    client.post("/outreach/dictionary/", {"written": "XYZQ", "spoken": "ích y dét quy"})
    assert _reading_warning(client, made) == []


# ------------------------------------------------------------------ submit, approve, fast path


def _buttons(client, made) -> set[str]:
    page = _page(client.get(f"/outreach/{made.pk}/"))
    return {b.get("data-testid") for b in page.xpath("//*[@data-testid='actions']//button")} - {
        None
    }


def test_submitting_sends_the_draft_for_approval():
    made = announcement()
    signed_in(made.created_by).post(f"/outreach/{made.pk}/submit/")
    made.refresh_from_db()
    assert made.status == Status.SUBMITTED


def test_a_second_officer_approves_and_the_announcement_is_published():
    made = announcement()
    signed_in(made.created_by).post(f"/outreach/{made.pk}/submit/")
    approver = commune_officer(HOME)
    response = signed_in(approver).post(f"/outreach/{made.pk}/approve/")
    made.refresh_from_db()
    assert response.url == f"/outreach/{made.pk}/"
    assert (made.status, made.approved_by) == (Status.PUBLISHED, approver)


def test_the_approve_button_is_shown_to_a_second_officer():
    made = announcement()
    signed_in(made.created_by).post(f"/outreach/{made.pk}/submit/")
    assert "approve" in _buttons(signed_in(commune_officer(HOME)), made)


def test_the_author_sees_no_approve_button():
    made = announcement()
    client = signed_in(made.created_by)
    client.post(f"/outreach/{made.pk}/submit/")
    assert "approve" not in _buttons(client, made)


def test_the_author_cannot_approve_by_posting():
    made = announcement()
    client = signed_in(made.created_by)
    client.post(f"/outreach/{made.pk}/submit/")
    client.post(f"/outreach/{made.pk}/approve/")
    made.refresh_from_db()
    assert made.status == Status.SUBMITTED


def test_the_emergency_fast_path_requires_a_reason():
    made = announcement(priority="emergency", category="disaster")
    signed_in(made.created_by).post(f"/outreach/{made.pk}/emergency/", {"reason": "  "})
    made.refresh_from_db()
    assert (made.status, made.fast_path) == (Status.DRAFT, False)


def test_the_emergency_fast_path_publishes_at_once_with_its_reason():
    made = announcement(priority="emergency", category="disaster")
    signed_in(made.created_by).post(f"/outreach/{made.pk}/emergency/", {"reason": "Lũ đang về"})
    made.refresh_from_db()
    assert (made.status, made.fast_path, made.fast_path_reason) == (
        Status.PUBLISHED,
        True,
        "Lũ đang về",
    )


def test_the_fast_path_button_is_offered_only_for_an_emergency():
    normal = announcement()
    urgent = announcement(priority="emergency", category="disaster")
    client = signed_in(commune_officer(HOME))
    assert ("fast-path" in _buttons(client, normal), "fast-path" in _buttons(client, urgent)) == (
        False,
        True,
    )


def test_cancelling_a_published_announcement_withdraws_it_from_devices():
    cluster()
    made = published()
    signed_in(commune_officer(HOME)).post(f"/outreach/{made.pk}/cancel/", {"reason": "Hoãn"})
    made.refresh_from_db()
    assert (made.status, made.cancel_reason) == (Status.CANCELLED, "Hoãn")
    assert list(Delivery.objects.values_list("status", flat=True)) == ["withdrawn"]


def test_cancelling_requires_a_reason():
    made = announcement()
    signed_in(made.created_by).post(f"/outreach/{made.pk}/cancel/", {"reason": ""})
    made.refresh_from_db()
    assert made.status == Status.DRAFT


def test_an_action_on_an_announcement_outside_my_area_is_not_found():
    made = announcement(commune=NEIGHBOUR)
    response = signed_in(commune_officer(HOME)).post(f"/outreach/{made.pk}/submit/")
    made.refresh_from_db()
    assert (response.status_code, made.status) == (404, Status.DRAFT)


# ------------------------------------------------------------------ devices, slots


def _register(client, at, **kw):
    return client.post(
        "/outreach/devices/",
        {
            "d-kind": "cluster",
            "d-commune": HOME,
            "d-village": "",
            "d-station": at.pk,
            "d-name": "Cụm loa tổ 5",
            "d-location": "Nhà văn hóa tổ 5",
            **kw,
        },
    )


def _shown_token(response) -> str | None:
    found = _page(response).xpath("//*[@data-testid='new-token']//code")
    return found[0].text_content().strip() if found else None


def test_the_devices_page_registers_a_cluster_and_shows_its_token():
    officer = commune_officer(HOME)
    client = signed_in(officer)
    token = _shown_token(_register(client, station(actor=officer)))
    device = Device.objects.get()
    assert (device.kind, device.name, device.commune_id) == ("cluster", "Cụm loa tổ 5", HOME)
    assert token
    assert device.token_digest == hashlib.sha256(token.encode()).hexdigest()


def test_the_device_token_is_shown_only_once():
    officer = commune_officer(HOME)
    client = signed_in(officer)
    token = _shown_token(_register(client, station(actor=officer)))
    again = client.get("/outreach/devices/")
    assert token not in again.content.decode()
    assert _shown_token(again) is None


def test_a_cluster_without_a_station_is_refused():
    officer = commune_officer(HOME)
    client = signed_in(officer)
    station(actor=officer)
    response = _register(client, station(actor=officer), **{"d-station": ""})
    assert (_shown_token(response), Device.objects.count()) == (None, 0)


def test_a_slot_is_added_to_a_station():
    officer = commune_officer(HOME)
    at = station(actor=officer, slots=False)
    signed_in(officer).post(
        f"/outreach/stations/{at.pk}/slots/",
        {"starts_at": "17:00", "ends_at": "17:30", "weekdays": ["1", "3", "5"], "name": "Chiều"},
    )
    slot = at.slots.get()
    assert (slot.starts_at, slot.ends_at, slot.weekdays, slot.name) == (
        dt.time(17, 0),
        dt.time(17, 30),
        "135",
        "Chiều",
    )


def test_a_slot_is_deleted():
    officer = commune_officer(HOME)
    at = station(actor=officer)
    signed_in(officer).post(f"/outreach/slots/{at.slots.get().pk}/delete/")
    assert not BroadcastSlot.objects.exists()


def test_a_slot_of_another_commune_cannot_be_deleted():
    at = station(NEIGHBOUR)
    response = signed_in(commune_officer(HOME)).post(f"/outreach/slots/{at.slots.get().pk}/delete/")
    assert (response.status_code, BroadcastSlot.objects.count()) == (404, 1)


# ------------------------------------------------------------------ channels, dictionary


SECRET = "sk-live-9f8e7d6c5b4a"


def _add_sms_channel(client):
    return client.post(
        "/outreach/channels/",
        {
            "kind": "sms",
            "owner": f"c:{HOME}",
            "name": "SMS phường",
            "config": json.dumps(
                {
                    "endpoint": "https://sms.example.vn/send",
                    "api_key": SECRET,
                    "brandname": "UBND PHUONG",
                }
            ),
            "rate_per_minute": 30,
        },
    )


def test_a_channel_keeps_its_credentials_encrypted():
    _add_sms_channel(signed_in(commune_officer(HOME)))
    channel = Channel.objects.get()
    assert SECRET not in channel.config_encrypted
    assert channel_config(channel)["api_key"] == SECRET


def test_the_channels_page_does_not_show_the_credentials():
    client = signed_in(commune_officer(HOME))
    _add_sms_channel(client)
    body = client.get("/outreach/channels/").content.decode()
    assert "SMS phường" in body
    assert SECRET not in body


def test_the_dictionary_page_adds_a_spoken_form_for_my_province():
    client = signed_in(commune_officer(HOME))
    response = client.post("/outreach/dictionary/", {"written": "BQLDA", "spoken": "ban quản lý"})
    form = SpokenForm.objects.get()
    assert (response.status_code, form.province_id, form.written, form.spoken) == (
        302,
        "04",
        "BQLDA",
        "ban quản lý",
    )
    assert "BQLDA" in _texts(
        _page(client.get("/outreach/dictionary/")), "//*[@data-testid='own-forms']//td"
    )


# ------------------------------------------------------------------ feedback


def test_an_officer_answers_feedback_and_publishes_the_answer():
    asked = feedback_submit(commune_code=HOME, question="Khi nào có đợt tiêm tiếp theo?")
    client = signed_in(commune_officer(HOME))
    client.post(
        f"/outreach/feedback/{asked.pk}/answer/",
        {"answer": "Ngày 15 hằng tháng.", "publish": "on"},
    )
    asked.refresh_from_db()
    assert (asked.answer, asked.published) == ("Ngày 15 hằng tháng.", True)


def test_an_answer_is_kept_private_unless_published():
    asked = feedback_submit(commune_code=HOME, question="Hỏi riêng")
    signed_in(commune_officer(HOME)).post(
        f"/outreach/feedback/{asked.pk}/answer/", {"answer": "Trả lời riêng"}
    )
    asked.refresh_from_db()
    assert (asked.answer, asked.published) == ("Trả lời riêng", False)


def test_feedback_of_another_commune_cannot_be_answered():
    asked = feedback_submit(commune_code=NEIGHBOUR, question="Hỏi xã khác")
    response = signed_in(commune_officer(HOME)).post(
        f"/outreach/feedback/{asked.pk}/answer/", {"answer": "x"}
    )
    assert (response.status_code, Feedback.objects.get().answer) == (404, "")


# ------------------------------------------------------------------ which devices played


def test_devices_of_lists_the_clusters_that_played_and_those_that_did_not():
    at = station()
    played, _token = cluster(name="Cụm loa chợ", at=at)
    cluster(name="Cụm loa trường", at=at)
    made = published()
    delivery = Delivery.objects.get(device=played, announcement=made)
    now = timezone.now()
    fanout.receipts_record(
        device=played,
        receipts=[fanout.ReceiptIn(delivery_id=delivery.pk, kind="played", at=now)],
        now=now,
    )
    page = _page(signed_in(commune_officer(HOME)).get(f"/outreach/{made.pk}/devices/cluster/"))
    done = {r.xpath("td")[0].text.strip() for r in page.xpath("//tr[@class='done']")}
    not_done = {r.xpath("td")[0].text.strip() for r in page.xpath("//tr[@class='not-done']")}
    assert (done, not_done) == ({"Cụm loa chợ"}, {"Cụm loa trường"})


# ------------------------------------------------------------------ access


PAGES = [
    "/outreach/",
    "/outreach/new/",
    "/outreach/devices/",
    "/outreach/channels/",
    "/outreach/dictionary/",
    "/outreach/feedback/",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_need_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/account/login/")


def test_the_detail_page_needs_login(client):
    made = announcement()
    response = client.get(f"/outreach/{made.pk}/")
    assert (response.status_code, response.url.split("?")[0]) == (302, "/account/login/")


def test_a_commune_officer_cannot_cancel_a_province_announcement_sent_to_them():
    made = published(province="04", commune_codes=[HOME])
    response = signed_in(commune_officer(HOME)).post(
        f"/outreach/{made.pk}/cancel/", {"reason": "Không phải của xã"}
    )
    made.refresh_from_db()
    assert (response.status_code, made.status) == (403, Status.PUBLISHED)


def test_a_slot_cannot_be_added_to_another_communes_station():
    at = station(NEIGHBOUR, slots=False)
    response = signed_in(commune_officer(HOME)).post(
        f"/outreach/stations/{at.pk}/slots/",
        {"starts_at": "17:00", "ends_at": "17:30", "weekdays": ["1"], "name": "Chiều"},
    )
    assert (response.status_code, BroadcastSlot.objects.count()) == (404, 0)


def test_a_province_officer_drafts_an_announcement_for_the_whole_province():
    officer = province_admin("04")
    signed_in(officer).post(
        "/outreach/new/", _composer_post(issuer="province", communes=[], whole_province="on")
    )
    made = Announcement.objects.get()
    assert (made.province_id, made.commune_id, made.whole_province) == ("04", None, True)


def test_a_team_member_records_a_question_heard_at_a_visit():
    village = VillageFactory(commune_id=HOME, name="Nà Rị")
    member = team_member(village)
    signed_in(member).post(
        "/outreach/feedback/",
        {
            "commune": HOME,
            "village": village.pk,
            "question": "Bà con hỏi lịch tiêm phòng cho trâu bò.",
            "source": "visit",
        },
    )
    stored = Feedback.objects.get()
    assert (stored.source, stored.village, stored.recorded_by) == ("visit", village, member)


def test_a_reader_is_not_offered_the_reading_text_form():
    made = announcement()
    announcement_submit(actor=made.created_by, announcement_id=made.pk)
    page = _page(signed_in(analyst("04")).get(f"/outreach/{made.pk}/"))
    assert page.xpath("//textarea[@name='spoken_text']") == []


def test_a_reader_is_offered_no_action_on_a_draft():
    made = announcement(priority="emergency", category="disaster")
    page = _page(signed_in(analyst("04")).get(f"/outreach/{made.pk}/"))
    assert page.xpath("//*[@data-testid='actions']") == []


def test_a_reader_cannot_open_the_edit_form():
    made = announcement()
    assert signed_in(analyst("04")).get(f"/outreach/{made.pk}/edit/").status_code == 403


def test_a_submitted_announcement_is_not_edited_in_place():
    made = announcement()
    client = signed_in(made.created_by)
    client.post(f"/outreach/{made.pk}/submit/")
    assert client.get(f"/outreach/{made.pk}/edit/").status_code == 403


def test_the_author_edits_a_draft():
    made = announcement()
    signed_in(made.created_by).post(
        f"/outreach/{made.pk}/edit/", _composer_post(title="Tiêu đề đã sửa")
    )
    made.refresh_from_db()
    assert made.title == "Tiêu đề đã sửa"
