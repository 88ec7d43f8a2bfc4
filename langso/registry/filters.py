"""The household search, shared by the list page, the API and the exports.

Filters that reveal sensitive personal data (ethnicity) exist only for users allowed to see it,
and the searches use indexes on both databases (see ``prefix``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import django_filters
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from langso.accounts.roles import Capability
from langso.accounts.scope import area_of
from langso.core import field_encryption
from langso.core.paging import CountedElsewhere
from langso.geo.names import plain
from langso.registry.cccd import normalise as normalise_id
from langso.registry.ethnicity import catalogue
from langso.registry.models import DigitalObservation, DigitalProfile, Household, Member
from langso.registry.name_search import NameListing, name_conditions
from langso.registry.queries import LIST_ORDER
from langso.registry.records import DIGITAL_FIELDS


def prefix(field: str, text: str) -> Q:
    """``field`` starts with ``text``, in a form the database answers from an index.

    PostgreSQL uses Django's ``varchar_pattern_ops`` index for LIKE 'x%'. SQLite's LIKE is
    case-insensitive and skips the index, but a range on the (binary) column uses it.
    """
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": text, f"{field}__lt": text + "\U0010ffff"})
    return Q(**{f"{field}__startswith": text})


def _answered(profiles: QuerySet, field: str, answer: str) -> QuerySet:
    """Profiles whose ``field`` says ``answer`` ("yes" / "no"; VNeID: any level / none)."""
    if field == "vneid_level":
        return profiles.filter(**({f"{field}__gte": 1} if answer == "yes" else {field: 0}))
    return profiles.filter(**{field: answer == "yes"})


def _ethnicity_choices() -> list[tuple[str, str]]:
    return [(g.code, f"{g.code} {g.name}") for g in catalogue().groups]


DIGITAL_CHOICES = [
    (name, DigitalObservation._meta.get_field(name).verbose_name) for name in DIGITAL_FIELDS
]


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm (tên, mã hộ, CCCD)"), method="search", help_text=_("Không cần gõ dấu")
    )
    commune = django_filters.CharFilter(field_name="commune_id", label=_("Mã xã"))
    village = django_filters.NumberFilter(field_name="village_id", label=_("Thôn"))
    minority = django_filters.BooleanFilter(
        field_name="is_ethnic_minority", label=_("Hộ dân tộc thiểu số")
    )
    ethnicity = django_filters.ChoiceFilter(
        label=_("Dân tộc"), choices=_ethnicity_choices, method="filter_ethnicity"
    )
    digital = django_filters.ChoiceFilter(
        label=_("Chỉ tiêu số"), choices=DIGITAL_CHOICES, method="filter_digital"
    )
    digital_value = django_filters.ChoiceFilter(
        label=_("Giá trị"),
        choices=[("yes", _("Có")), ("no", _("Không")), ("unknown", _("Chưa rõ"))],
        method="filter_digital",
    )
    inactive = django_filters.BooleanFilter(
        label=_("Gồm hộ đã chuyển đi / đã gộp"), method="filter_inactive"
    )

    class Meta:
        model = Household
        fields = ["q", "commune", "village", "minority", "ethnicity", "digital", "digital_value"]

    # Sensitive filters disappear for users without the right to see sensitive data.
    SENSITIVE = ("minority", "ethnicity")

    def __init__(self, data=None, queryset=None, *, user: Any = None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.user = user
        if user is None or not user.can(Capability.VIEW_SENSITIVE):
            for name in self.SENSITIVE:
                self.filters.pop(name, None)

    @property
    def qs(self) -> QuerySet[Household]:
        queryset = super().qs
        if not self.form.cleaned_data.get("inactive"):
            queryset = queryset.filter(is_active=True)
        return queryset

    def filter_inactive(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # applied in qs, so that "off" means active only

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        digits = normalise_id(text)
        if digits.isdigit() and len(digits) == 12:
            if self.user is None or not self.user.can(Capability.VIEW_SENSITIVE):
                return queryset.none()
            people = Member.objects.filter(
                id_number_hash=field_encryption.lookup_hash(digits), is_active=True
            )
            return queryset.filter(pk__in=people.values("household_id"))
        if any(ch.isdigit() for ch in text):  # names have no digits: a household code
            return queryset.filter(prefix("code", text))
        key = plain(text)
        if not key:
            return queryset
        names = Q()
        for condition in name_conditions(key):
            names |= condition
        communes = self._covered_communes()
        if self.form.cleaned_data.get("inactive"):  # members of closed households too
            people = Member.objects.filter(names, household__commune_id__in=communes)
        else:  # the (commune, name) indexes; inactive households are not listed anyway
            people = Member.objects.filter(names, search_commune__in=communes)
        return queryset.filter(pk__in=people.values("household_id"))

    def _covered_communes(self) -> list[str]:
        """The communes holding every household the user may see (those of their villages,
        for a village's team member), narrowed to the commune chosen in the filter."""
        area = area_of(self.user)
        if area.everything:
            from langso.geo.models import Commune

            communes = set(Commune.objects.values_list("code", flat=True))
        else:
            communes = area.communes | area.province_communes | area.ancestor_communes
        chosen = self.form.cleaned_data.get("commune")
        return sorted(communes & {chosen} if chosen else communes)

    def _whole_communes(self) -> bool:
        """True if the user sees every household of the communes they cover (not only some
        villages of them): the lists may then be read from the commune-led indexes alone."""
        return not area_of(self.user).villages

    def listing(self) -> Sequence[Household] | QuerySet[Household]:
        """What the list page pages through: the households in list order; a search by name
        alone (nothing else filtered) from the members' name indexes, commune by commune."""
        queryset = self.qs.order_by(*LIST_ORDER)  # also validates the form
        if not self.is_valid():
            return queryset
        data = self.form.cleaned_data
        key = plain((data.get("q") or "").strip())
        given = {n for n, v in data.items() if v not in (None, "")}
        if not self._whole_communes():
            return queryset
        communes = self._covered_communes()
        if key and given <= {"q", "commune"} and not any(c.isdigit() for c in key):
            return NameListing(key, communes)
        field, answer = data.get("digital"), data.get("digital_value") or "yes"
        if field and answer != "unknown" and given <= {"digital", "digital_value", "commune"}:
            # every listed profile is an active household of the area: count them alone
            profiles = _answered(
                DigitalProfile.objects.filter(listed_commune__in=communes), field, answer
            )
            return CountedElsewhere(queryset, lambda limit: profiles[:limit].count())
        return queryset

    def filter_ethnicity(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        people = Member.objects.filter(ethnicity=value, is_active=True)
        return queryset.filter(pk__in=people.values("household_id"))

    def filter_digital(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        field = self.form.cleaned_data.get("digital")
        answer = self.form.cleaned_data.get("digital_value") or "yes"
        if name == "digital_value" or not field:
            return queryset  # both parameters are applied once, from "digital"
        lookup = f"digital_profile__{field}"
        if answer == "unknown":
            # NOT EXISTS: an anti-join on both databases (NOT IN became a subplan per household
            # on PostgreSQL), against the area's profiles only, read from their (commune,
            # indicators) index (all profiles made PostgreSQL hash the whole table)
            known = DigitalProfile.objects.filter(
                **{f"{field}__isnull": False}, household_id=OuterRef("pk")
            )
            if not self.form.cleaned_data.get("inactive"):
                known = known.filter(listed_commune__in=self._covered_communes())
            return queryset.filter(~Exists(known))
        if field == "vneid_level":
            return queryset.filter(**({f"{lookup}__gte": 1} if answer == "yes" else {lookup: 0}))
        return queryset.filter(**{lookup: answer == "yes"})
