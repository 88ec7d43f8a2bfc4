import pytest

from langso.poverty.models import Assessment
from langso.poverty.queries import movement_between, results_by_commune, year_figures
from langso.poverty.reports import YearFigures, change_sentence, movement, rate
from tests.factories.accounts import analyst, commune_officer
from tests.factories.geo import VillageFactory
from tests.factories.registry import household
from tests.factories.sessions import signed_in


def test_a_rate_is_computed_from_counts_and_empty_units_have_none():
    assert (rate(1, 4), rate(0, 0)) == (25.0, None)


@pytest.mark.parametrize(
    ("before", "after", "earlier", "column"),
    [
        ("poor", "near_poor", False, "to_near_poor"),
        ("poor", "middle_income", False, "above_near_poor"),
        ("poor", None, False, "other_decrease"),
        ("near_poor", "poor", False, "near_poor_to_poor"),
        ("above", "poor", True, "fell_back"),
        ("above", "poor", False, "newly_poor"),
        (None, "poor", False, "other_increase"),
    ],
)
def test_each_household_lands_in_its_movement_column(before, after, earlier, column):
    m = movement([(before, after, earlier)])
    assert getattr(m, column) == 1
    assert m.balanced


def test_a_mixed_province_balances_1_minus_2_3_4_plus_5_to_8():
    pairs = [
        ("poor", "poor", False),
        ("poor", "near_poor", False),
        ("poor", "above", False),
        ("poor", None, False),
        ("near_poor", "poor", False),
        ("middle_income", "poor", True),
        ("middle_income", "poor", False),
        (None, "poor", False),
        ("above", "above", False),
    ]
    m = movement(pairs)
    assert m.columns() == [4, 1, 1, 1, 1, 1, 1, 1, 5]
    assert m.computed_end == m.end == 5


def test_the_change_sentence_reads_like_the_seed_article():
    a = YearFigures(2023, households=126_460, poor=36_597, minority_households=120_000,
                    minority_poor=36_000)  # fmt: skip
    b = YearFigures(2024, households=126_460, poor=31_248, minority_households=120_000,
                    minority_poor=30_948)  # fmt: skip
    text = change_sentence(a, b)
    assert text.startswith("Tỷ lệ hộ nghèo giảm 4,23 điểm phần trăm (5.349 hộ), từ 28,94%")
    assert "xuống còn 24,71% năm 2024" in text
    assert "hộ nghèo dân tộc thiểu số giảm 4,21 điểm phần trăm" in text


@pytest.mark.django_db
class TestQueries:
    @pytest.fixture
    def places(self):
        return VillageFactory(commune_id="01273", name="Nà Rị"), VillageFactory(
            commune_id="01279", name="Bản Giới"
        )

    def _assess(self, h, year, klass, members=3):
        return Assessment.objects.create(
            household=h, review_year=year, standard="nd07-2021", standard_version="x",
            as_of="2024-09-01", commune_id=h.commune_id, village_id=h.village_id,
            area_type="rural", member_count=members, income_method="declared",
            indicators="N" * 12, deprived_count=0, unknown_count=0, poverty_class=klass,
        )  # fmt: skip

    def test_results_count_households_and_persons_per_commune_with_a_total(self, places):
        here, there = places
        self._assess(household(here), 2025, "poor", members=4)
        self._assess(household(here), 2025, "above", members=2)
        self._assess(household(there), 2025, "near_poor")
        rows = results_by_commune(analyst("04"), 2025)
        total = rows[-1]
        assert (total["households"], total["poor"], total["persons"]) == (3, 1, 9)
        assert total["poor_rate"] == pytest.approx(100 / 3)
        assert total["poor_person_rate"] == pytest.approx(400 / 9)

    def test_a_commune_officer_counts_only_their_commune(self, places):
        here, there = places
        self._assess(household(here), 2025, "poor")
        self._assess(household(there), 2025, "poor")
        assert year_figures(commune_officer("01273"), 2025).households == 1

    def test_movement_from_stored_assessments_balances(self, places):
        here, _there = places
        stays, leaves, enters = household(here), household(here), household(here)
        self._assess(stays, 2025, "poor")
        self._assess(leaves, 2025, "poor")
        self._assess(leaves, 2026, "near_poor")
        self._assess(stays, 2026, "poor")
        self._assess(enters, 2024, "poor")
        self._assess(enters, 2025, "above")
        self._assess(enters, 2026, "poor")
        m = movement_between(analyst("04"), 2025, 2026)
        assert (m.start, m.to_near_poor, m.fell_back, m.end, m.balanced) == (2, 1, 1, 2, True)

    def test_the_report_page_states_the_change_and_the_movement(self, places):
        here, _there = places
        for klass in ("poor", "poor", "above", "above"):
            h = household(here)
            self._assess(h, 2025, klass)
            self._assess(h, 2026, "poor" if klass == "poor" and h.pk % 2 else "above")
        page = signed_in(analyst("04")).get("/poverty/reports/", {"year": 2026})
        html = page.content.decode()
        assert "Tỷ lệ hộ nghèo giảm" in html
        assert 'data-testid="movement"' in html


@pytest.mark.parametrize(
    ("before", "after", "earlier", "column"),
    [
        ("near_poor", "poor", False, 1),  # 2: near-poor became poor
        ("near_poor", "above", False, 2),  # 3: out of near-poverty
        ("poor", "near_poor", False, 4),  # 5: poor became near-poor
        ("above", "near_poor", True, 5),  # 6: near-poor again
        ("above", "near_poor", False, 6),  # 7: newly near-poor
        (None, "near_poor", False, 7),  # 8: a new household
    ],
)
def test_each_household_lands_in_its_near_poor_movement_column(before, after, earlier, column):
    m = movement([(before, after, earlier)], "near_poor")
    assert m.columns()[column] == 1
    assert m.balanced
