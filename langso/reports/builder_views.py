"""The report builder (any indicators × a level of units × years, to screen, XLSX or PDF) and
the printable one-page brief of an area (HTML, PDF, PNG), within the user's area."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from langso.reports import builder, charts, documents, headlines, indicators, queries

MAX_PDF_ROWS = 1500  # a longer table belongs in a spreadsheet
MAX_SCREEN_ROWS = 300
BRIEF_FIGURES = (
    "poor_rate",
    "near_poor_rate",
    "deprived_information_access_rate",
    "smartphone_rate",
    "broadband_rate",
    "households_reached_rate",
    "villages_4g_full_rate",
    "mobile_subscribers_per_100",
)


def basis_text() -> str:
    return _(
        "Địa giới: đơn vị hành chính hiện hành (34 tỉnh, thành phố; chính quyền địa phương hai "
        "cấp từ 01/07/2025); số liệu các năm trước được tính theo xã, phường hiện hành của hộ. "
        "Tỷ lệ hộ của năm trước tính trên số hộ được rà soát năm đó; số liệu hồ sơ số, hạ tầng "
        "và thiết bị chỉ có cho năm hiện tại."
    )


def _units(user, level: str, year_counts: dict, commune: str | None) -> list[builder.Unit]:
    keys = sorted({key for counts in year_counts.values() for key in counts})
    if level == "province":
        named = queries.provinces_named(keys)
        return [builder.Unit(k, named[k].name) for k in keys if k in named]
    if level == "commune":
        named = {c.code: c for c in queries.communes_for(user).select_related("province")}
        units = [builder.Unit(k, named[k].name, named[k].province.name) for k in keys if k in named]
        return sorted(units, key=lambda u: (u.parent, u.name))
    named = queries.villages_named([int(k) for k in keys])
    units = [
        builder.Unit(str(v.pk), v.name, v.commune.name)
        for v in (named.get(int(k)) for k in keys)
        if v is not None
    ]
    return sorted(units, key=lambda u: (u.parent, u.name))


def _counts(user, level: str, years: list[int], commune: str | None) -> dict:
    found = {}
    for year in years:
        if level == "province":
            found[year] = queries.by_province(user, year)
        elif level == "commune":
            found[year] = queries.by_commune(user, year, commune)
        else:
            found[year] = {str(k): v for k, v in queries.by_village(user, year, commune).items()}
    return found


@login_required
def report_builder(request: HttpRequest) -> HttpResponse:
    user = request.user
    language = get_language() or "vi"
    shown = queries.indicators_for(user)
    years = queries.years(user)
    communes = list(queries.communes_for(user)[:5000])
    codes = {c.code for c in communes}
    data = request.GET
    chosen_codes = data.getlist("indicator")
    chosen = [i for i in shown if i.code in chosen_codes]
    if len(chosen) != len(set(chosen_codes)):
        raise Http404  # an unknown indicator, or one the user may not see
    chosen_years = sorted({int(y) for y in data.getlist("year") if y.isdigit()} & set(years))
    level = data.get("level") or "commune"
    commune = data.get("commune") or None
    if level not in builder.LEVELS or (commune and commune not in codes):
        raise Http404
    context = {
        "shown_indicators": shown,
        "years": years,
        "communes": communes,
        "levels": LEVEL_LABELS,
        "level": level,
        "commune": commune,
        "chosen_codes": chosen_codes,
        "chosen_years": chosen_years or years[:2],
        "language": language,
        "basis": basis_text(),
        "catalogue": queries.catalogue(),
    }
    if not chosen or not chosen_years:
        context["prompt"] = bool(data)
        return render(request, "reports/builder.html", context)
    counts = _counts(user, level, chosen_years, commune)
    table = builder.build(level, _units(user, level, counts, commune), chosen, chosen_years, counts)
    if any(i.sensitive for i in chosen):
        queries.ethnicity_shown(user, f"báo cáo {', '.join(i.code for i in chosen if i.sensitive)}")
    area = _area_label(user, commune)
    heading = [
        _("Báo cáo chỉ tiêu chuyển đổi số và giảm nghèo"),
        f"{_('Địa bàn')}: {area} · {_('Cấp')}: {LEVEL_LABELS[level]} · "
        f"{_('Năm')}: {', '.join(map(str, chosen_years))}",
        basis_text(),
        _("Danh mục chỉ tiêu phiên bản %(v)s. Lập lúc %(t)s bởi %(u)s.")
        % {
            "v": queries.catalogue().version,
            "t": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
            "u": user.get_username(),
        },
    ]
    fmt = data.get("format")
    if fmt == "xlsx":
        response = HttpResponse(
            documents.xlsx(table, heading, queries.catalogue()), content_type=documents.XLSX_TYPE
        )
        response["Content-Disposition"] = 'attachment; filename="bao-cao-chi-tieu.xlsx"'
        return response
    rows = _formatted(table, language)
    if fmt == "pdf":
        if len(rows) > MAX_PDF_ROWS:
            context["too_long"] = len(rows)
            return render(request, "reports/builder.html", context, status=400)
        html = render_to_string(
            "reports/report_pdf.html",
            {
                "heading": heading,
                "table": table,
                "rows": rows,
                "language": language,
                "total": _cells(table.columns, table.total, language),
                "chosen": chosen,
            },
        )
        response = HttpResponse(documents.pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="bao-cao-chi-tieu.pdf"'
        return response
    context.update(
        table=table,
        rows=rows[:MAX_SCREEN_ROWS],
        more=max(len(rows) - MAX_SCREEN_ROWS, 0),
        total=_cells(table.columns, table.total, language),
        heading=heading,
        query=data.urlencode(),
    )
    return render(request, "reports/builder.html", context)


LEVEL_LABELS = {
    "province": gettext_lazy("Tỉnh, thành phố"),
    "commune": gettext_lazy("Xã, phường"),
    "village": gettext_lazy("Thôn, bản, tổ dân phố"),
}


def _cells(columns, values, language: str) -> list[str]:
    return [
        indicators.format_value(c.indicator, v, language)
        for c, v in zip(columns, values, strict=True)
    ]


def _formatted(table: builder.Table, language: str) -> list:
    return [(unit, _cells(table.columns, cells, language)) for unit, cells in table.rows]


def _area_label(user, commune: str | None) -> str:
    """The area a report covers, as its heading names it."""
    from langso.accounts.scope import area_of

    if commune:
        found = queries.communes_for(user).filter(code=commune).first()
        return found.name if found else commune
    area = area_of(user)
    if area.everything:
        return _("Toàn quốc")
    names = [p.name for p in queries.provinces_named(sorted(area.provinces)).values()]
    names += [c.name for c in queries.communes_for(user).filter(code__in=area.communes)]
    return ", ".join(names) or _("Thôn được giao")


@login_required
def brief(request: HttpRequest) -> HttpResponse:
    """One printable page of an area's picture in a year: headline sentences, key figures with
    their change, a trend chart, the communes (or villages) furthest behind, the basis."""
    user = request.user
    language = get_language() or "vi"
    years = queries.years(user)
    if not years:
        raise Http404
    try:
        year = int(request.GET.get("year") or years[0])
    except ValueError:
        raise Http404 from None
    commune = request.GET.get("commune") or None
    if year not in years or (
        commune and not queries.communes_for(user).filter(code=commune).exists()
    ):
        raise Http404
    fmt = request.GET.get("format") or "html"
    if fmt not in ("html", "pdf", "png"):
        raise Http404
    html = render_to_string("reports/brief.html", brief_context(user, year, commune, language))
    if fmt == "html":
        return HttpResponse(html)
    document = documents.pdf(html)
    name = f"ban-tin-{commune or 'dia-ban'}-{year}"
    if fmt == "pdf":
        response = HttpResponse(document, content_type="application/pdf")
    else:
        response = HttpResponse(documents.png(document), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    return response


BRIEF_PANELS = (  # (a trend over the years, the units furthest behind on)
    ("poor_rate", "poor_rate"),
    ("deprived_information_access_rate", "smartphone_rate"),
)


def _panel(trend, ranked, series: dict, units: dict, named: dict, language: str) -> dict:
    """A trend chart of one indicator and bars of the ten units furthest behind on another
    (highest for an indicator where lower is better, lowest otherwise)."""
    line = charts.line_chart(
        [(str(y), indicators.value(trend, m)) for y, m in sorted(series.items())],
        shown=lambda v: indicators.format_value(trend, v, language),
        width=340,
        height=160,
    )
    values = [(named.get(k, str(k)), indicators.value(ranked, m)) for k, m in units.items()]
    known = (r for r in values if r[1] is not None)
    worst = sorted(known, key=lambda r: indicators.worst_first(ranked, r[1]))[:10]
    bars = charts.bar_chart(
        worst,
        shown=lambda v: indicators.format_value(ranked, v, language),
        width=340,
        label_width=130,
        bar_height=12,
        gap=4,
    )
    return {
        "trend": trend,
        "line": line,
        "ranked": ranked,
        "bars": bars,
        "highest": ranked.direction == "down",
    }


def brief_context(user, year: int, commune: str | None, language: str) -> dict:
    shown = queries.indicators_for(user)
    series = queries.by_year(user, commune)
    now = series.get(year) or {}
    before = series.get(year - 1)
    ethnicity = queries.may_see_ethnicity(user)
    catalogue = queries.catalogue()
    key = [catalogue.by_code(code) for code in BRIEF_FIGURES]
    figures = queries.figures(now, before, language, tuple(key))
    if commune:
        units = queries.by_village(user, year, commune)
        named = {pk: v.name for pk, v in queries.villages_named(list(units)).items()}
    else:
        units = queries.by_commune(user, year)
        named = {c.code: c.name for c in queries.communes_for(user)}
    panels = [
        _panel(catalogue.by_code(trend), catalogue.by_code(ranked), series, units, named, language)
        for trend, ranked in BRIEF_PANELS
    ]
    if ethnicity and any(i.sensitive for i in shown):
        queries.ethnicity_shown(user, f"bản tin năm {year}")
    return {
        "area": _area_label(user, commune),
        "year": year,
        "commune": commune,
        "headlines": headlines.sentences(
            now, before, year=year, language=language, with_ethnicity=ethnicity
        ),
        "figures": figures,
        "panels": panels,
        "units_label": _("Thôn") if commune else _("Xã, phường"),
        "basis": basis_text(),
        "catalogue": catalogue,
        "language": language,
        "made_at": timezone.localtime(),
        "refreshed_at": queries.refreshed_at(user),
    }
