from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "langso.demo"
    label = "demo"
