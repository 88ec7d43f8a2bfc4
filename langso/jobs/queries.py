from typing import Any

from django.db.models import Q, QuerySet

from langso.accounts.scope import restrict
from langso.jobs.models import Job


def jobs_for(user: Any) -> QuerySet[Job]:
    """Jobs in the user's area, plus the ones they started themselves."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    in_area = restrict(Job.objects.all(), user)
    return Job.objects.filter(Q(pk__in=in_area.values("pk")) | Q(created_by=user)).select_related(
        "created_by"
    )
