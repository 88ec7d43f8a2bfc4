"""Builders for the outreach page, API and portal tests: announcements, stations and devices
made through the services, as an officer would (plain functions, imported where used).

Places: ``HOME`` is Phường Thục Phán (Cao Bằng, 04), ``NEIGHBOUR`` another commune of Cao
Bằng, ``ELSEWHERE`` Phường Bắc Giang (Bắc Ninh, 24).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone

from langso.outreach.models import Announcement, Device
from langso.outreach.queries import forget_slots
from langso.outreach.services import (
    Draft,
    announcement_approve,
    announcement_create,
    announcement_send_emergency,
    announcement_submit,
)
from langso.outreach.setup import device_register, slot_add, station_create
from tests.factories.accounts import commune_officer, province_admin

HOME = "01273"
NEIGHBOUR = "01290"  # Xã Bảo Lâm, Cao Bằng
ELSEWHERE = "07210"


@pytest.fixture(autouse=True)
def fresh_cache():
    """The portal's feedback form counts posts per address in the cache, and each process keeps
    stations' slots a minute: start each test without either."""
    cache.clear()
    forget_slots()
    yield
    cache.clear()


def draft(**kw: Any) -> Draft:
    """A draft valid from an hour ago for a week, sent to the whole of ``HOME``."""
    now = timezone.now()
    kw.setdefault("title", "Lịch tiêm chủng mở rộng tháng này")
    kw.setdefault("body", "Đề nghị các hộ có trẻ dưới 5 tuổi đưa trẻ đến trạm y tế lúc 7h30.")
    kw.setdefault("category", "health")
    kw.setdefault("priority", "normal")
    kw.setdefault("valid_from", now - dt.timedelta(hours=1))
    kw.setdefault("valid_until", now + dt.timedelta(days=7))
    if not kw.get("whole_province") and not kw.get("village_ids"):
        kw.setdefault("commune_codes", [HOME])
    return Draft(**kw)


def _author(commune: str | None, province: str | None) -> Any:
    return province_admin(province) if province else commune_officer(commune)


def announcement(
    *, author: Any = None, commune: str | None = HOME, province: str | None = None, **kw: Any
) -> Announcement:
    """A draft of ``commune`` (or, with ``province``, of the province) by ``author``."""
    if province:
        commune = None
        kw.setdefault("commune_codes", [])
        kw.setdefault("whole_province", not kw["commune_codes"])
    elif commune != HOME:
        kw.setdefault("commune_codes", [commune])
    author = author or _author(commune, province)
    return announcement_create(
        actor=author,
        draft=draft(**kw),
        commune_code=commune,
        province_code=province,
    )


def published(
    *, author: Any = None, approver: Any = None, audio: bool = False, **kw: Any
) -> Announcement:
    """An announcement drafted, submitted and approved by a second officer of the same unit.

    With ``audio``, the dispatch job runs (espeak-ng reads it into an MP3) as it would after the
    request's commit; without, the job is left queued so page tests stay fast.
    """
    made = announcement(author=author, **kw)
    announcement_submit(actor=made.created_by, announcement_id=made.pk)
    approver = approver or _author(made.commune_id, None if made.commune_id else made.province_id)
    with TestCase.captureOnCommitCallbacks(execute=audio):
        announcement_approve(actor=approver, announcement_id=made.pk)
    made.refresh_from_db()
    return made


def emergency(*, audio: bool = False, **kw: Any) -> Announcement:
    """An emergency sent at once through the logged fast path."""
    kw.setdefault("title", "Cảnh báo lũ quét")
    kw.setdefault("body", "Mưa lớn, nguy cơ lũ quét. Người dân không qua ngầm tràn.")
    kw.setdefault("category", "disaster")
    made = announcement(priority="emergency", **kw)
    with TestCase.captureOnCommitCallbacks(execute=audio):
        announcement_send_emergency(
            actor=made.created_by, announcement_id=made.pk, reason="Lũ đang về"
        )
    made.refresh_from_db()
    return made


def station(commune: str = HOME, *, slots: bool = True, actor: Any = None):
    """A commune radio station, with a programme slot every day from 06:00 to 06:30."""
    actor = actor or commune_officer(commune)
    made = station_create(actor=actor, commune_code=commune, name="Đài truyền thanh xã")
    if slots:
        slot_add(
            actor=actor,
            station_id=made.pk,
            starts_at=dt.time(6, 0),
            ends_at=dt.time(6, 30),
            weekdays="1234567",
            name="Bản tin sáng",
        )
    return made


def cluster(
    commune: str = HOME, *, name: str = "Cụm loa trung tâm", village: Any = None, at: Any = None
) -> tuple[Device, str]:
    """A loudspeaker cluster of ``commune`` (on ``at``, else on a new station) and its token."""
    actor = commune_officer(commune)
    at = at or station(commune, actor=actor)
    return device_register(
        actor=actor,
        kind="cluster",
        commune_code=commune,
        name=name,
        station_id=at.pk,
        village_id=village.pk if village else None,
    )


def board(
    commune: str = HOME, *, name: str = "Bảng tin nhà văn hóa", village: Any = None
) -> tuple[Device, str]:
    """An electronic bulletin board of ``commune`` and its token."""
    return device_register(
        actor=commune_officer(commune),
        kind="board",
        commune_code=commune,
        name=name,
        village_id=village.pk if village else None,
    )
