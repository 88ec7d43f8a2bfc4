from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "langso.teams"
    label = "teams"
