"""Loudspeaker clusters and bulletin boards: putting announcements on their playlists, taking
them off, and what the devices report back (set-based: one announcement to a whole province's
devices is a few statements, not one per device)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from langso.outreach.models import (
    Announcement,
    Delivery,
    DeliveryStatus,
    Device,
    DeviceKind,
    Receipt,
    ReceiptKind,
)

CHUNK = 2000


def target_devices(announcement: Announcement) -> list[int]:
    """Ids of the active devices inside the announcement's target area."""
    devices = Device.objects.filter(active=True)
    if announcement.whole_province:
        from langso.geo.models import Commune

        communes = Commune.objects.filter(province_id=announcement.province_id)
        return list(devices.filter(commune__in=communes).values_list("pk", flat=True))
    whole, villages = [], []
    for commune, village in announcement.areas.values_list("commune_id", "village_id"):
        (villages.append(village) if village else whole.append(commune))
    if not (whole or villages):
        return []
    wanted = Q(commune_id__in=whole) | Q(village_id__in=villages)
    return list(devices.filter(wanted).values_list("pk", flat=True))


def deliver_to_devices(announcement: Announcement, *, now: dt.datetime) -> int:
    """Put the announcement's current revision on the playlist of every device in its area and
    take it off the devices no longer in it. Returns the number of devices that have it."""
    wanted = set(target_devices(announcement))
    existing = dict(
        Delivery.objects.filter(announcement=announcement).values_list("device_id", "pk")
    )
    fields = {
        "revision": announcement.revision,
        "priority": announcement.priority,
        "status": DeliveryStatus.QUEUED,
        "queued_at": now,
    }
    Delivery.objects.bulk_create(
        (
            Delivery(device_id=device, announcement=announcement, **fields)
            for device in sorted(wanted - existing.keys())
        ),
        batch_size=CHUNK,
    )
    kept = sorted(existing[d] for d in wanted & existing.keys())
    gone = sorted(existing[d] for d in existing.keys() - wanted)
    for start in range(0, len(kept), CHUNK):
        Delivery.objects.filter(pk__in=kept[start : start + CHUNK]).update(
            fetched_at=None, **fields
        )
    for start in range(0, len(gone), CHUNK):
        Delivery.objects.filter(pk__in=gone[start : start + CHUNK]).update(
            status=DeliveryStatus.WITHDRAWN
        )
    return len(wanted)


def withdraw(announcement: Announcement) -> int:
    """Take a cancelled announcement off every device (they drop it at their next poll)."""
    return (
        Delivery.objects.filter(announcement=announcement)
        .exclude(status=DeliveryStatus.WITHDRAWN)
        .update(status=DeliveryStatus.WITHDRAWN)
    )


SEEN_EVERY = dt.timedelta(seconds=60)


def device_polled(device: Device, *, now: dt.datetime, queued: bool | None = None) -> None:
    """A device fetched its playlist: what was queued for it is now fetched; it was seen.

    ``queued``: whether the caller saw anything queued (None: look). ``last_seen_at`` is
    written at most once a minute, so 10,000 clusters polling every 30 s do not turn every
    poll into a write."""
    if queued is not False:
        waiting = Delivery.objects.filter(device=device, status=DeliveryStatus.QUEUED)
        # a read first: on SQLite an UPDATE takes the write lock even when it changes nothing
        if queued or waiting.exists():
            waiting.update(status=DeliveryStatus.FETCHED, fetched_at=now)
    if device.last_seen_at is None or now - device.last_seen_at >= SEEN_EVERY:
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)


ALLOWED = {
    DeviceKind.CLUSTER: {ReceiptKind.PLAYED, ReceiptKind.FAILED, ReceiptKind.OFFLINE},
    DeviceKind.BOARD: {ReceiptKind.DISPLAYED, ReceiptKind.FAILED, ReceiptKind.OFFLINE},
}
DONE = {ReceiptKind.PLAYED: DeliveryStatus.PLAYED, ReceiptKind.DISPLAYED: DeliveryStatus.DISPLAYED}


@dataclass(frozen=True)
class ReceiptIn:
    delivery_id: int
    kind: str
    at: dt.datetime
    detail: str = ""
    receipt_id: str = ""  # the device's own id, so a resent receipt is counted once


@dataclass(frozen=True)
class ReceiptOutcome:
    receipt_id: str
    delivery_id: int
    outcome: str  # "stored" | "duplicate" | "refused"
    error: str = ""


def receipts_record(
    *, device: Device, receipts: list[ReceiptIn], now: dt.datetime
) -> list[ReceiptOutcome]:
    """Store what a device reports: played / displayed / failed / offline, each for one of its
    own deliveries. Receipts for other devices' deliveries or of the wrong kind are refused."""
    ids = {r.delivery_id for r in receipts}
    mine = {
        d.pk: d for d in Delivery.objects.filter(device=device, pk__in=ids).only("pk", "status")
    }
    outcomes = []
    for receipt in receipts:
        delivery = mine.get(receipt.delivery_id)
        if delivery is None:
            outcomes.append(_refused(receipt, "not on this device's playlist"))
        elif receipt.kind not in ALLOWED[DeviceKind(device.kind)]:
            outcomes.append(_refused(receipt, f"{receipt.kind!r} is not a receipt of this device"))
        elif receipt.at > now + dt.timedelta(minutes=10):
            outcomes.append(_refused(receipt, "time is in the future"))
        else:
            outcomes.append(_store(delivery, receipt))
    if device.last_seen_at is None or now - device.last_seen_at >= SEEN_EVERY:
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)
    return outcomes


def _refused(receipt: ReceiptIn, error: str) -> ReceiptOutcome:
    return ReceiptOutcome(receipt.receipt_id, receipt.delivery_id, "refused", error)


def _store(delivery: Delivery, receipt: ReceiptIn) -> ReceiptOutcome:
    try:
        with transaction.atomic():
            Receipt.objects.create(
                delivery_id=delivery.pk,
                kind=receipt.kind,
                at=receipt.at,
                detail=receipt.detail[:300],
                device_receipt_id=receipt.receipt_id[:64],
            )
    except IntegrityError:
        return ReceiptOutcome(receipt.receipt_id, delivery.pk, "duplicate")
    found = Delivery.objects.filter(pk=delivery.pk)
    # A withdrawn delivery stays withdrawn whatever the device reports late (it played the
    # announcement offline, before it heard of the cancel): the playlist leaves out only
    # withdrawn deliveries, so a new status would put the announcement back on the device.
    live = found.exclude(status=DeliveryStatus.WITHDRAWN)
    if receipt.kind in DONE:
        found.update(done_count=F("done_count") + 1)
        live.update(status=DONE[ReceiptKind(receipt.kind)])
        # receipts of a device back online may come in any order: keep the earliest and latest
        found.filter(Q(first_done_at__isnull=True) | Q(first_done_at__gt=receipt.at)).update(
            first_done_at=receipt.at
        )
        found.filter(Q(last_done_at__isnull=True) | Q(last_done_at__lt=receipt.at)).update(
            last_done_at=receipt.at
        )
    else:
        status = DeliveryStatus.FAILED if receipt.kind == ReceiptKind.FAILED else "offline"
        live.exclude(status__in=[DeliveryStatus.PLAYED, DeliveryStatus.DISPLAYED]).update(
            status=status
        )
        found.update(failures=F("failures") + 1, last_error=receipt.detail[:300])
    return ReceiptOutcome(receipt.receipt_id, delivery.pk, "stored")
