"""Background jobs of the geography app."""

from langso.accounts.models import User
from langso.geo.services import units_load, villages_import
from langso.jobs.registry import JobFailed, register


@register("geo.import_villages")
def import_villages(job, progress) -> dict:
    actor = User.objects.get(pk=job.created_by_id) if job.created_by_id else None
    if actor is None:
        raise JobFailed("the user who started the import no longer exists")
    with job.input_file.open("rb") as stream:
        report = villages_import(
            actor=actor,
            filename=job.params.get("filename", job.input_file.name),
            stream=stream,
            progress=progress,
        )
    result = report.as_dict()
    if report.errors:
        # shown on the job page with every row; nothing was written
        job.result = result
        job.save(update_fields=["result"])
        raise JobFailed(f"{len(report.errors)} error(s) in the file; nothing was imported")
    return result


@register("geo.load_units")
def load_units(job, progress) -> dict:
    progress(0, 1, "Loading administrative units")
    actor = User.objects.filter(pk=job.created_by_id).first()
    counts = units_load(actor=actor)
    progress(1, 1, "Done")
    return counts.as_dict()
