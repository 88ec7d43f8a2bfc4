"""Messaging channels: who is messaged (consent to be contacted, a phone, the area, the target
groups), the outbox, and sending through an SMS gateway with retries."""

import datetime as dt
import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from langso.outreach import outbox, services
from langso.outreach.models import OutboxMessage, OutboxStatus
from langso.poverty.models import Assessment
from langso.registry.records import MemberRecord
from tests.factories.accounts import commune_officer
from tests.factories.geo import VillageFactory
from tests.factories.outreach import channel, draft, published
from tests.factories.registry import consent, household

pytestmark = pytest.mark.django_db
HOME, NEIGHBOUR = "01273", "01279"
PHONE, OTHER_PHONE = "0912345678", "0987654321"


# ---------------------------------------------------------------- a stand-in SMS gateway


class Gateway:
    """Answers each POST with the next scripted (status, body), then 200 with a new id."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sent: list[dict] = []
        self.replies: deque[tuple[int, dict]] = deque()

    def script(self, *replies: tuple[int, dict]) -> None:
        self.replies.extend(replies)


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        gateway: Gateway = self.server.gateway
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        gateway.sent.append(body)
        status, reply = gateway.replies.popleft() if gateway.replies else (200, {})
        reply = reply or {"id": f"sms-{len(gateway.sent)}"}
        payload = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def gateway():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.gateway = Gateway(f"http://127.0.0.1:{server.server_address[1]}/send")
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield server.gateway
    server.shutdown()
    server.server_close()


@pytest.fixture
def sms(gateway):
    config = {"endpoint": gateway.url, "api_key": "k-1", "brandname": "UBND XA", "timeout": 2}
    return channel(HOME, config=config)


# ---------------------------------------------------------------- residents


@pytest.fixture
def village():
    return VillageFactory(commune_id=HOME, name="Nà Rị")


def _resident(village, phone=PHONE, *, agreed=True):
    home = household(village, MemberRecord("Lò Văn Páo", "male", 1980, "head", phone=phone))
    member = home.members.get()
    if agreed:
        consent(member)
    return member


def _assessed(member, klass: str, year: int = 2026) -> Assessment:
    home = member.household
    Assessment.objects.filter(household=home, review_year=year).update(is_current=False)
    return Assessment.objects.create(
        household=home, review_year=year, standard="test", standard_version="1",
        as_of=dt.date(year, 1, 1), commune_id=home.commune_id, village_id=home.village_id,
        area_type="rural", income_method="declared", indicators="NNNNNNNNNNNN",
        deprived_count=0, unknown_count=0, poverty_class=klass,
    )  # fmt: skip


def _queued(made, kind="notice") -> list[tuple[str, str]]:
    outbox.queue_for(made, kind)
    rows = OutboxMessage.objects.filter(announcement=made).order_by("pk")
    return list(rows.values_list("kind", "recipient"))


# ---------------------------------------------------------------- recipients


def test_a_resident_who_agreed_to_be_contacted_is_a_recipient(village):
    member = _resident(village)
    assert outbox.recipients(published(village)) == [(member.pk, "84912345678")]


def test_a_resident_without_a_consent_is_not_messaged(village):
    _resident(village, agreed=False)
    assert outbox.recipients(published(village)) == []


def test_a_resident_who_withdrew_the_consent_is_not_messaged(village):
    member = _resident(village)
    consent(member, status="withdrawn", given_on=dt.date(2026, 6, 1))
    assert outbox.recipients(published(village)) == []


def test_a_consent_to_another_purpose_does_not_count(village):
    member = _resident(village, agreed=False)
    consent(member, purpose="digital_support")
    assert outbox.recipients(published(village)) == []


def test_a_resident_outside_the_target_villages_is_not_messaged(village):
    _resident(VillageFactory(commune_id=HOME, name="Khuổi Khon"))
    assert outbox.recipients(published(village)) == []


def test_a_resident_of_another_commune_is_not_messaged(village):
    _resident(VillageFactory(commune_id=NEIGHBOUR))
    assert outbox.recipients(published(HOME)) == []


def test_a_whole_commune_announcement_reaches_residents_of_all_its_villages(village):
    first = _resident(village)
    second = _resident(VillageFactory(commune_id=HOME, name="Khuổi Khon"), OTHER_PHONE)
    assert [m for m, _p in outbox.recipients(published(HOME))] == sorted([first.pk, second.pk])


def test_a_number_that_is_not_a_mobile_is_not_messaged(village):
    _resident(village, phone="02063852111")
    assert outbox.recipients(published(village)) == []


def test_one_phone_shared_by_two_residents_is_messaged_once(village):
    _resident(village)
    _resident(village, phone="+84 912 345 678")
    assert len(outbox.recipients(published(village))) == 1


def test_the_poor_target_group_keeps_only_households_assessed_poor(village):
    poor, other = _resident(village), _resident(village, OTHER_PHONE)
    _assessed(poor, "poor")
    _assessed(other, "near_poor")
    made = published(village, target_groups=["poor"])
    assert outbox.recipients(made) == [(poor.pk, "84912345678")]


def test_a_household_not_assessed_is_left_out_of_a_target_group(village):
    _resident(village)
    assert outbox.recipients(published(village, target_groups=["poor"])) == []


def test_an_assessment_no_longer_current_does_not_count(village):
    member = _resident(village)
    _assessed(member, "poor")
    _assessed(member, "above")  # the same year, assessed again
    assert outbox.recipients(published(village, target_groups=["poor"])) == []


def test_the_latest_review_year_decides_the_target_group(village):
    member = _resident(village)
    _assessed(member, "poor", year=2025)
    _assessed(member, "near_poor", year=2026)  # out of poverty since the last review
    assert outbox.recipients(published(village, target_groups=["poor"])) == []


# ---------------------------------------------------------------- the outbox


def test_a_notice_is_queued_for_each_recipient_of_each_channel(village, sms):
    _resident(village)
    _resident(village, OTHER_PHONE)
    made = published(village)
    assert _queued(made) == [("notice", "84912345678"), ("notice", "84987654321")]


def test_queuing_twice_adds_nothing(village, sms):
    _resident(village)
    made = published(village)
    outbox.queue_for(made, "notice")
    outbox.queue_for(made, "notice")
    assert OutboxMessage.objects.filter(announcement=made).count() == 1


def test_a_page_channel_gets_one_post_per_announcement(village):
    _resident(village)
    _resident(village, OTHER_PHONE)
    channel(HOME, kind="webhook", config={"url": "http://127.0.0.1:9/hook", "secret": "s"})
    assert _queued(published(village)) == [("notice", "")]


def test_the_province_channel_carries_a_commune_announcement(village):
    _resident(village)
    channel(province="04")
    assert len(_queued(published(village))) == 1


def test_another_communes_channel_does_not_carry_it(village):
    _resident(village)
    channel(NEIGHBOUR)
    assert _queued(published(village)) == []


def test_a_disabled_channel_carries_nothing(village, sms):
    _resident(village)
    sms.enabled = False
    sms.save()
    assert _queued(published(village)) == []


@pytest.mark.parametrize(
    "config",
    [
        {"endpoint": "ftp://gateway.example/send", "api_key": "k", "brandname": "UBND XA"},
        {"endpoint": "https://gw.example/send", "api_key": "k", "brandname": "X", "note": "x"},
        {"endpoint": "https://gw.example/send", "api_key": "k", "brandname": "X", "timeout": "?"},
    ],
)
def test_a_channel_with_settings_its_adapter_cannot_use_is_refused(config):
    with pytest.raises(ValidationError) as refused:
        channel(HOME, config=config)
    assert "config" in refused.value.message_dict


def test_a_channel_missing_a_required_setting_is_refused():
    with pytest.raises(ValidationError) as refused:
        channel(HOME, config={"endpoint": "https://gw.example/send", "api_key": "k"})
    assert "brandname" in refused.value.message_dict["config"][0]


# ---------------------------------------------------------------- sending


def _deliver(made, at=None):
    now = at or timezone.now()
    return outbox.deliver_due(announcement_id=made.pk, now=lambda: now)


def test_a_message_the_gateway_accepts_is_sent_with_its_provider_id(village, sms, gateway):
    _resident(village)
    made = published(village)
    outbox.queue_for(made, "notice")
    gateway.script((200, {"id": "vt-991"}))
    assert _deliver(made) == {"sent": 1, "retry": 0, "failed": 0}
    message = OutboxMessage.objects.get()
    assert (message.status, message.provider_id, message.attempts) == (
        OutboxStatus.SENT,
        "vt-991",
        1,
    )
    assert gateway.sent[0]["to"] == "84912345678"


def test_a_gateway_fault_is_retried_later(village, sms, gateway):
    _resident(village)
    made = published(village)
    outbox.queue_for(made, "notice")
    gateway.script((500, {"message": "busy"}))
    now = timezone.now()
    assert _deliver(made, now)["retry"] == 1
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxStatus.QUEUED, 1)
    assert message.next_attempt_at > now
    assert message.last_error == "HTTP 500: busy"


def test_a_message_waiting_for_its_retry_is_not_sent_before_it_is_due(village, sms, gateway):
    _resident(village)
    made = published(village)
    outbox.queue_for(made, "notice")
    gateway.script((500, {"message": "busy"}))
    now = timezone.now()
    _deliver(made, now)
    assert _deliver(made, now + dt.timedelta(seconds=1)) == {"sent": 0, "retry": 0, "failed": 0}
    assert len(gateway.sent) == 1


def test_a_message_failing_until_the_attempt_limit_is_failed(village, sms, gateway):
    sms.max_attempts = 2
    sms.save()
    _resident(village)
    made = published(village)
    outbox.queue_for(made, "notice")
    gateway.script((500, {"message": "busy"}), (503, {"message": "still busy"}))
    _deliver(made)
    _deliver(made, timezone.now() + dt.timedelta(hours=2))
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts, message.last_error) == (
        OutboxStatus.FAILED,
        2,
        "HTTP 503: still busy",
    )


def test_a_refused_request_fails_at_once(village, sms, gateway):
    _resident(village)
    made = published(village)
    outbox.queue_for(made, "notice")
    gateway.script((400, {"message": "brandname not registered"}))
    assert _deliver(made)["failed"] == 1
    assert OutboxMessage.objects.get().status == OutboxStatus.FAILED


def test_cancelling_tells_only_those_already_messaged(
    village, sms, gateway, django_capture_on_commit_callbacks
):
    _resident(village)
    _resident(village, OTHER_PHONE)
    made = published(village)
    outbox.queue_for(made, "notice")
    gateway.script((200, {"id": "vt-1"}), (500, {"message": "busy"}))
    _deliver(made)
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_cancel(
            actor=commune_officer(HOME), announcement_id=made.pk, reason="Hoãn tiêm"
        )
    rows = OutboxMessage.objects.filter(announcement=made).order_by("pk")
    assert list(rows.values_list("kind", "recipient", "status")) == [
        ("notice", "84912345678", OutboxStatus.SENT),
        ("notice", "84987654321", OutboxStatus.CANCELLED),
        ("cancel", "84912345678", OutboxStatus.SENT),
    ]
    assert gateway.sent[-1]["message"].startswith("HUY THONG BAO")


def test_an_update_goes_as_update_to_those_told_and_as_notice_to_the_others(village, sms, gateway):
    _resident(village)
    made = published(village)
    outbox.queue_for(made, "notice")
    _deliver(made)
    _resident(village, OTHER_PHONE)
    services.announcement_update(
        actor=commune_officer(HOME),
        announcement_id=made.pk,
        draft=draft(village_ids=[village.pk], title="Đổi giờ tiêm"),
        reason="Đổi giờ",
    )
    made.refresh_from_db()
    outbox.queue_for(made, "update")
    revision_2 = OutboxMessage.objects.filter(announcement=made, revision=2).order_by("pk")
    assert list(revision_2.values_list("kind", "recipient")) == [
        ("update", "84912345678"),
        ("notice", "84987654321"),
    ]


def test_an_update_supersedes_the_messages_of_the_old_revision_not_yet_sent(village, sms, gateway):
    _resident(village)
    made = published(village)
    outbox.queue_for(made, "notice")
    services.announcement_update(
        actor=commune_officer(HOME),
        announcement_id=made.pk,
        draft=draft(village_ids=[village.pk], title="Đổi giờ tiêm"),
        reason="Đổi giờ",
    )
    made.refresh_from_db()
    outbox.queue_for(made, "update")
    _deliver(made)
    rows = OutboxMessage.objects.filter(announcement=made).order_by("pk")
    assert list(rows.values_list("revision", "status")) == [
        (1, OutboxStatus.CANCELLED),
        (2, OutboxStatus.SENT),
    ]
    assert len(gateway.sent) == 1


def test_the_dispatch_job_of_a_cancelled_announcement_sends_nothing(
    village, sms, gateway, django_capture_on_commit_callbacks
):
    # the worker picks the publishing job up only after an officer has already cancelled
    _resident(village)
    with django_capture_on_commit_callbacks() as publishing:
        made = published(village)
    services.announcement_cancel(
        actor=commune_officer(HOME), announcement_id=made.pk, reason="Nhầm"
    )
    for job in publishing:
        job()
    assert OutboxMessage.objects.filter(announcement=made).count() == 0
    assert gateway.sent == []


def test_a_channel_whose_stored_settings_are_broken_does_not_stop_the_others(village, sms, gateway):
    _resident(village)
    broken = channel(province="04")
    outbox.channel_config_set(broken, {**outbox.channel_config(broken), "endpoint": "ftp://x"})
    broken.save()
    made = published(village)
    outbox.queue_for(made, "notice")
    now = timezone.now()
    assert _deliver(made, now)["sent"] == 1
    waiting = OutboxMessage.objects.get(channel=broken)
    assert (waiting.status, waiting.attempts) == (OutboxStatus.QUEUED, 0)
    assert waiting.last_error.startswith("channel settings:")
    assert waiting.next_attempt_at > now
