"""Citizen identity card numbers (căn cước / CCCD, 12 digits): checks and masking (pure).

Structure (Thông tư 07/2016/TT-BCA, kept by Thông tư 59/2021/TT-BCA): 3 digits for the province
where the birth was registered (the 63 pre-2025 provinces, "001"–"096"), 1 digit for sex and
century (0/1: 20th century man/woman, 2/3: 21st, 4/5: 22nd …), 2 digits for the year of birth,
6 random digits. Only what can be checked offline is checked: no registry is queried.
"""

import re

_DIGITS = re.compile(r"^\d{12}$")
_SEPARATORS = re.compile(r"[\s.\-]")


def normalise(value: str) -> str:
    """Digits only: "0012 0300 1234" and "001203001234" are the same number."""
    value = value or ""
    return value if value.isdigit() else _SEPARATORS.sub("", value)


def problems(
    number: str,
    *,
    birth_year: int | None = None,
    sex: str | None = None,
    province_codes: frozenset[str] | None = None,
) -> list[str]:
    """Reasons the number cannot be right, in Vietnamese; empty if it passes every check."""
    number = normalise(number)
    if not _DIGITS.match(number):
        return ["số CCCD phải gồm đúng 12 chữ số"]
    reasons = []
    unknown_province = province_codes is not None and number[1:3] not in province_codes
    if number[0] != "0" or unknown_province:
        reasons.append(f"mã tỉnh nơi đăng ký khai sinh {number[:3]} không có")
    century_sex = int(number[3])
    century = 1900 + 100 * (century_sex // 2)
    year = century + int(number[4:6])
    if birth_year is not None and birth_year != year:
        reasons.append(f"năm sinh trong số CCCD là {year}, khác năm sinh {birth_year}")
    if sex in {"male", "female"}:
        coded = "male" if century_sex % 2 == 0 else "female"
        if coded != sex:
            reasons.append("giới tính trong số CCCD không khớp")
    return reasons


def mask(number: str) -> str:
    """Shown to people without the right to see it: only the last 4 digits."""
    number = normalise(number)
    return "•" * 8 + number[-4:] if len(number) == 12 else "•" * 12
