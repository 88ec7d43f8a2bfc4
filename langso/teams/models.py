"""Community digital technology teams (tổ công nghệ số cộng đồng), their members and visits.

A team is established by a commune decision, for a village (thôn / bản / tổ dân phố) or for the
whole commune; its members cover villages. A visit is one member at one household on one day:
who was there, which skills were taught and how far each got, what the household needs, and the
digital facts seen, which go to the registry as a dated observation (the closed loop).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.accounts.scope import AreaFields
from langso.geo.models import Commune, Village
from langso.registry.models import DigitalObservation, Household, Member


class TeamLevel(models.TextChoices):
    VILLAGE = "village", _("Tổ cấp thôn")
    COMMUNE = "commune", _("Tổ cấp xã")


class Team(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # null: a commune-level team
    level = models.CharField(_("cấp"), max_length=8, choices=TeamLevel.choices)
    name = models.CharField(_("tên tổ"), max_length=200)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_file = models.FileField(
        _("tệp quyết định"), upload_to="teams/decisions/%Y/", blank=True
    )
    established_on = models.DateField(_("ngày thành lập"))
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    area_fields = AreaFields(
        province="commune__province_id",
        commune="commune_id",
        village="village_id",
        province_by_communes=True,
    )

    class Meta:
        verbose_name = _("tổ công nghệ số cộng đồng")
        verbose_name_plural = _("tổ công nghệ số cộng đồng")
        indexes = [models.Index(fields=["commune", "level"])]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Tổ trưởng")
    DEPUTY = "deputy", _("Tổ phó")
    MEMBER = "member", _("Thành viên")


class MemberKind(models.TextChoices):
    VILLAGE_HEAD = "village_head", _("Trưởng thôn / bí thư chi bộ")
    YOUTH_UNION = "youth_union", _("Đoàn thanh niên")
    WOMEN_UNION = "women_union", _("Hội phụ nữ")
    POLICE = "police", _("Công an")
    TEACHER = "teacher", _("Giáo viên")
    TELECOM = "telecom", _("Nhân viên viễn thông")
    VOLUNTEER = "volunteer", _("Tình nguyện viên")
    OTHER = "other", _("Khác")


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_memberships",
    )  # the member's account, when they record visits themselves
    full_name = models.CharField(_("họ và tên"), max_length=120)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    role = models.CharField(_("vai trò"), max_length=8, choices=MemberRole.choices)
    kind = models.CharField(_("thành phần"), max_length=14, choices=MemberKind.choices)
    villages = models.ManyToManyField(Village, related_name="+", verbose_name=_("thôn phụ trách"))
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)

    area_fields = AreaFields(
        province="team__commune__province_id",
        commune="team__commune_id",
        village="team__village_id",
    )

    class Meta:
        verbose_name = _("thành viên tổ")
        verbose_name_plural = _("thành viên tổ")

    def __str__(self) -> str:
        return self.full_name


class Visit(models.Model):
    """Một lần đến hộ: one member at one household on one day."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="visits")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="+")
    team_member = models.ForeignKey(
        TeamMember, null=True, on_delete=models.SET_NULL, related_name="visits"
    )
    visited_on = models.DateField(_("ngày đến hộ"))
    present = models.ManyToManyField(Member, related_name="+", verbose_name=_("người có mặt"))
    needs = models.TextField(_("nhu cầu, khó khăn của hộ"), blank=True)
    consent = models.BooleanField(_("hộ đồng ý ghi nhận thông tin buổi hướng dẫn"), default=False)
    photo = models.ImageField(_("ảnh"), upload_to="teams/visits/%Y/%m/", blank=True)
    observation = models.OneToOneField(
        DigitalObservation, null=True, on_delete=models.SET_NULL, related_name="visit"
    )  # the digital facts seen at the visit, in the registry
    # the phone's own id of the visit: a visit synced twice is stored once
    client_id = models.UUIDField(unique=True, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    area_fields = AreaFields(
        province="commune__province_id",
        commune="commune_id",
        village="village_id",
        province_by_communes=True,
    )

    class Meta:
        verbose_name = _("lần đến hộ")
        verbose_name_plural = _("lần đến hộ")
        indexes = [
            models.Index(fields=["household", "visited_on"]),
            models.Index(fields=["village", "visited_on"]),
            models.Index(fields=["team_member", "visited_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_on}"


class Outcome(models.TextChoices):
    SHOWN = "shown", _("Đã hướng dẫn")
    PRACTISED = "practised", _("Đã thực hành")
    ALONE = "alone", _("Tự làm được")


class VisitSkill(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="skills")
    skill = models.CharField(_("kỹ năng"), max_length=40)  # a code of the skills catalogue
    catalogue_version = models.CharField(max_length=20)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices)

    class Meta:
        verbose_name = _("kỹ năng đã hướng dẫn")
        verbose_name_plural = _("kỹ năng đã hướng dẫn")
        constraints = [models.UniqueConstraint(fields=["visit", "skill"], name="visit_skill_once")]

    def __str__(self) -> str:
        return f"{self.skill}: {self.outcome}"


class VisitConflict(models.Model):
    """A digital fact two people recorded differently while apart (offline): kept aside, shown,
    and settled by a person, never overwritten in silence."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="conflicts")
    field = models.CharField(max_length=40)
    base = models.JSONField(null=True)  # what the phone showed when the visit was recorded
    mine = models.JSONField(null=True)  # what the visit saw
    theirs = models.JSONField(null=True)  # what the registry says now (someone else's record)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kept = models.CharField(max_length=6, blank=True)  # "mine" or "theirs"

    class Meta:
        verbose_name = _("xung đột dữ liệu")
        verbose_name_plural = _("xung đột dữ liệu")

    def __str__(self) -> str:
        return f"{self.visit_id} {self.field}"


# --- aggregates, kept as visits are recorded (the progress pages read these, never the visits) ---

# the indicators whose change after a first visit the progress pages report
REACH_FIELDS = (
    "has_smartphone",
    "uses_internet",
    "vneid_level",
    "pays_cashless",
    "uses_online_public_services",
)


class VisitTally(models.Model):
    """Visits and skills per village, team member and day."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="+")
    team_member = models.IntegerField(default=0)  # TeamMember id; 0: recorded by an officer
    day = models.DateField()
    visits = models.PositiveIntegerField(default=0)
    skills_taught = models.PositiveIntegerField(default=0)
    skills_mastered = models.PositiveIntegerField(default=0)  # "can do it alone"

    area_fields = AreaFields(
        province="commune__province_id",
        commune="commune_id",
        village="village_id",
        province_by_communes=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["village", "team_member", "day"], name="tally_once")
        ]
        indexes = [models.Index(fields=["commune", "day"])]

    def __str__(self) -> str:
        return f"{self.village_id} {self.day}: {self.visits}"


class SkillTally(models.Model):
    """Skills taught and mastered per village, skill and month."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="+")
    skill = models.CharField(max_length=40)
    month = models.DateField()  # its first day
    taught = models.PositiveIntegerField(default=0)
    mastered = models.PositiveIntegerField(default=0)

    area_fields = AreaFields(
        province="commune__province_id",
        commune="commune_id",
        village="village_id",
        province_by_communes=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["village", "skill", "month"], name="skill_tally_once")
        ]
        indexes = [models.Index(fields=["commune", "month"])]

    def __str__(self) -> str:
        return f"{self.village_id} {self.skill} {self.month}"


class HouseholdReach(models.Model):
    """A household the teams have reached: when first and last, how often, what its profile
    said of the key indicators before the first visit, and which of them a visit has seen it
    gain since (the progress pages count households that moved out of a deprivation)."""

    household = models.OneToOneField(
        Household, primary_key=True, on_delete=models.CASCADE, related_name="reach"
    )
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="+")
    first_visit = models.DateField()
    last_visit = models.DateField()
    visits = models.PositiveIntegerField(default=0)
    had_smartphone = models.BooleanField(null=True)
    used_internet = models.BooleanField(null=True)
    had_vneid = models.BooleanField(null=True)  # level 2
    paid_cashless = models.BooleanField(null=True)
    used_online_services = models.BooleanField(null=True)
    # lacked it before the first visit, and a later visit saw it (kept by tallies.count_visit)
    got_smartphone = models.BooleanField(default=False)
    got_internet = models.BooleanField(default=False)
    got_vneid = models.BooleanField(default=False)
    got_cashless = models.BooleanField(default=False)
    got_online_services = models.BooleanField(default=False)

    area_fields = AreaFields(
        province="commune__province_id",
        commune="commune_id",
        village="village_id",
        province_by_communes=True,
    )

    class Meta:
        indexes = [models.Index(fields=["commune", "first_visit"])]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.visits}"
