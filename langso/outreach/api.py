"""Outreach endpoints.

``/api/v1/devices/…`` is for the receiver box of a smart loudspeaker cluster (and a bulletin
board): it authenticates with its own token (``Authorization: Device <token>``), fetches its
playlist (with ``If-None-Match``: 304 when nothing changed), downloads each MP3 once (by its
SHA-256) and reports receipts: played, failed, offline.

``/api/v1/outreach/…`` is for officials: announcements of their area and each one's reach.
"""

import datetime as dt
from typing import Annotated, Literal

from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import APIKeyHeader

from langso.api.pagination import Page
from langso.outreach import fanout, playlist, queries

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class DeviceToken(APIKeyHeader):
    """``Authorization: Device <token>`` (the token shown once when the device was registered)."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None):
        if not key or not key.startswith("Device "):
            return None
        device = queries.device_by_token(key.removeprefix("Device ").strip())
        if device is not None:
            request.device = device
        return device


devices_router = Router(auth=DeviceToken())
router = Router()


class ReceiptIn(Schema):
    delivery: Id
    kind: Literal["played", "displayed", "failed", "offline"]
    at: dt.datetime
    detail: str = Field("", max_length=300)
    id: str = Field("", max_length=64, description="the device's own id for the receipt")


class ReceiptsIn(Schema):
    receipts: list[ReceiptIn] = Field(..., max_length=500)


class ReceiptOut(Schema):
    id: str
    delivery: int
    outcome: Literal["stored", "duplicate", "refused"]
    error: str


@devices_router.get(
    "/playlist",
    summary="A loudspeaker cluster's playlist",
    description=(
        "`play_now`: emergencies to play at once, interrupting the programme (`interrupt` is "
        "true). `slots`: the station's programme slots of today and tomorrow with the items "
        "to play in each, priority first. Poll every 30 s with `If-None-Match` set to the last "
        "`ETag`: an unchanged playlist answers 304 with no body."
    ),
)
def device_playlist(request: HttpRequest):
    device = request.device
    if device.kind != "cluster":
        raise HttpError(400, "boards read /bang-tin/screen.json")
    now = timezone.now()
    found = queries.device_playlist(device, now)
    payload = found.playlist.as_json()
    fanout.device_polled(device, now=now, queued=found.queued)
    tag = f'"{playlist.etag(payload)}"'
    if request.headers.get("If-None-Match") == tag:
        response = HttpResponse(status=304)
    else:
        response = JsonResponse(payload)
    response["ETag"] = tag
    response["Cache-Control"] = "no-cache"
    return response


@devices_router.get("/audio/{sha256}.mp3", summary="One MP3 of the playlist, by its SHA-256")
def device_audio(request: HttpRequest, sha256: str):
    audio = queries.audio_for_device(request.device, sha256)
    if audio is None:
        raise HttpError(404, "not on this device's playlist")
    response = FileResponse(audio.file.open("rb"), content_type="audio/mpeg")
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    response["ETag"] = f'"{audio.sha256}"'
    return response


@devices_router.post(
    "/receipts",
    response=list[ReceiptOut],
    summary="Playback receipts: played, failed, offline (boards: displayed)",
    description="Each receipt names a delivery of the playlist; a resent `id` counts once.",
)
def device_receipts(request: HttpRequest, payload: ReceiptsIn):
    outcomes = fanout.receipts_record(
        device=request.device,
        receipts=[
            fanout.ReceiptIn(
                delivery_id=r.delivery, kind=r.kind, at=r.at, detail=r.detail, receipt_id=r.id
            )
            for r in payload.receipts
        ],
        now=timezone.now(),
    )
    return [
        {"id": o.receipt_id, "delivery": o.delivery_id, "outcome": o.outcome, "error": o.error}
        for o in outcomes
    ]


class AnnouncementOut(Schema):
    id: int
    title: str
    body: str
    category: str
    priority: str
    status: str
    revision: int
    province: str = Field(..., alias="province_id")
    commune: str | None = Field(None, alias="commune_id")
    whole_province: bool
    valid_from: dt.datetime
    valid_until: dt.datetime
    published_at: dt.datetime | None
    fast_path: bool


@router.get("/announcements", response=list[AnnouncementOut], summary="Announcements")
@paginate(Page)
def announcements(
    request: HttpRequest,
    status: Literal["draft", "submitted", "returned", "published", "cancelled"] | None = None,
):
    found = queries.announcements_for(request.auth)
    if status:
        found = found.filter(status=status)
    return found.order_by("-created_at", "-pk")


@router.get("/announcements/{announcement_id}", response=AnnouncementOut)
def announcement(request: HttpRequest, announcement_id: Id):
    found = queries.announcements_for(request.auth).filter(pk=announcement_id).first()
    if found is None:
        raise HttpError(404, "Not Found")
    return found


@router.get(
    "/announcements/{announcement_id}/reach",
    summary="Reach: areas, clusters and boards by status, plays, messages by channel, feedback",
)
def announcement_reach(request: HttpRequest, announcement_id: Id) -> dict:
    found = queries.announcements_for(request.auth).filter(pk=announcement_id).first()
    if found is None:
        raise HttpError(404, "Not Found")
    return queries.reach(found, timezone.now())
