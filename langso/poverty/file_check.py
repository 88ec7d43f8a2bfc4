"""Check a survey file against the poverty rules without importing it.

The file is the registry's import template (CSV or XLSX, households and members), optionally
with digital columns ("Dùng Internet", "Có ti vi" …) that the two information indicators read.
Each household gets, per indicator, deprived / not deprived / unknown with the evidence, the
deprivation count, the income used and the class, as one CSV row. Nothing is written to the
database; a row the importer would refuse is still assessed as far as it can be, and its
problems are listed in the last column.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, TextIO

from langso.core.tabular import read_table
from langso.poverty import rules
from langso.poverty.standard import Standard
from langso.registry import import_format as fmt
from langso.registry.importer import _choices
from langso.registry.records import validate_household

# household-level digital facts a survey sheet may carry (yes on any member's row counts)
DIGITAL_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "uses_internet": ("Dùng Internet", ("sử dụng internet", "internet")),
    "has_smartphone": ("Có điện thoại thông minh", ("điện thoại thông minh", "smartphone")),
    "has_feature_phone": ("Có điện thoại thường", ("điện thoại thường",)),
    "has_tv": ("Có ti vi", ("ti vi", "tivi", "tv")),
    "has_radio": ("Có radio", ("radio", "đài")),
    "has_computer": ("Có máy tính", ("máy tính", "computer")),
    "hears_loudspeaker": ("Nghe được loa truyền thanh", ("nghe loa", "loa truyền thanh")),
}
STATUS_VI = {
    rules.DEPRIVED: "thiếu hụt",
    rules.NOT_DEPRIVED: "không",
    rules.UNKNOWN: "chưa rõ",
}
CLASS_VI = {
    "poor": "hộ nghèo",
    "near_poor": "hộ cận nghèo",
    "middle_income": "hộ có mức sống trung bình",
    "above": "trên mức trung bình",
    None: "chưa phân loại",
}


@dataclass
class Checked:
    first_row: int
    key: str  # household code or number, as in the file
    commune: str
    village: str
    head: str
    members: int
    result: rules.Result | None
    problems: list[str]


def _digital(rows: list, problems: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name in DIGITAL_COLUMNS:
        values = []
        for row in rows:
            text = (row.values.get(name) or "").strip()
            if not text:
                continue
            try:
                values.append(fmt.parse_bool(text))
            except ValueError:
                problems.append(f"dòng {row.number}, {DIGITAL_COLUMNS[name][0]}: '{text}'")
        known = [v for v in values if v is not None]
        out[f"digital.{name}"] = True if any(known) else False if known else None
    return out


def check(
    filename: str,
    stream: BinaryIO,
    *,
    standard: Standard,
    review_year: int,
    area_type_of: Callable[[str], str | None],
    today: dt.date,
) -> Iterator[Checked]:
    """Every household of the file, assessed under ``standard`` (raises TableError when the
    file itself cannot be read: no header, missing columns)."""
    aliases = {**fmt.ALIASES, **{k: (h, *o) for k, (h, o) in DIGITAL_COLUMNS.items()}}
    rows = read_table(
        filename, stream, aliases, required=("full_name",), any_of=(("commune_code",),)
    )
    reader = fmt.HouseholdReader(_choices())
    as_of = rules.default_as_of(review_year)
    for group in fmt.group_rows(rows):
        parsed = reader(group)
        record = parsed.record
        problems = [
            f"dòng {row}, {column}: '{value}' {why}" for row, column, value, why in parsed.problems
        ]
        for p in validate_household(record, today=today):
            if p.field != "village":
                row, column = fmt.problem_location(parsed, p)
                problems.append(f"dòng {row}, {column}: {p.reason}")
        area_type = area_type_of(parsed.commune_code)
        if area_type is None:
            problems.append(f"dòng {parsed.first_row}: không có xã mã '{parsed.commune_code}'")
        members = [
            rules.Person(m.birth_year, m.birth_date, dict(m.facts), ref=row, name=m.full_name)
            for m, row in zip(record.members, parsed.rows, strict=True)
            if m.birth_year is not None
        ]
        facts = {**record.facts, **_digital(group, problems)}
        result = None
        if area_type is not None:
            result = rules.assess(
                standard,
                review_year,
                rules.HouseholdFacts(
                    area_type, record.facts.get("income_per_person"), facts, members
                ),
                as_of,
            )
        head = next((m.full_name for m in record.members if m.relationship == "head"), "")
        first = group[0].values
        yield Checked(
            first_row=parsed.first_row,
            key=(first.get("household_code") or first.get("household_number") or "").strip(),
            commune=parsed.commune_code,
            village=parsed.village_name,
            head=head,
            members=len(record.members),
            result=result,
            problems=problems,
        )


def _evidence(indicator: rules.IndicatorResult) -> str:
    parts = []
    for e in indicator.evidence:
        facts = ", ".join(f"{k}={'?' if v in (None, '') else v}" for k, v in e.facts.items())
        parts.append(f"{e.name} (dòng {e.member}): {facts}" if e.name else facts)
    return "; ".join(parts)


def write_csv(checked: Iterator[Checked], standard: Standard, out: TextIO) -> dict[str, int]:
    """The CSV (open files with encoding "utf-8-sig" for Excel); returns counts by class and
    of households with problems."""
    writer = csv.writer(out)
    header = ["Dòng", "Mã hộ / STT", "Mã xã", "Thôn", "Chủ hộ", "Số người", "Khu vực"]
    header += ["Thu nhập dùng (đồng/người/tháng)"]
    for ind in standard.indicators:
        header += [f"{ind.number}. {ind.name_vi}", f"{ind.number}. căn cứ"]
    header += ["Số chỉ số thiếu hụt", "Số chỉ số chưa rõ", "Phân loại", "Các loại có thể"]
    header += ["Cần xem lại", "Lỗi trong tệp"]
    writer.writerow(header)
    counts: dict[str, int] = {}
    for c in checked:
        r = c.result
        row = [c.first_row, c.key, c.commune, c.village, c.head, c.members]
        if r is None:
            row += ["", ""] + ["", ""] * len(standard.indicators) + ["", "", "", "", ""]
            key = "error"
        else:
            row += ["nông thôn" if r.area_type == "rural" else "thành thị", r.income_per_person]
            for ind in r.indicators:
                row += [
                    STATUS_VI[ind.status],
                    _evidence(ind) if ind.status != "not_deprived" else "",
                ]
            row += [r.deprived, r.unknown, CLASS_VI[r.klass]]
            row += [", ".join(CLASS_VI[k] for k in r.possible), "có" if r.needs_review else ""]
            key = r.klass or "unknown"
        row.append(" | ".join(c.problems))
        writer.writerow(row)
        counts[key] = counts.get(key, 0) + 1
        if c.problems:
            counts["with_problems"] = counts.get("with_problems", 0) + 1
    return counts
