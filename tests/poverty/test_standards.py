import pytest

from langso.poverty import rules
from langso.poverty.standard import StandardError, all_standards, for_year, with_local_lines
from tests.factories.poverty import facts


@pytest.mark.parametrize(
    ("year", "code"),
    [
        (2016, "qd59-2015"),
        (2021, "qd59-2015"),
        (2022, "nd07-2021"),
        (2026, "nd07-2021"),
        (2027, "nd351-2025"),
        (2030, "nd351-2025"),
    ],
)
def test_the_review_year_alone_picks_the_standard(year, code):
    assert for_year(year).code == code


def test_a_year_without_a_standard_is_an_error():
    with pytest.raises(StandardError, match="2031"):
        for_year(2031)


def test_every_standard_names_its_sources():
    assert all(s.sources and all(src.url for src in s.sources) for s in all_standards())


def test_decree_351_says_its_indicators_are_borrowed_and_unconfirmed():
    nd351 = for_year(2027)
    assert not nd351.indicators_confirmed
    assert "indicators (taken from the previous standard)" in nd351.unconfirmed
    assert [i.code for i in nd351.indicators] == [i.code for i in for_year(2024).indicators]


def test_decree_07_has_12_indicators_two_of_them_about_information():
    nd07 = for_year(2024)
    assert len(nd07.indicators) == 12
    assert [i.number for i in nd07.indicators if i.dimension == "information"] == [11, 12]


def test_overlapping_review_years_are_refused(tmp_path):
    body = 'code = "{code}"\ntitle_vi = "x"\nfirst_review_year = {a}\nlast_review_year = {b}\n'
    body += "[lines.poverty]\nrural = 1\nurban = 1\n"
    (tmp_path / "a.toml").write_text(body.format(code="a", a=2020, b=2022))
    (tmp_path / "b.toml").write_text(body.format(code="b", a=2022, b=2024))
    with pytest.raises(StandardError, match="chồng lên nhau"):
        all_standards(tmp_path)


def test_an_unknown_fact_in_a_condition_names_the_file_and_indicator(tmp_path):
    (tmp_path / "x.toml").write_text(
        'code = "x"\ntitle_vi = "x"\nfirst_review_year = 1\nlast_review_year = 2\n'
        "[lines.poverty]\nrural = 1\nurban = 1\n"
        '[[indicators]]\ncode = "k"\nnumber = 1\ndimension = "d"\nname_vi = "k"\n'
        'household_deprived_if = { field = "colour", is = true }\n'
    )
    with pytest.raises(StandardError, match=r"x.toml.indicators\[0\] \(k\).*colour"):
        all_standards(tmp_path)


def test_a_local_standard_raising_the_line_makes_more_households_poor():
    local = with_local_lines(for_year(2024), "04", {"poverty": {"rural": 1_800_000}})
    h = facts(income=1_700_000, latrine="none", water_source="surface", floor_area_m2=10)
    assert rules.assess(local, 2024, h).klass == "poor"
    assert local.version != for_year(2024).version


def test_a_local_standard_cannot_lower_the_national_line():
    with pytest.raises(StandardError, match="không được thấp hơn"):
        with_local_lines(for_year(2024), "04", {"poverty": {"rural": 1_000_000}})
