"""The headline sentences of an area's picture, as the seed articles write them (pure).

"1.462 tổ công nghệ số cộng đồng với 6.686 thành viên", "Tỷ lệ hộ nghèo giảm 4,23 điểm phần
trăm (5.349 hộ), từ 28,94% năm 2022 xuống còn 24,71% năm 2023", "khoảng 50% hộ có Internet
băng rộng cố định": each sentence is made from the counts of the area (the same ``measures`` as
the dashboard), in Vietnamese or English, and left out when its counts are unknown or zero.
"""

from __future__ import annotations

from collections.abc import Mapping

from langso.reports.indicators import format_number

Measures = Mapping[str, int | float | None]

TEXTS = {
    "vi": {
        "teams": "{teams} tổ công nghệ số cộng đồng với {members} thành viên",
        "reached": "; {reached} hộ đã được hướng dẫn tận nhà",
        "poor_change": "Tỷ lệ hộ nghèo {verb} {points} điểm phần trăm ({households} hộ), từ "
        "{before} năm {year_before} {to} {now} năm {year}",
        "fell": ("giảm", "xuống còn"),
        "rose": ("tăng", "lên"),
        "poor_now": "Tỷ lệ hộ nghèo năm {year}: {now} ({poor} hộ nghèo)",
        "minority_change": "Hộ nghèo dân tộc thiểu số {verb} {points} điểm phần trăm, từ "
        "{before} {to} {now}",
        "minority_to": ("xuống", "lên"),
        "broadband": "Khoảng {share} hộ có Internet băng rộng cố định, {smartphone} hộ có điện "
        "thoại thông minh (trong {profiled} hộ có hồ sơ số)",
        "deprived": "{households} hộ ({share}) thiếu hụt về phương tiện tiếp cận thông tin",
        "stations": "{stations} trạm BTS; {full4g} thôn được phủ sóng 4G toàn bộ",
        "wifi": "; {wifi} điểm wifi công cộng",
        "subscribers": "{phone} thuê bao điện thoại ({mobile} di động), {internet} thuê bao "
        "Internet cố định, {iptv} thuê bao truyền hình IPTV",
        "devices": "{clusters} cụm loa thông minh và {boards} bảng tin điện tử",
    },
    "en": {
        "teams": "{teams} community digital technology teams with {members} members",
        "reached": "; {reached} households coached at home",
        "poor_change": "The poor-household rate {verb} {points} percentage points "
        "({households} households), from {before} in {year_before} {to} {now} in {year}",
        "fell": ("fell", "to"),
        "rose": ("rose", "to"),
        "poor_now": "Poor-household rate in {year}: {now} ({poor} poor households)",
        "minority_change": "Among ethnic-minority households the rate {verb} {points} "
        "percentage points, from {before} {to} {now}",
        "minority_to": ("to", "to"),
        "broadband": "About {share} of households have fixed broadband, {smartphone} have a "
        "smartphone (of {profiled} households with a digital profile)",
        "deprived": "{households} households ({share}) are deprived of means of access to "
        "information",
        "stations": "{stations} mobile base stations; {full4g} villages fully covered by 4G",
        "wifi": "; {wifi} public wifi points",
        "subscribers": "{phone} telephone subscribers ({mobile} mobile), {internet} fixed "
        "internet subscribers, {iptv} IPTV subscribers",
        "devices": "{clusters} smart loudspeaker clusters and {boards} electronic bulletin boards",
    },
}


def _texts(language: str) -> dict:
    return TEXTS["en" if language.startswith("en") else "vi"]


def _n(v: float, language: str) -> str:
    return format_number(v, 0, language)


def _pct(part: float, whole: float, language: str, decimals: int = 2) -> str:
    return format_number(100.0 * part / whole, decimals, language) + "%"


def _rates(now: Measures, before: Measures, part: str, base: str) -> tuple[float, float] | None:
    """The rate part/base a year before and now, in percent; None if either is unknown."""
    a, b = before.get(part), now.get(part)
    da, db = before.get(base), now.get(base)
    if a is None or b is None or not da or not db:
        return None
    return 100.0 * a / da, 100.0 * b / db


def sentences(
    now: Measures,
    before: Measures | None,
    *,
    year: int,
    language: str = "vi",
    with_ethnicity: bool = False,
) -> list[str]:
    """The area's headline sentences for ``year`` (``before``: the year before's counts, for
    the poverty change). Minority figures only ``with_ethnicity`` (sensitive data)."""
    t = _texts(language)
    out = []
    teams, members = now.get("teams"), now.get("team_members")
    if teams:
        text = t["teams"].format(teams=_n(teams, language), members=_n(members or 0, language))
        if now.get("households_reached"):
            text += t["reached"].format(reached=_n(now["households_reached"], language))
        out.append(text)
    rates = _rates(now, before or {}, "poor", "households")
    if rates:
        was, is_ = rates
        verb, to = t["fell"] if is_ <= was else t["rose"]
        out.append(
            t["poor_change"].format(
                verb=verb,
                to=to,
                points=format_number(abs(is_ - was), 2, language),
                households=_n(abs((before or {}).get("poor", 0) - now.get("poor", 0)), language),
                before=format_number(was, 2, language) + "%",
                now=format_number(is_, 2, language) + "%",
                year_before=year - 1,
                year=year,
            )
        )
        minority = _rates(now, before or {}, "minority_poor", "minority_households")
        if with_ethnicity and minority:
            was, is_ = minority
            fell = is_ <= was
            out.append(
                t["minority_change"].format(
                    verb=(t["fell"] if fell else t["rose"])[0],
                    to=t["minority_to"][0 if fell else 1],
                    points=format_number(abs(is_ - was), 2, language),
                    before=format_number(was, 2, language) + "%",
                    now=format_number(is_, 2, language) + "%",
                )
            )
    elif now.get("households") and now.get("poor") is not None:
        out.append(
            t["poor_now"].format(
                year=year,
                now=_pct(now["poor"], now["households"], language),
                poor=_n(now["poor"], language),
            )
        )
    if now.get("assessed") and now.get("deprived_information_access"):
        out.append(
            t["deprived"].format(
                households=_n(now["deprived_information_access"], language),
                share=_pct(now["deprived_information_access"], now["assessed"], language),
            )
        )
    profiled = now.get("profiled")
    if profiled and now.get("with_broadband") is not None:
        out.append(
            t["broadband"].format(
                share=_pct(now["with_broadband"], profiled, language, decimals=0),
                smartphone=_pct(now.get("with_smartphone") or 0, profiled, language, 0),
                profiled=_n(profiled, language),
            )
        )
    if now.get("base_stations"):
        text = t["stations"].format(
            stations=_n(now["base_stations"], language),
            full4g=_n(now.get("villages_4g_full") or 0, language),
        )
        if now.get("wifi_points"):
            text += t["wifi"].format(wifi=_n(now["wifi_points"], language))
        out.append(text)
    if now.get("mobile_subscribers") or now.get("internet_subscribers"):
        out.append(
            t["subscribers"].format(
                phone=_n(now.get("phone_subscribers") or 0, language),
                mobile=_n(now.get("mobile_subscribers") or 0, language),
                internet=_n(now.get("internet_subscribers") or 0, language),
                iptv=_n(now.get("iptv_subscribers") or 0, language),
            )
        )
    if now.get("radio_clusters") or now.get("boards"):
        out.append(
            t["devices"].format(
                clusters=_n(now.get("radio_clusters") or 0, language),
                boards=_n(now.get("boards") or 0, language),
            )
        )
    return [s + "." for s in out]
