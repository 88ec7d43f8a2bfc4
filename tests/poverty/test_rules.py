"""Hand-worked households under Decree 07/2021 (review years 2022–2026) and its neighbours."""

import datetime as dt

import pytest

from langso.poverty import rules
from langso.poverty.standard import for_year
from tests.factories.poverty import adult, child, facts

ND07 = for_year(2024)
AS_OF = dt.date(2023, 9, 1)


def status(code: str, h, standard=ND07) -> str:
    result = rules.assess(standard, 2024, h, AS_OF)
    return next(i for i in result.indicators if i.code == code).status


def test_a_household_with_every_fact_good_is_deprived_on_nothing():
    result = rules.assess(ND07, 2024, facts(), AS_OF)
    assert (result.vector, result.deprived, result.unknown) == ("N" * 12, 0, 0)


@pytest.mark.parametrize(
    ("work", "expected"),
    [
        ("unemployed", "deprived"),
        ("employed_no_contract", "deprived"),
        ("employed_contract", "not_deprived"),
        ("", "unknown"),
    ],
)
def test_employment_reads_the_work_of_working_age_members(work, expected):
    assert status("employment", facts(adult(), adult(1982, work_status=work))) == expected


def test_employment_ignores_an_unemployed_member_past_working_age():
    assert status("employment", facts(adult(), adult(1950, work_status="unemployed"))) == (
        "not_deprived"
    )


def test_dependants_over_half_of_the_household_is_a_deprivation():
    h = facts(adult(), child(2012), child(2015))
    assert status("dependants", h) == "deprived"


def test_dependants_exactly_half_is_not_a_deprivation():
    assert status("dependants", facts(adult(), child(2012))) == "not_deprived"


def test_an_elderly_member_without_allowance_is_not_a_dependant():
    h = facts(adult(), adult(1950, receives_social_allowance=False), child(2015))
    assert status("dependants", h) == "not_deprived"


def test_an_elderly_member_with_allowance_is_a_dependant():
    h = facts(adult(), adult(1950, receives_social_allowance=True), child(2015))
    assert status("dependants", h) == "deprived"


def test_dependants_unknown_only_when_the_missing_allowance_could_tip_it():
    h = facts(adult(), adult(1950, receives_social_allowance=None), child(2015))
    assert status("dependants", h) == "unknown"


def test_nutrition_is_about_children_under_16():
    assert status("nutrition", facts(adult(), child(2012, undernourished=True))) == "deprived"
    assert status("nutrition", facts(adult(), adult(2000, undernourished=True))) == ("not_deprived")


def test_health_insurance_counts_members_from_age_6():
    assert status("health_insurance", facts(adult(), child(2020, has_health_insurance=False))) == (
        "not_deprived"
    )
    assert status("health_insurance", facts(adult(), child(2016, has_health_insurance=False))) == (
        "deprived"
    )


def test_adult_education_wants_lower_secondary_at_17_and_upper_secondary_at_20():
    at_17 = adult(2006, in_school=False, education="lower_secondary")
    at_20 = adult(2003, in_school=False, education="lower_secondary")
    assert status("adult_education", facts(adult(), at_17)) == "not_deprived"
    assert status("adult_education", facts(adult(), at_20)) == "deprived"


def test_adult_education_is_met_by_a_member_still_studying():
    h = facts(adult(), adult(2003, in_school=True, education="lower_secondary"))
    assert status("adult_education", h) == "not_deprived"


def test_a_child_out_of_school_is_a_deprivation():
    assert status("child_school_attendance", facts(adult(), child(2014, in_school=False))) == (
        "deprived"
    )


def test_housing_quality_needs_two_of_three_structures_not_durable():
    assert status("housing_quality", facts(wall="non_durable")) == "not_deprived"
    assert status("housing_quality", facts(wall="non_durable", roof="non_durable")) == "deprived"


def test_housing_quality_is_unknown_when_the_missing_part_could_decide():
    assert status("housing_quality", facts(wall="non_durable", roof="")) == "unknown"
    assert status("housing_quality", facts(wall="durable", roof="")) == "not_deprived"


def test_floor_area_below_8_square_metres_per_person_is_a_deprivation():
    assert status("floor_area", facts(floor_area_m2=15.9)) == "deprived"  # 2 members
    assert status("floor_area", facts(floor_area_m2=16)) == "not_deprived"


def test_water_and_latrine_read_the_source_and_type():
    assert status("domestic_water", facts(water_source="surface")) == "deprived"
    assert status("domestic_water", facts(water_source="rainwater")) == "not_deprived"
    assert status("hygienic_latrine", facts(latrine="simple_pit")) == "deprived"


def test_telecom_use_is_deprived_when_nobody_uses_the_internet():
    assert status("telecom_use", facts(**{"digital.uses_internet": False})) == "deprived"


def test_information_access_needs_none_of_the_devices():
    no_devices = {f"digital.{d}": False for d in ("has_tv", "has_radio", "has_smartphone")}
    assert status("information_access", facts(**no_devices)) == "deprived"


def test_information_access_with_a_tv_is_met_even_if_other_devices_are_unknown():
    h = facts(**{"digital.has_tv": True, "digital.has_smartphone": None})
    assert status("information_access", h) == "not_deprived"


def test_a_household_never_observed_is_unknown_on_both_information_indicators():
    never = {f"digital.{d}": None for d in ("uses_internet", "has_tv", "has_smartphone")}
    result = rules.assess(ND07, 2024, facts(**never), AS_OF)
    assert result.vector[-2:] == "UU"


def _three_deprivations(**more):
    return {"latrine": "none", "water_source": "surface", "floor_area_m2": 10, **more}


def test_income_exactly_at_the_rural_line_with_3_deprivations_is_poor():
    result = rules.assess(ND07, 2024, facts(income=1_500_000, **_three_deprivations()), AS_OF)
    assert (result.deprived, result.klass) == (3, "poor")


def test_income_exactly_at_the_rural_line_with_2_deprivations_is_near_poor():
    h = facts(income=1_500_000, latrine="none", water_source="surface")
    assert rules.assess(ND07, 2024, h, AS_OF).klass == "near_poor"


def test_one_dong_above_the_line_is_never_poor_however_deprived():
    result = rules.assess(ND07, 2024, facts(income=1_500_001, **_three_deprivations()), AS_OF)
    assert result.klass == "middle_income"


def test_the_urban_line_is_higher_than_the_rural():
    h = facts(income=2_000_000, area="urban", **_three_deprivations())
    assert rules.assess(ND07, 2024, h, AS_OF).klass == "poor"


def test_above_the_middle_income_line_is_above():
    assert rules.assess(ND07, 2024, facts(income=2_250_001), AS_OF).klass == "above"


def test_unknowns_that_could_make_a_near_poor_household_poor_flag_it():
    h = facts(
        income=1_200_000, latrine="none", water_source="surface", **{"digital.uses_internet": None}
    )
    result = rules.assess(ND07, 2024, h, AS_OF)
    assert (result.klass, result.possible, result.needs_review) == (
        "near_poor",
        ("poor", "near_poor"),
        True,
    )


def test_unknowns_that_cannot_change_the_class_do_not_flag_it():
    h = facts(income=3_500_000, **{"digital.uses_internet": None})
    result = rules.assess(ND07, 2024, h, AS_OF)
    assert (result.klass, result.needs_review) == ("above", False)


def test_a_household_without_income_has_no_class_and_is_flagged():
    result = rules.assess(ND07, 2024, facts(income=None), AS_OF)
    assert (result.klass, result.needs_review) == (None, True)


def test_2026_still_uses_decree_07_and_2027_decree_351():
    h = facts(income=2_000_000, **_three_deprivations())
    assert rules.assess(for_year(2026), 2026, h, AS_OF).klass == "middle_income"
    assert rules.assess(for_year(2027), 2027, h, AS_OF).klass == "poor"


def test_under_decision_59_income_between_the_lines_with_3_deprivations_is_poor():
    qd59 = for_year(2020)
    h = facts(income=900_000, **_three_deprivations())
    assert rules.assess(qd59, 2020, h, AS_OF).klass == "poor"


def test_a_working_member_of_a_middle_income_household_is_a_low_income_worker():
    h = facts(
        adult(work_status="self_employed"), adult(1982, work_status="homemaker"), income=2_000_000
    )
    assert rules.assess(ND07, 2025, h, AS_OF).low_income_workers == 1


def test_members_of_a_near_poor_household_are_not_low_income_workers():
    h = facts(adult(work_status="self_employed"), income=1_000_000)
    assert rules.assess(ND07, 2025, h, AS_OF).low_income_workers == 0


def test_low_income_workers_exist_only_from_2025():
    h = facts(adult(work_status="self_employed"), income=2_000_000)
    assert rules.assess(ND07, 2024, h, AS_OF).low_income_workers == 0


def test_the_evidence_names_the_member_and_the_fact():
    h = facts(adult(), adult(1982, work_status="unemployed"))
    result = rules.assess(ND07, 2024, h, AS_OF)
    evidence = result.indicators[0].evidence
    assert [(e.name, e.facts) for e in evidence] == [("adult 1982", {"work_status": "unemployed"})]


def test_age_is_exact_when_the_birth_date_is_known():
    turns_6_after = rules.Person(
        2017, dt.date(2017, 9, 2), {"has_health_insurance": False}, name="child"
    )
    assert status("health_insurance", facts(adult(), turns_6_after)) == "not_deprived"
    turns_6_on = rules.Person(2017, dt.date(2017, 9, 1), {"has_health_insurance": False})
    assert status("health_insurance", facts(adult(), turns_6_on)) == "deprived"
