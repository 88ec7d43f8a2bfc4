"""Deprivations per indicator, groups, the movement per commune, and the XLSX of the summary
forms, checked cell by cell."""

import io

import pytest
from python_calamine import CalamineWorkbook

from langso.poverty.models import Assessment
from langso.poverty.queries import deprivations, groups, movement_by_commune
from tests.factories.accounts import analyst, province_admin
from tests.factories.geo import VillageFactory
from tests.factories.registry import household
from tests.factories.sessions import signed_in

pytestmark = pytest.mark.django_db


def _assess(h, year, klass, vector="N" * 12, members=3, **flags):
    return Assessment.objects.create(
        household=h, review_year=year, standard="nd07-2021", standard_version="x",
        as_of="2025-09-01", commune_id=h.commune_id, village_id=h.village_id,
        area_type="rural", member_count=members, income_method="declared",
        indicators=vector, deprived_count=vector.count("D"), unknown_count=vector.count("U"),
        poverty_class=klass, **flags,
    )  # fmt: skip


@pytest.fixture
def places():
    return VillageFactory(commune_id="01273", name="Nà Rị"), VillageFactory(
        commune_id="01279", name="Bản Giới"
    )


def test_deprivations_count_households_per_indicator_and_rate_them_per_class(places):
    here, _ = places
    _assess(household(here), 2026, "poor", "DDDN" + "N" * 6 + "DU")
    _assess(household(here), 2026, "poor", "DNNN" + "N" * 8)
    _assess(household(here), 2026, "near_poor", "N" * 11 + "D")
    _assess(household(here), 2026, "above", "D" * 12)  # not counted: above the lines
    poor, near = deprivations(analyst("04"), 2026)
    assert (poor["households"], poor["deprivations"]) == (2, 5)
    assert [i["count"] for i in poor["indicators"]] == [2, 1, 1] + [0] * 7 + [1, 0]
    assert poor["indicators"][0]["rate"] == 100.0
    assert poor["indicators"][1]["rate"] == 50.0
    assert [i["count"] for i in near["indicators"]][-1] == 1


def test_groups_count_each_flag_none_of_them_and_unknown_flags(places):
    here, _ = places
    known = {"no_working_capacity": False, "is_person_of_merit": False}
    _assess(household(here), 2026, "poor", is_ethnic_minority=True, no_working_capacity=True)
    _assess(household(here), 2026, "poor", is_person_of_merit=True)
    _assess(household(here), 2026, "poor", **known)
    _assess(household(here), 2026, "poor", no_working_capacity=None)
    _assess(household(here), 2026, "near_poor", is_ethnic_minority=True)
    poor, near = groups(analyst("04"), 2026)
    keys = ("total", "minority", "no_working_capacity", "merit", "other", "unknown")
    assert [poor[k] for k in keys] == [4, 1, 1, 1, 1, 1]
    assert (near["total"], near["minority"], near["other"], near["unknown"]) == (1, 1, 0, 0)


def test_the_movement_per_commune_balances_and_sums_to_the_area(places):
    here, there = places
    a, b, c = household(here), household(here), household(there)
    _assess(a, 2025, "poor")
    _assess(a, 2026, "near_poor")
    _assess(b, 2025, "poor")
    _assess(b, 2026, "poor")
    _assess(c, 2026, "poor")
    rows = movement_by_commune(analyst("04"), 2025, 2026)
    (_, m1), (_, m2), (_, total) = rows
    assert (m1.start, m1.to_near_poor, m1.end, m1.balanced) == (2, 1, 1, True)
    assert (m2.start, m2.other_increase, m2.end) == (0, 1, 1)
    assert (total.start, total.end, total.balanced) == (2, 2, True)


def test_the_report_workbook_follows_the_summary_forms_cell_by_cell(places):
    here, there = places
    for klass, members in (("poor", 4), ("near_poor", 2), ("above", 5)):
        h = household(here)
        _assess(h, 2025, "poor", members=members)
        _assess(h, 2026, klass, "DD" + "N" * 10 if klass == "poor" else "N" * 12, members)
    _assess(household(there), 2026, "poor", "D" + "N" * 11, members=3, is_ethnic_minority=True)
    response = signed_in(province_admin("04")).get(
        "/poverty/reports/xlsx/", {"year": 2026, "compare": 2025}
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == [
        "Kết quả",
        "Diễn biến",
        "Diễn biến cận nghèo",
        "Thiếu hụt",
        "Nhóm",
        "Dân tộc",
        "Trẻ em",
    ]
    near = book.get_sheet_by_name("Diễn biến cận nghèo").to_python()
    header = next(i for i, row in enumerate(near) if row[0] == "STT")
    # the three households were poor in 2025: one became near-poor (column 5), end 1
    assert near[header + 3][2:11] == [0, 0, 0, 0, 1, 0, 0, 0, 1]

    results = book.get_sheet_by_name("Kết quả").to_python()
    header = next(i for i, row in enumerate(results) if row[0] == "STT")
    assert results[header][2:6] == [
        "1. Tổng số hộ",
        "2. Tổng số người",
        "3. Hộ nghèo",
        "4. Tỷ lệ hộ nghèo (%) = 3/1×100",
    ]
    first, second, total = results[header + 1 : header + 4]
    # households, persons, poor, %, near-poor, %; 7-8 empty; poor persons, %, near-poor persons, %
    assert first[2:8] == [3, 11, 1, 33.33, 1, 33.33]
    assert first[8:10] == ["", ""]
    assert first[10:14] == [4, 36.36, 2, 18.18]
    assert second[2:6] == [1, 3, 1, 100.0]
    assert total[1:6] == ["Tổng", 4, 14, 2, 50.0]  # from the summed counts, not averaged

    movement = book.get_sheet_by_name("Diễn biến").to_python()
    header = next(i for i, row in enumerate(movement) if row[0] == "STT")
    assert movement[header + 1][2:11] == [3, 1, 1, 0, 0, 0, 0, 0, 1]
    assert movement[header + 3][2:11] == [3, 1, 1, 0, 0, 0, 0, 1, 2]

    deprived = book.get_sheet_by_name("Thiếu hụt").to_python()
    header = next(i for i, row in enumerate(deprived) if row[1] == "Tổng số hộ")
    poor_counts, near_counts, poor_rates = deprived[header + 1 : header + 4]
    assert poor_counts[1:5] == [2, 3, 2, 1]
    assert near_counts[1:3] == [1, 0]
    assert poor_rates[3:5] == [100.0, 50.0]

    ethnic = book.get_sheet_by_name("Dân tộc").to_python()
    header = next(i for i, row in enumerate(ethnic) if row[0] == "Dân tộc")
    assert ethnic[header + 1 : header + 4] == [
        ["Kinh", 0, 0],
        ["Dân tộc thiểu số", 2, 1],
        ["Tày", 2, 1],
    ]

    grouped = book.get_sheet_by_name("Nhóm").to_python()
    header = next(i for i, row in enumerate(grouped) if row[1] == "1. Tổng số")
    assert grouped[header + 1][1:7] == [2, 1, 0, 0, 0, 1]  # flags not recorded: unknown


def _named(user, year=2026, klass="poor"):
    from langso.poverty import named_list

    table = named_list.build(user, year, klass)
    return table.headers, list(table.rows), table.sensitive_fields


def test_the_named_list_has_one_row_per_member_head_first_and_the_households_history(places):
    here, _ = places
    old, back, new = household(here), household(here), household(here)
    _assess(old, 2025, "poor")
    _assess(old, 2026, "poor")
    _assess(back, 2024, "poor")
    _assess(back, 2025, "above")
    _assess(back, 2026, "poor")
    _assess(new, 2026, "poor", is_person_of_merit=True)
    headers, rows, _ = _named(analyst("04"))
    column = {name: i for i, name in enumerate(headers)}
    heads = [r for r in rows if r[column["STT"]] != ""]
    assert len(rows) == 9  # three households of three members
    assert [r[column["Họ và tên"]] for r in heads] == ["Nông Văn Dũng"] * 3
    assert [r[column["Diễn biến"]] for r in heads] == [
        "Cũ (năm trước cũng là hộ nghèo)",
        "Tái nghèo",
        "Phát sinh mới",
    ]
    assert [r[column["Hộ có người có công"]] for r in heads] == ["", "", "x"]
    assert (rows[1][column["Năm sinh (nam)"]], rows[1][column["Năm sinh (nữ)"]]) == ("", 1984)


def test_the_named_list_shows_ethnicity_only_to_those_who_may_see_it(places):
    from tests.factories.accounts import commune_officer

    here, _ = places
    _assess(household(here), 2026, "poor")
    headers, rows, _ = _named(analyst("04"))
    assert "Dân tộc" not in headers
    headers, rows, sensitive = _named(commune_officer("01273"))
    assert rows[0][headers.index("Dân tộc")] == "Tày"
    assert sensitive == ("ethnicity",)


def test_the_named_list_page_writes_the_workbook_in_a_job_and_logs_the_read(
    places, django_capture_on_commit_callbacks
):
    from langso.audit.models import Action, ChangeEvent
    from langso.jobs.models import Job
    from tests.factories.accounts import commune_officer

    here, _ = places
    listed = household(here)
    _assess(listed, 2026, "near_poor")
    officer = commune_officer("01273")
    client = signed_in(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/poverty/reports/list/", {"year": 2026, "class": "near_poor"})
    job = Job.objects.get(kind="poverty.named_list")
    assert job.status == "succeeded", job.error
    download = client.get(f"/jobs/{job.pk}/download/")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(download.streaming_content)))
    rows = sheet.get_sheet_by_index(0).to_python()
    assert rows[1][1:5] == [listed.code, "Phường Thục Phán", "Nà Rị", "Nông Văn Dũng"]
    assert ChangeEvent.objects.filter(action=Action.READ, actor=officer).exists()


def test_households_by_the_heads_ethnicity_with_the_minority_total(places):
    from langso.registry.records import MemberRecord

    here, _ = places
    kinh = household(here, MemberRecord("Lê Văn A", "male", 1980, "head", ethnicity="01"))
    tay = household(here)  # head Nông Văn Dũng, Tày
    mong = household(here, MemberRecord("Giàng A Páo", "male", 1975, "head", ethnicity="Mông"))
    _assess(kinh, 2026, "poor")
    _assess(tay, 2026, "poor")
    _assess(mong, 2026, "near_poor")
    from langso.poverty.queries import by_ethnicity

    rows = {r["name"]: (r["poor"], r["near_poor"]) for r in by_ethnicity(analyst("04"), 2026)}
    assert rows["Kinh"] == (1, 0)
    assert rows["Dân tộc thiểu số"] == (1, 1)
    assert rows["Tày"] == (1, 0)
    assert rows["H'Mông"] == (0, 1)


def test_children_of_poor_households_and_their_deprivations(places):
    import datetime as dt

    from langso.poverty.queries import children
    from langso.registry.records import MemberRecord

    here, _ = places
    h = household(
        here,
        MemberRecord("Nông Văn Dũng", "male", 1980, "head", ethnicity="02"),
        MemberRecord(
            "Nông Thị Na", "female", 2016, "child",
            facts={"in_school": False, "has_health_insurance": False, "undernourished": True},
        ),
        MemberRecord("Nông Văn Bé", "male", 2023, "child", birth_date=dt.date(2023, 1, 2)),
        MemberRecord("Nông Văn Lớn", "male", 2008, "child", facts={"in_school": False}),
    )  # fmt: skip
    _assess(h, 2026, "poor")
    poor, near = children(analyst("04"), 2026)
    # 2016 and 2023 are under 16 on 1 September 2025; 2008 is 17
    assert [poor[k] for k in ("children", "undernourished", "no_insurance", "not_in_school")] == [
        2,
        1,
        1,
        1,
    ]
    assert near["children"] == 0


def test_ethnicity_and_children_tables_are_only_for_who_may_see_sensitive_data(places):
    here, _ = places
    _assess(household(here), 2026, "poor")
    page = signed_in(analyst("04")).get("/poverty/reports/", {"year": 2026}).content.decode()
    assert 'data-testid="ethnicity"' not in page
    assert 'data-testid="children"' not in page
    book = CalamineWorkbook.from_filelike(
        io.BytesIO(signed_in(analyst("04")).get("/poverty/reports/xlsx/", {"year": 2026}).content)
    )
    assert "Dân tộc" not in book.sheet_names


def test_a_household_that_moved_leaves_one_commune_and_joins_the_other(places):
    here, there = places
    moved = household(here)
    _assess(moved, 2025, "poor")
    moved.commune_id, moved.village = there.commune_id, there
    moved.save()
    _assess(moved, 2026, "poor")
    (_, left), (_, joined), (_, total) = movement_by_commune(analyst("04"), 2025, 2026)
    assert (left.start, left.other_decrease, left.end) == (1, 1, 0)
    assert (joined.other_increase, joined.end) == (1, 1)
    assert (total.start, total.other_decrease, total.other_increase, total.end) == (1, 1, 1, 1)
    assert total.balanced
