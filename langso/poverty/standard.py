"""Poverty standards as versioned data (pure: no Django).

Each file in ``standards/`` is one standard: its review years, income lines by area type, the
ordered classification rules, the indicators with their conditions, the low-income-worker rule,
its sources, and ``confirmed`` flags for what the domain brief does not confirm. Which standard
applies is decided by the review year alone (``for_year``), never by today's date.

A province may raise the lines with a local standard (``with_local_lines``); it can never lower
them.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import pairwise
from pathlib import Path

import langso.poverty.conditions as c

FOLDER = Path(__file__).with_name("standards")
AREA_TYPES = ("rural", "urban")
CLASSES = ("poor", "near_poor", "middle_income", "above")


class StandardError(ValueError):
    """A standard file that cannot be used, with the file and the place in it."""


@dataclass(frozen=True)
class Source:
    text: str
    url: str
    confirmed: bool


@dataclass(frozen=True)
class Line:
    code: str
    label_vi: str
    by_area: dict[str, int]
    confirmed: bool


@dataclass(frozen=True)
class ClassRule:
    code: str
    income_at_most: str  # a line's code
    min_deprivations: int
    confirmed: bool


@dataclass(frozen=True)
class Indicator:
    code: str
    number: int
    dimension: str
    name_vi: str
    name_en: str
    confirmed: bool
    # exactly one of the three shapes below
    members: c.AgeBand | None = None  # which members an any-member condition looks at
    deprived_if: c.Node | None = None  # member condition: deprived if any member meets it
    share_above: float | None = None  # share condition: deprived if dependants > share
    dependant_if: c.Node | None = None
    household_deprived_if: c.Node | None = None  # household condition

    @property
    def kind(self) -> str:
        if self.household_deprived_if is not None:
            return "household"
        return "share" if self.share_above is not None else "any_member"

    def name(self, language: str = "vi") -> str:
        return self.name_en if language.startswith("en") else self.name_vi


@dataclass(frozen=True)
class LowIncomeWorker:
    line: str
    first_review_year: int
    not_in_classes: tuple[str, ...]
    members: c.AgeBand
    worker_if: c.Node
    confirmed: bool


@dataclass(frozen=True)
class Standard:
    code: str
    title_vi: str
    title_en: str
    first_review_year: int
    last_review_year: int
    confirmed: bool
    indicators_confirmed: bool
    lines: dict[str, Line]
    classes: tuple[ClassRule, ...]
    indicators: tuple[Indicator, ...]
    low_income_worker: LowIncomeWorker | None
    sources: tuple[Source, ...]
    version: str  # a digest of the file(s): assessments record which edition they used
    urban_label_vi: str = "Thành thị"
    local: str = ""  # the province whose local standard raised the lines, if any
    unconfirmed: tuple[str, ...] = field(default=())  # what an official should check

    def applies_to(self, review_year: int) -> bool:
        return self.first_review_year <= review_year <= self.last_review_year

    def line(self, code: str, area_type: str) -> int:
        return self.lines[code].by_area[area_type]

    def title(self, language: str = "vi") -> str:
        return self.title_en if language.startswith("en") else self.title_vi

    def indicator(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)


def _need(table: dict, key: str, where: str):
    if key not in table:
        raise StandardError(f"{where}: thiếu '{key}'")
    return table[key]


def _line(code: str, raw: dict, where: str) -> Line:
    by_area = {}
    for area in AREA_TYPES:
        value = _need(raw, area, f"{where}.lines.{code}")
        if not isinstance(value, int) or value <= 0:
            raise StandardError(f"{where}.lines.{code}.{area}: phải là số đồng dương")
        by_area[area] = value
    return Line(code, raw.get("label_vi", code), by_area, bool(raw.get("confirmed", False)))


def _indicator(raw: dict, where: str) -> Indicator:
    code = _need(raw, "code", where)
    where = f"{where} ({code})"
    common = {
        "code": code,
        "number": int(_need(raw, "number", where)),
        "dimension": _need(raw, "dimension", where),
        "name_vi": _need(raw, "name_vi", where),
        "name_en": raw.get("name_en", ""),
        "confirmed": bool(raw.get("confirmed", False)),
    }
    try:
        if "household_deprived_if" in raw:
            return Indicator(
                **common,
                household_deprived_if=c.parse(raw["household_deprived_if"], c.HOUSEHOLD),
            )
        if "share_above" in raw:
            return Indicator(
                **common,
                share_above=float(raw["share_above"]),
                dependant_if=c.parse(_need(raw, "dependant_if", where), c.MEMBER),
            )
        return Indicator(
            **common,
            members=c.parse_band(raw.get("members", {})),
            deprived_if=c.parse(_need(raw, "deprived_if", where), c.MEMBER),
        )
    except c.ConditionError as error:
        raise StandardError(f"{where}: {error}") from None


def _parse(raw: dict, where: str, version: str) -> Standard:
    lines = {code: _line(code, body, where) for code, body in raw.get("lines", {}).items()}
    if "poverty" not in lines:
        raise StandardError(f"{where}: thiếu chuẩn nghèo về thu nhập (lines.poverty)")
    classes = []
    for i, body in enumerate(raw.get("classes", [])):
        rule = ClassRule(
            code=_need(body, "code", f"{where}.classes[{i}]"),
            income_at_most=_need(body, "income_at_most", f"{where}.classes[{i}]"),
            min_deprivations=int(body.get("min_deprivations", 0)),
            confirmed=bool(body.get("confirmed", False)),
        )
        if rule.code not in CLASSES[:-1]:
            raise StandardError(f"{where}.classes[{i}]: không có loại hộ '{rule.code}'")
        if rule.income_at_most not in lines:
            raise StandardError(f"{where}.classes[{i}]: không có chuẩn '{rule.income_at_most}'")
        classes.append(rule)
    indicators = tuple(
        _indicator(body, f"{where}.indicators[{i}]")
        for i, body in enumerate(raw.get("indicators", []))
    )
    worker = None
    if "low_income_worker" in raw:
        body = raw["low_income_worker"]
        w = f"{where}.low_income_worker"
        worker = LowIncomeWorker(
            line=_need(body, "line", w),
            first_review_year=int(body.get("first_review_year", 0)),
            not_in_classes=tuple(body.get("not_in_classes", ())),
            members=c.parse_band(body.get("members", {})),
            worker_if=c.parse(_need(body, "worker_if", w), c.MEMBER),
            confirmed=bool(body.get("confirmed", False)),
        )
    standard = Standard(
        code=_need(raw, "code", where),
        title_vi=_need(raw, "title_vi", where),
        title_en=raw.get("title_en", ""),
        first_review_year=int(_need(raw, "first_review_year", where)),
        last_review_year=int(_need(raw, "last_review_year", where)),
        confirmed=bool(raw.get("confirmed", False)),
        indicators_confirmed=bool(raw.get("indicators_confirmed", True)),
        lines=lines,
        classes=tuple(classes),
        indicators=indicators,
        low_income_worker=worker,
        sources=tuple(
            Source(s["text"], s.get("url", ""), bool(s.get("confirmed", False)))
            for s in raw.get("sources", [])
        ),
        version=version,
        urban_label_vi=raw.get("urban_label_vi", "Thành thị"),
    )
    return replace(standard, unconfirmed=_unconfirmed(standard))


def _unconfirmed(s: Standard) -> tuple[str, ...]:
    out = [f"lines.{line.code}" for line in s.lines.values() if not line.confirmed]
    out += [f"classes.{rule.code}" for rule in s.classes if not rule.confirmed]
    if not s.indicators_confirmed:
        out.append("indicators (taken from the previous standard)")
    out += [f"indicators.{i.code}" for i in s.indicators if not i.confirmed]
    if s.low_income_worker and not s.low_income_worker.confirmed:
        out.append("low_income_worker")
    return tuple(out)


@cache
def all_standards(folder: Path = FOLDER) -> tuple[Standard, ...]:
    """Every standard in the folder, oldest first; review-year ranges may not overlap."""
    raws = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise StandardError(f"{path.name}: {error}") from None
        raws[_need(raw, "code", path.name)] = (path, raw)
    out = []
    for _code, (path, raw) in raws.items():
        digest = hashlib.sha256(path.read_bytes())
        base = raw.get("indicators_from")
        if base:
            if base not in raws:
                raise StandardError(f"{path.name}: indicators_from '{base}' không tồn tại")
            raw = {**raw, "indicators": raws[base][1].get("indicators", [])}
            digest.update(raws[base][0].read_bytes())
        out.append(_parse(raw, path.name, digest.hexdigest()[:12]))
    out.sort(key=lambda s: s.first_review_year)
    for older, newer in pairwise(out):
        if newer.first_review_year <= older.last_review_year:
            raise StandardError(f"{older.code} và {newer.code}: năm áp dụng chồng lên nhau")
    return tuple(out)


def for_year(review_year: int, folder: Path = FOLDER) -> Standard:
    for standard in all_standards(folder):
        if standard.applies_to(review_year):
            return standard
    raise StandardError(f"không có chuẩn nghèo cho năm rà soát {review_year}")


def by_code(code: str, folder: Path = FOLDER) -> Standard:
    for standard in all_standards(folder):
        if standard.code == code:
            return standard
    raise StandardError(f"không có chuẩn nghèo '{code}'")


def with_local_lines(
    standard: Standard, province: str, lines: dict[str, dict[str, int]]
) -> Standard:
    """The standard with a province's higher lines ({"poverty": {"rural": …, "urban": …}})."""
    new = dict(standard.lines)
    for code, by_area in lines.items():
        if code not in new:
            raise StandardError(f"chuẩn {standard.code} không có mức '{code}'")
        for area, value in by_area.items():
            if value < new[code].by_area[area]:
                raise StandardError(
                    f"chuẩn địa phương không được thấp hơn chuẩn quốc gia ({code}, {area}: "
                    f"{value:,} < {new[code].by_area[area]:,})"
                )
        new[code] = replace(new[code], by_area={**new[code].by_area, **by_area})
    digest = hashlib.sha256(repr(sorted(lines.items())).encode()).hexdigest()[:6]
    return replace(
        standard, lines=new, local=province, version=f"{standard.version}+{province}.{digest}"
    )
