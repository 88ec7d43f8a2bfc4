from django.contrib import admin

from langso.outreach.models import CapSubscription


@admin.register(CapSubscription)
class CapSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("name", "province", "url", "enabled", "last_polled_at", "last_error")
    list_filter = ("enabled", "province")
