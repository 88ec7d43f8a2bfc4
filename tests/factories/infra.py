"""Base stations, hotspots, village coverage and subscriber figures, made through the services as
a commune officer would (plain functions), and the CSV / XLSX files the imports read."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

import openpyxl

from langso.infra.services import base_station_save, coverage_set, hotspot_save, infra_import
from tests.factories.accounts import commune_officer

_site_codes = itertools.count(1)


def base_station(commune: str = "01273", *, actor=None, village=None, **kw):
    """An active Viettel 2G/3G/4G station of a commune (in ``village`` if given)."""
    kw.setdefault("operator", "viettel")
    kw.setdefault("site_code", f"CBG{next(_site_codes):04d}")
    kw.setdefault("technologies", ["2g", "3g", "4g"])
    kw.setdefault("status", "active")
    return base_station_save(
        actor=actor or commune_officer(commune),
        commune_code=commune,
        village_id=village.pk if village is not None else None,
        **kw,
    )


def hotspot(commune: str = "01273", *, actor=None, village=None, **kw):
    """A free, working VNPT hotspot at a village cultural house (or wherever ``place`` says)."""
    kw.setdefault("name", f"Wifi nhà văn hóa {village.name if village else 'xã'}")
    kw.setdefault("place", "cultural_house")
    kw.setdefault("provider", "vnpt")
    return hotspot_save(
        actor=actor or commune_officer(commune),
        commune_code=commune,
        village_id=village.pk if village is not None else None,
        **kw,
    )


def coverage(village, network: str = "4g", level: str = "full", *, actor=None, **kw):
    """How far ``network`` reaches ``village``, as the commune's officer records it."""
    kw.setdefault("as_of", dt.date(2026, 6, 30))
    return coverage_set(
        actor=actor or commune_officer(village.commune_id),
        village_id=village.pk,
        network=network,
        level=level,
        **kw,
    )


def subscriber_counts(
    commune: str, period_end: str, counts: dict[str, int], *, operator="Viettel", actor=None
):
    """An operator's subscribers of a commune at the end of a period ("Q2/2026", "03/2026"…),
    one row per kind ("Di động": 8412, …), imported from a CSV as the operators' files are (no
    service writes a single figure)."""
    rows = [[commune, period_end, operator, kind, str(n)] for kind, n in counts.items()]
    report = infra_import(
        actor=actor or commune_officer(commune),
        kind="subscribers",
        filename="thue-bao.csv",
        stream=csv_file(["Mã xã", "Cuối kỳ", "Nhà mạng", "Loại thuê bao", "Số thuê bao"], rows),
    )
    assert report.errors == [], report.errors
    return report


def csv_file(header: list[str], rows: list[list]) -> io.BytesIO:
    """A CSV as Excel saves it ("CSV UTF-8": with a byte-order mark)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode("utf-8-sig"))


def xlsx_file(header: list[str], rows: list[list]) -> io.BytesIO:
    """An XLSX workbook whose first sheet holds the header and rows (cells keep their types)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    return stream
