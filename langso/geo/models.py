"""Administrative units (current and legacy), the old→new crosswalk, and villages."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.accounts.scope import AreaFields
from langso.geo import names


class AreaType(models.TextChoices):
    """Rural or urban (nông thôn / thành thị): the poverty standards' income lines depend on it."""

    RURAL = "rural", _("Nông thôn")
    URBAN = "urban", _("Thành thị")


class CommuneKind(models.TextChoices):
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    DAC_KHU = "dac_khu", _("Đặc khu")


class Province(models.Model):
    """Tỉnh / thành phố trực thuộc trung ương, as in force since 1 July 2025 (34 units)."""

    code = models.CharField(_("mã"), max_length=2, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=100)
    name_key = models.CharField(max_length=100, db_index=True, editable=False)
    plain_name = models.CharField(max_length=100, editable=False, default="")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)

    area_fields = AreaFields(province="code", ancestors_visible=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("tỉnh / thành phố")
        verbose_name_plural = _("tỉnh / thành phố")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """Đơn vị hành chính cấp xã (xã, phường, đặc khu): 3,321 units since 1 July 2025."""

    code = models.CharField(_("mã"), max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=CommuneKind.choices)
    area_type = models.CharField(_("khu vực"), max_length=5, choices=AreaType.choices)
    area_type_overridden = models.BooleanField(
        _("khu vực do cán bộ đặt"),
        default=False,
        help_text=_("Khi bật, nạp lại danh mục không đổi khu vực của đơn vị này."),
    )
    name_key = models.CharField(max_length=100, db_index=True, editable=False)
    plain_name = models.CharField(max_length=100, editable=False, default="")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    area_km2 = models.FloatField(null=True, blank=True)

    area_fields = AreaFields(province="province_id", commune="code", ancestors_visible=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("xã / phường")
        verbose_name_plural = _("xã / phường")

    def __str__(self) -> str:
        return self.name


class VillageKind(models.TextChoices):
    THON = "thon", _("Thôn")
    BAN = "ban", _("Bản")
    XOM = "xom", _("Xóm")
    TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")
    AP = "ap", _("Ấp")
    BUON = "buon", _("Buôn")
    KHOM = "khom", _("Khóm / khu phố")
    OTHER = "other", _("Khác")


class Village(models.Model):
    """Thôn / bản / xóm / tổ dân phố: the operating unit under a commune."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="villages")
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=12, choices=VillageKind.choices)
    name_key = models.CharField(max_length=120, editable=False)
    plain_name = models.CharField(max_length=120, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    area_fields = AreaFields(province="commune__province_id", commune="commune_id", village="id")

    class Meta:
        ordering = ["commune_id", "name"]
        verbose_name = _("thôn / tổ dân phố")
        verbose_name_plural = _("thôn / tổ dân phố")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "name_key"],
                name="geo_village_unique_name_in_commune",
                violation_error_message=_("Xã này đã có thôn cùng tên."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    def save(self, *args, **kwargs) -> None:
        # the matching keys always follow the name, whichever way the row is written
        self.name_key = names.village_key(self.name)
        self.plain_name = names.plain(self.name)
        super().save(*args, **kwargs)


class LegacyProvince(models.Model):
    """Tỉnh before 1 July 2025 (63 units). History stays keyed to these as recorded."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=100)
    short_name = models.CharField(max_length=100)
    name_key = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class LegacyDistrict(models.Model):
    """Huyện / quận / thị xã / thành phố thuộc tỉnh (696 units), abolished 1 July 2025."""

    code = models.CharField(max_length=3, primary_key=True)
    province = models.ForeignKey(LegacyProvince, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(max_length=100)
    short_name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)
    name_key = models.CharField(max_length=100, db_index=True, editable=False)
    # Island districts with no commune level became one special zone (đặc khu) whole.
    successor = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class LegacyCommune(models.Model):
    """Xã / phường / thị trấn before 1 July 2025 (10,035 units)."""

    code = models.CharField(max_length=5, primary_key=True)
    district = models.ForeignKey(LegacyDistrict, on_delete=models.PROTECT, related_name="communes")
    province = models.ForeignKey(LegacyProvince, on_delete=models.PROTECT, related_name="communes")
    name = models.CharField(max_length=100)
    short_name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)
    name_key = models.CharField(max_length=100, db_index=True, editable=False)
    is_split = models.BooleanField(
        default=False, help_text="Split between several new communes: statistics cannot be exact."
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CommuneSuccession(models.Model):
    """One row of the old→new crosswalk: (part of) an old commune went into a new one."""

    legacy_commune = models.ForeignKey(
        LegacyCommune, on_delete=models.CASCADE, related_name="successions"
    )
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="predecessions")
    is_default = models.BooleanField(
        default=True, help_text="The new commune an old address goes to when the old one was split."
    )

    class Meta:
        ordering = ["legacy_commune_id", "commune_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["legacy_commune", "commune"], name="geo_succession_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.legacy_commune_id} → {self.commune_id}"
