"""Write operations on geography: loading the official units, villages, area types."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from langso.accounts.roles import Capability
from langso.accounts.scope import restrict
from langso.audit.models import Action
from langso.audit.services import record_batch, record_change, snapshot
from langso.core.tabular import TableError, read_table
from langso.geo import names
from langso.geo.models import (
    AreaType,
    Commune,
    CommuneKind,
    CommuneSuccession,
    LegacyCommune,
    LegacyDistrict,
    LegacyProvince,
    Province,
    Village,
    VillageKind,
)
from langso.geo.units_source import SOURCE, UnitsData, read_units

KIND_OF = {"Xã": CommuneKind.XA, "Phường": CommuneKind.PHUONG, "Đặc khu": CommuneKind.DAC_KHU}
# Decree 07/2021 counts phường (and former thị trấn) as urban; special zones default to rural
# and can be changed per unit by an officer.
DEFAULT_AREA_TYPE = {
    CommuneKind.XA: AreaType.RURAL,
    CommuneKind.PHUONG: AreaType.URBAN,
    CommuneKind.DAC_KHU: AreaType.RURAL,
}


@dataclass
class LoadCounts:
    provinces: int = 0
    communes: int = 0
    legacy_provinces: int = 0
    legacy_districts: int = 0
    legacy_communes: int = 0
    successions: int = 0
    split_communes: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _upsert(model, objs: list, fields: list[str]) -> int:
    model.objects.bulk_create(
        objs,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=[model._meta.pk.name],
        update_fields=fields,
    )
    return len(objs)


def units_load(*, actor: Any = None, data: UnitsData | None = None) -> LoadCounts:
    """Load or refresh every official unit and the crosswalk; running it again changes nothing.

    All-or-nothing: one transaction. Officers' rural/urban overrides are kept.
    """
    data = data or read_units()
    counts = LoadCounts()
    split = {c for c, n in _successor_counts(data).items() if n > 1}
    with transaction.atomic():
        counts.provinces = _upsert(
            Province,
            [
                Province(
                    code=p.code,
                    name=p.name,
                    short_name=p.short_name,
                    name_key=names.unit_key(p.name),
                    plain_name=names.plain(p.name),
                    lat=p.lat,
                    lon=p.lon,
                )
                for p in data.provinces
            ],
            ["name", "short_name", "name_key", "plain_name", "lat", "lon"],
        )
        existing_area = dict(Commune.objects.values_list("code", "area_type"))
        communes = []
        for c in data.communes:
            kind = KIND_OF[c.kind]
            communes.append(
                Commune(
                    code=c.code,
                    province_id=c.province_code,
                    name=c.name,
                    short_name=c.short_name,
                    kind=kind,
                    area_type=existing_area.get(c.code, DEFAULT_AREA_TYPE[kind]),
                    name_key=names.unit_key(c.name),
                    plain_name=names.plain(c.name),
                    lat=c.lat,
                    lon=c.lon,
                    area_km2=c.area_km2,
                )
            )
        counts.communes = _upsert(
            Commune,
            communes,
            [
                "province",
                "name",
                "short_name",
                "kind",
                "name_key",
                "plain_name",
                "lat",
                "lon",
                "area_km2",
            ],
        )
        counts.legacy_provinces = _upsert(
            LegacyProvince,
            [
                LegacyProvince(p.code, p.name, p.short_name, names.unit_key(p.name))
                for p in data.legacy_provinces
            ],
            ["name", "short_name", "name_key"],
        )
        counts.legacy_districts = _upsert(
            LegacyDistrict,
            [
                LegacyDistrict(
                    code=d.code,
                    province_id=d.province_code,
                    name=d.name,
                    short_name=d.short_name,
                    kind=d.kind,
                    name_key=names.unit_key(d.name),
                    successor_id=data.district_successors.get(d.code),
                )
                for d in data.legacy_districts
            ],
            ["province", "name", "short_name", "kind", "name_key", "successor"],
        )
        counts.legacy_communes = _upsert(
            LegacyCommune,
            [
                LegacyCommune(
                    code=c.code,
                    district_id=c.district_code,
                    province_id=c.province_code,
                    name=c.name,
                    short_name=c.short_name,
                    kind=c.kind,
                    name_key=names.unit_key(c.name),
                    is_split=c.code in split,
                )
                for c in data.legacy_communes
            ],
            ["district", "province", "name", "short_name", "kind", "name_key", "is_split"],
        )
        counts.successions = _load_successions(data)
        counts.split_communes = len(split)
        record_batch(
            actor=actor,
            object_type="geo.units",
            counts=counts.as_dict(),
            message=f"Loaded administrative units from {SOURCE}",
        )
    return counts


def _successor_counts(data: UnitsData) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in data.crosswalk:
        out[row.legacy_code] = out.get(row.legacy_code, 0) + 1
    return out


def _load_successions(data: UnitsData) -> int:
    wanted = {(r.legacy_code, r.new_code): r.is_default for r in data.crosswalk}
    existing = {
        (s.legacy_commune_id, s.commune_id): s
        for s in CommuneSuccession.objects.only(
            "id", "legacy_commune_id", "commune_id", "is_default"
        )
    }
    stale = [s.pk for key, s in existing.items() if key not in wanted]
    for start in range(0, len(stale), 900):
        CommuneSuccession.objects.filter(pk__in=stale[start : start + 900]).delete()
    changed = [s for key, s in existing.items() if key in wanted and s.is_default != wanted[key]]
    for s in changed:
        s.is_default = wanted[(s.legacy_commune_id, s.commune_id)]
    CommuneSuccession.objects.bulk_update(changed, ["is_default"], batch_size=1000)
    CommuneSuccession.objects.bulk_create(
        [
            CommuneSuccession(legacy_commune_id=old, commune_id=new, is_default=default)
            for (old, new), default in wanted.items()
            if (old, new) not in existing
        ],
        batch_size=1000,
    )
    return len(wanted)


# ---------------------------------------------------------------- communes


def commune_set_area_type(*, actor: Any, commune_code: str, area_type: str) -> Commune:
    """Override a commune's rural/urban area type (kept across unit reloads)."""
    if not actor.can(Capability.EDIT_UNITS):
        raise PermissionDenied
    if area_type not in AreaType.values:
        raise ValidationError({"area_type": _("Khu vực không hợp lệ.")})
    with transaction.atomic():
        commune = restrict(Commune.objects.select_for_update(), actor, for_write=True).get(
            code=commune_code
        )
        before = snapshot(commune)
        commune.area_type = area_type
        commune.area_type_overridden = True
        commune.save(update_fields=["area_type", "area_type_overridden"])
        record_change(
            actor=actor, action=Action.UPDATE, obj=commune, before=before, after=snapshot(commune)
        )
    return commune


# ---------------------------------------------------------------- villages


def _writable_commune(actor: Any, commune_code: str) -> Commune:
    if not actor.can(Capability.EDIT_VILLAGES):
        raise PermissionDenied
    try:
        return restrict(Commune.objects.all(), actor, for_write=True).get(code=commune_code)
    except Commune.DoesNotExist:
        # the same answer for a missing commune and one outside the user's area
        raise ValidationError({"commune": _("Không có xã này trong địa bàn của bạn.")}) from None


def _clean_village(commune: Commune, name: str, kind: str, *, exclude_id: int | None = None):
    name = names.clean(name)
    if not name:
        raise ValidationError({"name": _("Tên thôn không được để trống.")})
    if len(name) > 120:
        raise ValidationError({"name": _("Tên thôn dài quá 120 ký tự.")})
    if kind not in VillageKind.values:
        raise ValidationError({"kind": _("Loại thôn không hợp lệ.")})
    key = names.village_key(name)
    clash = Village.objects.filter(commune=commune, name_key=key).exclude(pk=exclude_id)
    if clash.exists():
        raise ValidationError({"name": _("Xã này đã có thôn cùng tên.")})
    return name, key


def village_create(*, actor: Any, commune_code: str, name: str, kind: str) -> Village:
    """Add a village to a commune in the actor's area."""
    with transaction.atomic():
        commune = _writable_commune(actor, commune_code)
        name, key = _clean_village(commune, name, kind)
        village = Village.objects.create(
            commune=commune, name=name, kind=kind, name_key=key, plain_name=names.plain(name)
        )
        record_change(actor=actor, action=Action.CREATE, obj=village, after=snapshot(village))
    return village


def village_update(*, actor: Any, village_id: int, name: str, kind: str) -> Village:
    with transaction.atomic():
        village = _writable_village(actor, village_id)
        before = snapshot(village)
        village.name, village.name_key = _clean_village(
            village.commune, name, kind, exclude_id=village.pk
        )
        village.kind = kind
        village.plain_name = names.plain(village.name)
        village.save(update_fields=["name", "name_key", "plain_name", "kind"])
        record_change(
            actor=actor, action=Action.UPDATE, obj=village, before=before, after=snapshot(village)
        )
    return village


def village_delete(*, actor: Any, village_id: int) -> None:
    with transaction.atomic():
        village = _writable_village(actor, village_id)
        before = snapshot(village)
        record_change(actor=actor, action=Action.DELETE, obj=village, before=before)
        village.delete()


def _writable_village(actor: Any, village_id: int) -> Village:
    if not actor.can(Capability.EDIT_VILLAGES):
        raise PermissionDenied
    qs = restrict(
        Village.objects.select_related("commune").select_for_update(), actor, for_write=True
    )
    return qs.get(pk=village_id)


# ---------------------------------------------------------------- village import

VILLAGE_COLUMNS: dict[str, tuple[str, ...]] = {
    "commune_code": ("mã xã", "ma_xa", "mã đơn vị", "commune code"),
    "commune": ("xã", "xã / phường", "tên xã", "phường", "commune name"),
    "name": ("tên thôn", "thôn", "tên", "village", "village name", "thôn / tổ dân phố"),
    "kind": ("loại", "loại thôn", "type"),
}
KIND_ALIASES = (
    {names.name_key(str(label)): value for value, label in VillageKind.choices}
    | {names.name_key(value): value for value in VillageKind.values}
    | {
        "tdp": VillageKind.TO_DAN_PHO,
        "khu phố": VillageKind.KHOM,
        "khóm": VillageKind.KHOM,
        "khu": VillageKind.KHOM,
        "làng": VillageKind.THON,
        "": VillageKind.THON,
    }
)


@dataclass
class RowError:
    row: int
    field: str
    value: str
    reason: str


@dataclass
class ImportReport:
    file: str
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "written": self.written,
            "errors": [e.__dict__ for e in self.errors],
        }


def villages_import(
    *,
    actor: Any,
    filename: str,
    stream: BinaryIO,
    progress: Callable[[int, int | None, str], None] | None = None,
) -> ImportReport:
    """Import villages from CSV/XLSX (commune code or name, village name, type).

    Parses and checks every row first; if any row is wrong nothing is written and every error is
    reported with its row number, column and reason. Re-importing the same file adds nothing.
    """
    report = ImportReport(file=filename)
    if not actor.can(Capability.EDIT_VILLAGES):
        raise PermissionDenied
    communes = list(restrict(Commune.objects.all(), actor, for_write=True))
    by_code = {c.code: c for c in communes}
    by_name: dict[str, list[Commune]] = {}
    for c in communes:
        for key in {names.unit_key(c.name), names.name_key(c.name)}:
            by_name.setdefault(key, []).append(c)
    all_codes = set(Commune.objects.values_list("code", flat=True))

    planned: dict[tuple[str, str], tuple[int, str, str]] = {}
    try:
        rows = read_table(
            filename,
            stream,
            VILLAGE_COLUMNS,
            required=("name",),
            any_of=(("commune_code", "commune"),),
        )
        for row in rows:
            report.rows += 1
            if progress and report.rows % 200 == 0:
                progress(report.rows, None, _("Đang kiểm tra dòng %(n)s") % {"n": row.number})
            commune = _row_commune(row, by_code, by_name, all_codes, report)
            name = names.clean(row.values.get("name", ""))
            kind_text = row.values.get("kind", "")
            kind = KIND_ALIASES.get(names.name_key(kind_text))
            if not name:
                report.errors.append(RowError(row.number, "name", "", _("thiếu tên thôn")))
            elif len(name) > 120:
                report.errors.append(
                    RowError(row.number, "name", name[:40], _("dài quá 120 ký tự"))
                )
            if kind is None:
                report.errors.append(
                    RowError(row.number, "kind", kind_text, _("loại thôn không hợp lệ"))
                )
            if commune is None or not name or kind is None or len(name) > 120:
                continue
            key = (commune.code, names.village_key(name))
            if key in planned:
                first = planned[key][0]
                report.errors.append(
                    RowError(row.number, "name", name, _("trùng với dòng %(n)s") % {"n": first})
                )
                continue
            planned[key] = (row.number, name, kind)
    except TableError as exc:
        report.errors.append(RowError(0, "", "", str(exc)))
    if report.errors:
        return report

    if progress:
        progress(report.rows, report.rows, _("Đang ghi %(n)s thôn") % {"n": len(planned)})
    with transaction.atomic():
        existing = {
            (v.commune_id, v.name_key): v
            for v in Village.objects.filter(commune_id__in={c for c, _k in planned})
        }
        new, changed = [], []
        for (code, key), (_n, name, kind) in planned.items():
            village = existing.get((code, key))
            if village is None:
                new.append(
                    Village(
                        commune_id=code,
                        name=name,
                        kind=kind,
                        name_key=key,
                        plain_name=names.plain(name),
                    )
                )
            elif village.kind != kind:
                village.kind = kind
                changed.append(village)
        Village.objects.bulk_create(new, batch_size=1000)
        Village.objects.bulk_update(changed, ["kind"], batch_size=1000)
        report.created, report.updated = len(new), len(changed)
        report.unchanged = len(planned) - len(new) - len(changed)
        report.written = True
        record_batch(
            actor=actor,
            object_type="geo.village",
            counts={
                "rows": report.rows,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            },
            message=f"Imported villages from {filename}",
            place=_common_place([by_code[code] for code, _key in planned]),
        )
    return report


def _common_place(communes: list[Commune]) -> Commune | Province | None:
    """The narrowest unit holding all the communes a batch touched, for scoping its audit entry."""
    codes = {c.code for c in communes}
    if len(codes) == 1:
        return communes[0]
    provinces = {c.province_id for c in communes}
    return Province.objects.get(code=provinces.pop()) if len(provinces) == 1 else None


def _row_commune(row, by_code, by_name, all_codes, report: ImportReport) -> Commune | None:
    code = row.values.get("commune_code", "").strip()
    name = row.values.get("commune", "").strip()
    if code:
        code = code.zfill(5) if code.isdigit() else code
        if code in by_code:
            return by_code[code]
        reason = _("xã ngoài địa bàn của bạn") if code in all_codes else _("không có mã xã này")
        report.errors.append(RowError(row.number, "commune_code", code, reason))
        return None
    if not name:
        report.errors.append(RowError(row.number, "commune", "", _("thiếu mã xã hoặc tên xã")))
        return None
    found = by_name.get(names.name_key(name)) or by_name.get(names.unit_key(name)) or []
    if len(found) == 1:
        return found[0]
    reason = (
        _("nhiều xã cùng tên, hãy ghi mã xã")
        if found
        else _("không tìm thấy xã trong địa bàn của bạn")
    )
    report.errors.append(RowError(row.number, "commune", name, reason))
    return None
