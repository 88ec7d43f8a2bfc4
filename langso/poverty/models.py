"""Assessments of households under a poverty standard, kept per review year, never overwritten.

The standards themselves are files (``standards/*.toml``, see ``standard.py``); a row here
records which standard and which edition of it (``standard_version``) produced it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.accounts.scope import AreaFields
from langso.geo.models import AreaType, Commune, Village
from langso.registry.models import Household


class PovertyClass(models.TextChoices):
    POOR = "poor", _("Hộ nghèo")
    NEAR_POOR = "near_poor", _("Hộ cận nghèo")
    MIDDLE_INCOME = "middle_income", _("Hộ có mức sống trung bình")
    ABOVE = "above", _("Trên mức sống trung bình")


class IncomeMethod(models.TextChoices):
    DECLARED = "declared", _("Thu nhập kê khai trong sổ hộ")
    SCORECARD = "scorecard", _("Ước tính theo điểm Phiếu B")
    UNKNOWN = "unknown", _("Chưa có thu nhập")


class AssessmentRun(models.Model):
    """Một lượt đánh giá: one run of the rules over an area for a review year."""

    review_year = models.PositiveSmallIntegerField(_("năm rà soát"))
    standard = models.CharField(_("chuẩn nghèo"), max_length=20)
    standard_version = models.CharField(max_length=40)
    as_of = models.DateField(_("ngày tính tuổi"))
    province = models.CharField(max_length=2, blank=True)
    communes = models.JSONField(default=list, blank=True)  # empty: the whole province
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    households = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)  # by class, needs_review

    class Meta:
        verbose_name = _("lượt đánh giá")
        verbose_name_plural = _("lượt đánh giá")

    def __str__(self) -> str:
        return f"{self.standard} {self.review_year} #{self.pk}"


class Assessment(models.Model):
    """Kết quả đánh giá một hộ theo chuẩn nghèo của một năm rà soát.

    A new assessment of the same household and year adds a row and marks the older one as no
    longer current. The unit, size and flags are copied as they were, so reports "as recorded"
    read this table alone.
    """

    # Foreign keys without an index of their own where a composite index below serves (a run
    # writes a million rows: every index costs time on each).
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="assessments", db_index=False
    )
    run = models.ForeignKey(
        AssessmentRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    review_year = models.PositiveSmallIntegerField(_("năm rà soát"))
    standard = models.CharField(_("chuẩn nghèo"), max_length=20)
    standard_version = models.CharField(max_length=40)
    as_of = models.DateField(_("ngày tính tuổi"))
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+", db_index=False)
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="+", db_index=False)
    area_type = models.CharField(_("khu vực"), max_length=5, choices=AreaType.choices)
    member_count = models.PositiveSmallIntegerField(default=0)
    is_ethnic_minority = models.BooleanField(default=False)
    is_person_of_merit = models.BooleanField(null=True)
    no_working_capacity = models.BooleanField(null=True)
    income_per_person = models.PositiveIntegerField(_("thu nhập bình quân"), null=True)
    income_method = models.CharField(max_length=10, choices=IncomeMethod.choices)
    # one letter per indicator in the standard's order: D deprived, N not deprived, U unknown
    indicators = models.CharField(max_length=24)
    deprived_count = models.PositiveSmallIntegerField(_("số chỉ số thiếu hụt"))
    unknown_count = models.PositiveSmallIntegerField(_("số chỉ số chưa rõ"))
    poverty_class = models.CharField(
        _("phân loại"), max_length=14, choices=PovertyClass.choices, blank=True
    )  # blank: income unknown
    possible_classes = models.CharField(max_length=60, blank=True)  # comma-separated
    needs_review = models.BooleanField(_("cần xem lại"), default=False)
    low_income_workers = models.PositiveSmallIntegerField(default=0)
    # who and which facts made each indicator deprived or unknown (single assessments only; a
    # whole-area run stores the vector, and the household page explains it from the rules)
    evidence = models.JSONField(null=True, blank=True)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    area_fields = AreaFields(
        province="commune__province_id", commune="commune_id", village="village_id"
    )

    class Meta:
        verbose_name = _("kết quả đánh giá hộ")
        verbose_name_plural = _("kết quả đánh giá hộ")
        indexes = [
            models.Index(fields=["household", "review_year", "is_current"]),
            models.Index(fields=["review_year", "is_current", "commune", "poverty_class"]),
            models.Index(fields=["village", "review_year"]),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.review_year} {self.poverty_class}"


class Scorecard(models.Model):
    """Bảng điểm Phiếu B: the income-proxy scorecard, as the TOML text an official loads.

    The shipped one is an example (``is_example``); the circular's table replaces it through the
    admin or ``langso scorecard-load``. Only one scorecard is active for a review year.
    """

    code = models.CharField(_("mã"), max_length=40, unique=True)
    title = models.CharField(_("tên"), max_length=200)
    text = models.TextField(_("nội dung (TOML)"))
    version = models.CharField(max_length=20, editable=False)
    is_example = models.BooleanField(_("chỉ là ví dụ"), default=False)
    first_review_year = models.PositiveSmallIntegerField(_("từ năm rà soát"))
    last_review_year = models.PositiveSmallIntegerField(_("đến năm rà soát"))
    is_active = models.BooleanField(_("đang dùng"), default=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bảng điểm Phiếu B")
        verbose_name_plural = _("bảng điểm Phiếu B")

    def __str__(self) -> str:
        return self.title


class IncomeSurvey(models.Model):
    """Phiếu B của một hộ: answers, points and the income estimate, per review year; a new
    survey of the same year replaces the current one and keeps the old as history."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="surveys")
    review_year = models.PositiveSmallIntegerField(_("năm rà soát"))
    scorecard = models.CharField(max_length=40)
    scorecard_version = models.CharField(max_length=20)
    is_example_scorecard = models.BooleanField(default=False)
    answers = models.JSONField(default=dict)
    points = models.PositiveSmallIntegerField(_("tổng điểm"))
    income_estimate = models.PositiveIntegerField(_("thu nhập ước tính"))
    is_current = models.BooleanField(default=True)
    surveyed_on = models.DateField(_("ngày khảo sát"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    area_fields = AreaFields(
        province="household__commune__province_id",
        commune="household__commune_id",
        village="household__village_id",
    )

    class Meta:
        verbose_name = _("phiếu B")
        verbose_name_plural = _("phiếu B")
        indexes = [models.Index(fields=["household", "review_year", "is_current"])]

    def __str__(self) -> str:
        return f"{self.household_id} {self.review_year}: {self.points}"
