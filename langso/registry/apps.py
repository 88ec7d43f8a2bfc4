from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "langso.registry"
    label = "registry"

    def ready(self) -> None:
        from langso.registry import jobs  # noqa: F401  (registers job kinds)
