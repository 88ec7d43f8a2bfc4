"""The gap finder: villages deprived on information for lack of signal, or despite it."""

import io

import openpyxl
import pytest

from langso.reports import gaps
from langso.reports.gaps import VillageGap
from tests.factories.accounts import commune_officer
from tests.factories.geo import VillageFactory
from tests.factories.infra import coverage
from tests.factories.registry import household
from tests.factories.sessions import signed_in
from tests.reports.test_aggregates import HOME, NEIGHBOUR, _assessed


def _gap(**kw) -> VillageGap:
    values = {"households": 10, "deprived": 5, "coverage_4g": "none", "fibre": "none"}
    return VillageGap(**{**values, **kw})


def test_a_village_without_4g_or_fibre_is_out_of_reach():
    assert gaps.classify(_gap()) == gaps.OUT_OF_REACH


def test_a_village_with_partial_4g_only_is_out_of_reach():
    assert gaps.classify(_gap(coverage_4g="partial")) == gaps.OUT_OF_REACH


def test_a_village_with_full_4g_is_deprived_despite_coverage():
    assert gaps.classify(_gap(coverage_4g="full")) == gaps.DESPITE_COVERAGE


def test_fibre_in_the_village_counts_as_coverage():
    assert gaps.classify(_gap(fibre="partial")) == gaps.DESPITE_COVERAGE


def test_a_village_with_no_recorded_coverage_says_so():
    assert gaps.classify(_gap(coverage_4g=None, fibre=None)) == gaps.UNKNOWN_COVERAGE


def test_a_village_with_few_deprived_households_is_left_out():
    assert gaps.classify(_gap(deprived=1)) is None
    assert gaps.classify(_gap(households=100, deprived=10)) is None  # 10% < 20%


def test_a_covered_village_mostly_without_phones_lacks_devices():
    gap = _gap(coverage_4g="full", profiled=10, without_smartphone=6, not_using_internet=7)
    assert gaps.main_lack(gap) == "device"


def test_a_covered_village_with_phones_but_offline_lacks_skills():
    gap = _gap(coverage_4g="full", profiled=10, without_smartphone=1, not_using_internet=6)
    assert gaps.main_lack(gap) == "skill"


@pytest.fixture
def villages(db):
    """Nà Rị: no 4G, 3 of 4 households deprived; Bản Chang: full 4G, 3 of 3 deprived."""
    out = VillageFactory(commune_id=HOME, name="Nà Rị")
    covered = VillageFactory(commune_id=HOME, name="Bản Chang")
    for village, count in ((out, 4), (covered, 3)):
        for i in range(count):
            _assessed(household(village), 2026, "poor", telecom=i < 3)
    coverage(out, "4g", "none")
    coverage(out, "fibre", "none")
    coverage(covered, "4g", "full")
    return out, covered


def test_the_page_sorts_villages_into_infrastructure_and_teams(villages):
    html = signed_in(commune_officer(HOME)).get("/reports/gaps/").content.decode()
    assert 'class="tag gap-out_of_reach"' in html
    assert 'class="tag gap-despite_coverage"' in html


def test_the_export_lists_each_village_with_its_kind(villages):
    response = signed_in(commune_officer(HOME)).get("/reports/gaps/?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"Nà Rị", "Bản Chang"}
    assert rows["Nà Rị"][3] == 3
    assert "hạ tầng" in rows["Nà Rị"][8]
    assert "tổ công nghệ số" in rows["Bản Chang"][8]


def test_the_gap_finder_stays_in_the_user_s_area(villages):
    response = signed_in(commune_officer(NEIGHBOUR)).get("/reports/gaps/?format=csv")
    assert "Nà Rị" not in response.content.decode()
