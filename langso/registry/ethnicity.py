"""The catalogue of the 54 ethnic groups, as versioned data (pure: no Django).

Names are matched case-, spacing-, hyphen- and tone-placement-insensitively, and by their other
names ("Mông", "Khmer"), so a spreadsheet can give a code or a name.
"""

import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from langso.geo.names import name_key, plain

CATALOGUE = Path(__file__).with_name("ethnic_groups.toml")
KINH = "01"


@dataclass(frozen=True)
class EthnicGroup:
    code: str
    name: str
    aliases: tuple[str, ...]
    confirmed: bool

    @property
    def is_minority(self) -> bool:
        return self.code != KINH


@dataclass(frozen=True)
class Catalogue:
    source: str
    version: str
    groups: tuple[EthnicGroup, ...]

    @cached_property
    def _indexes(self) -> tuple[dict, dict, dict]:
        return _index(self.groups)

    def by_code(self, code: str) -> EthnicGroup | None:
        return self._indexes[0].get(code.strip().zfill(2)) if code.strip().isdigit() else None

    def find(self, text: str) -> EthnicGroup | None:
        """A group by its code ("08", "8") or any of its names ("H'Mông", "Mông", "hmong")."""
        text = (text or "").strip()
        if not text:
            return None
        if text.isdigit():
            return self.by_code(text)
        _codes, exact, loose = self._indexes
        return exact.get(_key(text)) or loose.get(_loose(text))


def _strip(text: str) -> str:
    return text.replace("-", " ").replace("'", "").replace("’", "")


def _key(text: str) -> str:
    return name_key(_strip(text)).replace(" ", "")


def _loose(text: str) -> str:
    return plain(_strip(text)).replace(" ", "")


def _index(groups: tuple[EthnicGroup, ...]) -> tuple[dict, dict, dict]:
    """By code; by exact name key; by name without diacritics (only where that is unambiguous)."""
    by_code = {g.code: g for g in groups}
    by_name: dict[str, EthnicGroup] = {}
    by_loose: dict[str, EthnicGroup | None] = {}
    # own names first, so "Thổ" is the Thổ group, not Tày's old other name
    labels = [(g.name, g) for g in groups]
    labels += [(alias, g) for g in groups for alias in g.aliases]
    for label, g in labels:
        by_name.setdefault(_key(label), g)
        key = _loose(label)
        by_loose[key] = g if by_loose.get(key, g) is g else None
    return by_code, by_name, {k: g for k, g in by_loose.items() if g is not None}


@cache
def catalogue(path: Path = CATALOGUE) -> Catalogue:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    groups = tuple(
        EthnicGroup(g["code"], g["name"], tuple(g.get("aliases", ())), bool(g["confirmed"]))
        for g in data["groups"]
    )
    codes = [g.code for g in groups]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{path}: duplicate ethnic group codes")
    return Catalogue(data["source"], str(data["version"]), groups)
