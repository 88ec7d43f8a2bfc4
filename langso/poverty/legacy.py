"""Review results of the communes before the 2025 reform (xã cũ), loaded from a province's old
reports, and re-aggregated to today's communes through the crosswalk.

An old commune's figures go to its default successor. An old commune that was split between
several new ones cannot be divided exactly (the reports have counts, not households), so it
goes whole to its default successor and the rows it reaches are flagged as approximate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from langso.accounts.roles import Capability
from langso.accounts.scope import area_of
from langso.audit.services import record_batch
from langso.core.tabular import TableError, read_table
from langso.geo.models import CommuneSuccession, LegacyCommune
from langso.poverty.models import LegacyResult

COUNTS = (
    "households",
    "persons",
    "poor",
    "near_poor",
    "poor_persons",
    "near_poor_persons",
    "minority_households",
    "minority_poor",
)
REQUIRED = ("legacy_commune", "review_year", "households", "poor", "near_poor")
ALIASES = {
    "legacy_commune": ("mã xã cũ", "mã xã", "ma_xa", "legacy_commune_code"),
    "review_year": ("năm", "năm rà soát", "nam", "year"),
    "households": ("số hộ", "tổng số hộ", "so_ho"),
    "persons": ("số người", "tổng số người", "so_nguoi", "số khẩu"),
    "poor": ("hộ nghèo", "số hộ nghèo", "ho_ngheo"),
    "near_poor": ("hộ cận nghèo", "số hộ cận nghèo", "ho_can_ngheo"),
    "poor_persons": ("người nghèo", "số người nghèo", "khẩu nghèo"),
    "near_poor_persons": ("người cận nghèo", "số người cận nghèo", "khẩu cận nghèo"),
    "minority_households": ("hộ dân tộc thiểu số", "số hộ dtts"),
    "minority_poor": ("hộ nghèo dân tộc thiểu số", "hộ nghèo dtts"),
}
FIRST_YEAR, LAST_YEAR = 2016, 2025  # review years whose lists were made on the old communes


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _number(text: str) -> int | None:
    text = text.strip().replace(".", "").replace(",", "").replace(" ", "")
    if not text:
        return None
    value = int(text)
    if value < 0:
        raise ValueError
    return value


def legacy_results_load(*, actor: Any, name: str, stream: BinaryIO, source: str) -> LoadReport:
    """Load old communes' results from a CSV or XLSX: all or nothing. Every bad row is
    reported with the file, the row, the column and the reason; a row of an old commune and year
    already loaded replaces it."""
    if actor is None or not actor.can(Capability.ASSESS_POVERTY):
        raise PermissionDenied
    area = area_of(actor)
    report = LoadReport()
    try:
        rows = list(read_table(name, stream, ALIASES, required=REQUIRED))
    except TableError as error:
        raise ValidationError(f"{name}: {error}") from None
    codes = {r.values.get("legacy_commune", "").strip().zfill(5) for r in rows}
    known = {c.code: c for c in LegacyCommune.objects.filter(code__in=codes)}
    successors = dict(
        CommuneSuccession.objects.filter(legacy_commune_id__in=codes, is_default=True).values_list(
            "legacy_commune_id", "commune__province_id"
        )
    )
    seen: dict[tuple[str, int], int] = {}
    parsed = []
    for row in rows:

        def fail(column: str, reason: str, row=row) -> None:
            report.errors.append(f"{name}, dòng {row.number}, cột {column}: {reason}")

        code = row.values.get("legacy_commune", "").strip().zfill(5)
        if code not in known:
            fail("mã xã cũ", f"không có xã cũ mã {code}")
            continue
        if not (area.everything or successors.get(code) in area.provinces):
            fail("mã xã cũ", f"xã cũ {code} không thuộc tỉnh của bạn")
            continue
        try:
            year = int(row.values.get("review_year", "").strip())
        except ValueError:
            fail("năm", "không phải một năm")
            continue
        if not FIRST_YEAR <= year <= LAST_YEAR:
            fail("năm", f"chỉ nhận năm rà soát {FIRST_YEAR}–{LAST_YEAR} (trước khi sắp xếp xã)")
            continue
        values: dict[str, int | None] = {}
        bad = False
        for key in COUNTS:
            try:
                values[key] = _number(row.values.get(key, ""))
            except ValueError:
                fail(key, "không phải số tự nhiên")
                bad = True
        if bad:
            continue
        for key in REQUIRED[2:]:
            if values[key] is None:
                fail(key, "bắt buộc")
                bad = True
        if bad:
            continue
        if values["poor"] + values["near_poor"] > values["households"]:
            fail("hộ nghèo", "hộ nghèo và cận nghèo nhiều hơn tổng số hộ")
            continue
        persons = values["persons"]
        if persons is None and (
            values["poor_persons"] is not None or values["near_poor_persons"] is not None
        ):
            fail("số người", "cần tổng số người khi có số người nghèo, cận nghèo")
            continue
        if (
            persons is not None
            and (values["poor_persons"] or 0) + (values["near_poor_persons"] or 0) > persons
        ):
            fail("người nghèo", "người nghèo và cận nghèo nhiều hơn tổng số người")
            continue
        minority, minority_poor = values["minority_households"], values["minority_poor"]
        if minority_poor is not None and (
            minority is None or minority_poor > minority or minority_poor > values["poor"]
        ):
            fail(
                "hộ nghèo dtts",
                "cần số hộ dân tộc thiểu số, và không nhiều hơn số đó hay số hộ nghèo",
            )
            continue
        if (code, year) in seen:
            fail("mã xã cũ", f"trùng với dòng {seen[code, year]}")
            continue
        seen[code, year] = row.number
        parsed.append((code, year, values))
    if report.errors:
        raise ValidationError(report.errors)
    with transaction.atomic():
        for code, year, values in parsed:
            _, created = LegacyResult.objects.update_or_create(
                legacy_commune_id=code,
                review_year=year,
                defaults={**values, "source": source[:200], "loaded_by": actor},
            )
            report.created += created
            report.updated += not created
        record_batch(
            actor=actor,
            object_type="poverty.legacyresult",
            counts={"created": report.created, "updated": report.updated},
            message=f"kết quả rà soát xã cũ từ {name}",
        )
    return report


def legacy_years(communes: list[str]) -> list[int]:
    """Review years with old communes' results that reach these (new) communes."""
    legacy = CommuneSuccession.objects.filter(commune_id__in=communes, is_default=True).values(
        "legacy_commune_id"
    )
    rows = LegacyResult.objects.filter(legacy_commune_id__in=legacy)
    return sorted(set(rows.values_list("review_year", flat=True).distinct().order_by()))


def by_new_commune(communes: dict[str, str], year: int) -> list[dict[str, Any]]:
    """The year's old results summed into today's communes (``communes``: code → name, the
    user's area), each row flagged ``approximate`` when a split old commune went into it."""
    successor = dict(
        CommuneSuccession.objects.filter(
            commune_id__in=list(communes), is_default=True
        ).values_list("legacy_commune_id", "commune_id")
    )
    # a new commune that took part of a split old commune cannot have exact old figures
    split = set(
        CommuneSuccession.objects.filter(
            commune_id__in=list(communes), legacy_commune__is_split=True
        ).values_list("commune_id", flat=True)
    )
    rows: dict[str, dict[str, Any]] = {}
    results = LegacyResult.objects.filter(review_year=year, legacy_commune_id__in=list(successor))
    for r in results:
        unit = successor[r.legacy_commune_id]
        row = rows.setdefault(
            unit,
            {
                "unit": unit,
                "name": communes[unit],
                "approximate": unit in split,
                "legacy": [],
                **{key: 0 for key in COUNTS},
            },
        )
        row["legacy"].append(r.legacy_commune_id)
        for key in COUNTS:
            # a count one old commune did not give leaves the sum unknown, not smaller
            value = getattr(r, key)
            row[key] = None if value is None or row[key] is None else row[key] + value
    return [rows[u] for u in sorted(rows)]
