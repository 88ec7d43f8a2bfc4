"""Reading the spreadsheets communes send (CSV or XLSX/ODS), row by row (pure: no Django).

Rows come with the number a person sees in Excel (the header is row 1), and headers are matched
to field names through aliases, case- and accent-insensitively, so "Mã xã", "ma xa" and
"commune_code" can all mean the same column.
"""

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO

from python_calamine import CalamineWorkbook


class TableError(Exception):
    """The file as a whole cannot be read (wrong format, no header, missing columns)."""


@dataclass(frozen=True)
class Row:
    number: int  # 1-based, as in Excel; the header is row 1
    values: dict[str, str]


def header_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", str(text).strip().lower().replace("đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else "_" for c in plain).strip("_")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _raw_rows(name: str, stream: BinaryIO) -> Iterator[list[str]]:
    suffix = Path(name).suffix.lower()
    if suffix in {".csv", ".txt"}:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        try:
            sample = text.read(4096)
            text.seek(0)
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
        except csv.Error:
            dialect = csv.excel
        except UnicodeDecodeError as exc:
            raise TableError("the CSV file is not UTF-8 text (save it as 'CSV UTF-8')") from exc
        try:
            strip = str.strip
            for raw in csv.reader(text, dialect):
                yield list(map(strip, raw))
        except UnicodeDecodeError as exc:
            raise TableError("the CSV file is not UTF-8 text (save it as 'CSV UTF-8')") from exc
    elif suffix in {".xlsx", ".xlsm", ".xls", ".ods"}:
        try:
            book = CalamineWorkbook.from_filelike(stream)
            sheet = book.get_sheet_by_index(0)
            for raw in sheet.iter_rows():
                yield [_cell(c) for c in raw]
        except Exception as exc:  # calamine raises its own error types
            raise TableError(f"cannot read the spreadsheet: {exc}") from exc
    else:
        raise TableError(f"unsupported file type {suffix or '(none)'}: use .csv or .xlsx")


def read_table(
    name: str,
    stream: BinaryIO,
    aliases: dict[str, tuple[str, ...]],
    *,
    required: tuple[str, ...] = (),
    any_of: tuple[tuple[str, ...], ...] = (),
) -> Iterator[Row]:
    """Rows of the file as {field: text}, skipping blank rows.

    ``aliases`` maps each field to the header spellings that mean it; ``required`` fields must
    have a column, and for each group in ``any_of`` at least one field must.
    """
    lookup = {header_key(a): field for field, names in aliases.items() for a in (field, *names)}
    rows = _raw_rows(name, stream)
    header = next(rows, None)
    if header is None:
        raise TableError("the file is empty")
    columns = [lookup.get(header_key(h)) for h in header]
    present = {c for c in columns if c}
    missing = [f for f in required if f not in present]
    missing += [" / ".join(group) for group in any_of if not present.intersection(group)]
    if missing:
        raise TableError(f"missing column(s): {', '.join(missing)}")
    picks = [i for i, f in enumerate(columns) if f]  # a later column of the same field wins
    fields = [columns[i] for i in picks]
    cells = itemgetter(*picks) if len(picks) > 1 else lambda raw: tuple(raw[i] for i in picks)
    width = len(columns)
    for number, raw in enumerate(rows, start=2):
        if not any(raw):
            continue
        if len(raw) < width:
            raw = raw + [""] * (width - len(raw))
        yield Row(number, dict(zip(fields, cells(raw), strict=True)))
