"""Background jobs of the infrastructure registry: importing operators' and communes' files."""

from langso.accounts.models import User
from langso.infra.services import infra_import
from langso.jobs.registry import JobFailed, register


@register("infra.import")
def import_job(job, progress) -> dict:
    actor = User.objects.filter(pk=job.created_by_id, is_active=True).first()
    if actor is None:
        raise JobFailed("the user who started the import no longer exists")
    with job.input_file.open("rb") as stream:
        report = infra_import(
            actor=actor,
            kind=job.params["kind"],
            filename=job.params.get("filename", job.input_file.name),
            stream=stream,
            progress=progress,
        )
    result = report.as_dict()
    if report.errors:
        job.result = result
        job.save(update_fields=["result"])
        raise JobFailed(f"{len(report.errors)} error(s) in the file; nothing was imported")
    return result
