"""What anyone can open without an account: the portal and its RSS, Atom and CAP feeds, the
feedback form, and a bulletin board's display page with its screen and receipts."""

import datetime as dt

import lxml.etree
import lxml.html
import pytest
from django.utils import timezone

from langso.outreach.channels import cap
from langso.outreach.models import Delivery, Feedback, FeedbackSource, Receipt
from tests.outreach.conftest import (
    ELSEWHERE,
    HOME,
    NEIGHBOUR,
    announcement,
    board,
    cluster,
    emergency,
    published,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _portal_titles(client, query: str) -> list[str]:
    response = client.get(f"/thong-bao/?{query}")
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    return [a.text_content().strip() for a in page.xpath("//article//h2/a")]


# ------------------------------------------------------------------ the portal


def test_the_portal_lists_only_published_announcements_valid_now(client):
    now = timezone.now()
    published(title="Đang có hiệu lực")
    announcement(title="Bản nháp")
    published(
        title="Đã hết hạn",
        valid_from=now - dt.timedelta(days=3),
        valid_until=now - dt.timedelta(days=1),
    )
    published(
        title="Chưa đến ngày",
        valid_from=now + dt.timedelta(days=1),
        valid_until=now + dt.timedelta(days=3),
    )
    assert _portal_titles(client, "tinh=04") == ["Đang có hiệu lực"]


def test_the_portal_lists_emergencies_first_then_priority_then_the_newest(client):
    published(title="Thông thường")
    published(title="Ưu tiên", priority="priority")
    emergency(title="Khẩn cấp")
    published(title="Thông thường mới hơn")
    assert _portal_titles(client, "tinh=04") == [
        "Khẩn cấp",
        "Ưu tiên",
        "Thông thường mới hơn",
        "Thông thường",
    ]


def test_the_portal_of_a_province_leaves_out_other_provinces(client):
    published(title="Cao Bằng")
    published(commune=ELSEWHERE, title="Bắc Ninh")
    assert _portal_titles(client, "tinh=04") == ["Cao Bằng"]


def test_the_portal_of_a_commune_lists_its_own_and_whole_province_announcements(client):
    published(title="Cho phường")
    published(province="04", title="Cho cả tỉnh")
    published(commune=NEIGHBOUR, title="Cho xã Bảo Lâm")
    assert set(_portal_titles(client, f"xa={HOME}")) == {"Cho phường", "Cho cả tỉnh"}


def test_a_cancelled_announcement_leaves_the_portal_list(client):
    from langso.outreach.services import announcement_cancel
    from tests.factories.accounts import commune_officer

    made = published(title="Sẽ hủy")
    announcement_cancel(actor=commune_officer(HOME), announcement_id=made.pk, reason="Hoãn")
    assert _portal_titles(client, "tinh=04") == []


def test_a_published_announcement_opens_without_login(client):
    made = published(title="Mở công khai")
    response = client.get(f"/thong-bao/{made.pk}/")
    assert response.status_code == 200
    assert "Mở công khai" in response.content.decode()


def test_a_draft_is_not_found_on_the_portal(client):
    made = announcement()
    assert client.get(f"/thong-bao/{made.pk}/").status_code == 404


# ------------------------------------------------------------------ RSS and Atom


def test_the_rss_feed_parses_and_holds_the_current_titles(client):
    published(title="Tiêm chủng")
    emergency(title="Lũ quét")
    announcement(title="Nháp không đăng")
    response = client.get("/thong-bao/rss/?tinh=04")
    root = lxml.etree.fromstring(response.content)
    titles = root.xpath("/rss/channel/item/title/text()")
    assert root.tag == "rss"
    assert sorted(titles) == ["Tiêm chủng", "[KHẨN CẤP] Lũ quét"]


def test_the_atom_feed_parses_and_holds_the_current_titles(client):
    published(title="Tiêm chủng")
    announcement(title="Nháp không đăng")
    response = client.get(f"/thong-bao/atom/?xa={HOME}")
    root = lxml.etree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")] == ["Tiêm chủng"]


# ------------------------------------------------------------------ CAP


def test_the_cap_feed_embeds_valid_alerts_of_emergencies_and_priority_items(client):
    emergency(title="Lũ quét", audio=True)
    published(priority="priority", title="Cắt điện")
    published(title="Thông báo thường")
    response = client.get("/thong-bao/cap/04.xml")
    alerts = cap.parse_feed(response.content)
    assert response["Content-Type"].startswith("application/atom+xml")
    assert sorted(a.infos[0].headline for a in alerts) == ["Cắt điện", "Lũ quét"]
    assert [cap.validate(cap.to_xml(a)) for a in alerts] == [[], []]


def test_the_cap_feed_carries_a_cancel_for_a_cancelled_emergency(client):
    from langso.outreach.services import announcement_cancel
    from tests.factories.accounts import commune_officer

    made = emergency(title="Lũ quét")
    announcement_cancel(actor=commune_officer(HOME), announcement_id=made.pk, reason="Hết mưa")
    alerts = cap.parse_feed(client.get("/thong-bao/cap/04.xml").content)
    assert [a.msg_type for a in alerts] == ["Cancel"]
    assert cap.validate(cap.to_xml(alerts[0])) == []


def test_the_cap_feed_of_an_unknown_province_is_not_found(client):
    assert client.get("/thong-bao/cap/99.xml").status_code == 404


def test_one_announcement_as_cap_validates_against_the_schema(client):
    made = emergency(title="Lũ quét", audio=True)
    response = client.get(f"/thong-bao/{made.pk}/cap.xml")
    assert response["Content-Type"].startswith("application/cap+xml")
    assert cap.validate(response.content) == []
    assert cap.parse(response.content).infos[0].headline == "Lũ quét"


def test_a_draft_has_no_cap_document(client):
    made = announcement(priority="emergency", category="disaster")
    assert client.get(f"/thong-bao/{made.pk}/cap.xml").status_code == 404


# ------------------------------------------------------------------ feedback form


def _ask(client, address: str = "127.0.0.1", **kw):
    return client.post(
        "/thong-bao/hoi-dap/?tinh=04",
        {
            "commune": HOME,
            "village": "",
            "name": "Nông Văn Dũng",
            "contact": "0912345678",
            "question": "Khi nào có lịch tiêm đợt tiếp theo?",
            "website": "",
            **kw,
        },
        REMOTE_ADDR=address,
    )


def test_the_feedback_form_stores_a_question_from_the_portal(client):
    response = _ask(client)
    stored = Feedback.objects.get()
    assert 'data-testid="feedback-sent"' in response.content.decode()
    assert (stored.source, stored.commune_id, stored.name) == (
        FeedbackSource.PORTAL,
        HOME,
        "Nông Văn Dũng",
    )


def test_the_feedback_form_links_a_question_to_its_announcement(client):
    made = published()
    _ask(client, announcement=str(made.pk))
    assert Feedback.objects.get().announcement == made


def test_a_filled_honeypot_stores_nothing(client):
    _ask(client, website="http://spam.example")
    assert not Feedback.objects.exists()


def test_the_sixth_question_in_an_hour_from_one_address_is_refused(client):
    for _ in range(6):
        last = _ask(client)
    assert Feedback.objects.count() == 5
    assert "feedback-sent" not in last.content.decode()


def test_the_limit_is_per_address(client):
    for _ in range(5):
        _ask(client)
    other = _ask(client, address="203.0.113.9")
    assert 'data-testid="feedback-sent"' in other.content.decode()
    assert Feedback.objects.count() == 6


def test_a_question_to_an_unknown_commune_stores_nothing(client):
    _ask(client, commune="99999")
    assert not Feedback.objects.exists()


def test_a_published_answer_appears_on_the_portal(client):
    from langso.outreach.feedback import feedback_answer, feedback_submit
    from tests.factories.accounts import commune_officer

    asked = feedback_submit(commune_code=HOME, question="Hỏi công khai?")
    feedback_answer(
        actor=commune_officer(HOME), feedback_id=asked.pk, answer="Đáp công khai", publish=True
    )
    private = feedback_submit(commune_code=HOME, question="Hỏi riêng?")
    feedback_answer(
        actor=commune_officer(HOME), feedback_id=private.pk, answer="Đáp riêng", publish=False
    )
    body = client.get(f"/thong-bao/?xa={HOME}").content.decode()
    assert ("Đáp công khai" in body, "Đáp riêng" in body) == (True, False)


# ------------------------------------------------------------------ bulletin boards


def test_the_board_page_opens_with_a_board_token(client):
    _device, token = board()
    published(title="Họp dân tổ 5")
    response = client.get(f"/bang-tin/?token={token}")
    page = lxml.html.fromstring(response.content.decode())
    assert response.status_code == 200
    assert page.xpath("//section[contains(@class, 'item')]/h1/text()") == ["Họp dân tổ 5"]


@pytest.mark.parametrize("which", ["cluster", "bad", "none"])
def test_the_board_page_is_not_found_without_a_board_token(client, which):
    _device, cluster_token = cluster()
    token = {"cluster": cluster_token, "bad": "dev_nothing", "none": ""}[which]
    assert client.get(f"/bang-tin/?token={token}").status_code == 404


def test_the_screen_of_a_board_lists_normal_announcements_without_takeover(client):
    _device, token = board()
    published(title="Một")
    published(title="Hai")
    screen = client.get(f"/bang-tin/screen.json?token={token}").json()
    assert screen["takeover"] is False
    assert sorted(i["title"] for i in screen["items"]) == ["Hai", "Một"]


def test_an_emergency_takes_over_the_screen_alone(client):
    _device, token = board()
    published(title="Tin thường")
    emergency(title="Lũ quét")
    screen = client.get(f"/bang-tin/screen.json?token={token}").json()
    assert screen["takeover"] is True
    assert [(i["title"], i["priority"]) for i in screen["items"]] == [("Lũ quét", "emergency")]


def test_the_screen_needs_a_board_token(client):
    _device, token = cluster()
    assert client.get(f"/bang-tin/screen.json?token={token}").status_code == 404


def test_a_board_receipt_stores_a_displayed_receipt(client):
    device, token = board()
    published()
    delivery = Delivery.objects.get(device=device)
    answer = client.post(
        f"/bang-tin/receipt/?token={token}", {"delivery": delivery.pk, "id": "load-1"}
    ).json()
    delivery.refresh_from_db()
    assert answer["outcome"] == "stored"
    assert (Receipt.objects.get().kind, delivery.status) == ("displayed", "displayed")


def test_a_board_receipt_without_a_delivery_is_refused(client):
    _device, token = board()
    response = client.post(f"/bang-tin/receipt/?token={token}", {"delivery": ""})
    assert (response.status_code, Receipt.objects.count()) == (400, 0)
