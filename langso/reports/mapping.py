"""A map of communes that needs no internet tiles (pure): each commune a circle at its centroid,
its area growing with its households, its colour the class of an indicator's value."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

# five classes, light to dark (ColorBrewer "YlGnBu"-like, readable in print and on a phone)
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_VALUE = "#d9d9d9"


@dataclass(frozen=True)
class Point:
    code: str
    name: str
    lat: float
    lon: float
    weight: float  # e.g. households
    value: float | None


@dataclass(frozen=True)
class Circle:
    code: str
    name: str
    x: float
    y: float
    r: float
    colour: str
    value: float | None


def breaks(values: Sequence[float], classes: int = len(PALETTE)) -> list[float]:
    """Upper bounds of equal-count classes (quantiles) of the values."""
    ordered = sorted(values)
    if not ordered:
        return []
    return [ordered[min(len(ordered) - 1, math.ceil(len(ordered) * k / classes) - 1)]
            for k in range(1, classes + 1)]  # fmt: skip


def colour(value: float | None, bounds: Sequence[float], *, reverse: bool = False) -> str:
    """The palette colour of a value; ``reverse`` when a lower value is better (so "worse" is
    always darker)."""
    if value is None or not bounds:
        return NO_VALUE
    index = next((i for i, b in enumerate(bounds) if value <= b), len(bounds) - 1)
    palette = PALETTE[::-1] if reverse else PALETTE
    return palette[index]


def layout(
    points: Sequence[Point], *, width: float = 600, height: float = 500, reverse: bool = False
) -> list[Circle]:
    """Circles in an SVG box of ``width`` × ``height``: an equirectangular projection scaled to
    the points (longitude shrunk by the cosine of the mean latitude), radius ∝ √weight."""
    placed = [p for p in points if p.lat is not None and p.lon is not None]
    if not placed:
        return []
    mean_lat = math.radians(sum(p.lat for p in placed) / len(placed))
    xs = [p.lon * math.cos(mean_lat) for p in placed]
    ys = [p.lat for p in placed]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    margin = 24
    scale = min(width, height) - 2 * margin
    biggest = max((p.weight for p in placed), default=1) or 1
    bounds = breaks([p.value for p in placed if p.value is not None])
    circles = []
    for p, x, y in zip(placed, xs, ys, strict=True):
        circles.append(
            Circle(
                code=p.code,
                name=p.name,
                x=round(margin + (x - min(xs)) / span * scale, 1),
                y=round(margin + (max(ys) - y) / span * scale, 1),
                r=round(4 + 14 * math.sqrt(max(p.weight, 0) / biggest), 1),
                colour=colour(p.value, bounds, reverse=reverse),
                value=p.value,
            )
        )
    return sorted(circles, key=lambda c: -c.r)  # small ones drawn last, on top
