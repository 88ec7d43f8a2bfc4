from langso.registry import cccd

PROVINCES = frozenset({"01", "04", "24"})
# 004 (Cao Bằng) · 1 (woman, 1900s) · 85 · random
WOMAN_1985 = "004185012345"


def test_a_consistent_number_passes():
    assert cccd.problems(WOMAN_1985, birth_year=1985, sex="female", province_codes=PROVINCES) == []


def test_spaces_and_dots_are_ignored():
    assert cccd.normalise("0041 8501.2345") == WOMAN_1985


def test_wrong_length_is_reported():
    assert cccd.problems("00418501234") == ["số CCCD phải gồm đúng 12 chữ số"]


def test_the_birth_year_must_match_the_number():
    assert "năm sinh trong số CCCD là 1985, khác năm sinh 1986" in cccd.problems(
        WOMAN_1985, birth_year=1986
    )


def test_twenty_first_century_births_use_digits_2_and_3():
    assert cccd.problems("004305012345", birth_year=2005, sex="female") == []


def test_the_sex_must_match_the_number():
    assert cccd.problems(WOMAN_1985, sex="male") == ["giới tính trong số CCCD không khớp"]


def test_an_unknown_birth_province_is_reported():
    assert cccd.problems("099185012345", province_codes=PROVINCES)[0].startswith("mã tỉnh")


def test_masking_shows_only_the_last_four_digits():
    assert cccd.mask(WOMAN_1985) == "••••••••2345"
