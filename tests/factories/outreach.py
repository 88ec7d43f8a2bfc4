"""Announcements, stations, devices and channels, made through the services as officers would."""

import datetime as dt

from django.utils import timezone

from langso.geo.models import Village
from langso.outreach import services, setup
from langso.outreach.channels import cap
from langso.outreach.models import DeviceKind
from tests.factories.accounts import commune_officer, province_admin

SMS_CONFIG = {"endpoint": "http://127.0.0.1:9/send", "api_key": "k-1", "brandname": "UBND XA"}


def draft(**overrides) -> services.Draft:
    """A normal health notice, valid from an hour ago for a week; any field may be overridden."""
    now = timezone.now()
    values = {
        "title": "Tiêm chủng mở rộng tháng 12",
        "body": "Đề nghị các hộ đưa trẻ dưới 5 tuổi đến Trạm y tế xã lúc 8 giờ sáng thứ Hai.",
        "category": "health",
        "priority": "normal",
        "valid_from": now - dt.timedelta(hours=1),
        "valid_until": now + dt.timedelta(days=7),
    }
    return services.Draft(**{**values, **overrides})


def _issuer(where: tuple, overrides: dict) -> tuple[str | None, dict]:
    """(issuing commune or None for the province, the areas the draft targets)."""
    if not where:
        named = "commune_codes" in overrides or "village_ids" in overrides
        return None, {} if named else {"whole_province": True}
    if isinstance(where[0], Village):
        return where[0].commune_id, {"village_ids": [v.pk for v in where]}
    return where[0], {"commune_codes": list(where)}


def announcement(*where, actor=None, province: str | None = None, **overrides):
    """A draft sent to communes (codes) or villages, issued by the commune of the first one; with
    no place, a draft of the province (``province``, Cao Bằng by default) to the whole province
    or to the ``commune_codes`` / ``village_ids`` given."""
    commune, areas = _issuer(where, overrides)
    if actor is None:
        actor = commune_officer(commune) if commune else province_admin(province or "04")
    return services.announcement_create(
        actor=actor,
        draft=draft(**{**areas, **overrides}),
        commune_code=commune,
        province_code=None if commune else province or "04",
    )


def published(*where, actor=None, approver=None, province: str | None = None, **overrides):
    """An announcement drafted and submitted by one officer, approved by a second one of the
    same commune (or province)."""
    made = announcement(*where, actor=actor, province=province, **overrides)
    author = made.created_by
    services.announcement_submit(actor=author, announcement_id=made.pk)
    if approver is None:
        approver = (
            commune_officer(made.commune_id)
            if made.commune_id
            else province_admin(made.province_id)
        )
    return services.announcement_approve(actor=approver, announcement_id=made.pk)


def station(commune: str, *, actor=None, name: str = "Đài truyền thanh xã"):
    return setup.station_create(
        actor=actor or commune_officer(commune), commune_code=commune, name=name
    )


_station = station  # ``cluster`` takes a station argument of the same name


def slot(station, starts_at: dt.time, ends_at: dt.time, *, weekdays="1234567", actor=None):
    return setup.slot_add(
        actor=actor or commune_officer(station.commune_id),
        station_id=station.pk,
        starts_at=starts_at,
        ends_at=ends_at,
        weekdays=weekdays,
        name="Bản tin sáng",
    )


def cluster(village, station=None, *, commune: str | None = None, actor=None, **kw):
    """A loudspeaker cluster (device, token) in a village, or with ``village`` None at the
    centre of ``commune`` (serving the whole commune)."""
    code = village.commune_id if village is not None else commune or station.commune_id
    station = station or _station(code)
    return setup.device_register(
        actor=actor or commune_officer(code),
        kind=DeviceKind.CLUSTER,
        commune_code=code,
        name=kw.pop("name", f"Cụm loa {village.name if village else 'trung tâm xã'}"),
        village_id=village.pk if village is not None else None,
        station_id=station.pk,
        **kw,
    )


def board(village, *, commune: str | None = None, actor=None, **kw):
    """An electronic bulletin board (device, token) in a village, or at the commune centre."""
    code = village.commune_id if village is not None else commune
    return setup.device_register(
        actor=actor or commune_officer(code),
        kind=DeviceKind.BOARD,
        commune_code=code,
        name=kw.pop("name", f"Bảng tin {village.name if village else 'trung tâm xã'}"),
        village_id=village.pk if village is not None else None,
        **kw,
    )


def channel(commune: str | None = None, *, province: str | None = None, actor=None, **kw):
    """A messaging channel of a commune (or, with ``province``, of the province); an SMS
    gateway unless ``kind`` and ``config`` say otherwise."""
    if actor is None:
        actor = commune_officer(commune) if commune else province_admin(province or "04")
    kw.setdefault("kind", "sms")
    kw.setdefault("config", dict(SMS_CONFIG))
    kw.setdefault("name", f"Kênh {kw['kind']}")
    kw.setdefault("rate_per_minute", 60_000)
    return setup.channel_save(
        actor=actor,
        commune_code=commune,
        province_code=None if commune else province or "04",
        **kw,
    )


UPSTREAM = "canhbao@thientai.gov.vn"
ICT = dt.timezone(dt.timedelta(hours=7))


def upstream_alert(
    identifier: str,
    *communes: str,
    msg_type: str = "Alert",
    references: tuple = (),
    urgency: str = "Immediate",
    severity: str = "Severe",
    polygons: tuple[str, ...] = (),
    headline: str = "Cảnh báo lũ quét, sạt lở đất",
    geocode_name: str = "VN-ADMIN-2025",
) -> cap.CapAlert:
    """A Vietnamese upstream warning naming its communes by code (and shapes, if given);
    ``references`` are earlier alerts it updates or cancels."""
    sent = dt.datetime(2026, 12, 7, 6, 0, tzinfo=ICT) + dt.timedelta(minutes=len(references))
    area = cap.CapArea(
        "Các xã vùng núi tỉnh Cao Bằng",
        geocodes=tuple(cap.CapGeocode(geocode_name, code) for code in communes),
        polygons=polygons,
    )
    info = cap.CapInfo(
        language="vi-VN",
        categories=("Met",),
        event="Lũ quét",
        urgency=urgency,
        severity=severity,
        certainty="Likely",
        headline=headline,
        description="Mưa lớn kéo dài, nguy cơ lũ quét và sạt lở đất ở vùng núi.",
        instruction="Người dân không đi qua ngầm, tràn; di dời khỏi vùng nguy hiểm.",
        expires=sent + dt.timedelta(hours=24),
        areas=(area,),
    )
    return cap.CapAlert(
        identifier=identifier,
        sender=UPSTREAM,
        sent=sent,
        status="Actual",
        msg_type=msg_type,
        scope="Public",
        infos=(info,),
        references=tuple(cap.CapReference(a.sender, a.identifier, a.sent) for a in references),
    )
