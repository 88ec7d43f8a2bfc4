"""Background jobs of the poverty app."""

from langso.accounts.models import User
from langso.jobs.registry import JobFailed, register
from langso.poverty.services import assess_area


@register("poverty.assess_area")
def assess_area_job(job, progress) -> dict:
    actor = User.objects.filter(pk=job.created_by_id, is_active=True).first()
    if actor is None:
        raise JobFailed("the user who started the assessment no longer exists")
    result = assess_area(
        actor=actor,
        review_year=int(job.params["review_year"]),
        province=job.params.get("province", ""),
        communes=job.params.get("communes") or None,
        save=bool(job.params.get("save", True)),
        progress=progress,
    )
    return result.as_dict()
