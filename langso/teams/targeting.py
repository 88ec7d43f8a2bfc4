"""Who a community digital technology team visits next, and for what (pure: no Django).

The worklist ranks households by points from rules kept as data
(``targeting_rules/*.toml``: the kinds of rule are fixed here, the points and parameters are an
officer's to tune). Every entry carries its reasons, so a team member sees why a household is on
the list, and the skills that would move what it lacks (from the skills catalogue). Households
with equal points: the one not visited for longest first, then by household code.
"""

from __future__ import annotations

import datetime as dt
import gc
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from langso.teams.skills import Catalogue

FOLDER = Path(__file__).with_name("targeting_rules")
DEFAULT = "default.toml"
KINDS = {
    "poverty_indicator": ("indicator",),
    "poverty_class": ("class",),
    "digital_missing": ("field",),
    "digital_unknown": ("field",),
    "elderly_member": ("age",),
    "ethnic_minority": (),
    "never_visited": (),
    "not_visited_for": ("days",),
}


class RulesError(ValueError):
    """A rules file that cannot be used, with the file and the rule."""


@dataclass(frozen=True)
class Rule:
    kind: str
    points: int
    reason_vi: str
    reason_en: str
    parameter: str | int | None = None
    sensitive: bool = False


@dataclass(frozen=True)
class Rules:
    code: str
    title_vi: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class HouseholdFacts:
    """What the worklist knows of a household: read from the registry and the latest assessment.

    ``digital`` holds the current profile (None: never recorded); ``deprived`` the indicator
    codes the latest assessment found deprived; ``poverty_class`` that assessment's class.
    """

    household_id: int
    code: str
    digital: Mapping[str, bool | int | None]
    member_ages: tuple[int, ...] = ()
    ethnic_minority: bool = False
    poverty_class: str | None = None
    deprived: frozenset[str] = frozenset()
    last_visit: dt.date | None = None


@dataclass(frozen=True)
class Reason:
    kind: str
    text_vi: str
    text_en: str
    points: int
    sensitive: bool = False

    def text(self, language: str = "vi") -> str:
        return self.text_en if language.startswith("en") else self.text_vi


@dataclass(frozen=True)
class Entry:
    household_id: int
    code: str
    points: int
    reasons: tuple[Reason, ...]
    skills: tuple[str, ...] = field(default=())  # skill codes, catalogue order
    last_visit: dt.date | None = None


def parse(data: Mapping, *, name: str) -> Rules:
    rules = []
    for i, raw in enumerate(data.get("rules", [])):
        where = f"{name}, rules[{i}]"
        kind = raw.get("kind")
        if kind not in KINDS:
            raise RulesError(f"{where}, kind: không có loại quy tắc “{kind}”")
        wanted = KINDS[kind]
        for key in wanted:
            if key not in raw:
                raise RulesError(f"{where} ({kind}): thiếu “{key}”")
        points = raw.get("points")
        if not isinstance(points, int) or points < 0:
            raise RulesError(f"{where}, points: phải là số nguyên không âm")
        if not raw.get("reason_vi"):
            raise RulesError(f"{where}, reason_vi: thiếu lý do")
        rules.append(
            Rule(
                kind=kind,
                points=points,
                reason_vi=str(raw["reason_vi"]),
                reason_en=str(raw.get("reason_en", "")),
                parameter=raw[wanted[0]] if wanted else None,
                sensitive=bool(raw.get("sensitive", False)),
            )
        )
    return Rules(
        code=str(data.get("code", name)), title_vi=str(data.get("title_vi", "")), rules=tuple(rules)
    )


@cache
def rules(file: str = DEFAULT) -> Rules:
    path = FOLDER / file
    with path.open("rb") as handle:
        return parse(tomllib.load(handle), name=path.name)


def _missing(value: bool | int | None) -> bool:
    return value is False or value == 0


def _meets(rule: Rule, facts: HouseholdFacts, today: dt.date) -> bool:
    match rule.kind:
        case "poverty_indicator":
            return rule.parameter in facts.deprived
        case "poverty_class":
            return facts.poverty_class == rule.parameter
        case "digital_missing":
            return _missing(facts.digital.get(str(rule.parameter)))
        case "digital_unknown":
            return facts.digital.get(str(rule.parameter)) is None
        case "elderly_member":
            return any(age >= int(rule.parameter or 0) for age in facts.member_ages)
        case "ethnic_minority":
            return facts.ethnic_minority
        case "never_visited":
            return facts.last_visit is None
        case "not_visited_for":
            return facts.last_visit is not None and (today - facts.last_visit).days >= int(
                rule.parameter or 0
            )
    raise RulesError(f"không có loại quy tắc “{rule.kind}”")


@cache
def _reasons(rules: Rules) -> tuple[tuple[Rule, Reason], ...]:
    """The rules that give points, largest first, each with the reason it shows."""
    ordered = sorted((r for r in rules.rules if r.points), key=lambda r: -r.points)
    return tuple(
        (r, Reason(r.kind, r.reason_vi, r.reason_en, r.points, r.sensitive)) for r in ordered
    )


def entry(facts: HouseholdFacts, rules: Rules, catalogue: Catalogue, today: dt.date) -> Entry:
    """The household's points, the reasons behind them (largest first), and the skills to
    teach."""
    reasons = tuple(reason for rule, reason in _reasons(rules) if _meets(rule, facts, today))
    return Entry(
        household_id=facts.household_id,
        code=facts.code,
        points=sum(r.points for r in reasons),
        reasons=reasons,
        skills=tuple(s.code for s in catalogue.for_profile(facts.digital)),
        last_visit=facts.last_visit,
    )


def worklist(
    households: Iterable[HouseholdFacts],
    rules: Rules,
    catalogue: Catalogue,
    today: dt.date,
    *,
    limit: int | None = None,
) -> list[Entry]:
    """Households with any reason to visit, most points first; ties: longest without a visit
    (never visited first), then by code."""
    # many small objects and none to free: the collector would only walk them (a third of
    # the time for a commune of 5,000 households)
    collecting = gc.isenabled()
    gc.disable()
    try:
        entries = [e for e in (entry(h, rules, catalogue, today) for h in households) if e.points]
    finally:
        if collecting:
            gc.enable()
    entries.sort(key=lambda e: (-e.points, e.last_visit or dt.date.min, e.code))
    return entries if limit is None else entries[:limit]
