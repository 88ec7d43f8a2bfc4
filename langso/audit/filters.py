import django_filters
from django.utils.translation import gettext_lazy as _

from langso.audit.models import Action, ChangeEvent


class ChangeEventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        field_name="actor_name", lookup_expr="icontains", label=_("Người thực hiện")
    )
    action = django_filters.ChoiceFilter(choices=Action.choices, label=_("Thao tác"))
    object_type = django_filters.CharFilter(lookup_expr="istartswith", label=_("Loại đối tượng"))
    object_id = django_filters.CharFilter(label=_("Mã đối tượng"))
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("Từ ngày"))
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("Đến ngày"))
    source = django_filters.ChoiceFilter(
        choices=[
            ("web", "web"),
            ("api", "api"),
            ("cli", "cli"),
            ("job", "job"),
            ("admin", "admin"),
        ],
        label=_("Nguồn"),
    )

    class Meta:
        model = ChangeEvent
        fields = ["actor", "action", "object_type", "object_id", "since", "until", "source"]
