"""Exports of a filtered household list: one row per person (the import template's columns, so
a corrected export can be imported again) or one row per household with its digital profile.

Sensitive columns (ethnicity, ID number, health facts, the minority flag) are written only for
users allowed to see them, and every export that contains them is logged as a read of
sensitive data with the number of people in it.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from langso.accounts.roles import Capability
from langso.audit.services import record_read
from langso.core import field_encryption
from langso.registry import import_format as fmt
from langso.registry.cccd import mask
from langso.registry.ethnicity import catalogue
from langso.registry.models import (
    DigitalObservation,
    DigitalProfile,
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
from langso.registry.records import DIGITAL_FIELDS, HOUSEHOLD_FACTS, MEMBER_FACTS

KINDS = ("people", "households")
FORMATS = ("csv", "xlsx")
SENSITIVE_MEMBER_FIELDS = frozenset(Member.sensitive_fields) | {"id_number"}
SENSITIVE_HOUSEHOLD_FIELDS = frozenset({"is_ethnic_minority"})
# Above this many rows the page runs the export as a background job with a progress bar.
IMMEDIATE_LIMIT = 5000

_LABELS: dict[str, dict[str, str]] = {
    "wall": dict(Durability.choices),
    "column": dict(Durability.choices),
    "roof": dict(Durability.choices),
    "water_source": dict(WaterSource.choices),
    "latrine": dict(Latrine.choices),
    "sex": dict(Sex.choices),
    "relationship": dict(Relationship.choices),
    "work_status": dict(WorkStatus.choices),
    "education": dict(Education.choices),
}


def _cell(name: str, value: Any) -> Any:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if name in _LABELS:
        return str(_LABELS[name].get(value, value))
    if name == "ethnicity":
        group = catalogue().by_code(value)
        return group.name if group else value
    return value


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: Iterator[list[Any]]
    sensitive_fields: tuple[str, ...]  # what was included, for the access log


def _people(households: QuerySet[Household], *, sensitive: bool, full_id: bool) -> Table:
    household_cols = ["household_code", "commune_code", "village", "address", *HOUSEHOLD_FACTS]
    all_member_cols = (
        *("full_name", "sex", "birth_date", "birth_year", "ethnicity", "relationship"),
        *("id_number", "phone", *MEMBER_FACTS),
    )
    member_cols = [c for c in all_member_cols if sensitive or c not in SENSITIVE_MEMBER_FIELDS]
    headers = [fmt.HEADERS[c] for c in household_cols + member_cols]
    members = (
        Member.objects.filter(household__in=households.values("pk"), is_active=True)
        .order_by("household__code", "id")
        .values(
            "household__code",
            "household__commune_id",
            "household__village__name",
            "household__address",
            *(f"household__{f}" for f in HOUSEHOLD_FACTS),
            "full_name",
            "sex",
            "birth_date",
            "birth_year",
            "ethnicity",
            "relationship",
            "id_number_encrypted",
            "id_number_last4",
            "phone",
            *MEMBER_FACTS,
        )
    )

    def rows() -> Iterator[list[Any]]:
        for m in members.iterator(chunk_size=2000):
            row = [
                m["household__code"],
                m["household__commune_id"],
                m["household__village__name"],
                m["household__address"],
                *(_cell(f, m[f"household__{f}"]) for f in HOUSEHOLD_FACTS),
            ]
            for c in member_cols:
                if c == "id_number":
                    if full_id:
                        value = field_encryption.decrypt(m["id_number_encrypted"])
                    else:
                        value = mask("0" * 8 + m["id_number_last4"]) if m["id_number_last4"] else ""
                    row.append(value)
                else:
                    row.append(_cell(c, m[c]))
            yield row

    included = tuple(c for c in member_cols if c in SENSITIVE_MEMBER_FIELDS)
    return Table(headers, rows(), included)


def _households(households: QuerySet[Household], *, sensitive: bool) -> Table:
    facts = [*HOUSEHOLD_FACTS]
    headers = [
        fmt.HEADERS["household_code"],
        fmt.HEADERS["commune_code"],
        fmt.HEADERS["village"],
        fmt.HEADERS["address"],
        _("Chủ hộ"),
        _("Năm sinh chủ hộ"),
        _("Số nhân khẩu"),
        *(fmt.HEADERS[f] for f in facts),
    ]
    if sensitive:
        headers.append(str(Household._meta.get_field("is_ethnic_minority").verbose_name))
    headers.append(str(DigitalProfile._meta.get_field("observed_on").verbose_name))
    headers += [str(DigitalObservation._meta.get_field(f).verbose_name) for f in DIGITAL_FIELDS]
    heads = Member.objects.filter(relationship="head", is_active=True)
    rows_qs = households.order_by("code").values(
        "pk",
        "code",
        "commune_id",
        "village__name",
        "address",
        "member_count",
        "is_ethnic_minority",
        *facts,
        "digital_profile__observed_on",
        *(f"digital_profile__{f}" for f in DIGITAL_FIELDS),
    )

    def rows() -> Iterator[list[Any]]:
        chunk: list[dict] = []
        for h in rows_qs.iterator(chunk_size=2000):
            chunk.append(h)
            if len(chunk) == 2000:
                yield from _household_rows(chunk)
                chunk = []
        yield from _household_rows(chunk)

    def _household_rows(chunk: list[dict]) -> Iterator[list[Any]]:
        names = {
            hid: (name, year)
            for hid, name, year in heads.filter(
                household_id__in=[h["pk"] for h in chunk]
            ).values_list("household_id", "full_name", "birth_year")
        }
        for h in chunk:
            name, year = names.get(h["pk"], ("", ""))
            row = [h["code"], h["commune_id"], h["village__name"], h["address"], name, year]
            row.append(h["member_count"])
            row += [_cell(f, h[f]) for f in facts]
            if sensitive:
                row.append(_cell("is_ethnic_minority", h["is_ethnic_minority"]))
            row.append(h["digital_profile__observed_on"] or "")
            row += [_cell(f, h[f"digital_profile__{f}"]) for f in DIGITAL_FIELDS]
            yield row

    included = ("is_ethnic_minority",) if sensitive else ()
    return Table(headers, rows(), included)


def build(households: QuerySet[Household], *, user: Any, kind: str, full_id: bool = False) -> Table:
    """The table for a filtered (already scoped) household list, as this user may see it."""
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}")
    sensitive = user.can(Capability.VIEW_SENSITIVE)
    if kind == "households":
        return _households(households, sensitive=sensitive)
    return _people(households, sensitive=sensitive, full_id=full_id and sensitive)


def count_rows(households: QuerySet[Household], kind: str) -> int:
    if kind == "households":
        return households.count()
    return Member.objects.filter(household__in=households.values("pk"), is_active=True).count()


def _counted(rows: Iterable[list[Any]], progress: Callable[[int], None] | None):
    for n, row in enumerate(rows, 1):
        if progress and n % 2000 == 0:
            progress(n)
        yield row


def write_csv(table: Table, out: IO[str], progress: Callable[[int], None] | None = None) -> int:
    """CSV with a BOM so Excel opens Vietnamese text correctly; returns the number of rows."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(table.headers)
    n = 0
    for n, row in enumerate(_counted(table.rows, progress), 1):  # noqa: B007
        writer.writerow(row)
    return n


def write_xlsx(
    table: Table, out: IO[bytes], sheet: str, progress: Callable[[int], None] | None = None
) -> int:
    """An XLSX written as a stream (openpyxl write-only), so memory stays flat."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    ws.append(table.headers)
    n = 0
    for n, row in enumerate(_counted(table.rows, progress), 1):  # noqa: B007
        ws.append(row)
    book.save(out)
    return n


def log_export(*, user: Any, table: Table, rows: int, kind: str) -> None:
    if table.sensitive_fields:
        record_read(
            actor=user,
            object_type="registry.member" if kind == "people" else "registry.household",
            fields=list(table.sensitive_fields),
            count=rows,
            message=f"xuất danh sách ({kind}, {rows} dòng)",
        )
