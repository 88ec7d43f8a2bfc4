"""The write path of the infrastructure registry: a base station, a hotspot or a village's
coverage by an officer, and the operators' and communes' files (all or nothing, errors by row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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
from langso.geo.models import Commune, Province, Village
from langso.geo.services import ImportReport, RowError
from langso.infra import import_rows
from langso.infra.models import (
    BaseStation,
    Coverage,
    CoverageSource,
    Level,
    Network,
    SubscriberCount,
    WifiHotspot,
)
from langso.reports.staleness import figures_changed

KINDS = tuple(import_rows.COLUMNS)


def _figures_of_now(communes: list[str]) -> None:
    """The dashboards' current-year figures of these communes, recomputed after commit (what
    is known only now: stations, coverage, wifi)."""
    figures_changed(communes=communes, years=[dt.date.today().year])


def _editor(actor: Any) -> None:
    if not actor.can(Capability.EDIT_INFRASTRUCTURE):
        raise PermissionDenied


def _place(actor: Any, commune_code: str, village_id: int | None) -> tuple[Commune, Village | None]:
    commune = restrict(Commune.objects.all(), actor, for_write=True).filter(code=commune_code)
    found = commune.first()
    if found is None:
        raise ValidationError({"commune": [_("Xã này không thuộc địa bàn của bạn.")]})
    village = None
    if village_id is not None:
        village = Village.objects.filter(pk=village_id, commune=found).first()
        if village is None:
            raise ValidationError({"village": [_("Thôn không thuộc xã đã chọn.")]})
    return found, village


def base_station_save(
    *,
    actor: Any,
    operator: str,
    site_code: str,
    commune_code: str,
    technologies: list[str],
    status: str,
    village_id: int | None = None,
    lat: float | None = None,
    lon: float | None = None,
    on_air_on: dt.date | None = None,
    station_id: int | None = None,
) -> BaseStation:
    """Add a base station, or change one (``station_id``)."""
    _editor(actor)
    commune, village = _place(actor, commune_code, village_id)
    if not site_code.strip():
        raise ValidationError({"site_code": [_("Nhập mã trạm.")]})
    with transaction.atomic():
        if station_id:
            station = restrict(BaseStation.objects.all(), actor, for_write=True).get(pk=station_id)
            before = snapshot(station)
            _figures_of_now([station.commune_id])
        else:
            station, before = BaseStation(), None
        station.operator, station.site_code = operator, site_code.strip()
        station.commune, station.village, station.status = commune, village, status
        station.lat, station.lon, station.on_air_on = lat, lon, on_air_on
        for t in ("2g", "3g", "4g", "5g"):
            setattr(station, f"has_{t}", t in technologies)
        station.full_clean(exclude=["mast"])
        station.save()
        _figures_of_now([commune.code])
        record_change(
            actor=actor,
            action=Action.UPDATE if before else Action.CREATE,
            obj=station,
            before=before,
            after=snapshot(station),
        )
    return station


def hotspot_save(
    *,
    actor: Any,
    commune_code: str,
    name: str,
    place: str,
    provider: str,
    village_id: int | None = None,
    free: bool = True,
    active: bool = True,
    installed_on: dt.date | None = None,
) -> WifiHotspot:
    """Register a public wifi hotspot. A commune's hotspots are known by their names (a file
    updates the hotspot it names), so a name already used in the commune is refused."""
    _editor(actor)
    commune, village = _place(actor, commune_code, village_id)
    taken = WifiHotspot.objects.filter(commune=commune).values_list("name", flat=True)
    if names.name_key(name) in {names.name_key(n) for n in taken}:
        raise ValidationError({"name": [_("Xã đã có điểm wifi tên này.")]})
    with transaction.atomic():
        hotspot = WifiHotspot(
            commune=commune,
            village=village,
            name=name.strip(),
            place=place,
            provider=provider,
            free=free,
            active=active,
            installed_on=installed_on,
        )
        hotspot.full_clean()
        hotspot.save()
        _figures_of_now([commune.code])
        record_change(actor=actor, action=Action.CREATE, obj=hotspot, after=snapshot(hotspot))
    return hotspot


def coverage_set(
    *,
    actor: Any,
    village_id: int,
    network: str,
    level: str,
    as_of: dt.date,
    source: str = CoverageSource.OFFICER,
    note: str = "",
) -> Coverage:
    """Record how far a network reaches a village now (replacing the earlier value)."""
    _editor(actor)
    village = restrict(Village.objects.all(), actor, for_write=True).filter(pk=village_id).first()
    if village is None:
        raise ValidationError({"village": [_("Thôn này không thuộc địa bàn của bạn.")]})
    if network not in Network.values or level not in Level.values:
        raise ValidationError({"level": [_("Mạng hoặc mức phủ sóng không hợp lệ.")]})
    with transaction.atomic():
        found = Coverage.objects.filter(village=village, network=network).first()
        before = snapshot(found) if found else None
        coverage = found or Coverage(village=village, commune_id=village.commune_id)
        coverage.network, coverage.level, coverage.as_of = network, level, as_of
        coverage.source, coverage.note, coverage.updated_by = source, note[:200], actor
        coverage.save()
        _figures_of_now([village.commune_id])
        record_change(
            actor=actor,
            action=Action.UPDATE if before else Action.CREATE,
            obj=coverage,
            before=before,
            after=snapshot(coverage),
        )
    return coverage


# ---------------------------------------------------------------- files


class _Places:
    """The communes (and their villages) an actor may write, for resolving rows."""

    def __init__(self, actor: Any) -> None:
        communes = list(restrict(Commune.objects.all(), actor, for_write=True))
        self.by_code = {c.code: c for c in communes}
        self.by_name: dict[str, list[Commune]] = {}
        for c in communes:
            for k in {names.unit_key(c.name), names.name_key(c.name)}:
                self.by_name.setdefault(k, []).append(c)
        self.all_codes = set(Commune.objects.values_list("code", flat=True))
        self._villages: dict[str, dict[str, int]] = {}

    def commune(self, row: Any, report: ImportReport) -> Commune | None:
        code = row.values.get("commune_code", "").strip()
        text = row.values.get("commune", "").strip()
        if code:
            code = code.zfill(5) if code.isdigit() else code
            if code in self.by_code:
                return self.by_code[code]
            reason = (
                _("xã ngoài địa bàn của bạn") if code in self.all_codes else _("không có mã xã")
            )
            report.errors.append(RowError(row.number, "commune_code", code, reason))
            return None
        found = self.by_name.get(names.name_key(text)) or self.by_name.get(names.unit_key(text))
        if found and len(found) == 1:
            return found[0]
        reason = _("nhiều xã cùng tên, hãy ghi mã xã") if found else _("không tìm thấy xã")
        report.errors.append(RowError(row.number, "commune", text, reason))
        return None

    def village(self, commune: Commune, text: str) -> int | None:
        if commune.code not in self._villages:
            self._villages[commune.code] = dict(
                Village.objects.filter(commune=commune).values_list("name_key", "pk")
            )
        return self._villages[commune.code].get(names.village_key(text))


def infra_import(
    *,
    actor: Any,
    kind: str,
    filename: str,
    stream: BinaryIO,
    progress: Callable[[int, int | None, str], None] | None = None,
) -> ImportReport:
    """Import a file of base stations, village coverage, subscriber figures or hotspots.

    Every row is checked first; if any is wrong nothing is written and each error names its row,
    column and reason. Re-importing updates what the file names (by operator and site code; by
    village and network; by commune, period, operator and kind; by commune and hotspot name)."""
    _editor(actor)
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    report = ImportReport(file=filename)
    places = _Places(actor)
    planned: dict[tuple, tuple[int, dict]] = {}
    try:
        rows = read_table(
            filename,
            stream,
            import_rows.COLUMNS[kind],
            required=import_rows.REQUIRED[kind],
            any_of=(("commune_code", "commune"),),
        )
        for row in rows:
            report.rows += 1
            if progress and report.rows % 500 == 0:
                progress(report.rows, None, _("Đang kiểm tra dòng %(n)s") % {"n": row.number})
            values, problems = import_rows.parse(kind, row.values)
            for p in problems:
                report.errors.append(RowError(row.number, p.field, p.value[:60], p.reason))
            commune = places.commune(row, report)
            if commune is None or problems:
                continue
            values["commune"] = commune
            village_text = values.pop("village")
            values["village_id"] = None
            if village_text:
                values["village_id"] = places.village(commune, village_text)
                if values["village_id"] is None:
                    report.errors.append(
                        RowError(row.number, "village", village_text, _("không có thôn này"))
                    )
                    continue
            identity = _identity(kind, values)
            if identity in planned:
                first = planned[identity][0]
                report.errors.append(
                    RowError(row.number, "", "", _("trùng với dòng %(n)s") % {"n": first})
                )
                continue
            planned[identity] = (row.number, values)
    except TableError as exc:
        report.errors.append(RowError(0, "", "", str(exc)))
    if kind == "stations" and planned:
        _foreign_stations(planned, places, report)
    if report.errors:
        report.errors.sort(key=lambda e: e.row)
        return report
    if progress:
        progress(report.rows, report.rows, _("Đang ghi %(n)s dòng") % {"n": len(planned)})
    with transaction.atomic():
        created, updated = WRITERS[kind](planned, filename, actor)
        report.created, report.updated, report.written = created, updated, True
        report.unchanged = len(planned) - created - updated
        record_batch(
            actor=actor,
            object_type=f"infra.{kind}",
            counts={
                "rows": report.rows,
                "created": created,
                "updated": updated,
                "unchanged": report.unchanged,
            },
            message=f"Imported {kind} from {filename}",
            place=_batch_place(v["commune"] for _n, v in planned.values()),
        )
        figures_changed(communes={v["commune"].code for _n, v in planned.values()})
    return report


def _foreign_stations(planned: dict, places: _Places, report: ImportReport) -> None:
    """A station is one operator's site code wherever it stands: a file may not move a station
    that another area registered into the actor's commune (nor change it)."""
    codes = {site_code for _operator, site_code in planned}
    for operator, site_code, commune in BaseStation.objects.filter(site_code__in=codes).values_list(
        "operator", "site_code", "commune_id"
    ):
        found = planned.get((operator, site_code))
        if found is not None and commune not in places.by_code:
            reason = _("mã trạm đã thuộc một xã ngoài địa bàn của bạn")
            report.errors.append(RowError(found[0], "site_code", site_code, reason))


def _batch_place(communes: Any) -> Commune | Province | None:
    """The narrowest unit holding every commune a file wrote to, so that the people of that
    area find the import in their audit log."""
    found = {c.code: c for c in communes}
    if len(found) == 1:
        return next(iter(found.values()))
    provinces = {c.province_id for c in found.values()}
    return Province.objects.get(code=provinces.pop()) if len(provinces) == 1 else None


def _identity(kind: str, v: dict) -> tuple:
    if kind == "stations":
        return (v["operator"], v["site_code"])
    if kind == "coverage":
        return (v["village_id"], v["network"])
    if kind == "subscribers":
        return (v["commune"].code, v["period_end"], v["operator"], v["kind"])
    return (v["commune"].code, names.name_key(v["name"]))


def _write_stations(planned: dict, filename: str, actor: Any) -> tuple[int, int]:
    existing = {
        (s.operator, s.site_code): s
        for s in BaseStation.objects.filter(site_code__in={k[1] for k in planned})
    }
    new, changed = [], []
    fields = ["commune_id", "village_id", "has_2g", "has_3g", "has_4g", "has_5g", "status"]
    fields += ["lat", "lon", "on_air_on"]
    for identity, (_n, v) in planned.items():
        wanted = {**{name: v.get(name) for name in fields}, "commune_id": v["commune"].code}
        station = existing.get(identity)
        if station is None:
            new.append(BaseStation(operator=identity[0], site_code=identity[1], **wanted))
        elif any(getattr(station, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(station, name, value)
            changed.append(station)
    BaseStation.objects.bulk_create(new, batch_size=2000)
    names_ = ["commune", "village", *fields[2:]]
    BaseStation.objects.bulk_update(changed, names_, batch_size=2000)
    return len(new), len(changed)


def _write_coverage(planned: dict, filename: str, actor: Any) -> tuple[int, int]:
    villages = {k[0] for k in planned}
    existing = {
        (c.village_id, c.network): c for c in Coverage.objects.filter(village_id__in=villages)
    }
    new, changed = [], []
    today = dt.date.today()
    for identity, (_n, v) in planned.items():
        wanted = {
            "level": v["level"],
            "as_of": v["as_of"] or today,
            "source": CoverageSource.SURVEY,
            "note": v["note"],
        }
        found = existing.get(identity)
        if found is None:
            new.append(
                Coverage(
                    village_id=v["village_id"],
                    commune=v["commune"],
                    network=v["network"],
                    updated_by=actor,
                    **wanted,
                )
            )
        elif any(getattr(found, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(found, name, value)
            found.updated_by = actor
            changed.append(found)
    Coverage.objects.bulk_create(new, batch_size=2000)
    Coverage.objects.bulk_update(
        changed, ["level", "as_of", "source", "note", "updated_by"], batch_size=2000
    )
    return len(new), len(changed)


def _write_subscribers(planned: dict, filename: str, actor: Any) -> tuple[int, int]:
    communes = {k[0] for k in planned}
    existing = {
        (c.commune_id, c.period_end, c.operator, c.kind): c
        for c in SubscriberCount.objects.filter(commune_id__in=communes)
    }
    new, changed = [], []
    for identity, (_n, v) in planned.items():
        found = existing.get(identity)
        if found is None:
            new.append(
                SubscriberCount(
                    commune=v["commune"],
                    period_end=v["period_end"],
                    operator=v["operator"],
                    kind=v["kind"],
                    count=v["count"],
                    source=filename[:200],
                )
            )
        elif found.count != v["count"]:
            found.count, found.source = v["count"], filename[:200]
            changed.append(found)
    SubscriberCount.objects.bulk_create(new, batch_size=2000)
    SubscriberCount.objects.bulk_update(changed, ["count", "source"], batch_size=2000)
    return len(new), len(changed)


def _write_hotspots(planned: dict, filename: str, actor: Any) -> tuple[int, int]:
    communes = {k[0] for k in planned}
    existing = {
        (h.commune_id, names.name_key(h.name)): h
        for h in WifiHotspot.objects.filter(commune_id__in=communes)
    }
    new, changed = [], []
    fields = ("village_id", "place", "provider", "free", "installed_on")
    for identity, (_n, v) in planned.items():
        wanted = {name: v[name] for name in fields}
        found = existing.get(identity)
        if found is None:
            new.append(WifiHotspot(commune=v["commune"], name=v["name"], **wanted))
        elif any(getattr(found, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(found, name, value)
            changed.append(found)
    WifiHotspot.objects.bulk_create(new, batch_size=2000)
    WifiHotspot.objects.bulk_update(
        changed, ["village", "place", "provider", "free", "installed_on"], batch_size=2000
    )
    return len(new), len(changed)


WRITERS = {
    "stations": _write_stations,
    "coverage": _write_coverage,
    "subscribers": _write_subscribers,
    "hotspots": _write_hotspots,
}
