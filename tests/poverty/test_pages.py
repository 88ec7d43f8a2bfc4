import pytest

from langso.jobs import runner
from langso.jobs.models import Job
from langso.poverty.models import Assessment
from langso.registry.records import MemberRecord
from tests.factories.accounts import analyst, commune_officer
from tests.factories.geo import VillageFactory
from tests.factories.registry import household
from tests.factories.sessions import signed_in

pytestmark = pytest.mark.django_db

POOR = {
    "income_per_person": 900_000,
    "latrine": "none",
    "water_source": "surface",
    "floor_area_m2": 10,
}


@pytest.fixture
def village():
    return VillageFactory(commune_id="01273", name="Nà Rị")


def test_the_household_fragment_shows_the_class_and_each_indicator(village):
    h = household(village, facts=POOR)
    page = signed_in(commune_officer()).get(f"/poverty/households/{h.pk}/", {"year": 2024})
    html = page.content.decode()
    assert "Hộ nghèo" in html
    assert 'data-testid="indicator-hygienic_latrine" data-status="deprived"' in html


def test_an_analyst_sees_the_indicator_but_not_a_health_fact_behind_it(village):
    child = MemberRecord("Nông Văn An", "male", 2015, "child", facts={"undernourished": True})
    head = MemberRecord("Nông Văn Dũng", "male", 1980, "head")
    h = household(village, head, child, facts=POOR)
    html = signed_in(analyst()).get(f"/poverty/households/{h.pk}/", {"year": 2024}).content
    html = html.decode()
    assert 'data-testid="indicator-nutrition" data-status="deprived"' in html
    assert "Suy dinh dưỡng" not in html
    assert "suy dinh dưỡng" not in html


def test_an_officer_sees_the_health_fact_behind_the_nutrition_indicator(village):
    child = MemberRecord("Nông Văn An", "male", 2015, "child", facts={"undernourished": True})
    head = MemberRecord("Nông Văn Dũng", "male", 1980, "head")
    h = household(village, head, child, facts=POOR)
    html = signed_in(commune_officer()).get(f"/poverty/households/{h.pk}/", {"year": 2024})
    assert "suy dinh dưỡng (trẻ dưới 16): có" in html.content.decode()


def test_the_fragment_of_a_household_elsewhere_answers_404(village):
    h = household(VillageFactory(commune_id="01279"))
    assert (
        signed_in(commune_officer("01273")).get(f"/poverty/households/{h.pk}/").status_code == 404
    )


def test_saving_from_the_household_page_stores_the_assessment(village):
    h = household(village, facts=POOR)
    page = signed_in(commune_officer()).post(f"/poverty/households/{h.pk}/assess/", {"year": 2024})
    assert page.status_code == 302
    assert Assessment.objects.get(household=h).poverty_class == "poor"


def test_an_area_what_if_runs_as_a_job_and_its_result_page_shows_rates(village):
    household(village, facts=POOR)
    household(village, facts={"income_per_person": 5_000_000})
    client = signed_in(commune_officer())
    page = client.post("/poverty/", {"review_year": 2027, "commune": "", "what_if": "on"})
    job = Job.objects.get(kind="poverty.assess_area")
    assert page.url == f"/jobs/{job.pk}/"
    runner.run(job.pk)
    html = client.get(f"/poverty/results/{job.pk}/").content.decode()
    assert "50,00" in html or "50.00" in html
    assert not Assessment.objects.exists()


def test_an_analyst_cannot_open_the_assessment_page(village):
    assert signed_in(analyst()).get("/poverty/").status_code == 403


def test_the_assessment_page_lists_runs_of_my_commune_only(village):
    from langso.poverty.services import assess_area

    household(village, facts=POOR)
    household(VillageFactory(commune_id="01279"), facts=POOR)
    assess_area(actor=commune_officer("01273"), review_year=2024)
    assess_area(actor=commune_officer("01279"), review_year=2025)
    page = signed_in(commune_officer("01273")).get("/poverty/")
    assert [r.review_year for r in page.context["runs"]] == [2024]
