"""Read side of geography: every list starts from the user's area."""

from typing import Any

from django.db.models import Count, QuerySet

from langso.accounts.scope import restrict
from langso.geo.models import Commune, Province, Village


def provinces_for(user: Any) -> QuerySet[Province]:
    return restrict(Province.objects.all(), user)


def communes_for(user: Any) -> QuerySet[Commune]:
    return restrict(Commune.objects.select_related("province"), user)


def villages_for(user: Any) -> QuerySet[Village]:
    return restrict(Village.objects.select_related("commune", "commune__province"), user)


def communes_with_village_counts(user: Any) -> QuerySet[Commune]:
    return communes_for(user).annotate(village_count=Count("villages"))
