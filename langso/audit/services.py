"""Writing audit events. Services call these inside their own transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from langso.audit import context
from langso.audit.models import Action, ChangeEvent


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):  # a stored file: its name, not its content
        return value.name or ""
    return value


def snapshot(obj: models.Model, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The stored field values of ``obj`` as JSON-ready data (foreign keys as their ids)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or getattr(field, "audit_exclude", False):
            continue
        data[field.attname] = _plain(getattr(obj, field.attname))
    return data


def _follow(obj: Any, lookup: str) -> Any:
    for part in lookup.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


_PROVINCES: dict[str, str] = {}


def _province_of(commune_code: str) -> str:
    if commune_code not in _PROVINCES:
        from langso.geo.models import Commune

        found = Commune.objects.filter(code=commune_code).values_list("province_id", flat=True)
        province = found.first()
        if province is None:
            return ""
        _PROVINCES[commune_code] = province
    return _PROVINCES[commune_code]


def _place(obj: models.Model | None) -> dict[str, Any]:
    """Province, commune and village of an object, read through its area_fields."""
    fields = getattr(type(obj), "area_fields", None) if obj is not None else None
    place: dict[str, Any] = {"province_code": "", "commune_code": "", "village_id": None}
    if fields is None:
        return place
    for key, lookup in (
        ("province_code", fields.province),
        ("commune_code", fields.commune),
        ("village_id", fields.village),
    ):
        if not lookup:
            continue
        if lookup.endswith("commune__province_id"):
            # a commune's province never changes: read it once per process, not per event
            commune = _follow(obj, lookup.removesuffix("__province_id") + "_id")
            if commune is not None:
                place[key] = _province_of(commune)
            continue
        value: Any = obj
        for part in lookup.split("__"):
            value = getattr(value, part, None)
            if value is None:
                break
        if value is not None:
            place[key] = value
    return place


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_name": "system"}
    return {"actor": actor, "actor_name": actor.get_username()}


def record_change(
    *,
    actor: Any,
    action: Action,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
) -> ChangeEvent:
    """One create / update / delete of one object."""
    origin = context.current()
    return ChangeEvent.objects.create(
        **_actor_fields(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk) if obj.pk is not None else "",
        object_repr=str(obj)[:200],
        before=before,
        after=after,
        message=message[:300],
        source=origin.source,
        request_id=origin.request_id,
        ip_address=origin.ip_address,
        **_place(obj),
    )


def record_changes(
    *,
    actor: Any,
    action: Action,
    changes: list[tuple[models.Model, dict[str, Any] | None, str]],
) -> None:
    """Many creates (or updates) at once, one event per object as ``record_change`` writes
    it: (object, after, message) each, written in one statement."""
    origin = context.current()
    who = _actor_fields(actor)
    ChangeEvent.objects.bulk_create(
        [
            ChangeEvent(
                **who,
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk) if obj.pk is not None else "",
                object_repr=str(obj)[:200],
                after=after,
                message=message[:300],
                source=origin.source,
                request_id=origin.request_id,
                ip_address=origin.ip_address,
                **_place(obj),
            )
            for obj, after, message in changes
        ],
        batch_size=500,
    )


def record_batch(
    *,
    actor: Any,
    object_type: str,
    counts: dict[str, int],
    message: str,
    place: models.Model | None = None,
) -> ChangeEvent:
    """One entry for a bulk operation (import, load), with its counts."""
    origin = context.current()
    return ChangeEvent.objects.create(
        **_actor_fields(actor),
        action=Action.BATCH,
        object_type=object_type,
        object_repr=message[:200],
        counts=counts,
        message=message[:300],
        source=origin.source,
        request_id=origin.request_id,
        ip_address=origin.ip_address,
        **_place(place),
    )


def record_read(
    *,
    actor: Any,
    obj: models.Model | None = None,
    object_type: str = "",
    fields: tuple[str, ...] | list[str] = (),
    count: int = 1,
    message: str = "",
    place: models.Model | None = None,
) -> ChangeEvent:
    """Someone was shown sensitive personal data (ethnicity, health, ID numbers).

    One event per page, API answer or export, naming the fields and how many people's data.
    """
    origin = context.current()
    target = obj if obj is not None else place
    return ChangeEvent.objects.create(
        **_actor_fields(actor),
        action=Action.READ,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(str(obj) if obj is not None else message)[:200],
        after={"fields": sorted(fields)},
        counts={"people": count},
        message=message[:300],
        source=origin.source,
        request_id=origin.request_id,
        ip_address=origin.ip_address,
        **_place(target),
    )
