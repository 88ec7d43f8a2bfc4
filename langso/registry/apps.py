from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "langso.registry"
    label = "registry"
