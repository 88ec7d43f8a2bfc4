"""Chart geometry: axes round up, a missing year breaks the line, bars scale to the largest."""

import pytest

from langso.reports import charts


def shown(v):
    return "—" if v is None else f"{v:g}"


@pytest.mark.parametrize(
    ("top", "expected"), [(0, 1), (0.7, 0.8), (28.94, 30), (3.2, 4), (120, 150), (50, 50), (6.1, 8)]
)
def test_the_axis_top_is_a_round_number_at_or_above_the_largest_value(top, expected):
    assert charts.nice_ceiling(top) == expected


def test_a_year_without_a_value_breaks_the_line():
    chart = charts.line_chart(
        [("2022", 30.0), ("2023", None), ("2024", 20.0), ("2025", 10.0)], shown=shown
    )
    assert len(chart.segments) == 1  # 2022 alone draws nothing; 2024–2025 is one segment
    assert chart.segments[0].count(",") == 2
    assert chart.points[1].y is None


def test_a_higher_value_is_drawn_higher():
    chart = charts.line_chart([("2024", 28.94), ("2025", 24.71)], shown=shown)
    assert chart.points[0].y < chart.points[1].y  # SVG y grows downwards


def test_zero_sits_on_the_axis():
    chart = charts.line_chart([("2024", 0.0), ("2025", 10.0)], shown=shown)
    assert chart.points[0].y == chart.bottom


def test_the_ticks_print_zero_half_and_the_top():
    chart = charts.line_chart([("2025", 40.0)], shown=shown)
    assert [t.shown for t in chart.ticks] == ["0", "25", "50"]  # 44 with headroom: 50


def test_the_highest_point_stays_below_the_top_of_the_axis():
    chart = charts.line_chart([("2025", 46.03)], shown=shown)
    assert chart.points[0].y > chart.ticks[-1].y


def test_bars_are_as_long_as_their_share_of_the_largest():
    bars = charts.bar_chart([("a", 50.0), ("b", 25.0), ("c", None)], shown=shown)
    a, b, c = bars.bars
    assert b.length == pytest.approx(a.length / 2, abs=0.1)
    assert c.length == 0.0
    assert c.shown == "—"


def test_bars_are_stacked_one_below_the_other():
    bars = charts.bar_chart([("a", 1.0), ("b", 2.0)], shown=shown, bar_height=10, gap=5)
    assert [b.y for b in bars.bars] == [0, 15]
    assert bars.height == 25
