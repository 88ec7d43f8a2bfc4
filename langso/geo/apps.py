from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "langso.geo"
    label = "geo"

    def ready(self) -> None:
        from langso.geo import jobs  # noqa: F401  (registers job kinds)
