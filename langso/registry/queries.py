"""Read side of the registry: scoped households, and the current digital profile."""

from typing import Any

from django.db.models import QuerySet

from langso.accounts.scope import restrict
from langso.registry.models import DigitalObservation, Household


def households_for(user: Any) -> QuerySet[Household]:
    return restrict(Household.objects.select_related("village", "commune"), user)


def digital_profile(
    household: Household, *, member_id: int | None = None, as_of=None
) -> dict[str, object]:
    """Per field, the latest observed value (on or before ``as_of``); fields never seen are None.

    Household-level devices come from every observation of the household; a member's use from
    that member's observations.
    """
    from langso.registry.services import DIGITAL_FACTS

    rows = DigitalObservation.objects.filter(household=household, member_id=member_id)
    if as_of is not None:
        rows = rows.filter(observed_on__lte=as_of)
    profile: dict[str, object] = dict.fromkeys(DIGITAL_FACTS)
    for row in rows.order_by("-observed_on", "-recorded_at", "-id").values(*DIGITAL_FACTS):
        for name, value in row.items():
            if profile[name] is None and value is not None:
                profile[name] = value
        if all(v is not None for v in profile.values()):
            break
    return profile
