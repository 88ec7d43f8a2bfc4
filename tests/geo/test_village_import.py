import csv
import io

import openpyxl
import pytest

from langso.audit.models import ChangeEvent
from langso.geo.models import Village
from langso.geo.services import villages_import
from tests.factories.accounts import commune_officer, province_admin
from tests.factories.geo import VillageFactory

pytestmark = pytest.mark.django_db


def _csv(rows, header=("Mã xã", "Tên xã", "Tên thôn", "Loại")) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode("utf-8-sig"))


def _import(user, rows, **kw):
    return villages_import(actor=user, filename="thon.csv", stream=_csv(rows, **kw))


def test_valid_file_creates_every_village():
    report = _import(
        province_admin("04"),
        [["01273", "", "Nà Rị", "Thôn"], ["", "Phường Thục Phán", "Tổ dân phố 5", "Tổ dân phố"]],
    )
    assert (report.errors, report.created) == ([], 2)
    assert set(Village.objects.filter(commune_id="01273").values_list("name", "kind")) == {
        ("Nà Rị", "thon"),
        ("Tổ dân phố 5", "to_dan_pho"),
    }


def test_reimporting_the_same_file_creates_no_duplicates():
    user = province_admin("04")
    rows = [["01273", "", "Nà Rị", "Thôn"], ["01273", "", "Bó Mạ", "Bản"]]
    _import(user, rows)
    second = _import(user, rows)
    assert (second.created, second.unchanged) == (0, 2)
    assert Village.objects.filter(commune_id="01273").count() == 2


def test_existing_village_spelt_with_other_tone_placement_is_matched():
    VillageFactory(commune_id="01273", name="Hòa Bình")
    report = _import(province_admin("04"), [["01273", "", "Thôn Hoà Bình", "Thôn"]])
    assert (report.created, report.unchanged) == (0, 1)


def test_errors_name_the_row_column_and_reason():
    report = _import(
        province_admin("04"),
        [
            ["01273", "", "Nà Rị", "Thôn"],  # row 2: fine
            ["99999", "", "Bó Mạ", "Thôn"],  # row 3: unknown code
            ["01273", "", "", "Thôn"],  # row 4: no name
            ["01273", "", "Pác Bó", "Lâu đài"],  # row 5: bad type
            ["01273", "", "nà rị", "Thôn"],  # row 6: same as row 2
            ["", "Xã Không Có", "Cốc Lùng", "Thôn"],  # row 7: unknown commune name
        ],
    )
    found = {(e.row, e.field) for e in report.errors}
    assert found == {(3, "commune_code"), (4, "name"), (5, "kind"), (6, "name"), (7, "commune")}
    assert "dòng 2" in next(e.reason for e in report.errors if e.row == 6)


def test_a_file_with_any_error_writes_nothing():
    VillageFactory(commune_id="01273", name="Đã Có")
    before = list(Village.objects.values_list("id", "name"))
    events = ChangeEvent.objects.count()
    report = _import(
        province_admin("04"), [["01273", "", "Nà Rị", "Thôn"], ["99999", "", "X", "Thôn"]]
    )
    assert not report.written
    assert list(Village.objects.values_list("id", "name")) == before
    assert ChangeEvent.objects.count() == events


def test_commune_outside_the_users_area_is_reported_as_such():
    report = _import(commune_officer("01273"), [["07210", "", "Nà Rị", "Thôn"]])
    assert [(e.row, e.field, e.reason) for e in report.errors] == [
        (2, "commune_code", "xã ngoài địa bàn của bạn")
    ]


def test_missing_columns_are_reported_before_any_row():
    report = _import(province_admin("04"), [["Nà Rị"]], header=("Tên thôn",))
    assert report.errors[0].row == 0
    assert "Mã xã" in report.errors[0].reason or "commune" in report.errors[0].reason


def test_xlsx_files_are_read_like_csv():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã xã", "Tên thôn", "Loại"])
    sheet.append([1273, "Nà Rị", "Thôn"])  # Excel turned the code into a number
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    report = villages_import(actor=province_admin("04"), filename="thon.xlsx", stream=stream)
    assert (report.errors, report.created) == ([], 1)


def test_a_batch_import_writes_one_audit_entry_with_counts():
    _import(province_admin("04"), [["01273", "", "Nà Rị", "Thôn"], ["01273", "", "Bó Mạ", "Bản"]])
    event = ChangeEvent.objects.get(action="batch", object_type="geo.village")
    assert event.counts == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0}
