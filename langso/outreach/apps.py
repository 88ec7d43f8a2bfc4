from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "langso.outreach"
    label = "outreach"

    def ready(self) -> None:
        from langso.outreach import jobs  # noqa: F401  (registers job kinds)
