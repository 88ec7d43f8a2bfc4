"""The demo province's grassroots information: a radio station per commune with its morning and
evening slots, a smart loudspeaker cluster per village (and one at each commune centre), bulletin
boards at commune centres and in some villages, and a set of announcements through their life:
a province flood warning sent by the emergency fast path, commune notices on digital skills,
poverty review, jobs and prices, one waiting for approval and one draft; devices' receipts of the
last days; residents' questions, some answered in public.

The bulletin board of the demo commune officer's commune opens at ``/bang-tin/?token=``
``DEMO_BOARD_TOKEN`` (a fixed token, for the demo only).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from langso.accounts.models import User
from langso.demo.generator import ProvincePlan
from langso.demo.services import province_of
from langso.geo.models import Commune, Village
from langso.jobs.models import Job, JobStatus
from langso.jobs.runner import run
from langso.outreach import services
from langso.outreach.feedback import feedback_answer, feedback_submit
from langso.outreach.models import (
    BroadcastSlot,
    Delivery,
    DeliveryStatus,
    Device,
    DeviceKind,
    Receipt,
    Station,
)
from langso.outreach.setup import new_token

DEMO_BOARD_TOKEN = "demo-bang-tin"  # a demo-only token, documented

_NOTICES = [
    (
        "digital",
        "normal",
        "Lớp hướng dẫn cài đặt VNeID mức 2 tại nhà văn hóa thôn",
        "Tổ công nghệ số cộng đồng hướng dẫn bà con cài đặt và kích hoạt tài khoản định danh "
        "điện tử VNeID mức 2, thanh toán không dùng tiền mặt và nộp hồ sơ dịch vụ công trực "
        "tuyến. Thời gian: 7h30 ngày thứ Bảy hằng tuần. Bà con mang theo CCCD và điện thoại "
        "thông minh. Liên hệ tổ trưởng: 0912 345 678.",
    ),
    (
        "poverty",
        "priority",
        "Rà soát hộ nghèo, hộ cận nghèo năm 2026",
        "UBND xã thông báo kế hoạch rà soát hộ nghèo, hộ cận nghèo năm 2026 theo chuẩn nghèo đa "
        "chiều. Hộ gia đình có giấy đề nghị nộp tại trưởng thôn trước ngày 15/12/2026. Năm 2025 "
        "tỷ lệ hộ nghèo của tỉnh giảm từ 28,94% xuống 24,71%, tương ứng 5.349 hộ thoát nghèo.",
    ),
    (
        "jobs",
        "normal",
        "Tuyển 120 lao động làm việc tại khu công nghiệp",
        "Trung tâm dịch vụ việc làm tỉnh tuyển 120 lao động phổ thông, lương từ 7.500.000 đồng "
        "một tháng, có chỗ ở miễn phí. Đăng ký tại UBND xã hoặc qua Zalo của xã.",
    ),
    (
        "agriculture",
        "normal",
        "Giá nông sản tuần này",
        "Giá ngô hạt 7.800 đồng/kg, lợn hơi 62.000 đồng/kg, thạch đen 9.500 đồng/kg. HTX nông "
        "nghiệp thu mua tại nhà văn hóa thôn sáng thứ Năm.",
    ),
    (
        "public_services",
        "normal",
        "Đăng ký khai sinh trực tuyến trên Cổng dịch vụ công",
        "Từ tháng 12, bà con có thể đăng ký khai sinh, thường trú cho trẻ em trực tuyến, không "
        "phải đến UBND xã. Tổ CNS hướng dẫn miễn phí tại nhà.",
    ),
]
_FLOOD = (
    "Cảnh báo lũ quét, sạt lở đất",
    "Do ảnh hưởng của mưa lớn, từ 19h00 hôm nay đến hết ngày mai các xã vùng núi có nguy cơ "
    "cao xảy ra lũ quét, sạt lở đất. Bà con không đi qua ngầm, tràn, suối; di chuyển người và "
    "tài sản khỏi khu vực nguy hiểm theo hướng dẫn của trưởng thôn. Số điện thoại trực ban "
    "phòng chống thiên tai: 0206 3852 123.",
)
_QUESTIONS = [
    "Nhà tôi chưa có điện thoại thông minh thì có được hỗ trợ không?",
    "Làm VNeID mức 2 có mất tiền không, làm ở đâu?",
    "Thôn tôi loa không nghe rõ, đề nghị xã kiểm tra.",
    "Hộ cận nghèo có được vay vốn ngân hàng chính sách không?",
    "Khi nào thôn tôi có wifi miễn phí ở nhà văn hóa?",
]


def _token(seed: str) -> tuple[str, str]:
    """(prefix, digest) of a fixed token, or of a random one nobody knows (an officer issues a
    new token when installing the device)."""
    if seed:
        return seed[:8], hashlib.sha256(seed.encode()).hexdigest()
    _token_shown_once, prefix, digest = new_token()
    return prefix, digest


def _devices(province: str, demo_commune: str, rng: random.Random) -> None:
    communes = list(Commune.objects.filter(province_id=province).order_by("code"))
    stations = {c.code: Station(commune=c, name=f"Đài truyền thanh {c.name}") for c in communes}
    Station.objects.bulk_create(stations.values())
    BroadcastSlot.objects.bulk_create(
        BroadcastSlot(station=s, starts_at=start, ends_at=end, name=name)
        for s in stations.values()
        for start, end, name in (
            (dt.time(6, 0), dt.time(6, 30), "Bản tin sáng"),
            (dt.time(17, 0), dt.time(17, 30), "Bản tin chiều"),
        )
    )
    devices = []
    installed = dt.date(2025, 6, 1)
    for c in communes:
        for kind, label in ((DeviceKind.CLUSTER, "Cụm loa"), (DeviceKind.BOARD, "Bảng tin")):
            seed = DEMO_BOARD_TOKEN if kind == DeviceKind.BOARD and c.code == demo_commune else ""
            prefix, digest = _token(seed)
            devices.append(
                Device(
                    kind=kind,
                    commune=c,
                    station=stations[c.code] if kind == DeviceKind.CLUSTER else None,
                    name=f"{label} trung tâm {c.name}",
                    location="Trụ sở UBND",
                    lat=c.lat,
                    lon=c.lon,
                    token_prefix=prefix,
                    token_digest=digest,
                    installed_on=installed,
                )
            )
    for v in Village.objects.filter(commune__province_id=province).select_related("commune"):
        prefix, digest = _token("")
        devices.append(
            Device(
                kind=DeviceKind.CLUSTER,
                commune_id=v.commune_id,
                village=v,
                station=stations[v.commune_id],
                name=f"Cụm loa {v.name}",
                location="Nhà văn hóa",
                token_prefix=prefix,
                token_digest=digest,
                installed_on=installed,
            )
        )
        if rng.random() < 0.2:
            prefix, digest = _token("")
            devices.append(
                Device(
                    kind=DeviceKind.BOARD,
                    commune_id=v.commune_id,
                    village=v,
                    name=f"Bảng tin {v.name}",
                    location="Nhà văn hóa",
                    token_prefix=prefix,
                    token_digest=digest,
                    installed_on=installed,
                )
            )
    Device.objects.bulk_create(devices, batch_size=2000)


def _draft(**kw) -> services.Draft:
    now = timezone.now().replace(second=0, microsecond=0)
    kw.setdefault("valid_from", now - dt.timedelta(days=2))
    kw.setdefault("valid_until", now + dt.timedelta(days=12))
    return services.Draft(**kw)


def _announcements(officer: User, admin: User, commune: str) -> None:
    drafts = []
    for category, priority, title, body in _NOTICES:
        made = services.announcement_create(
            actor=admin,
            commune_code=commune,
            draft=_draft(
                title=title,
                body=body,
                category=category,
                priority=priority,
                commune_codes=[commune],
            ),
        )
        drafts.append(made)
    for made in drafts[:4]:
        services.announcement_submit(actor=admin, announcement_id=made.pk)
        services.announcement_approve(actor=officer, announcement_id=made.pk)
    services.announcement_submit(actor=admin, announcement_id=drafts[4].pk)  # waiting
    province = Commune.objects.get(code=commune).province_id
    flood = services.announcement_create(
        actor=admin,
        province_code=province,
        draft=_draft(
            title=_FLOOD[0],
            body=_FLOOD[1],
            category="disaster",
            priority="emergency",
            whole_province=True,
            plays_per_day=4,
            valid_from=timezone.now() - dt.timedelta(hours=3),
            valid_until=timezone.now() + dt.timedelta(days=1),
        ),
    )
    services.announcement_send_emergency(
        actor=admin, announcement_id=flood.pk, reason="Mưa lớn, cảnh báo của Đài KTTV tỉnh"
    )
    services.announcement_create(
        actor=officer,
        commune_code=commune,
        draft=_draft(
            title="Họp thôn về xây dựng nông thôn mới",
            body="Mời đại diện các hộ dự họp lúc 19h30 tối thứ Sáu tại nhà văn hóa thôn.",
            category="policy",
            priority="normal",
            commune_codes=[commune],
        ),
    )


def _receipts(province: str, rng: random.Random) -> None:
    """Most devices fetched and played (or showed) what they got; some failed or were offline."""
    now = timezone.now()
    deliveries = Delivery.objects.filter(device__commune__province_id=province).select_related(
        "device"
    )
    receipts, updates = [], []
    for d in deliveries:
        roll = rng.random()
        if roll < 0.08:
            continue  # never fetched: offline
        played = d.device.kind == DeviceKind.CLUSTER
        if roll < 0.12:
            kind, status = "failed", DeliveryStatus.FAILED
            d.last_error = "Mất điện tại cụm loa"
        else:
            kind = "played" if played else "displayed"
            status = DeliveryStatus.PLAYED if played else DeliveryStatus.DISPLAYED
        at = now - dt.timedelta(minutes=rng.randint(5, 170))
        receipts.append(Receipt(delivery=d, kind=kind, at=at, device_receipt_id=f"demo-{d.pk}"))
        d.status, d.fetched_at = status, at - dt.timedelta(minutes=1)
        if kind != "failed":
            d.done_count, d.first_done_at, d.last_done_at = 1, at, at
        else:
            d.failures = 1
        updates.append(d)
    Receipt.objects.bulk_create(receipts, batch_size=2000)
    Delivery.objects.bulk_update(
        updates,
        [
            "status",
            "fetched_at",
            "done_count",
            "first_done_at",
            "last_done_at",
            "failures",
            "last_error",
        ],
        batch_size=2000,
    )
    seen = now - dt.timedelta(minutes=2)
    Device.objects.filter(commune__province_id=province).update(last_seen_at=seen)


def _feedback(commune: str, officer: User, rng: random.Random) -> None:
    villages = list(Village.objects.filter(commune_id=commune).order_by("name")[:5])
    answers = [
        "Hộ nghèo, hộ cận nghèo được ưu tiên hỗ trợ điện thoại thông minh theo chương trình "
        "của tỉnh; tổ công nghệ số sẽ đến hướng dẫn.",
        "Không mất tiền. Công an xã làm VNeID mức 2 tại trụ sở vào sáng thứ Ba và thứ Năm.",
    ]
    for i, question in enumerate(_QUESTIONS):
        item = feedback_submit(
            commune_code=commune,
            village_id=villages[i % len(villages)].pk if villages else None,
            question=question,
            name=rng.choice(["Nông Văn Hùng", "Hoàng Thị Mai", ""]),
        )
        if i < len(answers):
            feedback_answer(actor=officer, feedback_id=item.pk, answer=answers[i], publish=True)


def contribute(*, plan: ProvincePlan, progress: Callable[[str], None]) -> None:
    province = province_of(plan)
    if province is None or Station.objects.filter(commune__province_id=province).exists():
        return
    officer = User.objects.filter(username="xa.canbo").first()
    admin = User.objects.filter(username="tinh.admin").first()
    rng = random.Random(f"outreach:{plan.seed}")
    demo_commune = officer.areas.values_list("commune_id", flat=True).first() if officer else None
    with transaction.atomic():
        _devices(province, demo_commune or "", rng)
    progress(f"  loudspeakers and boards: {Device.objects.count():,}")
    if officer is None or admin is None or demo_commune is None:
        return
    with transaction.atomic():
        _announcements(officer, admin, demo_commune)
    # the demo is read at once: render the audio and queue messages now, not in the worker
    for job in Job.objects.filter(kind="outreach.dispatch", status=JobStatus.QUEUED):
        run(job.pk)
    with transaction.atomic():
        _receipts(province, rng)
        _feedback(demo_commune, officer, rng)
    progress(f"  announcements sent to {Delivery.objects.count():,} devices")
