"""Telecom infrastructure (hạ tầng viễn thông) joined to communes and villages: antenna masts,
mobile base stations (trạm BTS), mobile and fixed-broadband coverage of each village, free public
wifi hotspots, and operators' subscriber figures per commune and period. Smart-radio clusters and
electronic bulletin boards are registered by the outreach app (``outreach.Device``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.accounts.scope import AreaFields
from langso.geo.models import Commune, Village


class Operator(models.TextChoices):
    VIETTEL = "viettel", "Viettel"
    VNPT = "vnpt", "VNPT (VinaPhone)"
    MOBIFONE = "mobifone", "MobiFone"
    VIETNAMOBILE = "vietnamobile", "Vietnamobile"
    GTEL = "gtel", "Gtel (Gmobile)"
    FPT = "fpt", "FPT Telecom"
    SCTV = "sctv", "SCTV"
    SHARED = "shared", _("Dùng chung / đơn vị hạ tầng")
    OTHER = "other", _("Khác")


AREA = AreaFields(
    province="commune__province_id",
    commune="commune_id",
    village="village_id",
    province_by_communes=True,
)


class Mast(models.Model):
    """Cột ăng-ten: an antenna mast, which may carry several operators' base stations."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("mã cột"), max_length=40)
    owner = models.CharField(_("chủ sở hữu"), max_length=12, choices=Operator.choices)
    height_m = models.DecimalField(
        _("chiều cao (m)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    lat = models.FloatField(_("vĩ độ"), null=True, blank=True)
    lon = models.FloatField(_("kinh độ"), null=True, blank=True)
    built_on = models.DateField(_("năm xây dựng"), null=True, blank=True)

    area_fields = AREA

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "code"], name="infra_mast_once")]

    def __str__(self) -> str:
        return self.code


class SiteStatus(models.TextChoices):
    ACTIVE = "active", _("Đang phát sóng")
    PLANNED = "planned", _("Quy hoạch / đang xây")
    DOWN = "down", _("Tạm ngừng")
    RETIRED = "retired", _("Đã tháo dỡ")


TECHNOLOGIES = ("2g", "3g", "4g", "5g")


class BaseStation(models.Model):
    """Trạm thu phát sóng di động (BTS / NodeB / eNodeB / gNodeB) of one operator at one site."""

    operator = models.CharField(_("nhà mạng"), max_length=12, choices=Operator.choices)
    site_code = models.CharField(_("mã trạm"), max_length=40)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mast = models.ForeignKey(
        Mast, null=True, blank=True, on_delete=models.SET_NULL, related_name="stations"
    )
    has_2g = models.BooleanField("2G", default=False)
    has_3g = models.BooleanField("3G", default=False)
    has_4g = models.BooleanField("4G", default=False)
    has_5g = models.BooleanField("5G", default=False)
    status = models.CharField(
        _("tình trạng"), max_length=8, choices=SiteStatus.choices, default=SiteStatus.ACTIVE
    )
    lat = models.FloatField(_("vĩ độ"), null=True, blank=True)
    lon = models.FloatField(_("kinh độ"), null=True, blank=True)
    on_air_on = models.DateField(_("ngày phát sóng"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    area_fields = AREA

    class Meta:
        verbose_name = _("trạm BTS")
        verbose_name_plural = _("trạm BTS")
        constraints = [
            models.UniqueConstraint(fields=["operator", "site_code"], name="infra_station_once")
        ]
        indexes = [models.Index(fields=["commune", "status"])]

    def __str__(self) -> str:
        return f"{self.get_operator_display()} {self.site_code}"

    @property
    def technologies(self) -> list[str]:
        return [t.upper() for t in TECHNOLOGIES if getattr(self, f"has_{t}")]


class Network(models.TextChoices):
    G2 = "2g", "2G"
    G3 = "3g", "3G"
    G4 = "4g", "4G"
    G5 = "5g", "5G"
    FIBRE = "fibre", _("Cáp quang / băng rộng cố định")


class Level(models.TextChoices):
    FULL = "full", _("Phủ toàn thôn")
    PARTIAL = "partial", _("Phủ một phần")
    NONE = "none", _("Không có")


class CoverageSource(models.TextChoices):
    OPERATOR = "operator", _("Số liệu nhà mạng")
    SURVEY = "survey", _("Khảo sát của xã")
    DRIVE_TEST = "drive_test", _("Đo kiểm")
    OFFICER = "officer", _("Cán bộ cập nhật")


class Coverage(models.Model):
    """How far a network reaches a village (sóng di động theo công nghệ, cáp quang): its current
    value, with when and how it was known."""

    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    network = models.CharField(_("mạng"), max_length=6, choices=Network.choices)
    level = models.CharField(_("mức phủ sóng"), max_length=8, choices=Level.choices)
    as_of = models.DateField(_("thời điểm"))
    source = models.CharField(_("nguồn"), max_length=12, choices=CoverageSource.choices)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    area_fields = AREA

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["village", "network"], name="infra_coverage_once")
        ]
        indexes = [models.Index(fields=["commune", "network", "level"])]

    def __str__(self) -> str:
        return f"{self.village_id} {self.network}: {self.level}"


class Place(models.TextChoices):
    CULTURAL_HOUSE = "cultural_house", _("Nhà văn hóa thôn")
    COMMUNE_OFFICE = "commune_office", _("Trụ sở UBND xã")
    SCHOOL = "school", _("Trường học")
    HEALTH_STATION = "health_station", _("Trạm y tế")
    MARKET = "market", _("Chợ")
    PUBLIC_SPACE = "public_space", _("Nơi công cộng khác")


class WifiHotspot(models.Model):
    """Điểm wifi công cộng miễn phí (village cultural houses, public places)."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("tên điểm"), max_length=200)
    place = models.CharField(_("nơi đặt"), max_length=16, choices=Place.choices)
    provider = models.CharField(_("đơn vị cung cấp"), max_length=12, choices=Operator.choices)
    free = models.BooleanField(_("miễn phí"), default=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    installed_on = models.DateField(_("ngày lắp đặt"), null=True, blank=True)
    lat = models.FloatField(_("vĩ độ"), null=True, blank=True)
    lon = models.FloatField(_("kinh độ"), null=True, blank=True)

    area_fields = AREA

    class Meta:
        verbose_name = _("điểm wifi công cộng")
        verbose_name_plural = _("điểm wifi công cộng")
        indexes = [models.Index(fields=["commune", "active"])]

    def __str__(self) -> str:
        return self.name


class Subscription(models.TextChoices):
    MOBILE = "mobile", _("Thuê bao di động")
    FIXED_PHONE = "fixed_phone", _("Thuê bao điện thoại cố định")
    INTERNET = "internet", _("Thuê bao Internet băng rộng cố định")
    MOBILE_DATA = "mobile_data", _("Thuê bao băng rộng di động")
    IPTV = "iptv", _("Thuê bao truyền hình IPTV")


class SubscriberCount(models.Model):
    """An operator's subscribers of one kind in a commune at the end of a period (month,
    quarter or year), as reported; ``operator`` "other" holds an all-operator total."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    period_end = models.DateField(_("cuối kỳ"))
    operator = models.CharField(_("nhà mạng"), max_length=12, choices=Operator.choices)
    kind = models.CharField(_("loại thuê bao"), max_length=12, choices=Subscription.choices)
    count = models.PositiveIntegerField(_("số thuê bao"))
    source = models.CharField(_("nguồn"), max_length=200, blank=True)  # the file it came from
    imported_at = models.DateTimeField(auto_now=True)

    area_fields = AreaFields(
        province="commune__province_id", commune="commune_id", province_by_communes=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "period_end", "operator", "kind"], name="infra_count_once"
            )
        ]
        indexes = [models.Index(fields=["commune", "kind", "-period_end"])]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.period_end} {self.operator} {self.kind}: {self.count}"
