"""One FilterSet per list, shared by the page and the API."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from langso.geo.models import AreaType, Commune, CommuneKind, Village, VillageKind
from langso.geo.names import plain


def _name_search(queryset: QuerySet, name: str, value: str) -> QuerySet:
    """Names containing the text, with or without diacritics ("thuc phan" finds "Thục Phán")."""
    folded = plain(value)
    return queryset.filter(plain_name__contains=folded) if folded else queryset


class CommuneFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm"), method=lambda qs, n, v: _commune_search(qs, v))
    province = django_filters.CharFilter(field_name="province_id", label=_("Mã tỉnh"))
    kind = django_filters.ChoiceFilter(choices=CommuneKind.choices, label=_("Loại"))
    area_type = django_filters.ChoiceFilter(choices=AreaType.choices, label=_("Khu vực"))

    class Meta:
        model = Commune
        fields = ["q", "province", "kind", "area_type"]


def _commune_search(queryset: QuerySet, value: str) -> QuerySet:
    if value.strip().isdigit():
        return queryset.filter(code__startswith=value.strip())
    return _name_search(queryset, "name", value)


class VillageFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm"), method=lambda qs, n, v: _name_search(qs, n, v))
    commune = django_filters.CharFilter(field_name="commune_id", label=_("Mã xã"))
    province = django_filters.CharFilter(field_name="commune__province_id", label=_("Mã tỉnh"))
    kind = django_filters.ChoiceFilter(choices=VillageKind.choices, label=_("Loại"))

    class Meta:
        model = Village
        fields = ["q", "commune", "province", "kind"]
