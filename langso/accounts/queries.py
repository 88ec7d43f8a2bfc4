"""Read side of accounts: which users a manager may see and change."""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from langso.accounts.models import AreaAssignment, User
from langso.accounts.roles import Capability
from langso.accounts.scope import area_of


def _assignments_inside(actor: Any) -> QuerySet[AreaAssignment]:
    area = area_of(actor)
    if area.everything:
        return AreaAssignment.objects.all()
    if area.is_empty:
        return AreaAssignment.objects.none()
    provinces, communes, villages = (
        sorted(area.provinces),
        sorted(area.communes),
        sorted(area.villages),
    )
    return AreaAssignment.objects.filter(
        Q(province_id__in=provinces)
        | Q(commune__province_id__in=provinces)
        | Q(village__commune__province_id__in=provinces)
        | Q(commune_id__in=communes)
        | Q(village__commune_id__in=communes)
        | Q(village_id__in=villages)
    )


def users_for(actor: Any) -> QuerySet[User]:
    """Users with at least one unit inside the actor's area; nothing without MANAGE_USERS."""
    if not getattr(actor, "is_authenticated", False) or not actor.can(Capability.MANAGE_USERS):
        return User.objects.none()
    if area_of(actor).everything:
        return User.objects.all()
    # a subquery, not a join: no duplicate rows, and the result can be locked for update
    return User.objects.filter(
        pk__in=_assignments_inside(actor).values("user_id"), is_superuser=False
    )


def users_with_areas_for(actor: Any) -> QuerySet[User]:
    """``users_for`` with each user's area assignments (and their units) fetched along."""
    return users_for(actor).prefetch_related(
        Prefetch("areas", AreaAssignment.objects.select_related("province", "commune", "village"))
    )


def manageable_users(actor: Any) -> QuerySet[User]:
    """Users the actor may change: all of their units lie inside the actor's area."""
    visible = users_for(actor)
    if area_of(actor).everything:
        return visible
    outside = AreaAssignment.objects.exclude(pk__in=_assignments_inside(actor).values("pk"))
    return visible.exclude(pk__in=outside.values("user_id"))
