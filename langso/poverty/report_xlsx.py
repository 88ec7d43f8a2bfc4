"""The poverty reports as an XLSX workbook, one sheet per summary form of the review
(research/domain-vn.md §3.4, reconstructed column structures of TT 07/2021 as amended by
TT 02/2022; the official form numbers are not confirmed):

- "Kết quả": households and persons, poor and near-poor, counts and % (columns 1–14);
- "Diễn biến": the movement of poor households between two years (columns 1–9);
- "Diễn biến cận nghèo": the same for near-poor households (columns by analogy: unconfirmed);
- "Thiếu hụt": deprivations per indicator of poor and near-poor households, counts then %;
- "Nhóm": poor and near-poor households by group;
- "Dân tộc": by the head's ethnicity (Kinh, ethnic minorities, each group found);
- "Trẻ em": children of poor and near-poor households and their deprivations.

Every rate is computed from the counts on its own row. Middle-income households of agriculture,
forestry, fishery and salt (NLNDN, columns 7–8 and 13–14 of the results form) are identified from
their actual income of the last 12 months, which langso does not collect: those columns are left
empty and say so.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _rate(part: int | None, whole: int | None) -> float | None:
    return round(100 * part / whole, 2) if part is not None and whole else None


def _head(ws, title: str, lines: list[str], columns: list[str]) -> None:
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    for line in lines:
        ws.append([line])
    ws.append([])
    ws.append(columns)
    for cell in ws[ws.max_row]:
        cell.font = BOLD
        cell.alignment = WRAP


def results_sheet(ws, rows: list[dict[str, Any]], lines: list[str]) -> None:
    _head(
        ws,
        "KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO",
        [
            *lines,
            "Cột 7, 8, 13, 14 (hộ làm nông, lâm, ngư nghiệp và diêm nghiệp có mức sống "
            "trung bình): chưa thu thập thu nhập thực tế 12 tháng nên để trống.",
        ],
        [
            "STT",
            "Đơn vị",
            "1. Tổng số hộ",
            "2. Tổng số người",
            "3. Hộ nghèo",
            "4. Tỷ lệ hộ nghèo (%) = 3/1×100",
            "5. Hộ cận nghèo",
            "6. Tỷ lệ hộ cận nghèo (%) = 5/1×100",
            "7. Hộ NLNDN có mức sống trung bình",
            "8. Tỷ lệ (%) = 7/1×100",
            "9. Người nghèo",
            "10. Tỷ lệ (%) = 9/2×100",
            "11. Người cận nghèo",
            "12. Tỷ lệ (%) = 11/2×100",
            "13. Người NLNDN có mức sống trung bình",
            "14. Tỷ lệ (%) = 13/2×100",
        ],
    )
    for number, r in enumerate(rows, 1):
        last = number == len(rows)
        ws.append(
            [
                "" if last else number,
                ("Tổng" if last else r["name"]) + (" ≈" if r.get("approximate") else ""),
                r["households"],
                r["persons"],
                r["poor"],
                _rate(r["poor"], r["households"]),
                r["near_poor"],
                _rate(r["near_poor"], r["households"]),
                None,
                None,
                r["poor_persons"],
                _rate(r["poor_persons"], r["persons"]),
                r["near_poor_persons"],
                _rate(r["near_poor_persons"], r["persons"]),
                None,
                None,
            ]
        )
        if last:
            for cell in ws[ws.max_row]:
                cell.font = BOLD


MOVEMENT_COLUMNS = [
    "1. Hộ nghèo đầu kỳ",
    "2. Thoát nghèo, thành hộ cận nghèo",
    "3. Thoát nghèo, vượt chuẩn cận nghèo",
    "4. Giảm khác",
    "5. Hộ cận nghèo thành hộ nghèo",
    "6. Tái nghèo",
    "7. Nghèo phát sinh mới",
    "8. Tăng khác",
    "9. Hộ nghèo cuối kỳ = 1−2−3−4+5+6+7+8",
]


NEAR_POOR_MOVEMENT_COLUMNS = [
    "1. Hộ cận nghèo đầu kỳ",
    "2. Hộ cận nghèo thành hộ nghèo",
    "3. Thoát cận nghèo",
    "4. Giảm khác",
    "5. Hộ nghèo thành hộ cận nghèo",
    "6. Tái cận nghèo",
    "7. Cận nghèo phát sinh mới",
    "8. Tăng khác",
    "9. Hộ cận nghèo cuối kỳ = 1−2−3−4+5+6+7+8",
]


def movement_sheet(
    ws, rows: list[tuple[str, Any]], lines: list[str], near_poor: bool = False
) -> None:
    """``rows``: (unit name, Movement), the total last."""
    if near_poor:
        title, columns = "DIỄN BIẾN HỘ CẬN NGHÈO", NEAR_POOR_MOVEMENT_COLUMNS
        lines = [*lines, "Cột của biểu diễn biến hộ cận nghèo: chưa đối chiếu với văn bản gốc."]
    else:
        title, columns = "DIỄN BIẾN HỘ NGHÈO", MOVEMENT_COLUMNS
    _head(ws, title, lines, ["STT", "Đơn vị", *columns])
    for number, (name, m) in enumerate(rows, 1):
        last = number == len(rows)
        ws.append(["" if last else number, "Tổng" if last else name, *m.columns()])


def deprivation_sheet(ws, tables: list[dict[str, Any]], lines: list[str]) -> None:
    names = [i["name"] for i in tables[0]["indicators"]] if tables else []
    _head(
        ws,
        "THIẾU HỤT CÁC DỊCH VỤ XÃ HỘI CƠ BẢN CỦA HỘ NGHÈO, HỘ CẬN NGHÈO",
        lines,
        ["", "Tổng số hộ", "Tổng số lượt thiếu hụt", *names],
    )
    for t in tables:
        ws.append(
            [f"{t['label']}: số hộ", t["households"], t["deprivations"]]
            + [i["count"] for i in t["indicators"]]
        )
    for t in tables:
        ws.append(
            [f"{t['label']}: tỷ lệ (%)", None, None]
            + [_rate(i["count"], t["households"]) for i in t["indicators"]]
        )


def groups_sheet(ws, tables: list[dict[str, Any]], lines: list[str]) -> None:
    _head(
        ws,
        "HỘ NGHÈO, HỘ CẬN NGHÈO THEO NHÓM ĐỐI TƯỢNG",
        [
            *lines,
            "Một hộ có thể thuộc nhiều nhóm; cột 5: hộ không thuộc nhóm nào; cột 6: hộ chưa ghi "
            "nhận đủ (không thuộc nhóm đã biết nhưng thiếu thông tin).",
        ],
        [
            "",
            "1. Tổng số",
            "2. Hộ dân tộc thiểu số",
            "3. Hộ không có khả năng lao động",
            "4. Hộ có người có công",
            "5. Hộ khác",
            "6. Chưa rõ",
        ],
    )
    for t in tables:
        keys = ("total", "minority", "no_working_capacity", "merit", "other", "unknown")
        ws.append([str(t["label"]), *(t[k] for k in keys)])


def ethnicity_sheet(ws, rows: list[dict[str, Any]], lines: list[str]) -> None:
    _head(
        ws,
        "HỘ NGHÈO, HỘ CẬN NGHÈO THEO DÂN TỘC (DÂN TỘC CỦA CHỦ HỘ)",
        lines,
        ["Dân tộc", "Hộ nghèo", "Hộ cận nghèo"],
    )
    for r in rows:
        ws.append([r["name"], r["poor"], r["near_poor"]])


def children_sheet(ws, rows: list[dict[str, Any]], lines: list[str]) -> None:
    _head(
        ws,
        "TRẺ EM DƯỚI 16 TUỔI THIẾU HỤT TRONG HỘ NGHÈO, HỘ CẬN NGHÈO",
        [
            *lines,
            "Tuổi tính theo năm sinh tại ngày 1/9 năm trước năm rà soát; không tính "
            "thông tin chưa rõ.",
        ],
        [
            "",
            "1. Số trẻ em",
            "2. Suy dinh dưỡng",
            "3. Từ 6 tuổi không có bảo hiểm y tế",
            "4. Từ 3 tuổi không đi học hoặc học không đúng cấp",
        ],
    )
    for r in rows:
        keys = ("children", "undernourished", "no_insurance", "not_in_school")
        ws.append([str(r["label"]), *(r[k] for k in keys)])


def workbook(
    *,
    lines: list[str],
    results: list[dict[str, Any]],
    movement: list[tuple[str, Any]] | None,
    near_poor_movement: list[tuple[str, Any]] | None = None,
    deprivations: list[dict[str, Any]],
    groups: list[dict[str, Any]],
    ethnicity: list[dict[str, Any]] | None = None,
    children: list[dict[str, Any]] | None = None,
) -> bytes:
    wb = Workbook()
    results_sheet(wb.active, results, lines)
    wb.active.title = "Kết quả"
    if movement:
        movement_sheet(wb.create_sheet("Diễn biến"), movement, lines)
    if near_poor_movement:
        movement_sheet(
            wb.create_sheet("Diễn biến cận nghèo"), near_poor_movement, lines, near_poor=True
        )
    if deprivations:
        deprivation_sheet(wb.create_sheet("Thiếu hụt"), deprivations, lines)
    if groups:
        groups_sheet(wb.create_sheet("Nhóm"), groups, lines)
    if ethnicity is not None:
        ethnicity_sheet(wb.create_sheet("Dân tộc"), ethnicity, lines)
    if children is not None:
        children_sheet(wb.create_sheet("Trẻ em"), children, lines)
    for ws in wb.worksheets:
        ws.column_dimensions["B"].width = 28
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
