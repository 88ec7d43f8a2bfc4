from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.decorators import login_required

from langso.accounts.models import ApiToken, AreaAssignment, User
from langso.audit.admin import AuditedAdmin

# The admin signs in through the app's own login (throttled, second factor).
admin.site.login = login_required(admin.site.login)
admin.site.site_header = "langso"


class AreaInline(admin.TabularInline):
    model = AreaAssignment
    extra = 1
    raw_id_fields = ["province", "commune", "village"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    inlines = [AreaInline]
    list_display = ["username", "full_name", "role", "is_active", "is_superuser"]
    list_filter = ["role", "is_active", "is_superuser"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("langso", {"fields": ("role", "full_name", "phone")}))
    audit_exclude = frozenset({"password"})


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked_at"]
    readonly_fields = ["prefix", "digest"]
