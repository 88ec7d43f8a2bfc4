"""Write operations on the registry: households with members, digital observations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from langso.accounts.roles import Capability
from langso.accounts.scope import restrict
from langso.audit.models import Action
from langso.audit.services import record_change, snapshot
from langso.core import field_encryption
from langso.geo.models import LegacyProvince, Village
from langso.geo.names import clean, plain
from langso.registry import records
from langso.registry.models import DigitalObservation, Household, Member
from langso.registry.records import HouseholdRecord, MemberRecord, validate_household

# the override is set on a page, never from a file
HOUSEHOLD_FACTS = (*records.HOUSEHOLD_FACTS, "area_type_override")
MEMBER_FACTS = records.MEMBER_FACTS
DIGITAL_FACTS = tuple(
    f.name
    for f in DigitalObservation._meta.concrete_fields
    if f.name.startswith(("has_", "hears_", "uses_", "pays_", "buys_", "sells_", "vneid_"))
)
# Audit rows must not carry the ID number, even encrypted.
_AUDIT_EXCLUDE = frozenset({"id_number_encrypted", "id_number_hash"})


def cccd_province_codes() -> frozenset[str]:
    """CCCD numbers carry the (pre-2025) province where the birth was registered."""
    return frozenset(LegacyProvince.objects.values_list("code", flat=True))


def _raise(problems) -> None:
    if problems:
        errors: dict[str, list[str]] = {}
        for p in problems:
            errors.setdefault(p.field, []).append(p.reason)
        raise ValidationError(errors)


def _member(household: Household, record: MemberRecord) -> Member:
    unknown = set(record.facts) - set(MEMBER_FACTS)
    if unknown:
        raise ValueError(f"unknown member facts: {sorted(unknown)}")
    return Member(
        household=household,
        full_name=clean(record.full_name),
        name_key=plain(record.full_name),
        sex=record.sex,
        birth_date=record.birth_date,
        birth_year=record.birth_year,
        ethnicity=record.ethnicity,
        relationship=record.relationship,
        id_number_encrypted=field_encryption.encrypt(record.id_number),
        id_number_hash=field_encryption.lookup_hash(record.id_number),
        id_number_last4=record.id_number[-4:],
        phone=record.phone,
        **record.facts,
    )


def _next_code(village: Village) -> str:
    prefix = f"{village.commune_id}-"
    last = (
        Household.objects.filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    return f"{prefix}{number:06d}"


def household_create(*, actor: Any, record: HouseholdRecord, today: dt.date | None = None):
    """A household with its members, in a village of the actor's area.

    Raises ValidationError with one entry per field path ("members[1].id_number") and writes
    nothing if anything is wrong.
    """
    if not actor.can(Capability.EDIT_VILLAGES):
        raise PermissionDenied
    today = today or timezone.localdate()
    _raise(validate_household(record, today=today, province_codes=cccd_province_codes()))
    unknown = set(record.facts) - set(HOUSEHOLD_FACTS)
    if unknown:
        raise ValueError(f"unknown household facts: {sorted(unknown)}")
    with transaction.atomic():
        try:
            village = restrict(
                Village.objects.select_related("commune"), actor, for_write=True
            ).get(pk=record.village_id)
        except Village.DoesNotExist:
            raise ValidationError(
                {"village": ["không có thôn này trong địa bàn của bạn"]}
            ) from None
        code = record.code.strip() or _next_code(village)
        if Household.objects.filter(code=code).exists():
            raise ValidationError({"code": [f"mã hộ {code} đã có"]})
        household = Household.objects.create(
            code=code,
            commune_id=village.commune_id,
            village=village,
            address=clean(record.address),
            member_count=len(record.members),
            is_ethnic_minority=any(m.ethnicity and m.ethnicity != "01" for m in record.members),
            **record.facts,
        )
        members = Member.objects.bulk_create([_member(household, m) for m in record.members])
        record_change(
            actor=actor,
            action=Action.CREATE,
            obj=household,
            after={
                **snapshot(household),
                "members": [snapshot(m, exclude=_AUDIT_EXCLUDE) for m in members],
            },
        )
    return household


def digital_observe(
    *,
    actor: Any,
    household_id: int,
    observed_on: dt.date,
    source: str,
    facts: dict[str, object],
    member_id: int | None = None,
) -> DigitalObservation:
    """Record what was seen on a date; the current profile is the latest value of each field."""
    unknown = set(facts) - set(DIGITAL_FACTS)
    if unknown:
        raise ValueError(f"unknown digital facts: {sorted(unknown)}")
    if observed_on > timezone.localdate():
        raise ValidationError({"observed_on": ["ngày ghi nhận ở tương lai"]})
    level = facts.get("vneid_level")
    if level is not None and level not in (0, 1, 2):
        raise ValidationError({"vneid_level": ["mức VNeID chỉ là 0, 1 hoặc 2"]})
    with transaction.atomic():
        household = restrict(Household.objects.all(), actor).get(pk=household_id)
        if member_id is not None and not household.members.filter(pk=member_id).exists():
            raise ValidationError({"member": ["người này không thuộc hộ"]})
        observation = DigitalObservation.objects.create(
            household=household,
            member_id=member_id,
            observed_on=observed_on,
            source=source,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            **facts,
        )
        record_change(
            actor=actor, action=Action.CREATE, obj=observation, after=snapshot(observation)
        )
    return observation
