"""The poverty API: reports and assessments of the caller's area only."""

import pytest

from langso.poverty.models import Assessment
from tests.factories.accounts import analyst, commune_officer
from tests.factories.geo import VillageFactory
from tests.factories.registry import household
from tests.factories.sessions import api_client

pytestmark = pytest.mark.django_db


def _assess(h, year, klass, vector="N" * 12, members=3):
    return Assessment.objects.create(
        household=h, review_year=year, standard="nd07-2021", standard_version="x",
        as_of="2025-09-01", commune_id=h.commune_id, village_id=h.village_id,
        area_type="rural", member_count=members, income_method="declared",
        indicators=vector, deprived_count=vector.count("D"), unknown_count=0,
        poverty_class=klass,
    )  # fmt: skip


@pytest.fixture
def two_communes():
    here = VillageFactory(commune_id="01273", name="Nà Rị")
    there = VillageFactory(commune_id="01279", name="Bản Giới")
    a, b = household(here), household(there)
    _assess(a, 2025, "poor")
    _assess(a, 2026, "near_poor", "D" + "N" * 11)
    _assess(b, 2026, "poor", "DD" + "N" * 10)
    return a, b


def test_results_per_commune_end_with_a_total_from_the_counts(two_communes):
    rows = api_client(analyst("04")).get("/api/v1/poverty/reports/results?year=2026").json()
    assert [(r["commune"], r["households"], r["poor"]) for r in rows] == [
        ("01273", 1, 0),
        ("01279", 1, 1),
        ("", 2, 1),
    ]
    assert rows[-1]["poor_rate"] == 50.0


def test_a_commune_officer_gets_only_their_communes_figures(two_communes):
    rows = (
        api_client(commune_officer("01273")).get("/api/v1/poverty/reports/results?year=2026").json()
    )
    assert [r["commune"] for r in rows] == ["01273", ""]


def test_the_movement_answers_the_forms_nine_columns_balanced(two_communes):
    rows = (
        api_client(analyst("04"))
        .get("/api/v1/poverty/reports/movement?before=2025&after=2026")
        .json()
    )
    total = rows[-1]
    assert total["columns"] == [1, 1, 0, 0, 0, 0, 0, 1, 1]
    assert total["balanced"] is True


def test_deprivations_and_groups_are_per_class(two_communes):
    client = api_client(analyst("04"))
    poor, near = client.get("/api/v1/poverty/reports/deprivations?year=2026").json()
    assert (poor["poverty_class"], poor["households"], poor["deprivations"]) == ("poor", 1, 2)
    assert near["indicators"][0]["count"] == 1
    groups = client.get("/api/v1/poverty/reports/groups?year=2026").json()
    assert [(g["poverty_class"], g["total"]) for g in groups] == [("poor", 1), ("near_poor", 1)]


def test_a_households_assessments_are_not_served_outside_the_area(two_communes):
    _a, b = two_communes
    url = f"/api/v1/poverty/households/{b.pk}/assessments"
    assert api_client(commune_officer("01273")).get(url).status_code == 404
    rows = api_client(analyst("04")).get(url).json()
    assert [(r["review_year"], r["poverty_class"]) for r in rows] == [(2026, "poor")]


def test_a_year_out_of_range_is_a_422_not_a_500():
    response = api_client(analyst("04")).get("/api/v1/poverty/reports/results?year=99999")
    assert response.status_code == 422


def test_a_movement_asked_backwards_is_a_422():
    response = api_client(analyst("04")).get(
        "/api/v1/poverty/reports/movement?before=2026&after=2025"
    )
    assert response.status_code == 422
