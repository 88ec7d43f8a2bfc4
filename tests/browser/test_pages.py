import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import DESKTOP, PHONE, shot
from tests.factories.accounts import PASSWORD, commune_officer, province_admin

pytestmark = pytest.mark.browser


def _sign_in_with_totp(page, user):
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _sign_in(page, user.username)
    page.wait_for_url("**/account/2fa/**")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("input[name=code]", f"{totp.token():06d}")
    page.click("button[type=submit]")


def _sign_in(page, username):
    page.goto("/account/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_commune_officer_signs_in_and_sees_their_home_page(page_at, viewport):
    officer = commune_officer("01273", full_name="Nông Thị Mai")
    page = page_at(viewport)
    _sign_in(page, officer.username)
    page.wait_for_selector("h1")
    assert "Xin chào, Nông Thị Mai" in page.inner_text("h1")
    assert "Phường Thục Phán" in page.inner_text("main")
    # nothing wider than the screen on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shot(page, f"home-officer-{viewport['width']}")


def test_province_admin_passes_the_totp_step(page_at):
    admin = province_admin("04", full_name="Hoàng Văn Sở")
    page = page_at(PHONE)
    _sign_in_with_totp(page, admin)
    page.wait_for_selector("text=Xin chào, Hoàng Văn Sở")
    shot(page, "home-province-admin-360")


def test_english_can_be_chosen(page_at):
    officer = commune_officer("01273")
    page = page_at(DESKTOP)
    _sign_in(page, officer.username)
    page.click("button[name=language][value=en]")
    page.wait_for_selector("text=Hello")
    assert "Villages" in page.inner_text("main") or "villages" in page.inner_text("main")
    shot(page, "home-officer-english")


def test_officer_imports_villages_through_the_page_and_sees_the_result(page_at, tmp_path):
    officer = commune_officer("01273")
    page = page_at(PHONE)
    _sign_in(page, officer.username)
    page.goto("/geo/villages/import/")
    with page.expect_download() as download:
        page.click("text=Tải tệp mẫu")
    template = tmp_path / "mau.csv"
    download.value.save_as(template)
    page.set_input_files("input[type=file]", str(template))
    shot(page, "import-villages-360")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-status=succeeded]")
    assert page.inner_text("[data-testid=result-created]") == "2"
    shot(page, "import-result-360")
    page.goto("/geo/communes/01273/")
    assert "Nà Rị" in page.inner_text("main")
    shot(page, "commune-360")


def test_province_admin_creates_a_team_member_for_a_village(page_at):
    from langso.accounts.models import User
    from tests.factories.geo import VillageFactory

    VillageFactory(commune_id="01273", name="Nà Rị")
    admin = province_admin("04")
    page = page_at(PHONE)
    _sign_in_with_totp(page, admin)
    page.goto("/account/users/new/")
    page.fill("input[name=username]", "mai.nari")
    page.fill("input[name=full_name]", "Nông Thị Mai")
    page.select_option("select[name=role]", "team_member")
    page.fill("input[name=password]", "Nà-Rị-2026-an-toàn")
    page.select_option("select[name=level]", "village")
    page.select_option("select[name=commune]", "01273")
    page.wait_for_selector("#id_village option:text('Thôn Nà Rị')", state="attached")
    page.select_option("select[name=village]", label="Thôn Nà Rị")
    shot(page, "user-new-360")
    page.click("button:text('Tạo')")
    page.wait_for_selector("text=Đã tạo tài khoản mai.nari")
    shot(page, "user-detail-360")
    assert list(
        User.objects.get(username="mai.nari").areas.values_list("village__name", flat=True)
    ) == ["Nà Rị"]


def test_officer_imports_households_through_the_page_and_sees_the_result(page_at, tmp_path):
    from langso.registry.models import Household
    from tests.factories.geo import VillageFactory

    VillageFactory(commune_id="01273", name="Nà Rị")
    officer = commune_officer("01273")
    page = page_at(PHONE)
    _sign_in(page, officer.username)
    page.goto("/households/import/")
    with page.expect_download() as download:
        page.click("text=Tải tệp mẫu (Excel)")
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)
    page.set_input_files("input[type=file]", str(template))
    shot(page, "household-import-360")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-status=succeeded]")
    assert page.inner_text("[data-testid=result-created]") == "1"
    shot(page, "household-import-result-360")
    assert Household.objects.get().members.count() == 3


def test_officer_finds_a_household_adds_a_member_and_records_its_digital_profile(page_at):
    from tests.factories.geo import VillageFactory
    from tests.factories.registry import household

    village = VillageFactory(commune_id="01273", name="Nà Rị")
    officer = commune_officer("01273")
    found = household(village, actor=officer)
    page = page_at(PHONE)
    _sign_in(page, officer.username)
    page.goto("/households/")
    page.fill("input[name=q]", "dung")
    page.wait_for_selector("[data-testid=household-count]:has-text('1 hộ')")
    shot(page, "household-list-360")
    page.click("text=Nông Văn Dũng")
    page.wait_for_url(f"**/households/{found.pk}/")
    page.click("text=Thêm thành viên")
    page.fill("input[name=full_name]", "Nông Thị Hoa")
    page.select_option("select[name=sex]", "female")
    page.fill("input[name=birth_year]", "2016")
    page.select_option("select[name=relationship]", "child")
    page.fill("input[name=id_number]", "123")
    page.click("button[type=submit]")
    page.wait_for_selector(".invalid input[name=id_number]")
    shot(page, "member-form-error-360")
    page.fill("input[name=id_number]", "")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/households/{found.pk}/")
    assert page.locator("[data-testid=member]").count() == 4
    page.click("text=Ghi nhận mới")
    page.select_option("select[name=has_smartphone]", "true")
    page.select_option("select[name=uses_messaging]", "false")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/households/{found.pk}/")
    shot(page, "household-detail-360")
    assert "✔ có" in page.inner_text(".facts.profile")


def test_officer_sees_why_a_household_is_poor_saves_it_and_runs_a_what_if(page_at):
    from tests.factories.geo import VillageFactory
    from tests.factories.registry import household

    village = VillageFactory(commune_id="01273", name="Nà Rị")
    officer = commune_officer("01273")
    poor = {"income_per_person": 900_000, "latrine": "none", "water_source": "surface"}
    found = household(village, actor=officer, facts={**poor, "floor_area_m2": 10})
    page = page_at(PHONE)
    _sign_in(page, officer.username)
    page.goto(f"/households/{found.pk}/")
    page.wait_for_selector("[data-testid=live-class]")
    assert page.get_attribute("[data-testid=indicator-floor_area]", "data-status") == "deprived"
    page.click("text=Lưu kết quả năm")
    page.wait_for_selector("[data-testid=poverty] details summary")
    shot(page, "household-poverty-360")
    page.goto("/poverty/")
    page.select_option("select[name=review_year]", "2027")
    page.check("input[name=what_if]")
    page.click("[data-testid=assess-start]")
    page.wait_for_selector("[data-testid=assessment-result]", timeout=30_000)
    page.click("[data-testid=assessment-result]")
    page.wait_for_selector("[data-testid=class-poor]")
    shot(page, "poverty-what-if-360")
    assert "1" in page.inner_text("[data-testid=class-poor]")


def test_officer_surveys_a_listed_household_with_form_b_on_a_phone(page_at):
    import datetime as dt

    from langso.geo.models import Commune
    from langso.poverty import review
    from langso.poverty.services import assess_household
    from tests.factories.geo import VillageFactory
    from tests.factories.registry import household

    village = VillageFactory(commune_id="01273", name="Nà Rị")
    officer = commune_officer("01273")
    poor = {"income_per_person": 900_000, "latrine": "none", "water_source": "surface"}
    found = household(village, actor=officer, facts={**poor, "floor_area_m2": 10})
    assess_household(actor=officer, household=found, review_year=2025)
    opened = review.open_review(
        actor=officer,
        commune=Commune.objects.get(code="01273"),
        review_year=2026,
        today=dt.date(2025, 9, 15),
    )
    review.finish_step(actor=officer, review=opened, today=dt.date(2025, 9, 15))
    page = page_at(PHONE)
    _sign_in(page, officer.username)
    page.goto(f"/poverty/reviews/{opened.pk}/")
    assert "1 hộ chưa khảo sát" in page.inner_text("[data-testid=blockers]")
    shot(page, "review-survey-step-360")
    page.click("[data-testid=entries] >> text=Phiếu B")
    for group in page.locator(".choices").all():
        group.locator("input[type=radio]").last.check()
    page.fill("input[name=surveyed_on]", "2025-10-01")
    page.click("[data-testid=survey-form] button")
    page.wait_for_selector("[data-testid=survey-result]")
    shot(page, "review-form-b-360")
    page.goto(f"/poverty/reviews/{opened.pk}/")
    assert not page.locator("[data-testid=blockers]").count()
