"""Chart geometry for the dashboard and the printed brief (pure: no Django).

Charts are drawn as inline SVG by the templates, so they need no script, no web font and no
network (a commune office on a slow line, a PDF renderer), and print sharp. This module only
computes where things go: a line over the years and horizontal bars.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass


def nice_ceiling(v: float) -> float:
    """The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ at or above ``v`` (an axis' top);
    1 for v ≤ 0."""
    if v <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(v))
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * power >= v - 1e-9 * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


@dataclass(frozen=True)
class Point:
    label: str  # the year
    value: float | None
    shown: str  # the value as printed
    x: float
    y: float | None  # None: no value that year


@dataclass(frozen=True)
class Tick:
    y: float
    shown: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int  # where the plot starts (room for the axis labels)
    bottom: float  # y of the axis
    points: tuple[Point, ...]
    segments: tuple[str, ...]  # "x,y x,y …" for each run of years with values
    ticks: tuple[Tick, ...]


def line_chart(
    series: Sequence[tuple[str, float | None]],
    *,
    shown: Callable[[float | None], str],
    width: int = 560,
    height: int = 180,
    top_at_least: float = 0.0,
) -> LineChart:
    """Geometry of a line over ``series`` ((label, value) in order), the axis from 0 to a
    round top; a year without a value breaks the line. ``shown`` prints a value."""
    left, right, top_pad, bottom_pad = 56, 34, 16, 28
    values = [v for _, v in series if v is not None]
    # a tenth of headroom, so the label above the highest point stays clear of the top tick
    top = nice_ceiling(1.1 * max([*values, top_at_least, 0.0]))
    plot_w, plot_h = width - left - right, height - top_pad - bottom_pad
    bottom = top_pad + plot_h
    step = plot_w / max(len(series) - 1, 1)
    points = []
    for i, (label, v) in enumerate(series):
        x = left + (i * step if len(series) > 1 else plot_w / 2)
        y = None if v is None else bottom - plot_h * (max(v, 0.0) / top)
        points.append(Point(label, v, shown(v), round(x, 1), None if y is None else round(y, 1)))
    segments, run = [], []
    for p in points:
        if p.y is None:
            if len(run) > 1:
                segments.append(" ".join(run))
            run = []
        else:
            run.append(f"{p.x},{p.y}")
    if len(run) > 1:
        segments.append(" ".join(run))
    ticks = tuple(Tick(round(bottom - plot_h * f, 1), shown(top * f)) for f in (0.0, 0.5, 1.0))
    return LineChart(width, height, left, bottom, tuple(points), tuple(segments), ticks)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    shown: str
    y: float
    length: float  # 0 for a missing value


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: tuple[Bar, ...]


def bar_chart(
    rows: Sequence[tuple[str, float | None]],
    *,
    shown: Callable[[float | None], str],
    width: int = 560,
    label_width: int = 170,
    bar_height: int = 16,
    gap: int = 6,
) -> BarChart:
    """Geometry of horizontal bars, one per (label, value), scaled to the largest value and
    leaving room on the right for the printed value."""
    values = [v for _, v in rows if v is not None]
    top = max(values, default=0.0) or 1.0
    room = width - label_width - 70
    bars = tuple(
        Bar(
            label,
            v,
            shown(v),
            y=i * (bar_height + gap),
            length=0.0 if v is None else round(room * max(v, 0.0) / top, 1),
        )
        for i, (label, v) in enumerate(rows)
    )
    height = max(len(rows) * (bar_height + gap) - gap, bar_height)
    return BarChart(width, height, label_width, bar_height, bars)
