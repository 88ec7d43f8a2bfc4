"""The write path of the teams: establish a team, add its members, record a visit.

A visit closes the loop: the digital facts seen at the door become a dated observation in the
registry (source "visit"), the household's current digital profile is rebuilt from it, and the
next assessment reads that profile. What a visit records about people beyond the poverty review
(skills taught, needs, a photo) rests on their consent (purpose ``digital_support``), asked at
the door or recorded before.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from langso.accounts.roles import Capability
from langso.accounts.scope import restrict
from langso.audit.models import Action
from langso.audit.services import record_change, record_changes, snapshot
from langso.geo.models import Village
from langso.registry.models import DigitalProfile, Household, Member, ObservationSource
from langso.registry.privacy import (
    VISIT_PURPOSE,
    consent_record,
    consented,
    has_consent,
    is_child,
    valid_consent_method,
    visit_consents,
)
from langso.registry.services import digital_observe, digital_observe_many
from langso.teams import tallies
from langso.teams.models import (
    MemberKind,
    MemberRole,
    Outcome,
    Team,
    TeamLevel,
    TeamMember,
    Visit,
    VisitConflict,
    VisitSkill,
)
from langso.teams.skills import catalogue


def team_create(
    *,
    actor: Any,
    commune_code: str,
    name: str,
    established_on: dt.date,
    village_id: int | None = None,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    decision_file: UploadedFile | None = None,
) -> Team:
    """Establish a team by a commune decision: for one village, or commune-level (no village)."""
    if not actor.can(Capability.MANAGE_TEAMS):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Nhập tên tổ.")]
    if decision_date and decision_date > established_on:
        errors["decision_date"] = [_("Quyết định không thể sau ngày thành lập.")]
    if errors:
        raise ValidationError(errors)
    villages = restrict(Village.objects.all(), actor, for_write=True)
    village = None
    if village_id is not None:
        village = villages.filter(pk=village_id, commune_id=commune_code).first()
        if village is None:
            raise ValidationError({"village": [_("Không có thôn này trong địa bàn của bạn.")]})
    elif not villages.filter(commune_id=commune_code).exists():
        raise ValidationError({"commune": [_("Xã này không thuộc địa bàn của bạn.")]})
    with transaction.atomic():
        team = Team(
            commune_id=commune_code,
            village=village,
            level=TeamLevel.VILLAGE if village else TeamLevel.COMMUNE,
            name=name.strip(),
            decision_number=decision_number.strip(),
            decision_date=decision_date,
            established_on=established_on,
        )
        if decision_file is not None:
            team.decision_file.save(decision_file.name, decision_file, save=False)
        team.save()
        record_change(actor=actor, action=Action.CREATE, obj=team, after=snapshot(team))
    return team


def team_member_add(
    *,
    actor: Any,
    team_id: int,
    full_name: str,
    role: str,
    kind: str,
    village_ids: list[int],
    starts_on: dt.date,
    phone: str = "",
    user: Any = None,
) -> TeamMember:
    """A member joins a team and covers villages of the team's commune."""
    if not actor.can(Capability.MANAGE_TEAMS):
        raise PermissionDenied
    team = restrict(Team.objects.all(), actor, for_write=True).get(pk=team_id)
    errors: dict[str, list[str]] = {}
    if not full_name.strip():
        errors["full_name"] = [_("Nhập họ tên.")]
    if role not in MemberRole.values:
        errors["role"] = [_("Vai trò không hợp lệ.")]
    if kind not in MemberKind.values:
        errors["kind"] = [_("Thành phần không hợp lệ.")]
    villages = list(Village.objects.filter(pk__in=village_ids, commune_id=team.commune_id))
    if not village_ids or len(villages) != len(set(village_ids)):
        errors["villages"] = [_("Chọn các thôn phụ trách trong xã của tổ.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        member = TeamMember.objects.create(
            team=team,
            user=user,
            full_name=full_name.strip(),
            phone=phone.strip(),
            role=role,
            kind=kind,
            starts_on=starts_on,
        )
        member.villages.set(villages)
        record_change(
            actor=actor,
            action=Action.CREATE,
            obj=member,
            after={**snapshot(member), "villages": sorted(v.pk for v in villages)},
        )
    return member


_CONSENT_NEEDED = _lazy(
    "Cần người có mặt đồng ý trước khi ghi kỹ năng, nhu cầu hay ảnh (mục đích hỗ trợ chuyển "
    "đổi số)."
)


@dataclass
class VisitRecord:
    """What a team member brings back from a household (from the phone form or a sync)."""

    household_id: int
    visited_on: dt.date
    present: list[int] = field(default_factory=list)  # member ids
    skills: dict[str, str] = field(default_factory=dict)  # skill code -> outcome
    needs: str = ""
    facts: dict[str, object] = field(default_factory=dict)  # digital facts seen
    consent_method: str = ""  # how those present consented now ("" = not asked at this visit)
    client_id: uuid.UUID | None = None
    # for a visit recorded offline: the profile values the phone showed for the facts it sends
    base: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class VisitResult:
    visit: Visit
    created: bool  # False: this client id was recorded before (a repeated sync)
    conflicts: tuple[VisitConflict, ...] = ()


def _conflicting(profile: DigitalProfile | None, record: VisitRecord) -> dict[str, tuple]:
    """Facts someone else changed since the phone read them, to another value than this
    visit's: field -> (base, mine, theirs)."""
    if not record.base:
        return {}
    found = {}
    for name, mine in record.facts.items():
        if name not in record.base:
            continue
        theirs = getattr(profile, name, None) if profile else None
        if theirs != record.base[name] and theirs != mine:
            found[name] = (record.base[name], mine, theirs)
    return found


def _checked(record: VisitRecord, today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if record.visited_on > today:
        errors["visited_on"] = [_("Ngày đến hộ ở tương lai.")]
    known = {s.code for s in catalogue().skills}
    unknown = sorted(set(record.skills) - known)
    if unknown:
        errors["skills"] = [_("Không có kỹ năng: %(codes)s") % {"codes": ", ".join(unknown)}]
    if any(outcome not in Outcome.values for outcome in record.skills.values()):
        errors.setdefault("skills", []).append(_("Kết quả không hợp lệ."))
    if len(record.needs) > 2000:
        errors["needs"] = [_("Tối đa 2.000 ký tự.")]
    return errors


def _team_member_of(actor: Any, village_id: int, day: dt.date) -> TeamMember | None:
    """The actor's membership covering the village on that day (kept on the actor for the
    rest of a batch: a sync asks it for every visit)."""
    known = actor.__dict__.setdefault("_langso_memberships", {})
    if (village_id, day) not in known:
        memberships = TeamMember.objects.filter(
            user=actor, villages=village_id, starts_on__lte=day
        ).exclude(ends_on__lt=day)
        known[village_id, day] = memberships.order_by("-starts_on").first()
    return known[village_id, day]


def visit_record(
    *,
    actor: Any,
    record: VisitRecord,
    photo: UploadedFile | None = None,
    today: dt.date | None = None,
) -> VisitResult:
    """Store a visit; the digital facts seen go to the registry as an observation of that day.

    Skills, needs and a photo are kept only if someone present has consented to the digital
    support purpose (now, with ``consent_method``, or before). A visit sent again with the same
    ``client_id`` is not stored twice.
    """
    if not actor.can(Capability.RECORD_OBSERVATIONS):
        raise PermissionDenied
    today = today or timezone.localdate()
    if record.client_id is not None:
        done = Visit.objects.filter(client_id=record.client_id).first()
        if done is not None:
            return VisitResult(done, created=False)
    errors = _checked(record, today)
    if errors:
        raise ValidationError(errors)
    households = restrict(Household.objects.all(), actor, for_write=True)
    try:
        with transaction.atomic():
            household = households.select_for_update().get(pk=record.household_id, is_active=True)
            present = list(household.members.filter(pk__in=record.present, is_active=True))
            if len(present) != len(set(record.present)):
                raise ValidationError({"present": [_("Người có mặt phải là thành viên của hộ.")]})
            adults = [m for m in present if not is_child(m, record.visited_on)]
            for member in adults if record.consent_method else ():
                consent_record(
                    actor=actor,
                    member_id=member.pk,
                    purpose=VISIT_PURPOSE,
                    status="given",
                    given_on=record.visited_on,
                    method=record.consent_method,
                    note=_("tại buổi tổ công nghệ số đến hộ"),
                    today=today,
                )
            # consent asked now counts at once; otherwise an earlier one on record
            agrees = bool(adults and record.consent_method) or any(
                has_consent(m.pk, VISIT_PURPOSE) for m in present
            )
            if not agrees and (record.skills or record.needs.strip() or photo):
                raise ValidationError({"consent": [str(_CONSENT_NEEDED)]})
            profile = DigitalProfile.objects.filter(household=household).first()
            baseline = tallies.baseline_from(profile)
            conflicting = _conflicting(profile, record)
            facts = {k: v for k, v in record.facts.items() if k not in conflicting}
            observation = None
            if facts:
                observation = digital_observe(
                    actor=actor,
                    household_id=household.pk,
                    observed_on=record.visited_on,
                    source=ObservationSource.VISIT,
                    facts=facts,
                    household=household,
                )
            visit = Visit.objects.create(
                household=household,
                commune_id=household.commune_id,
                village_id=household.village_id,
                team_member=_team_member_of(actor, household.village_id, record.visited_on),
                visited_on=record.visited_on,
                needs=record.needs.strip(),
                consent=agrees,
                observation=observation,
                client_id=record.client_id,
                recorded_by=actor,
            )
            Visit.present.through.objects.bulk_create(
                Visit.present.through(visit_id=visit.pk, member_id=m.pk) for m in present
            )
            if photo is not None:
                visit.photo.save(photo.name, photo, save=True)
            version = catalogue().version
            VisitSkill.objects.bulk_create(
                VisitSkill(visit=visit, skill=code, catalogue_version=version, outcome=outcome)
                for code, outcome in sorted(record.skills.items())
            )
            conflicts = tuple(
                VisitConflict.objects.bulk_create(
                    VisitConflict(visit=visit, field=name, base=base, mine=mine, theirs=theirs)
                    for name, (base, mine, theirs) in sorted(conflicting.items())
                )
            )
            tallies.count_visit(visit, record.skills, baseline, facts)
            record_change(
                actor=actor,
                action=Action.CREATE,
                obj=visit,
                after={
                    **snapshot(visit, exclude=frozenset({"needs"})),
                    "skills": dict(sorted(record.skills.items())),
                    "present": sorted(m.pk for m in present),
                },
            )
    except IntegrityError:
        # the same visit arrived twice at once: the other request stored it
        done = Visit.objects.filter(client_id=record.client_id).first()
        if record.client_id is None or done is None:
            raise
        return VisitResult(done, created=False)
    return VisitResult(visit, created=True, conflicts=conflicts)


@dataclass(frozen=True)
class SyncOutcome:
    """What became of one visit of a batch, for the phone to clear or keep it."""

    client_id: uuid.UUID
    status: str  # "stored", "duplicate" (stored before) or "refused" (kept on the phone)
    visit_id: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    conflicts: tuple[VisitConflict, ...] = ()


def visits_sync(
    *,
    actor: Any,
    records: list[VisitRecord],
    photos: dict[int, Any] | None = None,
    today: dt.date | None = None,
) -> list[SyncOutcome]:
    """A batch of visits recorded offline, each stored on its own: one refused visit does not
    hold back the others, and a visit sent again is reported as stored before. ``photos``:
    the photo of the visit at that position of the batch, if any."""
    photos = photos or {}
    if any(record.client_id is None for record in records):
        raise ValueError("a synced visit needs its client id")
    outcomes: dict[int, SyncOutcome] = {}
    with transaction.atomic():
        if actor.can(Capability.RECORD_OBSERVATIONS):
            # the plain visits of distinct households, checked and written together
            outcomes.update(_sync_together(actor, records, photos, today or timezone.localdate()))
        # the rest (a photo, a household seen twice, a resend) one by one, each in a savepoint
        for position, record in enumerate(records):
            if position not in outcomes:
                outcomes[position] = _synced(actor, record, photos.get(position), today)
        stored = [r.household_id for p, r in enumerate(records) if outcomes[p].status == "stored"]
        if stored:
            from langso.reports.staleness import figures_changed

            communes = Household.objects.filter(pk__in=stored).values_list("commune_id", flat=True)
            figures_changed(communes=set(communes), years=[(today or timezone.localdate()).year])
    return [outcomes[position] for position in range(len(records))]


def _refused(record: VisitRecord, errors: dict[str, list[str]]) -> SyncOutcome:
    return SyncOutcome(record.client_id, "refused", errors=errors)


def _sync_together(
    actor: Any, records: list[VisitRecord], photos: dict[int, Any], today: dt.date
) -> dict[int, SyncOutcome]:
    """Visits without a photo, of households that appear once in the batch and not stored
    before: every read done for the whole batch at once, then the writes in bulk. The same
    checks as ``visit_record``; a refused visit is answered without holding back the others."""
    counts: dict[int, int] = {}
    for record in records:
        counts[record.household_id] = counts.get(record.household_id, 0) + 1
    stored = set(
        Visit.objects.filter(client_id__in=[r.client_id for r in records]).values_list(
            "client_id", flat=True
        )
    )
    chosen = {
        i: r
        for i, r in enumerate(records)
        if i not in photos and counts[r.household_id] == 1 and r.client_id not in stored
    }
    if not chosen:
        return {}
    out: dict[int, SyncOutcome] = {}
    households = {
        h.pk: h
        for h in restrict(Household.objects.all(), actor, for_write=True)
        .select_for_update()
        .filter(pk__in=[r.household_id for r in chosen.values()], is_active=True)
    }
    people: dict[int, dict[int, Any]] = {}
    for member in Member.objects.filter(household_id__in=list(households), is_active=True):
        people.setdefault(member.household_id, {})[member.pk] = member
    profiles = {
        p.household_id: p for p in DigitalProfile.objects.filter(household_id__in=list(households))
    }
    agreed = consented([m for r in chosen.values() for m in r.present], VISIT_PURPOSE)
    accepted = []
    for i, record in chosen.items():
        errors = _checked(record, today)
        household = households.get(record.household_id)
        if errors:
            out[i] = _refused(record, errors)
            continue
        if household is None:
            message = _("Hộ không thuộc địa bàn của bạn hoặc đã chuyển đi.")
            out[i] = _refused(record, {"household": [message]})
            continue
        members = people.get(household.pk, {})
        present = [members[m] for m in dict.fromkeys(record.present) if m in members]
        if len(present) != len(set(record.present)):
            out[i] = _refused(record, {"present": [_("Người có mặt phải là thành viên của hộ.")]})
            continue
        adults = [m for m in present if not is_child(m, record.visited_on)]
        agrees = bool(adults and record.consent_method) or any(m.pk in agreed for m in present)
        if not agrees and (record.skills or record.needs.strip()):
            out[i] = _refused(record, {"consent": [str(_CONSENT_NEEDED)]})
            continue
        if record.consent_method and adults and not valid_consent_method(record.consent_method):
            out[i] = _refused(record, {"consent_method": [_("Hình thức không hợp lệ.")]})
            continue
        accepted.append((i, record, household, present, adults, agrees))
    by_method: dict[tuple[str, dt.date], list] = {}
    for _i, record, _h, _p, adults, _a in accepted:
        if record.consent_method and adults:
            by_method.setdefault((record.consent_method, record.visited_on), []).extend(adults)
    for (method, day), adults in by_method.items():
        visit_consents(
            actor=actor,
            members=adults,
            given_on=day,
            method=method,
            note=_("tại buổi tổ công nghệ số đến hộ"),
        )
    observed = []
    plans = []
    for i, record, household, present, _adults, agrees in accepted:
        profile = profiles.get(household.pk)
        conflicting = _conflicting(profile, record)
        facts = {k: v for k, v in record.facts.items() if k not in conflicting}
        plans.append((i, record, household, present, agrees, profile, conflicting, facts))
        if facts:
            observed.append((household, record.visited_on, ObservationSource.VISIT, facts))
    made = iter(digital_observe_many(actor=actor, observations=observed))
    visits = []
    for _i, record, household, _present, agrees, _profile, _c, facts in plans:
        visits.append(
            Visit(
                household=household,
                commune_id=household.commune_id,
                village_id=household.village_id,
                team_member=_team_member_of(actor, household.village_id, record.visited_on),
                visited_on=record.visited_on,
                needs=record.needs.strip(),
                consent=agrees,
                observation=next(made) if facts else None,
                client_id=record.client_id,
                recorded_by=actor,
            )
        )
    Visit.objects.bulk_create(visits)
    version = catalogue().version
    Visit.present.through.objects.bulk_create(
        Visit.present.through(visit_id=visit.pk, member_id=m.pk)
        for visit, plan in zip(visits, plans, strict=True)
        for m in plan[3]
    )
    VisitSkill.objects.bulk_create(
        VisitSkill(visit=visit, skill=code, catalogue_version=version, outcome=outcome)
        for visit, plan in zip(visits, plans, strict=True)
        for code, outcome in sorted(plan[1].skills.items())
    )
    conflicts = VisitConflict.objects.bulk_create(
        VisitConflict(visit=visit, field=name, base=base, mine=mine, theirs=theirs)
        for visit, plan in zip(visits, plans, strict=True)
        for name, (base, mine, theirs) in sorted(plan[6].items())
    )
    tallies.count_visits(
        [
            (visit, plan[1].skills, tallies.baseline_from(plan[5]), plan[7])
            for visit, plan in zip(visits, plans, strict=True)
        ]
    )
    record_changes(
        actor=actor,
        action=Action.CREATE,
        changes=[
            (
                visit,
                {
                    **snapshot(visit, exclude=frozenset({"needs"})),
                    "skills": dict(sorted(plan[1].skills.items())),
                    "present": sorted(m.pk for m in plan[3]),
                },
                "",
            )
            for visit, plan in zip(visits, plans, strict=True)
        ],
    )
    for visit, plan in zip(visits, plans, strict=True):
        mine = tuple(c for c in conflicts if c.visit_id == visit.pk)
        out[plan[0]] = SyncOutcome(plan[1].client_id, "stored", visit_id=visit.pk, conflicts=mine)
    return out


def _synced(actor: Any, record: VisitRecord, photo: Any, today: dt.date | None) -> SyncOutcome:
    if record.client_id is None:
        raise ValueError("a synced visit needs its client id")
    try:
        result = visit_record(actor=actor, record=record, photo=photo, today=today)
    except ValidationError as error:
        return SyncOutcome(record.client_id, "refused", errors=error.message_dict)
    except (Household.DoesNotExist, PermissionDenied):
        message = _("Hộ không thuộc địa bàn của bạn hoặc đã chuyển đi.")
        return SyncOutcome(record.client_id, "refused", errors={"household": [message]})
    return SyncOutcome(
        record.client_id,
        "stored" if result.created else "duplicate",
        visit_id=result.visit.pk,
        conflicts=result.conflicts,
    )


def conflict_resolve(*, actor: Any, conflict_id: int, keep: str, today: dt.date | None = None):
    """Settle a conflict: keep what the registry says, or record the visit's value as seen
    again today (it then becomes the household's current value)."""
    if keep not in ("mine", "theirs"):
        raise ValidationError({"keep": [_("Chọn giữ giá trị nào.")]})
    today = today or timezone.localdate()
    with transaction.atomic():
        visits = restrict(Visit.objects.all(), actor, for_write=True)
        conflict = VisitConflict.objects.select_for_update().get(
            pk=conflict_id, visit__in=visits, resolved_at__isnull=True
        )
        if keep == "mine":
            digital_observe(
                actor=actor,
                household_id=conflict.visit.household_id,
                observed_on=today,
                source=ObservationSource.VISIT,
                facts={conflict.field: conflict.mine},
            )
        conflict.kept = keep
        conflict.resolved_at = timezone.now()
        conflict.resolved_by = actor
        conflict.save(update_fields=["kept", "resolved_at", "resolved_by"])
        record_change(
            actor=actor,
            action=Action.UPDATE,
            obj=conflict.visit,
            after={"conflict": conflict.field, "kept": keep},
            message="xung đột dữ liệu số",
        )
    return conflict
