"""Synthetic household files in the import template format, for benchmarks (pure: no Django).

One row per person, household columns on the first row of each household (later rows leave them
blank, as survey sheets do), Vietnamese headers and cell texts as communes type them ("Bền chắc",
"1.400.000", "45,5", "Có"). Villages come from a ``ProvincePlan`` of ``demo.generator`` (load
them with ``demo_build``), so every row points at a real commune and a planned village.

Deterministic from the plan's seed; written as a stream, so a 1,000,000-household file needs no
more memory than a 10-household one. People carry valid CCCD numbers (birth-registration
province, century and sex digit, year of birth), unique across the file.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from langso.demo.generator import ProvincePlan, VillagePlan
from langso.registry.import_format import HEADERS

COLUMNS = [
    "household_code",
    "household_number",
    "commune_code",
    "village",
    "address",
    "wall",
    "column",
    "roof",
    "floor_area_m2",
    "water_source",
    "latrine",
    "income_per_person",
    "is_person_of_merit",
    "no_working_capacity",
    "full_name",
    "sex",
    "birth_date",
    "birth_year",
    "ethnicity",
    "relationship",
    "id_number",
    "phone",
    "work_status",
    "has_health_insurance",
    "education",
    "in_school",
    "school_level_fits_age",
    "undernourished",
    "has_disability",
    "has_chronic_illness",
    "receives_social_allowance",
]
SURVEY_YEAR = 2025
# pre-2025 provinces where births are registered (CCCD digits 1-3): Cao Bằng first, then the
# provinces people of Cao Bằng were most often born in; one block of a million serials each
BIRTH_PROVINCES = ("004", "006", "020", "001", "019", "008", "079")

_SURNAMES = {
    "Tày": ["Nông", "Hoàng", "Lương", "Bế", "Đàm", "Lục", "Hà", "Triệu", "Ma", "La"],
    "Nùng": ["Hoàng", "Nông", "Lục", "Lý", "Chu", "Mã", "Đinh", "Vi", "Lăng"],
    "H'Mông": ["Giàng", "Thào", "Vàng", "Sùng", "Lầu", "Vừ", "Mùa", "Hầu", "Lý"],
    "Dao": ["Triệu", "Bàn", "Lý", "Đặng", "Chìu", "Phùng", "Hoàng"],
    "Kinh": ["Nguyễn", "Trần", "Lê", "Phạm", "Vũ", "Hoàng", "Đỗ", "Bùi", "Đặng", "Ngô"],
    "San Chay": ["Hoàng", "Lý", "Triệu", "Nịnh"],
    "Lô Lô": ["Lò", "Chi", "Mùng", "Sì"],
    "Hoa": ["Lý", "Trương", "Hà", "Lục"],
}
_MALE_MIDDLE = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Xuân", "Hữu", "Ngọc"]
_FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Thu", "Thanh", "Hồng", "Ngọc", "Minh"]
_MALE_GIVEN = [
    "Dũng",
    "Minh",
    "Tùng",
    "Quý",
    "Thắng",
    "Hải",
    "Hùng",
    "Tuấn",
    "Long",
    "Nam",
    "Sơn",
    "Trung",
    "Cường",
    "Phong",
    "Bình",
    "Khánh",
    "Đạt",
    "Hiếu",
    "Kiên",
    "Lâm",
    "Lực",
    "Mạnh",
    "Nghĩa",
    "Phúc",
    "Quân",
    "Tài",
    "Thành",
    "Toàn",
    "Trọng",
    "Vinh",
    "Chiến",
    "Dương",
    "Hưng",
    "Hoàng",
    "Lộc",
    "Nguyên",
    "Sáng",
    "Thịnh",
    "Tiến",
    "Tú",
    "Việt",
    "An",
    "Bảo",
    "Đông",
    "Giang",
    "Huy",
    "Khải",
]
_FEMALE_GIVEN = [
    "Lan",
    "Mai",
    "Hoa",
    "Dung",
    "Sinh",
    "Nhung",
    "Hương",
    "Hằng",
    "Huyền",
    "Thảo",
    "Trang",
    "Linh",
    "Ngọc",
    "Vân",
    "Yến",
    "Thủy",
    "Hạnh",
    "Liên",
    "Loan",
    "Nga",
    "Oanh",
    "Phương",
    "Quyên",
    "Tâm",
    "Thơm",
    "Thu",
    "Thúy",
    "Trinh",
    "Uyên",
    "Xuân",
    "Hiền",
    "Hồng",
    "Lý",
    "Mơ",
    "Nhàn",
    "Tuyết",
    "Diệp",
    "Châm",
    "Đào",
    "Gấm",
    "Khuyên",
    "Lụa",
    "Nhi",
    "Quỳnh",
]
_HMONG_MALE = ["A Páo", "Seo Lử", "A Dế", "Mí Sính", "A Sủ", "Chứ Sình", "Văn Chớ", "A Lồng"]
_HMONG_FEMALE = ["Thị Mỷ", "Thị Dợ", "Thị Xúa", "Thị Chu", "Thị Pà", "Thị Dính", "Thị Súa"]

_WATER = [
    "Nước máy",
    "Giếng khoan",
    "Giếng đào được bảo vệ",
    "Nước khe, mó được bảo vệ",
    "Nước mưa",
    "Giếng, khe, mó không được bảo vệ",
    "Sông, suối, ao, hồ",
]
_LATRINE = ["Tự hoại", "Bán tự hoại", "Hai ngăn", "Hố đào đơn giản", "Không có nhà tiêu"]
_EDUCATION = [
    "Chưa đi học / chưa tốt nghiệp tiểu học",
    "Tiểu học",
    "Trung học cơ sở",
    "Trung học phổ thông",
    "Sơ cấp nghề",
    "Trung cấp",
    "Cao đẳng",
    "Đại học trở lên",
]
_WORK_ADULT = [
    "Tự làm (nông nghiệp, buôn bán…)",
    "Làm công, không có hợp đồng",
    "Làm công, có hợp đồng lao động",
    "Nội trợ",
    "Thất nghiệp, đang tìm việc",
]
_YES_NO = ("Có", "Không")


@dataclass
class FileStats:
    households: int = 0
    members: int = 0
    with_id_number: int = 0
    bytes: int = 0


def _cccd(sex: str, year: int, serial: int) -> str:
    """A valid CCCD: birth province (one per million serials), century+sex, year, serial."""
    province = BIRTH_PROVINCES[serial // 1_000_000 % len(BIRTH_PROVINCES)]
    century = (year - 1900) // 100
    return f"{province}{2 * century + (sex == 'female')}{year % 100:02d}{serial % 1_000_000:06d}"


def _name(rng: random.Random, group: str, sex: str) -> str:
    surname = rng.choice(_SURNAMES.get(group, _SURNAMES["Tày"]))
    if group == "H'Mông" and rng.random() < 0.7:
        return f"{surname} {rng.choice(_HMONG_MALE if sex == 'male' else _HMONG_FEMALE)}"
    if sex == "male":
        return f"{surname} {rng.choice(_MALE_MIDDLE)} {rng.choice(_MALE_GIVEN)}"
    return f"{surname} {rng.choice(_FEMALE_MIDDLE)} {rng.choice(_FEMALE_GIVEN)}"


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _people(rng: random.Random, remoteness: float) -> list[tuple[str, int, str]]:
    """(sex, birth year, relationship label) of one household; 3.8 people on average."""
    size = max(1, min(11, round(rng.gauss(3.3 + 0.9 * remoteness, 1.45))))
    head_year = rng.randint(1950, 1998)
    head_sex = "male" if rng.random() < 0.8 else "female"
    people = [(head_sex, head_year, "Chủ hộ")]
    if size > 1 and rng.random() < 0.88:
        spouse = "female" if head_sex == "male" else "male"
        people.append(
            (spouse, head_year + rng.randint(-4, 6), "Vợ" if spouse == "female" else "Chồng")
        )
    if size > 3 and head_year < 1975 and rng.random() < 0.3:
        people.append((rng.choice(["male", "female"]), min(2005, head_year + 22), "Con dâu"))
    if size > 2 and head_year > 1975 and rng.random() < 0.2:
        sex = rng.choice(["male", "female"])
        people.append((sex, head_year - rng.randint(20, 30), "Bố" if sex == "male" else "Mẹ"))
    while len(people) < size:
        if head_year < 1970 and rng.random() < 0.4:
            people.append((rng.choice(["male", "female"]), rng.randint(2008, 2025), "Cháu"))
        else:
            year = rng.randint(head_year + 18, min(SURVEY_YEAR, head_year + 42))
            people.append((rng.choice(["male", "female"]), year, "Con"))
    return people


def _household_rows(
    rng: random.Random, v: VillagePlan, code: str, number: int, serial: Iterator[int]
) -> list[list[str]]:
    r = v.remoteness
    groups, weights = list(v.ethnic_mix), list(v.ethnic_mix.values())
    group = rng.choices(groups, weights)[0]
    minority = group != "Kinh"
    poverty = min(0.95, max(0.02, 0.12 + 0.55 * r + (0.12 if minority else 0) + rng.gauss(0, 0.1)))
    income = int(math.exp(rng.gauss(math.log(2_600_000) - 1.1 * poverty, 0.35)) // 10_000 * 10_000)
    durable = rng.random() > poverty * 0.6
    area = max(12.0, rng.gauss(60 - 30 * poverty, 15))
    household = {
        "household_code": code,
        "household_number": "" if code else str(number),
        "commune_code": v.commune_code,
        "village": v.name,
        "address": f"Số {rng.randint(1, 300)}, {v.name}" if v.kind == "to_dan_pho" else "",
        "wall": "Bền chắc" if durable else "Không bền chắc",
        "column": "Bền chắc" if durable or rng.random() < 0.5 else "Không bền chắc",
        "roof": "Bền chắc" if rng.random() > poverty * 0.5 else "Không bền chắc",
        "floor_area_m2": f"{area:.1f}".replace(".", ",").replace(",0", ""),
        "water_source": rng.choices(_WATER, [3 - 2 * r, 2, 1, 2, 0.3, 1 + 3 * r, 0.5 + r])[0],
        "latrine": rng.choices(_LATRINE, [3 - 2.5 * r, 2, 0.5, 1 + 3 * r, 0.3 + r])[0],
        "income_per_person": _money(income) if rng.random() < 0.97 else "",
        "is_person_of_merit": "Có" if rng.random() < 0.02 else "Không",
        "no_working_capacity": "Có" if rng.random() < 0.03 else "Không",
    }
    rows = []
    for i, (sex, year, relation) in enumerate(_people(rng, r)):
        age = SURVEY_YEAR - year
        member_group = group if rng.random() < 0.9 else rng.choices(groups, weights)[0]
        birth_date = ""
        birth_year = str(year)
        if rng.random() < 0.35:
            month = rng.randint(1, 6 if year == SURVEY_YEAR else 12)
            birth_date = f"{rng.randint(1, 28):02d}/{month:02d}/{year}"
            if rng.random() < 0.5:
                birth_year = ""
        adult = age >= 18
        child = age < 16
        in_school = 6 <= age <= 18 and rng.random() < 0.9 - 0.2 * r
        cells = {
            "full_name": _name(rng, member_group, sex),
            "sex": "Nam" if sex == "male" else "Nữ",
            "birth_date": birth_date,
            "birth_year": birth_year,
            "ethnicity": member_group if rng.random() < 0.95 else "",
            "relationship": relation,
            "id_number": _cccd(sex, year, next(serial))
            if age >= 14 and rng.random() < 0.92
            else "",
            "phone": f"09{rng.randrange(10**8):08d}" if adult and rng.random() < 0.6 else "",
            "work_status": (
                rng.choices(_WORK_ADULT, [6, 2, 1, 1, 0.3])[0]
                if adult and age < 65
                else "Đang đi học"
                if in_school
                else "Trẻ em / không thuộc diện"
                if age < 15
                else "Nghỉ hưu"
                if age >= 65
                else ""
            ),
            "has_health_insurance": "Có" if rng.random() < 0.93 - 0.15 * r else "Không",
            "education": (
                _EDUCATION[min(7, max(0, int(rng.gauss(3.2 - 2.2 * poverty, 1.2))))]
                if age >= 15
                else ""
            ),
            "in_school": ("Có" if in_school else "Không") if 5 <= age <= 22 else "",
            "school_level_fits_age": (
                ("Có" if rng.random() < 0.85 else "Không") if in_school else ""
            ),
            "undernourished": (
                ("Có" if rng.random() < 0.05 + 0.15 * r else "Không") if child else ""
            ),
            "has_disability": "Có" if rng.random() < 0.03 else "",
            "has_chronic_illness": "Có" if age > 50 and rng.random() < 0.1 else "",
            "receives_social_allowance": "Có" if age >= 80 or rng.random() < 0.01 else "",
        }
        if i == 0:
            cells |= household
        rows.append([cells.get(c, "") for c in COLUMNS])
    return rows


def households(plan: ProvincePlan, *, seed: int = 7) -> Iterator[list[list[str]]]:
    """The rows of each planned household, village by village, in the plan's order."""
    serial = iter(range(10**9))
    numbers: dict[str, int] = {}
    for v in plan.villages:
        rng = random.Random(f"{seed}:{v.seed}")
        for _ in range(v.households):
            number = numbers.get(v.commune_code, 0) + 1
            numbers[v.commune_code] = number
            # 2% of households have no code yet: the file numbers them (STT hộ) instead
            code = f"{v.commune_code}{number:06d}" if rng.random() >= 0.02 else ""
            yield _household_rows(rng, v, code, number, serial)


def write_csv(path: Path, plan: ProvincePlan, *, seed: int = 7) -> FileStats:
    """Write every household of the plan to ``path`` (UTF-8 with BOM, as Excel saves CSV)."""
    stats = FileStats()
    id_column = COLUMNS.index("id_number")
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([HEADERS[c] for c in COLUMNS])
        for rows in households(plan, seed=seed):
            writer.writerows(rows)
            stats.households += 1
            stats.members += len(rows)
            stats.with_id_number += sum(1 for r in rows if r[id_column])
    stats.bytes = path.stat().st_size
    return stats
