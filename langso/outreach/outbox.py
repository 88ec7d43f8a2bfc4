"""Messaging channels (Zalo, SMS, fanpage, email, webhook): who gets an announcement, the outbox,
and sending it with each channel's rate limit, retries and delivery status.

Recipients are members of households in the target area (and target groups) who gave their
consent to be contacted (purpose ``contact``) and have a phone number: nobody else is messaged.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from langso.core.field_encryption import decrypt, encrypt
from langso.outreach.channels.messaging import (
    Message,
    RateLimiter,
    adapter_from_config,
    next_attempt_delay,
    normalise_phone,
)
from langso.outreach.models import (
    Announcement,
    Channel,
    OutboxMessage,
    OutboxStatus,
    TargetGroup,
)
from langso.registry.models import Consent, ConsentStatus, Member

CONTACT_PURPOSE = "contact"
CHUNK = 2000
PER_RECIPIENT = {"zalo", "sms"}  # the others post once per announcement
SETTINGS_RETRY = dt.timedelta(minutes=30)
PREFIX = {"notice": "", "update": "CẬP NHẬT: ", "cancel": "HỦY THÔNG BÁO: "}


def channel_config(channel: Channel) -> dict:
    return json.loads(decrypt(channel.config_encrypted) or "{}")


def channel_config_set(channel: Channel, config: dict) -> None:
    channel.config_encrypted = encrypt(json.dumps(config, ensure_ascii=False))


def channels_of(announcement: Announcement) -> list[Channel]:
    """The enabled channels that carry an announcement: the issuing commune's own, and the
    province's (which carry the province's and every commune's announcements)."""
    mine = Q(commune__isnull=True)
    if announcement.commune_id:
        mine |= Q(commune_id=announcement.commune_id)
    found = Channel.objects.filter(mine, province_id=announcement.province_id, enabled=True)
    return list(found.order_by("pk"))


def _group_households(announcement: Announcement) -> Q | None:
    """Households of the target groups (by their current assessment), or None for everyone."""
    from langso.poverty.models import Assessment

    groups = set(announcement.target_groups)
    if not groups:
        return None
    wanted = Q(pk__in=[])
    # each review year keeps its own current assessment: a household's class is the one of
    # the latest year it was assessed in (poor in 2025 and near poor in 2026 is near poor)
    latest = (
        Assessment.objects.filter(household_id=OuterRef("household_id"), is_current=True)
        .order_by("-review_year")
        .values("review_year")[:1]
    )
    current = Assessment.objects.filter(is_current=True, review_year=Subquery(latest))
    classes = [g for g in (TargetGroup.POOR, TargetGroup.NEAR_POOR) if g in groups]
    if classes:
        wanted |= Q(pk__in=current.filter(poverty_class__in=classes).values("household_id"))
    if TargetGroup.INFO_DEPRIVED in groups:
        # the standard's two information indicators are the last two letters of the vector
        deprived = current.filter(Q(indicators__regex=r"D.$") | Q(indicators__regex=r"D$")).values(
            "household_id"
        )
        wanted |= Q(pk__in=deprived)
    return wanted


def recipients(announcement: Announcement) -> list[tuple[int, str]]:
    """(member id, phone as 84…) of everyone to message, at most one per phone number."""
    members = Member.objects.filter(search_commune__isnull=False).exclude(phone="")
    if announcement.whole_province:
        members = members.filter(household__commune__province_id=announcement.province_id)
    else:
        whole, villages = [], []
        for commune, village in announcement.areas.values_list("commune_id", "village_id"):
            (villages.append(village) if village else whole.append(commune))
        members = members.filter(
            Q(household__commune_id__in=whole) | Q(household__village_id__in=villages)
        )
    groups = _group_households(announcement)
    if groups is not None:
        from langso.registry.models import Household

        members = members.filter(household__in=Household.objects.filter(groups))
    latest: dict[int, str] = {}
    consents = Consent.objects.filter(
        purpose=CONTACT_PURPOSE, member__in=members.values("pk")
    ).order_by("member_id", "-given_on", "-recorded_at", "-pk")
    for member_id, status in consents.values_list("member_id", "status"):
        latest.setdefault(member_id, status)
    agreed = {m for m, s in latest.items() if s == ConsentStatus.GIVEN}
    found: dict[str, int] = {}
    for member_id, phone in members.filter(pk__in=agreed).values_list("pk", "phone"):
        number = normalise_phone(phone)
        if number and number not in found:
            found[number] = member_id
    return sorted((m, p) for p, m in found.items())


def _key(announcement: Announcement, channel: Channel, kind: str, who: str) -> str:
    return f"a{announcement.pk}-r{announcement.revision}-{kind}-c{channel.pk}-{who}"


def queue_for(announcement: Announcement, kind: str, *, now: dt.datetime | None = None) -> int:
    """Queue the messages of an announcement's revision: ``notice`` to everyone, ``update`` to
    those told before (and a notice to those newly in the area), ``cancel`` to those told
    before only. Messages of earlier revisions not yet sent are cancelled (a notice or update
    replaces them). Queuing twice adds nothing (keys are unique)."""
    now = now or timezone.now()
    if kind != "cancel":
        # what is still waiting from an earlier revision would go out with the new text, and
        # then again as this revision's message: the new revision's messages replace it
        OutboxMessage.objects.filter(
            announcement=announcement,
            status=OutboxStatus.QUEUED,
            revision__lt=announcement.revision,
        ).update(
            status=OutboxStatus.CANCELLED,
            last_error=f"superseded by revision {announcement.revision}",
        )
    told = set(
        OutboxMessage.objects.filter(
            announcement=announcement, status__in=[OutboxStatus.SENT, OutboxStatus.DELIVERED]
        ).values_list("channel_id", "recipient")
    )
    rows: list[OutboxMessage] = []
    people = None
    for channel in channels_of(announcement):
        if channel.kind in PER_RECIPIENT:
            if people is None:
                people = [] if kind == "cancel" else recipients(announcement)
            targets: Iterable[tuple[int | None, str]] = people
            if kind == "cancel":
                targets = [(None, r) for c, r in sorted(told) if c == channel.pk]
        else:
            targets = [(None, "")]
            if kind == "cancel" and (channel.pk, "") not in told:
                targets = []
        for member_id, recipient in targets:
            this = kind
            if kind == "update" and (channel.pk, recipient) not in told:
                this = "notice"
            rows.append(
                OutboxMessage(
                    channel=channel,
                    announcement=announcement,
                    revision=announcement.revision,
                    kind=this,
                    member_id=member_id,
                    recipient=recipient,
                    key=_key(announcement, channel, this, recipient or "all"),
                    status=OutboxStatus.QUEUED,
                    next_attempt_at=now,
                )
            )
    OutboxMessage.objects.bulk_create(rows, batch_size=CHUNK, ignore_conflicts=True)
    return len(rows)


def cancel_queued(announcement: Announcement) -> int:
    """Messages not yet sent of a cancelled announcement are not sent."""
    return OutboxMessage.objects.filter(
        announcement=announcement, status=OutboxStatus.QUEUED
    ).update(status=OutboxStatus.CANCELLED, last_error="announcement cancelled")


def portal_link(announcement: Announcement) -> str:
    base = getattr(settings, "LANGSO_PUBLIC_URL", "").rstrip("/")
    return f"{base}/thong-bao/{announcement.pk}/" if base else ""


def compose(message: OutboxMessage, announcement: Announcement) -> Message:
    title = PREFIX.get(message.kind, "") + announcement.title
    text = announcement.body
    if message.kind == "cancel":
        text = announcement.cancel_reason or announcement.title
    return Message(
        key=message.key,
        recipient=message.recipient,
        title=title,
        text=text,
        link=portal_link(announcement) or None,
        priority=announcement.priority,
    )


_PRIORITY = {"emergency": 0, "priority": 1, "normal": 2}


def deliver_due(
    *,
    now: Callable[[], dt.datetime] = timezone.now,
    limit: int = 5000,
    sleep: Callable[[float], None] | None = None,
    announcement_id: int | None = None,
) -> dict[str, int]:
    """Send the queued messages that are due, channel by channel within its rate limit,
    emergencies first. Temporary failures are retried later with backoff; a message that keeps
    failing is marked failed after the channel's ``max_attempts``. Returns counts by outcome."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    due = OutboxMessage.objects.filter(status=OutboxStatus.QUEUED, next_attempt_at__lte=now())
    if announcement_id is not None:
        due = due.filter(announcement_id=announcement_id)
    by_channel: dict[int, list[OutboxMessage]] = {}
    for message in due.select_related("announcement").order_by("next_attempt_at", "pk")[:limit]:
        by_channel.setdefault(message.channel_id, []).append(message)
    for channel in Channel.objects.filter(pk__in=by_channel):
        messages = sorted(
            by_channel[channel.pk], key=lambda m: _PRIORITY.get(m.announcement.priority, 9)
        )
        _send_all(channel, messages, counts, now, sleep)
    return counts


def _send_all(
    channel: Channel,
    messages: list[OutboxMessage],
    counts: dict[str, int],
    now: Callable[[], dt.datetime],
    sleep: Callable[[float], None] | None,
) -> None:
    if not channel.enabled:
        return
    try:
        adapter = adapter_from_config(channel.kind, channel_config(channel))
    except ValueError as exc:
        # a channel set up wrongly waits for an officer to correct it: its messages stay
        # queued, saying why, and out of the way of the other channels' for a while
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
            last_error=f"channel settings: {exc}"[:500],
            next_attempt_at=now() + SETTINGS_RETRY,
        )
        return
    limiter_args: dict[str, Any] = {"rate_per_minute": channel.rate_per_minute}
    if sleep is not None:
        limiter_args["sleep"] = sleep
    limiter = RateLimiter(**limiter_args)
    try:
        for message in messages:
            _send_one(adapter, limiter, channel, message, counts, now)
    finally:
        adapter.close()


def _send_one(
    adapter: Any,
    limiter: RateLimiter,
    channel: Channel,
    message: OutboxMessage,
    counts: dict[str, int],
    now: Callable[[], dt.datetime],
) -> None:
    limiter.acquire()
    result = adapter.send(compose(message, message.announcement))
    message.attempts += 1
    moment = now()
    if result.outcome == "sent":
        message.status = OutboxStatus.SENT
        message.sent_at = moment
        message.provider_id = (result.provider_id or "")[:120]
        message.last_error = ""
    elif result.outcome == "retry" and message.attempts < channel.max_attempts:
        delay = next_attempt_delay(message.attempts, retry_after_s=result.retry_after_s)
        message.next_attempt_at = moment + dt.timedelta(seconds=delay)
        message.last_error = (result.error or "")[:500]
    else:
        message.status = OutboxStatus.FAILED
        message.last_error = (result.error or "")[:500]
    counts[result.outcome if message.status != OutboxStatus.FAILED else "failed"] += 1
    message.save(
        update_fields=[
            "status",
            "attempts",
            "sent_at",
            "provider_id",
            "last_error",
            "next_attempt_at",
        ]
    )


def mark_delivered(*, channel: Channel, provider_ids: list[str]) -> int:
    """A provider's delivery report: these messages reached the person's phone."""
    return OutboxMessage.objects.filter(
        channel=channel, provider_id__in=provider_ids, status=OutboxStatus.SENT
    ).update(status=OutboxStatus.DELIVERED)
