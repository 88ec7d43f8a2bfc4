"""Poverty report formulas (pure: no Django): rates from counts, movement between two years.

Rates are always computed from counts (households or persons of a unit), never averaged over
units. The movement of poor households between review years A and B follows the summary
form's columns (research/domain-vn.md §3.4):

  1 poor in A; 2 poor → near-poor; 3 poor → above the near-poor line; 4 other decreases (no
  assessment in B: moved, died, merged, or not classified); 5 near-poor → poor; 6 fell back
  into poverty (not poor or near-poor in A, poor in an earlier year); 7 newly poor (assessed
  and neither poor nor near-poor in A, never poor before); 8 other increases (no assessment in
  A: a new household); 9 poor in B = 1 − 2 − 3 − 4 + 5 + 6 + 7 + 8.

Each household falls in exactly one of the movements, so the table balances by construction;
``Movement.balanced`` checks it anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

POOR, NEAR = "poor", "near_poor"
ABOVE_NEAR = frozenset({"middle_income", "above"})


def rate(part: int, whole: int) -> float | None:
    """Percent, from counts; None for an empty unit."""
    return 100 * part / whole if whole else None


@dataclass
class Movement:
    start: int = 0  # 1
    to_near_poor: int = 0  # 2
    above_near_poor: int = 0  # 3
    other_decrease: int = 0  # 4
    near_poor_to_poor: int = 0  # 5
    fell_back: int = 0  # 6
    newly_poor: int = 0  # 7
    other_increase: int = 0  # 8
    end: int = 0  # 9, counted directly

    @property
    def computed_end(self) -> int:
        return (
            self.start
            - self.to_near_poor
            - self.above_near_poor
            - self.other_decrease
            + self.near_poor_to_poor
            + self.fell_back
            + self.newly_poor
            + self.other_increase
        )

    @property
    def balanced(self) -> bool:
        return self.computed_end == self.end

    def columns(self) -> list[int]:
        return [
            self.start,
            self.to_near_poor,
            self.above_near_poor,
            self.other_decrease,
            self.near_poor_to_poor,
            self.fell_back,
            self.newly_poor,
            self.other_increase,
            self.end,
        ]


def movement(pairs: Iterable[tuple[str | None, str | None, bool]], klass: str = POOR) -> Movement:
    """From (class in A, class in B, of ``klass`` in a year before A) per household; a class of
    None means no assessment (or no class) that year.

    For ``klass="near_poor"`` the same columns read for near-poor households (the form's "same
    for near-poor"; its exact columns are not confirmed): 2 near-poor → poor, 3 above the
    near-poor line, 5 poor → near-poor, 6 near-poor again after a year out, 7 newly near-poor.
    """
    other = NEAR if klass == POOR else POOR
    m = Movement()
    for before, after, earlier in pairs:
        if before == klass:
            m.start += 1
            if after == other:
                m.to_near_poor += 1
            elif after in ABOVE_NEAR:
                m.above_near_poor += 1
            elif after != klass:
                m.other_decrease += 1
        if after == klass:
            m.end += 1
            if before == other:
                m.near_poor_to_poor += 1
            elif before != klass:
                if earlier:
                    m.fell_back += 1
                elif before in ABOVE_NEAR:
                    m.newly_poor += 1
                else:
                    m.other_increase += 1
    return m


@dataclass(frozen=True)
class YearFigures:
    year: int
    households: int
    poor: int
    minority_households: int
    minority_poor: int

    @property
    def poor_rate(self) -> float | None:
        return rate(self.poor, self.households)

    @property
    def minority_poor_rate(self) -> float | None:
        return rate(self.minority_poor, self.minority_households)


def _number(value: float, places: int = 2) -> str:
    return f"{value:,.{places}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def change_sentence(a: YearFigures, b: YearFigures) -> str:
    """The seed article's sentence from the figures of two years, in Vietnamese."""
    if a.poor_rate is None or b.poor_rate is None:
        return ""
    points = a.poor_rate - b.poor_rate
    verb, to = ("giảm", "xuống còn") if points >= 0 else ("tăng", "lên")
    text = (
        f"Tỷ lệ hộ nghèo {verb} {_number(abs(points))} điểm phần trăm "
        f"({_number(abs(a.poor - b.poor), 0)} hộ), từ {_number(a.poor_rate)}% năm {a.year} "
        f"{to} {_number(b.poor_rate)}% năm {b.year}"
    )
    if a.minority_poor_rate is not None and b.minority_poor_rate is not None:
        m_points = a.minority_poor_rate - b.minority_poor_rate
        m_verb = "giảm" if m_points >= 0 else "tăng"
        text += f"; hộ nghèo dân tộc thiểu số {m_verb} {_number(abs(m_points))} điểm phần trăm"
    return text + "."
