"""Removing what a demo build made, for module fixtures that build one."""

from langso.geo.models import Village
from langso.infra.models import BaseStation, Coverage, Mast, SubscriberCount, WifiHotspot
from langso.outreach.models import Announcement, Device, Feedback, Station
from langso.registry.models import Household
from langso.reports.models import VillageFigures
from langso.teams.models import Team


def remove_demo(province_code: str = "04") -> None:
    """Delete the demo's rows that hold on to the province's villages, then the villages."""
    VillageFigures.objects.filter(province=province_code).delete()
    for model in (BaseStation, Mast, WifiHotspot, Coverage, SubscriberCount):
        model.objects.filter(commune__province_id=province_code).delete()
    Feedback.objects.filter(commune__province_id=province_code).delete()
    Announcement.objects.filter(province_id=province_code).delete()
    Device.objects.filter(commune__province_id=province_code).delete()
    Station.objects.filter(commune__province_id=province_code).delete()
    Household.objects.all().delete()
    Team.objects.all().delete()
    Village.objects.filter(commune__province_id=province_code).delete()
