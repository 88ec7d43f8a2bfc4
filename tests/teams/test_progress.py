"""Progress figures from the aggregates kept as visits are recorded."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from langso.registry.services import digital_observe
from langso.teams.progress import progress, skills_progress
from langso.teams.services import VisitRecord, visit_record
from tests.factories.accounts import commune_officer, province_admin, team_member
from tests.factories.geo import VillageFactory
from tests.factories.registry import household
from tests.factories.sessions import signed_in
from tests.factories.teams import team
from tests.factories.teams import team_member as add_member

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
YEAR = (dt.date(2026, 1, 1), TODAY)


@pytest.fixture
def village():
    return VillageFactory(commune_id="01273", name="Nà Rị")


@pytest.fixture
def volunteer(village):
    user = team_member(village)
    add_member(team(village), village, user=user, full_name="Nông Thị Hoa")
    return user


def _offline(home):
    digital_observe(
        actor=commune_officer("01273"),
        household_id=home.pk,
        observed_on=dt.date(2026, 1, 10),
        source="survey",
        facts={"has_smartphone": False, "uses_internet": False},
    )


def _visit(user, home, day=dt.date(2026, 5, 4), **kw):
    kw.setdefault("present", [home.members.get(relationship="head").pk])
    if kw.get("skills"):
        kw.setdefault("consent_method", "signed_form")
    return visit_record(
        actor=user, record=VisitRecord(household_id=home.pk, visited_on=day, **kw), today=TODAY
    )


def _village_row(user, group="village", period=YEAR):
    rows, total = progress(user, group, *period)
    return rows[0], total


def test_visits_and_skills_are_counted_per_village(village, volunteer):
    home = household(village)
    _visit(volunteer, home, skills={"vneid_level2": "alone", "scam_safety": "shown"})
    _visit(volunteer, home, day=dt.date(2026, 6, 1), skills={"shop_online": "practised"})
    row, _total = _village_row(commune_officer("01273"))
    assert (row.name, row.visits, row.taught, row.mastered) == ("Nà Rị", 2, 3, 1)


def test_a_household_visited_twice_is_reached_once(village, volunteer):
    home = household(village)
    household(village)
    _visit(volunteer, home)
    _visit(volunteer, home, day=dt.date(2026, 6, 1))
    row, _total = _village_row(commune_officer("01273"))
    assert (row.reached, row.households) == (1, 2)


def test_a_household_that_got_a_smartphone_after_the_first_visit_moved_out(village, volunteer):
    home = household(village)
    _offline(home)
    _visit(volunteer, home)
    _visit(volunteer, home, day=dt.date(2026, 6, 1), facts={"has_smartphone": True})
    row, _total = _village_row(commune_officer("01273"))
    assert (row.moved["has_smartphone"], row.moved["uses_internet"]) == (1, 0)


def test_a_household_that_had_a_smartphone_before_did_not_move_out(village, volunteer):
    home = household(village)
    _visit(volunteer, home, facts={"has_smartphone": True})
    row, _total = _village_row(commune_officer("01273"))
    assert row.moved["has_smartphone"] == 0


def test_visits_outside_the_period_are_not_counted(village, volunteer):
    _visit(volunteer, household(village), day=dt.date(2025, 12, 30))
    rows, total = progress(commune_officer("01273"), "village", *YEAR)
    assert (rows, total.visits) == ([], 0)


def test_another_communes_officer_sees_none_of_it(village, volunteer):
    _visit(volunteer, household(village))
    rows, _total = progress(commune_officer("01279"), "commune", *YEAR)
    assert rows == []


def test_by_member_names_the_team_member(village, volunteer):
    _visit(volunteer, household(village))
    row, _total = _village_row(province_admin("04"), group="member")
    assert (row.name, row.visits) == ("Nông Thị Hoa", 1)


def test_skills_are_summed_in_catalogue_order(village, volunteer):
    _visit(volunteer, household(village), skills={"scam_safety": "alone", "install_app": "shown"})
    assert skills_progress(commune_officer("01273"), *YEAR) == [
        ("Cài ứng dụng từ cửa hàng ứng dụng", 1, 0),
        ("Nhận biết lừa đảo và bảo vệ tài khoản", 1, 1),
    ]


def test_the_progress_workbook_has_the_rows_and_the_total(village, volunteer):
    home = household(village)
    _offline(home)
    _visit(volunteer, home, skills={"vneid_level2": "alone"}, facts={"has_smartphone": True})
    response = signed_in(commune_officer("01273")).get(
        "/teams/progress/",
        {"from": "2026-01-01", "to": "2026-11-20", "group": "village", "format": "xlsx"},
    )
    sheet = load_workbook(io.BytesIO(response.content))["Kết quả"]
    assert [c.value for c in sheet[2]][:7] == [
        "Thôn",
        "Số hộ",
        "Hộ đã đến",
        "Tỷ lệ hộ đã đến (%)",
        "Lần đến hộ",
        "Kỹ năng đã hướng dẫn",
        "Kỹ năng tự làm được",
    ]
    assert [c.value for c in sheet[3]][:8] == ["Nà Rị", 1, 1, 100.0, 1, 1, 1, 1]
    assert sheet[4][0].value == "Tổng"


def test_the_progress_page_shows_the_table(village, volunteer):
    _visit(volunteer, household(village))
    page = signed_in(commune_officer("01273")).get(
        "/teams/progress/", {"from": "2026-01-01", "to": "2026-11-20"}
    )
    assert "Nà Rị" in page.content.decode()


def test_rebuilding_the_tallies_from_the_visits_gives_the_same_figures(village, volunteer):
    from django.core.management import call_command

    home = household(village)
    _offline(home)
    _visit(volunteer, home, skills={"vneid_level2": "alone"})
    _visit(volunteer, home, day=dt.date(2026, 6, 1), facts={"has_smartphone": True})
    before = progress(commune_officer("01273"), "village", *YEAR)
    call_command("teams_rebuild_tallies", "04")
    assert progress(commune_officer("01273"), "village", *YEAR) == before


def test_the_two_information_indicators_are_counted_per_review_year(village):
    from langso.poverty.services import assess_household
    from langso.teams.progress import information_indicators

    officer = commune_officer("01273")
    offline, connected = household(village), household(village)
    _offline(offline)
    digital_observe(
        actor=officer,
        household_id=connected.pk,
        observed_on=dt.date(2026, 1, 10),
        source="survey",
        facts={"has_smartphone": True, "uses_internet": True},
    )
    for home in (offline, connected):
        assess_household(actor=officer, household=home, review_year=2026)
    (year,) = information_indicators(officer)
    assert (year["year"], year["households"], year["deprived"][0]) == (
        2026,
        2,
        ("telecom_use", 1, 50.0),
    )


def test_a_visit_recorded_later_for_an_earlier_day_moves_the_first_visit_back(village, volunteer):
    from langso.teams.models import HouseholdReach

    home = household(village)
    _visit(volunteer, home, day=dt.date(2026, 6, 1))
    _visit(volunteer, home, day=dt.date(2026, 5, 4))
    _visit(volunteer, home, day=dt.date(2026, 7, 9))
    reach = HouseholdReach.objects.get(household=home)
    assert (reach.first_visit, reach.last_visit, reach.visits) == (
        dt.date(2026, 5, 4),
        dt.date(2026, 7, 9),
        3,
    )
