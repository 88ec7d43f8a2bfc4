"""Pre-computed figures (số liệu tổng hợp) per village and year, so dashboards read a small table
instead of the registry: every measure of the indicator catalogue (``indicators.MEASURES``) as
a column. A row with no village holds what is known only per commune (operators' subscriber
figures, devices and stations not placed in a village). NULL: not known for that year (e.g. the
digital profile exists only for the current year).
"""

from django.db import models

from langso.accounts.scope import AreaFields
from langso.geo.models import Commune, Village


class VillageFigures(models.Model):
    province = models.CharField(max_length=2)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    village = models.ForeignKey(
        Village, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    households = models.BigIntegerField(null=True)
    people = models.BigIntegerField(null=True)
    poor = models.BigIntegerField(null=True)
    near_poor = models.BigIntegerField(null=True)
    deprived_telecom_use = models.BigIntegerField(null=True)
    deprived_information_access = models.BigIntegerField(null=True)
    assessed = models.BigIntegerField(null=True)
    with_broadband = models.BigIntegerField(null=True)
    with_smartphone = models.BigIntegerField(null=True)
    using_internet = models.BigIntegerField(null=True)
    with_vneid = models.BigIntegerField(null=True)
    paying_cashless = models.BigIntegerField(null=True)
    using_public_services = models.BigIntegerField(null=True)
    profiled = models.BigIntegerField(null=True)
    teams = models.BigIntegerField(null=True)
    team_members = models.BigIntegerField(null=True)
    households_reached = models.BigIntegerField(null=True)
    skills_mastered = models.BigIntegerField(null=True)
    base_stations = models.BigIntegerField(null=True)
    villages = models.BigIntegerField(null=True)
    villages_4g_full = models.BigIntegerField(null=True)
    villages_fibre = models.BigIntegerField(null=True)
    wifi_points = models.BigIntegerField(null=True)
    mobile_subscribers = models.BigIntegerField(null=True)
    internet_subscribers = models.BigIntegerField(null=True)
    phone_subscribers = models.BigIntegerField(null=True)
    iptv_subscribers = models.BigIntegerField(null=True)
    radio_clusters = models.BigIntegerField(null=True)
    boards = models.BigIntegerField(null=True)
    # ethnic-minority households only (sensitive in aggregate: see indicators.MEASURES)
    minority_households = models.BigIntegerField(null=True)
    minority_assessed = models.BigIntegerField(null=True)
    minority_poor = models.BigIntegerField(null=True)
    minority_near_poor = models.BigIntegerField(null=True)
    minority_deprived_telecom_use = models.BigIntegerField(null=True)
    minority_deprived_information_access = models.BigIntegerField(null=True)
    minority_profiled = models.BigIntegerField(null=True)
    minority_with_smartphone = models.BigIntegerField(null=True)
    minority_using_internet = models.BigIntegerField(null=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    area_fields = AreaFields(province="province", commune="commune_id", village="village_id")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "village", "year"], name="figures_once"),
        ]
        indexes = [
            models.Index(fields=["province", "year"]),
            models.Index(fields=["commune", "year"]),
        ]

    def __str__(self) -> str:
        return f"{self.commune_id}/{self.village_id or '-'} {self.year}"
