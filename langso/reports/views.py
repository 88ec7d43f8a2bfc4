"""The dashboard: the province's (or a commune's) digital-inclusion picture as the catalogue's
indicators, with the change from the year before, every figure opening the list behind it, and
the communes compared on any indicator."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from langso.infra.models import Level
from langso.reports import charts, headlines, indicators, mapping, queries

GROUP_LABELS = {
    "poverty": _("Giảm nghèo"),
    "information": _("Thiếu hụt thông tin"),
    "digital_access": _("Hộ gia đình và công nghệ số"),
    "teams": _("Tổ công nghệ số cộng đồng"),
    "infrastructure": _("Hạ tầng viễn thông"),
    "outreach": _("Thông tin cơ sở"),
}


def drill_url(indicator: indicators.Indicator, year: int, commune: str | None) -> str | None:
    """The page listing what a figure counts, within the user's own scope (each list page
    restricts itself)."""
    drill = indicator.drill
    if drill is None:
        return None
    params = drill.params()
    where = {"commune": commune} if commune else {}
    if drill.list == "households":
        field = next((k.split(".", 1)[1] for k in params if k.startswith("digital.")), None)
        if field:
            field = field.split("__")[0]
            return (
                reverse("registry:list")
                + "?"
                + urlencode({**where, "digital": field, "digital_value": "no"})
            )
        if "visited" in params:
            return reverse("teams:progress")
        query = {"year": year, **({"commune": commune} if commune else {})}
        return reverse("poverty:reports") + "?" + urlencode(query)
    if drill.list == "teams":
        return reverse("teams:list")
    if drill.list == "stations":
        return reverse("infra:stations") + ("?" + urlencode(where) if where else "")
    if drill.list == "hotspots":
        return reverse("infra:hotspots")
    if drill.list == "devices":
        return reverse("outreach:devices")
    if drill.list == "villages":
        return reverse("infra:coverage", args=[commune]) if commune else reverse("infra:overview")
    return None


def _chosen(request: HttpRequest, key: str, default: str, shown: tuple) -> indicators.Indicator:
    code = request.GET.get(key) or default
    for indicator in shown:
        if indicator.code == code:
            return indicator
    raise Http404


def _shown(indicator: indicators.Indicator, language: str):
    return lambda v: indicators.format_value(indicator, v, language)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    language = get_language() or "vi"
    years = queries.years(user)
    if not years:
        return render(request, "reports/dashboard.html", {"empty": True})
    try:
        year = int(request.GET.get("year") or years[0])
    except ValueError:
        raise Http404 from None
    if year not in years:
        raise Http404
    commune = request.GET.get("commune") or None
    communes = list(queries.communes_for(user)[:5000])
    names = {c.code: c for c in communes}
    if commune and commune not in names:
        raise Http404
    shown = queries.indicators_for(user)
    ethnicity = queries.may_see_ethnicity(user)
    series = queries.by_year(user, commune)
    now = series.get(year) or queries.measures(user, year, commune)
    before = series.get(year - 1)
    figures = queries.figures(now, before, language, shown)
    links = {f.indicator.code: drill_url(f.indicator, year, commune) for f in figures}
    groups: dict[str, list] = {}
    for f in figures:
        groups.setdefault(f.indicator.group, []).append((f, links[f.indicator.code]))
    compared = _chosen(request, "compare", "poor_rate", shown)
    trend = _chosen(request, "trend", "poor_rate", shown)
    chart = charts.line_chart(
        [(str(y), indicators.value(trend, m)) for y, m in sorted(series.items())],
        shown=_shown(trend, language),
        width=330,
        height=190,
    )
    if commune:
        comparison, circles = _villages_compared(user, year, commune, compared, language)
    else:
        comparison, circles = _communes_compared(user, year, names, compared, language)
    breakdown = []
    if ethnicity:
        breakdown = [
            (
                b.indicator,
                indicators.format_value(b.indicator, b.all, language),
                indicators.format_value(b.indicator, b.minority, language),
                indicators.format_value(b.indicator, b.others, language),
            )
            for b in indicators.by_minority(queries.catalogue(), now)
        ]
        queries.ethnicity_shown(
            user, f"bảng điều khiển năm {year}{' xã ' + commune if commune else ''}"
        )
    return render(
        request,
        "reports/dashboard.html",
        {
            "circles": circles,
            "palette": mapping.PALETTE,
            "year": year,
            "years": years,
            "commune": names.get(commune) if commune else None,
            "communes": communes,
            "headlines": headlines.sentences(
                now, before, year=year, language=language, with_ethnicity=ethnicity
            ),
            "groups": [(GROUP_LABELS.get(g, g), rows) for g, rows in groups.items()],
            "catalogue": queries.catalogue(),
            "shown_indicators": shown,
            "compared": compared,
            "comparison": comparison,
            "trend": trend,
            "chart": chart,
            "breakdown": breakdown,
            "language": language,
            "today": dt.date.today(),
        },
    )


def _communes_compared(user, year: int, names: dict, compared, language: str):
    """The communes of the area on one indicator, worst first, and their map circles."""
    per_commune = queries.by_commune(user, year)
    rows = sorted(
        (
            (names[code], indicators.value(compared, m))
            for code, m in per_commune.items()
            if code in names
        ),
        key=lambda r: indicators.worst_first(compared, r[1]),
    )
    comparison = [
        (c.name, f"?year={year}&commune={c.code}", indicators.format_value(compared, v, language))
        for c, v in rows
    ]
    shown = {c.code: text for (c, _v), (_n, _l, text) in zip(rows, comparison, strict=True)}
    circles = mapping.layout(
        [
            mapping.Point(
                code,
                names[code].name,
                names[code].lat,
                names[code].lon,
                m.get("households") or m.get("assessed") or 0,
                indicators.value(compared, m),
            )
            for code, m in per_commune.items()
            if code in names
        ],
        reverse=compared.direction == "up",  # the worse, the darker
    )
    return comparison, [(c, shown.get(c.code, "")) for c in circles]


def _villages_compared(user, year: int, commune: str, compared, language: str):
    """The villages of one commune on one indicator, worst first (each opens its
    households)."""
    per_village = queries.by_village(user, year, commune)
    villages = queries.villages_named(list(per_village))
    rows = sorted(
        (
            (villages[pk], indicators.value(compared, m))
            for pk, m in per_village.items()
            if pk in villages
        ),
        key=lambda r: (*indicators.worst_first(compared, r[1]), r[0].name),
    )
    registry = reverse("registry:list")
    return [
        (
            v.name,
            f"{registry}?{urlencode({'commune': commune, 'village': v.pk})}",
            indicators.format_value(compared, value, language),
        )
        for v, value in rows
    ], []


GAP_LABELS = {
    "out_of_reach": _("Chưa có sóng 4G, chưa có cáp quang: cần đầu tư hạ tầng"),
    "despite_coverage": _("Đã có sóng nhưng chưa dùng: cần tổ công nghệ số"),
    "unknown_coverage": _("Chưa ghi nhận vùng phủ sóng"),
}
LACK_LABELS = {"device": _("thiếu thiết bị"), "skill": _("thiếu kỹ năng")}
LEVELS = dict(Level.choices)


@login_required
def gap_finder(request: HttpRequest) -> HttpResponse:
    """Villages where households are deprived on information, because there is no signal or
    broadband, or despite coverage; exportable to XLSX and CSV."""
    user = request.user
    commune = request.GET.get("commune") or None
    communes = list(queries.communes_for(user)[:5000])
    if commune and commune not in {c.code for c in communes}:
        raise Http404
    kind = request.GET.get("kind") or None
    rows = [r for r in queries.gap_rows(user, commune) if r.kind and (not kind or r.kind == kind)]
    rows.sort(key=lambda r: (-r.gap.deprived, r.commune, r.village))
    if request.GET.get("format") in ("xlsx", "csv"):
        return _gap_export(rows, request.GET["format"])
    counts = {k: 0 for k in GAP_LABELS}
    for r in rows:
        counts[r.kind] += 1
    return render(
        request,
        "reports/gaps.html",
        {
            "rows": [
                (
                    r,
                    LACK_LABELS.get(r.lack, ""),
                    LEVELS.get(r.gap.coverage_4g, "?"),
                    LEVELS.get(r.gap.fibre, "?"),
                )
                for r in rows[:200]
            ],
            "cards": [(k, label, counts[k]) for k, label in GAP_LABELS.items()],
            "more": max(len(rows) - 200, 0),
            "communes": communes,
            "commune": commune,
            "kind": kind,
            "labels": GAP_LABELS,
            "lacks": LACK_LABELS,
            "counts": counts,
            "query": request.GET.urlencode(),
        },
    )


def _gap_export(rows: list, fmt: str) -> HttpResponse:
    import csv
    import io

    header = [
        "Xã / phường",
        "Thôn",
        "Số hộ",
        "Hộ thiếu hụt thông tin",
        "Sóng 4G",
        "Cáp quang",
        "Hộ chưa có điện thoại thông minh",
        "Hộ chưa dùng Internet",
        "Loại khoảng trống",
        "Thiếu chủ yếu",
    ]
    body = [
        [
            r.commune,
            r.village,
            r.gap.households,
            r.gap.deprived,
            str(LEVELS.get(r.gap.coverage_4g, "")),
            str(LEVELS.get(r.gap.fibre, "")),
            r.gap.without_smartphone,
            r.gap.not_using_internet,
            str(GAP_LABELS[r.kind]),
            str(LACK_LABELS.get(r.lack, "")),
        ]
        for r in rows
    ]
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="khoang-trong-thong-tin.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerows(body)
        return response
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Khoảng trống thông tin")
    sheet.append(header)
    for row in body:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    response = HttpResponse(
        stream.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="khoang-trong-thong-tin.xlsx"'
    return response
