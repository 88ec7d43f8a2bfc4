"""The infrastructure API: the same scoped lists as the pages, with filters, and each commune's
picture with the same numbers as the overview page."""

import datetime as dt

import pytest
from django.test import Client

from tests.factories import outreach
from tests.factories.accounts import analyst, commune_officer, province_admin
from tests.factories.geo import VillageFactory
from tests.factories.infra import base_station, coverage, hotspot, subscriber_counts
from tests.factories.sessions import api_client, signed_in

pytestmark = pytest.mark.django_db

HOME = "01273"  # Phường Thục Phán, Cao Bằng
NEIGHBOUR = "01290"  # Xã Bảo Lâm, Cao Bằng
ELSEWHERE = "07210"  # Phường Bắc Giang, Bắc Ninh
PROVINCE = {HOME: "04", NEIGHBOUR: "04", ELSEWHERE: "24"}
ENDPOINTS = ["stations", "coverage", "hotspots", "subscribers"]


@pytest.fixture
def world():
    """In each of three communes: a Viettel and a VNPT station, a village with 4G and fibre
    coverage, a hotspot, and the mobile subscribers of two quarters."""
    villages = {}
    for code, province in PROVINCE.items():
        admin = province_admin(province)
        village = villages[code] = VillageFactory(commune_id=code, name=f"Thôn {code}")
        base_station(code, actor=admin, village=village)
        base_station(code, actor=admin, operator="vnpt", technologies=["4g", "5g"])
        coverage(village, "4g", "full", actor=admin)
        coverage(village, "fibre", "none", actor=admin)
        hotspot(code, actor=admin, village=village)
        subscriber_counts(code, "Q1/2026", {"Di động": 100}, actor=admin)
        subscriber_counts(code, "Q2/2026", {"Di động": 120}, actor=admin)
    return villages


def _items(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    return response.json()["items"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_officer_lists_only_the_own_commune(world, endpoint):
    items = _items(api_client(commune_officer(HOME)), f"/api/v1/infra/{endpoint}?limit=100")
    assert {i["commune"] for i in items} == {HOME}
    assert len(items) == {"stations": 2, "coverage": 2, "hotspots": 1, "subscribers": 2}[endpoint]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_analyst_lists_the_communes_of_the_province(world, endpoint):
    items = _items(api_client(analyst("04")), f"/api/v1/infra/{endpoint}?limit=100")
    assert {i["commune"] for i in items} == {HOME, NEIGHBOUR}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_commune_filter_outside_the_area_gives_an_empty_list(world, endpoint):
    client = api_client(commune_officer(HOME))
    assert _items(client, f"/api/v1/infra/{endpoint}?commune={ELSEWHERE}") == []


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_commune_filter_narrows_a_province_to_one_commune(world, endpoint):
    items = _items(api_client(province_admin("04")), f"/api/v1/infra/{endpoint}?commune={HOME}")
    assert {i["commune"] for i in items} == {HOME}


def test_stations_filter_by_operator(world):
    items = _items(api_client(province_admin("04")), "/api/v1/infra/stations?operator=vnpt")
    assert {(i["commune"], i["operator"], i["has_5g"]) for i in items} == {
        (HOME, "vnpt", True),
        (NEIGHBOUR, "vnpt", True),
    }


def test_a_station_is_described_with_its_village_and_technologies(world):
    items = _items(api_client(commune_officer(HOME)), "/api/v1/infra/stations?operator=viettel")
    (item,) = items
    assert (item["village"], item["has_2g"], item["has_4g"], item["has_5g"], item["status"]) == (
        world[HOME].pk,
        True,
        True,
        False,
        "active",
    )


def test_coverage_filters_by_network(world):
    items = _items(api_client(province_admin("04")), "/api/v1/infra/coverage?network=fibre")
    assert {(i["village"], i["level"]) for i in items} == {
        (world[HOME].pk, "none"),
        (world[NEIGHBOUR].pk, "none"),
    }


def test_subscribers_filter_by_period_and_list_the_latest_first(world):
    client = api_client(commune_officer(HOME))
    every = _items(client, "/api/v1/infra/subscribers")
    march = _items(client, "/api/v1/infra/subscribers?period_end=2026-03-31")
    assert [(i["period_end"], i["count"]) for i in every] == [
        ("2026-06-30", 120),
        ("2026-03-31", 100),
    ]
    assert [i["count"] for i in march] == [100]


def test_a_period_that_is_no_date_is_a_client_error(world):
    response = api_client(commune_officer(HOME)).get("/api/v1/infra/subscribers?period_end=Q2")
    assert response.status_code == 422


def test_the_communes_endpoint_matches_the_overview_page(world):
    radio = outreach.station(HOME)
    outreach.cluster(world[HOME], radio)
    outreach.board(world[HOME])
    admin = province_admin("04")
    rows = signed_in(admin).get("/infra/").context["rows"]
    answer = api_client(admin).get("/api/v1/infra/communes").json()
    assert answer == [
        {
            "commune": r.commune.code,
            "name": r.commune.name,
            "stations": r.stations,
            "by_technology": r.by_tech,
            "villages": r.villages,
            "coverage": r.coverage,
            "hotspots": r.hotspots,
            "clusters": r.clusters,
            "boards": r.boards,
            "subscribers": r.subscribers,
        }
        for r in rows
    ]
    home = next(c for c in answer if c["commune"] == HOME)
    assert (home["stations"], home["clusters"], home["boards"], home["subscribers"]) == (
        2,
        1,
        1,
        {"mobile": 120},
    )


def test_the_communes_endpoint_of_an_officer_has_the_own_commune_only(world):
    answer = api_client(commune_officer(HOME)).get("/api/v1/infra/communes").json()
    assert [(c["commune"], c["stations"], c["by_technology"]["4g"]) for c in answer] == [
        (HOME, 2, 2)
    ]


def test_the_infrastructure_api_needs_a_token():
    assert Client().get("/api/v1/infra/stations").status_code == 401


def test_dates_are_given_as_iso_dates(world):
    item = _items(api_client(commune_officer(HOME)), "/api/v1/infra/coverage?network=4g")[0]
    assert dt.date.fromisoformat(item["as_of"]) == dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    "query",
    [
        "stations?commune=1273",
        "stations?commune=%00",
        "stations?operator=starlink",
        "coverage?network=6g",
        "hotspots?commune=abcde",
        "subscribers?commune=012730",
    ],
)
def test_a_filter_that_names_nothing_the_api_knows_is_a_client_error(query):
    response = api_client(commune_officer(HOME)).get(f"/api/v1/infra/{query}")
    assert response.status_code == 422
