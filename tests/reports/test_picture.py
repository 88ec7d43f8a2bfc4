"""The picture over the years and by group: trends, headline sentences, villages compared,
ethnic-minority households against the others (sensitive: only with the right, and logged), the
report builder's files and the one-page brief, all within the user's area."""

import datetime as dt
import io
import re

import pytest

from langso.audit.models import ChangeEvent
from langso.registry.records import MemberRecord
from langso.registry.services import digital_observe
from langso.reports import builder_views, queries
from langso.reports.aggregates import refresh
from tests.factories.accounts import analyst, commune_officer, province_admin
from tests.factories.geo import VillageFactory
from tests.factories.registry import household
from tests.factories.sessions import api_client, signed_in
from tests.reports.test_aggregates import HOME, NEIGHBOUR, TODAY, _assessed

pytestmark = pytest.mark.django_db


def _kinh(village):
    return household(village, MemberRecord("Nguyễn Văn Bình", "male", 1975, "head", ethnicity="01"))


@pytest.fixture
def history():
    """Four households of one village: two ethnic minority (Tày), two Kinh. Review 2025: three
    poor (both minority, one Kinh); review 2026: one poor (minority). One minority household
    and both Kinh households have a smartphone. A second village with one household, not
    poor; a neighbouring commune with one poor household."""
    first = VillageFactory(commune_id=HOME, name="Nà Rị")
    second = VillageFactory(commune_id=HOME, name="Bản Chang")
    m1, m2, k1, k2 = household(first), household(first), _kinh(first), _kinh(first)
    other = _kinh(second)
    for home, was, now in (
        (m1, "poor", "poor"),
        (m2, "poor", "not_poor"),
        (k1, "poor", "not_poor"),
        (k2, "not_poor", "not_poor"),
        (other, "not_poor", "not_poor"),
    ):
        _assessed(home, 2025, was)
        _assessed(home, 2026, now)
    officer = commune_officer(HOME)
    for home, smartphone in ((m1, False), (m2, True), (k1, True), (k2, True), (other, True)):
        digital_observe(
            actor=officer,
            household_id=home.pk,
            observed_on=dt.date(2026, 6, 1),
            source="survey",
            facts={"has_smartphone": smartphone},
        )
    away = household(VillageFactory(commune_id=NEIGHBOUR, name="Pác Bó"))
    _assessed(away, 2026, "poor")
    for commune in (HOME, NEIGHBOUR):
        refresh(province_code="04", communes=[commune], years=[2025, 2026], today=TODAY)
    return first, second


def _section(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}".*?</section>', html, re.S)
    assert found, f"no {testid} section"
    return found.group(0)


# --- figures ------------------------------------------------------------------------------


def test_the_minority_counts_match_a_hand_count(history):
    found = queries.measures(province_admin("04"), 2026, HOME)
    assert {k: found[k] for k in ("minority_households", "minority_poor", "minority_profiled")} == {
        "minority_households": 2,
        "minority_poor": 1,
        "minority_profiled": 2,
    }
    assert found["minority_with_smartphone"] == 1


def test_an_earlier_year_counts_the_minority_households_assessed_that_year(history):
    found = queries.measures(province_admin("04"), 2025, HOME)
    assert (found["minority_households"], found["minority_poor"], found["poor"]) == (2, 2, 3)


def test_the_figures_by_year_hold_each_year(history):
    series = queries.by_year(commune_officer(HOME))
    assert {y: (m["poor"], m["households"]) for y, m in series.items()} == {
        2025: (3, 5),
        2026: (1, 5),
    }


# --- dashboard ----------------------------------------------------------------------------


def test_the_trend_chart_shows_the_rate_of_every_year(history):
    html = signed_in(commune_officer(HOME)).get("/reports/?year=2026").content.decode()
    trend = _section(html, "trend")
    assert "60,00%" in trend
    assert "20,00%" in trend


def test_the_headline_tells_the_fall_of_the_poor_rate_like_the_article(history):
    html = signed_in(commune_officer(HOME)).get("/reports/?year=2026").content.decode()
    assert (
        "Tỷ lệ hộ nghèo giảm 40,00 điểm phần trăm (2 hộ), từ 60,00% năm 2025 xuống còn "
        "20,00% năm 2026." in _section(html, "headlines")
    )


def test_a_commune_s_dashboard_compares_its_villages(history):
    first, _second = history
    html = signed_in(commune_officer(HOME)).get(f"/reports/?year=2026&commune={HOME}")
    comparison = _section(html.content.decode(), "comparison")
    assert "Nà Rị" in comparison
    assert "Bản Chang" in comparison
    assert f"village={first.pk}" in comparison  # opens the village's households


def test_the_ethnicity_breakdown_splits_minority_and_other_households(history):
    html = signed_in(commune_officer(HOME)).get("/reports/?year=2026").content.decode()
    breakdown = _section(html, "ethnicity")
    row = re.search(r"<td>Tỷ lệ hộ nghèo</td>(.*?)</tr>", breakdown, re.S).group(1)
    assert re.findall(r'class="num">([^<]+)<', row) == ["20,00%", "50,00%", "0,00%"]


def test_showing_the_ethnicity_breakdown_is_logged(history):
    officer = commune_officer(HOME)
    signed_in(officer).get("/reports/?year=2026")
    assert ChangeEvent.objects.filter(
        actor=officer, object_type="reports.figures", action="read"
    ).exists()


def test_an_analyst_sees_no_figure_by_ethnicity(history):
    html = signed_in(analyst("04")).get("/reports/?year=2026").content.decode()
    assert 'data-testid="ethnicity"' not in html
    assert "minority_poor_rate" not in html
    assert "dân tộc thiểu số" not in _section(html, "headlines")


def test_an_analyst_cannot_compare_on_a_sensitive_indicator(history):
    page = signed_in(analyst("04")).get("/reports/?year=2026&compare=minority_poor_rate")
    assert page.status_code == 404


# --- API ----------------------------------------------------------------------------------


def test_the_series_api_gives_the_rate_of_every_year(history):
    response = api_client(commune_officer(HOME)).get("/api/v1/reports/series?indicator=poor_rate")
    assert response.json() == [{"year": 2025, "value": 60.0}, {"year": 2026, "value": 20.0}]


def test_the_api_hides_minority_counts_from_an_analyst(history):
    response = api_client(analyst("04")).get("/api/v1/reports/figures?year=2026")
    assert response.status_code == 200
    assert "minority_poor" not in response.json()[HOME]
    assert (
        "minority_poor"
        in api_client(province_admin("04")).get("/api/v1/reports/figures?year=2026").json()[HOME]
    )


def test_a_sensitive_series_is_not_found_for_an_analyst(history):
    client = api_client(analyst("04"))
    assert client.get("/api/v1/reports/series?indicator=minority_poor_rate").status_code == 404


def test_the_village_figures_api_stays_in_the_commune(history):
    found = api_client(commune_officer(HOME)).get("/api/v1/reports/figures?year=2026&level=village")
    first, second = history
    assert set(found.json()) == {str(first.pk), str(second.pk)}


# --- report builder -----------------------------------------------------------------------

BUILD = "/reports/builder/?indicator=poor_rate&level=village&year=2025&year=2026"


def _sheet(response):
    from openpyxl import load_workbook

    assert response.status_code == 200, response.content[:500]
    book = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book["Báo cáo"].iter_rows(values_only=True)]


def test_the_builder_xlsx_holds_the_dashboard_s_values(history):
    rows = _sheet(signed_in(commune_officer(HOME)).get(BUILD + "&format=xlsx"))
    by_name = {r[1]: r[3:] for r in rows if len(r) > 3}
    assert by_name["Nà Rị"] == [75.0, 25.0]  # 3 of 4, then 1 of 4
    assert by_name["Bản Chang"] == [0.0, 0.0]
    assert by_name["Toàn địa bàn"] == [60.0, 20.0]


def test_the_builder_xlsx_states_the_boundary_basis(history):
    rows = _sheet(signed_in(commune_officer(HOME)).get(BUILD + "&format=xlsx"))
    assert any(r[0] and str(r[0]).startswith("Địa giới: đơn vị hành chính hiện hành") for r in rows)


def test_the_builder_lists_only_the_user_s_area(history):
    rows = _sheet(signed_in(commune_officer(HOME)).get(BUILD + "&format=xlsx"))
    assert not any("Pác Bó" in str(r[1]) for r in rows)


def test_the_builder_refuses_a_commune_outside_the_area(history):
    page = signed_in(commune_officer(HOME)).get(BUILD + f"&commune={NEIGHBOUR}")
    assert page.status_code == 404


def test_the_builder_refuses_a_sensitive_indicator_to_an_analyst(history):
    page = signed_in(analyst("04")).get(
        "/reports/builder/?indicator=minority_poor_rate&level=commune&year=2026"
    )
    assert page.status_code == 404


def test_the_builder_pdf_holds_the_table_and_the_basis(history):
    from pypdf import PdfReader

    response = signed_in(commune_officer(HOME)).get(BUILD + "&format=pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Nà Rị" in text
    assert "75,00%" in text
    assert "Địa giới" in text


def test_a_table_too_long_for_pdf_is_refused_with_a_reason(history, monkeypatch):
    monkeypatch.setattr(builder_views, "MAX_PDF_ROWS", 1)
    response = signed_in(commune_officer(HOME)).get(BUILD + "&format=pdf")
    assert response.status_code == 400
    assert "quá dài để in PDF" in response.content.decode()


def test_the_builder_shows_the_table_on_screen(history):
    html = signed_in(commune_officer(HOME)).get(BUILD).content.decode()
    assert "Nà Rị" in _section(html, "report-table")


# --- the one-page brief -------------------------------------------------------------------


def test_the_brief_is_one_pdf_page_with_the_headlines(history):
    from pypdf import PdfReader

    response = signed_in(commune_officer(HOME)).get("/reports/brief/?year=2026&format=pdf")
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 1
    assert "Tỷ lệ hộ nghèo giảm 40,00 điểm phần" in pages[0].extract_text()


def test_the_brief_as_png_is_a_portrait_a4_page(history):
    from PIL import Image

    response = signed_in(commune_officer(HOME)).get("/reports/brief/?year=2026&format=png")
    assert response["Content-Type"] == "image/png"
    width, height = Image.open(io.BytesIO(response.content)).size
    assert height / width == pytest.approx(297 / 210, rel=0.01)


def test_the_brief_of_a_commune_outside_the_area_is_not_found(history):
    page = signed_in(commune_officer(HOME)).get(f"/reports/brief/?commune={NEIGHBOUR}")
    assert page.status_code == 404
