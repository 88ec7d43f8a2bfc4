"""The read side of grassroots information: scoped lists, a device's playlist or screen, the
public portal's announcements and the reach report."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from langso.accounts.scope import area_of, restrict
from langso.geo.models import Commune, Village
from langso.outreach import playlist
from langso.outreach.models import (
    Announcement,
    AnnouncementArea,
    BroadcastSlot,
    Channel,
    Clip,
    Delivery,
    DeliveryStatus,
    Device,
    DeviceKind,
    Feedback,
    LanguageVersion,
    OutboxMessage,
    Receipt,
    ReceiptKind,
    SpokenForm,
    Station,
    Status,
)

OFFLINE_AFTER = dt.timedelta(minutes=10)


def announcements_for(user: Any) -> QuerySet[Announcement]:
    """Announcements issued in the user's area, and those sent into it from above."""
    issued = restrict(Announcement.objects.all(), user)
    area = area_of(user)
    if area.everything:
        return issued
    communes = set(area.communes) | set(area.province_communes) | set(area.ancestor_communes)
    received = AnnouncementArea.objects.filter(commune_id__in=communes).values("announcement_id")
    provinces = set(area.provinces) | set(area.ancestor_provinces)
    into = Announcement.objects.filter(
        Q(pk__in=received) | Q(whole_province=True, province_id__in=provinces),
        status__in=[Status.PUBLISHED, Status.CANCELLED],
    )
    return (issued | into).distinct()


def writable_announcement(user: Any, announcement: Announcement) -> bool:
    return (
        restrict(Announcement.objects.all(), user, for_write=True)
        .filter(pk=announcement.pk)
        .exists()
    )


def issuing_communes(user: Any) -> QuerySet[Commune]:
    return restrict(Commune.objects.all(), user, for_write=True).order_by("name")


def recording_communes(user: Any) -> QuerySet[Commune]:
    """Communes where the user may write down residents' feedback: those with a village the user
    covers (``feedback_record``'s rule), so a village volunteer gets their own commune too."""
    villages = restrict(Village.objects.all(), user, for_write=True)
    return Commune.objects.filter(code__in=villages.values("commune_id")).order_by("name")


def target_villages(user: Any, commune_codes: list[str]) -> QuerySet[Village]:
    villages = restrict(Village.objects.all(), user, for_write=True)
    return villages.filter(commune_id__in=commune_codes).order_by("commune_id", "name")


def areas_of(announcement: Announcement) -> list[str]:
    if announcement.whole_province:
        return ["Toàn tỉnh"]
    rows = announcement.areas.select_related("commune", "village").order_by("commune_id", "pk")
    return [f"{r.village.name}, {r.commune.name}" if r.village else r.commune.name for r in rows]


def versions_of(announcement: Announcement) -> QuerySet[LanguageVersion]:
    return announcement.versions.select_related("recording").order_by("language")


def clips_of(announcement: Announcement) -> QuerySet[Clip]:
    return announcement.clips.filter(revision=announcement.revision).select_related("audio")


def devices_for(user: Any) -> QuerySet[Device]:
    return restrict(Device.objects.all(), user).select_related("commune", "village", "station")


def stations_for(user: Any) -> QuerySet[Station]:
    return restrict(Station.objects.all(), user).select_related("commune")


def slots_of(station: Station) -> QuerySet[BroadcastSlot]:
    return station.slots.order_by("starts_at")


def slots_for(user: Any) -> QuerySet[BroadcastSlot]:
    """Programme slots of the stations the user may see."""
    return BroadcastSlot.objects.filter(station__in=restrict(Station.objects.all(), user))


def channels_for(user: Any) -> QuerySet[Channel]:
    return restrict(Channel.objects.all(), user).order_by("kind", "name")


def feedback_for(user: Any) -> QuerySet[Feedback]:
    return restrict(Feedback.objects.all(), user).select_related("commune", "village")


def spoken_forms_for(user: Any) -> QuerySet[SpokenForm]:
    """The reading dictionary of the provinces the user works in: a commune officer reads (and,
    through ``spoken_form_save``, edits) their province's, which ``restrict`` alone would hide
    from anyone not assigned the province itself."""
    area = area_of(user)
    if area.everything:
        return SpokenForm.objects.order_by("written")
    return SpokenForm.objects.filter(province_id__in=sorted(area.province_codes())).order_by(
        "written"
    )


def device_by_token(token: str) -> Device | None:
    """The active device holding this token (only its digest is stored), or None."""
    if not token or len(token) > 200:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    # raw SQL: 10,000 clusters poll every 30 s, and compiling the ORM query was a third of the
    # cost of a poll (bench/RESULTS.md); the other fields load if something asks for them
    found = list(Device.objects.raw(_DEVICE_SQL, [digest, True]))
    return found[0] if found else None


_DEVICE_SQL = (
    "SELECT id, kind, name, commune_id, village_id, station_id, last_seen_at "
    "FROM outreach_device WHERE token_digest = %s AND active = %s"
)


def _day_start(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _items(device: Device, now: dt.datetime, *, with_audio: bool) -> list[playlist.Item]:
    deliveries = list(
        Delivery.objects.filter(
            device=device,
            announcement__status=Status.PUBLISHED,
            announcement__valid_until__gt=now,
        )
        .exclude(status=DeliveryStatus.WITHDRAWN)
        .values_list(
            "pk",
            "announcement_id",
            "revision",
            "priority",
            "announcement__title",
            "announcement__valid_from",
            "announcement__valid_until",
            "announcement__plays_per_day",
        )
    )
    if not deliveries:
        return []
    played = dict(
        Receipt.objects.filter(
            delivery_id__in=[d[0] for d in deliveries],
            kind=ReceiptKind.PLAYED,
            at__gte=_day_start(now),
        )
        .values("delivery_id")
        .annotate(n=Count("pk"))
        .values_list("delivery_id", "n")
    )
    clips: dict[tuple[int, int], list[tuple]] = {}
    if with_audio:
        rows = Clip.objects.filter(announcement_id__in=[d[1] for d in deliveries]).values_list(
            "announcement_id", "revision", "language", "audio__sha256", "audio__duration_s"
        )
        for announcement_id, revision, language, sha, duration in rows:
            clips.setdefault((announcement_id, revision), []).append((language, sha, duration))
    items = []
    for pk, announcement, revision, priority, title, start, end, per_day in deliveries:
        common = {
            "delivery_id": pk,
            "announcement_id": announcement,
            "revision": revision,
            "priority": priority,
            "title": title,
            "valid_from": start,
            "valid_until": end,
            "plays_per_day": per_day,
            "played_today": played.get(pk, 0),
        }
        if not with_audio:
            items.append(playlist.Item(audio_url=None, sha256=None, duration_s=None, **common))
            continue
        for language, sha, duration in sorted(clips.get((announcement, revision), [])):
            url = f"/api/v1/devices/audio/{sha}.mp3"
            items.append(
                playlist.Item(
                    audio_url=url, sha256=sha, duration_s=duration, language=language, **common
                )
            )
    return items


SLOTS_KEPT = 60.0  # seconds a process keeps a station's slots (a change reaches devices in 1 min)
_slots: dict[int, tuple[float, list[playlist.Slot]]] = {}

_PLAYLIST_SQL = """
SELECT d.id, d.announcement_id, d.revision, d.priority, d.status, a.title, a.valid_from,
       a.valid_until, a.plays_per_day,
       (SELECT COUNT(*) FROM outreach_receipt r
         WHERE r.delivery_id = d.id AND r.kind = 'played' AND r.at >= %s) AS played,
       c.language, f.sha256, f.duration_s
FROM outreach_delivery d
JOIN outreach_announcement a ON a.id = d.announcement_id
LEFT JOIN outreach_clip c ON c.announcement_id = d.announcement_id AND c.revision = d.revision
LEFT JOIN outreach_audiofile f ON f.id = c.audio_id
WHERE d.device_id = %s AND d.status <> 'withdrawn' AND a.status = 'published'
  AND a.valid_until > %s
"""


def forget_slots(station_id: int | None = None) -> None:
    """Drop this process's copy of a station's slots (all stations: None) after a change."""
    if station_id is None:
        _slots.clear()
    else:
        _slots.pop(station_id, None)


def _station_slots(station_id: int | None) -> list[playlist.Slot]:
    if not station_id:
        return []
    kept = _slots.get(station_id)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    slots = [
        playlist.Slot(s.starts_at, s.ends_at, s.weekdays, s.name)
        for s in BroadcastSlot.objects.filter(station_id=station_id)
    ]
    _slots[station_id] = (time.monotonic() + SLOTS_KEPT, slots)
    return slots


def _aware(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)


@dataclass(frozen=True)
class DevicePlaylist:
    playlist: playlist.Playlist
    queued: bool  # something new was waiting for the device (it is now fetched)


def device_playlist(device: Device, now: dt.datetime) -> DevicePlaylist:
    """A loudspeaker cluster's playlist: emergencies to play at once, then slot by slot.

    One SQL statement (deliveries, their clips and today's plays) and the station's slots,
    kept a minute per process: this is what every cluster asks for every 30 seconds."""
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(_PLAYLIST_SQL, [adapt(_day_start(now)), device.pk, adapt(now)])
        rows = cursor.fetchall()
    items, queued = [], False
    for (pk, announcement, revision, priority, status, title, start, end, per_day, played,
         language, sha, duration) in rows:  # fmt: skip
        queued = queued or status == DeliveryStatus.QUEUED
        if sha is None:
            continue  # audio not rendered yet: boards show it, clusters wait
        items.append(
            playlist.Item(
                delivery_id=pk,
                announcement_id=announcement,
                revision=revision,
                priority=priority,
                title=title,
                valid_from=_aware(start),
                valid_until=_aware(end),
                plays_per_day=per_day,
                played_today=played,
                audio_url=f"/api/v1/devices/audio/{sha}.mp3",
                sha256=sha,
                duration_s=duration,
                language=language,
            )
        )
    slots = _station_slots(device.station_id)
    return DevicePlaylist(playlist.plan(items, slots, timezone.localtime(now)), queued)


@dataclass(frozen=True)
class ScreenItem:
    delivery_id: int
    announcement: Announcement
    versions: list[LanguageVersion]


def board_screen(device: Device, now: dt.datetime) -> tuple[bool, list[ScreenItem]]:
    """What a bulletin board shows: (emergency takes over, the announcements to rotate)."""
    takeover, items = playlist.board_screen(_items(device, now, with_audio=False), now)
    ids = [i.announcement_id for i in items]
    found = Announcement.objects.in_bulk(ids)
    versions: dict[int, list[LanguageVersion]] = {}
    for version in LanguageVersion.objects.filter(announcement_id__in=ids).exclude(body=""):
        versions.setdefault(version.announcement_id, []).append(version)
    return takeover, [
        ScreenItem(i.delivery_id, found[i.announcement_id], versions.get(i.announcement_id, []))
        for i in items
    ]


def public_announcements(
    *, province_code: str | None = None, commune_code: str | None = None, now: dt.datetime
) -> QuerySet[Announcement]:
    """What the public portal lists: published and valid now, for a province or a commune."""
    found = Announcement.objects.filter(
        status=Status.PUBLISHED, valid_from__lte=now, valid_until__gt=now
    )
    if commune_code:
        province = Commune.objects.filter(code=commune_code).values("province_id")
        received = AnnouncementArea.objects.filter(commune_id=commune_code).values(
            "announcement_id"
        )
        found = found.filter(Q(pk__in=received) | Q(whole_province=True, province_id__in=province))
    elif province_code:
        found = found.filter(province_id=province_code)
    rank = Case(
        When(priority="emergency", then=Value(0)),
        When(priority="priority", then=Value(1)),
        default=Value(2),
    )
    return found.annotate(rank=rank).order_by("rank", "-published_at", "-pk")


def cap_announcements(*, province_code: str, since: dt.datetime) -> QuerySet[Announcement]:
    """Announcements the CAP feed carries: emergencies and priority items (routine notices are
    not warnings), published or cancelled recently."""
    return Announcement.objects.filter(
        province_id=province_code,
        priority__in=["emergency", "priority"],
        status__in=[Status.PUBLISHED, Status.CANCELLED],
        updated_at__gte=since,
    ).order_by("-updated_at")


def published_feedback(commune_code: str | None = None) -> QuerySet[Feedback]:
    found = Feedback.objects.filter(published=True).exclude(answer="")
    if commune_code:
        found = found.filter(commune_id=commune_code)
    return found.select_related("commune").order_by("-answered_at")


@dataclass(frozen=True)
class DeviceReach:
    device: Device
    delivery: Delivery
    offline: bool


def reach(announcement: Announcement, now: dt.datetime) -> dict[str, Any]:
    """Per announcement: areas, devices by status (played, shown, not), messages by channel and
    status, feedback received."""
    deliveries = Delivery.objects.filter(announcement=announcement)
    by_kind_status = {
        (kind, status): n
        for kind, status, n in deliveries.values_list("device__kind", "status")
        .annotate(n=Count("pk"))
        .values_list("device__kind", "status", "n")
    }
    plays = {
        kind: n
        for kind, n in deliveries.values_list("device__kind")
        .annotate(n=Count("receipts", filter=Q(receipts__kind__in=["played", "displayed"])))
        .values_list("device__kind", "n")
    }

    def summary(kind: str) -> dict[str, int]:
        counts = {s: by_kind_status.get((kind, s), 0) for s in DeliveryStatus.values}
        done = counts["played"] + counts["displayed"]
        total = sum(v for k, v in counts.items() if k != "withdrawn")
        return {**counts, "total": total, "done": done, "not_done": total - done}

    messages = (
        OutboxMessage.objects.filter(announcement=announcement)
        .values_list("channel__name", "channel__kind", "status")
        .annotate(n=Count("pk"))
        .order_by("channel__name", "status")
    )
    channels: dict[str, dict[str, Any]] = {}
    for name, kind, status, n in messages:
        row = channels.setdefault(name, {"kind": kind, "total": 0})
        row[status] = n
        row["total"] += n
    return {
        "areas": areas_of(announcement),
        "clusters": summary(DeviceKind.CLUSTER),
        "boards": summary(DeviceKind.BOARD),
        "plays": plays.get(DeviceKind.CLUSTER, 0),
        "displays": plays.get(DeviceKind.BOARD, 0),
        "channels": channels,
        "feedback": announcement.feedback.count(),
    }


def device_rows(announcement: Announcement, now: dt.datetime, kind: str) -> list[DeviceReach]:
    """Each device of the announcement with its delivery: which played it and when, which not."""
    rows = (
        Delivery.objects.filter(announcement=announcement, device__kind=kind)
        .select_related("device", "device__commune", "device__village")
        .order_by("device__commune_id", "device__village__name", "device__name")
    )
    return [
        DeviceReach(
            device=d.device,
            delivery=d,
            offline=d.device.last_seen_at is None or now - d.device.last_seen_at > OFFLINE_AFTER,
        )
        for d in rows
    ]


# ---------------------------------------------------------------- public (no account)


def public_commune(code: str) -> Commune | None:
    return Commune.objects.select_related("province").filter(code=code[:5]).first()


def public_province(code: str):
    from langso.geo.models import Province

    return Province.objects.filter(code=code[:2]).first()


def public_provinces():
    from langso.geo.models import Province

    return Province.objects.order_by("name")


def public_communes(province_code: str) -> QuerySet[Commune]:
    return Commune.objects.filter(province_id=province_code).order_by("name")


def public_villages(commune_code: str) -> QuerySet[Village]:
    return Village.objects.filter(commune_id=commune_code).order_by("name")


def public_announcement(announcement_id: int) -> Announcement | None:
    """A published (or cancelled, so old links explain themselves) announcement."""
    return (
        Announcement.objects.filter(status__in=[Status.PUBLISHED, Status.CANCELLED])
        .select_related("commune")
        .filter(pk=announcement_id)
        .first()
    )


def audio_for_device(device: Device, sha256: str):
    """The MP3 with this checksum if it is on one of the device's current deliveries."""
    from langso.outreach.models import AudioFile

    if len(sha256) != 64:
        return None
    announcements = (
        Delivery.objects.filter(device=device)
        .exclude(status=DeliveryStatus.WITHDRAWN)
        .values("announcement_id")
    )
    return AudioFile.objects.filter(sha256=sha256, clips__announcement_id__in=announcements).first()
