"""Importing operators' and communes' files: all rows or none, errors by Excel row, re-imports
that add nothing, and the same through a background job."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from langso.audit.models import ChangeEvent
from langso.infra.models import BaseStation, Coverage, SubscriberCount, WifiHotspot
from langso.infra.services import infra_import
from langso.jobs.services import job_start
from tests.factories.accounts import analyst, commune_officer, province_admin
from tests.factories.geo import VillageFactory
from tests.factories.infra import base_station, csv_file, xlsx_file

pytestmark = pytest.mark.django_db

HOME = "01273"  # Phường Thục Phán, Cao Bằng
NEIGHBOUR = "01290"  # Xã Bảo Lâm, Cao Bằng
ELSEWHERE = "07210"  # Phường Bắc Giang, Bắc Ninh

HEADERS = {
    "stations": [
        "Mã xã",
        "Thôn",
        "Nhà mạng",
        "Mã trạm",
        "2G",
        "3G",
        "4G",
        "5G",
        "Tình trạng",
        "Vĩ độ",
        "Kinh độ",
        "Ngày phát sóng",
    ],
    "coverage": ["Mã xã", "Thôn", "Mạng", "Mức phủ sóng", "Thời điểm", "Ghi chú"],
    "subscribers": ["Mã xã", "Cuối kỳ", "Nhà mạng", "Loại thuê bao", "Số thuê bao"],
    "hotspots": [
        "Mã xã",
        "Thôn",
        "Tên điểm",
        "Nơi đặt",
        "Đơn vị cung cấp",
        "Miễn phí",
        "Ngày lắp đặt",
    ],
}
ROWS = {
    "stations": [
        [HOME, "Nà Rị", "Viettel", "CBG0001", "x", "x", "x", "", "Đang phát sóng", "22.66",
         "106.25", "15/03/2024"],
        [HOME, "", "VinaPhone", "CBG0001", "x", "x", "", "", "Quy hoạch", "", "", ""],
    ],
    "coverage": [
        [HOME, "Nà Rị", "4G", "Một phần", "30/06/2026", "Lõm sóng phía khe suối"],
        [HOME, "Thôn Nà Rị", "Cáp quang", "Không", "06/2026", ""],
        [HOME, "Bó Mạ", "4G", "Toàn thôn", "", ""],
    ],
    "subscribers": [
        [HOME, "Q2/2026", "Viettel", "Di động", "8.412"],
        [HOME, "Q2/2026", "VinaPhone", "Internet cố định", "1.205"],
    ],
    "hotspots": [
        [HOME, "Nà Rị", "Wifi nhà văn hóa Nà Rị", "Nhà văn hóa", "VNPT", "x", "01/09/2025"],
        [HOME, "", "Wifi trụ sở UBND", "Trụ sở UBND", "Viettel", "", ""],
    ],
}  # fmt: skip
# One wrong cell per kind: (its column, the text, the field named, the reason given)
BAD = {
    "stations": ("Nhà mạng", "Saigon Postel", "operator", "nhà mạng không rõ"),
    "coverage": ("Mức phủ sóng", "tốt", "level", "mức phủ sóng không rõ"),
    "subscribers": ("Số thuê bao", "nhiều", "count", "phải là số nguyên"),
    "hotspots": ("Nơi đặt", "sân bay", "place", "nơi đặt không rõ"),
}
MODELS = {
    "stations": BaseStation,
    "coverage": Coverage,
    "subscribers": SubscriberCount,
    "hotspots": WifiHotspot,
}


def _stored(kind: str) -> set[tuple]:
    """What the database holds of a kind, in the terms of the files above."""
    if kind == "stations":
        return set(
            BaseStation.objects.values_list(
                "operator", "site_code", "commune_id", "village__name", "has_2g", "has_3g",
                "has_4g", "has_5g", "status", "lat", "lon", "on_air_on",
            )
        )  # fmt: skip
    if kind == "coverage":
        return set(
            Coverage.objects.values_list(
                "commune_id", "village__name", "network", "level", "as_of", "source", "note"
            )
        )
    if kind == "subscribers":
        return set(
            SubscriberCount.objects.values_list(
                "commune_id", "period_end", "operator", "kind", "count", "source"
            )
        )
    return set(
        WifiHotspot.objects.values_list(
            "commune_id", "village__name", "name", "place", "provider", "free", "installed_on"
        )
    )


def _expected(kind: str, filename: str) -> set[tuple]:
    june = dt.date(2026, 6, 30)
    return {
        "stations": {
            ("viettel", "CBG0001", HOME, "Nà Rị", True, True, True, False, "active", 22.66,
             106.25, dt.date(2024, 3, 15)),
            ("vnpt", "CBG0001", HOME, None, True, True, False, False, "planned", None, None, None),
        },
        "coverage": {
            (HOME, "Nà Rị", "4g", "partial", june, "survey", "Lõm sóng phía khe suối"),
            (HOME, "Nà Rị", "fibre", "none", june, "survey", ""),
            (HOME, "Bó Mạ", "4g", "full", dt.date.today(), "survey", ""),
        },
        "subscribers": {
            (HOME, june, "viettel", "mobile", 8412, filename),
            (HOME, june, "vnpt", "internet", 1205, filename),
        },
        "hotspots": {
            (HOME, "Nà Rị", "Wifi nhà văn hóa Nà Rị", "cultural_house", "vnpt", True,
             dt.date(2025, 9, 1)),
            (HOME, None, "Wifi trụ sở UBND", "commune_office", "viettel", True, None),
        },
    }[kind]  # fmt: skip


@pytest.fixture(autouse=True)
def villages():
    return {
        "Nà Rị": VillageFactory(commune_id=HOME, name="Nà Rị"),
        "Bó Mạ": VillageFactory(commune_id=HOME, name="Bó Mạ"),
        "Pác Bó": VillageFactory(commune_id=NEIGHBOUR, name="Pác Bó"),
    }


def _import(kind, rows, *, actor=None, header=None, filename=None):
    filename = filename or f"{kind}.csv"
    build = xlsx_file if filename.endswith(".xlsx") else csv_file
    return infra_import(
        actor=actor or commune_officer(HOME),
        kind=kind,
        filename=filename,
        stream=build(header or HEADERS[kind], rows),
    )


def _errors(report) -> list[tuple]:
    return [(e.row, e.field, e.value, e.reason) for e in report.errors]


# ------------------------------------------------------------------ files that are right


@pytest.mark.parametrize("kind", sorted(ROWS))
def test_a_csv_of_each_kind_writes_its_rows(kind):
    report = _import(kind, ROWS[kind])
    assert (_errors(report), report.written, report.created) == ([], True, len(ROWS[kind]))
    assert _stored(kind) == _expected(kind, f"{kind}.csv")


@pytest.mark.parametrize("kind", sorted(ROWS))
def test_an_xlsx_of_each_kind_writes_its_rows(kind):
    report = _import(kind, ROWS[kind], filename=f"{kind}.xlsx")
    assert (_errors(report), report.written, report.created) == ([], True, len(ROWS[kind]))
    assert _stored(kind) == _expected(kind, f"{kind}.xlsx")


def test_excel_numbers_and_date_cells_are_read_like_typed_text():
    row = [1273, "Nà Rị", "Viettel", "CBG0001", "x", "", "x", "", "", 22.66, 106.25]
    report = _import("stations", [[*row, dt.date(2024, 3, 15)]], filename="tram.xlsx")
    assert _errors(report) == []
    station = BaseStation.objects.get()
    assert (station.commune_id, station.lat, station.on_air_on) == (
        HOME,
        22.66,
        dt.date(2024, 3, 15),
    )


def test_a_commune_may_be_named_instead_of_coded():
    header = ["Xã", "Cuối kỳ", "Nhà mạng", "Loại thuê bao", "Số thuê bao"]
    report = _import(
        "subscribers", [["Phường Thục Phán", "2025", "Tổng", "Di động", "20.000"]], header=header
    )
    assert _errors(report) == []
    assert SubscriberCount.objects.get().commune_id == HOME


def test_an_import_writes_one_audit_entry_filed_under_its_commune():
    _import("coverage", ROWS["coverage"])
    event = ChangeEvent.objects.get(action="batch", object_type="infra.coverage")
    assert event.counts == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0}
    assert (event.commune_code, event.province_code) == (HOME, "04")


# ------------------------------------------------------------------ files that are wrong


@pytest.mark.parametrize("kind", sorted(ROWS))
def test_a_file_with_one_bad_row_writes_nothing_and_says_where(kind):
    column, text, field, reason = BAD[kind]
    bad = list(ROWS[kind][0])
    bad[HEADERS[kind].index(column)] = text
    events = ChangeEvent.objects.count()
    report = _import(kind, [ROWS[kind][0], bad, *ROWS[kind][1:]])
    assert _errors(report) == [(3, field, text, reason)]
    assert (report.written, MODELS[kind].objects.count()) == (False, 0)
    assert ChangeEvent.objects.count() == events


def test_a_bad_file_leaves_what_an_earlier_file_wrote_as_it_was():
    _import("subscribers", ROWS["subscribers"])
    changed = [[HOME, "Q2/2026", "Viettel", "Di động", "9.000"], [HOME, "Q2/2026", "?", "x", "1"]]
    _import("subscribers", changed)
    assert _stored("subscribers") == _expected("subscribers", "subscribers.csv")


def test_every_error_of_a_file_is_reported_in_row_order():
    rows = [
        [HOME, "Nà Rị", "6G", "Một phần", "", ""],
        [HOME, "Nà Rị", "4G", "Một phần", "", ""],
        [HOME, "Khuổi Khon", "4G", "Không", "", ""],
        ["99999", "Nà Rị", "4G", "tốt", "", ""],
    ]
    assert [(e.row, e.field) for e in _import("coverage", rows).errors] == [
        (2, "network"),
        (4, "village"),
        (5, "level"),
        (5, "commune_code"),
    ]


def test_a_commune_of_another_province_is_outside_the_officers_area():
    report = _import("subscribers", [[ELSEWHERE, "Q2/2026", "Viettel", "Di động", "10"]])
    assert _errors(report) == [(2, "commune_code", ELSEWHERE, "xã ngoài địa bàn của bạn")]


def test_a_neighbouring_commune_is_outside_the_officers_area_but_inside_the_provinces():
    rows = [[NEIGHBOUR, "Pác Bó", "4G", "Không", "", ""]]
    officer = _import("coverage", rows)
    admin = _import("coverage", rows, actor=province_admin("04"))
    assert [e.reason for e in officer.errors] == ["xã ngoài địa bàn của bạn"]
    assert (_errors(admin), admin.created) == ([], 1)


def test_an_unknown_commune_code_is_an_error():
    report = _import("subscribers", [["99999", "Q2/2026", "Viettel", "Di động", "10"]])
    assert _errors(report) == [(2, "commune_code", "99999", "không có mã xã")]


def test_an_unknown_commune_name_is_an_error():
    header = ["Xã", "Cuối kỳ", "Nhà mạng", "Loại thuê bao", "Số thuê bao"]
    report = _import(
        "subscribers", [["Xã Không Có", "2025", "Viettel", "Di động", "1"]], header=header
    )
    assert _errors(report) == [(2, "commune", "Xã Không Có", "không tìm thấy xã")]


def test_an_unknown_village_is_an_error():
    report = _import("coverage", [[HOME, "Khuổi Khon", "4G", "Không", "", ""]])
    assert _errors(report) == [(2, "village", "Khuổi Khon", "không có thôn này")]


def test_a_village_of_another_commune_is_an_unknown_village():
    report = _import("hotspots", [[HOME, "Pác Bó", "Wifi", "Chợ", "VNPT", "", ""]])
    assert [(e.row, e.field) for e in report.errors] == [(2, "village")]


@pytest.mark.parametrize(
    ("kind", "rows"),
    [
        ("coverage", [[HOME, "Nà Rị", "4G", "Một phần"], [HOME, "thôn nà rị", "LTE", "Có"]]),
        ("stations", [[HOME, "", "Viettel", "CBG0001", "x"]] * 2),
        (
            "subscribers",
            [
                [HOME, "Q2/2026", "Viettel", "Di động", "1"],
                [HOME, "06/2026", "viettel", "di dong", "2"],
            ],
        ),
        ("hotspots", [[HOME, "", "Wifi chợ", "Chợ"], [HOME, "", "WIFI CHỢ", "Chợ"]]),
    ],
)
def test_the_same_thing_twice_in_one_file_is_an_error(kind, rows):
    report = _import(kind, rows)
    assert [(e.row, e.reason) for e in report.errors] == [(3, "trùng với dòng 2")]
    assert MODELS[kind].objects.count() == 0


def test_a_missing_required_column_is_a_file_error():
    header = ["Mã xã", "Thôn", "Mạng", "Thời điểm"]
    report = _import("coverage", [[HOME, "Nà Rị", "4G", ""]], header=header)
    assert _errors(report) == [(0, "", "", "missing column(s): level")]


def test_a_file_with_neither_commune_code_nor_name_is_a_file_error():
    header = ["Thôn", "Mạng", "Mức phủ sóng"]
    report = _import("coverage", [["Nà Rị", "4G", "Không"]], header=header)
    assert [(e.row, e.reason) for e in report.errors] == [
        (0, "missing column(s): commune_code / commune")
    ]


def test_a_file_that_is_no_spreadsheet_is_a_file_error():
    report = infra_import(
        actor=commune_officer(HOME),
        kind="coverage",
        filename="bao-cao.pdf",
        stream=csv_file([], []),
    )
    assert (report.errors[0].row, report.written) == (0, False)


def test_a_station_another_area_registered_cannot_be_moved_in_by_a_file():
    theirs = base_station(NEIGHBOUR, operator="viettel", site_code="CBG0001")
    report = _import("stations", [ROWS["stations"][0]])
    assert _errors(report) == [
        (2, "site_code", "CBG0001", "mã trạm đã thuộc một xã ngoài địa bàn của bạn")
    ]
    theirs.refresh_from_db()
    assert (theirs.commune_id, BaseStation.objects.count()) == (NEIGHBOUR, 1)


def test_people_without_the_capability_cannot_import():
    with pytest.raises(PermissionDenied):
        _import("coverage", ROWS["coverage"], actor=analyst("04"))


# ------------------------------------------------------------------ importing again


@pytest.mark.parametrize("kind", sorted(ROWS))
def test_reimporting_the_same_file_creates_nothing_and_changes_nothing(kind):
    _import(kind, ROWS[kind])
    before = _stored(kind)
    again = _import(kind, ROWS[kind])
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(ROWS[kind]))
    assert (_stored(kind), MODELS[kind].objects.count()) == (before, len(ROWS[kind]))


@pytest.mark.parametrize(
    ("kind", "row", "column", "text", "field", "value"),
    [
        ("stations", 0, 8, "Tạm ngừng", "status", "down"),
        ("coverage", 0, 3, "Toàn thôn", "level", "full"),
        ("subscribers", 0, 4, "8.500", "count", 8500),
        ("hotspots", 0, 3, "Trường học", "place", "school"),
    ],
)
def test_a_changed_row_is_updated_in_place(kind, row, column, text, field, value):
    _import(kind, ROWS[kind])
    rows = [list(r) for r in ROWS[kind]]
    rows[row][column] = text
    again = _import(kind, rows)
    assert (again.created, again.updated, again.unchanged) == (0, 1, len(rows) - 1)
    assert value in set(MODELS[kind].objects.values_list(field, flat=True))
    assert MODELS[kind].objects.count() == len(rows)


def test_an_imported_coverage_replaces_what_an_officer_recorded():
    from tests.factories.infra import coverage

    village = VillageFactory(commune_id=HOME, name="Khuổi Khon")
    coverage(village, "4g", "none")
    _import("coverage", [[HOME, "Khuổi Khon", "4G", "Toàn thôn", "30/06/2026", ""]])
    found = Coverage.objects.get(village=village)
    assert (found.level, found.source) == ("full", "survey")


# ------------------------------------------------------------------ as a background job


def _job(capture, user, kind, rows, filename="tep.csv"):
    upload = SimpleUploadedFile(filename, csv_file(HEADERS[kind], rows).getvalue())
    with capture(execute=True):
        job = job_start(
            actor=user,
            kind="infra.import",
            title="Nhập",
            params={"kind": kind, "filename": filename},
            input_file=upload,
        )
    job.refresh_from_db()
    return job


def test_an_import_job_writes_the_file_and_keeps_its_report(django_capture_on_commit_callbacks):
    job = _job(
        django_capture_on_commit_callbacks, commune_officer(HOME), "hotspots", ROWS["hotspots"]
    )
    assert (job.status, job.result["created"], job.result["written"]) == ("succeeded", 2, True)
    assert WifiHotspot.objects.count() == 2


def test_an_import_job_with_a_bad_row_fails_writes_nothing_and_lists_the_error(
    django_capture_on_commit_callbacks,
):
    rows = [*ROWS["subscribers"], [HOME, "Q2/2026", "Viettel", "Di động", "nhiều"]]
    job = _job(django_capture_on_commit_callbacks, commune_officer(HOME), "subscribers", rows)
    assert job.status == "failed"
    assert "nothing was imported" in job.error
    assert [(e["row"], e["field"]) for e in job.result["errors"]] == [(4, "count")]
    assert SubscriberCount.objects.count() == 0


def test_an_import_job_of_someone_who_lost_the_right_fails(django_capture_on_commit_callbacks):
    user = commune_officer(HOME)
    user.role = "analyst"
    user.save()
    job = _job(django_capture_on_commit_callbacks, user, "coverage", ROWS["coverage"])
    assert (job.status, Coverage.objects.count()) == ("failed", 0)
