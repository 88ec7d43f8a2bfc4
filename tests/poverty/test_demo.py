import pytest

from langso.demo.services import demo_build
from langso.poverty.models import Assessment
from langso.registry.models import Household
from tests.factories.demo import remove_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    from langso.audit.models import ChangeEvent

    with django_db_blocker.unblock():
        last_event = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        demo_build(province_code="04", households=4000, seed=7, with_users=False)
        yield
        Assessment.objects.all().delete()
        remove_demo("04")
        ChangeEvent.objects.filter(id__gt=last_event).delete()


def _poor_rate(year: int) -> float:
    rows = Assessment.objects.filter(review_year=year, is_current=True)
    return rows.filter(poverty_class="poor").count() / rows.count()


def test_every_household_is_assessed_for_both_review_years(built):
    households = Household.objects.count()
    for year in (2025, 2026):
        assert Assessment.objects.filter(review_year=year, is_current=True).count() == households


def test_the_poor_rate_falls_from_about_29_to_about_25_percent(built):
    assert 0.24 < _poor_rate(2025) < 0.34
    assert 0.20 < _poor_rate(2026) < 0.30
    assert _poor_rate(2025) - _poor_rate(2026) > 0.02


def test_the_information_indicators_are_among_the_most_frequent_deprivations(built):
    from collections import Counter

    from langso.poverty.standard import for_year

    codes = [i.code for i in for_year(2026).indicators]
    counts = Counter()
    for vector in Assessment.objects.filter(review_year=2026, poverty_class="poor").values_list(
        "indicators", flat=True
    ):
        counts.update(code for code, letter in zip(codes, vector, strict=True) if letter == "D")
    top = [code for code, _n in counts.most_common(4)]
    assert "telecom_use" in top
    assert "information_access" in top
