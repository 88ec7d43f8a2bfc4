import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from langso.audit.models import ChangeEvent
from langso.registry.import_format import HEADERS
from langso.registry.importer import households_import
from langso.registry.models import Household, Member
from tests.factories.accounts import analyst, commune_officer
from tests.factories.geo import VillageFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)
COLUMNS = [
    "household_code",
    "commune_code",
    "village",
    "wall",
    "floor_area_m2",
    "water_source",
    "income_per_person",
    "full_name",
    "sex",
    "birth_year",
    "birth_date",
    "ethnicity",
    "relationship",
    "id_number",
    "has_health_insurance",
    "work_status",
]


def _row(**kw):
    base = {
        "commune_code": "01273",
        "village": "Nà Rị",
        "full_name": "Nông Văn Dũng",
        "sex": "Nam",
        "birth_year": "1980",
        "ethnicity": "Tày",
        "relationship": "Chủ hộ",
    }
    return base | kw


def _household(code, head_name="Nông Văn Dũng", head_id="004080012345", **head):
    return [
        _row(
            household_code=code,
            full_name=head_name,
            id_number=head_id,
            wall="Bền chắc",
            floor_area_m2="45,5",
            water_source="Giếng khoan",
            income_per_person="1.400.000",
            has_health_insurance="Có",
            work_status="Tự làm (nông nghiệp, buôn bán…)",
            **head,
        ),
        _row(
            full_name="Hoàng Thị Lan",
            sex="Nữ",
            birth_year="1984",
            ethnicity="Nùng",
            relationship="Vợ",
        ),
        _row(full_name="Nông Văn An", birth_year="", birth_date="04/05/2012", relationship="Con"),
    ]


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([HEADERS[c] for c in COLUMNS])
    for r in rows:
        writer.writerow([r.get(c, "") for c in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def _import(user, data: bytes, name="ho.csv", **kw):
    return households_import(
        actor=user, filename=name, open_stream=lambda: io.BytesIO(data), today=TODAY, **kw
    )


@pytest.fixture
def officer():
    VillageFactory(commune_id="01273", name="Nà Rị")
    return commune_officer("01273")


def test_a_clean_file_creates_households_and_members(officer):
    report = _import(
        officer, _csv(_household("H1") + _household("H2", "Lý Văn Tư", "004080012346"))
    )
    assert (report.errors, report.created, report.households, report.members) == ([], 2, 2, 6)
    household = Household.objects.get(code="H1")
    assert (
        household.wall,
        float(household.floor_area_m2),
        household.water_source,
        household.income_per_person,
    ) == ("durable", 45.5, "drilled_well", 1_400_000)
    child = household.members.get(relationship="child")
    assert (child.birth_date, child.birth_year) == (dt.date(2012, 5, 4), 2012)
    head = household.members.get(relationship="head")
    assert (head.ethnicity, head.has_health_insurance, head.work_status) == (
        "02",
        True,
        "self_employed",
    )


def test_the_same_file_twice_creates_nothing_new(officer):
    data = _csv(_household("H1"))
    _import(officer, data)
    second = _import(officer, data)
    assert (second.created, second.updated) == (0, 1)
    assert (Household.objects.count(), Member.objects.count()) == (1, 3)


def test_households_without_a_code_are_matched_by_the_heads_id_number(officer):
    rows = _household("")
    rows[0]["household_code"] = ""
    _import(officer, _csv(rows))
    report = _import(officer, _csv(rows))
    assert (report.created, report.updated, Household.objects.count()) == (0, 1, 1)
    assert Household.objects.get().code == "01273-000001"


def test_errors_name_the_row_the_column_and_the_reason(officer):
    rows = _household("H1") + _household("H2", "Lý Văn Tư", "004080012346")
    rows[1]["sex"] = "Khác"  # row 3
    rows[3]["village"] = "Thôn Lạ"  # row 5: first row of H2
    rows[5]["birth_date"] = "31/02/2012"  # row 7
    report = _import(officer, _csv(rows))
    found = {(e.row, e.column) for e in report.errors}
    assert {(3, "Giới tính"), (5, "Thôn"), (7, "Ngày sinh")} <= found
    assert next(e for e in report.errors if e.row == 5).reason == "xã không có thôn này"


def test_a_file_with_errors_writes_nothing(officer):
    rows = _household("H1") + _household("H2", "Lý Văn Tư", "004080012346")
    rows[3]["id_number"] = "123"
    events = ChangeEvent.objects.count()
    report = _import(officer, _csv(rows))
    assert not report.written
    assert (Household.objects.count(), Member.objects.count()) == (0, 0)
    assert ChangeEvent.objects.count() == events


def test_valid_only_imports_the_good_households_and_skips_the_bad(officer):
    rows = _household("H1") + _household("H2", "Lý Văn Tư", "004080012346")
    rows[3]["id_number"] = "123"
    report = _import(officer, _csv(rows), valid_only=True)
    assert (report.created, report.skipped, report.written) == (1, 1, True)
    assert list(Household.objects.values_list("code", flat=True)) == ["H1"]


def test_the_same_id_number_in_two_households_is_reported(officer):
    rows = _household("H1") + _household("H2", "Lý Văn Tư", "004080012345")
    report = _import(officer, _csv(rows))
    assert any(e.column == "Số CCCD" and "trùng" in e.reason for e in report.errors)


def test_a_commune_outside_the_area_is_reported(officer):
    rows = _household("H1")
    rows[0]["commune_code"] = "07210"
    report = _import(officer, _csv(rows))
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "Mã xã", "xã ngoài địa bàn của bạn")
    ]


def test_xlsx_files_import_like_csv(officer):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([HEADERS[c] for c in COLUMNS])
    for r in _household("H1"):
        sheet.append([r.get(c, "") for c in COLUMNS])
    stream = io.BytesIO()
    book.save(stream)
    report = _import(officer, stream.getvalue(), name="ho.xlsx")
    assert (report.errors, report.created) == ([], 1)


def test_the_import_writes_one_batch_audit_entry_in_the_commune(officer):
    _import(officer, _csv(_household("H1")))
    event = ChangeEvent.objects.get(object_type="registry.household", action="batch")
    assert (event.counts["created"], event.commune_code) == (1, "01273")


def test_read_only_roles_cannot_import():
    with pytest.raises(PermissionDenied):
        _import(analyst("04"), _csv(_household("H1")))


def test_the_cli_imports_through_a_job_and_prints_the_counts(officer, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "ho.csv"
    path.write_bytes(_csv(_household("H1")))
    out = io.StringIO()
    call_command("import_households", str(path), "--as", officer.username, stdout=out)
    assert "1 created, 0 updated, 0 skipped (1 households, 3 people)" in out.getvalue()


def test_the_cli_lists_bad_rows_and_fails(officer, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    rows = _household("H1")
    rows[1]["sex"] = "Khác"
    path = tmp_path / "ho.csv"
    path.write_bytes(_csv(rows))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_households",
            str(path),
            "--as",
            officer.username,
            stderr=err,
            stdout=io.StringIO(),
        )
    assert "ho.csv: row 3, Giới tính: không có trong danh mục (Khác)" in err.getvalue()


def test_reimporting_changed_values_updates_the_stored_household_and_members(officer):
    rows = _household("H1")
    _import(officer, _csv(rows))
    rows[0]["income_per_person"] = "2.100.000"
    rows[0]["floor_area_m2"] = "52,3"
    rows[1]["has_health_insurance"] = "Có"
    rows.append(_row(full_name="Nông Thị Hoa", sex="Nữ", birth_year="2019", relationship="Con"))
    report = _import(officer, _csv(rows))
    household = Household.objects.get(code="H1")
    assert (report.created, report.updated) == (0, 1)
    assert (household.income_per_person, str(household.floor_area_m2)) == (2_100_000, "52.3")
    assert household.members.get(full_name="Hoàng Thị Lan").has_health_insurance is True
    assert household.member_count == 4


def test_a_non_numeric_floor_area_is_reported(officer):
    rows = _household("H1")
    rows[0]["floor_area_m2"] = "rộng"
    report = _import(officer, _csv(rows))
    assert [(e.row, e.column) for e in report.errors] == [(2, "Diện tích nhà (m2)")]


def test_the_same_unreadable_member_facts_are_reported_on_every_row(officer):
    """A member's facts are read once per combination of texts: each row still gets its error."""
    rows = _household("H1") + _household("H2", "Lý Văn Tư", "004080012346")
    for i in (0, 3):  # rows 2 and 5: the same texts
        rows[i]["has_health_insurance"] = "Chắc có"
        rows[i]["work_status"] = "Làm thuê"
    report = _import(officer, _csv(rows))
    assert [(e.row, e.column, e.value) for e in report.errors] == [
        (2, "Việc làm", "Làm thuê"),
        (2, "Có BHYT", "Chắc có"),
        (5, "Việc làm", "Làm thuê"),
        (5, "Có BHYT", "Chắc có"),
    ]


def test_a_member_added_on_reimport_keeps_the_birth_date(officer):
    rows = _household("H1")
    _import(officer, _csv(rows))
    rows.append(
        _row(
            full_name="Nông Thị Hoa",
            sex="Nữ",
            birth_year="",
            birth_date="09/10/2019",
            relationship="Con",
        )
    )
    report = _import(officer, _csv(rows))
    assert (report.errors, report.updated) == ([], 1)
    added = Household.objects.get(code="H1").members.get(full_name="Nông Thị Hoa")
    assert (added.birth_date, added.birth_year) == (dt.date(2019, 10, 9), 2019)


def test_imported_people_are_found_by_a_name_search(officer):
    from langso.registry.name_search import NameListing

    _import(officer, _csv(_household("H1")))
    assert [h.code for h in NameListing("dung", ["01273"])[:10]] == ["H1"]
