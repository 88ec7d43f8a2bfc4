"""Every indicator of the catalogue against a hand count on a small commune: the API (the
dashboard's numbers) gives, for each one, what counting the fixture by hand gives."""

import datetime as dt

import pytest

from langso.poverty.models import Assessment
from langso.poverty.services import assess_household
from langso.poverty.standard import by_code
from langso.registry.records import MemberRecord
from langso.registry.services import digital_observe
from langso.reports import queries
from langso.reports.aggregates import refresh
from langso.teams.services import VisitRecord, visit_record
from tests.factories.accounts import commune_officer, team_member
from tests.factories.geo import VillageFactory
from tests.factories.infra import base_station, coverage, hotspot, subscriber_counts
from tests.factories.outreach import board, cluster, station
from tests.factories.registry import household
from tests.factories.sessions import api_client
from tests.factories.teams import team
from tests.factories.teams import team_member as add_member
from tests.reports.test_aggregates import HOME, TODAY

pytestmark = pytest.mark.django_db

# By hand, from the fixture below (commune HOME, 2026):
# households 5 (4 ethnic minority: three-member Tày households; 1 Kinh, one member) → people 13
# poor m1, k1; near-poor m2; deprived in telecom use m1, k1; in information access m1, m2
# profiles m1 m2 m3 k1: smartphone T T F T, broadband T F F F, internet T T F F,
#   VNeID level 2 1 0 2, cashless T F F F, online public services F F F T
# one team, two members; visits to m1 (a skill mastered) and m3 (a skill shown only)
# base stations 2; villages 2: A full 4G and fibre, B partial 4G and no fibre; 1 wifi point
# subscribers: 840 mobile, 12 fixed phone, 65 fixed internet, 30 IPTV
# 1 loudspeaker cluster, 2 boards; 1 commune
EXPECTED = {
    "poor_rate": 40.0,  # 2 / 5
    "near_poor_rate": 20.0,  # 1 / 5
    "minority_poor_rate": 25.0,  # 1 / 4
    "poor_households": 2.0,
    "near_poor_households": 1.0,
    "deprived_telecom_use_rate": 40.0,  # 2 / 5 assessed
    "deprived_information_access_rate": 40.0,  # 2 / 5 assessed
    "profile_coverage": 80.0,  # 4 / 5
    "broadband_rate": 25.0,  # 1 / 4 profiled
    "smartphone_rate": 75.0,  # 3 / 4
    "internet_use_rate": 50.0,  # 2 / 4
    "vneid_rate": 50.0,  # 2 / 4
    "cashless_rate": 25.0,  # 1 / 4
    "public_services_rate": 25.0,  # 1 / 4
    "teams": 1.0,
    "team_members": 2.0,
    "households_reached_rate": 40.0,  # 2 / 5
    "skills_mastered": 1.0,
    "skills_per_household_reached": 0.5,  # 1 / 2
    "base_stations": 2.0,
    "base_stations_per_commune": 2.0,
    "villages_4g_full_rate": 50.0,  # 1 / 2
    "villages_fibre_rate": 50.0,  # 1 / 2
    "wifi_points": 1.0,
    "phone_subscribers": 852.0,  # 840 mobile + 12 fixed
    "mobile_subscribers": 840.0,
    "internet_subscribers": 65.0,
    "iptv_subscribers": 30.0,
    "mobile_subscribers_per_100": 840 / 13 * 100,
    "internet_subscribers_per_100_households": 1300.0,  # 65 / 5 × 100
    "radio_clusters_per_commune": 1.0,
    "boards_per_commune": 2.0,
}


def _assess(home, klass: str, *, telecom: bool = False, information: bool = False) -> None:
    officer = commune_officer(home.commune_id)
    _result, row = assess_household(actor=officer, household=home, review_year=2026)
    standard = by_code(row.standard)
    letters = list(row.indicators)
    info = [i for i, x in enumerate(standard.indicators) if x.dimension == "information"]
    letters[info[0]] = "D" if telecom else "N"
    letters[info[1]] = "D" if information else "N"
    Assessment.objects.filter(pk=row.pk).update(poverty_class=klass, indicators="".join(letters))


def _profile(home, smartphone, broadband, internet, vneid, cashless, services) -> None:
    digital_observe(
        actor=commune_officer(HOME),
        household_id=home.pk,
        observed_on=dt.date(2026, 6, 1),
        source="survey",
        facts={
            "has_smartphone": smartphone,
            "has_fixed_broadband": broadband,
            "uses_internet": internet,
            "vneid_level": vneid,
            "pays_cashless": cashless,
            "uses_online_public_services": services,
        },
    )


def _visit(user, home, skills: dict) -> None:
    visit_record(
        actor=user,
        record=VisitRecord(
            household_id=home.pk,
            visited_on=dt.date(2026, 5, 4),
            present=[home.members.get(relationship="head").pk],
            skills=skills,
            consent_method="signed_form",
        ),
        today=TODAY,
    )


@pytest.fixture
def commune():
    a = VillageFactory(commune_id=HOME, name="Nà Rị")
    b = VillageFactory(commune_id=HOME, name="Bản Chang")
    m1, m2, m3 = household(a), household(a), household(a)
    k1 = household(a, MemberRecord("Nguyễn Văn Bình", "male", 1975, "head", ethnicity="01"))
    m4 = household(b)
    _assess(m1, "poor", telecom=True, information=True)
    _assess(m2, "near_poor", information=True)
    _assess(m3, "not_poor")
    _assess(k1, "poor", telecom=True)
    _assess(m4, "not_poor")
    _profile(m1, True, True, True, 2, True, False)
    _profile(m2, True, False, True, 1, False, False)
    _profile(m3, False, False, False, 0, False, False)
    _profile(k1, True, False, False, 2, False, True)
    volunteer = team_member(a)
    made = team(a)
    add_member(made, a, user=volunteer, full_name="Nông Thị Hoa")
    add_member(made, a, full_name="Hoàng Văn Nam")
    _visit(volunteer, m1, {"vneid_level2": "alone"})
    _visit(volunteer, m3, {"scam_safety": "shown"})
    base_station(HOME, village=a)
    base_station(HOME, site_code="CBG-0002")
    coverage(a, "4g", "full")
    coverage(a, "fibre", "full")
    coverage(b, "4g", "partial")
    coverage(b, "fibre", "none")
    hotspot(HOME, village=a)
    subscriber_counts(
        HOME,
        "Q3/2026",
        {"Di động": 840, "Điện thoại cố định": 12, "Internet cố định": 65, "IPTV": 30},
    )
    cluster(a, station(HOME))
    board(a)
    board(b)
    refresh(province_code="04", communes=[HOME], years=[2026], today=TODAY)


def test_every_indicator_of_the_catalogue_has_a_hand_count_here():
    assert {i.code for i in queries.catalogue().indicators} == set(EXPECTED)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_the_indicator_matches_the_hand_count(commune, code):
    rows = api_client(commune_officer(HOME)).get("/api/v1/reports/indicators?year=2026").json()
    found = {row["code"]: row["value"] for row in rows}
    assert found[code] == pytest.approx(EXPECTED[code])
