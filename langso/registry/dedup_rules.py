"""Rules for probable duplicates (pure: no Django).

Which records of a group of look-alikes make pairs an officer should look at, which of two
records survives a merge by default, and which values a merge may copy from the record that is
dropped (blanks only: a known value is never overwritten).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

SAME_ID = "same_id"  # cùng số CCCD
SAME_NAME_YEAR = "same_name_year"  # cùng họ tên (không dấu) và năm sinh, cùng xã
REASONS = (SAME_ID, SAME_NAME_YEAR)

Pair = tuple[int, int]


@dataclass(frozen=True)
class Candidate:
    """One record of a group: a member, or (for household pairs) a household through its head."""

    id: int
    household_id: int
    id_hash: str = ""


def ordered(a: int, b: int) -> Pair:
    """A pair as dismissals store it: the smaller id first."""
    if a == b:
        raise ValueError("a record cannot be its own duplicate")
    return (a, b) if a < b else (b, a)


def pairs(group: Sequence[Candidate], *, reason: str, dismissed: Iterable[Pair] = ()) -> list[Pair]:
    """The ordered pairs of a group that an officer should still look at.

    Same ID number: every two records. Same name and birth year: only records of different
    households, and not two records that share an ID number (those are listed as same ID).
    Pairs an officer has dismissed are left out.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown reason: {reason}")
    skip = set(dismissed)
    found: set[Pair] = set()
    for a, b in combinations(group, 2):
        if a.id == b.id:
            continue
        if reason == SAME_NAME_YEAR:
            if a.household_id == b.household_id:
                continue
            if a.id_hash and a.id_hash == b.id_hash:
                continue
        pair = ordered(a.id, b.id)
        if pair not in skip:
            found.add(pair)
    return sorted(found)


def household_pairs(
    group: Sequence[Candidate], *, reason: str, dismissed: Iterable[Pair] = ()
) -> list[Pair]:
    """Pairs of households whose heads look alike (one pair per two households)."""
    skip = set(dismissed)
    found: set[Pair] = set()
    for a, b in combinations(group, 2):
        if a.household_id == b.household_id:
            continue
        if reason == SAME_NAME_YEAR and a.id_hash and a.id_hash == b.id_hash:
            continue
        pair = ordered(a.household_id, b.household_id)
        if pair not in skip:
            found.add(pair)
    return sorted(found)


def is_blank(value: Any) -> bool:
    """Not known: NULL, or an empty text (choices and text fields store "" for unknown)."""
    return value is None or (isinstance(value, str) and not value.strip())


def known_count(values: Mapping[str, Any]) -> int:
    return sum(1 for v in values.values() if not is_blank(v))


def fill_blanks(
    kept: Mapping[str, Any], dropped: Mapping[str, Any], fields: Iterable[str]
) -> dict[str, Any]:
    """The values to copy onto the kept record: where it knows nothing and the other does."""
    return {
        name: dropped.get(name)
        for name in fields
        if is_blank(kept.get(name)) and not is_blank(dropped.get(name))
    }


def conflicts(kept: Mapping[str, Any], dropped: Mapping[str, Any], fields: Iterable[str]) -> list:
    """Fields both records know but with different values (the kept value stays; shown)."""
    return [
        name
        for name in fields
        if not is_blank(kept.get(name))
        and not is_blank(dropped.get(name))
        and kept.get(name) != dropped.get(name)
    ]


@dataclass(frozen=True)
class Summary:
    """What a record holds, to choose the one that survives a merge."""

    id: int
    known: int  # facts that are known (not blank)
    linked: int = 0  # observations, consents, members: history hanging on the record


def default_survivor(a: Summary, b: Summary) -> int:
    """Keep the record with more data; on a tie, the older one (the smaller id)."""
    score_a, score_b = a.known + a.linked, b.known + b.linked
    if score_a != score_b:
        return a.id if score_a > score_b else b.id
    return min(a.id, b.id)


@dataclass(frozen=True)
class Person:
    """A member as the household merge compares them."""

    id: int
    name_key: str
    birth_year: int | None
    id_hash: str = ""


def same_person(a: Person, b: Person) -> bool:
    """Within two households being merged: same ID number, or same name and birth year.

    Two different people with the same full name and birth year in one family are rare enough
    that a differing ID number there is more likely a typing mistake; the kept number stays and
    the difference is shown to the officer.
    """
    if a.id_hash and a.id_hash == b.id_hash:
        return True
    return bool(a.name_key) and (a.name_key, a.birth_year) == (b.name_key, b.birth_year)


def match_people(kept: Sequence[Person], dropped: Sequence[Person]) -> dict[int, int]:
    """For a household merge: dropped member id -> the kept member who is the same person.

    Each kept member takes at most one dropped member; ID-number matches go first.
    """
    taken: set[int] = set()
    matches: dict[int, int] = {}
    for by_id in (True, False):
        for d in dropped:
            if d.id in matches:
                continue
            for k in kept:
                if k.id in taken:
                    continue
                if by_id and not (d.id_hash and d.id_hash == k.id_hash):
                    continue
                if same_person(k, d):
                    matches[d.id] = k.id
                    taken.add(k.id)
                    break
    return matches
