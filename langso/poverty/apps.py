from django.apps import AppConfig


class PovertyConfig(AppConfig):
    name = "langso.poverty"
    label = "poverty"

    def ready(self) -> None:
        from langso.poverty import jobs  # noqa: F401  (registers job kinds)
