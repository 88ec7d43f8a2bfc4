from django.apps import AppConfig


class InfraConfig(AppConfig):
    name = "langso.infra"
    label = "infra"

    def ready(self) -> None:
        from langso.infra import jobs  # noqa: F401  (registers job kinds)
