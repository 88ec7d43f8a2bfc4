"""The indicator catalogue: what it holds, how it is checked, how figures are computed and shown."""

from datetime import date

import pytest

from langso.reports import indicators as ind
from langso.reports.indicators import CatalogueError, change, format_value, label, value

# Cao Bằng, end of 2023 (domain brief §1): the poor-household rate fell from 28.94% to 24.71%,
# 5,349 households; with the number of households unchanged that is about 126,454 households.
HOUSEHOLDS = 126_454
POOR_BEFORE, POOR_AFTER = 36_596, 31_247


@pytest.fixture(scope="module")
def catalogue() -> ind.Catalogue:
    return ind.load_catalogue()


def _indicator(**changes) -> ind.Indicator:
    fields = {
        "code": "x",
        "name_vi": "X",
        "name_en": "X",
        "unit": "percent",
        "numerator": "poor",
        "denominator": "households",
        "group": "poverty",
        "direction": "down",
        "definition": "",
        "source_url": "",
        "confirmed": False,
        "drill": None,
    }
    return ind.Indicator(**{**fields, **changes})


GOOD = """
[[indicators]]
code = "poor_rate"
name_vi = "Tỷ lệ hộ nghèo"
name_en = "Poor-household rate"
unit = "percent"
numerator = "poor"
denominator = "households"
group = "poverty"
direction = "down"
definition = "NĐ 07/2021"
confirmed = true
drill = { list = "households", filter = "poverty_class=poor" }
"""
HEADER = 'version = "t"\nvalid_from = 2025-07-01\nsource = "test"\n'


def _load(tmp_path, body: str = GOOD, header: str = HEADER) -> ind.Catalogue:
    path = tmp_path / "indicators.toml"
    path.write_text(header + body, encoding="utf-8")
    return ind.load_catalogue(path)


# --- the shipped catalogue ----------------------------------------------------------------


def test_the_shipped_catalogue_loads_with_its_header(catalogue):
    assert catalogue.version
    assert isinstance(catalogue.valid_from, date)
    assert catalogue.source


def test_the_shipped_catalogue_has_every_indicator_the_issue_lists(catalogue):
    listed = {
        ("poor", "households"),
        ("near_poor", "households"),
        ("deprived_telecom_use", "assessed"),
        ("deprived_information_access", "assessed"),
        ("with_broadband", "profiled"),
        ("with_smartphone", "profiled"),
        ("using_internet", "profiled"),
        ("with_vneid", "profiled"),
        ("paying_cashless", "profiled"),
        ("using_public_services", "profiled"),
        ("teams", None),
        ("team_members", None),
        ("households_reached", "households"),
        ("skills_mastered", None),
        ("base_stations", None),
        ("base_stations", "communes"),
        ("villages_4g_full", "villages"),
        ("villages_fibre", "villages"),
        ("wifi_points", None),
        ("mobile_subscribers", "people"),
        ("internet_subscribers", "households"),
        ("radio_clusters", "communes"),
        ("boards", "communes"),
    }
    assert listed <= {(i.numerator, i.denominator) for i in catalogue.indicators}


def test_every_numerator_and_denominator_is_a_known_measure(catalogue):
    used = {m for i in catalogue.indicators for m in i.measures}
    assert used <= set(ind.MEASURES)


def test_every_rate_has_a_denominator_and_no_count_has_one(catalogue):
    assert all((i.unit == "count") == (i.denominator is None) for i in catalogue.indicators)


def test_every_drill_opens_a_known_list(catalogue):
    lists = {i.drill.list for i in catalogue.indicators if i.drill}
    assert lists <= set(ind.DRILL_LISTS)


def test_every_group_has_indicators(catalogue):
    assert all(catalogue.in_group(group) for group in ind.GROUPS)


def test_in_group_keeps_catalogue_order(catalogue):
    poverty = [i.code for i in catalogue.in_group("poverty")]
    assert poverty[:2] == ["poor_rate", "near_poor_rate"]


def test_in_group_refuses_an_unknown_group(catalogue):
    with pytest.raises(KeyError):
        catalogue.in_group("weather")


def test_by_code_refuses_an_unknown_code(catalogue):
    with pytest.raises(KeyError):
        catalogue.by_code("happiness")


def test_the_information_deprivations_are_unconfirmed_and_the_poverty_rate_confirmed(catalogue):
    assert "deprived_telecom_use_rate" in catalogue.unconfirmed
    assert "deprived_information_access_rate" in catalogue.unconfirmed
    assert "poor_rate" not in catalogue.unconfirmed


def test_the_gso_household_internet_definition_is_cited_with_its_url(catalogue):
    broadband = catalogue.by_code("broadband_rate")
    assert "Tỷ lệ hộ gia đình có kết nối Internet" in broadband.definition
    assert broadband.source_url.startswith("https://www.gso.gov.vn/")


def test_a_drill_filter_reads_as_query_parameters(catalogue):
    villages = catalogue.by_code("villages_4g_full_rate").drill
    assert villages.params() == {"network": "4g", "level": "partial,none"}


# --- values -------------------------------------------------------------------------------


def test_a_percent_is_a_hundred_times_the_ratio_of_counts():
    assert value(_indicator(), {"poor": 25, "households": 200}) == 12.5


def test_a_per_100_people_value_is_a_hundred_times_the_ratio():
    i = _indicator(unit="per_100_people", numerator="mobile_subscribers", denominator="people")
    assert value(i, {"mobile_subscribers": 603_002, "people": 550_000}) == pytest.approx(109.6367)


def test_a_per_commune_value_is_the_plain_ratio():
    i = _indicator(unit="per_commune", numerator="radio_clusters", denominator="communes")
    assert value(i, {"radio_clusters": 30, "communes": 20}) == 1.5


def test_a_ratio_is_the_plain_ratio():
    i = _indicator(unit="ratio", numerator="skills_mastered", denominator="households_reached")
    assert value(i, {"skills_mastered": 9, "households_reached": 4}) == 2.25


def test_a_count_is_its_numerator():
    i = _indicator(unit="count", numerator="teams", denominator=None)
    assert value(i, {"teams": 1462}) == 1462


@pytest.mark.parametrize(
    "measures",
    [
        {"poor": 3, "households": 0},
        {"poor": 3, "households": None},
        {"poor": 3},
        {"poor": None, "households": 10},
        {"households": 10},
    ],
    ids=["zero-denom", "none-denom", "no-denom", "none-numer", "no-numer"],
)
def test_a_rate_without_usable_counts_has_no_value(measures):
    assert value(_indicator(), measures) is None


def test_a_count_without_its_measure_has_no_value():
    assert value(_indicator(unit="count", numerator="teams", denominator=None), {}) is None


def test_a_count_of_zero_is_zero_not_missing():
    assert value(_indicator(unit="count", numerator="teams", denominator=None), {"teams": 0}) == 0


def test_the_seed_poor_rates_reproduce_from_counts(catalogue):
    poor_rate = catalogue.by_code("poor_rate")
    before = value(poor_rate, {"poor": POOR_BEFORE, "households": HOUSEHOLDS})
    after = value(poor_rate, {"poor": POOR_AFTER, "households": HOUSEHOLDS})
    assert (format_value(poor_rate, before), format_value(poor_rate, after)) == ("28,94%", "24,71%")


# --- change -------------------------------------------------------------------------------


def test_the_seed_poor_rate_fell_four_point_two_three_points_which_is_better(catalogue):
    result = change(catalogue.by_code("poor_rate"), 28.94, 24.71)
    assert result.absolute == pytest.approx(-4.23)
    assert result.absolute_unit == "percentage_points"
    assert result.better is True


def test_the_relative_change_is_a_percent_of_the_earlier_value(catalogue):
    result = change(catalogue.by_code("poor_rate"), 28.94, 24.71)
    assert result.relative == pytest.approx(-14.6164, abs=1e-4)


def test_a_rise_is_better_for_an_up_indicator(catalogue):
    assert change(catalogue.by_code("smartphone_rate"), 40.0, 45.0).better is True


def test_a_rise_is_worse_for_a_down_indicator(catalogue):
    assert change(catalogue.by_code("poor_rate"), 2.63, 3.81).better is False


def test_a_count_changes_in_its_own_unit(catalogue):
    result = change(catalogue.by_code("poor_households"), POOR_BEFORE, POOR_AFTER)
    assert (result.absolute, result.absolute_unit) == (-5349, "count")


def test_no_change_is_neither_better_nor_worse(catalogue):
    assert change(catalogue.by_code("poor_rate"), 5.0, 5.0).better is None


def test_a_change_from_a_missing_value_is_unknown(catalogue):
    result = change(catalogue.by_code("poor_rate"), None, 24.71)
    assert (result.absolute, result.relative, result.better) == (None, None, None)


def test_a_change_from_zero_has_no_relative_change(catalogue):
    result = change(catalogue.by_code("teams"), 0, 12)
    assert (result.absolute, result.relative) == (12, None)


# --- presentation -------------------------------------------------------------------------


def test_a_percent_is_shown_with_a_decimal_comma_in_vietnamese(catalogue):
    assert format_value(catalogue.by_code("poor_rate"), 28.94) == "28,94%"


def test_a_percent_is_shown_with_a_decimal_point_in_english(catalogue):
    assert format_value(catalogue.by_code("poor_rate"), 28.94, "en") == "28.94%"


def test_a_count_groups_thousands_with_a_dot_in_vietnamese(catalogue):
    assert format_value(catalogue.by_code("teams"), 1462) == "1.462"


def test_a_count_groups_thousands_with_a_comma_in_english(catalogue):
    assert format_value(catalogue.by_code("teams"), 1462, "en") == "1,462"


def test_a_large_count_with_decimals_uses_both_separators_in_vietnamese(catalogue):
    i = catalogue.by_code("mobile_subscribers_per_100")
    assert format_value(i, 1234.56) == "1.234,6"


def test_a_missing_value_is_shown_as_a_dash(catalogue):
    assert format_value(catalogue.by_code("poor_rate"), None) == ind.MISSING


def test_a_tiny_negative_is_not_shown_as_minus_zero(catalogue):
    assert format_value(catalogue.by_code("poor_rate"), -0.0001) == "0,00%"


def test_a_percent_change_is_shown_in_points(catalogue):
    poor_rate = catalogue.by_code("poor_rate")
    result = change(poor_rate, 28.94, 24.71)
    assert ind.format_change(poor_rate, result) == "-4,23 điểm phần trăm"
    assert ind.format_change(poor_rate, result, "en") == "-4.23 percentage points"


def test_a_rise_in_a_count_is_shown_with_a_plus(catalogue):
    teams = catalogue.by_code("teams")
    assert ind.format_change(teams, change(teams, 1000, 1462)) == "+462"


def test_the_label_follows_the_language(catalogue):
    poor_rate = catalogue.by_code("poor_rate")
    assert (label(poor_rate, "vi"), label(poor_rate, "en")) == (
        "Tỷ lệ hộ nghèo",
        "Poor-household rate",
    )


# --- a catalogue that cannot be used ------------------------------------------------------


def test_a_small_good_catalogue_loads(tmp_path):
    loaded = _load(tmp_path)
    assert [i.code for i in loaded.indicators] == ["poor_rate"]
    assert loaded.valid_from == date(2025, 7, 1)


def test_an_unknown_unit_is_refused_naming_the_indicator_and_field(tmp_path):
    with pytest.raises(CatalogueError, match=r"indicators.toml, indicator poor_rate, unit: .*%"):
        _load(tmp_path, GOOD.replace('unit = "percent"', 'unit = "%"'))


def test_an_unknown_numerator_is_refused_naming_the_indicator_and_field(tmp_path):
    with pytest.raises(CatalogueError, match=r"indicator poor_rate, numerator: .*paupers"):
        _load(tmp_path, GOOD.replace('numerator = "poor"', 'numerator = "paupers"'))


def test_an_unknown_denominator_is_refused_naming_the_indicator_and_field(tmp_path):
    with pytest.raises(CatalogueError, match=r"indicator poor_rate, denominator: .*homes"):
        _load(tmp_path, GOOD.replace('denominator = "households"', 'denominator = "homes"'))


def test_a_duplicate_code_is_refused_naming_the_indicator_and_field(tmp_path):
    with pytest.raises(CatalogueError, match=r"indicator poor_rate, code: .*trùng"):
        _load(tmp_path, GOOD + GOOD)


def test_a_rate_without_a_denominator_is_refused(tmp_path):
    with pytest.raises(CatalogueError, match=r"indicator poor_rate, denominator: .*percent"):
        _load(tmp_path, GOOD.replace('denominator = "households"\n', ""))


def test_a_count_with_a_denominator_is_refused(tmp_path):
    with pytest.raises(CatalogueError, match=r"indicator poor_rate, denominator: .*count"):
        _load(tmp_path, GOOD.replace('unit = "percent"', 'unit = "count"'))


def test_an_unknown_group_is_refused_naming_the_indicator_and_field(tmp_path):
    with pytest.raises(CatalogueError, match=r"indicator poor_rate, group: .*wealth"):
        _load(tmp_path, GOOD.replace('group = "poverty"', 'group = "wealth"'))


def test_an_unknown_direction_is_refused_naming_the_indicator_and_field(tmp_path):
    with pytest.raises(CatalogueError, match=r"indicator poor_rate, direction: .*sideways"):
        _load(tmp_path, GOOD.replace('direction = "down"', 'direction = "sideways"'))


def test_an_unknown_drill_list_is_refused_naming_the_indicator_and_field(tmp_path):
    with pytest.raises(CatalogueError, match=r"indicator poor_rate, drill, list: .*people"):
        _load(tmp_path, GOOD.replace('list = "households"', 'list = "people"'))


def test_a_confirmed_flag_that_is_not_a_boolean_is_refused(tmp_path):
    with pytest.raises(CatalogueError, match=r"indicator poor_rate, confirmed"):
        _load(tmp_path, GOOD.replace("confirmed = true", 'confirmed = "yes"'))


def test_a_missing_field_is_refused_naming_the_indicator_and_field(tmp_path):
    with pytest.raises(CatalogueError, match=r"indicator poor_rate: thiếu “name_vi”"):
        _load(tmp_path, GOOD.replace('name_vi = "Tỷ lệ hộ nghèo"\n', ""))


def test_an_entry_without_a_code_is_refused_by_its_position(tmp_path):
    with pytest.raises(CatalogueError, match=r"indicators\[0\]: thiếu “code”"):
        _load(tmp_path, GOOD.replace('code = "poor_rate"\n', ""))


def test_a_valid_from_that_is_not_a_date_is_refused(tmp_path):
    with pytest.raises(CatalogueError, match=r"indicators.toml, valid_from"):
        _load(tmp_path, header=HEADER.replace("2025-07-01", '"2025-07-01"'))


def test_a_file_that_is_not_toml_is_refused_with_its_name(tmp_path):
    with pytest.raises(CatalogueError, match=r"^indicators.toml: "):
        _load(tmp_path, "[[indicators]\n")


# --- ethnic-minority figures (sensitive) ---------------------------------------------------


def test_an_indicator_over_minority_counts_must_be_marked_sensitive(tmp_path):
    body = GOOD.replace('numerator = "poor"', 'numerator = "minority_poor"')
    with pytest.raises(CatalogueError, match="indicator poor_rate, sensitive"):
        _load(tmp_path, body)


def test_an_indicator_marked_sensitive_loads(tmp_path):
    body = GOOD.replace('numerator = "poor"', 'numerator = "minority_poor"')
    found = _load(tmp_path, body + "sensitive = true\n")
    assert found.by_code("poor_rate").sensitive is True


def test_the_shipped_minority_poor_rate_is_sensitive(catalogue):
    assert catalogue.by_code("minority_poor_rate").sensitive
    assert not catalogue.by_code("poor_rate").sensitive


def test_as_minority_computes_the_rate_over_minority_households_only():
    minority = ind.as_minority(_indicator())
    counts = {"poor": 30, "households": 100, "minority_poor": 20, "minority_households": 40}
    assert (minority.sensitive, value(minority, counts)) == (True, 50.0)


def test_a_count_has_no_minority_version():
    assert ind.as_minority(_indicator(unit="count", denominator=None)) is None


def test_without_minority_leaves_the_other_households():
    counts = {"poor": 30, "households": 100, "minority_poor": 20, "minority_households": 40}
    rest = ind.without_minority(counts)
    assert (rest["poor"], rest["households"]) == (10, 60)


def test_without_minority_is_unknown_where_either_count_is():
    rest = ind.without_minority({"poor": 30, "minority_poor": None})
    assert rest["poor"] is None


def test_the_breakdown_splits_each_rate_that_has_minority_counts(catalogue):
    counts = {"poor": 30, "households": 100, "minority_poor": 20, "minority_households": 40}
    rows = {b.indicator.code: b for b in ind.by_minority(catalogue, counts)}
    poor = rows["poor_rate"]
    assert (poor.all, poor.minority, poor.others) == (30.0, 50.0, 10.0 * 100 / 60)
    assert "broadband_rate" not in rows  # no minority count of broadband
    assert "poor_households" not in rows  # counts are not split
