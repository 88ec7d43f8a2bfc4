"""Template filters of the registry pages."""

from django import template

from langso.registry.ethnicity import catalogue

register = template.Library()


@register.filter
def ethnic_name(code: str) -> str:
    """ "02" -> "Tày": the name of an ethnic group from its official code."""
    group = catalogue().by_code(code or "")
    return group.name if group else (code or "")
