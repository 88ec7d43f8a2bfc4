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


class ReviewKind(models.TextChoices):
    PERIODIC = "periodic", _("Rà soát định kỳ")
    REGULAR = "regular", _("Rà soát thường xuyên")


class ReviewStep(models.TextChoices):
    LIST = "list", _("Lập danh sách")
    SURVEY = "survey", _("Rà soát, chấm điểm")
    MEETING = "meeting", _("Họp dân")
    POSTING = "posting", _("Niêm yết công khai")
    DECISION = "decision", _("Quyết định công nhận")
    CLOSED = "closed", _("Đã kết thúc")


class Review(models.Model):
    """Đợt rà soát của một xã: the periodic review of a review year, or one monthly regular
    review, going through the procedure's steps in order (``procedure.py``)."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    review_year = models.PositiveSmallIntegerField(_("năm rà soát"))
    kind = models.CharField(_("loại"), max_length=10, choices=ReviewKind.choices)
    opened_on = models.DateField(_("ngày bắt đầu"))
    decide_by = models.DateField(_("hạn quyết định"))
    procedure = models.CharField(max_length=20)
    procedure_version = models.CharField(max_length=40)
    standard = models.CharField(_("chuẩn nghèo"), max_length=20)
    step = models.CharField(
        _("bước"), max_length=10, choices=ReviewStep.choices, default=ReviewStep.LIST
    )
    posting_started = models.DateField(_("ngày niêm yết"), null=True, blank=True)
    posting_ends = models.DateField(_("hết niêm yết"), null=True, blank=True)
    posting_place = models.CharField(_("nơi niêm yết"), max_length=200, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=40, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_signer = models.CharField(_("người ký"), max_length=100, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    area_fields = AreaFields(province="commune__province_id", commune="commune_id")

    class Meta:
        verbose_name = _("đợt rà soát")
        verbose_name_plural = _("đợt rà soát")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "review_year"],
                condition=models.Q(kind="periodic"),
                name="poverty_one_periodic_review_per_commune_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.review_year} {self.commune_id}"


class ReviewEvent(models.Model):
    """Who did what step of a review, and when (a step finished, or sent back)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(max_length=10, choices=ReviewStep.choices)
    action = models.CharField(max_length=20)  # opened, finished, reopened, meeting, decided…
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.review_id} {self.step} {self.action}"


class ReviewSource(models.TextChoices):
    POOR = "poor", _("Đang trong danh sách hộ nghèo")
    NEAR_POOR = "near_poor", _("Đang trong danh sách hộ cận nghèo")
    APPLICATION = "application", _("Có giấy đề nghị (Mẫu 01)")


class ScreenResult(models.TextChoices):
    PENDING = "", _("Chưa nhận diện")
    SURVEY = "survey", _("Khảo sát Phiếu B")
    EXCLUDED = "excluded", _("Không thuộc diện rà soát")


class ReviewOutcome(models.TextChoices):
    POOR = "poor", _("Công nhận hộ nghèo")
    NEAR_POOR = "near_poor", _("Công nhận hộ cận nghèo")
    LEFT_POVERTY = "left_poverty", _("Thoát nghèo")
    LEFT_NEAR_POVERTY = "left_near_poverty", _("Thoát cận nghèo")
    NOT_RECOGNISED = "not_recognised", _("Không đủ điều kiện (trả lời bằng văn bản)")


class ReviewHousehold(models.Model):
    """A household on a review's list: why it is there, its Phiếu A and B, the class proposed
    to the village meeting, the class recognised and its certificate."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="entries")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("lý do rà soát"), max_length=12, choices=ReviewSource.choices)
    applied_on = models.DateField(_("ngày đề nghị"), null=True, blank=True)
    screen = models.CharField(
        _("Phiếu A"), max_length=10, choices=ScreenResult.choices, blank=True, default=""
    )
    screen_answers = models.JSONField(null=True, blank=True)
    survey = models.ForeignKey(
        IncomeSurvey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_class = models.CharField(
        _("phân loại đề xuất"), max_length=14, choices=PovertyClass.choices, blank=True
    )
    final_class = models.CharField(
        _("phân loại công nhận"), max_length=14, choices=PovertyClass.choices, blank=True
    )
    outcome = models.CharField(
        _("kết quả"), max_length=20, choices=ReviewOutcome.choices, blank=True
    )
    certificate_seq = models.PositiveIntegerField(null=True, blank=True)
    certificate_number = models.CharField(_("số giấy chứng nhận"), max_length=40, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    area_fields = AreaFields(
        province="review__commune__province_id", commune="review__commune_id", village="village_id"
    )

    class Meta:
        verbose_name = _("hộ trong đợt rà soát")
        verbose_name_plural = _("hộ trong đợt rà soát")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "household"], name="poverty_household_once_per_review"
            )
        ]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.household_id}"


def minutes_path(instance: "VillageMeeting", filename: str) -> str:
    return f"reviews/{instance.review_id}/minutes/{filename}"


class VillageMeeting(models.Model):
    """Họp dân: one village meeting on a review's results, with its two signed minutes. Not
    adopted (under half agreed): the village's households go back to the survey step."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="meetings")
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("ngày họp"))
    attendees = models.PositiveIntegerField(_("số người dự họp"))
    votes_for = models.PositiveIntegerField(_("số người đồng ý"))
    adopted = models.BooleanField(_("được thông qua"))
    chair_name = models.CharField(_("chủ trì"), max_length=100)
    secretary_name = models.CharField(_("thư ký"), max_length=100)
    minutes_village = models.FileField(_("biên bản lưu tại thôn"), upload_to=minutes_path)
    minutes_commune = models.FileField(_("biên bản gửi Ban chỉ đạo xã"), upload_to=minutes_path)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    area_fields = AreaFields(
        province="review__commune__province_id", commune="review__commune_id", village="village_id"
    )

    class Meta:
        verbose_name = _("cuộc họp dân")
        verbose_name_plural = _("cuộc họp dân")
        ordering = ["village_id", "held_on", "pk"]

    def __str__(self) -> str:
        return (
            f"{self.review_id} {self.village_id} {self.held_on}: {self.votes_for}/{self.attendees}"
        )


class ComplaintResolution(models.TextChoices):
    OPEN = "", _("Chưa giải quyết")
    UPHELD = "upheld", _("Có cơ sở: sửa phân loại sau phúc tra")
    DISMISSED = "dismissed", _("Không có cơ sở")


class Complaint(models.Model):
    """Khiếu nại, phản ánh during the public posting; each is resolved before the decision."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="complaints")
    entry = models.ForeignKey(
        ReviewHousehold, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    lodged_on = models.DateField(_("ngày nhận"))
    complainant = models.CharField(_("người phản ánh"), max_length=100)
    text = models.TextField(_("nội dung"))
    resolution = models.CharField(
        _("kết quả giải quyết"),
        max_length=10,
        choices=ComplaintResolution.choices,
        blank=True,
        default="",
    )
    corrected_class = models.CharField(
        _("phân loại sau phúc tra"), max_length=14, choices=PovertyClass.choices, blank=True
    )
    resolution_note = models.TextField(_("ghi chú giải quyết"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    area_fields = AreaFields(province="review__commune__province_id", commune="review__commune_id")

    class Meta:
        verbose_name = _("khiếu nại, phản ánh")
        verbose_name_plural = _("khiếu nại, phản ánh")
        ordering = ["lodged_on", "pk"]

    def __str__(self) -> str:
        return f"{self.review_id} {self.lodged_on} {self.complainant}"


class LegacyResult(models.Model):
    """Kết quả rà soát của một xã cũ (before 1 July 2025), as a province's old reports give it:
    counts only. Reports re-aggregate them to today's communes through the crosswalk."""

    legacy_commune = models.ForeignKey(
        "geo.LegacyCommune", on_delete=models.PROTECT, related_name="+"
    )
    review_year = models.PositiveSmallIntegerField(_("năm rà soát"))
    households = models.PositiveIntegerField(_("số hộ"))
    persons = models.PositiveIntegerField(_("số người"), null=True, blank=True)
    poor = models.PositiveIntegerField(_("hộ nghèo"))
    near_poor = models.PositiveIntegerField(_("hộ cận nghèo"))
    poor_persons = models.PositiveIntegerField(_("người nghèo"), null=True, blank=True)
    near_poor_persons = models.PositiveIntegerField(_("người cận nghèo"), null=True, blank=True)
    minority_households = models.PositiveIntegerField(null=True, blank=True)
    minority_poor = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=200)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    loaded_at = models.DateTimeField(auto_now=True)

    # No area_fields: a legacy commune belongs to an area through its default successor, which
    # the reports read (queries.legacy_results_by_commune) and the loader checks.

    class Meta:
        verbose_name = _("kết quả rà soát theo xã cũ")
        verbose_name_plural = _("kết quả rà soát theo xã cũ")
        constraints = [
            models.UniqueConstraint(
                fields=["legacy_commune", "review_year"], name="poverty_legacy_result_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.legacy_commune_id} {self.review_year}"
