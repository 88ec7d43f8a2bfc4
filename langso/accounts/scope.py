"""The one scoping rule: which rows a user may read or write, by administrative area.

Every model that holds area-bound data declares ``area_fields`` (the lookups from the model to a
province code, a commune code and/or a village id). ``restrict(queryset, user)`` keeps only rows
inside the user's assigned units. It fails closed: a user with no assignment sees nothing;
superusers see everything. Geography itself (``ancestors_visible``) also shows the units *above*
a user's area, so a village-level user can read the name of their commune and province.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound="Model")


@dataclass(frozen=True)
class AreaFields:
    """Lookups from a model to the area it belongs to (any may be None)."""

    province: str | None = None
    commune: str | None = None
    village: str | None = None
    ancestors_visible: bool = False
    # Ask for a province as "the commune is one of these codes" (the province's communes), a
    # condition on the model's own commune column, instead of joining the communes to read
    # their province. Both databases plan the large registry tables better that way: through a
    # join (or a subquery) PostgreSQL estimates a province's rows from the communes table
    # (Cao Bằng: 56 of 3,321 communes, 1.7%) even where the table holds that province alone,
    # and SQLite reads the province whole and sorts it before showing a first page
    # (bench/RESULTS.md, household search).
    province_by_communes: bool = False


@dataclass(frozen=True)
class Area:
    """The units a user is assigned to, with the units above them."""

    everything: bool
    provinces: frozenset[str]
    communes: frozenset[str]
    villages: frozenset[int]
    ancestor_provinces: frozenset[str]
    ancestor_communes: frozenset[str]

    @cached_property
    def province_communes(self) -> frozenset[str]:
        """The communes of ``provinces`` (read the first time they are needed)."""
        from langso.geo.models import Commune

        if not self.provinces:
            return frozenset()
        communes = Commune.objects.filter(province_id__in=self.provinces)
        return frozenset(communes.values_list("code", flat=True))

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.provinces or self.communes or self.villages)

    def covers(self, *, province: str | None, commune: str | None, village: int | None) -> bool:
        """True if a row at this place is inside the area (for writes: no ancestors)."""
        if self.everything:
            return True
        return (
            (province is not None and province in self.provinces)
            or (commune is not None and commune in self.communes)
            or (village is not None and village in self.villages)
        )

    def province_codes(self) -> frozenset[str]:
        """Provinces the user's area touches (their own and those above their communes)."""
        return self.provinces | self.ancestor_provinces


NOWHERE = Area(False, frozenset(), frozenset(), frozenset(), frozenset(), frozenset())
EVERYWHERE = Area(True, frozenset(), frozenset(), frozenset(), frozenset(), frozenset())


def area_of(user: Any) -> Area:
    """The area of a user, computed once per user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOWHERE
    cached = getattr(user, "_langso_area", None)
    if cached is not None:
        return cached
    area = EVERYWHERE if user.is_superuser else _load_area(user)
    user._langso_area = area
    return area


def _load_area(user: Any) -> Area:
    from langso.accounts.models import AreaAssignment

    provinces: set[str] = set()
    communes: set[str] = set()
    villages: set[int] = set()
    anc_provinces: set[str] = set()
    anc_communes: set[str] = set()
    rows = AreaAssignment.objects.filter(user=user).values_list(
        "province_id",
        "commune_id",
        "commune__province_id",
        "village_id",
        "village__commune_id",
        "village__commune__province_id",
    )
    for province, commune, commune_prov, village, village_commune, village_prov in rows:
        if province:
            provinces.add(province)
        if commune:
            communes.add(commune)
            anc_provinces.add(commune_prov)
        if village:
            villages.add(village)
            anc_communes.add(village_commune)
            anc_provinces.add(village_prov)
    return Area(
        False,
        frozenset(provinces),
        frozenset(communes),
        frozenset(villages),
        frozenset(anc_provinces),
        frozenset(anc_communes),
    )


def area_q(fields: AreaFields, area: Area, *, for_write: bool = False) -> Q:
    """The filter that keeps a model's rows inside an area."""
    from django.db.models import Q

    if area.everything:
        return Q()
    q = Q(pk__in=[])
    # Ancestors (the commune above a village user, say) are visible only as rows of their own
    # level: a village user may read their commune's row, not every village of that commune.
    own_level = "village" if fields.village else "commune" if fields.commune else "province"
    ancestors = fields.ancestors_visible and not for_write
    if fields.province:
        codes = area.provinces
        if ancestors and own_level == "province":
            codes = codes | area.ancestor_provinces
        if codes and fields.province_by_communes and fields.commune:
            # a model with a commune is never read at province level: codes == area.provinces
            q |= Q(**{f"{fields.commune}__in": sorted(area.province_communes)})
        elif codes:
            q |= Q(**{f"{fields.province}__in": sorted(codes)})
    if fields.commune:
        codes = area.communes
        if ancestors and own_level == "commune":
            codes = codes | area.ancestor_communes
        if codes:
            q |= Q(**{f"{fields.commune}__in": sorted(codes)})
    if fields.village and area.villages:
        q |= Q(**{f"{fields.village}__in": sorted(area.villages)})
    return q


def restrict(queryset: QuerySet[M], user: Any, *, for_write: bool = False) -> QuerySet[M]:
    """Rows of ``queryset`` that ``user`` may read (or, with ``for_write``, change)."""
    fields: AreaFields | None = getattr(queryset.model, "area_fields", None)
    if fields is None:
        raise TypeError(f"{queryset.model.__name__} declares no area_fields: it cannot be scoped")
    area = area_of(user)
    if area.is_empty:
        return queryset.none()
    return queryset.filter(area_q(fields, area, for_write=for_write))
