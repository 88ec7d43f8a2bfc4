"""The poverty rules: a household's indicators and class under a standard (pure: no Django).

``assess`` takes the household's facts and its active members' facts and returns, per
indicator, deprived / not deprived / unknown with the evidence (which member, which facts), the
deprivation count, the income used and the class. A missing fact is "unknown", never "not
deprived"; when the unknown indicators (or a missing income) could change the class, the
household is flagged for the reviewer with the classes it could be in.

The class is read from the standard's ordered class rules: the first whose income line and
minimum deprivation count hold. Under Decree 07/2021 that is: income at most the line and 3 or
more deprivations → poor; income at most the line → near-poor; up to the middle-income line →
middle-income; otherwise above.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import langso.poverty.conditions as c
from langso.poverty.standard import Indicator, Standard

DEPRIVED = "deprived"
NOT_DEPRIVED = "not_deprived"
UNKNOWN = "unknown"
# one letter per indicator, in the standard's order, for compact storage
LETTER = {DEPRIVED: "D", NOT_DEPRIVED: "N", UNKNOWN: "U"}
STATUS = {letter: status for status, letter in LETTER.items()}
ABOVE = "above"


@dataclass(frozen=True)
class Person:
    """A member as the rules read them: birth, and facts by name (None or "" = unknown)."""

    birth_year: int
    birth_date: dt.date | None = None
    facts: dict[str, object] = field(default_factory=dict)
    ref: object = None  # the caller's id for the member, echoed in the evidence
    name: str = ""


@dataclass(frozen=True)
class HouseholdFacts:
    area_type: str  # "rural" | "urban"
    income_per_person: int | None
    facts: dict[str, object]  # housing, water, latrine, flags, "digital.*" from the profile
    members: Sequence[Person]  # active members only


@dataclass(frozen=True)
class Evidence:
    member: object  # Person.ref, or None for a household fact
    name: str
    facts: dict[str, object]  # the facts read, with their values (None: not recorded)


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    status: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Result:
    standard: str
    standard_version: str
    review_year: int
    area_type: str
    income_per_person: int | None
    indicators: tuple[IndicatorResult, ...]
    deprived: int
    unknown: int
    klass: str | None  # None when the income is unknown
    possible: tuple[str, ...]  # every class the unknowns allow
    low_income_workers: int

    @property
    def needs_review(self) -> bool:
        return len(self.possible) != 1

    @property
    def vector(self) -> str:
        return "".join(LETTER[i.status] for i in self.indicators)


def _status(truth: c.Truth) -> str:
    return UNKNOWN if truth is None else DEPRIVED if truth else NOT_DEPRIVED


def _subject(p: Person) -> c.Subject:
    return c.Subject(p.facts, p.birth_year, p.birth_date)


def _read(facts: dict, names: Sequence[str]) -> dict[str, object]:
    return {name: facts.get(name) for name in names}


def indicator(ind: Indicator, h: HouseholdFacts, as_of: dt.date) -> IndicatorResult:
    """One indicator: its status and the evidence for it (deprived: who and what; unknown:
    whose facts are missing)."""
    if ind.kind == "household":
        node = ind.household_deprived_if
        subject = c.Subject(h.facts, member_count=len(h.members))
        status = _status(c.evaluate(node, subject, as_of))
        facts = _read(h.facts, c.fields(node))
        if any(isinstance(n, c.PerPerson) for n in _walk(node)):
            facts["members"] = len(h.members)
        return IndicatorResult(ind.code, status, (Evidence(None, "", facts),))
    if ind.kind == "share":
        node = ind.dependant_if
        values = [(p, c.evaluate(node, _subject(p), as_of)) for p in h.members]
        true = sum(v is True for _, v in values)
        maybe = sum(v is None for _, v in values)
        limit = ind.share_above * len(values)
        status = DEPRIVED if true > limit else UNKNOWN if true + maybe > limit else NOT_DEPRIVED
        names = c.fields(node)
        shown = tuple(
            Evidence(p.ref, p.name, _read(p.facts, names)) for p, v in values if v is not False
        )
        return IndicatorResult(ind.code, status, shown)
    names = c.fields(ind.deprived_if)
    values = [
        (p, c.evaluate(ind.deprived_if, _subject(p), as_of))
        for p in h.members
        if c.in_band(ind.members, p.birth_year, p.birth_date, as_of)
    ]
    truth = c.any_of(v for _, v in values)
    wanted = True if truth else None  # deprived: the members who are; unknown: whose facts miss
    return IndicatorResult(
        ind.code,
        _status(truth),
        tuple(Evidence(p.ref, p.name, _read(p.facts, names)) for p, v in values if v is wanted),
    )


def _walk(node: c.Node):
    yield node
    for child in getattr(node, "children", ()):
        yield from _walk(child)


def class_of(
    standard: Standard, area_type: str, income: int | None, deprivations: int
) -> str | None:
    if income is None:
        return None
    for rule in standard.classes:
        if income <= standard.line(rule.income_at_most, area_type) and (
            deprivations >= rule.min_deprivations
        ):
            return rule.code
    return ABOVE


def classify(
    standard: Standard, area_type: str, income: int | None, deprived: int, unknown: int
) -> tuple[str | None, tuple[str, ...]]:
    """The class counting unknown indicators as not deprived, and every class possible if
    some of them turn out deprived (or, with no income, at any income)."""
    if income is not None and unknown == 0:
        klass = class_of(standard, area_type, income, deprived)
        return klass, (klass,)
    if income is None:
        incomes = sorted({standard.line(r.income_at_most, area_type) for r in standard.classes})
        incomes.append(incomes[-1] + 1 if incomes else 0)
        possible = {
            class_of(standard, area_type, i, d)
            for i in incomes
            for d in range(deprived, deprived + unknown + 1)
        }
        return None, tuple(k for k in (*_order(standard), ABOVE) if k in possible)
    possible = {
        class_of(standard, area_type, income, d) for d in range(deprived, deprived + unknown + 1)
    }
    klass = class_of(standard, area_type, income, deprived)
    return klass, tuple(k for k in (*_order(standard), ABOVE) if k in possible)


def _order(standard: Standard) -> list[str]:
    out: list[str] = []
    for rule in standard.classes:
        if rule.code not in out:
            out.append(rule.code)
    return out


def low_income_count(
    standard: Standard,
    review_year: int,
    klass: str | None,
    income: int | None,
    area_type: str,
    workers: int,
) -> int:
    """Decree 30/2025: the household's working members count as low-income workers when it is
    outside the excluded classes and its income per person is at most the line."""
    rule = standard.low_income_worker
    if rule is None or review_year < rule.first_review_year or klass is None:
        return 0
    if klass in rule.not_in_classes or income is None:
        return 0
    return workers if income <= standard.line(rule.line, area_type) else 0


def low_income_workers(
    standard: Standard,
    review_year: int,
    h: HouseholdFacts,
    klass: str | None,
    as_of: dt.date,
) -> int:
    """The low-income workers of a household (members whose work is unknown do not count)."""
    rule = standard.low_income_worker
    if rule is None:
        return 0
    workers = sum(
        1
        for p in h.members
        if c.in_band(rule.members, p.birth_year, p.birth_date, as_of)
        and c.evaluate(rule.worker_if, _subject(p), as_of) is True
    )
    return low_income_count(standard, review_year, klass, h.income_per_person, h.area_type, workers)


def default_as_of(review_year: int) -> dt.date:
    """Ages are counted on the first day of the periodic review that produces the year's lists
    (1 September of the year before)."""
    return dt.date(review_year - 1, 9, 1)


def assess(
    standard: Standard, review_year: int, h: HouseholdFacts, as_of: dt.date | None = None
) -> Result:
    as_of = as_of or default_as_of(review_year)
    results = tuple(indicator(ind, h, as_of) for ind in standard.indicators)
    deprived = sum(r.status == DEPRIVED for r in results)
    unknown = sum(r.status == UNKNOWN for r in results)
    klass, possible = classify(standard, h.area_type, h.income_per_person, deprived, unknown)
    return Result(
        standard=standard.code,
        standard_version=standard.version,
        review_year=review_year,
        area_type=h.area_type,
        income_per_person=h.income_per_person,
        indicators=results,
        deprived=deprived,
        unknown=unknown,
        klass=klass,
        possible=possible,
        low_income_workers=low_income_workers(standard, review_year, h, klass, as_of),
    )
