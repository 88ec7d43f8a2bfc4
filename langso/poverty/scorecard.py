"""The income-proxy scorecard (Phiếu B) as configuration (pure: no Django).

A scorecard has questions whose answers carry points, and cut-off scores by region (its
provinces) and area type. The total score places the household's income against the
standard's lines: at most the ``poverty`` cut-off means income at most the poverty line; at
most ``middle_income``, below the middle-income line; above that, above it.
``estimate_income`` turns that into the income figure the rules compare with the lines (the
line itself, or one đồng above the top line), so the classification reads a scored household
exactly as a declared income.

The scorecard shipped in ``scorecards/example_2022.toml`` is an EXAMPLE (``is_example``); an
official replaces it with the circular's table through the admin or ``langso scorecard-load``.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from langso.poverty.standard import Standard

FOLDER = Path(__file__).with_name("scorecards")


class ScorecardError(ValueError):
    pass


@dataclass(frozen=True)
class Answer:
    code: str
    label_vi: str
    points: int


@dataclass(frozen=True)
class Item:
    code: str
    question_vi: str
    answers: tuple[Answer, ...]

    def points(self, answer: str) -> int:
        for a in self.answers:
            if a.code == answer:
                return a.points
        raise ScorecardError(f"câu {self.code}: không có đáp án '{answer}'")


@dataclass(frozen=True)
class Cutoff:
    provinces: tuple[str, ...]  # the region's provinces; empty: every other province
    area_type: str
    poverty: int
    middle_income: int | None


@dataclass(frozen=True)
class Scorecard:
    code: str
    title_vi: str
    is_example: bool
    first_review_year: int
    last_review_year: int
    items: tuple[Item, ...]
    cutoffs: tuple[Cutoff, ...]
    version: str

    def cutoff(self, province: str, area_type: str) -> Cutoff:
        for c in self.cutoffs:
            if c.area_type == area_type and province in c.provinces:
                return c
        for c in self.cutoffs:
            if c.area_type == area_type and not c.provinces:
                return c
        raise ScorecardError(f"không có điểm chuẩn cho tỉnh {province}, khu vực '{area_type}'")


@dataclass(frozen=True)
class Score:
    points: int | None  # None while an item is unanswered
    missing: tuple[str, ...]
    income: int | None  # the estimate the rules read


def parse(text: str, where: str = "scorecard") -> Scorecard:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScorecardError(f"{where}: {error}") from None
    try:
        items = tuple(
            Item(
                code=i["code"],
                question_vi=i["question_vi"],
                answers=tuple(
                    Answer(str(a["code"]), a.get("label_vi", str(a["code"])), int(a["points"]))
                    for a in i["answers"]
                ),
            )
            for i in raw["items"]
        )
        cutoffs = tuple(
            Cutoff(
                tuple(c.get("provinces", ())),
                c["area_type"],
                int(c["poverty"]),
                int(c["middle_income"]) if "middle_income" in c else None,
            )
            for c in raw["cutoffs"]
        )
        card = Scorecard(
            code=raw["code"],
            title_vi=raw["title_vi"],
            is_example=bool(raw.get("is_example", False)),
            first_review_year=int(raw["first_review_year"]),
            last_review_year=int(raw["last_review_year"]),
            items=items,
            cutoffs=cutoffs,
            version=hashlib.sha256(text.encode()).hexdigest()[:12],
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ScorecardError(f"{where}: thiếu hoặc sai '{error}'") from None
    codes = [i.code for i in items]
    if len(set(codes)) != len(codes):
        raise ScorecardError(f"{where}: trùng mã câu hỏi")
    for c in cutoffs:
        if c.middle_income is not None and c.middle_income < c.poverty:
            raise ScorecardError(f"{where}: điểm chuẩn trung bình thấp hơn điểm chuẩn nghèo")
    return card


def example() -> Scorecard:
    path = FOLDER / "example_2022.toml"
    return parse(path.read_text(encoding="utf-8"), path.name)


def score(
    card: Scorecard,
    standard: Standard,
    answers: dict[str, str],
    *,
    province: str,
    area_type: str,
) -> Score:
    """The household's points and the income estimate they give under the standard."""
    missing = tuple(i.code for i in card.items if not answers.get(i.code))
    unknown = set(answers) - {i.code for i in card.items}
    if unknown:
        raise ScorecardError(f"không có câu hỏi {sorted(unknown)}")
    if missing:
        return Score(None, missing, None)
    points = sum(i.points(answers[i.code]) for i in card.items)
    return Score(points, (), estimate_income(card, standard, points, province, area_type))


def estimate_income(
    card: Scorecard, standard: Standard, points: int, province: str, area_type: str
) -> int:
    cutoff = card.cutoff(province, area_type)
    poverty_line = standard.line("poverty", area_type)
    if points <= cutoff.poverty:
        return poverty_line
    top = "middle_income" if "middle_income" in standard.lines else "poverty"
    top_line = standard.line(top, area_type)
    middle = cutoff.middle_income
    if middle is not None and top == "middle_income" and points <= middle:
        return top_line
    return top_line + 1
