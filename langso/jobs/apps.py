from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "langso.jobs"
    label = "jobs"
