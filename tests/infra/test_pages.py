"""The infrastructure pages: each commune's picture, the coverage grid, stations, hotspots,
subscriber figures and the import page with its template files."""

import datetime as dt
import io

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from langso.infra.models import BaseStation, Coverage, WifiHotspot
from langso.infra.services import infra_import
from langso.jobs.models import Job
from langso.outreach.models import Device
from tests.factories import outreach
from tests.factories.accounts import analyst, commune_officer, province_admin, team_member
from tests.factories.geo import VillageFactory
from tests.factories.infra import base_station, coverage, csv_file, hotspot, subscriber_counts
from tests.factories.sessions import signed_in

pytestmark = pytest.mark.django_db

HOME = "01273"
NEIGHBOUR = "01290"
PAGES = [
    "/infra/",
    "/infra/stations/",
    f"/infra/coverage/{HOME}/",
    "/infra/hotspots/",
    "/infra/subscribers/",
]


@pytest.fixture
def villages():
    return [
        VillageFactory(commune_id=HOME, name="Nà Rị"),
        VillageFactory(commune_id=HOME, name="Bó Mạ"),
        VillageFactory(commune_id=HOME, name="Khuổi Khon"),
    ]


@pytest.fixture
def officer():
    return commune_officer(HOME)


def _cells(response, xpath: str) -> list[str]:
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    return [e.text_content().strip() for e in page.xpath(xpath)]


# ------------------------------------------------------------------ overview


@pytest.fixture
def small_commune(villages, officer):
    """A commune counted by hand: see the expected totals in the test below."""
    na_ri, bo_ma, khuoi_khon = villages
    base_station(HOME, actor=officer, village=na_ri)  # active 2G/3G/4G
    base_station(HOME, actor=officer, operator="vnpt", technologies=["4g", "5g"])  # active
    base_station(HOME, actor=officer, status="planned", technologies=["4g"])
    base_station(HOME, actor=officer, status="down", technologies=["2g"])
    base_station(NEIGHBOUR)  # another commune's
    for village, level in zip(villages, ["full", "partial", "none"], strict=True):
        coverage(village, "4g", level, actor=officer)
    coverage(na_ri, "fibre", "full", actor=officer)
    coverage(bo_ma, "fibre", "partial", actor=officer)
    hotspot(HOME, actor=officer, village=na_ri)
    hotspot(HOME, actor=officer, name="Wifi chợ", place="market")
    hotspot(HOME, actor=officer, name="Wifi trường", place="school", active=False)
    hotspot(NEIGHBOUR)
    radio = outreach.station(HOME, actor=officer)
    outreach.cluster(na_ri, radio, actor=officer)
    outreach.cluster(None, radio, actor=officer)
    outreach.board(bo_ma, actor=officer)
    gone, _token = outreach.board(khuoi_khon, actor=officer)
    Device.objects.filter(pk=gone.pk).update(active=False)  # no service retires a board yet
    outreach.board(None, commune=NEIGHBOUR)
    subscriber_counts(HOME, "Q1/2026", {"Di động": 8000}, actor=officer)
    subscriber_counts(HOME, "Q2/2026", {"Di động": 8412, "Internet": 300}, actor=officer)
    subscriber_counts(HOME, "Q2/2026", {"Di động": 1205}, operator="VinaPhone", actor=officer)


def test_the_overview_totals_match_a_hand_count(small_commune, officer):
    page = signed_in(officer).get("/infra/")
    assert page.context["totals"] == {
        "stations": 2,  # on air only
        "villages": 3,
        "g4_full": 1,
        "no_signal": 1,
        "fibre_full": 1,
        "hotspots": 2,  # working only
        "clusters": 2,
        "boards": 1,  # working only
        "mobile": 9617,  # Viettel and VinaPhone at the end of Q2, not Q1
        "internet": 300,
    }


def test_the_overview_row_of_a_commune_breaks_down_its_stations_and_villages(
    small_commune, officer
):
    (row,) = signed_in(officer).get("/infra/").context["rows"]
    assert (row.commune.code, row.by_tech) == (HOME, {"2g": 1, "3g": 1, "4g": 2, "5g": 1})
    assert row.coverage == {
        "4g": {"full": 1, "partial": 1, "none": 1},
        "fibre": {"full": 1, "partial": 1},
    }


def test_the_overview_table_shows_the_communes_numbers(small_commune, officer):
    cells = _cells(
        signed_in(officer).get("/infra/"), "//*[@data-testid='infra-communes']//tr[2]/td"
    )
    assert cells[:4] == ["Phường Thục Phán", "2", "2 / 1", "1 / 1 / 1 (3)"]


def test_the_overview_of_a_province_has_a_row_per_commune(small_commune):
    rows = signed_in(province_admin("04")).get("/infra/").context["rows"]
    by_code = {r.commune.code: r for r in rows}
    assert len(rows) > 50
    assert (by_code[HOME].stations, by_code[NEIGHBOUR].stations) == (2, 1)
    assert (by_code[NEIGHBOUR].hotspots, by_code[NEIGHBOUR].boards) == (1, 1)


def test_the_overview_reads_in_a_fixed_number_of_queries(villages):
    admin = province_admin("04")
    client = signed_in(admin)

    def add(code, village):
        base_station(code, actor=admin)
        hotspot(code, actor=admin, village=village)
        subscriber_counts(code, "2025", {"Di động": 10}, actor=admin)
        coverage(village, actor=admin)
        outreach.board(village, actor=admin)

    add(HOME, villages[0])
    client.get("/infra/")
    with CaptureQueriesContext(connection) as few:
        client.get("/infra/")
    add(HOME, villages[1])
    add(NEIGHBOUR, VillageFactory(commune_id=NEIGHBOUR))
    with CaptureQueriesContext(connection) as more:
        client.get("/infra/")
    assert len(more) == len(few)


# ------------------------------------------------------------------ coverage grid


def test_an_officer_sets_a_villages_level_on_the_grid(villages, officer):
    response = signed_in(officer).post(
        f"/infra/coverage/{HOME}/",
        {"village": villages[1].pk, "network": "4g", "level": "partial", "as_of": "2026-06-30"},
    )
    assert response.url == f"/infra/coverage/{HOME}/"
    found = Coverage.objects.get()
    assert (found.village, found.network, found.level, found.as_of, found.updated_by) == (
        villages[1],
        "4g",
        "partial",
        dt.date(2026, 6, 30),
        officer,
    )


def test_the_grid_shows_each_village_with_a_choice_per_network_for_an_officer(villages, officer):
    coverage(villages[0], "4g", "full", actor=officer)
    page = signed_in(officer).get(f"/infra/coverage/{HOME}/")
    selects = _cells(page, "//*[@data-testid='coverage']//select")
    assert len(selects) == 3 * 5
    chosen = lxml.html.fromstring(page.content.decode()).xpath(
        "//select[@aria-label='Nà Rị 4G']/option[@selected]/@value"
    )
    assert chosen == ["full"]


def test_the_grid_is_read_only_for_an_analyst(villages):
    coverage(villages[0], "4g", "partial")
    client = signed_in(analyst("04"))
    page = client.get(f"/infra/coverage/{HOME}/")
    assert _cells(page, "//*[@data-testid='coverage']//select") == []
    assert "Phủ một phần" in page.content.decode()
    response = client.post(
        f"/infra/coverage/{HOME}/",
        {"village": villages[0].pk, "network": "4g", "level": "full", "as_of": "2026-06-30"},
    )
    assert (response.status_code, Coverage.objects.get().level) == (403, "partial")


def test_the_grid_of_a_commune_outside_the_area_is_not_found(officer):
    assert signed_in(officer).get(f"/infra/coverage/{NEIGHBOUR}/").status_code == 404


def test_a_grid_post_with_an_unknown_level_changes_nothing(villages, officer):
    signed_in(officer).post(
        f"/infra/coverage/{HOME}/",
        {"village": villages[0].pk, "network": "4g", "level": "great", "as_of": "2026-06-30"},
    )
    assert Coverage.objects.count() == 0


# ------------------------------------------------------------------ stations and hotspots


def _station_form(village, **kw):
    return {
        "operator": "viettel",
        "site_code": "CBG0999",
        "commune": HOME,
        "village": village.pk,
        "technologies": ["2g", "4g"],
        "status": "active",
        "lat": "22.66",
        "lon": "106.25",
        "on_air_on": "2024-03-15",
        **kw,
    }


def test_an_officer_adds_a_station_from_the_stations_page(villages, officer):
    client = signed_in(officer)
    response = client.post("/infra/stations/", _station_form(villages[0]))
    assert response.url == "/infra/stations/"
    station = BaseStation.objects.get()
    assert (station.site_code, station.village, station.technologies) == (
        "CBG0999",
        villages[0],
        ["2G", "4G"],
    )
    assert _cells(client.get("/infra/stations/"), "//*[@data-testid='stations']//td[1]/b") == [
        "CBG0999"
    ]


def test_a_station_already_registered_is_shown_as_a_form_error(villages, officer):
    client = signed_in(officer)
    client.post("/infra/stations/", _station_form(villages[0]))
    page = client.post("/infra/stations/", _station_form(villages[0]))
    assert (page.status_code, BaseStation.objects.count()) == (200, 1)
    assert page.context["form"].non_field_errors()


def test_a_station_cannot_be_added_to_a_commune_outside_the_area(villages, officer):
    page = signed_in(officer).post(
        "/infra/stations/", _station_form(villages[0], commune=NEIGHBOUR)
    )
    assert (page.status_code, BaseStation.objects.count()) == (200, 0)
    assert "commune" in page.context["form"].errors


def test_the_stations_page_filters_by_operator_and_commune(officer):
    base_station(HOME, actor=officer, site_code="VT1")
    base_station(HOME, actor=officer, site_code="VN1", operator="vnpt")
    client = signed_in(province_admin("04"))
    base_station(NEIGHBOUR, site_code="VT2")
    codes = "//*[@data-testid='stations']//td[1]/b"
    assert _cells(client.get("/infra/stations/?operator=vnpt"), codes) == ["VN1"]
    assert _cells(client.get(f"/infra/stations/?commune={HOME}"), codes) == ["VT1", "VN1"]


def test_an_analyst_reads_stations_but_has_no_form_and_cannot_post(villages):
    base_station(HOME)
    client = signed_in(analyst("04"))
    page = client.get("/infra/stations/")
    assert (page.context["form"], len(page.context["page"].object_list)) == (None, 1)
    client.post("/infra/stations/", _station_form(villages[0]))
    assert BaseStation.objects.count() == 1


def test_an_officer_adds_a_hotspot_from_the_hotspots_page(villages, officer):
    client = signed_in(officer)
    response = client.post(
        "/infra/hotspots/",
        {
            "commune": HOME,
            "village": villages[0].pk,
            "name": "Wifi nhà văn hóa Nà Rị",
            "place": "cultural_house",
            "provider": "vnpt",
            "free": "on",
            "installed_on": "2025-09-01",
        },
    )
    assert response.url == "/infra/hotspots/"
    made = WifiHotspot.objects.get()
    assert (made.village, made.free, made.installed_on) == (
        villages[0],
        True,
        dt.date(2025, 9, 1),
    )
    names = _cells(client.get("/infra/hotspots/"), "//*[@data-testid='hotspots']//tr/td[1]")
    assert names == ["Wifi nhà văn hóa Nà Rị miễn phí"]


# ------------------------------------------------------------------ subscribers


@pytest.fixture
def two_periods(officer):
    subscriber_counts(HOME, "Q1/2026", {"Di động": 8000}, actor=officer)
    subscriber_counts(HOME, "Q2/2026", {"Di động": 8412, "Internet": 300}, actor=officer)


def test_the_subscribers_page_shows_the_latest_period_first(two_periods, officer):
    page = signed_in(officer).get("/infra/subscribers/")
    assert page.context["chosen"] == "2026-06-30"
    assert _cells(page, "//*[@data-testid='subscribers']//td[2]") == [
        "Thuê bao Internet băng rộng cố định",
        "Thuê bao di động",
    ]
    assert _cells(page, "//*[@data-testid='subscribers']//td[4]") == ["300", "8.412"]


def test_the_subscribers_page_shows_an_earlier_period_on_request(two_periods, officer):
    page = signed_in(officer).get("/infra/subscribers/?period=2026-03-31")
    assert _cells(page, "//*[@data-testid='subscribers']//td[4]") == ["8.000"]


@pytest.mark.parametrize("period", ["quy-2", "2026-02-30", "2025-12-31"])
def test_a_period_that_is_no_date_or_has_no_figures_shows_the_latest(two_periods, officer, period):
    page = signed_in(officer).get(f"/infra/subscribers/?period={period}")
    assert page.context["chosen"] == "2026-06-30"


def test_the_subscribers_page_without_figures_says_so(officer):
    page = signed_in(officer).get("/infra/subscribers/")
    assert "Chưa có số liệu thuê bao" in page.content.decode()


# ------------------------------------------------------------------ import


def test_the_import_page_starts_a_job_and_opens_it(
    villages, officer, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(
        "phu-song.csv", "Mã xã,Thôn,Mạng,Mức phủ sóng\n01273,Nà Rị,4G,Có\n".encode()
    )
    client = signed_in(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/infra/import/", {"kind": "coverage", "file": upload})
    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    assert (job.kind, job.params, job.commune_code) == (
        "infra.import",
        {"kind": "coverage", "filename": "phu-song.csv"},
        HOME,
    )
    job.refresh_from_db()
    assert (job.status, Coverage.objects.get().level) == ("succeeded", "full")


def test_the_import_page_refuses_a_file_that_is_no_spreadsheet(officer):
    upload = SimpleUploadedFile("tram.pdf", b"%PDF-1.4")
    page = signed_in(officer).post("/infra/import/", {"kind": "stations", "file": upload})
    assert (page.status_code, Job.objects.count()) == (200, 0)
    assert "file" in page.context["form"].errors


@pytest.mark.parametrize("kind", ["stations", "coverage", "subscribers", "hotspots"])
def test_each_template_file_downloads_and_imports_cleanly(kind, officer):
    VillageFactory(commune_id=HOME, name="Nà Rị")
    response = signed_in(officer).get(f"/infra/import/{kind}.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="mau-{kind}.csv"' in response["Content-Disposition"]
    report = infra_import(
        actor=officer, kind=kind, filename=f"mau-{kind}.csv", stream=io.BytesIO(response.content)
    )
    assert (report.errors, report.created) == ([], 1)


def test_a_template_of_an_unknown_kind_is_not_found(officer):
    assert signed_in(officer).get("/infra/import/towers.csv").status_code == 404


@pytest.mark.parametrize("who", ["analyst", "team_member"])
def test_people_without_the_capability_get_403_on_the_import_page(villages, who):
    user = analyst("04") if who == "analyst" else team_member(villages[0])
    client = signed_in(user)
    upload = SimpleUploadedFile("a.csv", csv_file(["Mã xã"], []).getvalue())
    assert client.get("/infra/import/").status_code == 403
    assert client.post("/infra/import/", {"kind": "coverage", "file": upload}).status_code == 403
    assert Job.objects.count() == 0


@pytest.mark.parametrize("url", PAGES)
def test_the_import_link_shows_on_every_page_only_to_those_who_may_import(officer, url):
    link = "//a[@href='/infra/import/']"
    assert _cells(signed_in(officer).get(url), link)
    assert not _cells(signed_in(analyst("04")).get(url), link)


# ------------------------------------------------------------------ sign-in


@pytest.mark.parametrize("url", [*PAGES, "/infra/import/", "/infra/import/stations.csv"])
def test_pages_need_a_signed_in_user(url):
    response = Client().get(url)
    assert (response.status_code, response.url.split("?")[0]) == (302, "/account/login/")


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/infra/stations/?commune=%00", 200),
        ("/infra/stations/?operator=%00&page=%00", 200),
        (f"/infra/coverage/{HOME[:4]}%00/", 404),
        ("/infra/coverage/0127/", 404),
        ("/infra/subscribers/?period=%00", 200),
        ("/infra/import/%00.csv", 404),
    ],
)
def test_odd_addresses_are_answered_not_failed(officer, url, status):
    """A NUL byte in a query is an error on PostgreSQL: such values never reach the database."""
    assert signed_in(officer).get(url).status_code == status


def test_a_commune_filter_that_is_no_code_lists_no_station(officer):
    base_station(HOME, actor=officer)
    page = signed_in(officer).get("/infra/stations/?commune=1273")
    assert list(page.context["page"].object_list) == []
