import pytest

from langso.audit.models import ChangeEvent
from langso.geo.models import (
    Commune,
    CommuneSuccession,
    LegacyCommune,
    LegacyDistrict,
    LegacyProvince,
    Province,
)
from langso.geo.services import commune_set_area_type, units_load
from tests.factories.accounts import province_admin

pytestmark = pytest.mark.django_db


def _table_state():
    return (
        list(Province.objects.values_list()),
        list(Commune.objects.values_list()),
        list(LegacyProvince.objects.values_list()),
        list(LegacyDistrict.objects.values_list()),
        list(LegacyCommune.objects.values_list()),
        list(CommuneSuccession.objects.values_list("legacy_commune", "commune", "is_default")),
    )


def test_loaded_units_are_34_provinces_and_3321_communes():
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321


def test_loaded_legacy_units_are_63_provinces_with_their_districts_and_communes():
    assert LegacyProvince.objects.count() == 63
    assert LegacyDistrict.objects.count() == 696
    assert LegacyCommune.objects.count() == 10035


def test_loading_twice_leaves_the_same_rows():
    before = _table_state()
    units_load()
    assert _table_state() == before


def test_commune_kinds_set_default_area_types():
    assert Commune.objects.get(code="01273").area_type == "urban"  # Phường Thục Phán
    assert Commune.objects.filter(kind="xa").exclude(area_type="rural").count() == 0


def test_reloading_keeps_an_officers_area_type_override():
    admin = province_admin("04")
    commune_set_area_type(actor=admin, commune_code="01273", area_type="rural")
    units_load()
    commune = Commune.objects.get(code="01273")
    assert (commune.area_type, commune.area_type_overridden) == ("rural", True)


def test_old_phuong_hop_giang_became_phuong_thuc_phan():
    old = LegacyCommune.objects.get(name="Phường Hợp Giang", district__name="Thành phố Cao Bằng")
    assert [s.commune_id for s in old.successions.all()] == ["01273"]


def test_old_phuong_tran_phu_of_bac_giang_became_phuong_bac_giang_in_bac_ninh():
    old = LegacyCommune.objects.get(code="07213")
    successor = old.successions.get(is_default=True).commune
    assert (successor.code, successor.name, successor.province.code) == (
        "07210",
        "Phường Bắc Giang",
        "24",
    )


def test_split_communes_are_flagged_and_have_several_successors():
    split = LegacyCommune.objects.filter(is_split=True)
    assert split.count() == 471
    sample = split.first()
    assert sample.successions.count() > 1
    assert sample.successions.filter(is_default=True).count() == 1


def test_loading_writes_one_batch_audit_entry_with_counts():
    units_load()
    event = ChangeEvent.objects.filter(object_type="geo.units").latest("at")
    assert event.action == "batch"
    assert event.counts["communes"] == 3321
