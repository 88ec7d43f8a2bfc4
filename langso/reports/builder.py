"""The report builder's table: any indicators × the units of one level × any years (pure).

Rows are units (provinces, communes or villages) with their counts per year; each cell is an
indicator's value computed from the unit's own counts, and the last row computes each value
from the counts of all the rows added up (a rate of the area, never an average of rates).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from langso.reports.indicators import Indicator, value

LEVELS = ("province", "commune", "village")
Counts = Mapping[str, int | float | None]


@dataclass(frozen=True)
class Unit:
    key: str  # the unit's code (a village: its id)
    name: str
    parent: str = ""  # the commune of a village, the province of a commune; may be empty


@dataclass(frozen=True)
class Column:
    indicator: Indicator
    year: int


@dataclass(frozen=True)
class Table:
    level: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Unit, tuple[float | None, ...]], ...]
    total: tuple[float | None, ...]


def add_up(many: Iterable[Counts]) -> dict[str, int | float | None]:
    """The counts summed name by name, as SQL SUM does: unknown (None) values are skipped, and
    a name unknown everywhere stays None."""
    total: dict[str, int | float | None] = {}
    for counts in many:
        for name, n in counts.items():
            if n is not None:
                total[name] = (total.get(name) or 0) + n
            else:
                total.setdefault(name, None)
    return total


def build(
    level: str,
    units: Sequence[Unit],
    chosen: Sequence[Indicator],
    years: Sequence[int],
    counts: Mapping[int, Mapping[str, Counts]],
) -> Table:
    """The table of ``chosen`` indicators for ``years`` (columns: each indicator, year by
    year) over ``units`` (rows, in the order given); ``counts[year][unit.key]``. A unit
    without counts in a year has empty cells that year."""
    if level not in LEVELS:
        raise ValueError(f"level: {level!r} is not one of {', '.join(LEVELS)}")
    columns = tuple(Column(i, y) for i in chosen for y in sorted(years))
    rows = tuple(
        (
            unit,
            tuple(value(c.indicator, counts.get(c.year, {}).get(unit.key, {})) for c in columns),
        )
        for unit in units
    )
    keys = {u.key for u in units}
    totals = {y: add_up(m for key, m in counts.get(y, {}).items() if key in keys) for y in years}
    total = tuple(value(c.indicator, totals[c.year]) for c in columns)
    return Table(level=level, columns=columns, rows=rows, total=total)
