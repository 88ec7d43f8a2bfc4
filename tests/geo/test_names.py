from langso.geo.names import ascii_key, name_key, unit_key, village_key


def test_tone_mark_placement_does_not_change_the_key():
    assert name_key("Hòa An") == name_key("Hoà An")
    assert name_key("Thủy") == name_key("Thuỷ")


def test_different_tones_give_different_keys():
    assert name_key("Hòa") != name_key("Hoa")
    assert name_key("Nà Mạ") != name_key("Na Ma")


def test_case_spaces_and_unicode_form_are_ignored():
    decomposed = "Ho\u0300a"  # NFD, as some keyboards type it
    assert name_key("  HÒA   an ") == name_key(f"{decomposed} An")


def test_unit_key_drops_the_unit_type():
    assert unit_key("Xã Quang Trung") == unit_key("Quang Trung")
    assert unit_key("Thành phố Cao Bằng") == unit_key("Cao Bằng")
    assert unit_key("TP. Cao Bằng") == unit_key("Cao Bằng")


def test_village_key_drops_the_village_type():
    assert village_key("Thôn Nà Rị") == village_key("Nà Rị")
    assert village_key("Tổ dân phố 5") == village_key("TDP 5")


def test_ascii_key_matches_the_source_data_keys():
    assert ascii_key("Phường Thục Phán") == "phuongthucphan"
    assert ascii_key("Đặc khu Côn Đảo") == "dackhucondao"


def test_control_characters_are_dropped_from_names():
    from langso.geo.names import clean

    assert clean("Nà\x00 Rị\x1b\tTrên") == "Nà Rị Trên"
