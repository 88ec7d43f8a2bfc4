from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "langso.reports"
    label = "reports"
