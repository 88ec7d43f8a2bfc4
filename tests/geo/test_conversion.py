import pytest

from langso.geo.conversion import ConversionError, convert_address_text, convert_old_address

pytestmark = pytest.mark.django_db


def test_old_names_convert_to_the_current_commune():
    result = convert_old_address(
        province="Tỉnh Cao Bằng", district="Thành phố Cao Bằng", commune="Phường Hợp Giang"
    )
    assert (result.commune.code, result.commune.name) == ("01273", "Phường Thục Phán")


def test_names_without_unit_types_or_marks_are_accepted():
    result = convert_old_address(province="Bac Giang", district="TP Bắc Giang", commune="Trần Phú")
    assert result.commune.code == "07210"
    assert result.commune.province.name == "Tỉnh Bắc Ninh"


def test_tone_mark_placement_variants_match():
    a = convert_old_address(province="Cao Bằng", district="Huyện Hòa An", commune="Xã Quang Trung")
    b = convert_old_address(province="Cao Bằng", district="Huyện Hoà An", commune="Xã Quang Trung")
    assert a.commune == b.commune
    assert a.commune.code == "01699"


def test_a_legacy_commune_code_alone_is_enough():
    assert convert_old_address(province="", commune="07213").commune.code == "07210"


def test_codes_can_be_given_for_every_level():
    assert (
        convert_old_address(province="04", district="040", commune="01273").commune.code == "01273"
    )


def test_text_address_ignores_the_street():
    result = convert_address_text("Số 5 Kim Đồng, Phường Hợp Giang, Thành phố Cao Bằng, Cao Bằng")
    assert result.commune.code == "01273"


def test_split_commune_returns_its_default_successor_and_the_others():
    from langso.geo.models import LegacyCommune

    old = LegacyCommune.objects.filter(is_split=True).select_related("district", "province").first()
    result = convert_old_address(
        province=old.province.name, district=old.district.name, commune=old.name
    )
    assert result.is_split
    assert result.commune == old.successions.get(is_default=True).commune
    assert result.alternatives


def test_island_district_without_communes_converts_to_its_special_zone():
    result = convert_old_address(province="Bà Rịa - Vũng Tàu", district="Huyện Côn Đảo")
    assert result.commune.kind == "dac_khu"
    assert result.legacy_commune is None


def test_unknown_commune_is_a_clear_error_naming_the_part():
    with pytest.raises(ConversionError, match="commune 'Xã Không Có'"):
        convert_old_address(province="Cao Bằng", district="Hòa An", commune="Xã Không Có")


def test_conversion_makes_no_network_call(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("network used")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert convert_address_text("Xã Lê Lợi, Huyện Gia Lộc, Hải Dương").commune
