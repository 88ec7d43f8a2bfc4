"""The skills catalogue as data (pure: no Django).

``skills/*.toml`` holds one catalogue each: its sources, the skill groups of the frameworks it
follows (the teams' "5 basic skills", QĐ 757/QĐ-BKHCN) with ``confirmed`` flags, and the
teachable skills, each with its step-by-step guide and the digital-profile indicators it moves.
This module loads a catalogue, checks it, and answers which skills would move a household's
missing indicators.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

FOLDER = Path(__file__).with_name("skills")
CURRENT = "basic_digital_skills_2025.toml"


class CatalogueError(ValueError):
    """A catalogue file that cannot be used, with the file and the place in it."""


@dataclass(frozen=True)
class Group:
    code: str
    framework: str
    title_vi: str
    title_en: str
    confirmed: bool


@dataclass(frozen=True)
class Skill:
    code: str
    title_vi: str
    title_en: str
    groups: tuple[str, ...]
    moves: tuple[str, ...]  # digital-profile indicators (registry DIGITAL_FIELDS)
    steps_vi: tuple[str, ...]
    guide_url: str
    # the value a moved indicator reaches once the skill is mastered, where it is not "yes"
    # (VNeID: level 2)
    targets: tuple[tuple[str, int], ...] = ()

    def title(self, language: str = "vi") -> str:
        return self.title_en if language.startswith("en") else self.title_vi

    @cached_property
    def _goals(self) -> tuple[tuple[str, int], ...]:
        targets = dict(self.targets)
        return tuple((name, targets.get(name, 1)) for name in self.moves)

    def lacked_by(self, digital: Mapping[str, bool | int | None]) -> bool:
        """True if the profile shows an indicator this skill moves still short of its target
        (unknown values are not a known gap)."""
        for name, goal in self._goals:
            value = digital.get(name)
            if value is not None and int(value) < goal:
                return True
        return False


@dataclass(frozen=True)
class Catalogue:
    code: str
    version: str
    title_vi: str
    sources: tuple[str, ...]
    groups: tuple[Group, ...]
    skills: tuple[Skill, ...]

    def skill(self, code: str) -> Skill:
        for skill in self.skills:
            if skill.code == code:
                return skill
        raise KeyError(code)

    def for_missing(self, missing: Iterable[str]) -> list[Skill]:
        """Skills that move any of the ``missing`` indicators, in catalogue order."""
        wanted = set(missing)
        return [s for s in self.skills if wanted & set(s.moves)]

    def for_profile(self, digital: Mapping[str, bool | int | None]) -> list[Skill]:
        """Skills a household with this digital profile still lacks, in catalogue order."""
        return [s for s in self.skills if s.lacked_by(digital)]


def _required(table: Mapping, key: str, where: str) -> object:
    if key not in table:
        raise CatalogueError(f"{where}: thiếu “{key}”")
    return table[key]


def parse(data: Mapping, *, name: str, indicators: Iterable[str]) -> Catalogue:
    """A catalogue from its parsed TOML; ``indicators`` are the digital-profile fields a skill
    may name in ``moves``. Errors name the file, the skill and the field."""
    known = set(indicators)
    groups = tuple(
        Group(
            code=str(_required(g, "code", f"{name}, groups[{i}]")),
            framework=str(g.get("framework", "")),
            title_vi=str(_required(g, "title_vi", f"{name}, groups[{i}]")),
            title_en=str(g.get("title_en", "")),
            confirmed=bool(g.get("confirmed", False)),
        )
        for i, g in enumerate(data.get("groups", []))
    )
    group_codes = {g.code for g in groups}
    skills, seen = [], set()
    for i, raw in enumerate(data.get("skills", [])):
        where = f"{name}, skills[{i}]"
        code = str(_required(raw, "code", where))
        where = f"{name}, skill {code}"
        if code in seen:
            raise CatalogueError(f"{where}: mã kỹ năng trùng")
        seen.add(code)
        unknown_groups = set(raw.get("groups", [])) - group_codes
        if unknown_groups:
            raise CatalogueError(f"{where}, groups: không có nhóm {sorted(unknown_groups)}")
        unknown_fields = set(raw.get("moves", [])) - known
        if unknown_fields:
            raise CatalogueError(f"{where}, moves: không có chỉ tiêu {sorted(unknown_fields)}")
        targets = raw.get("targets", {})
        if set(targets) - set(raw.get("moves", [])):
            raise CatalogueError(f"{where}, targets: chỉ đặt mức cho chỉ tiêu trong “moves”")
        steps = tuple(str(s) for s in _required(raw, "steps_vi", where))
        if not steps:
            raise CatalogueError(f"{where}, steps_vi: hướng dẫn trống")
        skills.append(
            Skill(
                code=code,
                title_vi=str(_required(raw, "title_vi", where)),
                title_en=str(raw.get("title_en", "")),
                groups=tuple(raw.get("groups", [])),
                moves=tuple(raw.get("moves", [])),
                steps_vi=steps,
                guide_url=str(raw.get("guide_url", "")),
                targets=tuple((str(k), int(v)) for k, v in targets.items()),
            )
        )
    return Catalogue(
        code=str(_required(data, "code", name)),
        version=str(_required(data, "version", name)),
        title_vi=str(_required(data, "title_vi", name)),
        sources=tuple(str(s.get("text", "")) for s in data.get("sources", [])),
        groups=groups,
        skills=tuple(skills),
    )


@cache
def catalogue(file: str = CURRENT, indicators: tuple[str, ...] | None = None) -> Catalogue:
    """The catalogue in ``skills/<file>``; ``indicators`` default to the registry's digital
    fields (imported lazily: the registry's record module is itself free of Django)."""
    if indicators is None:
        from langso.registry.records import DIGITAL_FIELDS

        indicators = DIGITAL_FIELDS
    path = FOLDER / file
    with path.open("rb") as handle:
        return parse(tomllib.load(handle), name=path.name, indicators=indicators)
