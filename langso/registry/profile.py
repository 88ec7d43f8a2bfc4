"""A household's current digital profile from dated observations (pure: no Django).

An observation is sparse: a field left empty was not observed that time. So a profile is, per
field, the latest value anybody saw. The household's profile then joins its own observations
(devices, connections) with its members' (what people do): a household "uses Zalo" when any
member's latest answer says so, and is "not" only when someone was asked and none does.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from langso.registry.records import DIGITAL_FIELDS

Profile = dict[str, Any]


def latest_values(observations_newest_first: Iterable[Mapping[str, Any]]) -> Profile:
    """Per field, the first non-empty value in observations ordered newest first."""
    profile: Profile = dict.fromkeys(DIGITAL_FIELDS)
    missing = set(DIGITAL_FIELDS)
    for row in observations_newest_first:
        for name in list(missing):
            value = row.get(name)
            if value is not None:
                profile[name] = value
                missing.discard(name)
        if not missing:
            break
    return profile


def household_summary(own: Profile, members: Iterable[Profile]) -> Profile:
    """One profile for the household: True/highest if the household or any member has it."""
    profiles = [own, *members]
    summary: Profile = {}
    for name in DIGITAL_FIELDS:
        known = [p[name] for p in profiles if p.get(name) is not None]
        if not known:
            summary[name] = None
        elif name == "vneid_level":
            summary[name] = max(known)
        else:
            summary[name] = any(known)
    return summary


def summarise(observations: Iterable[Mapping[str, Any]]) -> Profile:
    """The household summary from all its observations (any order).

    Each observation carries ``member_id`` (None for the household itself) and ``order``, a
    sortable key where larger is newer (e.g. (observed_on, recorded_at, id)).
    """
    by_member: dict[Any, list[Mapping[str, Any]]] = {}
    for row in observations:
        by_member.setdefault(row.get("member_id"), []).append(row)
    profiles = {
        member: latest_values(sorted(rows, key=lambda r: r["order"], reverse=True))
        for member, rows in by_member.items()
    }
    own = profiles.pop(None, dict.fromkeys(DIGITAL_FIELDS))
    return household_summary(own, profiles.values())
