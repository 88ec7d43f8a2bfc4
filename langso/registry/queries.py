"""Read side of the registry: scoped households, and the current digital profile."""

from typing import Any

from django.db.models import Case, QuerySet, When

from langso.accounts.scope import area_of, restrict
from langso.geo.models import Village
from langso.registry.models import DigitalObservation, DigitalProfile, Household, Member
from langso.registry.records import DIGITAL_FIELDS

# Household lists (page, API) are in this order: by commune, then code. The (commune, code)
# index then gives the first page of any area without sorting it (a province is scoped as
# "commune in its communes", see Household.area_fields), however many households match.
LIST_ORDER = ("commune_id", "code")


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


def writable(user: Any, household: Household) -> bool:
    """True if the user's area covers the household for writing (not just reading)."""
    return area_of(user).covers(
        province=household.commune.province_id,
        commune=household.commune_id,
        village=household.village_id,
    )


def writable_villages(user: Any) -> QuerySet[Village]:
    return restrict(Village.objects.select_related("commune"), user, for_write=True).order_by(
        "commune__name", "name"
    )


def villages_of_filter(user: Any, commune_code: str) -> QuerySet[Village]:
    """Villages offered in the list's filter: those of the chosen commune, or of the user's only
    commune; none when the choice is still too wide (a province has thousands)."""
    villages = restrict(Village.objects.all(), user).order_by("name")
    if commune_code:
        return villages.filter(commune_id=commune_code)
    communes = set(villages.values_list("commune_id", flat=True).distinct()[:2])
    return villages if len(communes) == 1 else villages.none()


def with_heads(households: list[Household]) -> list[tuple[Household, Member | None]]:
    """Each household of a page with its head (one query for the page)."""
    heads = {
        m.household_id: m
        for m in Member.objects.filter(
            household_id__in=[h.pk for h in households], relationship="head", is_active=True
        )
    }
    return [(h, heads.get(h.pk)) for h in households]


def members_of(household: Household) -> QuerySet[Member]:
    """Active members, the head first, then by age."""
    order = Case(When(relationship="head", then=0), default=1)
    return household.members.filter(is_active=True).order_by(order, "birth_year", "id")


def former_members_of(household: Household) -> QuerySet[Member]:
    return household.members.filter(is_active=False).order_by("-id")


def observations_of(household: Household) -> QuerySet[DigitalObservation]:
    return household.digital_observations.select_related("member", "recorded_by").order_by(
        "-observed_on", "-recorded_at", "-id"
    )


def profile_rows(household: Household) -> list[tuple[str, object]]:
    """(label, value) of the household's current digital profile; empty if never observed."""
    profile = DigitalProfile.objects.filter(household=household).first()
    if profile is None:
        return []
    return [
        (DigitalObservation._meta.get_field(name).verbose_name, getattr(profile, name))
        for name in DIGITAL_FIELDS
    ]


def members_for(user: Any) -> QuerySet[Member]:
    """Members (active or not) of the households in the user's area."""
    return restrict(Member.objects.select_related("household"), user)


def observations_for(user: Any) -> QuerySet[DigitalObservation]:
    """Digital observations of the households in the user's area, with who recorded them."""
    return restrict(DigitalObservation.objects.select_related("recorded_by"), user)
