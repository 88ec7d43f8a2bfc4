"""The field app on a phone: a visit recorded without signal is kept, then synced."""

import datetime as dt

import pytest

from langso.registry.models import DigitalProfile
from langso.registry.services import digital_observe
from langso.teams.models import Visit
from tests.browser.conftest import PHONE, shot
from tests.browser.test_pages import _sign_in
from tests.factories.accounts import commune_officer, team_member
from tests.factories.geo import VillageFactory
from tests.factories.registry import household

pytestmark = pytest.mark.browser


def test_a_visit_recorded_offline_waits_on_the_phone_and_syncs_when_back_online(page_at):
    village = VillageFactory(commune_id="01273", name="Nà Rị")
    home = household(village)
    digital_observe(
        actor=commune_officer("01273"),
        household_id=home.pk,
        observed_on=dt.date(2026, 1, 10),
        source="survey",
        facts={"has_smartphone": False, "uses_internet": False},
    )
    volunteer = team_member(village, full_name="Nông Thị Hoa")
    page = page_at(PHONE)
    _sign_in(page, volunteer.username)
    page.goto("/teams/field/")
    page.wait_for_selector("[data-testid=worklist] [data-household]")
    page.wait_for_selector("#field[data-offline-ready='1']")
    shot(page, "field-worklist-360")

    page.context.set_offline(True)
    page.reload()  # the app opens without signal, from the phone
    page.click(f"[data-household='{home.pk}']")
    page.select_option("select[name=consent_method]", "signed_form")
    page.check("[data-skill=smartphone_basics] input[value=practised]")
    page.check("[data-fact=has_smartphone] input[value=yes]")
    page.fill("textarea[name=needs]", "Muốn học bán chè trên mạng")
    shot(page, "field-visit-form-360")
    page.click("[data-testid=visit-form] button[type=submit]")
    page.wait_for_selector("[data-testid=sync-status][data-waiting='1']")
    assert Visit.objects.count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.context.set_offline(False)
    page.wait_for_selector("[data-testid=sync-status][data-waiting='0']", timeout=15000)
    visit = Visit.objects.get()
    assert (visit.household_id, list(visit.skills.values_list("skill", "outcome"))) == (
        home.pk,
        [("smartphone_basics", "practised")],
    )
    assert DigitalProfile.objects.get(household=home).has_smartphone is True
    shot(page, "field-synced-360")


def test_an_officer_establishes_a_team_adds_a_member_and_reads_the_progress(page_at):
    village = VillageFactory(commune_id="01273", name="Nà Rị")
    officer = commune_officer("01273")
    volunteer = team_member(village, full_name="Nông Thị Hoa")
    page = page_at(PHONE)
    _sign_in(page, officer.username)
    page.goto("/teams/")
    form = page.locator("[data-testid=team-form]")
    form.locator("select[name=village]").select_option(str(village.pk))
    form.locator("input[name=name]").fill("Tổ công nghệ số cộng đồng Nà Rị")
    form.locator("input[name=decision_number]").fill("125/QĐ-UBND")
    form.locator("input[name=established_on]").fill("2025-03-01")
    shot(page, "teams-new-360")
    form.locator("button").click()
    page.wait_for_selector("[data-testid=member-form]")
    member = page.locator("[data-testid=member-form]")
    member.locator("input[name=full_name]").fill("Nông Thị Hoa")
    member.locator("select[name=kind]").select_option("women_union")
    member.locator("input[name=starts_on]").fill("2025-03-01")
    member.locator("select[name=account]").select_option(str(volunteer.pk))
    member.locator("button").click()
    page.wait_for_selector("[data-testid=team-members] >> text=Nông Thị Hoa")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "team-detail-360")
    home = household(village)
    digital_observe(
        actor=officer,
        household_id=home.pk,
        observed_on=dt.date(2026, 1, 10),
        source="survey",
        facts={"has_smartphone": False},
    )
    from langso.teams.services import VisitRecord, visit_record

    visit_record(
        actor=volunteer,
        record=VisitRecord(
            household_id=home.pk,
            visited_on=dt.date.today(),
            present=[home.members.get(relationship="head").pk],
            skills={"vneid_level2": "alone"},
            facts={"has_smartphone": True},
            consent_method="signed_form",
        ),
    )
    page.goto("/teams/progress/")
    page.wait_for_selector("[data-testid=progress] >> text=Nà Rị")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "teams-progress-360")
