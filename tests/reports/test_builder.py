"""The report builder's table: units × indicators × years, the total a rate of the sums."""

import pytest

from langso.reports import builder, indicators

CATALOGUE = indicators.load_catalogue()
POOR = CATALOGUE.by_code("poor_rate")
TEAMS = CATALOGUE.by_code("teams")
UNITS = [builder.Unit("01", "Xã A"), builder.Unit("02", "Xã B")]
COUNTS = {
    2025: {"01": {"poor": 10, "households": 100}, "02": {"poor": 90, "households": 300}},
    2026: {"01": {"poor": 5, "households": 100, "teams": 2}},
}


def test_each_cell_is_the_unit_s_own_value():
    table = builder.build("commune", UNITS, [POOR], [2025, 2026], COUNTS)
    assert table.rows[0][1] == (10.0, 5.0)


def test_the_columns_run_year_by_year_within_each_indicator():
    table = builder.build("commune", UNITS, [POOR, TEAMS], [2026, 2025], COUNTS)
    assert [(c.indicator.code, c.year) for c in table.columns] == [
        ("poor_rate", 2025),
        ("poor_rate", 2026),
        ("teams", 2025),
        ("teams", 2026),
    ]


def test_the_total_is_the_rate_of_the_summed_counts_not_an_average_of_rates():
    table = builder.build("commune", UNITS, [POOR], [2025], COUNTS)
    assert table.total == (25.0,)  # 100 of 400, where the average of 10% and 30% is 20%


def test_a_unit_without_counts_in_a_year_has_empty_cells():
    table = builder.build("commune", UNITS, [POOR], [2026], COUNTS)
    assert table.rows[1][1] == (None,)


def test_the_total_counts_only_the_units_of_the_table():
    table = builder.build("commune", UNITS[:1], [POOR], [2025], COUNTS)
    assert table.total == (10.0,)


def test_an_unknown_level_is_refused():
    with pytest.raises(ValueError, match="level"):
        builder.build("district", UNITS, [POOR], [2025], COUNTS)


def test_adding_up_skips_unknown_counts_and_keeps_all_unknown_as_unknown():
    assert builder.add_up([{"a": 1, "b": None}, {"a": None, "b": None}, {"a": 2}]) == {
        "a": 3,
        "b": None,
    }
