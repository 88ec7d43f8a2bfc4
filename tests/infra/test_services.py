"""The single-object write path: a base station, a village's coverage, a hotspot; each checks the
capability and the area on the way in and writes its own audit entry."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from langso.audit.models import ChangeEvent
from langso.infra.models import BaseStation, Coverage, WifiHotspot
from langso.infra.services import base_station_save
from tests.factories.accounts import analyst, commune_officer, province_admin, team_member
from tests.factories.geo import VillageFactory
from tests.factories.infra import base_station, coverage, hotspot

pytestmark = pytest.mark.django_db

HOME = "01273"
NEIGHBOUR = "01290"
ELSEWHERE = "07210"


@pytest.fixture
def village():
    return VillageFactory(commune_id=HOME, name="Nà Rị")


def _station(actor, **kw):
    values = {
        "operator": "viettel",
        "site_code": "CBG0123",
        "commune_code": HOME,
        "technologies": ["2g", "4g"],
        "status": "active",
    }
    return base_station_save(actor=actor, **{**values, **kw})


# ------------------------------------------------------------------ base stations


def test_an_officer_adds_a_station_with_its_technologies(village):
    station = _station(commune_officer(HOME), village_id=village.pk, lat=22.66, lon=106.25)
    station.refresh_from_db()
    assert (station.commune_id, station.village, station.technologies) == (
        HOME,
        village,
        ["2G", "4G"],
    )


def test_adding_a_station_writes_a_create_entry_in_the_audit_log():
    station = _station(commune_officer(HOME))
    event = ChangeEvent.objects.get(object_type="infra.basestation")
    assert (event.action, event.object_id, event.before) == ("create", str(station.pk), None)
    assert (event.after["site_code"], event.commune_code) == ("CBG0123", HOME)


def test_an_officer_changes_a_station_in_place_and_the_log_keeps_before_and_after():
    officer = commune_officer(HOME)
    station = _station(officer)
    changed = _station(officer, station_id=station.pk, status="down", technologies=["2g"])
    assert (changed.pk, BaseStation.objects.count()) == (station.pk, 1)
    event = ChangeEvent.objects.filter(object_type="infra.basestation").first()
    assert event.action == "update"
    assert (event.before["status"], event.after["status"]) == ("active", "down")
    assert (event.before["has_4g"], event.after["has_4g"]) == (True, False)


def test_a_station_cannot_be_added_in_a_commune_outside_the_area():
    with pytest.raises(ValidationError) as caught:
        _station(commune_officer(HOME), commune_code=NEIGHBOUR)
    assert "commune" in caught.value.message_dict
    assert BaseStation.objects.count() == 0


def test_a_province_admin_adds_stations_in_the_province_only():
    admin = province_admin("04")
    _station(admin, commune_code=NEIGHBOUR)
    with pytest.raises(ValidationError):
        _station(admin, commune_code=ELSEWHERE, site_code="BGG0001")
    assert list(BaseStation.objects.values_list("commune_id", flat=True)) == [NEIGHBOUR]


def test_a_station_of_another_commune_cannot_be_changed():
    theirs = base_station(NEIGHBOUR)
    with pytest.raises(BaseStation.DoesNotExist):
        _station(commune_officer(HOME), station_id=theirs.pk)
    theirs.refresh_from_db()
    assert theirs.commune_id == NEIGHBOUR


def test_a_village_of_another_commune_is_refused():
    other = VillageFactory(commune_id=NEIGHBOUR, name="Pác Bó")
    with pytest.raises(ValidationError) as caught:
        _station(province_admin("04"), village_id=other.pk)
    assert "village" in caught.value.message_dict


def test_the_same_operator_and_site_code_cannot_be_registered_twice():
    officer = commune_officer(HOME)
    _station(officer)
    with pytest.raises(ValidationError):
        _station(officer)
    _station(officer, operator="vnpt")  # another operator may use the same code
    assert BaseStation.objects.count() == 2


@pytest.mark.parametrize(("field", "value"), [("site_code", "  "), ("operator", "starlink")])
def test_a_station_without_a_code_or_with_an_unknown_operator_is_refused(field, value):
    with pytest.raises(ValidationError) as caught:
        _station(commune_officer(HOME), **{field: value})
    assert field in caught.value.message_dict


@pytest.mark.parametrize("who", ["analyst", "team_member"])
def test_readers_and_team_members_cannot_save_stations(village, who):
    user = analyst("04") if who == "analyst" else team_member(village)
    with pytest.raises(PermissionDenied):
        _station(user)


# ------------------------------------------------------------------ coverage


def test_an_officer_records_how_far_a_network_reaches_a_village(village):
    officer = commune_officer(HOME)
    found = coverage(village, "4g", "partial", actor=officer, note="Lõm sóng khe suối")
    found.refresh_from_db()
    assert (found.commune_id, found.level, found.source, found.updated_by) == (
        HOME,
        "partial",
        "officer",
        officer,
    )


def test_a_new_coverage_replaces_the_earlier_value_for_that_village_and_network(village):
    coverage(village, "4g", "none", as_of=dt.date(2025, 12, 31))
    coverage(village, "fibre", "none")
    coverage(village, "4g", "full", as_of=dt.date(2026, 6, 30))
    assert set(Coverage.objects.values_list("network", "level", "as_of")) == {
        ("4g", "full", dt.date(2026, 6, 30)),
        ("fibre", "none", dt.date(2026, 6, 30)),
    }


def test_replacing_a_coverage_logs_the_level_before_and_after(village):
    coverage(village, "4g", "none")
    coverage(village, "4g", "full")
    event = ChangeEvent.objects.filter(object_type="infra.coverage").first()
    assert (event.action, event.before["level"], event.after["level"]) == ("update", "none", "full")
    assert event.village_id == village.pk


def test_coverage_of_a_village_outside_the_area_is_refused():
    other = VillageFactory(commune_id=NEIGHBOUR, name="Pác Bó")
    with pytest.raises(ValidationError) as caught:
        coverage(other, actor=commune_officer(HOME))
    assert ("village" in caught.value.message_dict, Coverage.objects.count()) == (True, 0)


@pytest.mark.parametrize(("network", "level"), [("6g", "full"), ("4g", "great")])
def test_an_unknown_network_or_level_is_refused(village, network, level):
    with pytest.raises(ValidationError):
        coverage(village, network, level)


@pytest.mark.parametrize("who", ["analyst", "team_member"])
def test_readers_and_team_members_cannot_set_coverage(village, who):
    user = analyst("04") if who == "analyst" else team_member(village)
    with pytest.raises(PermissionDenied):
        coverage(village, actor=user)


# ------------------------------------------------------------------ hotspots


def test_an_officer_registers_a_hotspot_at_a_cultural_house(village):
    made = hotspot(HOME, village=village, installed_on=dt.date(2025, 9, 1))
    made.refresh_from_db()
    assert (made.name, made.place, made.provider, made.free, made.active) == (
        "Wifi nhà văn hóa Nà Rị",
        "cultural_house",
        "vnpt",
        True,
        True,
    )
    event = ChangeEvent.objects.get(object_type="infra.wifihotspot")
    assert (event.action, event.village_id) == ("create", village.pk)


def test_a_second_hotspot_of_the_same_name_in_a_commune_is_refused():
    hotspot(HOME, name="Wifi chợ xã")
    with pytest.raises(ValidationError) as caught:
        hotspot(HOME, name="wifi  CHỢ xã")
    hotspot(NEIGHBOUR, name="Wifi chợ xã")  # another commune's market
    assert ("name" in caught.value.message_dict, WifiHotspot.objects.count()) == (True, 2)


def test_a_hotspot_outside_the_area_is_refused():
    with pytest.raises(ValidationError):
        hotspot(ELSEWHERE, actor=commune_officer(HOME))
    assert WifiHotspot.objects.count() == 0


@pytest.mark.parametrize(("field", "value"), [("name", ""), ("place", "airport")])
def test_a_hotspot_without_a_name_or_with_an_unknown_place_is_refused(field, value):
    with pytest.raises(ValidationError) as caught:
        hotspot(HOME, **{field: value})
    assert field in caught.value.message_dict


def test_an_analyst_cannot_register_a_hotspot():
    with pytest.raises(PermissionDenied):
        hotspot(HOME, actor=analyst("04"))
