from langso.registry.ethnicity import catalogue


def test_the_catalogue_holds_54_groups_with_unique_two_digit_codes():
    groups = catalogue().groups
    assert len(groups) == 54
    assert sorted(g.code for g in groups) == [f"{n:02d}" for n in range(1, 55)]


def test_codes_checked_against_the_gso_table_are_marked_confirmed():
    cat = catalogue()
    assert [cat.by_code(c).name for c in ("01", "02", "04", "06", "07", "08", "09")] == [
        "Kinh",
        "Tày",
        "Mường",
        "Hoa",
        "Nùng",
        "H'Mông",
        "Dao",
    ]
    assert all(g.confirmed for g in cat.groups if int(g.code) <= 20)


def test_unchecked_codes_stay_flagged_unconfirmed():
    assert not catalogue().by_code("45").confirmed


def test_groups_are_found_by_other_names_and_spellings():
    cat = catalogue()
    assert cat.find("Mông").code == "08"
    assert cat.find("hmong").code == "08"
    assert cat.find("Khmer").code == "05"
    assert cat.find("8").code == "08"


def test_only_kinh_is_not_a_minority():
    assert [g.name for g in catalogue().groups if not g.is_minority] == ["Kinh"]


def test_an_unknown_name_is_not_guessed():
    assert catalogue().find("Elf") is None


def test_a_groups_own_name_wins_over_another_groups_other_name():
    assert catalogue().find("Thổ").code == "21"  # also an old other name of Tày
