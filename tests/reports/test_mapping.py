"""The offline map of communes: positions, sizes and colours (no database)."""

from langso.reports.mapping import NO_VALUE, PALETTE, Point, breaks, colour, layout


def _point(code, lat, lon, weight=100, value=1.0):
    return Point(code, f"Xã {code}", lat, lon, weight, value)


def test_the_northern_commune_is_drawn_above_the_southern_one():
    circles = {c.code: c for c in layout([_point("N", 23.0, 106.0), _point("S", 22.0, 106.0)])}
    assert circles["N"].y < circles["S"].y


def test_the_eastern_commune_is_drawn_to_the_right():
    circles = {c.code: c for c in layout([_point("W", 22.5, 105.5), _point("E", 22.5, 106.5)])}
    assert circles["W"].x < circles["E"].x


def test_a_commune_with_more_households_gets_a_bigger_circle():
    circles = {
        c.code: c for c in layout([_point("A", 22.0, 106.0, 4000), _point("B", 23.0, 106.5, 1000)])
    }
    assert circles["A"].r > circles["B"].r


def test_a_commune_without_a_value_is_grey():
    assert colour(None, [1, 2, 3]) == NO_VALUE


def test_quantile_classes_put_the_highest_value_in_the_darkest_colour():
    bounds = breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert colour(10, bounds) == PALETTE[-1]
    assert colour(1, bounds) == PALETTE[0]


def test_when_lower_is_better_the_highest_value_is_the_lightest():
    bounds = breaks([1, 2, 3, 4, 5])
    assert colour(5, bounds, reverse=True) == PALETTE[0]


def test_communes_without_coordinates_are_left_off_the_map():
    assert layout([Point("X", "Xã X", None, None, 10, 1.0)]) == []
