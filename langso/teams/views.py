"""Pages of the community digital teams: the field app (visits, offline), teams, worklists."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from langso.accounts.roles import Capability
from langso.core.paging import CappedPaginator
from langso.registry.models import DigitalObservation
from langso.registry.records import DIGITAL_FIELDS
from langso.teams import queries
from langso.teams.forms import TeamForm, TeamMemberForm
from langso.teams.models import VisitConflict
from langso.teams.services import (
    VisitRecord,
    conflict_resolve,
    team_create,
    team_member_add,
    visits_sync,
)
from langso.teams.skills import catalogue

PROGRESS_LABELS = {
    "has_smartphone": _lazy("Có điện thoại thông minh"),
    "uses_internet": _lazy("Dùng Internet"),
    "vneid_level": _lazy("VNeID mức 2"),
    "pays_cashless": _lazy("Thanh toán không tiền mặt"),
    "uses_online_public_services": _lazy("Dịch vụ công trực tuyến"),
}
FACT_LABELS = {
    name: DigitalObservation._meta.get_field(name).verbose_name for name in DIGITAL_FIELDS
}
STATIC = Path(__file__).resolve().parent.parent / "static" / "teams"
SYNC_BATCH_MAX = 500
PHOTO_MAX_BYTES = 2_000_000


def _can_record(user: Any) -> None:
    if not user.can(Capability.RECORD_OBSERVATIONS):
        raise PermissionDenied


def _village_ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.GET.getlist("village") if v.isdigit()]


@login_required
def field_app(request: HttpRequest) -> HttpResponse:
    """The visit recorder: works without signal once opened (service worker, local queue)."""
    _can_record(request.user)
    villages = queries.worklist_villages(request.user)
    return render(
        request,
        "teams/field.html",
        {"villages": villages[:500], "many": villages.count() > 1},
    )


@login_required
def field_data(request: HttpRequest) -> JsonResponse:
    _can_record(request.user)
    try:
        data = queries.field_data(
            request.user,
            _village_ids(request),
            timezone.localdate(),
            language=get_language() or "vi",
        )
    except queries.TooManyHouseholds as error:
        message = _("Địa bàn có %(n)s hộ: hãy chọn thôn để tải về (tối đa %(max)s hộ).") % {
            "n": f"{error.args[0]:,}".replace(",", "."),
            "max": f"{queries.FIELD_HOUSEHOLDS_MAX:,}".replace(",", "."),
        }
        return JsonResponse({"error": message}, status=400)
    return JsonResponse(data)


def _record(raw: dict[str, Any]) -> VisitRecord:
    facts = {k: v for k, v in (raw.get("facts") or {}).items() if k in DIGITAL_FIELDS}
    return VisitRecord(
        household_id=int(raw["household"]),
        visited_on=dt.date.fromisoformat(raw["visited_on"]),
        present=[int(p) for p in raw.get("present") or []],
        skills={str(k): str(v) for k, v in (raw.get("skills") or {}).items()},
        needs=str(raw.get("needs") or ""),
        facts=facts,
        consent_method=str(raw.get("consent_method") or ""),
        client_id=uuid.UUID(str(raw["client_id"])),
        base={k: v for k, v in (raw.get("base") or {}).items() if k in facts},
    )


def _photo(raw: dict[str, Any]) -> ContentFile | None:
    text = raw.get("photo")
    if not text:
        return None
    head, _sep, body = str(text).partition(",")
    if not head.startswith("data:image/jpeg"):
        raise ValueError("photo")
    data = base64.b64decode(body, validate=True)
    if len(data) > PHOTO_MAX_BYTES:
        raise ValueError("photo")
    return ContentFile(data, name=f"{raw['client_id']}.jpg")


@login_required
@require_POST
def field_sync(request: HttpRequest) -> JsonResponse:
    """A batch of visits from the phone's queue; each gets its outcome back."""
    _can_record(request.user)
    try:
        batch = json.loads(request.body)["visits"]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": _("Dữ liệu gửi lên không đọc được.")}, status=400)
    if not isinstance(batch, list) or len(batch) > SYNC_BATCH_MAX:
        return JsonResponse({"error": _("Mỗi lần gửi tối đa 500 lần đến hộ.")}, status=400)
    results = []
    for raw in batch:
        client_id = str(raw.get("client_id", "")) if isinstance(raw, dict) else ""
        try:
            record = _record(raw)
            photo = _photo(raw)
        except (ValueError, KeyError, TypeError, binascii.Error):
            results.append(
                {
                    "client_id": client_id,
                    "status": "refused",
                    "errors": {"__all__": [_("Lần đến hộ này thiếu hoặc sai dữ liệu.")]},
                }
            )
            continue
        (outcome,) = visits_sync(actor=request.user, records=[record], photos={0: photo})
        results.append(
            {
                "client_id": str(outcome.client_id),
                "status": outcome.status,
                "visit": outcome.visit_id,
                "errors": outcome.errors,
                "conflicts": [
                    {"field": c.field, "base": c.base, "mine": c.mine, "theirs": c.theirs}
                    for c in outcome.conflicts
                ],
            }
        )
    return JsonResponse({"results": results})


def service_worker(request: HttpRequest) -> HttpResponse:
    """The field app's service worker, served under its scope (/teams/field/)."""
    response = HttpResponse(
        (STATIC / "sw.js").read_text(encoding="utf-8"), content_type="text/javascript"
    )
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "name": "Làng số: tổ công nghệ số",
            "short_name": "Làng số",
            "start_url": "/teams/field/",
            "scope": "/teams/field/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b6e4f",
            "lang": "vi",
        },
        content_type="application/manifest+json",
    )


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    """The teams of the user's area, counted like the articles count them; a new team."""
    user = request.user
    today = timezone.localdate()
    can_manage = user.can(Capability.MANAGE_TEAMS)
    form = None
    if can_manage:
        form = TeamForm(
            request.POST or None,
            request.FILES or None,
            communes=queries.manageable_communes(user),
            villages=queries.worklist_villages(user)[:2000],
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                team = team_create(
                    actor=user,
                    commune_code=data["commune"],
                    village_id=data["village"],
                    name=data["name"],
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    established_on=data["established_on"],
                    decision_file=data["decision_file"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã thành lập tổ %(name)s.") % {"name": team.name})
                return redirect("teams:team", team.pk)
    elif request.method == "POST":
        raise PermissionDenied
    page = CappedPaginator(queries.teams_listed(user, today), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "teams/list.html",
        {
            "counts": queries.team_counts(user, today),
            "page": page,
            "form": form,
        },
    )


@login_required
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    """A team's decision and members; an officer adds members."""
    user = request.user
    team = get_object_or_404(queries.teams_for(user), pk=team_id)
    can_manage = user.can(Capability.MANAGE_TEAMS) and queries.writable_team(user, team)
    form = None
    if can_manage:
        form = TeamMemberForm(
            request.POST or None,
            villages=queries.team_villages(team),
            accounts=queries.team_accounts(team),
        )
        if team.village_id and not form.is_bound:
            form.fields["villages"].initial = [team.village_id]
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                member = team_member_add(
                    actor=user,
                    team_id=team.pk,
                    full_name=data["full_name"],
                    phone=data["phone"],
                    role=data["role"],
                    kind=data["kind"],
                    village_ids=data["villages"],
                    starts_on=data["starts_on"],
                    user=queries.team_accounts(team).filter(pk=data["account"]).first()
                    if data["account"]
                    else None,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Đã thêm %(name)s vào tổ.") % {"name": member.full_name}
                )
                return redirect("teams:team", team.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "teams/detail.html",
        {"team": team, "members": queries.members_of(team), "form": form},
    )


@login_required
def team_decision(request: HttpRequest, team_id: int) -> FileResponse:
    """The uploaded founding decision, to those who can see the team."""
    team = get_object_or_404(queries.teams_for(request.user), pk=team_id)
    if not team.decision_file:
        raise Http404
    return FileResponse(team.decision_file.open("rb"), filename=Path(team.decision_file.name).name)


def _period(request: HttpRequest, today: dt.date) -> tuple[dt.date, dt.date]:
    try:
        start = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today.replace(month=1, day=1)
    try:
        end = dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = today
    return start, max(start, end)


@login_required
def progress(request: HttpRequest) -> HttpResponse:
    """What the teams have done in a period, by commune, village or member; as XLSX too."""
    from langso.teams import progress as figures
    from langso.teams.progress_xlsx import progress_workbook

    user = request.user
    today = timezone.localdate()
    start, end = _period(request, today)
    group = request.GET.get("group", "")
    if group not in figures.GROUPS:
        group = "village" if queries.manageable_communes(user).count() == 1 else "commune"
    rows, total = figures.progress(user, group, start, end)
    skills = figures.skills_progress(user, start, end)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            progress_workbook(rows, total, skills, group=group, start=start, end=end),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="ket-qua-to-cong-nghe-so-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
        )
        return response
    return render(
        request,
        "teams/progress.html",
        {
            "rows": rows,
            "total": total,
            "skills": skills,
            "group": group,
            "start": start,
            "end": end,
            "moved_labels": PROGRESS_LABELS,
            "information": figures.information_indicators(user),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def household_visits(request: HttpRequest, household_id: int) -> HttpResponse:
    """The household page's part on visits: the last visits, and facts in conflict."""
    from langso.registry.queries import households_for

    household = get_object_or_404(households_for(request.user), pk=household_id)
    titles = {s.code: s.title(get_language() or "vi") for s in catalogue().skills}
    visits = [
        (
            visit,
            "; ".join(
                f"{titles.get(s.skill, s.skill)} ({s.get_outcome_display().lower()})"
                for s in visit.skills.all()
            ),
        )
        for visit in queries.visits_of(household)[:20]
    ]
    conflicts = [
        (c, FACT_LABELS.get(c.field, c.field), _fact_text(c.mine), _fact_text(c.theirs))
        for c in queries.open_conflicts(household)
    ]
    return render(
        request,
        "teams/_household_visits.html",
        {
            "visits": visits,
            "conflicts": conflicts,
            "can_settle": request.user.can(Capability.EDIT_HOUSEHOLDS),
        },
    )


def _fact_text(value: object) -> str:
    if value is None:
        return _("chưa rõ")
    if isinstance(value, bool):
        return _("có") if value else _("không")
    return _("mức %(n)s") % {"n": value}


@login_required
@require_POST
def conflict_settle(request: HttpRequest, conflict_id: int) -> HttpResponse:
    if not request.user.can(Capability.EDIT_HOUSEHOLDS):
        raise PermissionDenied
    try:
        conflict = conflict_resolve(
            actor=request.user, conflict_id=conflict_id, keep=request.POST.get("keep", "")
        )
    except VisitConflict.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registry:list")
    messages.success(request, _("Đã ghi quyết định."))
    return redirect("registry:detail", conflict.visit.household_id)
