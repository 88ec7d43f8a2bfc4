"""Households, their members, and dated observations of their digital lives.

Every fact the poverty indicators read is a nullable field: NULL means "not known", which the
rules must report as unknown rather than as "not deprived".
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.accounts.scope import AreaFields
from langso.geo.models import AreaType, Commune, Village
from langso.registry.records import DIGITAL_FIELDS


class Durability(models.TextChoices):
    DURABLE = "durable", _("Bền chắc")
    NON_DURABLE = "non_durable", _("Không bền chắc")


class WaterSource(models.TextChoices):
    PIPED = "piped", _("Nước máy")
    DRILLED_WELL = "drilled_well", _("Giếng khoan")
    PROTECTED_DUG_WELL = "protected_dug_well", _("Giếng đào được bảo vệ")
    PROTECTED_SPRING = "protected_spring", _("Nước khe, mó được bảo vệ")
    RAINWATER = "rainwater", _("Nước mưa")
    BOTTLED = "bottled", _("Nước mua (bình, téc)")
    UNPROTECTED = "unprotected", _("Giếng, khe, mó không được bảo vệ")
    SURFACE = "surface", _("Sông, suối, ao, hồ")
    OTHER = "other", _("Khác")


class Latrine(models.TextChoices):
    SEPTIC = "septic", _("Tự hoại")
    SEMI_SEPTIC = "semi_septic", _("Bán tự hoại")
    POUR_FLUSH = "pour_flush", _("Dội nước")
    DOUBLE_VAULT = "double_vault", _("Hai ngăn")
    VENTILATED_PIT = "ventilated_pit", _("Chìm có ống thông hơi")
    SIMPLE_PIT = "simple_pit", _("Hố đào đơn giản")
    NONE = "none", _("Không có nhà tiêu")
    OTHER = "other", _("Khác")


class Household(models.Model):
    """Hộ gia đình: lives in a village of a commune; has a head and members."""

    code = models.CharField(_("mã hộ"), max_length=40, unique=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="households")
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="households")
    address = models.CharField(_("địa chỉ"), max_length=200, blank=True)
    area_type_override = models.CharField(
        _("khu vực (nếu khác của xã)"), max_length=5, choices=AreaType.choices, blank=True
    )
    wall = models.CharField(_("tường"), max_length=12, choices=Durability.choices, blank=True)
    column = models.CharField(_("cột"), max_length=12, choices=Durability.choices, blank=True)
    roof = models.CharField(_("mái"), max_length=12, choices=Durability.choices, blank=True)
    floor_area_m2 = models.DecimalField(
        _("diện tích nhà ở (m²)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    water_source = models.CharField(
        _("nguồn nước sinh hoạt"), max_length=20, choices=WaterSource.choices, blank=True
    )
    latrine = models.CharField(_("nhà tiêu"), max_length=16, choices=Latrine.choices, blank=True)
    income_per_person = models.PositiveIntegerField(
        _("thu nhập bình quân (đồng/người/tháng)"), null=True, blank=True
    )
    is_person_of_merit = models.BooleanField(_("hộ có người có công"), null=True, blank=True)
    no_working_capacity = models.BooleanField(
        _("hộ không có khả năng lao động"), null=True, blank=True
    )
    # Kept by the services from the members' ethnicity (any member not Kinh), for fast filters.
    is_ethnic_minority = models.BooleanField(_("hộ dân tộc thiểu số"), default=False)
    member_count = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("còn hoạt động"), default=True)
    # Set when an officer merges this household into another (it stays, inactive, for history).
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    area_fields = AreaFields(
        province="commune__province_id",
        commune="commune_id",
        village="village_id",
        province_by_communes=True,
    )

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        indexes = [
            models.Index(fields=["commune", "village"]),
            models.Index(fields=["village", "is_ethnic_minority"]),
            # the list page of a commune, in code order: the first page without sorting it all
            models.Index(fields=["commune", "code"], name="household_commune_code"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        new = self._state.adding
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if new:
            return
        if fields is None or {"commune", "commune_id", "is_active"} & set(fields):
            # the copies of the commune kept for searches (Member.search_commune,
            # DigitalProfile.listed_commune)
            listed = self.commune_id if self.is_active else None
            self.members.filter(is_active=True).update(search_commune=listed)
            DigitalProfile.objects.filter(household=self).update(listed_commune=listed)

    @property
    def area_type(self) -> str:
        return self.area_type_override or self.commune.area_type


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Relationship(models.TextChoices):
    HEAD = "head", _("Chủ hộ")
    SPOUSE = "spouse", _("Vợ / chồng")
    CHILD = "child", _("Con")
    PARENT = "parent", _("Bố / mẹ")
    GRANDCHILD = "grandchild", _("Cháu")
    GRANDPARENT = "grandparent", _("Ông / bà")
    SIBLING = "sibling", _("Anh / chị / em")
    CHILD_IN_LAW = "child_in_law", _("Con dâu / con rể")
    OTHER = "other", _("Khác")


class WorkStatus(models.TextChoices):
    EMPLOYED_CONTRACT = "employed_contract", _("Làm công, có hợp đồng lao động")
    EMPLOYED_NO_CONTRACT = "employed_no_contract", _("Làm công, không có hợp đồng")
    SELF_EMPLOYED = "self_employed", _("Tự làm (nông nghiệp, buôn bán…)")
    UNEMPLOYED = "unemployed", _("Thất nghiệp, đang tìm việc")
    STUDENT = "student", _("Đang đi học")
    RETIRED = "retired", _("Nghỉ hưu")
    HOMEMAKER = "homemaker", _("Nội trợ")
    UNABLE = "unable", _("Không có khả năng lao động")
    NOT_APPLICABLE = "not_applicable", _("Trẻ em / không thuộc diện")


class Education(models.TextChoices):
    NONE = "none", _("Chưa đi học / chưa tốt nghiệp tiểu học")
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
    UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")
    VOCATIONAL_ELEMENTARY = "vocational_elementary", _("Sơ cấp nghề")
    VOCATIONAL_INTERMEDIATE = "vocational_intermediate", _("Trung cấp")
    COLLEGE = "college", _("Cao đẳng")
    UNIVERSITY = "university", _("Đại học trở lên")


class Member(models.Model):
    """Thành viên hộ. Ethnicity, health facts and the ID number are sensitive personal data."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("họ và tên"), max_length=120)
    # Searched through the (search_commune, name, household) indexes below, and matched with
    # birth year through (name_key, birth_year): no index of their own, which PostgreSQL would
    # prefer for a name prefix (it estimates a prefix's rows far too low) and then read
    # thousands of rows one by one.
    name_key = models.CharField(max_length=120, editable=False)
    # the given name (last word of name_key): people look each other up by it ("Dũng")
    given_key = models.CharField(max_length=40, editable=False, default="")
    # The commune under which name searches find this person: the household's commune while
    # both are active, else null. A copy of household.commune_id kept on the row so that a name
    # search reads one index (commune, name, household) and never the households it skips
    # (bench/RESULTS.md, household search). Kept by save() here and Household.save().
    search_commune = models.CharField(max_length=5, null=True, editable=False)  # noqa: DJ001
    sex = models.CharField(_("giới tính"), max_length=6, choices=Sex.choices)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"))
    ethnicity = models.CharField(_("dân tộc (mã)"), max_length=2, blank=True)
    relationship = models.CharField(
        _("quan hệ với chủ hộ"), max_length=14, choices=Relationship.choices
    )
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_last4 = models.CharField(max_length=4, blank=True, editable=False)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    work_status = models.CharField(
        _("việc làm"), max_length=24, choices=WorkStatus.choices, blank=True
    )
    has_health_insurance = models.BooleanField(_("có bảo hiểm y tế"), null=True, blank=True)
    education = models.CharField(
        _("trình độ cao nhất"), max_length=24, choices=Education.choices, blank=True
    )
    in_school = models.BooleanField(_("đang đi học"), null=True, blank=True)
    school_level_fits_age = models.BooleanField(_("học đúng cấp theo tuổi"), null=True, blank=True)
    undernourished = models.BooleanField(_("suy dinh dưỡng (trẻ dưới 16)"), null=True, blank=True)
    has_disability = models.BooleanField(_("khuyết tật"), null=True, blank=True)
    has_chronic_illness = models.BooleanField(
        _("bệnh mãn tính / hiểm nghèo"), null=True, blank=True
    )
    receives_social_allowance = models.BooleanField(
        _("hưởng trợ cấp xã hội hằng tháng"), null=True, blank=True
    )
    is_active = models.BooleanField(default=True)  # False: moved away, died, merged or erased
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )
    # Set when the person's data was erased at their request: the row keeps only what the
    # poverty review's legal mandate still requires (see registry/privacy.py).
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    area_fields = AreaFields(
        province="household__commune__province_id",
        commune="household__commune_id",
        village="household__village_id",
    )
    # Shown only to roles with VIEW_SENSITIVE, and every read of them is logged.
    sensitive_fields = (
        "ethnicity",
        "id_number_last4",
        "undernourished",
        "has_disability",
        "has_chronic_illness",
    )

    class Meta:
        verbose_name = _("thành viên hộ")
        verbose_name_plural = _("thành viên hộ")
        indexes = [
            models.Index(fields=["name_key", "birth_year"]),
            # name and given-name searches (prefix): the households found from the index alone,
            # without reading each person's row (varchar_pattern_ops: LIKE 'x%' on PostgreSQL)
            # name and given-name searches (prefix) within a commune: the households found
            # from the index alone (varchar_pattern_ops: LIKE 'x%' on PostgreSQL)
            models.Index(
                fields=["search_commune", "name_key", "household"],
                name="member_name_search",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "int8_ops"],
                condition=models.Q(search_commune__isnull=False),
            ),
            models.Index(
                fields=["search_commune", "given_key", "household"],
                name="member_given_search",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "int8_ops"],
                condition=models.Q(search_commune__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_commune = search_commune_of(self.household, self.is_active)
        fields = kwargs.get("update_fields")
        if fields is not None:
            kwargs["update_fields"] = {*fields, "search_commune"}
        super().save(*args, **kwargs)


def search_commune_of(household: Household, member_active: bool = True) -> str | None:
    """``Member.search_commune`` of a member of ``household``."""
    return household.commune_id if member_active and household.is_active else None


class ObservationSource(models.TextChoices):
    SURVEY = "survey", _("Điều tra, rà soát")
    VISIT = "visit", _("Tổ công nghệ số đến hộ")
    IMPORT = "import", _("Nhập từ tệp")
    SELF_REPORT = "self_report", _("Người dân tự khai")


class DigitalObservation(models.Model):
    """Một lần ghi nhận: what a household (or one member) had or did on a date.

    Wide and sparse on purpose: NULL means "not observed this time", so the current profile is,
    per field, the latest non-NULL value; history is every row.
    """

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="digital_observations"
    )
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.CASCADE, related_name="digital_observations"
    )
    observed_on = models.DateField(_("ngày ghi nhận"))
    source = models.CharField(_("nguồn"), max_length=12, choices=ObservationSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # household devices and access (ITU household ICT indicators: radio, TV, telephone,
    # computer, internet access at home and its type)
    has_smartphone = models.BooleanField(_("có điện thoại thông minh"), null=True)
    has_feature_phone = models.BooleanField(_("có điện thoại thường"), null=True)
    has_computer = models.BooleanField(_("có máy tính"), null=True)
    has_tv = models.BooleanField(_("có ti vi"), null=True)
    has_radio = models.BooleanField(_("có đài, radio"), null=True)
    has_mobile_data = models.BooleanField(_("có dữ liệu di động (3G/4G/5G)"), null=True)
    has_fixed_broadband = models.BooleanField(
        _("có Internet cáp quang / băng rộng cố định"), null=True
    )
    hears_loudspeaker = models.BooleanField(_("nghe được loa truyền thanh thôn"), null=True)
    # individual use (ITU individual indicators: internet use, activities)
    uses_internet = models.BooleanField(_("dùng Internet"), null=True)
    vneid_level = models.PositiveSmallIntegerField(_("tài khoản VNeID (mức 0/1/2)"), null=True)
    has_bank_or_ewallet = models.BooleanField(_("có tài khoản ngân hàng / ví điện tử"), null=True)
    pays_cashless = models.BooleanField(_("thanh toán không dùng tiền mặt"), null=True)
    uses_messaging = models.BooleanField(_("dùng Zalo / ứng dụng nhắn tin"), null=True)
    uses_online_public_services = models.BooleanField(_("dùng dịch vụ công trực tuyến"), null=True)
    buys_online = models.BooleanField(_("mua hàng trực tuyến"), null=True)
    sells_online = models.BooleanField(_("bán hàng trực tuyến"), null=True)

    area_fields = AreaFields(
        province="household__commune__province_id",
        commune="household__commune_id",
        village="household__village_id",
    )

    class Meta:
        verbose_name = _("ghi nhận chuyển đổi số")
        verbose_name_plural = _("ghi nhận chuyển đổi số")
        indexes = [models.Index(fields=["household", "member", "observed_on"])]

    def __str__(self) -> str:
        return f"{self.household_id} {self.observed_on}"


class DigitalProfile(models.Model):
    """The household's current digital profile, kept from its observations for fast filters.

    Per field: the household's own latest value, or for things people do, True if any member's
    latest value is True (see ``registry.profile``). Rebuilt by ``services.refresh_profiles``
    whenever observations change; never edited by hand.
    """

    household = models.OneToOneField(
        Household, primary_key=True, on_delete=models.CASCADE, related_name="digital_profile"
    )
    # The household's commune while it is active, else null (as Member.search_commune): the
    # digital filters of a commune or province read their profiles from one index, without
    # joining every household of the area first (bench/RESULTS.md, household search).
    listed_commune = models.CharField(max_length=5, null=True, editable=False)  # noqa: DJ001
    observed_on = models.DateField(_("lần ghi nhận gần nhất"))
    has_smartphone = models.BooleanField(null=True)
    has_feature_phone = models.BooleanField(null=True)
    has_computer = models.BooleanField(null=True)
    has_tv = models.BooleanField(null=True)
    has_radio = models.BooleanField(null=True)
    has_mobile_data = models.BooleanField(null=True)
    has_fixed_broadband = models.BooleanField(null=True)
    hears_loudspeaker = models.BooleanField(null=True)
    uses_internet = models.BooleanField(null=True)
    vneid_level = models.PositiveSmallIntegerField(null=True)
    has_bank_or_ewallet = models.BooleanField(null=True)
    pays_cashless = models.BooleanField(null=True)
    uses_messaging = models.BooleanField(null=True)
    uses_online_public_services = models.BooleanField(null=True)
    buys_online = models.BooleanField(null=True)
    sells_online = models.BooleanField(null=True)

    area_fields = AreaFields(
        province="household__commune__province_id",
        commune="household__commune_id",
        village="household__village_id",
    )

    class Meta:
        verbose_name = _("hồ sơ số hiện tại")
        verbose_name_plural = _("hồ sơ số hiện tại")
        indexes = [
            models.Index(
                fields=["listed_commune", *DIGITAL_FIELDS],
                name="profile_listed",
                condition=models.Q(listed_commune__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_id} @ {self.observed_on}"


class DuplicateKind(models.TextChoices):
    PERSON = "person", _("Người")
    HOUSEHOLD = "household", _("Hộ")


class DuplicateDismissal(models.Model):
    """An officer's decision that two records flagged as probable duplicates are different."""

    kind = models.CharField(max_length=10, choices=DuplicateKind.choices)
    first_id = models.BigIntegerField()  # the smaller id of the pair
    second_id = models.BigIntegerField()
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)

    area_fields = AreaFields(province="commune__province_id", commune="commune_id")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "first_id", "second_id"], name="duplicate_dismissal_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(first_id__lt=models.F("second_id")),
                name="duplicate_dismissal_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.first_id}≠{self.second_id}"


class ConsentStatus(models.TextChoices):
    GIVEN = "given", _("Đồng ý")
    REFUSED = "refused", _("Không đồng ý")
    WITHDRAWN = "withdrawn", _("Đã rút lại")


class Consent(models.Model):
    """A person's consent (or refusal) to one purpose of processing, as recorded by an officer.

    Purposes and their legal basis are data (``registry/processing_purposes.toml``); purposes
    resting on a legal mandate need no consent and are never recorded here.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("mục đích"), max_length=40)
    status = models.CharField(_("trạng thái"), max_length=10, choices=ConsentStatus.choices)
    given_on = models.DateField(_("ngày"))
    method = models.CharField(_("hình thức"), max_length=60, blank=True)  # "ký phiếu", "bằng lời"
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    area_fields = AreaFields(
        province="member__household__commune__province_id",
        commune="member__household__commune_id",
        village="member__household__village_id",
    )

    class Meta:
        verbose_name = _("sự đồng ý")
        verbose_name_plural = _("sự đồng ý")
        indexes = [models.Index(fields=["member", "purpose", "-given_on"])]

    def __str__(self) -> str:
        return f"{self.member_id} {self.purpose} {self.status}"
