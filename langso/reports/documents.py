"""Report files: the builder's table as XLSX, pages as PDF (WeasyPrint, Noto fonts for the
Vietnamese letters) and a PDF's first page as PNG (PDFium), for sharing on Zalo or a slide."""

from __future__ import annotations

import io
from collections.abc import Sequence

from langso.reports import builder, indicators

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {
    "percent": "0.00",
    "count": "#,##0",
    "per_100_people": "0.0",
    "per_commune": "0.0",
    "ratio": "0.00",
}
LEVEL_HEADERS = {
    "province": ("Mã tỉnh", "Tỉnh / thành phố", ""),
    "commune": ("Mã xã", "Xã / phường / đặc khu", "Tỉnh / thành phố"),
    "village": ("Mã thôn (hệ thống)", "Thôn / bản / tổ dân phố", "Xã / phường"),
}


def xlsx(table: builder.Table, heading: Sequence[str], catalogue: indicators.Catalogue) -> bytes:
    """The table as a workbook: a sheet with ``heading`` lines (title, area, boundary basis…),
    the column headers, one row per unit and the area's total; a sheet defining each
    indicator (formula, unit, source, whether its definition is confirmed)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Báo cáo")
    bold = Font(bold=True)
    for line in heading:
        sheet.append([line])
    sheet.append([])
    code, name, parent = LEVEL_HEADERS[table.level]
    headers = [code, name] + ([parent] if parent else [])
    headers += [f"{c.indicator.name_vi} ({_unit(c.indicator)}) {c.year}" for c in table.columns]
    row = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        row.append(cell)
    sheet.append(row)

    def values(cells: tuple[float | None, ...]) -> list:
        out = []
        for column, v in zip(table.columns, cells, strict=True):
            cell = WriteOnlyCell(sheet, value=_rounded(column.indicator, v))
            cell.number_format = NUMBER_FORMATS[column.indicator.unit]
            out.append(cell)
        return out

    for unit, cells in table.rows:
        lead = [unit.key, unit.name] + ([unit.parent] if parent else [])
        sheet.append(lead + values(cells))
    total = WriteOnlyCell(sheet, value="Toàn địa bàn")
    total.font = bold
    sheet.append(["", total] + ([""] if parent else []) + values(table.total))

    defined = book.create_sheet("Định nghĩa chỉ tiêu")
    defined.append(
        [
            *("Mã", "Chỉ tiêu", "Indicator", "Đơn vị", "Tử số", "Mẫu số", "Định nghĩa"),
            *("Nguồn", "Đã xác nhận", "Dữ liệu nhạy cảm"),
        ]
    )
    seen = set()
    for column in table.columns:
        i = column.indicator
        if i.code in seen:
            continue
        seen.add(i.code)
        defined.append(
            [
                i.code,
                i.name_vi,
                i.name_en,
                _unit(i),
                f"{i.numerator}: {indicators.MEASURES[i.numerator]}",
                f"{i.denominator}: {indicators.MEASURES[i.denominator]}" if i.denominator else "",
                i.definition,
                i.source_url,
                "có" if i.confirmed else "chưa",
                "có" if i.sensitive else "không",
            ]
        )
    defined.append([])
    defined.append([f"Danh mục chỉ tiêu phiên bản {catalogue.version}", catalogue.source])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


UNIT_NAMES = {
    "percent": "%",
    "count": "số",
    "per_100_people": "trên 100 dân",
    "per_commune": "bình quân mỗi xã",
    "ratio": "tỷ số",
}


def _unit(indicator: indicators.Indicator) -> str:
    return UNIT_NAMES[indicator.unit]


def _rounded(indicator: indicators.Indicator, v: float | None) -> float | None:
    return None if v is None else round(v, indicators.DECIMALS[indicator.unit])


def pdf(html: str, base_url: str | None = None) -> bytes:
    """An HTML page (with its own @page rules) laid out as PDF."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


def png(document: bytes, *, dpi: int = 150) -> bytes:
    """The first page of a PDF as a PNG image at ``dpi``."""
    import pypdfium2

    pdf_doc = pypdfium2.PdfDocument(document)
    try:
        image = pdf_doc[0].render(scale=dpi / 72).to_pil()
        stream = io.BytesIO()
        image.save(stream, format="PNG", optimize=True)
        return stream.getvalue()
    finally:
        pdf_doc.close()
