"""The indicator catalogue of the digital-inclusion picture, as versioned data (pure: no Django).

``indicators.toml`` lists each figure a province or commune report shows: its names, its unit,
which counts (MEASURES) it is computed from, which way is better, the official definition it
follows (GSO, ITU, Decree 07/2021) with ``confirmed = false`` where the definition is our own
reading, and which list a figure opens when clicked. This module loads and checks the catalogue,
computes a value from counts (rates only at this last step, never averaged), the change between
two values, and formats values the Vietnamese way ("28,94%", "5.349") or the English way.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from urllib.parse import parse_qsl

DEFAULT_PATH = Path(__file__).with_name("indicators.toml")

# The counts a report can supply: the only names a numerator or denominator may use.
MEASURES: Mapping[str, str] = MappingProxyType(
    {
        "households": "households in the area (hộ dân cư)",
        "people": "people living in the area (nhân khẩu / dân số)",
        "poor": "poor households (hộ nghèo) under the standard of the review year",
        "near_poor": "near-poor households (hộ cận nghèo) under the standard of the review year",
        "deprived_telecom_use": "assessed households deprived in 'use of telecom services'",
        "deprived_information_access": "assessed households deprived in 'means of access to "
        "information'",
        "assessed": "households with a current poverty assessment",
        "with_broadband": "profiled households with fixed broadband (băng rộng cố định)",
        "with_smartphone": "profiled households with at least one smartphone",
        "using_internet": "profiled households where at least one member uses the internet",
        "with_vneid": "profiled households with a member holding VNeID at level 2",
        "paying_cashless": "profiled households that pay without cash",
        "using_public_services": "profiled households using online public services",
        "profiled": "households with a digital profile (hồ sơ số)",
        "teams": "community digital technology teams (tổ công nghệ số cộng đồng)",
        "team_members": "members of those teams",
        "households_reached": "households with at least one recorded team visit",
        "skills_mastered": "skills recorded as mastered in team visits",
        "base_stations": "mobile base station sites (trạm BTS)",
        "villages": "villages (thôn / bản / tổ dân phố)",
        "villages_4g_full": "villages fully covered by 4G",
        "villages_fibre": "villages reached by fibre (full or partial)",
        "wifi_points": "active free public wifi points (điểm wifi công cộng)",
        "mobile_subscribers": "mobile subscribers (thuê bao di động) as reported by operators",
        "internet_subscribers": "fixed internet subscribers as reported by operators",
        "phone_subscribers": "telephone subscribers (mobile and fixed) as reported by operators",
        "iptv_subscribers": "IPTV (internet television) subscribers as reported by operators",
        "radio_clusters": "smart loudspeaker clusters (cụm loa thông minh)",
        "boards": "electronic public bulletin boards (bảng tin điện tử)",
        "communes": "commune-level units (xã / phường / đặc khu)",
        # the same counts for ethnic-minority households only (hộ dân tộc thiểu số: a member
        # not Kinh, as the registry keeps it; the assessment's own flag for review years):
        # sensitive personal data in aggregate, shown only to users who may see ethnicity
        "minority_households": "ethnic-minority households in the area",
        "minority_assessed": "ethnic-minority households with a current poverty assessment",
        "minority_poor": "poor ethnic-minority households",
        "minority_near_poor": "near-poor ethnic-minority households",
        "minority_deprived_telecom_use": "assessed ethnic-minority households deprived in "
        "'use of telecom services'",
        "minority_deprived_information_access": "assessed ethnic-minority households deprived "
        "in 'means of access to information'",
        "minority_profiled": "ethnic-minority households with a digital profile",
        "minority_with_smartphone": "profiled ethnic-minority households with a smartphone",
        "minority_using_internet": "profiled ethnic-minority households using the internet",
    }
)
MINORITY = "minority_"  # prefix of the ethnic-minority counts
SENSITIVE_MEASURES = frozenset(m for m in MEASURES if m.startswith(MINORITY))
UNITS = ("percent", "count", "per_100_people", "per_commune", "ratio")
GROUPS = ("poverty", "information", "digital_access", "teams", "infrastructure", "outreach")
DIRECTIONS = ("up", "down")
DRILL_LISTS = ("households", "stations", "hotspots", "teams", "devices", "villages")
# Decimals shown per unit: rates to hundredths, as the review reports print them (28,94%).
DECIMALS = {"percent": 2, "count": 0, "per_100_people": 1, "per_commune": 1, "ratio": 2}
MISSING = "—"  # what a value that cannot be computed shows


class CatalogueError(ValueError):
    """A catalogue file that cannot be used, with the file, the indicator and the field."""


@dataclass(frozen=True)
class Drill:
    """The list a figure opens: ``list`` (one of DRILL_LISTS) and a ``filter`` query string
    ("poverty_class=poor", "network=4g&level=partial,none"), read by the list's own filters."""

    list: str
    filter: str = ""

    def params(self) -> dict[str, str]:
        """The filter as a dict of query parameters."""
        return dict(parse_qsl(self.filter, keep_blank_values=True))


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    name_en: str
    unit: str
    numerator: str
    denominator: str | None  # None for counts
    group: str
    direction: str  # "up": higher is better; "down": lower is better
    definition: str
    source_url: str
    confirmed: bool  # False: the definition is our own reading, for an official to check
    drill: Drill | None
    sensitive: bool = False  # computed from sensitive personal data (ethnicity)

    def name(self, language: str = "vi") -> str:
        return self.name_en if language.startswith("en") else self.name_vi

    @property
    def measures(self) -> tuple[str, ...]:
        """The measures this indicator needs."""
        return (self.numerator,) if self.denominator is None else (self.numerator, self.denominator)


@dataclass(frozen=True)
class Catalogue:
    version: str
    valid_from: date
    source: str
    indicators: tuple[Indicator, ...]

    def by_code(self, code: str) -> Indicator:
        """The indicator with this code; KeyError if there is none."""
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)

    def in_group(self, group: str) -> tuple[Indicator, ...]:
        """The group's indicators in catalogue order; KeyError for a group not in GROUPS."""
        if group not in GROUPS:
            raise KeyError(group)
        return tuple(i for i in self.indicators if i.group == group)

    @property
    def unconfirmed(self) -> tuple[str, ...]:
        """Codes of the indicators whose definition an official should check."""
        return tuple(i.code for i in self.indicators if not i.confirmed)


@dataclass(frozen=True)
class Change:
    """From one value to the next. ``absolute`` is after − before in the indicator's unit, which
    for percentages is percentage points (``absolute_unit`` says which); ``relative`` is the
    percent change of the value itself; ``better`` follows the direction (None: no change, or a
    value is missing)."""

    absolute: float | None
    absolute_unit: str
    relative: float | None
    better: bool | None


# --- loading ------------------------------------------------------------------------------


def _need(table: Mapping, key: str, where: str) -> object:
    if key not in table:
        raise CatalogueError(f"{where}: thiếu “{key}”")
    return table[key]


def _text(table: Mapping, key: str, where: str, *, required: bool = True) -> str:
    value = _need(table, key, where) if required else table.get(key, "")
    if not isinstance(value, str):
        raise CatalogueError(f"{where}, {key}: phải là chuỗi chữ")
    return value


def _choice(table: Mapping, key: str, where: str, allowed: tuple[str, ...]) -> str:
    value = _text(table, key, where)
    if value not in allowed:
        raise CatalogueError(
            f"{where}, {key}: không có “{value}” (chọn một trong: {', '.join(allowed)})"
        )
    return value


def _measure(table: Mapping, key: str, where: str) -> str:
    value = _text(table, key, where)
    if value not in MEASURES:
        raise CatalogueError(f"{where}, {key}: không có số đo “{value}” (xem MEASURES)")
    return value


def _drill(raw: Mapping, where: str) -> Drill | None:
    if "drill" not in raw:
        return None
    table = raw["drill"]
    if not isinstance(table, Mapping):
        raise CatalogueError(f"{where}, drill: phải là bảng {{ list = …, filter = … }}")
    where = f"{where}, drill"
    return Drill(
        list=_choice(table, "list", where, DRILL_LISTS),
        filter=_text(table, "filter", where, required=False),
    )


def _indicator(raw: Mapping, name: str, index: int) -> Indicator:
    code = _text(raw, "code", f"{name}, indicators[{index}]")
    where = f"{name}, indicator {code}"
    unit = _choice(raw, "unit", where, UNITS)
    if unit == "count" and "denominator" in raw:
        raise CatalogueError(f"{where}, denominator: một số đếm (count) không có mẫu số")
    if unit != "count" and "denominator" not in raw:
        raise CatalogueError(f"{where}, denominator: đơn vị “{unit}” cần mẫu số")
    confirmed = _need(raw, "confirmed", where)
    if not isinstance(confirmed, bool):
        raise CatalogueError(f"{where}, confirmed: phải là true hoặc false")
    numerator = _measure(raw, "numerator", where)
    denominator = None if unit == "count" else _measure(raw, "denominator", where)
    sensitive = raw.get("sensitive", False)
    if not isinstance(sensitive, bool):
        raise CatalogueError(f"{where}, sensitive: phải là true hoặc false")
    if not sensitive and {numerator, denominator} & SENSITIVE_MEASURES:
        raise CatalogueError(
            f"{where}, sensitive: chỉ tiêu tính từ số liệu dân tộc phải có sensitive = true"
        )
    return Indicator(
        code=code,
        name_vi=_text(raw, "name_vi", where),
        name_en=_text(raw, "name_en", where),
        unit=unit,
        numerator=numerator,
        denominator=denominator,
        group=_choice(raw, "group", where, GROUPS),
        direction=_choice(raw, "direction", where, DIRECTIONS),
        definition=_text(raw, "definition", where),
        source_url=_text(raw, "source_url", where, required=False),
        confirmed=confirmed,
        drill=_drill(raw, where),
        sensitive=sensitive,
    )


def parse(data: Mapping, *, name: str) -> Catalogue:
    """A catalogue from its parsed TOML; ``name`` (the file's) begins every error message,
    which then names the indicator and the field."""
    valid_from = _need(data, "valid_from", name)
    if not isinstance(valid_from, date):
        raise CatalogueError(f"{name}, valid_from: phải là ngày (vd. 2025-07-01, không ngoặc kép)")
    indicators, seen = [], set()
    for i, raw in enumerate(data.get("indicators", [])):
        indicator = _indicator(raw, name, i)
        if indicator.code in seen:
            raise CatalogueError(f"{name}, indicator {indicator.code}, code: mã chỉ tiêu trùng")
        seen.add(indicator.code)
        indicators.append(indicator)
    return Catalogue(
        version=_text(data, "version", name),
        valid_from=valid_from,
        source=_text(data, "source", name),
        indicators=tuple(indicators),
    )


def load_catalogue(path: Path = DEFAULT_PATH) -> Catalogue:
    """The catalogue in the TOML file at ``path`` (the shipped one by default), checked;
    CatalogueError names the file, the indicator and the field of the first problem."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"{Path(path).name}: {error}") from None
    return parse(data, name=Path(path).name)


# --- values -------------------------------------------------------------------------------


def value(indicator: Indicator, measures: Mapping[str, int | float | None]) -> float | None:
    """The indicator's value from the counts in ``measures`` (name → count): percent and
    per_100_people 100·n/d, per_commune and ratio n/d, count n. None when a needed measure is
    missing or None, or the denominator is 0."""
    numerator = measures.get(indicator.numerator)
    if numerator is None:
        return None
    if indicator.denominator is None:
        return float(numerator)
    denominator = measures.get(indicator.denominator)
    if not denominator:  # None or 0
        return None
    scale = 100.0 if indicator.unit in ("percent", "per_100_people") else 1.0
    return scale * numerator / denominator


def without_minority(measures: Mapping[str, int | float | None]) -> dict[str, float | None]:
    """The counts of the households that are not ethnic minority: each count that has a
    minority counterpart, less it (None where either is unknown)."""
    rest: dict[str, float | None] = {}
    for name in SENSITIVE_MEASURES:
        whole, part = measures.get(name.removeprefix(MINORITY)), measures.get(name)
        rest[name.removeprefix(MINORITY)] = None if whole is None or part is None else whole - part
    return rest


def as_minority(indicator: Indicator) -> Indicator | None:
    """The indicator computed over ethnic-minority households only (its measures swapped for
    their minority counterparts), or None if one of them has no counterpart."""
    numerator = MINORITY + indicator.numerator
    denominator = MINORITY + indicator.denominator if indicator.denominator else None
    if numerator not in MEASURES or (denominator and denominator not in MEASURES):
        return None
    if indicator.unit not in ("percent", "ratio"):
        return None
    return replace(
        indicator,
        code=MINORITY + indicator.code,
        numerator=numerator,
        denominator=denominator,
        sensitive=True,
        drill=None,
    )


@dataclass(frozen=True)
class Breakdown:
    """One indicator for all households, ethnic-minority households and the others."""

    indicator: Indicator
    all: float | None
    minority: float | None
    others: float | None


def by_minority(catalogue: Catalogue, measures: Mapping[str, int | float | None]) -> list:
    """Each rate of the catalogue that can be split (its counts have minority counterparts),
    for all households, ethnic-minority households and the others."""
    rest = without_minority(measures)
    found = []
    for indicator in catalogue.indicators:
        minority = as_minority(indicator) if not indicator.sensitive else None
        if minority is None:
            continue
        found.append(
            Breakdown(
                indicator=indicator,
                all=value(indicator, measures),
                minority=value(minority, measures),
                others=value(indicator, rest),
            )
        )
    return found


def worst_first(indicator: Indicator, v: float | None) -> tuple[bool, float]:
    """A sort key putting the worst value first (the highest where lower is better, the
    lowest otherwise), unknown values last."""
    if v is None:
        return (True, 0.0)
    return (False, -v if indicator.direction == "down" else v)


def change(indicator: Indicator, before: float | None, after: float | None) -> Change:
    """The change from ``before`` to ``after`` (two values of the indicator)."""
    unit = "percentage_points" if indicator.unit == "percent" else indicator.unit
    if before is None or after is None:
        return Change(absolute=None, absolute_unit=unit, relative=None, better=None)
    absolute = after - before
    relative = 100.0 * absolute / before if before else None
    better = None if absolute == 0 else (absolute > 0) == (indicator.direction == "up")
    return Change(absolute=absolute, absolute_unit=unit, relative=relative, better=better)


# --- presentation -------------------------------------------------------------------------


def format_number(v: float, decimals: int, language: str = "vi") -> str:
    """``v`` rounded to ``decimals``: vi "5.349", "28,94"; en "5,349", "28.94"."""
    rounded = round(v, decimals)
    text = f"{(rounded or 0.0):,.{decimals}f}"  # "or 0.0": no "-0,00"
    if language.startswith("en"):
        return text
    # Vietnamese: dot groups thousands, comma marks decimals
    return text.translate(str.maketrans({",": ".", ".": ","}))


def format_value(indicator: Indicator, v: float | None, language: str = "vi") -> str:
    """``v`` as the report prints it: vi "28,94%", "5.349"; en "28.94%", "5,349"; MISSING for
    None."""
    if v is None:
        return MISSING
    text = format_number(v, DECIMALS[indicator.unit], language)
    return f"{text}%" if indicator.unit == "percent" else text


def format_change(indicator: Indicator, c: Change, language: str = "vi") -> str:
    """The absolute change with its sign, in points for percentages: vi "-4,23 điểm phần
    trăm", en "-4.23 percentage points"; MISSING when unknown."""
    if c.absolute is None:
        return MISSING
    decimals = DECIMALS[indicator.unit]
    text = format_number(c.absolute, decimals, language)
    if round(c.absolute, decimals) > 0:
        text = f"+{text}"
    if c.absolute_unit == "percentage_points":
        english = language.startswith("en")
        return f"{text} {'percentage points' if english else 'điểm phần trăm'}"
    return text


def label(indicator: Indicator, language: str = "vi") -> str:
    """The indicator's name in ``language`` ("vi" or "en…")."""
    return indicator.name(language)
