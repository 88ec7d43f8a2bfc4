"""Probable duplicate people and households: finding them in a user's area, and an officer's
decision on each pair (merge, keeping history, or dismiss as different).

Finding runs in SQL: GROUP BY the ID hash, or commune + plain name + birth year, HAVING more
than one record, one page at a time with its total in the same pass (``COUNT(*) OVER ()``); only
the members of the groups on the page are loaded. On a province of a million households a
commune's list takes a fraction of a second; the whole province takes seconds (one pass over
its members), so the page lets a province user narrow to one commune.

* People, **same ID number**: active members sharing a CCCD hash, anywhere in the user's area.
* People, **same name and birth year**: same plain name (no diacritics) and birth year, in the
  same commune, in different households (pairs sharing one ID number are listed as the above).
* Households: active households whose heads are such a pair.

Pairs dismissed by an officer (``DuplicateDismissal``) are left out. The pure rules (pairs,
default survivor, blanks to fill) are in ``dedup_rules``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import CharField, Count, F, Max, Min, Q, QuerySet, Value, Window
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from langso.accounts.roles import Capability
from langso.accounts.scope import restrict
from langso.audit.models import Action
from langso.audit.services import record_change, snapshot
from langso.registry import dedup_rules, queries
from langso.registry.dedup_rules import SAME_ID, SAME_NAME_YEAR, Candidate, Pair
from langso.registry.models import (
    Consent,
    DigitalObservation,
    DuplicateDismissal,
    DuplicateKind,
    Household,
    Member,
    Relationship,
)
from langso.registry.services import (
    _AUDIT_EXCLUDE,
    HOUSEHOLD_FACTS,
    MEMBER_FACTS,
    _recount,
    _writable_household,
    refresh_profiles,
)

PERSON = DuplicateKind.PERSON.value
HOUSEHOLD = DuplicateKind.HOUSEHOLD.value
KINDS = (PERSON, HOUSEHOLD)
REASON_LABELS = {
    SAME_ID: _("cùng số CCCD"),
    SAME_NAME_YEAR: _("cùng họ tên và năm sinh"),
}
# What a merge may copy onto the kept member when it does not know it (the ID number, kept as
# three columns, is handled on its own).
PERSON_FILL_FIELDS = ("birth_date", "ethnicity", "phone", *MEMBER_FACTS)
PERSON_COMPARE_FIELDS = ("full_name", "sex", "birth_year", *PERSON_FILL_FIELDS)
HOUSEHOLD_FILL_FIELDS = ("address", *HOUSEHOLD_FACTS)


# ---------------------------------------------------------------------------------------------
# Finding


def _candidates(user: Any, kind: str, commune: str | None = None) -> QuerySet[Member]:
    members = queries.members_for(user).filter(
        is_active=True, erased_at__isnull=True, household__is_active=True
    )
    if commune:
        members = members.filter(household__commune_id=commune)
    return members.filter(relationship="head") if kind == HOUSEHOLD else members


def _pair_text(first: Any, second: Any) -> Concat:
    return Concat(
        Cast(first, CharField()), Value("-"), Cast(second, CharField()), output_field=CharField()
    )


def _dismissed(kind: str) -> Q:
    """A group of exactly two whose pair an officer dismissed (bigger groups are paired in
    Python). The subquery is not correlated, so it is computed once, not per group."""
    pairs = DuplicateDismissal.objects.filter(kind=kind).values_list(
        _pair_text(F("first_id"), F("second_id")), flat=True
    )
    return Q(n_records=2, pair__in=pairs)


def _same_id_groups(user: Any, kind: str, commune: str | None = None) -> QuerySet:
    """One row per ID number shared by two or more records (households: two or more
    households). Plain MIN/MAX/COUNT, no DISTINCT, so the database can hash-aggregate."""
    key = "household_id" if kind == HOUSEHOLD else "id"
    return (
        _candidates(user, kind, commune)
        .exclude(id_number_hash="")
        .values("id_number_hash")
        .annotate(
            n_records=Count("id"), lo=Min(key), hi=Max(key), pair=_pair_text(Min(key), Max(key))
        )
        .filter(lo__lt=F("hi"))
        .exclude(_dismissed(kind))
        .order_by("lo", "id_number_hash")  # the oldest record first
    )


def _same_name_groups(user: Any, kind: str, commune: str | None = None) -> QuerySet:
    """One row per (commune, plain name, birth year) found in two or more households."""
    key = "household_id" if kind == HOUSEHOLD else "id"
    has_id = ~Q(id_number_hash="")
    return (
        _candidates(user, kind, commune)
        .exclude(name_key="")
        .values("household__commune_id", "name_key", "birth_year")
        .annotate(
            n_records=Count("id"),
            with_id=Count("id", filter=has_id),
            lo_household=Min("household_id"),
            hi_household=Max("household_id"),
            lo_hash=Min("id_number_hash"),
            hi_hash=Max("id_number_hash"),
            pair=_pair_text(Min(key), Max(key)),
            oldest=Min("id"),
        )
        .filter(lo_household__lt=F("hi_household"))
        # everyone has one and the same ID number: listed as "same ID number" already
        .exclude(n_records=F("with_id"), lo_hash=F("hi_hash"))
        .exclude(_dismissed(kind))
        # the oldest record first. Not the grouping columns: ordered like an index, a page
        # (LIMIT 20) tempts the planner into walking the whole name index, for every user.
        .order_by("oldest", "household__commune_id", "name_key", "birth_year")
    )


class _GroupKeys:
    """Group rows for Django's Paginator. The total comes with the page (``COUNT(*) OVER ()``),
    so a page costs one pass over the area's members, not one for the count and one for the
    rows."""

    def __init__(self, groups: QuerySet, *, reason: str, start: int, per_page: int) -> None:
        self.groups = groups
        self.reason = reason
        self.start, self.per_page = start, per_page
        self.rows: list[dict] | None = None
        self.total: int | None = None

    def _fetch(self, start: int) -> list[dict]:
        rows = list(self.groups.annotate(total=Window(Count("*")))[start : start + self.per_page])
        self.start, self.rows = start, rows
        if rows:
            self.total = rows[0]["total"]
        return rows

    def count(self) -> int:
        if self.total is None:
            self._fetch(self.start)
        if self.total is None:  # nothing at all, or a page past the end
            self.total = self.groups.count() if self.start else 0
        return self.total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[tuple[str, dict]]:
        if not isinstance(index, slice):
            raise TypeError("group keys are read a page at a time")
        start = index.start or 0
        stop = index.stop if index.stop is not None else start + self.per_page
        rows = self.rows if self.rows is not None and start == self.start else self._fetch(start)
        return [(self.reason, row) for row in rows[: stop - start]]


@dataclass
class GroupRecord:
    """One record of a group as the list shows it (no ID number: only its last four digits)."""

    id: int  # the member (for household groups: the head)
    household_id: int
    household_code: str
    village: str
    commune: str
    full_name: str
    birth_year: int
    sex: str
    relationship: str
    last4: str
    member_count: int


@dataclass
class PairLink:
    first: int
    second: int
    label: str


@dataclass
class DuplicateGroup:
    kind: str
    reason: str
    records: list[GroupRecord]
    pairs: list[Pair] = field(default_factory=list)
    links: list[PairLink] = field(default_factory=list)

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS[self.reason])


_RECORD_VALUES = (
    "id",
    "household_id",
    "household__code",
    "household__village__name",
    "household__commune__name",
    "household__commune_id",
    "household__member_count",
    "full_name",
    "name_key",
    "birth_year",
    "sex",
    "relationship",
    "id_number_hash",
    "id_number_last4",
)


def _hydrate(
    user: Any, kind: str, keys: list[tuple[str, dict]], commune: str | None = None
) -> list[DuplicateGroup]:
    """The members of the groups on one page, their pairs, less the dismissed ones."""
    hashes = [row["id_number_hash"] for reason, row in keys if reason == SAME_ID]
    names = Q(pk__in=[])
    for reason, row in keys:
        if reason == SAME_NAME_YEAR:
            names |= Q(
                household__commune_id=row["household__commune_id"],
                name_key=row["name_key"],
                birth_year=row["birth_year"],
            )
    rows = list(
        _candidates(user, kind, commune)
        .filter(Q(id_number_hash__in=hashes) | names)
        .order_by("household__code", "id")
        .values(*_RECORD_VALUES)
    )
    pair_key = "household_id" if kind == HOUSEHOLD else "id"
    ids = {r[pair_key] for r in rows}
    dismissed = set(
        DuplicateDismissal.objects.filter(
            kind=kind, first_id__in=ids, second_id__in=ids
        ).values_list("first_id", "second_id")
    )
    groups = []
    for reason, key in keys:
        if reason == SAME_ID:
            members = [r for r in rows if r["id_number_hash"] == key["id_number_hash"]]
        else:
            members = [
                r
                for r in rows
                if (r["household__commune_id"], r["name_key"], r["birth_year"])
                == (key["household__commune_id"], key["name_key"], key["birth_year"])
            ]
        candidates = [Candidate(r["id"], r["household_id"], r["id_number_hash"]) for r in members]
        pairing = dedup_rules.household_pairs if kind == HOUSEHOLD else dedup_rules.pairs
        pairs = pairing(candidates, reason=reason, dismissed=dismissed)
        if not pairs:
            continue  # every pair of a bigger group was dismissed
        records = [_group_record(r) for r in members]
        by_id = {getattr(r, pair_key): r for r in records}
        links = [
            PairLink(a, b, f"{_short(by_id[a], kind)} ↔ {_short(by_id[b], kind)}") for a, b in pairs
        ]
        groups.append(DuplicateGroup(kind, reason, records, pairs, links))
    return groups


def _group_record(r: dict) -> GroupRecord:
    return GroupRecord(
        id=r["id"],
        household_id=r["household_id"],
        household_code=r["household__code"],
        village=r["household__village__name"],
        commune=r["household__commune__name"],
        full_name=r["full_name"],
        birth_year=r["birth_year"],
        sex=r["sex"],
        relationship=r["relationship"],
        last4=r["id_number_last4"],
        member_count=r["household__member_count"],
    )


def _short(record: GroupRecord, kind: str) -> str:
    if kind == HOUSEHOLD:
        return record.household_code
    return f"{record.full_name} ({record.household_code})"


def duplicate_groups(
    user: Any,
    *,
    kind: str = PERSON,
    reason: str = SAME_ID,
    page: int | str | None = 1,
    per_page: int = 20,
    commune: str | None = None,
) -> Page:
    """One page of probable duplicate groups of one kind and reason in the user's area (or in
    one commune of it: much quicker for a whole province, but blind to pairs across communes).

    ``page.object_list`` holds ``DuplicateGroup``s. A group of three or more whose every pair was
    dismissed is dropped from its page (rare: it takes three dismissals).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind: {kind}")
    if reason not in dedup_rules.REASONS:
        raise ValueError(f"unknown reason: {reason}")
    groups = (_same_id_groups if reason == SAME_ID else _same_name_groups)(user, kind, commune)
    try:
        number = max(int(page or 1), 1)
    except (TypeError, ValueError):
        number = 1
    keys = _GroupKeys(groups, reason=reason, start=(number - 1) * per_page, per_page=per_page)
    result = Paginator(keys, per_page).get_page(page)
    result.object_list = _hydrate(user, kind, list(result.object_list), commune)
    return result


# ---------------------------------------------------------------------------------------------
# Comparing two records


@dataclass
class Side:
    """One side of a comparison: a member (people) or a household with its active members."""

    kind: str
    id: int
    household: Household
    member: Member | None
    members: list[Member]
    observations: int
    consents: int
    known: int

    @property
    def summary(self) -> dedup_rules.Summary:
        return dedup_rules.Summary(self.id, self.known, self.observations + self.consents)


@dataclass
class Comparison:
    kind: str
    first: Side
    second: Side
    suggested_keep: int
    rows: list[tuple[str, Any, Any, bool]]  # label, left, right, differ


def _member_side(user: Any, member_id: int) -> Side:
    member = (
        queries.members_for(user)
        .select_related("household__village", "household__commune")
        .get(pk=member_id, is_active=True, household__is_active=True)
    )
    values = {name: getattr(member, name) for name in PERSON_FILL_FIELDS}
    known = dedup_rules.known_count(values) + (1 if member.id_number_hash else 0)
    return Side(
        kind=PERSON,
        id=member.pk,
        household=member.household,
        member=member,
        members=[member],
        observations=DigitalObservation.objects.filter(member=member).count(),
        consents=Consent.objects.filter(member=member).count(),
        known=known,
    )


def _household_side(user: Any, household_id: int) -> Side:
    household = queries.households_for(user).get(pk=household_id, is_active=True)
    members = list(household.members.filter(is_active=True).order_by("id"))
    values = {name: getattr(household, name) for name in HOUSEHOLD_FILL_FIELDS}
    return Side(
        kind=HOUSEHOLD,
        id=household.pk,
        household=household,
        member=next((m for m in members if m.relationship == "head"), None),
        members=members,
        observations=DigitalObservation.objects.filter(household=household).count(),
        consents=Consent.objects.filter(member__household=household).count(),
        known=dedup_rules.known_count(values) + len(members),
    )


def _display(obj: Any, name: str) -> Any:
    value = getattr(obj, name)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("có") if value else _("không"))
    getter = getattr(obj, f"get_{name}_display", None)
    return getter() if getter is not None else value


def compare(user: Any, *, kind: str, first_id: int, second_id: int) -> Comparison:
    """Two records side by side. Either missing or outside the user's area: DoesNotExist."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind: {kind}")
    side = _member_side if kind == PERSON else _household_side
    first, second = side(user, first_id), side(user, second_id)
    rows: list[tuple[str, Any, Any, bool]] = []

    def add(obj_a: Any, obj_b: Any, name: str, label: str, *, always: bool = False) -> None:
        a, b = _display(obj_a, name), _display(obj_b, name)
        if always or a != "" or b != "":  # facts nobody knows are left out
            rows.append((label, a, b, a != b))

    head_label = str(Relationship.HEAD.label)
    if kind == HOUSEHOLD:
        for name in HOUSEHOLD_FILL_FIELDS:
            add(first.household, second.household, name, _field_label(Household, name))
    names = ("full_name", "sex", "birth_date", "birth_year", "relationship", "phone")
    if kind == PERSON:
        names = (*names, "work_status", "education", "has_health_insurance", "in_school")
    if first.member is not None and second.member is not None:
        for name in names:
            label = _field_label(Member, name)
            if kind == HOUSEHOLD:
                label = f"{head_label}: {label}"
            identity = name in ("full_name", "sex", "birth_year", "relationship")
            add(first.member, second.member, name, label, always=identity)
    suggested = dedup_rules.default_survivor(first.summary, second.summary)
    return Comparison(kind, first, second, suggested, rows)


# ---------------------------------------------------------------------------------------------
# Decisions: dismiss, merge people, merge households (one transaction each, audited)


def _writable_member(actor: Any, member_id: int) -> Member:
    if not actor.can(Capability.EDIT_HOUSEHOLDS):
        raise PermissionDenied
    return (
        restrict(Member.objects.select_for_update(), actor, for_write=True)
        .filter(is_active=True, household__is_active=True)
        .get(pk=member_id)
    )


def duplicate_dismiss(
    *, actor: Any, kind: str, first_id: int, second_id: int, note: str = ""
) -> DuplicateDismissal:
    """Record that two flagged records are different: the pair is no longer listed."""
    if not actor.can(Capability.EDIT_HOUSEHOLDS):
        raise PermissionDenied
    if kind not in KINDS:
        raise ValidationError({"kind": ["loại không hợp lệ"]})
    if first_id == second_id:
        raise ValidationError({"second_id": ["hai bản ghi phải khác nhau"]})
    first_id, second_id = dedup_rules.ordered(first_id, second_id)
    with transaction.atomic():
        if kind == PERSON:
            first = _writable_member(actor, first_id)
            _writable_member(actor, second_id)
            commune_id = Household.objects.values_list("commune_id", flat=True).get(
                pk=first.household_id
            )
        else:
            commune_id = _writable_household(actor, first_id).commune_id
            _writable_household(actor, second_id)
        if DuplicateDismissal.objects.filter(
            kind=kind, first_id=first_id, second_id=second_id
        ).exists():
            raise ValidationError({"second_id": ["cặp này đã được đánh dấu là không trùng"]})
        dismissal = DuplicateDismissal.objects.create(
            kind=kind,
            first_id=first_id,
            second_id=second_id,
            commune_id=commune_id,
            dismissed_by=actor if getattr(actor, "is_authenticated", False) else None,
            note=note.strip()[:200],
        )
        record_change(
            actor=actor,
            action=Action.CREATE,
            obj=dismissal,
            after=snapshot(dismissal),
            message=f"không trùng: {kind} {first_id} và {second_id}",
        )
    return dismissal


@dataclass
class MergeResult:
    kept: Any  # Member or Household
    dropped: Any
    filled: list[str] = field(default_factory=list)  # fields copied onto the kept record
    # both known, different: the kept value stays. Field names ("members[12].education" for a
    # member of a merged household), and the same as words for the officer.
    conflicts: list[str] = field(default_factory=list)
    conflict_labels: list[str] = field(default_factory=list)
    closed_household: int | None = None  # a household left empty and merged away


def _field_label(model: type, name: str) -> str:
    if name == "id_number":
        return str(_("số CCCD"))
    return str(model._meta.get_field(name).verbose_name)


def _member_values(member: Member) -> dict[str, Any]:
    return {name: getattr(member, name) for name in PERSON_COMPARE_FIELDS}


def _merge_people(keep: Member, drop: Member) -> tuple[list[str], list[str], dict[str, int]]:
    """Fill the kept member's blanks, move the dropped one's history, retire the dropped one.

    No checks and no audit: the callers do both.
    """
    filled = dedup_rules.fill_blanks(_member_values(keep), _member_values(drop), PERSON_FILL_FIELDS)
    conflicts = dedup_rules.conflicts(
        _member_values(keep), _member_values(drop), PERSON_COMPARE_FIELDS
    )
    for name, value in filled.items():
        setattr(keep, name, value)
    names = list(filled)
    if drop.id_number_hash and not keep.id_number_hash:
        keep.id_number_encrypted = drop.id_number_encrypted
        keep.id_number_hash = drop.id_number_hash
        keep.id_number_last4 = drop.id_number_last4
        names.append("id_number")
    elif drop.id_number_hash and drop.id_number_hash != keep.id_number_hash:
        conflicts.append("id_number")
    if drop.relationship == "head" and drop.household_id == keep.household_id:
        keep.relationship = "head"  # the same person heads the household
    keep.save()
    moved = {
        "observations": DigitalObservation.objects.filter(member=drop).update(
            member=keep, household_id=keep.household_id
        ),
        "consents": Consent.objects.filter(member=drop).update(member=keep),
    }
    drop.is_active = False
    drop.merged_into = keep
    drop.save(update_fields=["is_active", "merged_into"])
    return names, conflicts, moved


def person_merge(*, actor: Any, keep_id: int, drop_id: int) -> MergeResult:
    """Two records of one person become one: the kept member gains what only the dropped one
    knew (blanks only), and its observations and consents; the dropped row stays, inactive,
    pointing to the kept one. A household left with nobody is merged into the kept's household.
    """
    if keep_id == drop_id:
        raise ValidationError({"drop_id": ["không thể gộp một người với chính họ"]})
    with transaction.atomic():
        # lock in id order, so two officers merging the same pair cannot deadlock
        locked = {pk: _writable_member(actor, pk) for pk in sorted((keep_id, drop_id))}
        keep, drop = locked[keep_id], locked[drop_id]
        households = {
            pk: _writable_household(actor, pk)
            for pk in sorted({keep.household_id, drop.household_id})
        }
        kept_household, drop_household = (
            households[keep.household_id],
            households[drop.household_id],
        )
        separate = kept_household.pk != drop_household.pk
        left_behind = drop_household.members.filter(is_active=True).exclude(pk=drop.pk)
        if separate and drop.relationship == "head" and left_behind.exists():
            raise ValidationError(
                {
                    "drop_id": [
                        "người bỏ đi là chủ hộ của một hộ còn người khác: "
                        "hãy gộp hai hộ, hoặc đổi chủ hộ trước"
                    ]
                }
            )
        before = {
            "kept": snapshot(keep, exclude=_AUDIT_EXCLUDE),
            "dropped": snapshot(drop, exclude=_AUDIT_EXCLUDE),
        }
        filled, conflicts, moved = _merge_people(keep, drop)
        closed = None
        if separate and not left_behind.exists():
            # the dropped household was only this person: it joins the kept one, for history
            moved["household_observations"] = DigitalObservation.objects.filter(
                household=drop_household
            ).update(household=kept_household)
            drop_household.is_active = False
            drop_household.merged_into = kept_household
            drop_household.save(update_fields=["is_active", "merged_into", "updated_at"])
            closed = drop_household.pk
        for household in households.values():
            _recount(household)
        refresh_profiles(sorted(households))
        record_change(
            actor=actor,
            action=Action.UPDATE,
            obj=keep,
            before=before,
            after={
                "kept": snapshot(keep, exclude=_AUDIT_EXCLUDE),
                "dropped": snapshot(drop, exclude=_AUDIT_EXCLUDE),
                "filled": filled,
                "conflicts": conflicts,
                "moved": moved,
                "closed_household": closed,
            },
            message=f"gộp người trùng: giữ {keep.pk}, bỏ {drop.pk}",
        )
    labels = [_field_label(Member, name) for name in conflicts]
    return MergeResult(keep, drop, filled, conflicts, labels, closed)


def _person(member: Member) -> dedup_rules.Person:
    return dedup_rules.Person(member.pk, member.name_key, member.birth_year, member.id_number_hash)


def household_merge(*, actor: Any, keep_id: int, drop_id: int) -> MergeResult:
    """Two records of one household become one. The dropped household's members move to the
    kept one, except those who are already there (same ID number, or same name and birth year),
    who are merged person by person; a dropped head becomes "other" when the kept household has
    a head. Observations move too; the dropped household stays, inactive, pointing to the kept.
    """
    if keep_id == drop_id:
        raise ValidationError({"drop_id": ["không thể gộp một hộ với chính nó"]})
    with transaction.atomic():
        locked = {pk: _writable_household(actor, pk) for pk in sorted((keep_id, drop_id))}
        keep, drop = locked[keep_id], locked[drop_id]
        kept_members = list(keep.members.select_for_update().filter(is_active=True).order_by("id"))
        dropped_members = list(
            drop.members.select_for_update().filter(is_active=True).order_by("id")
        )
        before = {
            "kept": snapshot(keep),
            "dropped": snapshot(drop),
            "kept_members": [snapshot(m, exclude=_AUDIT_EXCLUDE) for m in kept_members],
            "dropped_members": [snapshot(m, exclude=_AUDIT_EXCLUDE) for m in dropped_members],
        }
        matches = dedup_rules.match_people(
            [_person(m) for m in kept_members], [_person(m) for m in dropped_members]
        )
        by_id = {m.pk: m for m in kept_members}
        has_head = any(m.relationship == "head" for m in kept_members)
        merged_people: list[dict[str, Any]] = []
        moved_people: list[int] = []
        member_conflicts: list[str] = []
        member_labels: list[str] = []
        for member in dropped_members:
            if member.pk in matches:
                kept_member = by_id[matches[member.pk]]
                filled_in, differ, moved = _merge_people(kept_member, member)
                merged_people.append(
                    {"kept": kept_member.pk, "dropped": member.pk, "filled": filled_in, **moved}
                )
                member_conflicts += [f"members[{kept_member.pk}].{name}" for name in differ]
                member_labels += [
                    f"{kept_member.full_name}: {_field_label(Member, name)}" for name in differ
                ]
                continue
            member.household = keep
            if member.relationship == "head":
                if has_head:
                    member.relationship = "other"
                has_head = True
            member.save(update_fields=["household", "relationship"])
            moved_people.append(member.pk)
        observations = DigitalObservation.objects.filter(household=drop).update(household=keep)
        household_values = {name: getattr(keep, name) for name in HOUSEHOLD_FILL_FIELDS}
        dropped_values = {name: getattr(drop, name) for name in HOUSEHOLD_FILL_FIELDS}
        filled = dedup_rules.fill_blanks(household_values, dropped_values, HOUSEHOLD_FILL_FIELDS)
        differ = dedup_rules.conflicts(household_values, dropped_values, HOUSEHOLD_FILL_FIELDS)
        conflicts = differ + member_conflicts
        labels = [_field_label(Household, name) for name in differ] + member_labels
        for name, value in filled.items():
            setattr(keep, name, value)
        keep.save()
        drop.is_active = False
        drop.merged_into = keep
        drop.save(update_fields=["is_active", "merged_into", "updated_at"])
        _recount(keep)
        _recount(drop)
        refresh_profiles(sorted((keep.pk, drop.pk)))
        record_change(
            actor=actor,
            action=Action.UPDATE,
            obj=keep,
            before=before,
            after={
                "kept": snapshot(keep),
                "dropped": snapshot(drop),
                "kept_members": [
                    snapshot(m, exclude=_AUDIT_EXCLUDE)
                    for m in keep.members.filter(is_active=True).order_by("id")
                ],
                "merged_people": merged_people,
                "moved_people": moved_people,
                "moved_observations": observations,
                "filled": list(filled),
                "conflicts": conflicts,
            },
            message=f"gộp hộ trùng: giữ {keep.code}, bỏ {drop.code}",
        )
    return MergeResult(keep, drop, list(filled), conflicts, labels, drop.pk)
