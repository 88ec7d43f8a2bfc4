"""What anyone can open without an account: the portal of current announcements per area, its
RSS and Atom feeds, the CAP 1.2 feed, the feedback form and published answers; and the display
page of an electronic bulletin board, opened by the board's browser with its token."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from langso.geo.models import Commune, Province
from langso.outreach import cap_feed, fanout, queries
from langso.outreach.channels import cap
from langso.outreach.feedback import feedback_submit
from langso.outreach.forms import FeedbackForm
from langso.outreach.models import Announcement

FEEDBACK_PER_HOUR = 5  # per address: the form is public


def _where(request: HttpRequest) -> tuple[Province | None, Commune | None]:
    commune = None
    if code := request.GET.get("xa", "").strip():
        commune = queries.public_commune(code)
    province = commune.province if commune else None
    if province is None and (code := request.GET.get("tinh", "").strip()):
        province = queries.public_province(code)
    return province, commune


def _listed(province: Province | None, commune: Commune | None):
    return queries.public_announcements(
        province_code=province.code if province else None,
        commune_code=commune.code if commune else None,
        now=timezone.now(),
    )


@cache_control(private=True, max_age=60)  # the page sets a CSRF cookie (language form)
def portal(request: HttpRequest) -> HttpResponse:
    province, commune = _where(request)
    provinces = queries.public_provinces()
    communes = queries.public_communes(province.code) if province else []
    return render(
        request,
        "outreach/portal.html",
        {
            "province": province,
            "commune": commune,
            "provinces": provinces,
            "communes": communes,
            "announcements": _listed(province, commune)[:50],
            "answers": queries.published_feedback(commune.code if commune else None)[:5],
            "query": request.GET.urlencode(),
        },
    )


def portal_detail(request: HttpRequest, announcement_id: int) -> HttpResponse:
    announcement = queries.public_announcement(announcement_id)
    if announcement is None:
        raise Http404
    communes = queries.public_communes(announcement.province_id)
    form = FeedbackForm(communes=communes)
    return render(
        request,
        "outreach/portal_detail.html",
        {
            "a": announcement,
            "areas": queries.areas_of(announcement),
            "versions": queries.versions_of(announcement),
            "clips": queries.clips_of(announcement),
            "form": form,
        },
    )


def _too_many(request: HttpRequest) -> bool:
    # REMOTE_ADDR: behind a proxy, the proxy must pass the client's address (see the operator
    # guide); the cache is shared by the app's processes (settings.CACHES, a file cache)
    key = "feedback:" + request.META.get("REMOTE_ADDR", "")
    count = cache.get(key, 0)
    cache.set(key, count + 1, 3600)
    return count >= FEEDBACK_PER_HOUR


def feedback_page(request: HttpRequest) -> HttpResponse:
    """Residents send a question or report to their commune; answers made public are listed."""
    province, commune = _where(request)
    communes = queries.public_communes(province.code) if province else []
    villages = queries.public_villages(commune.code) if commune else []
    form = FeedbackForm(request.POST or None, communes=communes, villages=villages)
    if request.method == "POST":
        # the commune is whatever was posted; its villages are checked by the service
        code = request.POST.get("commune", "")[:5]
        posted = queries.public_commune(code) if code else None
        form.fields["commune"].choices = [(posted.code, posted.name)] if posted else []
        form.fields["village"].choices = [("", "—")] + [
            (v.pk, v.name) for v in (queries.public_villages(posted.code) if posted else [])
        ]
        if form.is_valid() and not form.cleaned_data["website"]:
            if _too_many(request):
                form.add_error(None, _("Bạn đã gửi nhiều lần; vui lòng thử lại sau một giờ."))
            else:
                data = form.cleaned_data
                try:
                    feedback_submit(
                        commune_code=data["commune"],
                        village_id=data["village"],
                        name=data["name"],
                        contact=data["contact"],
                        question=data["question"],
                        announcement_id=_int(request.POST.get("announcement")),
                    )
                except ValidationError as exc:
                    form.add_error(None, exc.messages)
                else:
                    return render(request, "outreach/feedback_sent.html", {"commune": posted})
    return render(
        request,
        "outreach/portal_feedback.html",
        {
            "form": form,
            "province": province,
            "commune": commune,
            "provinces": queries.public_provinces(),
            "answers": queries.published_feedback(commune.code if commune else None)[:30],
        },
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 18 else None


class AnnouncementsRss(Feed):
    """Current announcements of an area (?tinh=04 or ?xa=01234) as RSS 2.0."""

    description_template = None

    def get_object(self, request: HttpRequest):
        return _where(request)

    def title(self, where) -> str:
        province, commune = where
        unit = commune or province
        return _("Thông báo: %(unit)s") % {"unit": unit.name if unit else _("tất cả")}

    def link(self, where) -> str:
        return reverse("portal:home")

    def description(self, where) -> str:
        return _("Thông báo đang có hiệu lực của chính quyền cơ sở.")

    def items(self, where):
        return _listed(*where)[:50]

    def item_title(self, item: Announcement) -> str:
        prefix = "[KHẨN CẤP] " if item.is_emergency else ""
        return prefix + item.title

    def item_description(self, item: Announcement) -> str:
        return item.body

    def item_link(self, item: Announcement) -> str:
        return reverse("portal:detail", args=[item.pk])

    def item_pubdate(self, item: Announcement) -> dt.datetime:
        return item.published_at or item.created_at

    def item_updateddate(self, item: Announcement) -> dt.datetime:
        return item.updated_at

    def item_categories(self, item: Announcement) -> list[str]:
        return [item.get_category_display(), item.get_priority_display()]


class AnnouncementsAtom(AnnouncementsRss):
    feed_type = Atom1Feed
    subtitle = AnnouncementsRss.description


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def cap_feed_view(request: HttpRequest, province_code: str) -> HttpResponse:
    """The province's CAP 1.2 feed: an Atom feed embedding an alert per emergency or priority
    announcement of the last 30 days (Update and Cancel included)."""
    province = queries.public_province(province_code)
    if province is None:
        raise Http404
    since = timezone.now() - dt.timedelta(days=30)
    base = _base(request)
    alerts = [
        cap_feed.alert_of(a, base_url=base)
        for a in queries.cap_announcements(province_code=province.code, since=since)[:100]
    ]
    body = cap.feed_xml(
        alerts,
        feed_id=base + reverse("portal:cap_feed", args=[province.code]),
        title=f"Cảnh báo, thông báo khẩn cấp – {province.name}",
        updated=max((a.sent for a in alerts), default=timezone.now()),
        link=request.build_absolute_uri(),
    )
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


def cap_alert_view(request: HttpRequest, announcement_id: int) -> HttpResponse:
    """One announcement as a CAP 1.2 document (its current revision, or its Cancel)."""
    announcement = queries.public_announcement(announcement_id)
    if announcement is None:
        raise Http404
    body = cap.to_xml(cap_feed.alert_of(announcement, base_url=_base(request)))
    return HttpResponse(body, content_type="application/cap+xml; charset=utf-8")


# ------------------------------------------------------------------ bulletin boards


def _board(request: HttpRequest):
    token = request.GET.get("token") or request.headers.get("X-Device-Token", "")
    device = queries.device_by_token(token)
    if device is None or device.kind != "board":
        raise Http404
    return device, token


def board(request: HttpRequest) -> HttpResponse:
    """The full-screen page a board's browser opens (…/bang-tin/?token=…); it refreshes its
    content every 30 s from ``board_screen`` and reports what it showed."""
    device, token = _board(request)
    takeover, items = queries.board_screen(device, timezone.now())
    fanout.device_polled(device, now=timezone.now())
    return render(
        request,
        "outreach/board.html",
        {
            "device": device,
            "token": token,
            "takeover": takeover,
            "items": items,
            "time_zone": settings.TIME_ZONE,
        },
    )


def board_screen(request: HttpRequest) -> JsonResponse:
    device, _token = _board(request)
    now = timezone.now()
    takeover, items = queries.board_screen(device, now)
    fanout.device_polled(device, now=now)
    return JsonResponse(
        {
            "takeover": takeover,
            "items": [
                {
                    "delivery": i.delivery_id,
                    "title": i.announcement.title,
                    "body": i.announcement.body,
                    "priority": i.announcement.priority,
                    "issuer": i.announcement.commune.name if i.announcement.commune_id else "",
                    "valid_until": timezone.localtime(i.announcement.valid_until).strftime(
                        "%H:%M %d/%m/%Y"
                    ),
                    "versions": [
                        {"language": v.get_language_display(), "title": v.title, "body": v.body}
                        for v in i.versions
                    ],
                }
                for i in items
            ],
            "now": now.isoformat(),
        }
    )


@csrf_exempt
@require_POST
def board_receipt(request: HttpRequest) -> JsonResponse:
    """The board says it showed an announcement (once per announcement per page load)."""
    device, _token = _board(request)
    delivery = _int(request.POST.get("delivery"))
    if delivery is None:
        return JsonResponse({"error": "delivery required"}, status=400)
    now = timezone.now()
    outcome = fanout.receipts_record(
        device=device,
        receipts=[
            fanout.ReceiptIn(
                delivery_id=delivery,
                kind=request.POST.get("kind", "displayed"),
                at=now,
                receipt_id=request.POST.get("id", "")[:64],
            )
        ],
        now=now,
    )[0]
    return JsonResponse({"outcome": outcome.outcome, "error": outcome.error})


def portal_redirect(request: HttpRequest) -> HttpResponse:
    return redirect("portal:home")
