import re

import pytest

from langso.outreach.tts.normalize import (
    DEFAULT_FORMS_PATH,
    SpokenForm,
    SpokenForms,
    load_spoken_forms,
    speech_text,
    word_count,
)

# Sentences from the seed articles (/work/shared/seeds), with the reading of their numbers.
SEED_READINGS = [
    (
        "Đến cuối năm 2023, tỷ lệ hộ nghèo trên địa bàn tỉnh giảm 4,23% (giảm 5.349 hộ), đưa tỷ "
        "lệ hộ nghèo từ 28,94% xuống còn 24,71%.",
        [
            "cuối năm hai nghìn không trăm hai mươi ba,",
            "giảm bốn phẩy hai ba phần trăm",
            "giảm năm nghìn ba trăm bốn mươi chín hộ",
            "từ hai mươi tám phẩy chín bốn phần trăm xuống còn hai mươi bốn phẩy bảy một phần trăm",
        ],
    ),
    (
        "các xã, phường, thị trấn ở tỉnh Cao Bằng đã thành lập và kiện toàn 1.462 tổ công nghệ số "
        "cộng đồng với 6.686 thành viên tham gia.",
        ["một nghìn bốn trăm sáu mươi hai tổ", "sáu nghìn sáu trăm tám mươi sáu thành viên"],
    ),
    (
        "Hiện toàn tỉnh Cao Bằng có 1.322 trạm thu phát sóng thông tin di động, phủ sóng di động "
        "2G, 3G, 4G đạt 100%; số thuê bao điện thoại toàn mạng đạt gần 614.582 (trong đó 603.002 "
        "thuê bao di động)",
        [
            "một nghìn ba trăm hai mươi hai trạm",
            "hai gờ, ba gờ, bốn gờ đạt một trăm phần trăm",
            "gần sáu trăm mười bốn nghìn năm trăm tám mươi hai",
            "sáu trăm lẻ ba nghìn không trăm lẻ hai thuê bao",
        ],
    ),
    (
        "chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021 - 2025",
        ["hai nghìn không trăm hai mươi mốt", "hai nghìn không trăm hai mươi lăm"],
    ),
    (
        "Năm 2023, tỷ lệ hộ nghèo của tỉnh giảm xuống còn 2,63%, giảm 1,18% so với năm 2022.",
        ["còn hai phẩy sáu ba phần trăm", "giảm một phẩy một tám phần trăm"],
    ),
    (
        "Với mạng lưới 209 tổ cấp xã và 1.891 tổ cấp thôn, gần 16.000 thành viên đã trở thành "
        'những "cầu nối số"',
        [
            "hai trăm lẻ chín tổ cấp xã",
            "một nghìn tám trăm chín mươi mốt tổ cấp thôn",
            "gần mười sáu nghìn thành viên",
        ],
    ),
    (
        "Bắc Giang đã phủ sóng di động 3G, 4G rộng khắp, lắp đặt gần 1.700 cột ăng ten thu phát "
        "sóng, duy trì hoạt động của hơn 3.800 trạm thu phát sóng di động. Các địa phương cũng "
        "chủ động lắp đặt wifi miễn phí tại nhà văn hóa thôn, bản",
        [
            "ba gờ, bốn gờ rộng khắp",
            "gần một nghìn bảy trăm cột",
            "hơn ba nghìn tám trăm trạm",
            "lắp đặt wai phai miễn phí",
        ],
    ),
    (
        "góp phần xóa mù công nghệ, giúp người dân hòa nhịp với cuộc cách mạng 4.0.",
        ["cuộc cách mạng bốn chấm không."],
    ),
]

# The seeds have no times, dates, money, phone numbers or commune acronyms: these two sentences
# are written in the style of a commune notice to cover them.
NOTICE_READINGS = [
    (
        "UBND xã thông báo: từ 7h30 ngày 15/3/2024, Tổ CNS hướng dẫn người dân cài đặt VNeID "
        "tại nhà văn hóa TDP số 3.",
        [
            "ủy ban nhân dân xã thông báo",
            "từ bảy giờ ba mươi ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi bốn",
            "Tổ công nghệ số hướng dẫn",
            "cài đặt vê en e ai đi",
            "tổ dân phố số ba",
        ],
    ),
    (
        "HTX Tân Yên hỗ trợ 500.000 đồng cho mỗi hộ trồng 2,5 ha lúa ở cách trung tâm 30km; "
        "liên hệ 0912 345 678.",
        [
            "hợp tác xã Tân Yên",
            "hỗ trợ năm trăm nghìn đồng",
            "trồng hai phẩy năm héc ta lúa",
            "cách trung tâm ba mươi ki lô mét",
            "không chín một hai, ba bốn năm, sáu bảy tám",
        ],
    ),
]

GOLDEN = [
    pytest.param(sentence, expected, id=expected[:40])
    for sentence, readings in SEED_READINGS + NOTICE_READINGS
    for expected in readings
]


@pytest.fixture(scope="module")
def forms():
    return load_spoken_forms()


@pytest.mark.parametrize(("sentence", "expected"), GOLDEN)
def test_golden_reading(forms, sentence, expected):
    assert expected in speech_text(sentence, forms).text


def test_long_announcement_is_read_without_digits_left(forms):
    seeds = "\n".join(sentence for sentence, _ in SEED_READINGS + NOTICE_READINGS)  # ~330 words
    text = f"{seeds}\n\n{seeds}"
    assert word_count(text) > 300
    reading = speech_text(text, forms)
    assert not re.search(r"\d", reading.text)


def test_officer_override_wins_over_the_file():
    forms = load_spoken_forms(overrides={"CNS": "công nghệ số cộng đồng"})
    assert "Tổ công nghệ số cộng đồng xã" in speech_text("Tổ CNS xã.", forms).text


def test_officer_override_can_add_a_new_form():
    forms = load_spoken_forms(overrides={"ĐVHC": "đơn vị hành chính"})
    reading = speech_text("Sắp xếp ĐVHC cấp xã.", forms)
    assert "sắp xếp đơn vị hành chính cấp xã" in reading.text.lower()
    assert reading.spelled == ()


def test_override_of_a_unit_stays_a_unit():
    forms = load_spoken_forms(overrides={"ha": "hét ta"})
    assert "hai hét ta" in speech_text("2 ha", forms).text
    assert "hét ta" not in speech_text("cười ha ha", forms).text


def test_unknown_acronym_is_reported_as_spelled(forms):
    reading = speech_text("Đăng ký qua cổng XYZ, hỏi ABC hoặc XYZ.", forms)
    assert reading.spelled == ("XYZ", "ABC")
    assert "X Y Z" in reading.text


def test_acronyms_with_a_spoken_form_are_not_reported_as_spelled(forms):
    assert speech_text("UBND, HTX, CNS, BHYT và DVCTT.", forms).spelled == ()


def test_longer_form_wins_over_a_shorter_one_at_the_same_place():
    forms = SpokenForms((SpokenForm("KT", "kỹ thuật"), SpokenForm("KT-XH", "kinh tế xã hội")))
    assert speech_text("Phát triển KT-XH.", forms).text == "Phát triển kinh tế xã hội."


def test_form_matches_whole_words_only(forms):
    reading = speech_text("Mã HTXV.", forms)
    assert "hợp tác xã" not in reading.text
    assert reading.spelled == ("HTXV",)


def test_form_matching_is_case_sensitive(forms):
    assert "hợp tác xã" not in speech_text("htx", forms).text


def test_unit_is_read_after_a_number(forms):
    assert "hai phẩy năm héc ta" in speech_text("Trồng 2,5ha lúa.", forms).text


def test_unit_word_is_left_alone_without_a_number(forms):
    assert "héc ta" not in speech_text("Cả xóm cười ha ha.", forms).text


def test_slash_between_two_acronyms_is_read_as_a_list(forms):
    reading = speech_text("Ý kiến của UBND/HĐND xã.", forms)
    assert "ủy ban nhân dân, hội đồng nhân dân xã" in reading.text


def test_paragraphs_are_kept(forms):
    reading = speech_text("UBND xã thông báo.\n\n  \nHọp lúc 7h30.\n\nXin cảm ơn.", forms)
    assert reading.text.split("\n\n") == [
        "ủy ban nhân dân xã thông báo.",
        "Họp lúc bảy giờ ba mươi.",
        "Xin cảm ơn.",
    ]


def test_line_without_final_punctuation_becomes_its_own_sentence(forms):
    reading = speech_text("Thông báo khẩn\nBão số 3 sắp đổ bộ.", forms)
    assert reading.text == "Thông báo khẩn. Bão số ba sắp đổ bộ."


def test_text_containing_a_placeholder_word_is_left_alone(forms):
    reading = speech_text("qzxa và zqva gặp UBND.", forms)
    assert reading.text == "qzxa và zqva gặp ủy ban nhân dân."


def test_default_file_has_source_header():
    forms = load_spoken_forms()
    assert forms.version
    assert forms.source
    assert forms.valid_from is not None


def test_default_file_has_common_acronyms_with_non_empty_spoken_forms():
    forms = load_spoken_forms()
    assert len(forms) >= 30
    assert all(form.spoken.strip() for form in forms)
    assert forms.get("UBND") == "ủy ban nhân dân"


DEFAULT_FORMS = list(load_spoken_forms(DEFAULT_FORMS_PATH))


@pytest.mark.parametrize("form", DEFAULT_FORMS, ids=lambda f: f.written)
def test_every_default_form_is_read_exactly_as_written_in_the_file(forms, form):
    if form.after_number:
        assert speech_text(f"1 {form.written}.", forms).text == f"một {form.spoken}."
    else:
        assert speech_text(f"{form.written}.", forms).text == f"{form.spoken}."


def test_file_with_an_empty_spoken_form_is_rejected(tmp_path):
    path = tmp_path / "forms.toml"
    path.write_text('[[forms]]\nwritten = "UBND"\nspoken = " "\n', encoding="utf-8")
    with pytest.raises(ValueError, match="empty"):
        load_spoken_forms(path)


def test_file_listing_a_form_twice_is_rejected(tmp_path):
    path = tmp_path / "forms.toml"
    entry = '[[forms]]\nwritten = "HTX"\nspoken = "hợp tác xã"\n'
    path.write_text(entry + entry, encoding="utf-8")
    with pytest.raises(ValueError, match="twice"):
        load_spoken_forms(path)


def test_file_entry_without_spoken_form_is_rejected_with_its_number(tmp_path):
    path = tmp_path / "forms.toml"
    path.write_text('[[forms]]\nwritten = "HTX"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="form #1 has no 'spoken'"):
        load_spoken_forms(path)


def test_empty_dictionary_leaves_acronyms_to_the_normaliser():
    reading = speech_text("HTX", SpokenForms(()))
    assert reading.spelled == ("HTX",)


def test_spoken_forms_look_up_by_exact_written_form():
    forms = SpokenForms((SpokenForm("HTX", "hợp tác xã"),))
    assert forms.get("HTX") == "hợp tác xã"
    assert forms.get("htx") is None
