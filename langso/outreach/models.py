"""Grassroots information (thông tin cơ sở): announcements and the channels that carry them.

An announcement (thông báo) is drafted by an editor, approved by an approver of its commune or
province (or sent at once through the logged emergency fast path), then published: every smart
radio loudspeaker cluster (cụm loa) and electronic bulletin board (bảng tin điện tử) in its target
area gets a delivery row, messaging channels get an outbox, and the portal and CAP feeds list it.
Devices fetch what they must play or show with their own token and send back receipts.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.accounts.scope import AreaFields
from langso.geo.models import Commune, Province, Village


class Category(models.TextChoices):
    POLICY = "policy", _("Chủ trương, chính sách, pháp luật")
    POVERTY = "poverty", _("Giảm nghèo")
    JOBS = "jobs", _("Lao động, việc làm")
    AGRICULTURE = "agriculture", _("Nông nghiệp, giá cả thị trường")
    DIGITAL = "digital", _("Kỹ năng số, chuyển đổi số")
    PUBLIC_SERVICES = "public_services", _("Dịch vụ công")
    HEALTH = "health", _("Y tế, dịch bệnh")
    SECURITY = "security", _("An ninh, trật tự")
    DISASTER = "disaster", _("Thiên tai, cảnh báo khẩn cấp")
    OTHER = "other", _("Khác")


class Priority(models.TextChoices):
    """Thông tư 39/2020/TT-BTTTT: smart-radio messages are normal, priority or emergency."""

    NORMAL = "normal", _("Thông thường")
    PRIORITY = "priority", _("Ưu tiên")
    EMERGENCY = "emergency", _("Khẩn cấp")


class Status(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Chờ duyệt")
    RETURNED = "returned", _("Trả lại để sửa")
    PUBLISHED = "published", _("Đã phát hành")
    CANCELLED = "cancelled", _("Đã hủy")


class TargetGroup(models.TextChoices):
    POOR = "poor", _("Hộ nghèo")
    NEAR_POOR = "near_poor", _("Hộ cận nghèo")
    INFO_DEPRIVED = "info_deprived", _("Hộ thiếu hụt về thông tin")


class Source(models.TextChoices):
    EDITOR = "editor", _("Biên tập viên")
    CAP = "cap", _("Cảnh báo CAP từ nguồn ngoài")


class Announcement(models.Model):
    """Thông báo: one message to the people of an area, in Vietnamese and local languages."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the issuing commune; null: issued by the province
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung"))
    spoken_text = models.TextField(_("văn bản đọc"), blank=True)  # editor-corrected reading
    category = models.CharField(_("lĩnh vực"), max_length=20, choices=Category.choices)
    priority = models.CharField(
        _("mức độ"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    target_groups = models.JSONField(_("nhóm đối tượng"), default=list, blank=True)
    whole_province = models.BooleanField(_("toàn tỉnh"), default=False)
    valid_from = models.DateTimeField(_("hiệu lực từ"))
    valid_until = models.DateTimeField(_("hiệu lực đến"))
    plays_per_day = models.PositiveSmallIntegerField(_("số lần phát mỗi ngày"), default=2)
    revision = models.PositiveIntegerField(default=1)  # grows with each update after publishing
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # for drafts without an author (from CAP): who submitted cannot approve
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    fast_path = models.BooleanField(default=False)  # emergency sent without a second approver
    fast_path_reason = models.CharField(max_length=300, blank=True)
    returned_reason = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.EDITOR)
    # the upstream alert this draft came from: "sender,identifier,sent" (CAP references form)
    source_reference = models.CharField(max_length=500, blank=True)
    # a draft made from an upstream Update: publishing it cancels the announcement it replaces
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cap_sent = models.JSONField(default=list, blank=True)  # when each revision went out (ISO)

    area_fields = AreaFields(province="province_id", commune="commune_id")

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [
            models.Index(fields=["province", "status", "-valid_from"]),
            models.Index(fields=["commune", "status", "-valid_from"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def cap_identifier(self) -> str:
        return f"langso-{self.province_id}-{self.pk}-r{self.revision}"

    @property
    def is_emergency(self) -> bool:
        return self.priority == Priority.EMERGENCY


class AnnouncementArea(models.Model):
    """A commune (whole, when ``village`` is null) or one of its villages it is sent to."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="areas")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "commune", "village"], name="outreach_area_once"
            )
        ]
        indexes = [models.Index(fields=["commune", "announcement"])]

    def __str__(self) -> str:
        return f"{self.announcement_id}: {self.commune_id}/{self.village_id or '*'}"


class Language(models.TextChoices):
    """Languages of announcement versions (ISO 639-3 where no two-letter code exists)."""

    VI = "vi", "Tiếng Việt"
    TAY = "tyz", "Tày"
    NUNG = "nut", "Nùng"
    HMONG = "hnj", "H'Mông"
    DAO = "ium", "Dao"
    SAN_CHAY = "cdy", "Sán Chay"
    LO_LO = "llo", "Lô Lô"
    EN = "en", "English"


class LanguageVersion(models.Model):
    """A version of the announcement in a local ethnic language: text, a recording, or both."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="versions"
    )
    language = models.CharField(_("ngôn ngữ"), max_length=8, choices=Language.choices)
    title = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    recording = models.ForeignKey(
        "AudioFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "language"], name="outreach_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} [{self.language}]"


class AudioFile(models.Model):
    """One MP3, stored once however many announcements and devices use it (by checksum)."""

    sha256 = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to="outreach/audio/")
    size = models.PositiveIntegerField()
    duration_s = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.sha256[:12]}… ({self.duration_s} s)"


class AudioSource(models.TextChoices):
    SPEECH = "speech", _("Đọc tự động")
    RECORDING = "recording", _("Bản thu âm")


class Clip(models.Model):
    """What a loudspeaker plays for one revision of an announcement in one language."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="clips")
    revision = models.PositiveIntegerField()
    language = models.CharField(max_length=8, choices=Language.choices)
    source = models.CharField(max_length=10, choices=AudioSource.choices)
    engine = models.CharField(max_length=40, blank=True)
    spoken_text = models.TextField(blank=True)
    audio = models.ForeignKey(AudioFile, on_delete=models.PROTECT, related_name="clips")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "revision", "language"], name="outreach_clip_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} r{self.revision} [{self.language}]"


class SpokenForm(models.Model):
    """An officer's entry in the reading dictionary (e.g. "HTX" → "hợp tác xã")."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    written = models.CharField(_("cách viết"), max_length=40)
    spoken = models.CharField(_("cách đọc"), max_length=200)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    area_fields = AreaFields(province="province_id")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "written"], name="outreach_spoken_once")
        ]

    def __str__(self) -> str:
        return f"{self.written} → {self.spoken}"


class Station(models.Model):
    """Đài truyền thanh cấp xã: a commune's radio station, with its broadcast schedule."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên đài"), max_length=200)

    area_fields = AreaFields(
        province="commune__province_id", commune="commune_id", province_by_communes=True
    )

    def __str__(self) -> str:
        return self.name


class BroadcastSlot(models.Model):
    """A programme slot of a station (e.g. 6:00–6:30 every day)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.TimeField(_("bắt đầu"))
    ends_at = models.TimeField(_("kết thúc"))
    weekdays = models.CharField(_("các ngày trong tuần"), max_length=7, default="1234567")
    name = models.CharField(_("tên chương trình"), max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M} {self.name}"


class DeviceKind(models.TextChoices):
    CLUSTER = "cluster", _("Cụm loa thông minh")
    BOARD = "board", _("Bảng tin điện tử")


class Device(models.Model):
    """A smart loudspeaker cluster (cụm loa) or an electronic public bulletin board (bảng tin).

    Each has its own token: the receiver box of a cluster fetches its playlist and audio with
    it, a board's browser opens its display page with it. Only the token's digest is stored.
    """

    kind = models.CharField(_("loại"), max_length=8, choices=DeviceKind.choices)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # null: serves the whole commune (e.g. at the commune centre)
    station = models.ForeignKey(
        Station, null=True, blank=True, on_delete=models.PROTECT, related_name="clusters"
    )
    name = models.CharField(_("tên"), max_length=200)
    location = models.CharField(_("vị trí"), max_length=200, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    token_prefix = models.CharField(max_length=8, editable=False)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(default=True)
    installed_on = models.DateField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    area_fields = AreaFields(
        province="commune__province_id",
        commune="commune_id",
        village="village_id",
        province_by_communes=True,
    )

    class Meta:
        verbose_name = _("thiết bị")
        verbose_name_plural = _("thiết bị")
        indexes = [models.Index(fields=["commune", "kind", "village"])]

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ thiết bị nhận")
    FETCHED = "fetched", _("Thiết bị đã nhận")
    PLAYED = "played", _("Đã phát")
    DISPLAYED = "displayed", _("Đã hiển thị")
    FAILED = "failed", _("Lỗi phát")
    OFFLINE = "offline", _("Thiết bị mất kết nối")
    WITHDRAWN = "withdrawn", _("Đã thu hồi")


class Delivery(models.Model):
    """An announcement on one device's playlist, with what the device reported about it."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="deliveries")
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="deliveries"
    )
    revision = models.PositiveIntegerField()
    priority = models.CharField(max_length=10, choices=Priority.choices)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    queued_at = models.DateTimeField()
    fetched_at = models.DateTimeField(null=True, blank=True)
    first_done_at = models.DateTimeField(null=True, blank=True)  # first played / displayed
    last_done_at = models.DateTimeField(null=True, blank=True)
    done_count = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    area_fields = AreaFields(
        province="device__commune__province_id",
        commune="device__commune_id",
        village="device__village_id",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["device", "announcement"], name="outreach_delivery_once"
            )
        ]
        indexes = [models.Index(fields=["announcement", "status"])]

    def __str__(self) -> str:
        return f"{self.announcement_id} → device {self.device_id}: {self.status}"


class ReceiptKind(models.TextChoices):
    PLAYED = "played", _("Đã phát")
    DISPLAYED = "displayed", _("Đã hiển thị")
    FAILED = "failed", _("Lỗi")
    OFFLINE = "offline", _("Mất kết nối")


class Receipt(models.Model):
    """One report from a device: it played, showed or failed to play an announcement."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="receipts")
    kind = models.CharField(max_length=10, choices=ReceiptKind.choices)
    at = models.DateTimeField()  # when the device says it happened
    received_at = models.DateTimeField(auto_now_add=True)
    detail = models.CharField(max_length=300, blank=True)
    device_receipt_id = models.CharField(max_length=64, blank=True)  # makes resends harmless

    class Meta:
        indexes = [models.Index(fields=["delivery", "-at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "device_receipt_id"],
                condition=~models.Q(device_receipt_id=""),
                name="outreach_receipt_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ChannelKind(models.TextChoices):
    ZALO = "zalo", _("Zalo OA / ZNS")
    SMS = "sms", _("Tin nhắn SMS")
    FACEBOOK = "facebook", _("Trang Facebook (fanpage)")
    EMAIL = "email", _("Thư điện tử")
    WEBHOOK = "webhook", _("Webhook")


class Channel(models.Model):
    """A configured messaging account of a province or commune (credentials kept encrypted)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại kênh"), max_length=10, choices=ChannelKind.choices)
    name = models.CharField(_("tên"), max_length=100)
    config_encrypted = models.TextField(blank=True)  # JSON, encrypted with the field key
    rate_per_minute = models.PositiveIntegerField(_("số tin mỗi phút"), default=60)
    max_attempts = models.PositiveSmallIntegerField(default=6)
    enabled = models.BooleanField(default=True)

    area_fields = AreaFields(province="province_id", commune="commune_id")

    def __str__(self) -> str:
        return self.name


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    DELIVERED = "delivered", _("Đã đến người nhận")
    FAILED = "failed", _("Gửi lỗi")
    CANCELLED = "cancelled", _("Đã hủy")


class OutboxMessage(models.Model):
    """One message waiting for, or done with, one channel (a person, or a page post)."""

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="messages")
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="messages"
    )
    revision = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, default="notice")  # notice | update | cancel
    member = models.ForeignKey(
        "registry.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient = models.CharField(max_length=200, blank=True)
    key = models.CharField(max_length=120, unique=True)  # idempotency key sent to the provider
    status = models.CharField(max_length=10, choices=OutboxStatus.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    provider_id = models.CharField(max_length=120, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    area_fields = AreaFields(province="channel__province_id", commune="channel__commune_id")

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["announcement", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.status}"


class FeedbackSource(models.TextChoices):
    PORTAL = "portal", _("Cổng thông tin")
    VISIT = "visit", _("Tổ công nghệ số ghi nhận khi đến hộ")
    OFFICE = "office", _("Tại trụ sở, điện thoại")


class Feedback(models.Model):
    """A resident's question or report (phản ánh, kiến nghị) and the commune's answer."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    announcement = models.ForeignKey(
        Announcement, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    source = models.CharField(_("nguồn"), max_length=8, choices=FeedbackSource.choices)
    name = models.CharField(_("họ tên người gửi"), max_length=150, blank=True)
    contact = models.CharField(_("số điện thoại / email"), max_length=150, blank=True)
    question = models.TextField(_("nội dung phản ánh, câu hỏi"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    published = models.BooleanField(_("công khai câu trả lời"), default=False)

    area_fields = AreaFields(
        province="commune__province_id",
        commune="commune_id",
        village="village_id",
        province_by_communes=True,
    )

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        indexes = [models.Index(fields=["commune", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.commune_id}: {self.question[:60]}"


class CapSubscription(models.Model):
    """An upstream CAP feed (e.g. national disaster warnings) turned into emergency drafts."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên nguồn"), max_length=150)
    url = models.URLField(_("địa chỉ nguồn CAP"))
    geocode_name = models.CharField(
        _("tên mã địa bàn trong CAP"), max_length=60, default="VN-ADMIN-2025"
    )
    enabled = models.BooleanField(default=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    area_fields = AreaFields(province="province_id")

    def __str__(self) -> str:
        return self.name


class CapReceived(models.Model):
    """An upstream alert already turned into an announcement (so a re-poll adds nothing)."""

    subscription = models.ForeignKey(
        CapSubscription, null=True, on_delete=models.SET_NULL, related_name="received"
    )
    sender = models.CharField(max_length=200)
    identifier = models.CharField(max_length=200)
    sent = models.DateTimeField()
    msg_type = models.CharField(max_length=10)
    announcement = models.ForeignKey(
        Announcement, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sender", "identifier"], name="outreach_cap_once")
        ]

    def __str__(self) -> str:
        return f"{self.msg_type} {self.sender},{self.identifier}"
