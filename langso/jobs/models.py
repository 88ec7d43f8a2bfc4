"""Background job records: what runs, its progress, its result or why it failed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.accounts.scope import AreaFields


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    SUCCEEDED = "succeeded", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


class Job(models.Model):
    """Tác vụ nền: an import, assessment, rebuild, synthesis or delivery run by a worker."""

    kind = models.CharField(_("loại"), max_length=60, db_index=True)
    title = models.CharField(_("tiêu đề"), max_length=200)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    params = models.JSONField(default=dict, blank=True)
    input_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    message = models.CharField(_("tiến độ"), max_length=300, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    log = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    province_code = models.CharField(max_length=2, blank=True)
    commune_code = models.CharField(max_length=5, blank=True)

    area_fields = AreaFields(province="province_code", commune="commune_code")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tác vụ nền")
        verbose_name_plural = _("tác vụ nền")

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == JobStatus.SUCCEEDED else None
        return min(100, round(100 * self.done / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
