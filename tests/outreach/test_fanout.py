"""Loudspeaker clusters and bulletin boards: which devices get an announcement, and what they
report back."""

import datetime as dt

import pytest

from langso.geo.models import Commune
from langso.outreach import fanout, services
from langso.outreach.fanout import ReceiptIn
from langso.outreach.models import Delivery, DeliveryStatus, Device
from tests.factories.accounts import commune_officer
from tests.factories.geo import VillageFactory
from tests.factories.outreach import board, cluster, draft, published

pytestmark = pytest.mark.django_db
HOME, NEIGHBOUR = "01273", "01279"


@pytest.fixture
def village():
    return VillageFactory(commune_id=HOME, name="Nà Rị")


@pytest.fixture
def other_village():
    return VillageFactory(commune_id=HOME, name="Khuổi Khon")


def _devices(announcement) -> set[int]:
    found = Delivery.objects.filter(announcement=announcement)
    return set(found.exclude(status=DeliveryStatus.WITHDRAWN).values_list("device_id", flat=True))


def _played(delivery, at, receipt_id="r1", device=None, kind="played"):
    device = device or delivery.device
    receipt = ReceiptIn(delivery.pk, kind, at, receipt_id=receipt_id)
    [outcome] = fanout.receipts_record(device=device, receipts=[receipt], now=at)
    return outcome


# ---------------------------------------------------------------- who gets it


def test_a_commune_announcement_reaches_every_active_device_of_the_commune(village, other_village):
    village_cluster, _t = cluster(village)
    village_board, _t = board(other_village)
    centre, _t = cluster(None, commune=HOME)
    assert _devices(published(HOME)) == {village_cluster.pk, village_board.pk, centre.pk}


def test_a_commune_announcement_reaches_no_device_of_another_commune(village):
    cluster(VillageFactory(commune_id=NEIGHBOUR))
    board(None, commune=NEIGHBOUR)
    mine, _t = cluster(village)
    assert _devices(published(HOME)) == {mine.pk}


def test_an_inactive_device_gets_nothing(village):
    device, _t = cluster(village)
    Device.objects.filter(pk=device.pk).update(active=False)
    assert _devices(published(HOME)) == set()


def test_a_village_announcement_reaches_only_that_villages_devices(village, other_village):
    mine, _t = cluster(village)
    screen, _t = board(village)
    cluster(other_village)
    assert _devices(published(village)) == {mine.pk, screen.pk}


def test_a_village_announcement_skips_the_commune_centre_devices(village):
    cluster(None, commune=HOME)
    board(None, commune=HOME)
    assert _devices(published(village)) == set()


def test_a_whole_province_announcement_reaches_every_commune_of_the_province(village):
    mine, _t = cluster(village)
    theirs, _t = board(None, commune=NEIGHBOUR)
    elsewhere = Commune.objects.exclude(province_id="04").order_by("code").first()
    cluster(None, commune=elsewhere.code, actor=commune_officer(elsewhere.code))
    assert _devices(published(province="04")) == {mine.pk, theirs.pk}


def test_a_delivery_starts_queued_with_the_revision_and_priority(village):
    cluster(village)
    made = published(village, priority="priority")
    [delivery] = made.deliveries.all()
    assert (delivery.status, delivery.revision, delivery.priority) == (
        DeliveryStatus.QUEUED,
        1,
        "priority",
    )


def test_an_update_that_narrows_the_areas_withdraws_the_devices_left_out(village, other_village):
    kept, _t = cluster(village)
    dropped, _t = cluster(other_village)
    made = published(village, other_village)
    services.announcement_update(
        actor=commune_officer(HOME),
        announcement_id=made.pk,
        draft=draft(village_ids=[village.pk]),
        reason="Chỉ thôn Nà Rị",
    )
    statuses = dict(made.deliveries.values_list("device_id", "status"))
    assert statuses == {kept.pk: DeliveryStatus.QUEUED, dropped.pk: DeliveryStatus.WITHDRAWN}


def test_an_update_that_widens_the_areas_again_brings_a_withdrawn_device_back(
    village, other_village
):
    device, _t = cluster(other_village)
    made = published(village, other_village)
    officer = commune_officer(HOME)
    for villages in ([village], [village, other_village]):
        services.announcement_update(
            actor=officer,
            announcement_id=made.pk,
            draft=draft(village_ids=[v.pk for v in villages]),
            reason="Đổi địa bàn",
        )
    delivery = made.deliveries.get(device=device)
    assert (delivery.status, delivery.revision) == (DeliveryStatus.QUEUED, 3)


# ---------------------------------------------------------------- polls and receipts


def test_a_poll_marks_what_was_queued_as_fetched(village):
    device, _t = cluster(village)
    made = published(village)
    now = made.published_at + dt.timedelta(seconds=30)
    fanout.device_polled(device, now=now)
    delivery = made.deliveries.get()
    assert (delivery.status, delivery.fetched_at) == (DeliveryStatus.FETCHED, now)


def test_a_poll_records_when_the_device_was_seen(village):
    device, _t = cluster(village)
    now = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)
    fanout.device_polled(device, now=now)
    device.refresh_from_db()
    assert device.last_seen_at == now


def test_a_played_receipt_counts_the_play_and_its_time(village):
    cluster(village)
    delivery = published(village).deliveries.get()
    at = delivery.queued_at + dt.timedelta(minutes=5)
    assert _played(delivery, at).outcome == "stored"
    delivery.refresh_from_db()
    assert (
        delivery.status,
        delivery.done_count,
        delivery.first_done_at,
        delivery.last_done_at,
    ) == (
        DeliveryStatus.PLAYED,
        1,
        at,
        at,
    )


def test_a_second_play_moves_only_the_last_time(village):
    cluster(village)
    delivery = published(village).deliveries.get()
    first = delivery.queued_at + dt.timedelta(minutes=5)
    second = first + dt.timedelta(hours=6)
    _played(delivery, first, "r1")
    _played(delivery, second, "r2")
    delivery.refresh_from_db()
    assert (delivery.done_count, delivery.first_done_at, delivery.last_done_at) == (
        2,
        first,
        second,
    )


def test_an_earlier_play_reported_late_does_not_move_the_times_backwards(village):
    cluster(village)
    delivery = published(village).deliveries.get()
    first = delivery.queued_at + dt.timedelta(minutes=5)
    second = first + dt.timedelta(hours=6)
    _played(delivery, second, "r2")
    _played(delivery, first, "r1")
    delivery.refresh_from_db()
    assert (delivery.first_done_at, delivery.last_done_at) == (first, second)


def test_a_resent_receipt_is_a_duplicate_and_counted_once(village):
    cluster(village)
    delivery = published(village).deliveries.get()
    at = delivery.queued_at + dt.timedelta(minutes=5)
    _played(delivery, at, "r1")
    assert _played(delivery, at, "r1").outcome == "duplicate"
    delivery.refresh_from_db()
    assert delivery.done_count == 1


def test_a_receipt_for_another_devices_delivery_is_refused(village):
    cluster(village)
    other, _t = cluster(village)
    delivery = published(village).deliveries.exclude(device=other).get()
    outcome = _played(delivery, delivery.queued_at, device=other)
    assert (outcome.outcome, outcome.error) == ("refused", "not on this device's playlist")
    delivery.refresh_from_db()
    assert delivery.done_count == 0


def test_a_board_cannot_report_a_play(village):
    board(village)
    delivery = published(village).deliveries.get()
    assert _played(delivery, delivery.queued_at).outcome == "refused"


def test_a_board_reports_that_it_displayed(village):
    board(village)
    delivery = published(village).deliveries.get()
    assert _played(delivery, delivery.queued_at, kind="displayed").outcome == "stored"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.done_count) == (DeliveryStatus.DISPLAYED, 1)


def test_a_receipt_from_the_future_is_refused(village):
    cluster(village)
    delivery = published(village).deliveries.get()
    receipt = ReceiptIn(delivery.pk, "played", delivery.queued_at + dt.timedelta(hours=1))
    [outcome] = fanout.receipts_record(
        device=delivery.device, receipts=[receipt], now=delivery.queued_at
    )
    assert outcome.outcome == "refused"


def test_a_failure_is_counted_with_its_error(village):
    cluster(village)
    delivery = published(village).deliveries.get()
    receipt = ReceiptIn(delivery.pk, "failed", delivery.queued_at, detail="amplifier off")
    fanout.receipts_record(device=delivery.device, receipts=[receipt], now=delivery.queued_at)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.failures, delivery.last_error) == (
        DeliveryStatus.FAILED,
        1,
        "amplifier off",
    )


def test_a_failure_after_a_play_keeps_the_delivery_played(village):
    cluster(village)
    delivery = published(village).deliveries.get()
    _played(delivery, delivery.queued_at, "r1")
    receipt = ReceiptIn(delivery.pk, "failed", delivery.queued_at, receipt_id="r2")
    fanout.receipts_record(device=delivery.device, receipts=[receipt], now=delivery.queued_at)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.failures) == (DeliveryStatus.PLAYED, 1)


def test_a_late_play_of_a_withdrawn_delivery_keeps_it_withdrawn(village):
    # the device played it offline before the cancel, and reports once back online
    cluster(village)
    made = published(village)
    services.announcement_cancel(actor=commune_officer(HOME), announcement_id=made.pk, reason="x")
    delivery = made.deliveries.get()
    assert _played(delivery, delivery.queued_at).outcome == "stored"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.done_count) == (DeliveryStatus.WITHDRAWN, 1)


def test_a_late_failure_of_a_withdrawn_delivery_keeps_it_withdrawn(village, other_village):
    device, _t = cluster(other_village)
    made = published(village, other_village)
    services.announcement_update(
        actor=commune_officer(HOME),
        announcement_id=made.pk,
        draft=draft(village_ids=[village.pk]),
        reason="Chỉ thôn Nà Rị",
    )
    delivery = made.deliveries.get(device=device)
    receipt = ReceiptIn(delivery.pk, "offline", delivery.queued_at)
    fanout.receipts_record(device=device, receipts=[receipt], now=delivery.queued_at)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.WITHDRAWN
