"""Households as the rules read them, for hand-worked cases."""

from langso.poverty.rules import HouseholdFacts, Person

# A household deprived on nothing: every fact known and good.
GOOD_HOUSE = {
    "wall": "durable",
    "column": "durable",
    "roof": "durable",
    "floor_area_m2": 60,
    "water_source": "piped",
    "latrine": "septic",
    "digital.uses_internet": True,
    "digital.has_tv": True,
    "digital.has_radio": False,
    "digital.has_computer": False,
    "digital.has_smartphone": True,
    "digital.has_feature_phone": False,
    "digital.hears_loudspeaker": True,
}
GOOD_ADULT = {
    "work_status": "self_employed",
    "has_health_insurance": True,
    "in_school": False,
    "education": "upper_secondary",
    "receives_social_allowance": False,
    "has_disability": False,
}
GOOD_CHILD = {
    "in_school": True,
    "school_level_fits_age": True,
    "undernourished": False,
    "has_health_insurance": True,
}


def adult(birth_year: int = 1980, **facts) -> Person:
    return Person(birth_year, facts={**GOOD_ADULT, **facts}, name=f"adult {birth_year}")


def child(birth_year: int = 2015, **facts) -> Person:
    return Person(birth_year, facts={**GOOD_CHILD, **facts}, name=f"child {birth_year}")


def facts(
    *members: Person, income: int | None = 1_000_000, area: str = "rural", **house
) -> HouseholdFacts:
    return HouseholdFacts(
        area_type=area,
        income_per_person=income,
        facts={**GOOD_HOUSE, **house},
        members=list(members or (adult(), adult(1982))),
    )
