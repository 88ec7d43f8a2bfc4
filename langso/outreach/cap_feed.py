"""CAP 1.2 both ways: our announcements as CAP alerts (the province's public warning feed), and
upstream alerts (e.g. a national disaster-warning service) turned into draft emergencies.

Areas are named by commune code as a geocode (``GEOCODE_NAME``: the 2025 list of 3,321 units;
the name carries the list's version, since the 2025 mergers changed the codes). An update of a
published announcement is a CAP Update referencing every earlier revision; a cancel is a Cancel.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from langso.audit.models import Action
from langso.audit.services import record_change
from langso.geo.models import Commune
from langso.outreach import geometry
from langso.outreach.channels import cap
from langso.outreach.models import (
    Announcement,
    AnnouncementArea,
    CapReceived,
    CapSubscription,
    Category,
    LanguageVersion,
    Priority,
    Source,
    Status,
)

GEOCODE_NAME = "VN-ADMIN-2025"
URGENCY = {"emergency": "Immediate", "priority": "Expected", "normal": "Future"}
SEVERITY = {"emergency": "Severe", "priority": "Moderate", "normal": "Minor"}
CATEGORY = {
    Category.DISASTER: "Safety",
    Category.HEALTH: "Health",
    Category.SECURITY: "Security",
    Category.PUBLIC_SERVICES: "Infra",
}
MAX_FEED_BYTES = 5_000_000


def sender() -> str:
    return getattr(settings, "LANGSO_CAP_SENDER", "") or "langso@thongtincoso.vn"


def _sent(announcement: Announcement, revision: int) -> dt.datetime:
    times = announcement.cap_sent or []
    if revision - 1 < len(times):
        return dt.datetime.fromisoformat(times[revision - 1])
    return announcement.published_at or announcement.updated_at


def _identifier(announcement: Announcement, revision: int) -> str:
    return f"langso-{announcement.province_id}-{announcement.pk}-r{revision}"


def _references(announcement: Announcement, upto: int) -> tuple[cap.CapReference, ...]:
    return tuple(
        cap.CapReference(sender(), _identifier(announcement, r), _sent(announcement, r))
        for r in range(1, upto + 1)
    )


def _areas(announcement: Announcement) -> tuple[cap.CapArea, ...]:
    if announcement.whole_province:
        communes = Commune.objects.filter(province_id=announcement.province_id).order_by("code")
        from langso.geo.models import Province

        province = Province.objects.get(pk=announcement.province_id)
        return (
            cap.CapArea(
                description=province.name[:50],
                geocodes=tuple(cap.CapGeocode(GEOCODE_NAME, c.code) for c in communes),
            ),
        )
    by_commune: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for row in announcement.areas.select_related("commune", "village").order_by("commune_id"):
        names[row.commune_id] = row.commune.name
        if row.village_id:
            by_commune.setdefault(row.commune_id, []).append(row.village.name)
        else:
            by_commune.setdefault(row.commune_id, [])
    return tuple(
        cap.CapArea(
            description=(f"{', '.join(villages)} – {names[code]}" if villages else names[code]),
            geocodes=(cap.CapGeocode(GEOCODE_NAME, code),),
        )
        for code, villages in by_commune.items()
    )


def _resources(announcement: Announcement, base_url: str) -> tuple[cap.CapResource, ...]:
    found = []
    for clip in announcement.clips.filter(revision=announcement.revision).select_related("audio"):
        with clip.audio.file.open("rb") as handle:
            sha1 = hashlib.sha1(handle.read()).hexdigest()  # CAP's digest is SHA-1
        found.append(
            cap.CapResource(
                description=f"Bản đọc ({clip.language})",
                mime_type="audio/mpeg",
                size=clip.audio.size,
                uri=base_url + clip.audio.file.url,
                digest=sha1,
            )
        )
    return tuple(found)


def alert_of(announcement: Announcement, *, base_url: str = "") -> cap.CapAlert:
    """The CAP alert of an announcement's current state: Alert, Update or Cancel."""
    revision = announcement.revision
    cancelled = announcement.status == Status.CANCELLED
    priority = announcement.priority
    common = {
        "categories": (CATEGORY.get(announcement.category, "Other"),),
        "event": Category(announcement.category).label,
        "urgency": "Past" if cancelled else URGENCY[priority],
        "severity": SEVERITY[priority],
        "certainty": "Observed" if priority == Priority.EMERGENCY else "Likely",
        "effective": announcement.valid_from,
        "expires": announcement.valid_until,
        "sender_name": announcement.commune.name if announcement.commune_id else "",
        "web": f"{base_url}/thong-bao/{announcement.pk}/" if base_url else None,
        "areas": _areas(announcement),
    }
    if not common["sender_name"]:
        from langso.geo.models import Province

        common["sender_name"] = Province.objects.get(pk=announcement.province_id).name
    resources = () if cancelled else _resources(announcement, base_url)
    infos = [
        cap.CapInfo(
            language="vi",
            headline=announcement.title[:160],
            description=announcement.cancel_reason if cancelled else announcement.body,
            resources=resources,
            **common,
        )
    ]
    for version in announcement.versions.exclude(body="").order_by("language"):
        infos.append(
            cap.CapInfo(
                language=version.language,
                headline=(version.title or announcement.title)[:160],
                description=version.body,
                **common,
            )
        )
    if cancelled:
        return cap.CapAlert(
            identifier=f"{_identifier(announcement, revision)}-cancel",
            sender=sender(),
            sent=announcement.cancelled_at,
            status="Actual",
            msg_type="Cancel",
            scope="Public",
            references=_references(announcement, revision),
            infos=tuple(infos),
            note=announcement.cancel_reason or None,
        )
    return cap.CapAlert(
        identifier=_identifier(announcement, revision),
        sender=sender(),
        sent=_sent(announcement, revision),
        status="Actual",
        msg_type="Update" if revision > 1 else "Alert",
        scope="Public",
        references=_references(announcement, revision - 1),
        infos=tuple(infos),
    )


# ------------------------------------------------------------------ upstream


def _communes_of(alert: cap.CapAlert, province_code: str, geocode_name: str) -> list[str]:
    communes = Commune.objects.filter(province_id=province_code)
    codes = cap.geocodes_of(alert, geocode_name)
    found = set(communes.filter(code__in=codes).values_list("code", flat=True))
    polygons = tuple(p for i in alert.infos for a in i.areas for p in a.polygons)
    circles = tuple(c for i in alert.infos for a in i.areas for c in a.circles)
    if polygons or circles:
        for code, lat, lon in communes.exclude(lat=None).values_list("code", "lat", "lon"):
            if geometry.covered(lat, lon, polygons, circles):
                found.add(code)
    return sorted(found)


def _priority(info: cap.CapInfo) -> str:
    if info.urgency in ("Immediate", "Expected") and info.severity in ("Extreme", "Severe"):
        return Priority.EMERGENCY
    return Priority.PRIORITY


def _main_info(alert: cap.CapAlert) -> cap.CapInfo:
    for info in alert.infos:
        if info.language.lower().startswith("vi"):
            return info
    return alert.infos[0]


def _fill(announcement: Announcement, alert: cap.CapAlert, province_code: str, name: str) -> None:
    info = _main_info(alert)
    announcement.title = (info.headline or info.event)[:200]
    announcement.body = "\n\n".join(t for t in (info.description, info.instruction) if t) or (
        info.event
    )
    announcement.priority = _priority(info)
    start = info.effective or info.onset or alert.sent
    announcement.valid_from = start
    announcement.valid_until = info.expires or start + dt.timedelta(hours=24)
    if announcement.valid_until <= announcement.valid_from:
        announcement.valid_until = announcement.valid_from + dt.timedelta(hours=24)
    announcement.save()
    AnnouncementArea.objects.filter(announcement=announcement).delete()
    AnnouncementArea.objects.bulk_create(
        AnnouncementArea(announcement=announcement, commune_id=code)
        for code in _communes_of(alert, province_code, name)
    )
    LanguageVersion.objects.filter(announcement=announcement).delete()
    for other in alert.infos:
        if other is info:
            continue
        LanguageVersion.objects.update_or_create(
            announcement=announcement,
            language=other.language[:8],
            defaults={
                "title": (other.headline or other.event)[:200],
                "body": "\n\n".join(t for t in (other.description, other.instruction) if t),
            },
        )


def _known(references: tuple[cap.CapReference, ...]) -> Announcement | None:
    for reference in reversed(references):
        found = CapReceived.objects.filter(
            sender=reference.sender, identifier=reference.identifier
        ).first()
        if found and found.announcement_id:
            return found.announcement
    return None


def ingest(
    *, xml: bytes, province_code: str, subscription: CapSubscription | None = None
) -> list[Announcement]:
    """Read an upstream CAP document or feed; each new alert becomes a draft emergency for the
    communes it covers (by geocode, or by centroid inside its polygons and circles). An Update
    of an alert still in draft changes that draft; of a published one, makes a draft that
    replaces it on approval. A Cancel cancels a draft; a published announcement is left to an
    officer (its page says the source cancelled it). Alerts seen before are skipped."""
    name = subscription.geocode_name if subscription else GEOCODE_NAME
    made: list[Announcement] = []
    for alert in cap.parse_feed(xml):
        if alert.status != "Actual" or (not alert.infos and alert.msg_type != "Cancel"):
            continue
        if alert.msg_type not in ("Alert", "Update", "Cancel"):
            continue  # an Ack or Error answers a message: it warns nobody of anything
        with transaction.atomic():
            if CapReceived.objects.filter(
                sender=alert.sender, identifier=alert.identifier
            ).exists():
                continue
            announcement = _apply_alert(alert, province_code, name)
            CapReceived.objects.create(
                subscription=subscription,
                sender=alert.sender,
                identifier=alert.identifier,
                sent=alert.sent,
                msg_type=alert.msg_type,
                announcement=announcement,
            )
            if announcement is not None:
                record_change(
                    actor=None,
                    action=Action.CREATE,
                    obj=announcement,
                    message=f"from CAP {alert.msg_type} {alert.sender},{alert.identifier}",
                )
                made.append(announcement)
    return made


def _apply_alert(alert: cap.CapAlert, province_code: str, name: str) -> Announcement | None:
    earlier = _known(alert.references) if alert.msg_type in ("Update", "Cancel") else None
    reference = f"{alert.sender},{alert.identifier},{cap.format_datetime(alert.sent)}"
    drafts = (Status.DRAFT, Status.RETURNED, Status.SUBMITTED)
    if alert.msg_type == "Cancel":
        if earlier is not None and earlier.status in drafts:
            earlier.status = Status.CANCELLED
            earlier.cancelled_at = timezone.now()
            earlier.cancel_reason = "Nguồn CAP đã hủy cảnh báo"
            earlier.save()
        return earlier
    if alert.msg_type == "Update" and earlier is not None and earlier.status in drafts:
        earlier.source_reference = reference[:500]
        _fill(earlier, alert, province_code, name)
        return earlier
    announcement = Announcement(
        province_id=province_code,
        category=Category.DISASTER,
        source=Source.CAP,
        source_reference=reference[:500],
        plays_per_day=3,
        replaces=earlier if earlier is not None and earlier.status == Status.PUBLISHED else None,
    )
    _fill(announcement, alert, province_code, name)
    return announcement


def source_cancelled(announcement: Announcement) -> CapReceived | None:
    """The upstream Cancel of the alert this announcement came from, if one arrived."""
    return CapReceived.objects.filter(announcement=announcement, msg_type="Cancel").first()


def poll(subscription: CapSubscription, *, client: Any = None) -> list[Announcement]:
    """Fetch a subscription's feed (and the alerts it links to) and ingest what is new."""
    own = client is None
    client = client or httpx.Client(timeout=20, follow_redirects=True)
    try:
        response = client.get(subscription.url)
        response.raise_for_status()
        body = response.content[:MAX_FEED_BYTES]
        made = ingest(xml=body, province_code=subscription.province_id, subscription=subscription)
        for link in cap.feed_links(body):
            linked = client.get(link)
            linked.raise_for_status()
            made += ingest(
                xml=linked.content[:MAX_FEED_BYTES],
                province_code=subscription.province_id,
                subscription=subscription,
            )
        subscription.last_error = ""
        return made
    except (httpx.HTTPError, cap.CapError) as exc:
        subscription.last_error = str(exc)[:500]
        return []
    finally:
        subscription.last_polled_at = timezone.now()
        subscription.save(update_fields=["last_polled_at", "last_error"])
        if own:
            client.close()
