"""Users, their roles and the administrative units they work in; API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.accounts.roles import Capability, Role, has_capability

ROLE_LABELS = {
    Role.PROVINCE_ADMIN: _("Quản trị cấp tỉnh"),
    Role.COMMUNE_OFFICER: _("Cán bộ xã"),
    Role.TEAM_LEADER: _("Tổ trưởng tổ công nghệ số"),
    Role.TEAM_MEMBER: _("Thành viên tổ công nghệ số"),
    Role.ANALYST: _("Chuyên viên phân tích (chỉ xem)"),
}
ROLE_CHOICES = [(r.value, label) for r, label in ROLE_LABELS.items()]


class User(AbstractUser):
    """Người dùng: an official, team member or analyst, with one role."""

    role = models.CharField(_("vai trò"), max_length=20, choices=ROLE_CHOICES, blank=True)
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def can(self, capability: Capability) -> bool:
        return self.is_active and (self.is_superuser or has_capability(self.role, capability))

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class AreaAssignment(models.Model):
    """Địa bàn phụ trách: one unit (province, commune or village) a user works in."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="areas")
    province = models.ForeignKey("geo.Province", null=True, blank=True, on_delete=models.CASCADE)
    commune = models.ForeignKey("geo.Commune", null=True, blank=True, on_delete=models.CASCADE)
    village = models.ForeignKey("geo.Village", null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("địa bàn phụ trách")
        verbose_name_plural = _("địa bàn phụ trách")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(province__isnull=False, commune__isnull=True, village__isnull=True)
                    | models.Q(province__isnull=True, commune__isnull=False, village__isnull=True)
                    | models.Q(province__isnull=True, commune__isnull=True, village__isnull=False)
                ),
                name="accounts_area_exactly_one_unit",
                violation_error_message=_("Chọn đúng một đơn vị: tỉnh, xã hoặc thôn."),
            )
        ]

    def __str__(self) -> str:
        return str(self.unit)

    def clean(self) -> None:
        if sum(x is not None for x in (self.province_id, self.commune_id, self.village_id)) != 1:
            raise ValidationError(_("Chọn đúng một đơn vị: tỉnh, xã hoặc thôn."))

    @property
    def unit(self) -> models.Model:
        return self.province or self.commune or self.village


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "ls_" + secrets.token_urlsafe(32)

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
