"""Background jobs of the registry."""

from langso.accounts.models import User
from langso.jobs.registry import JobFailed, register
from langso.registry.importer import households_import


@register("registry.import_households")
def import_households(job, progress) -> dict:
    actor = User.objects.filter(pk=job.created_by_id, is_active=True).first()
    if actor is None:
        raise JobFailed("the user who started the import no longer exists")
    report = households_import(
        actor=actor,
        filename=job.params.get("filename", job.input_file.name),
        open_stream=lambda: job.input_file.open("rb"),
        valid_only=bool(job.params.get("valid_only")),
        progress=progress,
    )
    result = report.as_dict()
    if not report.written:
        job.result = result
        job.save(update_fields=["result"])
        raise JobFailed(f"{len(report.errors)} error(s) in the file; nothing was imported")
    return result
