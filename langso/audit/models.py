"""Who did what, when: per-object change events and per-batch records."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.accounts.scope import AreaFields


class Action(models.TextChoices):
    CREATE = "create", _("Tạo")
    UPDATE = "update", _("Sửa")
    DELETE = "delete", _("Xóa")
    BATCH = "batch", _("Thao tác hàng loạt")
    LOGIN = "login", _("Đăng nhập")
    SECURITY = "security", _("Bảo mật")
    READ = "read", _("Xem dữ liệu nhạy cảm")


class ChangeEvent(models.Model):
    """Nhật ký thay đổi: one create, change or delete, or one whole batch, with before/after."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField(max_length=150, blank=True)  # kept if the user is deleted
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=60, db_index=True)  # "geo.village"
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    # batch operations: counts, e.g. {"created": 120, "updated": 3}
    counts = models.JSONField(null=True, blank=True)
    message = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=10, blank=True)  # web | api | cli | job | admin
    request_id = models.CharField(max_length=32, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # where the object lives, so the log itself can be scoped
    province_code = models.CharField(max_length=2, blank=True, db_index=True)
    commune_code = models.CharField(max_length=5, blank=True, db_index=True)
    village_id = models.BigIntegerField(null=True, blank=True)

    area_fields = AreaFields(province="province_code", commune="commune_code", village="village_id")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    @property
    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, old, new) for every field whose value differs."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
