from typing import Any

from django.db.models import QuerySet

from langso.accounts.roles import Capability
from langso.accounts.scope import restrict
from langso.audit.models import ChangeEvent


def events_for(user: Any) -> QuerySet[ChangeEvent]:
    """Audit events about the user's area, for roles allowed to audit; nothing otherwise."""
    if not getattr(user, "is_authenticated", False) or not user.can(Capability.VIEW_AUDIT):
        return ChangeEvent.objects.none()
    return restrict(ChangeEvent.objects.all(), user)
