"""The figures per village and year match a hand count, stay in scope, and the dashboard shows
the catalogue's indicators computed from them with links to the lists behind them."""

import datetime as dt

import pytest

from langso.poverty.models import Assessment
from langso.poverty.services import assess_household
from langso.registry.services import digital_observe
from langso.reports import queries
from langso.reports.aggregates import refresh
from langso.reports.models import VillageFigures
from tests.factories.accounts import commune_officer, province_admin
from tests.factories.geo import VillageFactory
from tests.factories.infra import base_station, coverage, subscriber_counts
from tests.factories.outreach import board, cluster, station
from tests.factories.registry import household
from tests.factories.sessions import signed_in
from tests.factories.teams import team, team_member

pytestmark = pytest.mark.django_db
HOME, NEIGHBOUR = "01273", "01279"
TODAY = dt.date(2026, 11, 23)


def _assessed(home, year: int, klass: str, *, telecom: bool = False):
    officer = commune_officer(home.commune_id)
    _result, row = assess_household(actor=officer, household=home, review_year=year)
    letters = list(row.indicators)
    position = _telecom_position(row.standard)
    letters[position] = "D" if telecom else "N"
    Assessment.objects.filter(pk=row.pk).update(poverty_class=klass, indicators="".join(letters))


def _telecom_position(standard_code: str) -> int:
    from langso.poverty.standard import by_code

    codes = [i.code for i in by_code(standard_code).indicators]
    return codes.index(
        next(i.code for i in by_code(standard_code).indicators if i.dimension == "information")
    )


@pytest.fixture
def place():
    """Two villages of a commune: three households in the first, one in the second; one poor
    (deprived in telecom use), one near-poor; two with a smartphone; a base station, full 4G in
    the first village only; a team with two members; a cluster and a board; 840 mobile
    subscribers at the end of Q3."""
    first = VillageFactory(commune_id=HOME, name="Nà Rị")
    second = VillageFactory(commune_id=HOME, name="Bản Chang")
    homes = [household(first), household(first), household(first), household(second)]
    _assessed(homes[0], 2026, "poor", telecom=True)
    _assessed(homes[1], 2026, "near_poor")
    _assessed(homes[2], 2026, "not_poor")
    _assessed(homes[3], 2026, "not_poor")
    officer = commune_officer(HOME)
    for home, smartphone in zip(homes, (True, True, False, False), strict=True):
        digital_observe(
            actor=officer,
            household_id=home.pk,
            observed_on=dt.date(2026, 6, 1),
            source="survey",
            facts={"has_smartphone": smartphone},
        )
    base_station(HOME, village=first)
    coverage(first, "4g", "full")
    coverage(second, "4g", "partial")
    made = team(first)
    team_member(made, first)
    team_member(made, first, full_name="Hoàng Văn Nam")
    cluster(first, station(HOME))
    board(first)
    subscriber_counts(HOME, "Q3/2026", {"Di động": 840})
    refresh(province_code="04", communes=[HOME], years=[2026], today=TODAY)
    return first, second, homes


def test_the_figures_of_a_commune_match_a_hand_count(place):
    found = queries.measures(province_admin("04"), 2026, HOME)
    expected = {
        "households": 4,
        "assessed": 4,
        "poor": 1,
        "near_poor": 1,
        "deprived_telecom_use": 1,
        "profiled": 4,
        "with_smartphone": 2,
        "villages": 2,
        "villages_4g_full": 1,
        "base_stations": 1,
        "teams": 1,
        "team_members": 2,
        "radio_clusters": 1,
        "boards": 1,
        "mobile_subscribers": 840,
        "communes": 1,
    }
    assert {k: found[k] for k in expected} == expected


def test_a_village_row_holds_its_own_households_only(place):
    _first, second, _homes = place
    row = VillageFigures.objects.get(village=second, year=2026)
    assert (row.households, row.poor, row.villages, row.villages_4g_full) == (1, 0, 1, 0)


def test_rebuilding_twice_writes_the_same_rows(place):
    before = VillageFigures.objects.filter(year=2026).count()
    refresh(province_code="04", communes=[HOME], years=[2026], today=TODAY)
    assert VillageFigures.objects.filter(year=2026).count() == before == 3  # 2 villages + commune


def test_an_earlier_year_counts_its_assessed_households_and_leaves_today_s_facts_unknown(place):
    _first, _second, homes = place
    for home, klass in zip(homes, ("poor", "poor", "not_poor", "not_poor"), strict=True):
        _assessed(home, 2025, klass)
    refresh(province_code="04", communes=[HOME], years=[2025], today=TODAY)
    found = queries.measures(province_admin("04"), 2025, HOME)
    assert (found["households"], found["poor"], found["with_smartphone"]) == (4, 2, None)


def test_figures_stay_in_the_user_s_area(place):
    assert queries.measures(commune_officer(NEIGHBOUR), 2026)["households"] is None
    assert queries.measures(commune_officer(HOME), 2026)["households"] == 4


def test_the_dashboard_shows_the_poor_rate_computed_from_the_figures(place):
    page = signed_in(commune_officer(HOME)).get("/reports/?year=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-indicator="poor_rate"' in html
    assert "25,00%" in html  # 1 poor of 4 households


def test_a_smartphone_figure_opens_the_households_without_one(place):
    html = signed_in(commune_officer(HOME)).get(f"/reports/?year=2026&commune={HOME}").content
    assert f"/households/?commune={HOME}&amp;digital=has_smartphone&amp;digital_value=no" in (
        html.decode()
    )


def test_the_list_behind_the_smartphone_figure_lists_the_same_households(place):
    _first, _second, homes = place
    client = signed_in(commune_officer(HOME))
    listed = client.get(f"/households/?commune={HOME}&digital=has_smartphone&digital_value=no")
    html = listed.content.decode()
    shown = {h.code for h in homes if f"/households/{h.pk}/" in html}
    found = queries.measures(commune_officer(HOME), 2026, HOME)
    assert shown == {homes[2].code, homes[3].code}
    assert len(shown) == found["profiled"] - found["with_smartphone"]


def test_a_commune_outside_the_area_is_not_found_on_the_dashboard(place):
    page = signed_in(commune_officer(HOME)).get(f"/reports/?year=2026&commune={NEIGHBOUR}")
    assert page.status_code == 404


def test_the_dashboard_compares_the_communes_of_a_province(place):
    page = signed_in(province_admin("04")).get("/reports/?year=2026&compare=poor_rate")
    assert page.status_code == 200
    assert 'data-testid="comparison"' in page.content.decode()


def test_figures_are_recomputed_after_the_change_commits(django_capture_on_commit_callbacks):
    from langso.reports.staleness import figures_changed

    VillageFactory(commune_id=HOME, name="Nà Rị")
    with django_capture_on_commit_callbacks(execute=True):
        figures_changed(communes=[HOME], years=[2026])
    assert VillageFigures.objects.filter(commune_id=HOME, year=2026).count() == 2


def test_nothing_is_recomputed_before_the_change_commits(django_capture_on_commit_callbacks):
    from langso.reports.staleness import figures_changed

    VillageFactory(commune_id=HOME, name="Nà Rị")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        figures_changed(communes=[HOME], years=[2026])
    assert (len(callbacks), VillageFigures.objects.count()) == (1, 0)


def test_an_infrastructure_import_refreshes_the_figures_of_its_communes(
    django_capture_on_commit_callbacks,
):
    VillageFactory(commune_id=HOME, name="Nà Rị")
    with django_capture_on_commit_callbacks(execute=True):
        subscriber_counts(HOME, "Q3/2026", {"Di động": 840})
    row = VillageFigures.objects.get(commune_id=HOME, village=None, year=2026)
    assert row.mobile_subscribers == 840


def test_the_dashboard_draws_the_communes_on_a_map_without_tiles(place):
    import re

    html = signed_in(province_admin("04")).get("/reports/?year=2026").content.decode()
    assert 'data-testid="map"' in html
    circles = re.findall(r'<circle cx="([^"]+)" cy="([^"]+)"', html)
    assert circles
    assert all(re.fullmatch(r"\d+(\.\d+)?", x) for pair in circles for x in pair)  # not "12,5"


def test_a_coverage_edit_refreshes_the_figures_of_its_commune(django_capture_on_commit_callbacks):
    from langso.infra.services import coverage_set

    village = VillageFactory(commune_id=HOME, name="Nà Rị")
    with django_capture_on_commit_callbacks(execute=True):
        coverage_set(
            actor=commune_officer(HOME),
            village_id=village.pk,
            network="4g",
            level="full",
            as_of=dt.date.today(),
        )
    row = VillageFigures.objects.get(village=village, year=dt.date.today().year)
    assert row.villages_4g_full == 1


def _two_provinces():
    """A poor household in Cao Bằng (04) and one in Hà Nội (01)."""
    from langso.geo.models import Commune

    hanoi = Commune.objects.filter(province_id="01").order_by("code").first().code
    for code in (HOME, hanoi):
        home = household(VillageFactory(commune_id=code, name="Thôn Một"))
        _assessed(home, 2026, "poor", telecom=True)
    return hanoi


def test_a_national_rebuild_counts_every_province_as_a_province_rebuild_does():
    hanoi = _two_provinces()
    refresh(province_code=None, years=[2026], today=TODAY)
    national = {
        (r.province, r.commune_id, r.village_id): (r.households, r.poor, r.deprived_telecom_use)
        for r in VillageFigures.objects.filter(commune_id__in=[HOME, hanoi])
    }
    VillageFigures.objects.all().delete()
    for province in ("04", "01"):
        refresh(province_code=province, years=[2026], today=TODAY)
    one_by_one = {
        (r.province, r.commune_id, r.village_id): (r.households, r.poor, r.deprived_telecom_use)
        for r in VillageFigures.objects.filter(commune_id__in=[HOME, hanoi])
    }
    assert national == one_by_one
    assert {k[0] for k, v in national.items() if v == (1, 1, 1)} == {"01", "04"}


def test_the_rebuild_command_for_all_rebuilds_every_province(capsys):
    from django.core.management import call_command

    hanoi = _two_provinces()
    call_command("reports_rebuild", "all", "--year", str(dt.date.today().year))
    assert set(VillageFigures.objects.filter(poor=1).values_list("commune_id", flat=True)) == {
        HOME,
        hanoi,
    }
    assert "cả nước" in capsys.readouterr().out


def test_the_rebuild_command_for_one_province_leaves_the_others_alone():
    from django.core.management import call_command

    _two_provinces()
    call_command("reports_rebuild", "04", "--year", str(dt.date.today().year))
    assert set(VillageFigures.objects.values_list("province", flat=True)) == {"04"}


def test_an_unknown_province_is_refused_by_the_rebuild_command():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="99"):
        call_command("reports_rebuild", "99")


def test_each_standard_s_information_letters_are_read_at_its_own_positions():
    village = VillageFactory(commune_id=HOME, name="Nà Rị")
    # review 2021 is under QĐ 59/2015 (telecom use 9th of 10 letters), 2022 under NĐ 07/2021
    # (11th of 12): one deprived household in each
    _assessed(household(village), 2021, "poor", telecom=True)
    _assessed(household(village), 2022, "poor", telecom=True)
    refresh(province_code="04", communes=[HOME], years=[2021, 2022], today=TODAY)
    admin = province_admin("04")
    assert [queries.measures(admin, y, HOME)["deprived_telecom_use"] for y in (2021, 2022)] == [
        1,
        1,
    ]
