"""The small condition language of the standard files, with three-valued logic (pure).

A condition is a TOML table: ``{ field = "in_school", is = false }``,
``{ field = "water_source", in = ["surface", …] }``, ``{ age_below = 16 }``,
``{ age_at_least = 60 }``, ``{ per_person = "floor_area_m2", below = 8 }``,
``{ not_collected = "why" }``, or a combination: ``{ any = [...] }``, ``{ all = [...] }``,
``{ none = [...] }``, ``{ at_least = 2, of = [...] }``.

Values are True, False or None (unknown: the fact was not recorded). ``any``/``all``/``none``
follow Kleene's logic, so an unknown fact makes the result unknown only when it could change it.
The same tree is evaluated here in Python and compiled to SQL by ``poverty/sql.py``; the two
must agree exactly (tests/poverty/test_sql_agrees.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

MEMBER = "member"
HOUSEHOLD = "household"

BOOL = "bool"
CHOICE = "choice"
NUMBER = "number"
# The facts a condition may read, and their type (registry model fields of the same names;
# "digital." fields come from the household's current digital profile).
FIELDS: dict[str, dict[str, str]] = {
    MEMBER: {
        "work_status": CHOICE,
        "education": CHOICE,
        "has_health_insurance": BOOL,
        "in_school": BOOL,
        "school_level_fits_age": BOOL,
        "undernourished": BOOL,
        "has_disability": BOOL,
        "has_chronic_illness": BOOL,
        "receives_social_allowance": BOOL,
    },
    HOUSEHOLD: {
        "wall": CHOICE,
        "column": CHOICE,
        "roof": CHOICE,
        "water_source": CHOICE,
        "latrine": CHOICE,
        "floor_area_m2": NUMBER,
        "is_person_of_merit": BOOL,
        "no_working_capacity": BOOL,
        **{
            f"digital.{name}": BOOL
            for name in (
                "has_smartphone",
                "has_feature_phone",
                "has_computer",
                "has_tv",
                "has_radio",
                "has_mobile_data",
                "has_fixed_broadband",
                "hears_loudspeaker",
                "uses_internet",
                "has_bank_or_ewallet",
                "pays_cashless",
                "uses_messaging",
                "uses_online_public_services",
                "buys_online",
                "sells_online",
            )
        },
    },
}

Truth = bool | None


class ConditionError(ValueError):
    pass


@dataclass(frozen=True)
class Is:
    field: str
    value: bool


@dataclass(frozen=True)
class In:
    field: str
    values: frozenset[str]


@dataclass(frozen=True)
class Age:
    at_least: int | None = None
    below: int | None = None


@dataclass(frozen=True)
class PerPerson:
    field: str
    below: float


@dataclass(frozen=True)
class NotCollected:
    reason: str


@dataclass(frozen=True)
class AnyOf:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class AllOf:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class NoneOf:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class AtLeast:
    count: int
    children: tuple[Node, ...]


Node = Is | In | Age | PerPerson | NotCollected | AnyOf | AllOf | NoneOf | AtLeast
AgeBand = Age  # which members a rule looks at: always known, so a plain Age condition


def parse_band(raw: Mapping) -> Age:
    unknown = set(raw) - {"age_at_least", "age_below"}
    if unknown:
        raise ConditionError(f"members: không hiểu {sorted(unknown)}")
    return Age(raw.get("age_at_least"), raw.get("age_below"))


def parse(raw: Mapping, context: str) -> Node:
    """The condition tree of a TOML table, checked against the facts of its context."""
    if not isinstance(raw, Mapping):
        raise ConditionError(f"điều kiện phải là một bảng, không phải {raw!r}")
    keys = set(raw)
    for word, cls in (("any", AnyOf), ("all", AllOf), ("none", NoneOf)):
        if keys == {word}:
            return cls(tuple(parse(child, context) for child in raw[word]))
    if keys == {"at_least", "of"}:
        return AtLeast(int(raw["at_least"]), tuple(parse(child, context) for child in raw["of"]))
    if keys <= {"age_at_least", "age_below"} and keys:
        if context != MEMBER:
            raise ConditionError("điều kiện tuổi chỉ dùng cho thành viên")
        return parse_band(raw)
    if keys == {"not_collected"}:
        return NotCollected(str(raw["not_collected"]))
    if keys == {"per_person", "below"}:
        if FIELDS[context].get(raw["per_person"]) != NUMBER:
            raise ConditionError(f"'{raw['per_person']}' không phải số liệu của hộ")
        return PerPerson(raw["per_person"], float(raw["below"]))
    if "field" in keys:
        name = raw["field"]
        kind = FIELDS[context].get(name)
        if kind is None:
            raise ConditionError(f"không có thông tin '{name}' ({context})")
        if keys == {"field", "is"} and kind == BOOL and isinstance(raw["is"], bool):
            return Is(name, raw["is"])
        if keys == {"field", "in"} and kind == CHOICE:
            return In(name, frozenset(raw["in"]))
        raise ConditionError(f"'{name}' ({kind}): dùng 'is = true/false' hoặc 'in = [...]'")
    raise ConditionError(f"không hiểu điều kiện {dict(raw)!r}")


def fields(node: Node) -> tuple[str, ...]:
    """The facts a condition reads, in order (for evidence and for what is missing)."""
    if isinstance(node, Is | In):
        return (node.field,)
    if isinstance(node, PerPerson):
        return (node.field,)
    if isinstance(node, AnyOf | AllOf | NoneOf | AtLeast):
        out: list[str] = []
        for child in node.children:
            out += [f for f in fields(child) if f not in out]
        return tuple(out)
    return ()


# --- ages -----------------------------------------------------------------------------------


def years_before(as_of: dt.date, years: int) -> dt.date:
    """The birth date of someone who turns ``years`` on ``as_of`` (29 Feb → 28 Feb)."""
    try:
        return as_of.replace(year=as_of.year - years)
    except ValueError:
        return as_of.replace(year=as_of.year - years, day=28)


def age_at_least(years: int, birth_year: int, birth_date: dt.date | None, as_of: dt.date) -> bool:
    """Exact when the birth date is known; by birth year otherwise (age reached this year)."""
    if birth_date is not None:
        return birth_date <= years_before(as_of, years)
    return birth_year <= as_of.year - years


def in_band(band: Age, birth_year: int, birth_date: dt.date | None, as_of: dt.date) -> bool:
    if band.at_least is not None and not age_at_least(band.at_least, birth_year, birth_date, as_of):
        return False
    return band.below is None or not age_at_least(band.below, birth_year, birth_date, as_of)


# --- evaluation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """What a condition reads: facts (None or "" = unknown), and for a member the birth."""

    facts: Mapping[str, object]
    birth_year: int = 0
    birth_date: dt.date | None = None
    member_count: int = 0  # for a household: its members, for per-person conditions


def any_of(values) -> Truth:
    unknown = False
    for value in values:
        if value is True:
            return True
        if value is None:
            unknown = True
    return None if unknown else False


def all_of(values) -> Truth:
    unknown = False
    for value in values:
        if value is False:
            return False
        if value is None:
            unknown = True
    return None if unknown else True


def evaluate(node: Node, subject: Subject, as_of: dt.date) -> Truth:
    if isinstance(node, Is):
        value = subject.facts.get(node.field)
        return None if value is None else bool(value) == node.value
    if isinstance(node, In):
        value = subject.facts.get(node.field)
        return None if value in (None, "") else value in node.values
    if isinstance(node, Age):
        return in_band(node, subject.birth_year, subject.birth_date, as_of)
    if isinstance(node, PerPerson):
        value = subject.facts.get(node.field)
        if value is None or subject.member_count == 0:
            return None
        return float(value) < node.below * subject.member_count
    if isinstance(node, NotCollected):
        return None
    if isinstance(node, AnyOf):
        return any_of(evaluate(child, subject, as_of) for child in node.children)
    if isinstance(node, AllOf):
        return all_of(evaluate(child, subject, as_of) for child in node.children)
    if isinstance(node, NoneOf):
        result = any_of(evaluate(child, subject, as_of) for child in node.children)
        return None if result is None else not result
    if isinstance(node, AtLeast):
        values = [evaluate(child, subject, as_of) for child in node.children]
        true = sum(v is True for v in values)
        if true >= node.count:
            return True
        return False if true + sum(v is None for v in values) < node.count else None
    raise TypeError(node)
