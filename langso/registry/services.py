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
from langso.audit.services import record_change, record_changes, snapshot
from langso.core import field_encryption
from langso.geo.models import LegacyProvince, Village
from langso.geo.names import clean, plain
from langso.registry import records
from langso.registry.models import (
    DigitalObservation,
    DigitalProfile,
    Household,
    Member,
    search_commune_of,
)
from langso.registry.profile import summarise
from langso.registry.records import (
    HouseholdRecord,
    MemberRecord,
    validate_household,
    validate_household_facts,
    validate_member,
)

# the override is set on a page, never from a file
HOUSEHOLD_FACTS = (*records.HOUSEHOLD_FACTS, "area_type_override")
MEMBER_FACTS = records.MEMBER_FACTS
DIGITAL_FACTS = records.DIGITAL_FIELDS
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
        search_commune=search_commune_of(household),
        full_name=clean(record.full_name),
        name_key=plain(record.full_name),
        given_key=records.given_key(plain(record.full_name)),
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
    if not actor.can(Capability.EDIT_HOUSEHOLDS):
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
    household: Household | None = None,
) -> DigitalObservation:
    """Record what was seen on a date; the current profile is the latest value of each field.

    ``household``: the household already read (and its scope checked) by the caller, e.g. a
    visit being recorded; otherwise it is read here within the actor's area."""
    if not actor.can(Capability.RECORD_OBSERVATIONS):
        raise PermissionDenied
    unknown = set(facts) - set(DIGITAL_FACTS)
    if unknown:
        raise ValueError(f"unknown digital facts: {sorted(unknown)}")
    if observed_on > timezone.localdate():
        raise ValidationError({"observed_on": ["ngày ghi nhận ở tương lai"]})
    level = facts.get("vneid_level")
    if level is not None and level not in (0, 1, 2):
        raise ValidationError({"vneid_level": ["mức VNeID chỉ là 0, 1 hoặc 2"]})
    with transaction.atomic(savepoint=False):  # inside a caller's: no savepoint
        if household is None or household.pk != household_id:
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
        refresh_profiles([household.pk])
    return observation


def digital_observe_many(
    *, actor: Any, observations: list[tuple[Household, dt.date, str, dict[str, object]]]
) -> list[DigitalObservation]:
    """Many dated observations at once (households already read and scope-checked by the
    caller, e.g. a batch of synced visits): same checks and audit as ``digital_observe``, the
    profiles rebuilt once."""
    if not actor.can(Capability.RECORD_OBSERVATIONS):
        raise PermissionDenied
    for _household, observed_on, _source, facts in observations:
        unknown = set(facts) - set(DIGITAL_FACTS)
        if unknown:
            raise ValueError(f"unknown digital facts: {sorted(unknown)}")
        if observed_on > timezone.localdate():
            raise ValidationError({"observed_on": ["ngày ghi nhận ở tương lai"]})
        if facts.get("vneid_level") not in (None, 0, 1, 2):
            raise ValidationError({"vneid_level": ["mức VNeID chỉ là 0, 1 hoặc 2"]})
    recorder = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic(savepoint=False):  # inside a caller's: no savepoint
        made = DigitalObservation.objects.bulk_create(
            [
                DigitalObservation(
                    household=household,
                    observed_on=observed_on,
                    source=source,
                    recorded_by=recorder,
                    **facts,
                )
                for household, observed_on, source, facts in observations
            ]
        )
        record_changes(
            actor=actor, action=Action.CREATE, changes=[(o, snapshot(o), "") for o in made]
        )
        refresh_profiles(sorted({o.household_id for o in made}))
    return made


def refresh_profiles(household_ids: list[int]) -> int:
    """Rebuild the current digital profile of these households from their observations."""
    rows: dict[int, list[dict]] = {hid: [] for hid in household_ids}
    last_seen: dict[int, dt.date] = {}
    for start in range(0, len(household_ids), 5000):
        chunk = household_ids[start : start + 5000]
        for row in DigitalObservation.objects.filter(household_id__in=chunk).values(
            "id", "household_id", "member_id", "observed_on", "recorded_at", *DIGITAL_FACTS
        ):
            row["order"] = (row["observed_on"], row["recorded_at"], row["id"])
            rows[row["household_id"]].append(row)
            seen = last_seen.get(row["household_id"])
            if seen is None or row["observed_on"] > seen:
                last_seen[row["household_id"]] = row["observed_on"]
    listed: dict[int, str | None] = {}
    for start in range(0, len(household_ids), 5000):
        chunk = household_ids[start : start + 5000]
        for hid, commune, active in Household.objects.filter(pk__in=chunk).values_list(
            "id", "commune_id", "is_active"
        ):
            listed[hid] = commune if active else None
    profiles = [
        DigitalProfile(
            household_id=hid,
            listed_commune=listed.get(hid),
            observed_on=last_seen[hid],
            **summarise(observed),
        )
        for hid, observed in rows.items()
        if observed
    ]
    with transaction.atomic(savepoint=False):  # inside a caller's: no savepoint
        DigitalProfile.objects.filter(household_id__in=household_ids).delete()
        DigitalProfile.objects.bulk_create(profiles, batch_size=2000)
    return len(profiles)


def _writable_household(actor: Any, household_id: int) -> Household:
    if not actor.can(Capability.EDIT_HOUSEHOLDS):
        raise PermissionDenied
    return (
        restrict(Household.objects.select_for_update(), actor, for_write=True)
        .filter(is_active=True)
        .get(pk=household_id)
    )


def _recount(household: Household) -> None:
    """Keep the household's member count and minority flag true to its active members."""
    active = list(household.members.filter(is_active=True).values_list("ethnicity", flat=True))
    household.member_count = len(active)
    household.is_ethnic_minority = any(code and code != "01" for code in active)
    Household.objects.filter(pk=household.pk).update(
        member_count=household.member_count, is_ethnic_minority=household.is_ethnic_minority
    )


def household_update(*, actor: Any, household_id: int, changes: dict[str, Any]) -> Household:
    """Change a household's address, village (within the actor's area) and facts; audited."""
    allowed = {"village_id", "address", *HOUSEHOLD_FACTS}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"unknown household fields: {sorted(unknown)}")
    _raise(validate_household_facts(changes))
    with transaction.atomic():
        household = _writable_household(actor, household_id)
        before = snapshot(household)
        if "village_id" in changes and changes["village_id"] != household.village_id:
            try:
                village = restrict(Village.objects.all(), actor, for_write=True).get(
                    pk=changes["village_id"]
                )
            except Village.DoesNotExist:
                raise ValidationError(
                    {"village": ["không có thôn này trong địa bàn của bạn"]}
                ) from None
            household.village = village
            household.commune_id = village.commune_id
        for name, value in changes.items():
            if name == "village_id":
                continue
            setattr(household, name, clean(value) if name == "address" else value)
        household.full_clean(exclude=["village", "commune", "code"])
        household.save()
        after = snapshot(household)
        if after != before:
            record_change(
                actor=actor, action=Action.UPDATE, obj=household, before=before, after=after
            )
    return household


def _check_id_unique_in_household(household: Household, id_number: str, member_id=None) -> None:
    if not id_number:
        return
    others = household.members.filter(
        is_active=True, id_number_hash=field_encryption.lookup_hash(id_number)
    )
    if member_id is not None:
        others = others.exclude(pk=member_id)
    if others.exists():
        raise ValidationError({"id_number": ["số CCCD trùng với một thành viên khác trong hộ"]})


def member_add(
    *, actor: Any, household_id: int, record: MemberRecord, today: dt.date | None = None
) -> Member:
    """A new member of a household (born, married in, moved in)."""
    today = today or timezone.localdate()
    _raise(validate_member(record, today=today, province_codes=cccd_province_codes()))
    with transaction.atomic():
        household = _writable_household(actor, household_id)
        if (
            record.relationship == "head"
            and household.members.filter(is_active=True, relationship="head").exists()
        ):
            raise ValidationError({"relationship": ["hộ đã có chủ hộ"]})
        _check_id_unique_in_household(household, record.id_number)
        member = _member(household, record)
        member.save()
        _recount(household)
        record_change(
            actor=actor,
            action=Action.CREATE,
            obj=member,
            after=snapshot(member, exclude=_AUDIT_EXCLUDE),
        )
    return member


def member_update(
    *,
    actor: Any,
    member_id: int,
    record: MemberRecord,
    today: dt.date | None = None,
    clear_id: bool = False,
) -> Member:
    """Correct a member's details. An empty ID number keeps the stored one unless ``clear_id``."""
    today = today or timezone.localdate()
    _raise(validate_member(record, today=today, province_codes=cccd_province_codes()))
    unknown = set(record.facts) - set(MEMBER_FACTS)
    if unknown:
        raise ValueError(f"unknown member facts: {sorted(unknown)}")
    with transaction.atomic():
        member = restrict(Member.objects.select_related("household"), actor, for_write=True).get(
            pk=member_id, is_active=True
        )
        household = _writable_household(actor, member.household_id)
        if record.relationship == "head" and member.relationship != "head":
            raise ValidationError({"relationship": ["muốn đổi chủ hộ, dùng chức năng đổi chủ hộ"]})
        if member.relationship == "head" and record.relationship != "head":
            raise ValidationError({"relationship": ["muốn đổi chủ hộ, dùng chức năng đổi chủ hộ"]})
        _check_id_unique_in_household(household, record.id_number, member.pk)
        before = snapshot(member, exclude=_AUDIT_EXCLUDE)
        member.full_name = clean(record.full_name)
        member.name_key = plain(record.full_name)
        member.given_key = records.given_key(member.name_key)
        member.sex = record.sex
        member.birth_date = record.birth_date
        member.birth_year = record.birth_year
        member.ethnicity = record.ethnicity
        member.relationship = record.relationship
        member.phone = record.phone
        if record.id_number or clear_id:
            member.id_number_encrypted = field_encryption.encrypt(record.id_number)
            member.id_number_hash = field_encryption.lookup_hash(record.id_number)
            member.id_number_last4 = record.id_number[-4:]
        for name in MEMBER_FACTS:
            if name in record.facts:
                setattr(member, name, record.facts[name])
        member.save()
        _recount(household)
        after = snapshot(member, exclude=_AUDIT_EXCLUDE)
        if after != before:
            record_change(actor=actor, action=Action.UPDATE, obj=member, before=before, after=after)
    return member


class LeaveReason:
    MOVED = "moved"
    DIED = "died"
    CHOICES = (MOVED, DIED)


def member_leave(*, actor: Any, member_id: int, reason: str) -> Member:
    """A member moved away or died: kept for history, no longer counted in the household."""
    if reason not in LeaveReason.CHOICES:
        raise ValidationError({"reason": ["lý do không hợp lệ"]})
    with transaction.atomic():
        member = restrict(Member.objects.all(), actor, for_write=True).get(
            pk=member_id, is_active=True
        )
        household = _writable_household(actor, member.household_id)
        if member.relationship == "head":
            raise ValidationError({"relationship": ["hãy đổi chủ hộ trước khi chủ hộ rời hộ"]})
        member.is_active = False
        member.save(update_fields=["is_active"])
        _recount(household)
        record_change(
            actor=actor,
            action=Action.UPDATE,
            obj=member,
            before={"is_active": True},
            after={"is_active": False},
            message=f"rời hộ: {reason}",
        )
    return member


def head_change(*, actor: Any, household_id: int, new_head_id: int) -> Household:
    """Make another active member the head; the old head becomes 'other' (edit it after)."""
    with transaction.atomic():
        household = _writable_household(actor, household_id)
        members = {m.pk: m for m in household.members.filter(is_active=True)}
        if new_head_id not in members:
            raise ValidationError({"member": ["người này không thuộc hộ"]})
        old = [m for m in members.values() if m.relationship == "head"]
        for m in old:
            Member.objects.filter(pk=m.pk).update(relationship="other")
        Member.objects.filter(pk=new_head_id).update(relationship="head")
        record_change(
            actor=actor,
            action=Action.UPDATE,
            obj=household,
            before={"head": [m.pk for m in old]},
            after={"head": [new_head_id]},
            message="đổi chủ hộ",
        )
    return household
