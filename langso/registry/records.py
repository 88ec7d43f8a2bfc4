"""What a household and its members look like on the way in, and what makes them invalid
(pure: no Django). The page, the API and the importer all validate through here, so they give
the same reasons for the same mistakes."""

import datetime as dt
from dataclasses import dataclass, field

from langso.registry.cccd import normalise as normalise_id
from langso.registry.cccd import problems as id_problems
from langso.registry.ethnicity import catalogue

SEXES = {"male", "female"}
RELATIONSHIPS = {
    "head",
    "spouse",
    "child",
    "parent",
    "grandchild",
    "grandparent",
    "sibling",
    "child_in_law",
    "other",
}
OLDEST_PLAUSIBLE_AGE = 120
# The facts a household and a member carry (model fields of the same names); the importer, the
# template and the services all read these lists.
HOUSEHOLD_FACTS = (
    "wall",
    "column",
    "roof",
    "floor_area_m2",
    "water_source",
    "latrine",
    "income_per_person",
    "is_person_of_merit",
    "no_working_capacity",
)
MEMBER_FACTS = (
    "work_status",
    "has_health_insurance",
    "education",
    "in_school",
    "school_level_fits_age",
    "undernourished",
    "has_disability",
    "has_chronic_illness",
    "receives_social_allowance",
)

# What a digital observation can record (model fields of the same names; ITU-aligned, see docs).
DIGITAL_FIELDS = (
    "has_smartphone",
    "has_feature_phone",
    "has_computer",
    "has_tv",
    "has_radio",
    "has_mobile_data",
    "has_fixed_broadband",
    "hears_loudspeaker",
    "uses_internet",
    "vneid_level",
    "has_bank_or_ewallet",
    "pays_cashless",
    "uses_messaging",
    "uses_online_public_services",
    "buys_online",
    "sells_online",
)


def given_key(name_key: str) -> str:
    """The given name (last word) of a plain name key: "nong van dung" -> "dung"."""
    return name_key.rsplit(" ", 1)[-1][:40]


@dataclass
class MemberRecord:
    full_name: str
    sex: str
    birth_year: int | None
    relationship: str
    birth_date: dt.date | None = None
    ethnicity: str = ""  # code "01".."54" or a name; normalised to the code by validate
    id_number: str = ""
    phone: str = ""
    facts: dict[str, object] = field(default_factory=dict)  # the indicator facts, see models


@dataclass
class HouseholdRecord:
    village_id: int | None
    members: list[MemberRecord]
    code: str = ""
    address: str = ""
    facts: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    field: str  # "members[2].id_number" style path
    reason: str


def validate_member(
    m: MemberRecord,
    *,
    today: dt.date,
    province_codes: frozenset[str] | None = None,
    prefix: str = "",
) -> list[Problem]:
    """Problems with one member; normalises ethnicity to its code and the ID to its digits."""
    out: list[Problem] = []

    def bad(name: str, reason: str) -> None:
        out.append(Problem(f"{prefix}{name}", reason))

    if not m.full_name.strip():
        bad("full_name", "thiếu họ tên")
    if m.sex not in SEXES:
        bad("sex", "giới tính phải là Nam hoặc Nữ")
    if m.relationship not in RELATIONSHIPS:
        bad("relationship", "quan hệ với chủ hộ không hợp lệ")
    if m.birth_date is not None:
        if m.birth_date > today:
            bad("birth_date", "ngày sinh ở tương lai")
        if m.birth_year is None:
            m.birth_year = m.birth_date.year
        elif m.birth_year != m.birth_date.year:
            bad("birth_year", "năm sinh khác năm của ngày sinh")
    if m.birth_year is None:
        bad("birth_year", "thiếu năm sinh")
    elif not today.year - OLDEST_PLAUSIBLE_AGE <= m.birth_year <= today.year:
        bad("birth_year", f"năm sinh {m.birth_year} không hợp lý")
    if m.ethnicity:
        group = catalogue().find(m.ethnicity)
        if group is None:
            bad("ethnicity", f"không có dân tộc '{m.ethnicity}' trong danh mục 54 dân tộc")
        else:
            m.ethnicity = group.code
    if m.id_number:
        m.id_number = normalise_id(m.id_number)
        for reason in id_problems(
            m.id_number,
            birth_year=m.birth_year,
            sex=m.sex if m.sex in SEXES else None,
            province_codes=province_codes,
        ):
            bad("id_number", reason)
    return out


def validate_household(
    h: HouseholdRecord, *, today: dt.date, province_codes: frozenset[str] | None = None
) -> list[Problem]:
    out: list[Problem] = []
    if h.village_id is None:
        out.append(Problem("village", "thiếu thôn"))
    if not h.members:
        out.append(Problem("members", "hộ phải có ít nhất một thành viên"))
    heads = sum(m.relationship == "head" for m in h.members)
    if h.members and heads != 1:
        out.append(Problem("members", f"hộ phải có đúng một chủ hộ (đang có {heads})"))
    seen: dict[str, int] = {}
    for i, m in enumerate(h.members):
        out += validate_member(
            m, today=today, province_codes=province_codes, prefix=f"members[{i}]."
        )
        if m.id_number:
            if m.id_number in seen:
                out.append(
                    Problem(
                        f"members[{i}].id_number",
                        f"trùng số CCCD với thành viên {seen[m.id_number] + 1}",
                    )
                )
            seen.setdefault(m.id_number, i)
    return out + validate_household_facts(h.facts)


def validate_household_facts(facts: dict[str, object]) -> list[Problem]:
    out: list[Problem] = []
    area = facts.get("floor_area_m2")
    if area is not None and not 0 < float(area) < 10_000:
        out.append(Problem("floor_area_m2", "diện tích nhà ở không hợp lý"))
    income = facts.get("income_per_person")
    if income is not None and int(income) < 0:
        out.append(Problem("income_per_person", "thu nhập không được âm"))
    return out
