"""Pages of the community digital teams: the field app (visits, offline), teams, worklists."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.accounts.roles import Capability
from langso.registry.records import DIGITAL_FIELDS
from langso.teams import queries
from langso.teams.services import VisitRecord, visits_sync

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
        {"villages": villages[:500], "many": villages.count() > 1, "fields": DIGITAL_FIELDS},
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
