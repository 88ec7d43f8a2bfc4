"""Importing households and members from the template (CSV/XLSX) at national scale.

Two streaming passes over the file:
1. read and check every row, with nothing written: errors name the Excel row, the column (its
   template header), the value and the reason;
2. if the file is clean, or the user chose to import only the valid households, write everything
   in one transaction, in chunks of bulk inserts. A failure rolls the whole file back.
Re-importing matches existing households by household code, then the head's CCCD, then the head's
name + birth year + village, so the same file twice creates nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from langso.accounts.roles import Capability
from langso.accounts.scope import restrict
from langso.audit.services import record_batch
from langso.core import field_encryption
from langso.core.bulk import update_many
from langso.core.tabular import TableError, read_table
from langso.geo.models import Commune, Village
from langso.geo.names import clean, plain, village_key
from langso.registry import import_format as fmt
from langso.registry import records
from langso.registry.models import (
    Durability,
    Education,
    Household,
    Latrine,
    Member,
    Relationship,
    Sex,
    WaterSource,
    WorkStatus,
)
from langso.registry.records import validate_household
from langso.registry.services import _member, cccd_province_codes

CHUNK = 500
Progress = Callable[[int, int | None, str], None]


@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class HouseholdImportReport:
    file: str
    valid_only: bool = False
    households: int = 0
    members: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    written: bool = False
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "errors"}
        data["errors"] = [e.__dict__ for e in self.errors]
        return data


def _choices() -> dict[str, fmt.Choices]:
    return {
        "wall": fmt.Choices(Durability.choices, {"bền": "durable", "không bền": "non_durable"}),
        "column": fmt.Choices(Durability.choices, {"bền": "durable", "không bền": "non_durable"}),
        "roof": fmt.Choices(Durability.choices, {"bền": "durable", "không bền": "non_durable"}),
        "water_source": fmt.Choices(WaterSource.choices),
        "latrine": fmt.Choices(Latrine.choices),
        "sex": fmt.Choices(
            Sex.choices, {"m": "male", "f": "female", "nam": "male", "nữ": "female"}
        ),
        "relationship": fmt.Choices(
            Relationship.choices,
            {
                "vợ": "spouse",
                "chồng": "spouse",
                "bố": "parent",
                "mẹ": "parent",
                "ông": "grandparent",
                "bà": "grandparent",
                "anh": "sibling",
                "chị": "sibling",
                "em": "sibling",
                "con dâu": "child_in_law",
                "con rể": "child_in_law",
            },
        ),
        "work_status": fmt.Choices(WorkStatus.choices),
        "education": fmt.Choices(Education.choices),
    }


class _Places:
    """Villages of the actor's communes, loaded one commune at a time and kept."""

    def __init__(self, actor: Any) -> None:
        self.communes = {c.code: c for c in restrict(Commune.objects.all(), actor, for_write=True)}
        self.all_codes: set[str] | None = None
        self.villages: dict[str, dict[str, int]] = {}
        self.last_code: dict[str, int] = {}  # per commune, for households without a code

    def village_id(self, commune_code: str, name: str) -> tuple[int | None, str, str]:
        """(village id, column, reason) — id None with the reason when it cannot be found."""
        if not commune_code:
            return None, "Mã xã", "thiếu mã xã"
        if commune_code not in self.communes:
            if self.all_codes is None:
                self.all_codes = set(Commune.objects.values_list("code", flat=True))
            why = (
                "xã ngoài địa bàn của bạn"
                if commune_code in self.all_codes
                else "không có mã xã này"
            )
            return None, "Mã xã", why
        if commune_code not in self.villages:
            self.villages[commune_code] = dict(
                Village.objects.filter(commune_id=commune_code).values_list("name_key", "id")
            )
        found = self.villages[commune_code].get(village_key(name)) if name else None
        if found is None:
            return None, "Thôn", "thiếu tên thôn" if not name else "xã không có thôn này"
        return found, "", ""


def _households(filename: str, stream: BinaryIO) -> Iterator[list]:
    rows = read_table(
        filename,
        stream,
        fmt.ALIASES,
        required=("full_name",),
        any_of=(("commune_code",), ("village",)),
    )
    yield from fmt.group_rows(rows)


def households_import(
    *,
    actor: Any,
    filename: str,
    open_stream: Callable[[], BinaryIO],
    valid_only: bool = False,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> HouseholdImportReport:
    """Check the whole file, then write it all (or, with ``valid_only``, its valid households)."""
    if not actor.can(Capability.RUN_IMPORTS):
        raise PermissionDenied
    today = today or timezone.localdate()
    report = HouseholdImportReport(file=filename, valid_only=valid_only)
    tick = progress or (lambda *_a: None)
    choices = _choices()
    places = _Places(actor)
    provinces = cccd_province_codes()
    bad: set[int] = set()
    seen_codes: dict[str, int] = {}
    seen_ids: dict[str, int] = {}

    try:  # pass 1: read and check, nothing written
        with open_stream() as stream:
            for rows in _households(filename, stream):
                parsed = fmt.to_household(rows, choices)
                report.households += 1
                report.members += len(rows)
                errors = [RowError(*p) for p in parsed.problems]
                vid, column, why = places.village_id(parsed.commune_code, parsed.village_name)
                if vid is None:
                    errors.append(
                        RowError(
                            parsed.first_row,
                            column,
                            parsed.village_name or parsed.commune_code,
                            why,
                        )
                    )
                parsed.record.village_id = vid or 0
                for p in validate_household(parsed.record, today=today, province_codes=provinces):
                    if p.field == "village":
                        continue
                    row, col = fmt.problem_location(parsed, p)
                    errors.append(RowError(row, col, "", p.reason))
                code = parsed.record.code
                if code and code in seen_codes:
                    errors.append(
                        RowError(
                            parsed.first_row,
                            "Mã hộ",
                            code,
                            f"trùng mã hộ ở dòng {seen_codes[code]}",
                        )
                    )
                seen_codes.setdefault(code, parsed.first_row) if code else None
                for i, m in enumerate(parsed.record.members):
                    if m.id_number and len(m.id_number) == 12:
                        first = seen_ids.setdefault(m.id_number, parsed.rows[i])
                        if first != parsed.rows[i]:
                            errors.append(
                                RowError(
                                    parsed.rows[i], "Số CCCD", "", f"trùng số CCCD ở dòng {first}"
                                )
                            )
                if errors:
                    bad.add(parsed.first_row)
                    report.errors.extend(errors)
                if report.households % 1000 == 0:
                    tick(report.households, None, f"Đã kiểm tra {report.households:,} hộ")
    except TableError as exc:
        report.errors.append(RowError(0, "", "", str(exc)))
        return report
    if (report.errors and not valid_only) or report.households == len(bad):
        return report

    total = report.households
    tick(0, total, "Đang ghi vào cơ sở dữ liệu")
    with transaction.atomic(), open_stream() as stream:  # pass 2: write, all or nothing
        chunk: list = []
        done = 0
        for rows in _households(filename, stream):
            parsed = fmt.to_household(rows, choices)
            done += 1
            if parsed.first_row in bad:
                report.skipped += 1
                continue
            vid, _c, _w = places.village_id(parsed.commune_code, parsed.village_name)
            parsed.record.village_id = vid
            validate_household(parsed.record, today=today, province_codes=provinces)  # normalise
            chunk.append(parsed)
            if len(chunk) == CHUNK:
                _write(chunk, places, report)
                chunk = []
                tick(done, total, f"Đã ghi {done:,}/{total:,} hộ")
        if chunk:
            _write(chunk, places, report)
        report.written = True
        record_batch(
            actor=actor,
            object_type="registry.household",
            counts={
                "households": report.households,
                "members": report.members,
                "created": report.created,
                "updated": report.updated,
                "skipped": report.skipped,
            },
            message=f"Imported households from {filename}",
            place=_single_place(places),
        )
    return report


def _single_place(places: _Places):
    touched = [places.communes[c] for c in places.villages]
    if len(touched) == 1:
        return touched[0]
    provinces = {c.province_id for c in touched}
    if len(provinces) == 1:
        from langso.geo.models import Province

        return Province.objects.get(code=provinces.pop())
    return None


def _write(chunk: list, places: _Places, report: HouseholdImportReport) -> None:
    """Match a chunk against what is stored, then insert or update it with bulk statements."""
    codes = [p.record.code for p in chunk if p.record.code]
    by_code = {h.code: h for h in Household.objects.filter(code__in=codes)}
    heads = {id(p): next(m for m in p.record.members if m.relationship == "head") for p in chunk}
    hashes = {
        field_encryption.lookup_hash(h.id_number): id(p)
        for p in chunk
        if (h := heads[id(p)]).id_number
    }
    by_hash = {
        m.id_number_hash: m.household
        for m in Member.objects.filter(
            id_number_hash__in=list(hashes), relationship="head"
        ).select_related("household")
    }
    name_keys = [plain(h.full_name) for h in heads.values()]
    by_name = {
        (m.household.village_id, m.name_key, m.birth_year): m.household
        for m in Member.objects.filter(name_key__in=name_keys, relationship="head").select_related(
            "household"
        )
    }

    new_households, matched = [], []
    for p in chunk:
        head = heads[id(p)]
        existing = (
            by_code.get(p.record.code)
            or (
                by_hash.get(field_encryption.lookup_hash(head.id_number))
                if head.id_number
                else None
            )
            or by_name.get((p.record.village_id, plain(head.full_name), head.birth_year))
        )
        if existing is None:
            new_households.append((p, _new_household(p, places)))
        else:
            matched.append((p, existing))

    Household.objects.bulk_create([h for _p, h in new_households], batch_size=CHUNK)
    Member.objects.bulk_create(
        [_member(h, m) for p, h in new_households for m in p.record.members], batch_size=2000
    )
    report.created += len(new_households)
    changed = [household for p, household in matched if _apply(household, p)]
    update_many(Household, changed, [*records.HOUSEHOLD_FACTS, "address"])
    if matched:
        _merge_members(matched)
    report.updated += len(matched)


def _apply(household: Household, p) -> bool:
    """Copy the file's household facts onto a stored household; True if anything changed."""
    changed = False
    values = dict(p.record.facts)
    if p.record.address:
        values["address"] = clean(p.record.address)
    for name, value in values.items():
        if getattr(household, name) != value:
            setattr(household, name, value)
            changed = True
    return changed


def _new_household(p, places: _Places) -> Household:
    village = p.record.village_id
    commune = p.commune_code  # checked against the actor's communes in the first pass
    code = p.record.code or _next_code(commune, places)
    return Household(
        code=code,
        commune_id=commune,
        village_id=village,
        address=clean(p.record.address),
        member_count=len(p.record.members),
        is_ethnic_minority=any(m.ethnicity and m.ethnicity != "01" for m in p.record.members),
        **p.record.facts,
    )


def _next_code(commune: str, places: _Places) -> str:
    counters = places.last_code
    if commune not in counters:
        last = (
            Household.objects.filter(code__startswith=f"{commune}-")
            .order_by("-code")
            .values_list("code", flat=True)
            .first()
        )
        tail = last.rsplit("-", 1)[1] if last else "0"
        counters[commune] = int(tail) if tail.isdigit() else 0
    counters[commune] += 1
    return f"{commune}-{counters[commune]:06d}"


def _merge_members(matched: list) -> None:
    """Add members not yet stored; refresh the facts of those that are (by CCCD or name+year)."""
    households = [h for _p, h in matched]
    stored: dict[int, list[Member]] = {}
    for m in Member.objects.filter(household__in=households):
        stored.setdefault(m.household_id, []).append(m)
    new, changed = [], []
    for p, household in matched:
        mine = stored.get(household.pk, [])
        for record in p.record.members:
            digest = field_encryption.lookup_hash(record.id_number) if record.id_number else ""
            found = next((m for m in mine if digest and m.id_number_hash == digest), None) or next(
                (
                    m
                    for m in mine
                    if m.name_key == plain(record.full_name) and m.birth_year == record.birth_year
                ),
                None,
            )
            if found is None:
                new.append(_member(household, record))
            elif any(getattr(found, n) != v for n, v in record.facts.items()):
                for name, value in record.facts.items():
                    setattr(found, name, value)
                changed.append(found)
    Member.objects.bulk_create(new, batch_size=2000)
    update_many(Member, changed, list(records.MEMBER_FACTS))
    recount = []
    for household in households:
        members = stored.get(household.pk, []) + [m for m in new if m.household_id == household.pk]
        count = len(members)
        minority = any(m.ethnicity not in ("", "01") for m in members)
        if (household.member_count, household.is_ethnic_minority) != (count, minority):
            household.member_count, household.is_ethnic_minority = count, minority
            recount.append(household)
    update_many(Household, recount, ["member_count", "is_ethnic_minority"])
