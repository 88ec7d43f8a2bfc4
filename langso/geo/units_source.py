"""Reads the official administrative units shipped by vietnamadminunits 1.0.4 (pure: no Django).

The package ships an SQLite file with the 34 provinces / 3,321 commune-level units in force since
1 July 2025 (codes of QĐ 19/2025) and the 63 / 696 / 10,035 units before it, plus a JSON table
saying which old communes became which new ones. We read those files directly and never call the
package's address converter, whose split-ward path asks an online geocoder.
"""

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

SOURCE = "vietnamadminunits 1.0.4 (MIT): data/dataset.db, data/converter_2025.json"


@dataclass(frozen=True, slots=True)
class ProvinceRow:
    code: str
    name: str
    short_name: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class CommuneRow:
    code: str
    province_code: str
    name: str
    short_name: str
    kind: str  # "Xã" | "Phường" | "Đặc khu"
    lat: float | None
    lon: float | None
    area_km2: float | None


@dataclass(frozen=True, slots=True)
class LegacyDistrictRow:
    code: str
    province_code: str
    province_name: str
    name: str
    short_name: str
    kind: str


@dataclass(frozen=True, slots=True)
class LegacyCommuneRow:
    code: str
    district_code: str
    province_code: str
    name: str
    short_name: str
    kind: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class CrosswalkRow:
    legacy_code: str
    new_code: str
    is_default: bool  # the new commune that takes the old one when it was split


@dataclass(frozen=True)
class UnitsData:
    provinces: list[ProvinceRow]
    communes: list[CommuneRow]
    legacy_provinces: list[ProvinceRow]
    legacy_districts: list[LegacyDistrictRow]
    legacy_communes: list[LegacyCommuneRow]
    crosswalk: list[CrosswalkRow]
    # island districts that had no commune level and became one special zone (đặc khu) whole
    district_successors: dict[str, str]


def _data_dir() -> Path:
    return Path(str(resources.files("vietnamadminunits") / "data"))


def _rows(db: sqlite3.Connection, sql: str) -> Iterator[sqlite3.Row]:
    db.row_factory = sqlite3.Row
    yield from db.execute(sql)


def _province_row(r: sqlite3.Row) -> ProvinceRow:
    return ProvinceRow(
        r["provinceCode"], r["province"], r["provinceShort"], r["provinceLat"], r["provinceLon"]
    )


def read_units(data_dir: Path | None = None) -> UnitsData:
    """All units and the old→new crosswalk, in code order."""
    folder = data_dir or _data_dir()
    db = sqlite3.connect(f"file:{folder / 'dataset.db'}?mode=ro", uri=True)
    try:
        provinces: dict[str, ProvinceRow] = {}
        communes: list[CommuneRow] = []
        new_key_to_code: dict[tuple[str, str], str] = {}
        for r in _rows(db, "SELECT * FROM admin_units ORDER BY wardCode"):
            provinces.setdefault(
                r["provinceCode"],
                _province_row(r),
            )
            communes.append(
                CommuneRow(
                    r["wardCode"],
                    r["provinceCode"],
                    r["ward"],
                    r["wardShort"],
                    r["wardType"],
                    r["wardLat"],
                    r["wardLon"],
                    r["wardAreaKm2"],
                )
            )
            new_key_to_code[(r["provinceKey"], r["wardKey"])] = r["wardCode"]

        legacy_provinces: dict[str, ProvinceRow] = {}
        districts: dict[str, LegacyDistrictRow] = {}
        legacy_communes: list[LegacyCommuneRow] = []
        old_key_to_code: dict[str, str] = {}
        district_key_to_code: dict[str, str] = {}
        for r in _rows(db, "SELECT * FROM admin_units_legacy ORDER BY districtCode, wardCode"):
            legacy_provinces.setdefault(
                r["provinceCode"],
                _province_row(r),
            )
            districts.setdefault(
                r["districtCode"],
                LegacyDistrictRow(
                    r["districtCode"],
                    r["provinceCode"],
                    r["province"],
                    r["district"],
                    (r["districtShort"] or "").strip(),
                    (r["districtType"] or "").strip(),
                ),
            )
            if not r["wardCode"]:  # island districts with no commune level (Côn Cỏ, Hoàng Sa …)
                district_key_to_code[f"{r['provinceKey']}_{r['districtKey']}_"] = r["districtCode"]
                continue
            legacy_communes.append(
                LegacyCommuneRow(
                    r["wardCode"],
                    r["districtCode"],
                    r["provinceCode"],
                    r["ward"],
                    r["wardShort"],
                    r["wardType"] or "",
                    r["wardLat"],
                    r["wardLon"],
                )
            )
            old_key_to_code[f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"] = r["wardCode"]
    finally:
        db.close()

    crosswalk, unjoined = _crosswalk(folder, new_key_to_code, old_key_to_code)
    successors = {
        district_key_to_code[k]: v for k, v in unjoined.items() if k in district_key_to_code
    }
    if len(successors) != len(unjoined):
        missing = sorted(set(unjoined) - set(district_key_to_code))
        raise ValueError(f"{SOURCE}: crosswalk keys that match no unit: {missing[:5]}")
    return UnitsData(
        provinces=sorted(provinces.values(), key=lambda p: p.code),
        communes=communes,
        legacy_provinces=sorted(legacy_provinces.values(), key=lambda p: p.code),
        legacy_districts=sorted(districts.values(), key=lambda d: d.code),
        legacy_communes=sorted(legacy_communes, key=lambda c: c.code),
        crosswalk=crosswalk,
        district_successors=successors,
    )


def _crosswalk(
    folder: Path,
    new_key_to_code: dict[tuple[str, str], str],
    old_key_to_code: dict[str, str],
) -> tuple[list[CrosswalkRow], dict[str, str]]:
    """Old commune → new communes; and the keys that joined no old commune, with their target."""
    table = json.loads((folder / "converter_2025.json").read_text(encoding="utf-8"))
    targets: dict[str, dict[str, bool]] = defaultdict(dict)
    unjoined: dict[str, str] = {}

    for province_key, wards in table["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward_key, old_keys in wards.items():
            new_code = new_key_to_code.get((province_key, new_ward_key))
            for old_key in old_keys:
                old_code = old_key_to_code.get(old_key)
                if new_code is None or old_code is None:
                    unjoined[old_key] = new_code or ""
                    continue
                targets[old_code].setdefault(new_code, True)

    for province_key, old_entries in table["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, news in old_entries.items():
            old_code = old_key_to_code.get(old_key)
            if old_code is None:
                unjoined[old_key] = ""
                continue
            for new in news:
                new_code = new_key_to_code.get((province_key, new["newWardKey"]))
                if new_code is None:
                    unjoined[f"{province_key}_{new['newWardKey']}"] = ""
                    continue
                targets[old_code][new_code] = bool(new["isDefaultNewWard"])

    rows: list[CrosswalkRow] = []
    for old_code in sorted(targets):
        news = targets[old_code]
        if len(news) > 1 and not any(news.values()):
            first = min(news)
            news = {code: code == first for code in news}
        if len(news) > 1 and sum(news.values()) > 1:
            # an old commune listed whole under one new commune and split under others:
            # the split table's default wins.
            defaults = sorted(c for c, d in news.items() if d)
            news = {code: code == defaults[0] for code in news}
        rows.extend(CrosswalkRow(old_code, new_code, d) for new_code, d in sorted(news.items()))
    return rows, unjoined
