"""The worklist's ranking and its explanations, from the rules kept as data."""

import datetime as dt
import tomllib

import pytest

from langso.teams import targeting
from langso.teams.skills import catalogue
from langso.teams.targeting import HouseholdFacts, RulesError

TODAY = dt.date(2026, 12, 1)
RULES = targeting.rules()
CONNECTED = {
    "has_smartphone": True,
    "uses_internet": True,
    "vneid_level": 2,
    "pays_cashless": True,
    "uses_online_public_services": True,
}


def facts(code: str = "H1", **kw) -> HouseholdFacts:
    kw.setdefault("digital", CONNECTED)
    kw.setdefault("last_visit", TODAY - dt.timedelta(days=10))
    return HouseholdFacts(household_id=int(code.removeprefix("H")), code=code, **kw)


def ranked(*households: HouseholdFacts) -> list[str]:
    return [e.code for e in targeting.worklist(households, RULES, catalogue(), TODAY)]


def reasons(household: HouseholdFacts) -> list[str]:
    return [r.text_vi for r in targeting.entry(household, RULES, catalogue(), TODAY).reasons]


def test_a_household_deprived_on_information_comes_before_one_without_a_smartphone():
    informed = facts("H1", digital={**CONNECTED, "has_smartphone": False})
    deprived = facts("H2", deprived=frozenset({"information_access"}))
    assert ranked(informed, deprived) == ["H2", "H1"]


def test_a_household_with_nothing_lacking_and_a_recent_visit_is_not_listed():
    assert ranked(facts("H1")) == []


def test_each_entry_says_why_it_is_there_largest_reason_first():
    household = facts(
        digital={**CONNECTED, "pays_cashless": False}, poverty_class="poor", member_ages=(67, 40)
    )
    assert reasons(household) == [
        "Hộ nghèo",
        "Chưa thanh toán không dùng tiền mặt",
        "Có người cao tuổi (từ 60 tuổi)",
    ]


def test_a_never_visited_household_says_so():
    assert reasons(facts(last_visit=None)) == ["Chưa được tổ đến hộ lần nào"]


def test_a_visit_180_days_ago_is_a_long_time():
    assert reasons(facts(last_visit=TODAY - dt.timedelta(days=180))) == [
        "Lâu chưa được đến hộ (từ 180 ngày)"
    ]


def test_a_visit_179_days_ago_is_not():
    assert reasons(facts(last_visit=TODAY - dt.timedelta(days=179))) == []


def test_an_unknown_smartphone_is_a_reason_to_go_and_ask():
    assert reasons(facts(digital={**CONNECTED, "has_smartphone": None})) == [
        "Chưa rõ có điện thoại thông minh không"
    ]


def test_equal_points_put_the_longest_unvisited_first_then_the_code():
    old = facts("H3", poverty_class="poor", last_visit=TODAY - dt.timedelta(days=90))
    recent_b = facts("H2", poverty_class="poor")
    recent_a = facts("H1", poverty_class="poor")
    assert ranked(recent_b, old, recent_a) == ["H3", "H1", "H2"]


def test_the_ethnic_minority_reason_is_marked_sensitive():
    entry = targeting.entry(facts(ethnic_minority=True), RULES, catalogue(), TODAY)
    assert [(r.text_vi, r.sensitive) for r in entry.reasons] == [("Hộ dân tộc thiểu số", True)]


def test_the_entry_suggests_the_skills_the_household_lacks():
    household = facts(digital={**CONNECTED, "vneid_level": 1, "pays_cashless": False})
    entry = targeting.entry(household, RULES, catalogue(), TODAY)
    assert entry.skills == ("vneid_level2", "bank_qr_payment")


def _rules(**change) -> targeting.Rules:
    data = tomllib.loads((targeting.FOLDER / targeting.DEFAULT).read_text(encoding="utf-8"))
    for rule in data["rules"]:
        if rule["kind"] == "poverty_class" and rule["class"] == "poor":
            rule.update(change)
    return targeting.parse(data, name="tinh.toml")


def test_an_officer_turns_a_rule_off_by_giving_it_no_points():
    tuned = _rules(points=0)
    household = facts(poverty_class="poor")
    assert targeting.worklist([household], tuned, catalogue(), TODAY) == []


def test_an_officer_raises_a_rules_points():
    tuned = _rules(points=99)
    entry = targeting.entry(facts(poverty_class="poor"), tuned, catalogue(), TODAY)
    assert entry.points == 99


def test_a_rule_of_an_unknown_kind_is_refused_with_its_place():
    with pytest.raises(RulesError, match=r"tinh.toml, rules\[0\], kind"):
        targeting.parse({"rules": [{"kind": "astrology", "points": 5}]}, name="tinh.toml")


def test_a_rule_without_its_parameter_is_refused():
    with pytest.raises(RulesError, match="thiếu “field”"):
        targeting.parse(
            {"rules": [{"kind": "digital_missing", "points": 5, "reason_vi": "x"}]}, name="t"
        )


def test_negative_points_are_refused():
    with pytest.raises(RulesError, match="points"):
        targeting.parse(
            {"rules": [{"kind": "ethnic_minority", "points": -1, "reason_vi": "x"}]}, name="t"
        )


def test_the_limit_keeps_the_first_entries():
    households = [facts(f"H{i}", last_visit=None) for i in range(1, 6)]
    entries = targeting.worklist(households, RULES, catalogue(), TODAY, limit=2)
    assert [e.code for e in entries] == ["H1", "H2"]
