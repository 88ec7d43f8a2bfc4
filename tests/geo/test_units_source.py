from collections import Counter

import pytest

from langso.geo.units_source import read_units


@pytest.fixture(scope="module")
def data():
    return read_units()


def test_current_units_are_34_provinces_and_3321_communes(data):
    assert len(data.provinces) == 34
    assert len(data.communes) == 3321
    assert Counter(c.kind for c in data.communes) == {"Xã": 2621, "Phường": 687, "Đặc khu": 13}


def test_codes_keep_their_leading_zeros(data):
    assert all(len(p.code) == 2 for p in data.provinces)
    assert all(len(c.code) == 5 for c in data.communes)
    assert "04" in {p.code for p in data.provinces}


def test_legacy_units_are_63_provinces_696_districts(data):
    assert len(data.legacy_provinces) == 63
    assert len(data.legacy_districts) == 696
    assert len(data.legacy_communes) == 10035


def test_every_legacy_commune_has_exactly_one_default_successor(data):
    defaults = Counter(r.legacy_code for r in data.crosswalk if r.is_default)
    assert len(defaults) == len(data.legacy_communes)
    assert set(defaults.values()) == {1}


def test_island_districts_without_communes_map_to_a_special_zone(data):
    assert data.district_successors["755"] == "26732"  # Huyện Côn Đảo → Đặc khu Côn Đảo
