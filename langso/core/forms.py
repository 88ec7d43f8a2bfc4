"""Showing a service's ValidationError on the form that called it."""

from typing import Any

from django.core.exceptions import ValidationError


def apply_errors(form: Any, exc: ValidationError, prefix_map: dict[str, str] | None = None) -> None:
    """Each error on its field when the form has one (``prefix_map`` renames service fields,
    "members.0.name" counts as "name"), otherwise at the top of the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        name = field.split(".")[-1]
        name = (prefix_map or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)
