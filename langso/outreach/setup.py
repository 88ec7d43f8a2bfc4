"""What an officer sets up once: radio stations and their programme slots, loudspeaker clusters
and bulletin boards with their tokens, messaging channels, and the reading dictionary."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from langso.accounts.roles import Capability
from langso.accounts.scope import area_of, restrict
from langso.audit.models import Action
from langso.audit.services import record_change, snapshot
from langso.geo.models import Commune, Village
from langso.outreach.channels.messaging import adapter_from_config
from langso.outreach.models import (
    BroadcastSlot,
    Channel,
    ChannelKind,
    Device,
    DeviceKind,
    SpokenForm,
    Station,
)
from langso.outreach.outbox import channel_config_set
from langso.outreach.queries import forget_slots


def _manager(actor: Any) -> None:
    if not actor.can(Capability.MANAGE_OUTREACH):
        raise PermissionDenied


def _commune(actor: Any, code: str) -> Commune:
    commune = restrict(Commune.objects.all(), actor, for_write=True).filter(code=code).first()
    if commune is None:
        raise ValidationError({"commune": [_("Xã này không thuộc địa bàn của bạn.")]})
    return commune


def station_create(*, actor: Any, commune_code: str, name: str) -> Station:
    _manager(actor)
    commune = _commune(actor, commune_code)
    if not name.strip():
        raise ValidationError({"name": [_("Nhập tên đài.")]})
    with transaction.atomic():
        station = Station.objects.create(commune=commune, name=name.strip())
        forget_slots(station.pk)
        record_change(actor=actor, action=Action.CREATE, obj=station, after=snapshot(station))
    return station


def slot_add(
    *, actor: Any, station_id: int, starts_at: dt.time, ends_at: dt.time, weekdays: str, name: str
) -> BroadcastSlot:
    """A programme slot; clusters of the station play normal and priority items in it."""
    _manager(actor)
    station = restrict(Station.objects.all(), actor, for_write=True).get(pk=station_id)
    days = "".join(sorted(set(weekdays)))
    if not days or set(days) - set("1234567"):
        raise ValidationError({"weekdays": [_("Chọn ít nhất một ngày trong tuần.")]})
    if starts_at == ends_at:
        raise ValidationError({"ends_at": [_("Giờ kết thúc phải khác giờ bắt đầu.")]})
    with transaction.atomic():
        slot = BroadcastSlot.objects.create(
            station=station, starts_at=starts_at, ends_at=ends_at, weekdays=days, name=name.strip()
        )
        forget_slots(station.pk)
        record_change(actor=actor, action=Action.CREATE, obj=slot, after=snapshot(slot))
    return slot


def slot_remove(*, actor: Any, slot_id: int) -> None:
    _manager(actor)
    stations = restrict(Station.objects.all(), actor, for_write=True)
    slot = BroadcastSlot.objects.get(pk=slot_id, station__in=stations)
    with transaction.atomic():
        record_change(actor=actor, action=Action.DELETE, obj=slot, before=snapshot(slot))
        slot.delete()
        forget_slots(slot.station_id)


def new_token() -> tuple[str, str, str]:
    """(token shown once, its prefix, its digest)."""
    token = "dev_" + secrets.token_urlsafe(24)
    return token, token[:8], hashlib.sha256(token.encode()).hexdigest()


def device_register(
    *,
    actor: Any,
    kind: str,
    commune_code: str,
    name: str,
    village_id: int | None = None,
    station_id: int | None = None,
    location: str = "",
    lat: float | None = None,
    lon: float | None = None,
) -> tuple[Device, str]:
    """Register a loudspeaker cluster or a bulletin board. Returns the device and its token,
    which is shown this once (only its digest is kept)."""
    _manager(actor)
    commune = _commune(actor, commune_code)
    errors: dict[str, list[str]] = {}
    if kind not in DeviceKind.values:
        errors["kind"] = [_("Chọn loại thiết bị.")]
    if not name.strip():
        errors["name"] = [_("Nhập tên thiết bị.")]
    village = None
    if village_id is not None:
        village = Village.objects.filter(pk=village_id, commune=commune).first()
        if village is None:
            errors["village"] = [_("Thôn không thuộc xã đã chọn.")]
    station = None
    if kind == DeviceKind.CLUSTER:
        station = Station.objects.filter(pk=station_id, commune=commune).first()
        if station is None:
            errors["station"] = [_("Chọn đài truyền thanh của xã cho cụm loa.")]
    if errors:
        raise ValidationError(errors)
    token, prefix, digest = new_token()
    with transaction.atomic():
        device = Device.objects.create(
            kind=kind,
            commune=commune,
            village=village,
            station=station,
            name=name.strip(),
            location=location.strip(),
            lat=lat,
            lon=lon,
            token_prefix=prefix,
            token_digest=digest,
        )
        record_change(actor=actor, action=Action.CREATE, obj=device, after=snapshot(device))
    return device, token


def device_token_rotate(*, actor: Any, device_id: int) -> tuple[Device, str]:
    """A new token for a device (the old one stops working at once), e.g. after a theft."""
    _manager(actor)
    device = restrict(Device.objects.all(), actor, for_write=True).get(pk=device_id)
    token, prefix, digest = new_token()
    with transaction.atomic():
        device.token_prefix, device.token_digest = prefix, digest
        device.save(update_fields=["token_prefix", "token_digest"])
        record_change(actor=actor, action=Action.SECURITY, obj=device, message="token rotated")
    return device, token


REQUIRED = {
    ChannelKind.ZALO: ("endpoint", "access_token", "template_id"),
    ChannelKind.SMS: ("endpoint", "api_key", "brandname"),
    ChannelKind.FACEBOOK: ("page_id", "page_access_token"),
    ChannelKind.EMAIL: ("host", "sender", "to"),
    ChannelKind.WEBHOOK: ("url", "secret"),
}


def channel_save(
    *,
    actor: Any,
    kind: str,
    name: str,
    config: dict,
    rate_per_minute: int,
    commune_code: str | None = None,
    province_code: str | None = None,
    channel_id: int | None = None,
) -> Channel:
    """Add (or change) a messaging channel; its credentials are stored encrypted."""
    _manager(actor)
    errors: dict[str, list[str]] = {}
    if kind not in ChannelKind.values:
        raise ValidationError({"kind": [_("Chọn loại kênh.")]})
    missing = [k for k in REQUIRED[ChannelKind(kind)] if not str(config.get(k, "")).strip()]
    if missing:
        errors["config"] = [_("Thiếu cấu hình: %s") % ", ".join(missing)]
    else:
        # build the adapter now: a misspelt setting or a bad URL stored here would otherwise
        # stop every sending round of the outbox
        try:
            adapter_from_config(kind, config).close()
        except ValueError as exc:
            errors["config"] = [_("Cấu hình không hợp lệ: %s") % exc]
    if not 1 <= rate_per_minute <= 100000:
        errors["rate_per_minute"] = [_("Số tin mỗi phút không hợp lệ.")]
    if not name.strip():
        errors["name"] = [_("Nhập tên kênh.")]
    if errors:
        raise ValidationError(errors)
    if commune_code:
        commune = _commune(actor, commune_code)
        province, commune_id = commune.province_id, commune.code
    elif province_code and (area_of(actor).everything or province_code in area_of(actor).provinces):
        province, commune_id = province_code, None
    else:
        raise ValidationError({"commune": [_("Chọn xã hoặc tỉnh của kênh.")]})
    with transaction.atomic():
        if channel_id:
            channel = restrict(Channel.objects.all(), actor, for_write=True).get(pk=channel_id)
        else:
            channel = Channel(province_id=province, commune_id=commune_id)
        channel.kind, channel.name, channel.rate_per_minute = kind, name.strip(), rate_per_minute
        channel_config_set(channel, config)
        channel.save()
        record_change(
            actor=actor,
            action=Action.UPDATE if channel_id else Action.CREATE,
            obj=channel,
            after=snapshot(channel, exclude=frozenset({"config_encrypted"})),
        )
    return channel


def spoken_form_save(*, actor: Any, province_code: str, written: str, spoken: str) -> SpokenForm:
    """Teach the reader a word: how an acronym or unit is read aloud in this province."""
    _manager(actor)
    area = area_of(actor)
    if not (area.everything or province_code in area.provinces | area.ancestor_provinces):
        raise PermissionDenied
    written, spoken = written.strip(), spoken.strip()
    if not written or " " in written or len(written) > 40:
        raise ValidationError({"written": [_("Nhập một từ viết tắt, không có dấu cách.")]})
    if not spoken:
        raise ValidationError({"spoken": [_("Nhập cách đọc.")]})
    with transaction.atomic():
        form, _created = SpokenForm.objects.update_or_create(
            province_id=province_code,
            written=written,
            defaults={"spoken": spoken[:200], "updated_by": actor},
        )
        record_change(actor=actor, action=Action.UPDATE, obj=form, after=snapshot(form))
    return form
