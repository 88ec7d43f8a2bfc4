import pytest
from django.core.exceptions import PermissionDenied

from langso.poverty.models import Assessment, AssessmentRun
from langso.poverty.services import assess_area, assess_household
from langso.registry.records import MemberRecord
from tests.factories.accounts import analyst, commune_officer, province_admin
from tests.factories.geo import VillageFactory
from tests.factories.registry import household

pytestmark = pytest.mark.django_db

POOR_FACTS = {
    "income_per_person": 900_000,
    "latrine": "none",
    "water_source": "surface",
    "floor_area_m2": 10,
}


@pytest.fixture
def village():
    return VillageFactory(commune_id="01273", name="Nà Rị")


def test_assessing_a_household_stores_its_class_vector_and_evidence(village):
    h = household(village, facts=POOR_FACTS)
    result, row = assess_household(actor=commune_officer(), household=h, review_year=2024)
    assert (row.poverty_class, row.standard, row.indicators, row.deprived_count) == (
        "poor",
        "nd07-2021",
        result.vector,
        3,
    )
    assert row.evidence["hygienic_latrine"][0]["facts"] == {"latrine": "none"}


def test_reassessing_keeps_the_earlier_result_as_history(village):
    h = household(village, facts=POOR_FACTS)
    officer = commune_officer()
    assess_household(actor=officer, household=h, review_year=2024)
    h.income_per_person = 5_000_000
    h.save()
    assess_household(actor=officer, household=h, review_year=2024)
    rows = list(
        Assessment.objects.filter(household=h)
        .order_by("pk")
        .values_list("poverty_class", "is_current")
    )
    assert rows == [("poor", False), ("above", True)]


def test_an_analyst_cannot_store_an_assessment(village):
    with pytest.raises(PermissionDenied):
        assess_household(actor=analyst(), household=household(village), review_year=2024)


def test_assessing_an_area_stores_one_current_row_per_active_household(village):
    household(village, facts=POOR_FACTS)
    household(village, facts={"income_per_person": 5_000_000})
    result = assess_area(actor=commune_officer(), review_year=2024)
    assert dict(result.by_class) == {"poor": 1, "above": 1}
    assert Assessment.objects.filter(is_current=True).count() == 2
    assert AssessmentRun.objects.get().households == 2


def test_an_area_run_agrees_with_the_single_household_assessment(village):
    h = household(village, facts=POOR_FACTS)
    officer = commune_officer()
    single, _ = assess_household(actor=officer, household=h, review_year=2024)
    assess_area(actor=officer, review_year=2024)
    row = Assessment.objects.get(household=h, is_current=True)
    assert (row.indicators, row.poverty_class, row.possible_classes) == (
        single.vector,
        single.klass,
        ",".join(single.possible),
    )


def test_what_if_counts_under_the_next_standard_without_writing(village):
    h = household(village, facts={**POOR_FACTS, "income_per_person": 2_100_000})
    before = assess_area(actor=commune_officer(), review_year=2026, save=False)
    after = assess_area(actor=commune_officer(), review_year=2027, save=False)
    assert (before.by_class["poor"], after.by_class["poor"]) == (0, 1)
    assert not Assessment.objects.filter(household=h).exists()


def test_an_area_run_counts_persons_and_skips_households_outside_the_commune(village):
    household(village, facts=POOR_FACTS)
    household(VillageFactory(commune_id="01279"), facts=POOR_FACTS)
    result = assess_area(actor=commune_officer("01273"), review_year=2024)
    assert (result.households, result.persons) == (1, 3)


def test_an_officer_cannot_assess_another_commune(village):
    with pytest.raises(PermissionDenied):
        assess_area(actor=commune_officer("01273"), review_year=2024, communes=["01279"])


def test_a_province_admin_assesses_the_whole_province(village):
    household(village)
    household(VillageFactory(commune_id="01279"))
    assert assess_area(actor=province_admin("04"), review_year=2024).households == 2


def test_a_member_who_left_does_not_count(village):
    from langso.registry.services import member_leave

    h = household(village, facts=POOR_FACTS)
    officer = commune_officer()
    child = h.members.get(relationship="child")
    member_leave(actor=officer, member_id=child.pk, reason="moved")
    result, _ = assess_household(actor=officer, household=h, review_year=2024, save=False)
    assert len(result.indicators) == 12
    assert Assessment.objects.count() == 0
    assert assess_area(actor=officer, review_year=2024).persons == 2


def test_unknown_member_facts_make_the_household_need_review(village):
    h = household(
        village,
        MemberRecord("Nông Văn Dũng", "male", 1980, "head"),
        facts={"income_per_person": 1_000_000},
    )
    _result, row = assess_household(actor=commune_officer(), household=h, review_year=2024)
    assert row.needs_review
    assert "poor" in row.possible_classes.split(",")


def test_the_assess_command_reports_classes_and_stores_nothing_on_what_if(village):
    import io

    from django.core.management import call_command

    household(village, facts=POOR_FACTS)
    officer = commune_officer()
    out = io.StringIO()
    call_command("assess", year=2024, username=officer.username, what_if=True, stdout=out)
    assert "poor" in out.getvalue()
    assert "1 households counted" in out.getvalue()
    assert not Assessment.objects.exists()
