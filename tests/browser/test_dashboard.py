"""The dashboard and the report builder on a phone: nothing wider than the screen, the trend
chart drawn at a readable size, an indicator chosen from the list, a report table built."""

import pytest

from langso.reports.aggregates import refresh
from tests.browser.conftest import PHONE, shot
from tests.browser.test_pages import _sign_in
from tests.factories.accounts import commune_officer
from tests.factories.geo import VillageFactory
from tests.factories.registry import household
from tests.reports.test_aggregates import HOME, TODAY, _assessed

pytestmark = pytest.mark.browser


@pytest.fixture
def officer():
    village = VillageFactory(commune_id=HOME, name="Nà Rị")
    homes = [household(village) for _ in range(4)]
    for i, home in enumerate(homes):
        _assessed(home, 2025, "poor" if i < 2 else "not_poor")
        _assessed(home, 2026, "poor" if i < 1 else "not_poor", telecom=i < 2)
    refresh(province_code="04", communes=[HOME], years=[2025, 2026], today=TODAY)
    return commune_officer(HOME)


def test_the_dashboard_fits_a_phone_and_draws_the_trend(page_at, officer):
    page = page_at(PHONE)
    _sign_in(page, officer.username)
    page.goto("/reports/?year=2026")
    chart = page.wait_for_selector("[data-testid=trend] svg")
    box = chart.bounding_box()
    assert 250 < box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert "50,00%" in page.inner_text("[data-testid=trend]")  # 2 of 4 poor in 2025
    shot(page, "dashboard-360")


def test_choosing_an_indicator_redraws_the_trend(page_at, officer):
    page = page_at(PHONE)
    _sign_in(page, officer.username)
    page.goto("/reports/?year=2026")
    page.select_option("[data-testid=trend] select", "deprived_telecom_use_rate")
    page.wait_for_url("**trend=deprived_telecom_use_rate**")
    assert "Tỷ lệ hộ thiếu hụt chỉ số sử dụng dịch vụ viễn thông" in page.inner_text(
        "[data-testid=trend] select option:checked"
    )


def test_the_report_builder_makes_a_table_on_a_phone(page_at, officer):
    page = page_at(PHONE)
    _sign_in(page, officer.username)
    page.goto("/reports/builder/")
    page.check("input[name=indicator][value=poor_rate]")
    page.check("input[name=level][value=village]")
    page.click("[data-testid=builder-form] button:has-text('Xem')")
    table = page.wait_for_selector("[data-testid=report-table]")
    assert "Nà Rị" in table.inner_text()
    shot(page, "report-builder-360")
