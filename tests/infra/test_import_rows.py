"""Reading one row of an infrastructure file (pure: no database).

Headers are matched through ``read_table`` with the aliases of ``import_rows.COLUMNS``, then
``parse`` turns the row's text into clean values or Problems that name the field.
"""

import datetime as dt
import re

import pytest

from langso.core.tabular import read_table
from langso.infra import import_rows
from langso.infra.import_rows import Problem, parse, parse_date
from tests.factories.infra import csv_file

# One row of each kind, as a Vietnamese commune and as an English-speaking operator write it.
FILES = {
    "stations": (
        ["Mã xã", "Thôn", "Nhà mạng", "Mã trạm", "2G", "3G", "4G", "5G", "Tình trạng", "Vĩ độ",
         "Kinh độ", "Ngày phát sóng"],
        ["01273", "Nà Rị", "VinaPhone", "CBG0123", "x", "có", "X", "không", "Đang phát sóng",
         "22,66", "106.25", "15/03/2024"],
        ["Commune code", "Village", "Operator", "Site ID", "2G", "3G", "4G", "5G", "Status",
         "Latitude", "Longitude", "On air"],
        ["01273", "Nà Rị", "VNPT", "CBG0123", "yes", "1", "true", "no", "active", "22.66",
         "106.25", "2024-03-15"],
    ),
    "coverage": (
        ["Mã xã", "Thôn", "Mạng", "Mức phủ sóng", "Thời điểm", "Ghi chú"],
        ["01273", "Nà Rị", "4G", "Một phần", "30/06/2026", "Lõm sóng phía khe suối"],
        ["Commune code", "Village", "Technology", "Level", "Date", "Note"],
        ["01273", "Nà Rị", "LTE", "partial", "2026-06-30", "Lõm sóng phía khe suối"],
    ),
    "subscribers": (
        ["Mã xã", "Cuối kỳ", "Nhà mạng", "Loại thuê bao", "Số thuê bao"],
        ["01273", "Q2/2026", "Viettel", "Di động", "8.412"],
        ["Commune code", "Period", "Operator", "Kind", "Subscribers"],
        ["01273", "06/2026", "viettel", "mobile", "8,412"],
    ),
    "hotspots": (
        ["Mã xã", "Thôn", "Tên điểm", "Nơi đặt", "Đơn vị cung cấp", "Miễn phí", "Ngày lắp đặt"],
        ["01273", "Nà Rị", "Wifi nhà văn hóa Nà Rị", "Nhà văn hóa", "VNPT", "x", "01/09/2025"],
        ["Commune code", "Village", "Name", "Place", "Provider", "Free", "Installed on"],
        ["01273", "Nà Rị", "Wifi nhà văn hóa Nà Rị", "cultural_house", "VinaPhone", "yes",
         "2025-09-01"],
    ),
}  # fmt: skip

EXPECTED = {
    "stations": {
        "village": "Nà Rị",
        "operator": "vnpt",
        "site_code": "CBG0123",
        "has_2g": True,
        "has_3g": True,
        "has_4g": True,
        "has_5g": False,
        "status": "active",
        "lat": 22.66,
        "lon": 106.25,
        "on_air_on": dt.date(2024, 3, 15),
    },
    "coverage": {
        "village": "Nà Rị",
        "network": "4g",
        "level": "partial",
        "as_of": dt.date(2026, 6, 30),
        "note": "Lõm sóng phía khe suối",
    },
    "subscribers": {
        "village": "",
        "period_end": dt.date(2026, 6, 30),
        "operator": "viettel",
        "kind": "mobile",
        "count": 8412,
    },
    "hotspots": {
        "village": "Nà Rị",
        "name": "Wifi nhà văn hóa Nà Rị",
        "place": "cultural_house",
        "provider": "vnpt",
        "free": True,
        "installed_on": dt.date(2025, 9, 1),
    },
}


def _row(kind: str, header: list[str], cells: list[str]) -> dict[str, str]:
    rows = list(read_table("f.csv", csv_file(header, [cells]), import_rows.COLUMNS[kind]))
    assert len(rows) == 1
    return rows[0].values


def _good(kind: str) -> dict[str, str]:
    header, cells, _en_header, _en_cells = FILES[kind]
    return _row(kind, header, cells)


# ------------------------------------------------------------------ headers and values


@pytest.mark.parametrize("kind", sorted(FILES))
def test_a_vietnamese_row_of_each_kind_is_read_into_clean_values(kind):
    header, cells, _, _ = FILES[kind]
    values, problems = parse(kind, _row(kind, header, cells))
    assert (values, problems) == (EXPECTED[kind], [])


@pytest.mark.parametrize("kind", sorted(FILES))
def test_an_english_row_of_each_kind_is_read_into_the_same_values(kind):
    _, _, header, cells = FILES[kind]
    values, problems = parse(kind, _row(kind, header, cells))
    assert (values, problems) == (EXPECTED[kind], [])


@pytest.mark.parametrize("kind", sorted(FILES))
def test_every_column_of_the_vietnamese_header_is_recognised(kind):
    header, cells, _, _ = FILES[kind]
    assert len(_row(kind, header, cells)) == len(header)


@pytest.mark.parametrize(
    ("text", "operator"),
    [
        ("Viettel", "viettel"),
        ("VinaPhone", "vnpt"),
        ("VNPT", "vnpt"),
        ("MobiFone", "mobifone"),
        ("Gmobile", "gtel"),
        ("FPT Telecom", "fpt"),
        ("Dùng chung", "shared"),
        ("Tổng", "other"),
    ],
)
def test_operators_are_read_by_brand_or_company(text, operator):
    assert parse("subscribers", {**_good("subscribers"), "operator": text})[0]["operator"] == (
        operator
    )


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        *[("x", True), ("X", True), ("có", True), ("Có", True), ("1", True)],
        *[("", False), ("không", False), ("Không", False), ("0", False), ("no", False)],
    ],
)
def test_technology_flags_read_x_co_and_khong(text, flag):
    values, problems = parse("stations", {**_good("stations"), "g5": text})
    assert (values["has_5g"], problems) == (flag, [])


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Một phần", "partial"),
        ("Mot phan", "partial"),
        ("Phủ toàn thôn", "full"),
        ("Toàn thôn", "full"),
        ("Có", "full"),
        ("Không có", "none"),
        ("Lõm", "none"),
        ("none", "none"),
    ],
)
def test_coverage_levels_are_read_in_vietnamese_with_or_without_marks(text, level):
    assert parse("coverage", {**_good("coverage"), "level": text})[0]["level"] == level


@pytest.mark.parametrize(
    ("text", "network"),
    [("2G", "2g"), ("LTE", "4g"), ("5G", "5g"), ("Cáp quang", "fibre"), ("FTTH", "fibre")],
)
def test_networks_are_read_by_generation_or_as_fibre(text, network):
    assert parse("coverage", {**_good("coverage"), "network": text})[0]["network"] == network


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Di động", "mobile"),
        ("Điện thoại cố định", "fixed_phone"),
        ("Internet cố định", "internet"),
        ("Băng rộng di động", "mobile_data"),
        ("Truyền hình", "iptv"),
    ],
)
def test_subscription_kinds_are_read_in_vietnamese(text, kind):
    assert parse("subscribers", {**_good("subscribers"), "kind": text})[0]["kind"] == kind


@pytest.mark.parametrize(
    ("text", "count"),
    [("8.412", 8412), ("8,412", 8412), ("8 412", 8412), ("1.234.567", 1234567), ("0", 0)],
)
def test_counts_are_read_with_thousands_separators(text, count):
    assert parse("subscribers", {**_good("subscribers"), "count": text})[0]["count"] == count


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Nhà văn hóa thôn", "cultural_house"),
        ("Trụ sở UBND", "commune_office"),
        ("Trường học", "school"),
        ("Trạm y tế", "health_station"),
        ("Chợ", "market"),
        ("", "public_space"),
    ],
)
def test_hotspot_places_are_read_in_vietnamese(text, place):
    assert parse("hotspots", {**_good("hotspots"), "place": text})[0]["place"] == place


def test_a_hotspot_without_a_free_column_is_free_and_without_a_provider_is_other():
    good = _good("hotspots")
    del good["free"], good["provider"]
    values, problems = parse("hotspots", good)
    assert (values["free"], values["provider"], problems) == (True, "other", [])


def test_a_hotspot_marked_khong_is_not_free():
    assert parse("hotspots", {**_good("hotspots"), "free": "không"})[0]["free"] is False


def test_a_station_without_a_status_is_on_air():
    assert parse("stations", {**_good("stations"), "status": ""})[0]["status"] == "active"


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("15/03/2026", dt.date(2026, 3, 15)),
        ("2026-03-15", dt.date(2026, 3, 15)),
        ("15-03-2026", dt.date(2026, 3, 15)),
        ("2026-03-15 00:00:00", dt.date(2026, 3, 15)),  # an Excel date cell
        ("03/2026", dt.date(2026, 3, 31)),
        ("3/2026", dt.date(2026, 3, 31)),
        ("04/2026", dt.date(2026, 4, 30)),
        ("02/2028", dt.date(2028, 2, 29)),
        ("12/2026", dt.date(2026, 12, 31)),
        ("Q2/2026", dt.date(2026, 6, 30)),
        ("q1/2026", dt.date(2026, 3, 31)),
        ("Quý 4/2025", dt.date(2025, 12, 31)),
        ("Q3 2026", dt.date(2026, 9, 30)),
        ("2025", dt.date(2025, 12, 31)),
        (" 2025 ", dt.date(2025, 12, 31)),
    ],
)
def test_dates_months_quarters_and_years_are_read_as_their_last_day(text, date):
    assert parse_date(text) == date


def test_an_empty_date_is_none():
    assert parse_date("  ") is None


@pytest.mark.parametrize("text", ["31/02/2026", "13/2026", "Q5/2026", "hôm qua", "26", "0/2026"])
def test_a_date_that_is_no_date_is_refused(text):
    with pytest.raises(ValueError, match=re.escape(text)):
        parse_date(text)


# ------------------------------------------------------------------ problems


BAD = [
    ("stations", "operator", "Saigon Postel"),
    ("stations", "site_code", ""),
    ("stations", "site_code", "X" * 41),
    ("stations", "g4", "có lẽ"),
    ("stations", "status", "hỏng"),
    ("stations", "lat", "95"),
    ("stations", "lat", "bắc"),
    ("stations", "lon", "10.5"),
    ("stations", "on_air_on", "31/02/2024"),
    ("coverage", "village", ""),
    ("coverage", "network", "6G"),
    ("coverage", "level", "tốt"),
    ("coverage", "as_of", "hôm qua"),
    ("subscribers", "period_end", ""),
    ("subscribers", "period_end", "13/2026"),
    ("subscribers", "operator", "Starlink"),
    ("subscribers", "kind", "vệ tinh"),
    ("subscribers", "count", "-5"),
    ("subscribers", "count", "nhiều"),
    ("subscribers", "count", ""),
    ("subscribers", "count", "1234567890"),
    ("hotspots", "name", ""),
    ("hotspots", "place", "sân bay"),
    ("hotspots", "provider", "Starlink"),
    ("hotspots", "free", "có lẽ"),
    ("hotspots", "installed_on", "32/01/2025"),
]


@pytest.mark.parametrize(
    ("kind", "field", "text"), BAD, ids=[f"{k}-{f}-{t[:8]}" for k, f, t in BAD]
)
def test_each_bad_value_gives_one_problem_naming_its_field(kind, field, text):
    _values, problems = parse(kind, {**_good(kind), field: text})
    assert [p.field for p in problems] == [field]
    assert problems[0].reason


def test_a_problem_keeps_the_value_as_written():
    _values, problems = parse("coverage", {**_good("coverage"), "level": "Tốt lắm"})
    assert problems == [Problem("level", "Tốt lắm", "mức phủ sóng không rõ")]


def test_every_problem_of_a_row_is_reported_at_once():
    row = {**_good("stations"), "operator": "?", "lat": "abc", "on_air_on": "x"}
    assert {p.field for p in parse("stations", row)[1]} == {"operator", "lat", "on_air_on"}


def test_an_unknown_kind_of_file_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown kind"):
        parse("towers", {})


# ------------------------------------------------------------------ what the app stores


def _choices():
    """(kind, field, text, code) for each stored code and each label the app shows: a file
    written with either reads back as the same value. (Reads the models' choices: no DB.)"""
    from langso.infra import models

    tables = [
        ("stations", "operator", models.Operator),
        ("stations", "status", models.SiteStatus),
        ("coverage", "network", models.Network),
        ("coverage", "level", models.Level),
        ("subscribers", "kind", models.Subscription),
        ("hotspots", "place", models.Place),
    ]
    return [
        (kind, field, text, code)
        for kind, field, choices in tables
        for code, label in choices.choices
        for text in (code, str(label))
    ]


@pytest.mark.parametrize(("kind", "field", "text", "code"), _choices())
def test_each_code_and_label_of_the_app_is_read_back_as_itself(kind, field, text, code):
    values, problems = parse(kind, {**_good(kind), field: text})
    assert (values[field], problems) == (code, [])
