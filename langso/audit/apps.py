from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "langso.audit"
    label = "audit"
