from django.contrib import admin

from langso.audit.models import Action, ChangeEvent
from langso.audit.services import record_change, snapshot


class AuditedAdmin(admin.ModelAdmin):
    """Django admin writes through here, so superusers' edits are audited like everyone's."""

    audit_exclude: frozenset[str] = frozenset()  # fields never written to the log (secrets)

    def save_model(self, request, obj, form, change):
        exclude = self.audit_exclude
        before = snapshot(type(obj).objects.get(pk=obj.pk), exclude=exclude) if change else None
        super().save_model(request, obj, form, change)
        record_change(
            actor=request.user,
            action=Action.UPDATE if change else Action.CREATE,
            obj=obj,
            before=before,
            after=snapshot(obj, exclude=exclude),
        )

    def delete_model(self, request, obj):
        record_change(actor=request.user, action=Action.DELETE, obj=obj, before=snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(ChangeEvent)
class ChangeEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "object_type", "object_repr", "source"]
    list_filter = ["action", "source", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
