"""What the infrastructure files from operators and communes hold, row by row (pure: no Django).

Four kinds of file, each a CSV or XLSX with Vietnamese or English headers:
- ``stations``: operator, site code, commune, village, 2G/3G/4G/5G, status, lat/lon, on-air date;
- ``coverage``: commune, village, network (2G… 5G, fibre), level (full / partial / none), date;
- ``subscribers``: commune, period end, operator, kind (mobile, fixed phone, internet, mobile
  data, IPTV), count;
- ``hotspots``: commune, village, name, place, provider, free, date.

``parse`` turns one row's text into clean values or a list of (field, value, reason) errors; the
service resolves communes and villages, checks scope, and writes all or nothing.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

COMMUNE = {"commune_code": ("mã xã", "ma_xa", "ma xa phuong"), "commune": ("xã", "xa", "xã phường")}
VILLAGE = {"village": ("thôn", "thon", "thôn bản", "thôn, tổ dân phố", "ten thon")}

COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "stations": {
        **COMMUNE,
        **VILLAGE,
        "operator": ("nhà mạng", "nha mang", "doanh nghiệp"),
        "site_code": ("mã trạm", "ma tram", "site", "site id"),
        "g2": ("2g",),
        "g3": ("3g",),
        "g4": ("4g",),
        "g5": ("5g",),
        "status": ("tình trạng", "trạng thái"),
        "lat": ("vĩ độ", "latitude"),
        "lon": ("kinh độ", "longitude"),
        "on_air_on": ("ngày phát sóng", "on air"),
    },
    "coverage": {
        **COMMUNE,
        **VILLAGE,
        "network": ("mạng", "công nghệ", "cong nghe", "technology"),
        "level": ("mức phủ sóng", "phủ sóng", "muc phu song"),
        "as_of": ("thời điểm", "ngày", "date"),
        "note": ("ghi chú",),
    },
    "subscribers": {
        **COMMUNE,
        "period_end": ("cuối kỳ", "kỳ", "ky bao cao", "period"),
        "operator": ("nhà mạng", "doanh nghiệp"),
        "kind": ("loại thuê bao", "loại", "loai thue bao"),
        "count": ("số thuê bao", "so thue bao", "số lượng", "subscribers"),
    },
    "hotspots": {
        **COMMUNE,
        **VILLAGE,
        "name": ("tên điểm", "tên", "ten diem"),
        "place": ("nơi đặt", "loại điểm", "noi dat"),
        "provider": ("đơn vị cung cấp", "nhà mạng"),
        "free": ("miễn phí", "mien phi"),
        "installed_on": ("ngày lắp đặt", "ngày"),
    },
}
REQUIRED = {
    "stations": ("operator", "site_code"),
    "coverage": ("village", "network", "level"),
    "subscribers": ("period_end", "operator", "kind", "count"),
    "hotspots": ("name",),
}


def key(text: str) -> str:
    """Lower case, no marks, "đ" as "d", single spaces: how values are matched."""
    text = unicodedata.normalize("NFD", text.strip().lower().replace("đ", "d"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


# Each table reads what files commonly say, the stored codes (English) and the labels the app
# shows, so that a file filled in from the app's own lists reads back (a test checks the last two).
OPERATORS = {
    "viettel": "viettel",
    "vnpt": "vnpt",
    "vinaphone": "vnpt",
    "vnpt (vinaphone)": "vnpt",
    "mobifone": "mobifone",
    "vietnamobile": "vietnamobile",
    "gtel": "gtel",
    "gmobile": "gtel",
    "gtel (gmobile)": "gtel",
    "fpt": "fpt",
    "fpt telecom": "fpt",
    "sctv": "sctv",
    "dung chung": "shared",
    "dung chung / don vi ha tang": "shared",
    "shared": "shared",
    "tong": "other",
    "tat ca": "other",
    "khac": "other",
    "other": "other",
}
NETWORKS = {
    "2g": "2g",
    "3g": "3g",
    "4g": "4g",
    "lte": "4g",
    "5g": "5g",
    "cap quang": "fibre",
    "fibre": "fibre",
    "fiber": "fibre",
    "ftth": "fibre",
    "bang rong co dinh": "fibre",
    "cap quang / bang rong co dinh": "fibre",
}
LEVELS = {
    "full": "full",
    "toan thon": "full",
    "phu toan thon": "full",
    "co": "full",
    "partial": "partial",
    "mot phan": "partial",
    "phu mot phan": "partial",
    "none": "none",
    "khong": "none",
    "khong co": "none",
    "lom": "none",
}
KINDS = {
    "mobile": "mobile",
    "di dong": "mobile",
    "thue bao di dong": "mobile",
    "fixed_phone": "fixed_phone",
    "fixed phone": "fixed_phone",
    "co dinh": "fixed_phone",
    "dien thoai co dinh": "fixed_phone",
    "thue bao dien thoai co dinh": "fixed_phone",
    "internet": "internet",
    "internet co dinh": "internet",
    "bang rong co dinh": "internet",
    "thue bao internet bang rong co dinh": "internet",
    "mobile_data": "mobile_data",
    "mobile data": "mobile_data",
    "bang rong di dong": "mobile_data",
    "thue bao bang rong di dong": "mobile_data",
    "iptv": "iptv",
    "truyen hinh": "iptv",
    "thue bao truyen hinh iptv": "iptv",
}
STATUSES = {
    "": "active",
    "active": "active",
    "dang phat song": "active",
    "hoat dong": "active",
    "planned": "planned",
    "quy hoach": "planned",
    "dang xay": "planned",
    "quy hoach / dang xay": "planned",
    "down": "down",
    "tam ngung": "down",
    "retired": "retired",
    "da thao do": "retired",
}
PLACES = {
    "": "public_space",
    "nha van hoa": "cultural_house",
    "nha van hoa thon": "cultural_house",
    "cultural_house": "cultural_house",
    "tru so": "commune_office",
    "tru so ubnd": "commune_office",
    "tru so ubnd xa": "commune_office",
    "ubnd xa": "commune_office",
    "commune_office": "commune_office",
    "truong": "school",
    "truong hoc": "school",
    "school": "school",
    "tram y te": "health_station",
    "health_station": "health_station",
    "cho": "market",
    "market": "market",
    "noi cong cong": "public_space",
    "noi cong cong khac": "public_space",
    "public_space": "public_space",
}
YES = {"x", "1", "co", "yes", "true", "c"}
NO = {"", "0", "khong", "no", "false", "k"}


@dataclass(frozen=True)
class Problem:
    field: str
    value: str
    reason: str


def parse_date(text: str) -> dt.date | None:
    """15/03/2026, 2026-03-15, 03/2026 (end of month), Q1/2026 or 2026 (end of the period)."""
    text = text.strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            pass
    if m := re.fullmatch(r"(\d{1,2})[/-](\d{4})", text):
        month, year = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return _month_end(year, month)
    if m := re.fullmatch(r"(?:q|quy\s*)([1-4])[/\s-]*(\d{4})", key(text)):
        return _month_end(int(m[2]), int(m[1]) * 3)
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 12, 31)
    raise ValueError(text)


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def _flag(values: dict[str, str], name: str, problems: list[Problem]) -> bool:
    text = key(values.get(name, ""))
    if text in YES:
        return True
    if text not in NO:
        problems.append(Problem(name, values.get(name, ""), "phải là x / có / không"))
    return False


def _choice(values, name, table, problems, reason) -> str | None:
    text = values.get(name, "")
    found = table.get(key(text))
    if found is None:
        problems.append(Problem(name, text, reason))
    return found


def _coordinate(values, name, low, high, problems) -> float | None:
    text = values.get(name, "").replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        problems.append(Problem(name, values.get(name, ""), f"phải là số từ {low} đến {high}"))
        return None
    return number


def _date(values, name, problems, *, required=False) -> dt.date | None:
    text = values.get(name, "")
    try:
        found = parse_date(text)
    except ValueError:
        problems.append(Problem(name, text, "ngày không hợp lệ (dd/mm/yyyy)"))
        return None
    if found is None and required:
        problems.append(Problem(name, "", "thiếu ngày"))
    return found


def parse(kind: str, values: dict[str, str]) -> tuple[dict, list[Problem]]:
    """Clean values of one row of a file of ``kind`` (commune and village left as text)."""
    problems: list[Problem] = []
    out: dict = {"village": values.get("village", "").strip()}
    if kind == "stations":
        out["operator"] = _choice(values, "operator", OPERATORS, problems, "nhà mạng không rõ")
        out["site_code"] = values.get("site_code", "").strip()
        if not out["site_code"] or len(out["site_code"]) > 40:
            problems.append(Problem("site_code", out["site_code"], "thiếu mã trạm hoặc quá dài"))
        for t in ("2g", "3g", "4g", "5g"):
            out[f"has_{t}"] = _flag(values, f"g{t[0]}", problems)
        out["status"] = _choice(values, "status", STATUSES, problems, "tình trạng không rõ")
        out["lat"] = _coordinate(values, "lat", 8.0, 24.0, problems)
        out["lon"] = _coordinate(values, "lon", 102.0, 118.0, problems)
        out["on_air_on"] = _date(values, "on_air_on", problems)
    elif kind == "coverage":
        if not out["village"]:
            problems.append(Problem("village", "", "thiếu tên thôn"))
        out["network"] = _choice(values, "network", NETWORKS, problems, "mạng không rõ")
        out["level"] = _choice(values, "level", LEVELS, problems, "mức phủ sóng không rõ")
        out["as_of"] = _date(values, "as_of", problems)
        out["note"] = values.get("note", "").strip()[:200]
    elif kind == "subscribers":
        out["period_end"] = _date(values, "period_end", problems, required=True)
        out["operator"] = _choice(values, "operator", OPERATORS, problems, "nhà mạng không rõ")
        out["kind"] = _choice(values, "kind", KINDS, problems, "loại thuê bao không rõ")
        text = values.get("count", "").replace(".", "").replace(",", "").replace(" ", "")
        if not text.isdigit() or len(text) > 9:
            problems.append(Problem("count", values.get("count", ""), "phải là số nguyên"))
            out["count"] = None
        else:
            out["count"] = int(text)
    elif kind == "hotspots":
        out["name"] = values.get("name", "").strip()
        if not out["name"] or len(out["name"]) > 200:
            problems.append(Problem("name", out["name"][:40], "thiếu tên hoặc quá dài"))
        out["place"] = _choice(values, "place", PLACES, problems, "nơi đặt không rõ")
        provider = values.get("provider", "") or "khac"
        out["provider"] = OPERATORS.get(key(provider))
        if out["provider"] is None:
            problems.append(Problem("provider", provider, "đơn vị cung cấp không rõ"))
        out["free"] = _flag(values, "free", problems) if values.get("free") else True
        out["installed_on"] = _date(values, "installed_on", problems)
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return out, problems
