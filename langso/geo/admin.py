from django.contrib import admin

from langso.audit.admin import AuditedAdmin
from langso.geo.models import Commune, Province, Village


@admin.register(Province)
class ProvinceAdmin(AuditedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Commune)
class CommuneAdmin(AuditedAdmin):
    list_display = ["code", "name", "province", "kind", "area_type", "area_type_overridden"]
    list_filter = ["kind", "area_type", "province"]
    search_fields = ["code", "name"]


@admin.register(Village)
class VillageAdmin(AuditedAdmin):
    list_display = ["name", "kind", "commune"]
    list_filter = ["kind"]
    search_fields = ["name", "commune__name", "commune__code"]
    raw_id_fields = ["commune"]
