"""The teams' progress as an Excel workbook: one sheet by area, one by skill."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from langso.teams.progress import MOVED, Row

GROUP_TITLES = {"commune": "Xã / phường", "village": "Thôn", "member": "Thành viên tổ"}
MOVED_TITLES = {
    "has_smartphone": "Có điện thoại thông minh",
    "uses_internet": "Dùng Internet",
    "vneid_level": "VNeID mức 2",
    "pays_cashless": "Thanh toán không tiền mặt",
    "uses_online_public_services": "Dịch vụ công trực tuyến",
}


def progress_workbook(
    rows: list[Row],
    total: Row,
    skills: list[tuple[str, int, int]],
    *,
    group: str,
    start: dt.date,
    end: dt.date,
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Kết quả"
    sheet.append([f"Kết quả hỗ trợ của tổ công nghệ số cộng đồng, {start:%d/%m/%Y}–{end:%d/%m/%Y}"])
    sheet["A1"].font = Font(bold=True)
    by_area = group != "member"
    headers = [GROUP_TITLES[group]]
    if by_area:
        headers += ["Số hộ", "Hộ đã đến", "Tỷ lệ hộ đã đến (%)"]
    headers += ["Lần đến hộ", "Kỹ năng đã hướng dẫn", "Kỹ năng tự làm được"]
    if by_area:
        headers += [f"Hộ mới có: {MOVED_TITLES[name]}" for name in MOVED]
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in [*rows, total]:
        values: list = [row.name]
        if by_area:
            share = round(100 * row.reached_share, 1) if row.reached_share is not None else None
            values += [row.households, row.reached, share]
        values += [row.visits, row.taught, row.mastered]
        if by_area:
            values += [row.moved.get(name, 0) for name in MOVED]
        sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    by_skill = book.create_sheet("Kỹ năng")
    by_skill.append(["Kỹ năng", "Đã hướng dẫn", "Tự làm được"])
    for cell in by_skill[1]:
        cell.font = Font(bold=True)
    for title, taught, mastered in skills:
        by_skill.append([title, taught, mastered])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
