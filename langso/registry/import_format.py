"""The household import template: columns, how cell text becomes values, and how rows group
into households (pure: no Django).

One row per person. Household columns are read from the first row of each household (later rows
may leave them blank). Rows of one household are consecutive, as in survey sheets, so files are
read as a stream: memory does not grow with the file.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from langso.core.tabular import Row
from langso.geo.names import name_key, plain
from langso.registry.records import (
    HOUSEHOLD_FACTS,
    MEMBER_FACTS,
    HouseholdRecord,
    MemberRecord,
    Problem,
)

# field -> (Vietnamese header of the template, other accepted headers)
HOUSEHOLD_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "household_code": ("Mã hộ", ("ma ho", "household code")),
    "household_number": ("STT hộ", ("số thứ tự hộ", "stt", "household no")),
    "commune_code": ("Mã xã", ("commune code",)),
    "village": ("Thôn", ("tên thôn", "thôn / tổ dân phố", "village")),
    "address": ("Địa chỉ", ("address",)),
    "wall": ("Tường", ("vật liệu tường",)),
    "column": ("Cột", ("vật liệu cột",)),
    "roof": ("Mái", ("vật liệu mái",)),
    "floor_area_m2": ("Diện tích nhà (m2)", ("diện tích nhà ở", "diện tích nhà", "floor area")),
    "water_source": ("Nguồn nước", ("nguồn nước sinh hoạt",)),
    "latrine": ("Nhà tiêu", ("loại nhà tiêu",)),
    "income_per_person": ("Thu nhập BQ (đồng/người/tháng)", ("thu nhập bình quân", "thu nhập")),
    "is_person_of_merit": ("Hộ có người có công", ("người có công",)),
    "no_working_capacity": ("Hộ không có khả năng lao động", ("không có khả năng lao động",)),
}
MEMBER_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "full_name": ("Họ và tên", ("họ tên", "name", "full name")),
    "sex": ("Giới tính", ("sex",)),
    "birth_date": ("Ngày sinh", ("date of birth",)),
    "birth_year": ("Năm sinh", ("year of birth",)),
    "ethnicity": ("Dân tộc", ("ethnicity",)),
    "relationship": ("Quan hệ với chủ hộ", ("quan hệ", "relationship")),
    "id_number": ("Số CCCD", ("cccd", "số định danh", "căn cước", "id number")),
    "phone": ("Điện thoại", ("số điện thoại", "phone")),
    "work_status": ("Việc làm", ("tình trạng việc làm",)),
    "has_health_insurance": ("Có BHYT", ("bhyt", "bảo hiểm y tế")),
    "education": ("Trình độ", ("trình độ học vấn", "bằng cấp cao nhất")),
    "in_school": ("Đang đi học", ()),
    "school_level_fits_age": ("Học đúng cấp theo tuổi", ("học đúng cấp",)),
    "undernourished": ("Suy dinh dưỡng", ()),
    "has_disability": ("Khuyết tật", ()),
    "has_chronic_illness": ("Bệnh mãn tính", ("bệnh hiểm nghèo",)),
    "receives_social_allowance": ("Trợ cấp xã hội hằng tháng", ("trợ cấp xã hội",)),
}
ALIASES = {f: (h, *others) for f, (h, others) in {**HOUSEHOLD_COLUMNS, **MEMBER_COLUMNS}.items()}
HEADERS = {f: h for f, (h, _o) in {**HOUSEHOLD_COLUMNS, **MEMBER_COLUMNS}.items()}
BOOL_FIELDS = {
    "is_person_of_merit",
    "no_working_capacity",
    "has_health_insurance",
    "in_school",
    "school_level_fits_age",
    "undernourished",
    "has_disability",
    "has_chronic_illness",
    "receives_social_allowance",
}
_TRUE = {"co", "c", "x", "1", "yes", "y", "true", "dung"}
_FALSE = {"khong", "k", "0", "no", "n", "false", "sai"}


@dataclass
class ParsedHousehold:
    first_row: int
    rows: list[int]
    commune_code: str
    village_name: str
    record: HouseholdRecord
    problems: list[tuple[int, str, str, str]] = field(
        default_factory=list
    )  # row, column, value, why


# Cells of a choice or yes/no column repeat a handful of texts a million times: their readings
# are remembered, up to this many different texts per column (then forgotten and relearnt), so
# memory stays bounded whatever the file holds.
_REMEMBERED = 4096
_DATES_REMEMBERED = 50_000  # every day of 120 years of births, and then some


class Choices:
    """Cell text -> a choice value, by the value itself or its label, marks optional."""

    def __init__(self, choices: Iterable[tuple[str, str]], extra: dict[str, str] | None = None):
        self.lookup: dict[str, str] = {}
        for value, label in choices:
            for text in (value, str(label)):
                self.lookup[name_key(text)] = value
                self.lookup.setdefault(plain(text), value)
        for text, value in (extra or {}).items():
            self.lookup[name_key(text)] = value
            self.lookup.setdefault(plain(text), value)
        self._seen: dict[str, str | None] = {}

    def __call__(self, text: str) -> str | None:
        try:
            return self._seen[text]
        except KeyError:
            pass
        value = self.lookup.get(name_key(text)) or self.lookup.get(plain(text))
        if len(self._seen) >= _REMEMBERED:
            self._seen.clear()
        self._seen[text] = value
        return value


@lru_cache(maxsize=_REMEMBERED)
def _bool_key(text: str) -> str:
    return plain(text).replace(" ", "")


def parse_bool(text: str) -> bool | None:
    """ "Có"/"x"/"1" -> True, "Không"/"0" -> False, blank -> None; anything else raises."""
    key = _bool_key(text)
    if not key:
        return None
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError("ghi Có hoặc Không")


_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    if m := _DATE.match(text):
        day, month, year = map(int, m.groups())
        return dt.date(year, month, day)
    return dt.date.fromisoformat(text[:10])  # ISO, as spreadsheets export dates


def _area(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ".")).quantize(Decimal("0.1"))
    except InvalidOperation:
        raise ValueError("không phải là số") from None


def group_rows(rows: Iterable[Row]) -> Iterator[list[Row]]:
    """Consecutive rows with the same household key (code, else number) form a household."""
    current: list[Row] = []
    key = None
    for row in rows:
        row_key = (
            row.values.get("household_code", "").strip()
            or row.values.get("household_number", "").strip()
        )
        if current and row_key and row_key != key:
            yield current
            current = []
        if not current:
            key = row_key
        current.append(row)
    if current:
        yield current


def _whole(text: str) -> int:
    return int(float(text))


def _income(text: str) -> int:
    return int(float(text.replace(".", "").replace(",", "")))


@lru_cache(maxsize=_DATES_REMEMBERED)
def _date(text: str) -> dt.date | None:
    return parse_date(text)


Complaint = tuple[str, str, str]  # column header, cell text, why it cannot be read


class HouseholdReader:
    """Cell texts of one household's rows -> a ParsedHousehold; cells that cannot be read are
    reported by row and column. Built once per file from the choice columns' readings.

    Called once per household of files with millions of rows, so its loops are flat (no call
    per cell beyond the reading itself) and blank cells cost one dictionary lookup. A member's
    facts (work, insurance, schooling …) are a handful of texts repeated across the file in a
    few hundred combinations, so each combination's reading is remembered whole (bounded, as
    the choices' readings are).
    """

    def __init__(self, choices: dict[str, Choices]) -> None:
        special = {"floor_area_m2": _area, "income_per_person": _income}
        self.household_readers = tuple(
            (name, parse_bool if name in BOOL_FIELDS else special.get(name) or choices[name])
            for name in HOUSEHOLD_FACTS
        )
        self.fact_readers = (
            *((n, parse_bool if n in BOOL_FIELDS else choices[n]) for n in MEMBER_FACTS),
            ("sex", choices["sex"]),
            ("relationship", choices["relationship"]),
        )
        self.fact_columns = tuple(name for name, _reader in self.fact_readers)
        self.birth_readers = (("birth_year", _whole), ("birth_date", _date))
        self._facts_seen: dict[tuple, tuple[dict[str, object], list[Complaint]]] = {}

    def __call__(self, rows: list[Row]) -> ParsedHousehold:
        first = rows[0]
        problems: list[tuple[int, str, str, str]] = []
        facts, complaints = _read(first.values, self.household_readers)
        problems += [(first.number, *c) for c in complaints]
        members = []
        for row in rows:
            values = row.values
            facts_of_member, complaints = self._member_facts(values)
            birth, more = _read(values, self.birth_readers)
            if complaints or more:
                problems += [(row.number, *c) for c in complaints + more]
            members.append(
                MemberRecord(
                    full_name=values.get("full_name", "").strip(),
                    sex=facts_of_member.pop("sex", ""),
                    birth_year=birth.get("birth_year"),
                    birth_date=birth.get("birth_date"),
                    relationship=facts_of_member.pop("relationship", ""),
                    ethnicity=values.get("ethnicity", "").strip(),
                    id_number=values.get("id_number", "").strip(),
                    phone=values.get("phone", "").strip(),
                    facts=facts_of_member,
                )
            )
        values = first.values
        commune = values.get("commune_code", "").strip()
        record = HouseholdRecord(
            village_id=None,
            members=members,
            code=values.get("household_code", "").strip(),
            address=values.get("address", "").strip(),
            facts=facts,
        )
        return ParsedHousehold(
            first_row=first.number,
            rows=[r.number for r in rows],
            commune_code=commune.zfill(5) if commune else "",
            village_name=values.get("village", "").strip(),
            record=record,
            problems=problems,
        )

    def _member_facts(self, values: dict[str, str]) -> tuple[dict[str, object], list[Complaint]]:
        key = tuple(map(values.get, self.fact_columns))
        try:
            facts, complaints = self._facts_seen[key]
        except KeyError:
            facts, complaints = _read(values, self.fact_readers)
            if len(self._facts_seen) >= _REMEMBERED:
                self._facts_seen.clear()
            self._facts_seen[key] = facts, complaints
        return dict(facts), complaints


def _read(
    values: dict[str, str], readers: tuple[tuple[str, Callable], ...]
) -> tuple[dict[str, object], list[Complaint]]:
    """The readable, non-blank cells of these columns, and complaints about the others."""
    out: dict[str, object] = {}
    complaints: list[Complaint] = []
    for name, reader in readers:
        text = values.get(name)
        if not text or not (text := text.strip()):
            continue
        try:
            value = reader(text)
        except (ValueError, TypeError) as exc:
            complaints.append((HEADERS[name], text, str(exc) or "không đọc được"))
            continue
        if value is None:
            complaints.append((HEADERS[name], text, "không có trong danh mục"))
        else:
            out[name] = value
    return out, complaints


def problem_location(parsed: ParsedHousehold, problem: Problem) -> tuple[int, str]:
    """Excel row and template header of a problem: "members[2].sex" -> (row, "Giới tính")."""
    if m := re.match(r"members\[(\d+)\]\.(\w+)", problem.field):
        index, name = int(m.group(1)), m.group(2)
        return parsed.rows[index], HEADERS.get(name, name)
    name = {"village": "village", "members": "relationship"}.get(problem.field, problem.field)
    return parsed.first_row, HEADERS.get(name, problem.field)
