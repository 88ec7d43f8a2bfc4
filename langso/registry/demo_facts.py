"""The poverty-indicator facts of a demo person (pure: no Django).

Drawn from the household's poverty score (0 well-off … 1 poorest) and the person's age on the
survey day, so that the indicators correlate as in the seed articles: poorer, remoter households
have more informal work, fewer diplomas, more children out of school and more undernourishment.
About 2% of facts are left unknown, as in real surveys, so reviewers have something to settle.
"""

from __future__ import annotations

import random

SURVEY_YEAR = 2025
MISSING = 0.02


def _maybe(rng: random.Random, value: object) -> object:
    """The value, or now and then "not recorded" (blank for a choice, None for yes/no)."""
    if rng.random() >= MISSING:
        return value
    return "" if isinstance(value, str) else None


def _education(rng: random.Random, age: int, poverty: float) -> str:
    if age < 7:
        return "none"
    if age < 11:
        return "none" if rng.random() < 0.5 else "primary"
    if age < 15:
        return "primary"
    if age < 18:
        return "lower_secondary" if rng.random() > 0.3 * poverty else "primary"
    old = max(0.0, min(1.0, (age - 30) / 40))  # older people left school earlier
    p_upper = max(0.05, 0.75 - 0.5 * poverty - 0.5 * old)
    p_lower = max(0.05, 0.9 - 0.45 * poverty - 0.3 * old) - p_upper
    x = rng.random()
    if x < p_upper:
        return rng.choice(
            ["upper_secondary", "upper_secondary", "vocational_intermediate", "college"]
        )
    if x < p_upper + max(0.0, p_lower):
        return "lower_secondary"
    return "primary" if rng.random() < 0.7 else "none"


def _work(rng: random.Random, age: int, poverty: float, in_school: bool | None) -> str:
    if age < 15:
        return "not_applicable"
    if in_school:
        return "student"
    if age >= 61:
        return rng.choice(["retired", "self_employed", "unable", "homemaker"])
    x = rng.random()
    for status, share in (
        ("unemployed", 0.02 + 0.05 * poverty),
        ("employed_no_contract", 0.08 + 0.12 * poverty),
        ("employed_contract", max(0.03, 0.3 - 0.25 * poverty)),
        ("homemaker", 0.06),
        ("unable", 0.02),
    ):
        if x < share:
            return status
        x -= share
    return "self_employed"


def person_facts(rng: random.Random, birth_year: int, poverty: float) -> dict[str, object]:
    """The indicator facts of one person (model field names of ``Member``)."""
    age = SURVEY_YEAR - birth_year
    if 3 <= age < 15:
        in_school = rng.random() > 0.04 + 0.1 * poverty
    elif 15 <= age < 18:
        in_school = rng.random() > 0.1 + 0.35 * poverty
    elif 18 <= age < 23:
        in_school = rng.random() < 0.35 - 0.25 * poverty
    else:
        in_school = False
    facts: dict[str, object] = {
        "in_school": in_school,
        "school_level_fits_age": (rng.random() > 0.05 + 0.15 * poverty) if in_school else None,
        "education": _education(rng, age, poverty),
        "undernourished": (rng.random() < 0.04 + 0.22 * poverty) if age < 16 else None,
        "has_disability": rng.random() < (0.015 + (0.06 if age >= 65 else 0)),
        "has_chronic_illness": rng.random() < (0.03 + (0.15 if age >= 60 else 0)),
    }
    facts["work_status"] = _work(rng, age, poverty, in_school)
    facts["receives_social_allowance"] = (age >= 75 and rng.random() < 0.8) or bool(
        facts["has_disability"] and rng.random() < 0.6
    )
    return {name: _maybe(rng, value) for name, value in facts.items()}
