import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from langso.poverty import scorecard
from langso.poverty.models import Assessment, IncomeSurvey
from langso.poverty.services import (
    assess_area,
    assess_household,
    income_survey_record,
    scorecard_load,
)
from langso.poverty.standard import for_year
from tests.factories.accounts import commune_officer
from tests.factories.geo import VillageFactory
from tests.factories.registry import household

ND07 = for_year(2026)
CARD = scorecard.example()


def answers(pick: int = 0) -> dict[str, str]:
    """Every question answered with its ``pick``-th answer (0: the poorest)."""
    return {i.code: i.answers[min(pick, len(i.answers) - 1)].code for i in CARD.items}


def test_the_shipped_scorecard_says_it_is_only_an_example():
    assert CARD.is_example
    assert "VÍ DỤ" in CARD.title_vi


def test_a_score_at_the_poverty_cutoff_estimates_income_at_the_poverty_line():
    cutoff = CARD.cutoff("04", "rural")
    assert scorecard.estimate_income(CARD, ND07, cutoff.poverty, "04", "rural") == 1_500_000


def test_one_point_above_the_poverty_cutoff_is_above_the_poverty_line():
    cutoff = CARD.cutoff("04", "rural")
    income = scorecard.estimate_income(CARD, ND07, cutoff.poverty + 1, "04", "rural")
    assert income == 2_250_000  # the middle-income line: middle income


def test_above_the_middle_cutoff_is_above_the_middle_income_line():
    cutoff = CARD.cutoff("04", "rural")
    income = scorecard.estimate_income(CARD, ND07, cutoff.middle_income + 1, "04", "rural")
    assert income == 2_250_001


def test_a_province_outside_the_listed_regions_takes_the_default_cutoffs():
    assert CARD.cutoff("01", "urban").provinces == ()
    assert CARD.cutoff("04", "urban").provinces == ("04",)


def test_an_unanswered_question_gives_no_estimate_and_says_which():
    partial = answers()
    del partial["assets"]
    result = scorecard.score(CARD, ND07, partial, province="04", area_type="rural")
    assert (result.points, result.income, result.missing) == (None, None, ("assets",))


def test_an_answer_not_on_the_card_is_refused():
    with pytest.raises(scorecard.ScorecardError, match="assets"):
        scorecard.score(
            CARD, ND07, {**answers(), "assets": "yacht"}, province="04", area_type="rural"
        )


def test_a_card_with_a_middle_cutoff_below_the_poverty_cutoff_is_refused():
    text = (
        (scorecard.FOLDER / "example_2022.toml")
        .read_text()
        .replace("middle_income = 125", "middle_income = 50")
    )
    with pytest.raises(scorecard.ScorecardError, match="thấp hơn"):
        scorecard.parse(text)


@pytest.mark.django_db
class TestSurveys:
    @pytest.fixture
    def village(self):
        return VillageFactory(commune_id="01273", name="Nà Rị")

    def test_a_survey_estimate_replaces_the_declared_income_in_the_assessment(self, village):
        h = household(village, facts={"income_per_person": 9_000_000})
        officer = commune_officer()
        survey = income_survey_record(
            actor=officer,
            household=h,
            review_year=2026,
            answers=answers(0),
            surveyed_on=dt.date(2025, 10, 1),
        )
        _result, row = assess_household(actor=officer, household=h, review_year=2026)
        assert (row.income_per_person, row.income_method) == (survey.income_estimate, "scorecard")

    def test_the_area_run_reads_the_survey_estimate_too(self, village):
        h = household(village, facts={"income_per_person": 9_000_000})
        officer = commune_officer()
        income_survey_record(
            actor=officer,
            household=h,
            review_year=2026,
            answers=answers(0),
            surveyed_on=dt.date(2025, 10, 1),
        )
        single, _row = assess_household(actor=officer, household=h, review_year=2026, save=False)
        assess_area(actor=officer, review_year=2026)
        row = Assessment.objects.get(household=h)
        assert (row.poverty_class, row.income_method) == (single.klass, "scorecard")

    def test_a_survey_of_another_year_is_not_used(self, village):
        h = household(village, facts={"income_per_person": 9_000_000})
        officer = commune_officer()
        income_survey_record(
            actor=officer,
            household=h,
            review_year=2025,
            answers=answers(0),
            surveyed_on=dt.date(2024, 10, 1),
        )
        _result, row = assess_household(actor=officer, household=h, review_year=2026)
        assert row.income_method == "declared"

    def test_an_incomplete_survey_is_refused_and_names_the_questions(self, village):
        h = household(village)
        partial = answers()
        del partial["pension"]
        with pytest.raises(ValidationError) as error:
            income_survey_record(
                actor=commune_officer(),
                household=h,
                review_year=2026,
                answers=partial,
                surveyed_on=dt.date(2025, 10, 1),
            )
        assert "pension" in error.value.message_dict
        assert not IncomeSurvey.objects.exists()

    def test_a_loaded_scorecard_replaces_the_example(self, village):
        text = (scorecard.FOLDER / "example_2022.toml").read_text()
        text = text.replace('code = "example-2022"', 'code = "tt07-2021"').replace(
            "is_example = true", "is_example = false"
        )
        scorecard_load(actor=None, text=text)
        h = household(village)
        survey = income_survey_record(
            actor=commune_officer(),
            household=h,
            review_year=2026,
            answers=answers(),
            surveyed_on=dt.date(2025, 10, 1),
        )
        assert (survey.scorecard, survey.is_example_scorecard) == ("tt07-2021", False)
