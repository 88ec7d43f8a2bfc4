"""A person's personal data: legal basis and consents, their own copy, erasure on request.

Law 91/2025/QH15 on personal data protection and Decree 356/2025/NĐ-CP apply from 1/1/2026.
What langso does with personal data, and why it may, is data: ``processing_purposes.toml``
(loaded by ``registry.purposes``). The poverty review rests on a legal obligation (Decree
07/2021/NĐ-CP, QĐ 24/2021/QĐ-TTg, TT 07/2021/TT-BLĐTBXH): no consent is asked or recorded for it.
Digital support (visits, skills, notes) and contact (phone, Zalo, SMS) need the person's explicit
consent, recorded here; none recorded means no consent (silence is not consent).

Who may do what:
- read a person's page: roles that work with households (EDIT_HOUSEHOLDS or RECORD_OBSERVATIONS),
  inside their area; the sensitive fields only with VIEW_SENSITIVE, and each showing is logged
  (``audit.services.record_read``);
- record a consent, erase: EDIT_HOUSEHOLDS, inside the area they may write;
- export a person's data for them (with the full ID number): VIEW_SENSITIVE; logged.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from langso.accounts.roles import Capability
from langso.accounts.scope import restrict
from langso.audit.models import Action, ChangeEvent
from langso.audit.services import record_change, record_changes, record_read, snapshot
from langso.core import field_encryption
from langso.geo.names import plain
from langso.registry import queries, records
from langso.registry.ethnicity import catalogue as ethnic_groups
from langso.registry.models import Consent, ConsentStatus, DigitalObservation, Member
from langso.registry.purposes import CONSENT, Method, Purpose, catalogue
from langso.registry.services import refresh_profiles

# The method the erasure service writes when it withdraws the consents still given.
ERASURE_METHOD = "erasure_request"
# What replaces the name of a person who has left, once their data is erased.
PSEUDONYM = "Người đã xóa dữ liệu #{pk}"
# The purpose the community digital teams' visits rest on (processing_purposes.toml).
VISIT_PURPOSE = "digital_support"
# What stands in the audit log where an erased value was.
REDACTED = "[đã xóa]"
# Identity kept for the poverty review while the person is an active member; cleared (the name
# replaced by a pseudonym, the birth date cut to its year) once they have left.
IDENTITY_FIELDS = (
    "full_name",
    "name_key",
    "given_key",
    "birth_date",
    "id_number_encrypted",
    "id_number_hash",
    "id_number_last4",
)
# Ids and links of an observation event that say nothing about the person.
_OBSERVATION_KEEP = frozenset({"id", "household_id", "member_id"})
# Shown on the person's page, in this order (the sensitive ones apart).
_PAGE_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "birth_year",
    "relationship",
    "phone",
    *(f for f in records.MEMBER_FACTS if f not in Member.sensitive_fields),
)


def _lang() -> str:
    return get_language() or "vi"


# ---------------------------------------------------------------- reading


def can_view_people(user: Any) -> bool:
    """Roles that work with households may open a person's page (inside their area)."""
    return user.can(Capability.EDIT_HOUSEHOLDS) or user.can(Capability.RECORD_OBSERVATIONS)


def members_for(user: Any) -> QuerySet[Member]:
    """Members (present or past) in the user's area, with their household's place."""
    return queries.members_for(user).select_related(
        "household__village", "household__commune__province"
    )


def person_for(user: Any, member_id: int) -> Member:
    """One person the user may see; a foreign id raises Member.DoesNotExist like a missing one.

    Raises PermissionDenied first for roles that do not work with households (analysts), so
    they learn nothing about which ids exist.
    """
    if not can_view_people(user):
        raise PermissionDenied
    return members_for(user).get(pk=member_id)


@dataclass(frozen=True)
class Fact:
    name: str
    label: str
    value: str


def _display(member: Member, name: str) -> str:
    if name == "ethnicity":
        group = ethnic_groups().by_code(member.ethnicity) if member.ethnicity else None
        return group.name if group else member.ethnicity
    if name == "id_number_last4":
        return f"•••• {member.id_number_last4}" if member.id_number_last4 else ""
    field = Member._meta.get_field(name)
    value = getattr(member, name)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(getattr(member, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _label(name: str) -> str:
    if name in ("id_number", "id_number_last4"):
        return _("số CCCD")
    if name == "ethnicity":
        return _("dân tộc")
    return str(Member._meta.get_field(name).verbose_name)


def person_facts(member: Member, *, sensitive: bool = False) -> list[Fact]:
    """The person's details for a page: the ordinary ones, or (``sensitive``) the sensitive ones.

    Callers showing the sensitive ones must log it: ``person_page`` does.
    """
    names = Member.sensitive_fields if sensitive else _PAGE_FIELDS
    return [Fact(n, _label(n), _display(member, n) or _("chưa biết")) for n in names]


@dataclass(frozen=True)
class ConsentState:
    purpose: Purpose
    latest: Consent | None

    @property
    def given(self) -> bool:
        return self.latest is not None and self.latest.status == ConsentStatus.GIVEN

    @property
    def label(self) -> str:
        return self.purpose.label(_lang())


@dataclass(frozen=True)
class PersonPage:
    member: Member
    facts: list[Fact]
    sensitive: list[Fact] | None  # None: the viewer may not see them
    consents: list[ConsentState]
    history: list[Consent]
    legal_purposes: tuple[Purpose, ...]


def person_page(*, actor: Any, member_id: int) -> PersonPage:
    """What a person's page shows; showing the sensitive fields is logged (record_read)."""
    member = person_for(actor, member_id)
    sensitive = None
    if actor.can(Capability.VIEW_SENSITIVE):
        sensitive = person_facts(member, sensitive=True)
        record_read(
            actor=actor,
            obj=member,
            fields=Member.sensitive_fields,
            message="trang thông tin một người",
        )
    current = consents_current(member)
    return PersonPage(
        member=member,
        facts=person_facts(member),
        sensitive=sensitive,
        consents=[ConsentState(p, current[p.code]) for p in catalogue().consent_purposes],
        history=_history(member),
        legal_purposes=catalogue().legal_purposes,
    )


# ---------------------------------------------------------------- consents


def _order(consent: Consent) -> tuple:
    return (consent.given_on, consent.recorded_at, consent.pk)


def _history(member: Member) -> list[Consent]:
    """Every consent, refusal and withdrawal of the person, newest first."""
    rows = list(member.consents.select_related("recorded_by"))
    return sorted(rows, key=_order, reverse=True)


def consents_current(member: Member) -> dict[str, Consent | None]:
    """Per consent-based purpose, the latest record (by date given, then as recorded).

    None means nothing was ever recorded: no consent. A later withdrawal or refusal wins over
    an earlier consent.
    """
    current: dict[str, Consent | None] = {p.code: None for p in catalogue().consent_purposes}
    for consent in member.consents.all():
        if consent.purpose not in current:
            continue
        seen = current[consent.purpose]
        if seen is None or _order(consent) > _order(seen):
            current[consent.purpose] = consent
    return current


def _consent_purpose(code: str) -> Purpose:
    purpose = catalogue().get(code)
    if purpose is None:
        raise ValidationError({"purpose": [_("Không có mục đích xử lý này.")]})
    if not purpose.requires_consent:
        raise ValidationError(
            {
                "purpose": [
                    _(
                        "Mục đích này dựa trên quy định của pháp luật, không cần và không ghi "
                        "sự đồng ý."
                    )
                ]
            }
        )
    return purpose


def has_consent(member_id: int, purpose: str) -> bool:
    """True only if the person's latest record for this purpose is a consent.

    Visits, notes and messages must check this before they process the person's data. Asking
    about a purpose that needs no consent (or an unknown one) is a programming error.
    """
    found = catalogue().get(purpose)
    if found is None or not found.requires_consent:
        raise ValueError(f"{purpose!r} is not a consent-based purpose")
    latest = (
        Consent.objects.filter(member_id=member_id, purpose=purpose)
        .order_by("-given_on", "-recorded_at", "-pk")
        .values_list("status", flat=True)
        .first()
    )
    return latest == ConsentStatus.GIVEN


def consent_methods(*, for_recording: bool = True) -> tuple[Method, ...]:
    """The ways of expressing consent an officer may choose (not the erasure service's own)."""
    methods = catalogue().methods
    return tuple(m for m in methods if m.code != ERASURE_METHOD) if for_recording else methods


def _age_on(member: Member, day: dt.date) -> int:
    if member.birth_date:
        born = member.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return day.year - member.birth_year


def is_child(member: Member, day: dt.date) -> bool:
    """Under the age at which a person consents for themselves (the purposes catalogue's)."""
    return _age_on(member, day) < catalogue().child_age_below


def consent_record(
    *,
    actor: Any,
    member_id: int,
    purpose: str,
    status: str,
    given_on: dt.date,
    method: str,
    note: str = "",
    today: dt.date | None = None,
) -> Consent:
    """Record a person's consent, refusal or withdrawal for one consent-based purpose.

    A consent must be explicit: its method must be one that leaves a trace (a signed form, an
    electronic confirmation, a witnessed statement); a spoken answer alone records only a
    refusal or a withdrawal. For a child (under the age in the catalogue) the note must say
    which parent or guardian consented. Purposes that rest on a legal obligation (the poverty
    review) are refused: there is no consent to record.
    """
    # the teams ask for the consent their own visits rest on, at the door
    collects = actor.can(Capability.RECORD_OBSERVATIONS) and purpose == VISIT_PURPOSE
    if not (actor.can(Capability.EDIT_HOUSEHOLDS) or collects):
        raise PermissionDenied
    today = today or timezone.localdate()
    found = _consent_purpose(purpose)
    errors: dict[str, list[str]] = {}
    if status not in ConsentStatus.values:
        errors.setdefault("status", []).append(_("Trạng thái không hợp lệ."))
    if given_on > today:
        errors.setdefault("given_on", []).append(_("Ngày ở tương lai."))
    how = catalogue().method(method)
    if how is None or method == ERASURE_METHOD:
        errors.setdefault("method", []).append(_("Hình thức không hợp lệ."))
    elif status == ConsentStatus.GIVEN and not how.valid_for_consent:
        errors.setdefault("method", []).append(
            _("Sự đồng ý phải rõ ràng và kiểm chứng được: hãy ký phiếu hoặc có xác nhận lưu lại.")
        )
    note = (note or "").strip()
    if len(note) > 200:
        errors.setdefault("note", []).append(_("Ghi chú tối đa 200 ký tự."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(savepoint=False):  # inside a caller's: no savepoint
        member = restrict(Member.objects.select_related("household"), actor, for_write=True).get(
            pk=member_id
        )
        child_age = catalogue().child_age_below
        if status == ConsentStatus.GIVEN and _age_on(member, given_on) < child_age and not note:
            raise ValidationError(
                {
                    "note": [
                        _("Người dưới %(age)s tuổi: ghi rõ cha, mẹ hoặc người giám hộ đã đồng ý.")
                        % {"age": child_age}
                    ]
                }
            )
        consent = Consent.objects.create(
            member=member,
            purpose=found.code,
            status=status,
            given_on=given_on,
            method=method,
            note=note,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record_change(actor=actor, action=Action.CREATE, obj=consent, after=snapshot(consent))
    return consent


def valid_consent_method(method: str) -> bool:
    """A way of consenting that leaves a trace (signed, electronic, witnessed)."""
    how = catalogue().method(method)
    return how is not None and method != ERASURE_METHOD and how.valid_for_consent


def visit_consents(
    *, actor: Any, members: list[Member], given_on: dt.date, method: str, note: str
) -> list[Consent]:
    """Consents to the teams' visit purpose given at a visit by these people (adults whose
    households the caller has checked), recorded at once; same rules as ``consent_record``."""
    if not actor.can(Capability.RECORD_OBSERVATIONS):
        raise PermissionDenied
    if not valid_consent_method(method):
        raise ValidationError({"consent_method": [_("Hình thức không hợp lệ.")]})
    consents = Consent.objects.bulk_create(
        [
            Consent(
                member=member,
                purpose=VISIT_PURPOSE,
                status=ConsentStatus.GIVEN,
                given_on=given_on,
                method=method,
                note=note[:200],
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            for member in members
        ]
    )
    record_changes(
        actor=actor,
        action=Action.CREATE,
        changes=[(c, snapshot(c), "") for c in consents],
    )
    return consents


def consented(member_ids: list[int], purpose: str) -> set[int]:
    """Those of these people whose latest record for the purpose is a consent (one query)."""
    latest: dict[int, str] = {}
    rows = (
        Consent.objects.filter(member_id__in=member_ids, purpose=purpose)
        .order_by("member_id", "-given_on", "-recorded_at", "-pk")
        .values_list("member_id", "status")
    )
    for member_id, status in rows:
        latest.setdefault(member_id, status)
    return {m for m, status in latest.items() if status == ConsentStatus.GIVEN}


# ---------------------------------------------------------------- export


def _iso(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _observation_ids(member: Member) -> list[int]:
    return list(member.digital_observations.values_list("pk", flat=True))


def _member_entry(payload: Any, member_pk: int) -> list[dict]:
    """The person's own entries in a household event's list of member snapshots."""
    if not isinstance(payload, dict) or not isinstance(payload.get("members"), list):
        return []
    return [m for m in payload["members"] if isinstance(m, dict) and m.get("id") == member_pk]


def _events_about(
    member: Member, *, observation_ids: list[int], consent_ids: list[int]
) -> list[ChangeEvent]:
    """Audit events about the person: their record, their consents and observations, reads of
    their data (on their page or their household's), and household events that carry a
    snapshot of them."""
    query = Q(object_type="registry.member", object_id=str(member.pk))
    query |= Q(object_type="registry.household", object_id=str(member.household_id))
    if consent_ids:
        query |= Q(object_type="registry.consent", object_id__in=[str(i) for i in consent_ids])
    if observation_ids:
        query |= Q(
            object_type="registry.digitalobservation",
            object_id__in=[str(i) for i in observation_ids],
        )
    events = []
    for event in ChangeEvent.objects.filter(query).order_by("at", "pk"):
        mentions = _member_entry(event.before, member.pk) or _member_entry(event.after, member.pk)
        household_change = event.object_type == "registry.household" and event.action != Action.READ
        if household_change and not mentions:  # reads of the household page showed them too
            continue
        events.append(event)
    return events


def _event_row(event: ChangeEvent, member_pk: int) -> dict[str, Any]:
    before, after = event.before, event.after
    if event.object_type == "registry.household":  # only this person's part of it
        if isinstance(before, dict) and "members" in before:
            before = {"members": _member_entry(before, member_pk)}
        if isinstance(after, dict) and "members" in after:
            after = {"members": _member_entry(after, member_pk)}
    return {
        "id": event.pk,
        "at": _iso(event.at),
        "action": event.action,
        "actor": event.actor_name,
        "source": event.source,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "message": event.message,
        "before": before,
        "after": after,
    }


def _purpose_row(purpose: Purpose, lang: str) -> dict[str, Any]:
    return {
        "code": purpose.code,
        "label": purpose.label(lang),
        "legal_basis": purpose.legal_basis,
        "description": purpose.description(lang),
        "fields": list(purpose.fields),
        "retention": purpose.retention(lang),
        "sources": [c.text for c in purpose.citations],
        "confirmed": purpose.confirmed,
    }


def person_export(*, actor: Any, member_id: int) -> dict[str, Any]:
    """Everything held about one person, for them (their right to a copy of their data).

    The person's own fields with the full, decrypted ID number; a summary of their household
    (not the other members' data); their digital observations; their consents; the purposes
    and legal basis of the processing; and the audit events about them. Needs VIEW_SENSITIVE;
    each export is logged as a read of the sensitive fields and the ID number.
    """
    if not actor.can(Capability.VIEW_SENSITIVE):
        raise PermissionDenied
    member = members_for(actor).get(pk=member_id)
    household = member.household
    lang = _lang()
    person: dict[str, Any] = {"id": member.pk}
    for field in Member._meta.concrete_fields:
        name = field.attname
        if name in (
            "id",
            "name_key",
            "given_key",
            "search_commune",
            "id_number_encrypted",
            "id_number_hash",
        ):
            continue
        if name == "id_number_last4":
            person["id_number"] = field_encryption.decrypt(member.id_number_encrypted)
        person[name] = _iso(getattr(member, name))
    group = ethnic_groups().by_code(member.ethnicity) if member.ethnicity else None
    person["ethnicity_name"] = group.name if group else ""
    observations = [
        {
            "id": o["id"],
            "observed_on": _iso(o["observed_on"]),
            "source": o["source"],
            "recorded_at": _iso(o["recorded_at"]),
            **{k: o[k] for k in records.DIGITAL_FIELDS if o[k] is not None},
        }
        for o in member.digital_observations.order_by("observed_on", "pk").values(
            "id", "observed_on", "source", "recorded_at", *records.DIGITAL_FIELDS
        )
    ]
    history = sorted(member.consents.select_related("recorded_by"), key=_order)
    consents = [
        {
            "id": c.pk,
            "purpose": c.purpose,
            "purpose_label": p.label(lang) if (p := catalogue().get(c.purpose)) else c.purpose,
            "status": c.status,
            "given_on": _iso(c.given_on),
            "method": c.method,
            "note": c.note,
            "recorded_at": _iso(c.recorded_at),
            "recorded_by": c.recorded_by.get_username() if c.recorded_by else "",
        }
        for c in history
    ]
    events = _events_about(
        member,
        observation_ids=[o["id"] for o in observations],
        consent_ids=[c.pk for c in history],
    )
    data = {
        "format": "langso.person_export/1",
        "generated_at": _iso(timezone.now()),
        "generated_by": actor.get_username(),
        "catalogue": {"source": catalogue().source, "version": catalogue().version},
        "person": person,
        "household": {
            "id": household.pk,
            "code": household.code,
            "address": household.address,
            "village": household.village.name,
            "commune": household.commune.name,
            "province": household.commune.province.name,
            "member_count": household.member_count,
            "is_active": household.is_active,
        },
        "digital_observations": observations,
        "consents": consents,
        "purposes": [_purpose_row(p, lang) for p in catalogue().purposes],
        "audit_events": [_event_row(e, member.pk) for e in events],
    }
    record_read(
        actor=actor,
        obj=member,
        fields=(*Member.sensitive_fields, "id_number"),
        message="xuất dữ liệu cá nhân cho chính người đó",
    )
    return data


def export_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _person_label(name: str) -> str:
    if name == "id_number":
        return _("số CCCD")
    if name == "ethnicity_name":
        return _("tên dân tộc")
    if name == "id":
        return _("mã người")
    try:
        return str(Member._meta.get_field(name.removesuffix("_id")).verbose_name)
    except FieldDoesNotExist:  # a key with no model field keeps its own name
        return name


def _person_value(name: str, value: Any) -> Any:
    """A code shown by its label (sex "male" -> "Nam"), for people reading the workbook."""
    try:
        field = Member._meta.get_field(name)
    except FieldDoesNotExist:
        return _cell(value)
    if field.choices and value:
        return str(dict(field.flatchoices).get(value, value))
    return _cell(value)


def _household_labels() -> dict[str, str]:
    return {
        "id": _("mã số hộ trong hệ thống"),
        "code": _("mã hộ"),
        "address": _("địa chỉ"),
        "village": _("thôn"),
        "commune": _("xã"),
        "province": _("tỉnh"),
        "member_count": _("số thành viên"),
        "is_active": _("hộ còn hoạt động"),
    }


def export_xlsx(data: dict[str, Any]) -> bytes:
    """The same export as a workbook: one sheet per part, Vietnamese headings."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    info = book.active
    info.title = _("Thông tin")[:31]
    info.append([_("Trường"), _("Giá trị")])
    for name, value in data["person"].items():
        info.append([capfirst(_person_label(name)), _person_value(name, value)])
    info.append([])
    labels = _household_labels()
    for name, value in data["household"].items():
        info.append([f"{_('Hộ')}: {labels.get(name, name)}", _cell(value)])
    info.append([])
    info.append([_("Xuất lúc"), data["generated_at"]])
    info.append([_("Người xuất"), data["generated_by"]])

    def sheet(title: str, rows: list[dict[str, Any]]) -> None:
        ws = book.create_sheet(title[:31])
        keys: list[str] = []
        for row in rows:
            keys += [k for k in row if k not in keys]
        ws.append(keys or [_("(không có)")])
        for row in rows:
            ws.append([_cell(row.get(k)) for k in keys])
        for cell in ws[1]:
            cell.font = Font(bold=True)

    sheet(_("Ghi nhận số"), data["digital_observations"])
    sheet(_("Sự đồng ý"), data["consents"])
    sheet(_("Mục đích xử lý"), data["purposes"])
    sheet(_("Nhật ký"), data["audit_events"])
    for cell in info[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- erasure


def _keeps_identity(member: Member) -> bool:
    """The review's legal mandate needs who the person is while they belong to a household."""
    return member.is_active and member.household.is_active


@dataclass(frozen=True)
class ErasePlan:
    keeps_identity: bool
    erase_fields: tuple[str, ...]  # Member fields cleared (or pseudonymised)
    kept_fields: tuple[str, ...]  # Member fields kept for the review
    observations: int  # the person's digital observations, all deleted
    consents_given: tuple[str, ...]  # purposes whose consent is withdrawn

    @property
    def erase_labels(self) -> list[str]:
        return _labels(self.erase_fields)

    @property
    def kept_labels(self) -> list[str]:
        return _labels(self.kept_fields)


def _labels(names: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for name in names:
        if name in (
            "name_key",
            "given_key",
            "search_commune",
            "household",
            "is_active",
            "merged_into",
            "erased_at",
        ):
            continue
        label = _label("id_number" if name.startswith("id_number") else name)
        if label not in out:
            out.append(label)
    return out


def erase_plan(member: Member) -> ErasePlan:
    """What ``person_erase`` would erase and keep for this person, and why (for the page)."""
    consent_fields = set(catalogue().fields_by_basis("member", CONSENT))
    erase = set(consent_fields)
    keeps = _keeps_identity(member)
    if not keeps:
        erase |= set(IDENTITY_FIELDS) | set(Member.sensitive_fields)
    mandated = catalogue().fields_by_basis("member", "legal_obligation")
    kept = tuple(
        f.name for f in Member._meta.concrete_fields if f.name in mandated and f.name not in erase
    )
    current = consents_current(member)
    return ErasePlan(
        keeps_identity=keeps,
        erase_fields=tuple(f.name for f in Member._meta.concrete_fields if f.name in erase),
        kept_fields=kept,
        observations=member.digital_observations.count(),
        consents_given=tuple(c for c, row in current.items() if row and row.status == "given"),
    )


def erase_page(*, actor: Any, member_id: int) -> tuple[Member, ErasePlan]:
    """The person and the plan, for the confirmation page (only for those who may erase)."""
    if not actor.can(Capability.EDIT_HOUSEHOLDS):
        raise PermissionDenied
    member = restrict(
        Member.objects.select_related("household", "household__village"), actor, for_write=True
    ).get(pk=member_id)
    return member, erase_plan(member)


def _blank(name: str) -> Any:
    field = Member._meta.get_field(name)
    return None if field.null else ""


def _redact_dict(payload: Any, keys: frozenset[str] | None) -> tuple[Any, bool]:
    """Replace erased values by REDACTED; ``keys`` None: every key but the plain ids."""
    if not isinstance(payload, dict):
        return payload, False
    changed = False
    out = dict(payload)
    for key, value in payload.items():
        hit = key not in _OBSERVATION_KEEP if keys is None else key in keys
        if hit and value not in (None, "", REDACTED):
            out[key] = REDACTED
            changed = True
    return out, changed


def _redact_members(payload: Any, member_pk: int, keys: frozenset[str]) -> tuple[Any, bool]:
    if not _member_entry(payload, member_pk):
        return payload, False
    out = dict(payload)
    changed = False
    entries = []
    for entry in payload["members"]:
        if isinstance(entry, dict) and entry.get("id") == member_pk:
            entry, hit = _redact_dict(entry, keys)
            changed = changed or hit
        entries.append(entry)
    out["members"] = entries
    return out, changed


def _redact_audit(
    member: Member,
    *,
    keys: frozenset[str],
    observation_ids: list[int],
    consent_ids: list[int],
    pseudonym: str | None,
) -> int:
    """Take erased values out of the audit events written earlier about this person.

    The audit log must not keep what was erased: member snapshots (in the person's own events
    and in household events listing members) lose the erased keys; the events of deleted
    observations keep only their ids; consent events lose their notes; once the person is
    pseudonymised, the object name of their events becomes the pseudonym. Who did what and when
    stays. Returns how many events were changed.
    """
    changed_count = 0
    for event in _events_about(member, observation_ids=observation_ids, consent_ids=consent_ids):
        before, after = event.before, event.after
        if event.object_type == "registry.household":
            before, hit_b = _redact_members(before, member.pk, keys)
            after, hit_a = _redact_members(after, member.pk, keys)
        elif event.object_type == "registry.digitalobservation":
            before, hit_b = _redact_dict(before, None)
            after, hit_a = _redact_dict(after, None)
        elif event.object_type == "registry.consent":
            before, hit_b = _redact_dict(before, frozenset({"note"}))
            after, hit_a = _redact_dict(after, frozenset({"note"}))
        else:
            before, hit_b = _redact_dict(before, keys)
            after, hit_a = _redact_dict(after, keys)
        updates: dict[str, Any] = {}
        if hit_b:
            updates["before"] = before
        if hit_a:
            updates["after"] = after
        if pseudonym and event.object_type == "registry.member" and event.object_repr != pseudonym:
            updates["object_repr"] = pseudonym
        if updates:
            ChangeEvent.objects.filter(pk=event.pk).update(**updates)
            changed_count += 1
    return changed_count


def person_erase(
    *, actor: Any, member_id: int, reason: str, today: dt.date | None = None
) -> Member:
    """Erase a person's data at their request, as far as the law allows.

    Always erased (consent-based data): the fields of the consent-based purposes in the
    catalogue (the phone number), all of the person's digital observations (skills, use of
    services), and the free-text notes of their consent records; consents still given are
    withdrawn, so nothing consent-based resumes.

    Kept while the person is an active member of an active household: their identity and the
    facts the poverty review reads (name, sex, birth date, ethnicity, ID number, relationship,
    work, schooling, health insurance, health facts). The review rests on a legal obligation
    (Decree 07/2021/NĐ-CP and the review procedure of QĐ 24/2021/QĐ-TTg, TT 07/2021/TT-BLĐTBXH),
    which the right to erasure does not override while the person is part of a household the
    review must assess.

    For a person who has left (moved away, died, merged, or whose household is no longer
    active): the name is replaced by a pseudonym, the ID number (ciphertext, hash, last digits)
    is cleared, the birth date is cut to its year and the sensitive facts (ethnicity, health)
    are cleared. Sex, birth year, relationship and the other indicator facts stay, unnamed, so
    the figures of past reviews still add up.

    The audit event of the erasure names the fields and counts, never the values, and the values
    erased are also taken out of the audit events written earlier (see ``_redact_audit``). The
    household's digital profile is rebuilt without the deleted observations. Erasing again later
    (say after the person leaves) erases what is then erasable.
    """
    if not actor.can(Capability.EDIT_HOUSEHOLDS):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Ghi lý do (yêu cầu của ai, ngày nào).")]})
    today = today or timezone.localdate()
    with transaction.atomic():
        member = (
            restrict(Member.objects.select_for_update(of=("self",)), actor, for_write=True)
            .select_related("household")
            .get(pk=member_id)
        )
        plan = erase_plan(member)
        observation_ids = _observation_ids(member)
        consent_ids = list(member.consents.values_list("pk", flat=True))
        pseudonym = None
        for name in plan.erase_fields:
            setattr(member, name, _blank(name))
        if not plan.keeps_identity:
            pseudonym = PSEUDONYM.format(pk=member.pk)
            member.full_name = pseudonym
            member.name_key = plain(pseudonym)
            member.given_key = records.given_key(member.name_key)
        member.erased_at = timezone.now()
        member.save()
        deleted = DigitalObservation.objects.filter(pk__in=observation_ids).delete()[0]
        Consent.objects.filter(member=member).exclude(note="").update(note="")
        for purpose in plan.consents_given:
            Consent.objects.create(
                member=member,
                purpose=purpose,
                status=ConsentStatus.WITHDRAWN,
                given_on=today,
                method=ERASURE_METHOD,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        redacted = _redact_audit(
            member,
            keys=frozenset(plan.erase_fields),
            observation_ids=observation_ids,
            consent_ids=consent_ids,
            pseudonym=pseudonym,
        )
        record_change(
            actor=actor,
            action=Action.UPDATE,
            obj=member,
            after={
                "erased_fields": list(plan.erase_fields),
                "identity_kept": plan.keeps_identity,
                "digital_observations_deleted": deleted,
                "consents_withdrawn": list(plan.consents_given),
                "audit_events_redacted": redacted,
            },
            message=f"xóa dữ liệu theo yêu cầu: {reason}",
        )
        refresh_profiles([member.household_id])
    return member
