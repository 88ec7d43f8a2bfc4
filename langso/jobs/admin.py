from django.contrib import admin

from langso.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "title", "status", "done", "total", "created_at"]
    list_filter = ["status", "kind"]
