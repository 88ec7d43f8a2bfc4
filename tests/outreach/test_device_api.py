"""The device API (a loudspeaker cluster's playlist, its MP3s, its receipts) and the officials'
announcement API (list, detail, reach), scoped like the pages."""

import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from langso.outreach import fanout
from langso.outreach.models import Delivery, Receipt
from tests.factories.accounts import commune_officer
from tests.factories.sessions import api_client
from tests.outreach.conftest import (
    HOME,
    NEIGHBOUR,
    announcement,
    board,
    cluster,
    emergency,
    published,
    station,
)

pytestmark = pytest.mark.django_db


def device_client(token: str) -> Client:
    return Client(headers={"Authorization": f"Device {token}"})


def _playlist(token: str, **headers):
    return device_client(token).get("/api/v1/devices/playlist", headers=headers)


def _post_receipts(token: str, *receipts: dict):
    return device_client(token).post(
        "/api/v1/devices/receipts", {"receipts": list(receipts)}, content_type="application/json"
    )


def _receipt(delivery: Delivery, kind: str = "played", rid: str = "r-1") -> dict:
    return {"delivery": delivery.pk, "kind": kind, "at": timezone.now().isoformat(), "id": rid}


# ------------------------------------------------------------------ playlist


def test_the_playlist_puts_an_emergency_in_play_now_and_interrupts():
    _device, token = cluster()
    urgent = emergency(audio=True)
    playlist = _playlist(token).json()
    assert playlist["interrupt"] is True
    assert [i["announcement"] for i in playlist["play_now"]] == [urgent.pk]
    assert playlist["play_now"][0]["audio_url"].endswith(".mp3")


def test_the_playlist_carries_the_stations_slots():
    _device, token = cluster()
    slots = _playlist(token).json()["slots"]
    # the coming 06:00 bulletins of today (if not over yet) and tomorrow
    assert 1 <= len(slots) <= 2
    assert {(s["starts_at"][11:16], s["ends_at"][11:16], s["name"]) for s in slots} == {
        ("06:00", "06:30", "Bản tin sáng")
    }


def test_a_normal_announcement_waits_for_a_slot():
    _device, token = cluster()
    notice = published(audio=True)
    playlist = _playlist(token).json()
    assert (playlist["interrupt"], playlist["play_now"]) == (False, [])
    assert [i["announcement"] for i in playlist["slots"][0]["items"]] == [notice.pk]


def test_the_playlist_marks_the_deliveries_fetched():
    device, token = cluster()
    published()
    _playlist(token)
    assert Delivery.objects.get(device=device).status == "fetched"


@pytest.mark.parametrize(
    "header",
    [None, "Device wrong-token", "Bearer whatever", "Device "],
    ids=["none", "wrong", "bearer", "empty"],
)
def test_the_playlist_needs_a_device_token(header):
    cluster()
    client = Client(headers={"Authorization": header} if header else {})
    assert client.get("/api/v1/devices/playlist").status_code == 401


def test_a_user_api_token_does_not_open_the_device_api():
    cluster()
    client = api_client(commune_officer(HOME))
    assert client.get("/api/v1/devices/playlist").status_code == 401


def test_a_deactivated_device_is_refused():
    device, token = cluster()
    device.active = False
    device.save(update_fields=["active"])
    assert _playlist(token).status_code == 401


def test_an_unchanged_playlist_answers_304():
    _device, token = cluster()
    emergency(audio=True)
    first = _playlist(token)
    again = _playlist(token, if_none_match=first["ETag"])
    assert (again.status_code, again.content) == (304, b"")
    assert again["ETag"] == first["ETag"]


def test_a_changed_playlist_answers_with_its_new_content():
    _device, token = cluster()
    emergency(audio=True)
    first = _playlist(token)
    later = published(audio=True, title="Thông báo mới")
    again = _playlist(token, if_none_match=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    items = [i["announcement"] for s in again.json()["slots"] for i in s["items"]]
    assert later.pk in items


def test_a_board_reads_its_screen_not_a_playlist():
    _device, token = board()
    assert _playlist(token).status_code == 400


# ------------------------------------------------------------------ audio


def test_a_cluster_downloads_the_mp3_of_its_playlist_by_checksum():
    _device, token = cluster()
    emergency(audio=True)
    item = _playlist(token).json()["play_now"][0]
    response = device_client(token).get(item["audio_url"])
    data = b"".join(response.streaming_content)
    assert (response.status_code, response["Content-Type"]) == (200, "audio/mpeg")
    assert hashlib.sha256(data).hexdigest() == item["sha256"]


def test_a_cluster_cannot_download_another_devices_audio():
    at = station()
    _mine, token = cluster(at=at)
    _theirs, their_token = cluster(NEIGHBOUR)
    emergency(audio=True, commune=NEIGHBOUR)
    sha = _playlist(their_token).json()["play_now"][0]["sha256"]
    assert device_client(token).get(f"/api/v1/devices/audio/{sha}.mp3").status_code == 404


def test_an_unknown_checksum_is_not_found():
    _device, token = cluster()
    assert device_client(token).get(f"/api/v1/devices/audio/{'0' * 64}.mp3").status_code == 404


# ------------------------------------------------------------------ receipts


def test_a_played_receipt_is_stored_and_marks_the_delivery_played():
    device, token = cluster()
    published()
    delivery = Delivery.objects.get(device=device)
    answer = _post_receipts(token, _receipt(delivery)).json()
    delivery.refresh_from_db()
    assert [r["outcome"] for r in answer] == ["stored"]
    assert (delivery.status, delivery.done_count, Receipt.objects.count()) == ("played", 1, 1)


def test_a_resent_receipt_is_reported_as_a_duplicate_and_counted_once():
    device, token = cluster()
    published()
    delivery = Delivery.objects.get(device=device)
    _post_receipts(token, _receipt(delivery, rid="abc"))
    again = _post_receipts(token, _receipt(delivery, rid="abc")).json()
    assert [r["outcome"] for r in again] == ["duplicate"]
    assert Receipt.objects.count() == 1


def test_a_receipt_for_another_devices_delivery_is_refused():
    _mine, token = cluster()
    theirs, _their_token = cluster(name="Cụm loa khác")
    published()
    delivery = Delivery.objects.get(device=theirs)
    answer = _post_receipts(token, _receipt(delivery)).json()
    assert [r["outcome"] for r in answer] == ["refused"]
    assert not Receipt.objects.exists()


def test_receipts_need_a_device_token():
    device, _token = cluster()
    published()
    delivery = Delivery.objects.get(device=device)
    response = _post_receipts("not-a-token", _receipt(delivery))
    assert (response.status_code, Receipt.objects.count()) == (401, 0)


# ------------------------------------------------------------------ officials' API


def _record(device, announcement, kind):
    now = timezone.now()
    delivery = Delivery.objects.get(device=device, announcement=announcement)
    fanout.receipts_record(
        device=device, receipts=[fanout.ReceiptIn(delivery.pk, kind, now)], now=now
    )


def test_the_reach_api_counts_devices_by_what_they_did():
    at = station()
    played, _t1 = cluster(name="Cụm 1", at=at)
    cluster(name="Cụm 2", at=at)
    shown, _t3 = board()
    made = published()
    _record(played, made, "played")
    _record(played, made, "played")
    _record(shown, made, "displayed")
    reach = api_client(commune_officer(HOME)).get(f"/api/v1/outreach/announcements/{made.pk}/reach")
    body = reach.json()
    assert reach.status_code == 200
    assert (body["clusters"]["total"], body["clusters"]["played"], body["plays"]) == (2, 1, 2)
    assert (body["clusters"]["not_done"], body["boards"]["displayed"], body["displays"]) == (
        1,
        1,
        1,
    )


def test_the_reach_of_another_communes_announcement_is_not_found():
    made = published(commune=NEIGHBOUR)
    client = api_client(commune_officer(HOME))
    assert client.get(f"/api/v1/outreach/announcements/{made.pk}/reach").status_code == 404


def test_the_announcement_list_holds_only_my_area():
    mine = announcement(title="Của phường")
    announcement(commune=NEIGHBOUR, title="Của xã Bảo Lâm")
    into = published(province="04", commune_codes=[HOME], title="Của tỉnh gửi phường")
    items = api_client(commune_officer(HOME)).get("/api/v1/outreach/announcements").json()
    assert {i["id"] for i in items["items"]} == {mine.pk, into.pk}


def test_an_announcement_of_another_commune_answers_like_a_missing_one():
    theirs = announcement(commune=NEIGHBOUR)
    client = api_client(commune_officer(HOME))
    foreign = client.get(f"/api/v1/outreach/announcements/{theirs.pk}")
    missing = client.get(f"/api/v1/outreach/announcements/{theirs.pk + 1000}")
    assert (foreign.status_code, foreign.json()) == (missing.status_code, missing.json())
    assert foreign.status_code == 404


def test_the_announcement_list_filters_by_status():
    announcement(title="Nháp")
    done = published(title="Đã phát")
    items = (
        api_client(commune_officer(HOME))
        .get("/api/v1/outreach/announcements?status=published")
        .json()["items"]
    )
    assert [i["id"] for i in items] == [done.pk]


def test_an_unknown_status_filter_is_refused_not_a_server_error():
    from tests.factories.accounts import commune_officer
    from tests.factories.sessions import api_client

    response = api_client(commune_officer("01273")).get(
        "/api/v1/outreach/announcements?status=pub%00lished"
    )
    assert response.status_code == 422
