"""Starting and retrying jobs."""

from typing import Any

from django.core.files.base import File
from django.db import transaction

from langso.accounts.scope import area_of, restrict
from langso.jobs.models import Job, JobStatus
from langso.jobs.runner import enqueue_on_commit


def job_area(actor: Any) -> dict[str, str]:
    """The province and commune to file a job under: the actor's own, when they have exactly one,
    so that the people of that area see it in their job list."""
    from langso.geo.models import Commune

    area = area_of(actor)
    commune = next(iter(area.communes)) if len(area.communes) == 1 else ""
    province = next(iter(area.provinces)) if len(area.provinces) == 1 else ""
    if commune and not province:
        province = (
            Commune.objects.filter(code=commune).values_list("province_id", flat=True).first() or ""
        )
    return {"province_code": province, "commune_code": commune}


def job_start(
    *,
    actor: Any,
    kind: str,
    title: str,
    params: dict | None = None,
    input_file: File | None = None,
    province_code: str = "",
    commune_code: str = "",
    enqueue: bool = True,
) -> Job:
    """Record a job and hand it to the worker once the transaction commits.

    ``enqueue=False`` records it for a caller that runs it in its own process (the CLI).
    """
    with transaction.atomic():
        job = Job(
            kind=kind,
            title=title[:200],
            params=params or {},
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            province_code=province_code,
            commune_code=commune_code,
        )
        if input_file is not None:
            job.input_file.save(input_file.name.rsplit("/", 1)[-1], input_file, save=False)
        job.save()
        if enqueue:
            enqueue_on_commit(job)
    return job


def job_retry(*, actor: Any, job_id: int, check_scope: bool = True) -> Job:
    """Queue a failed job again (same parameters and file); raises Job.DoesNotExist if unseen.

    ``check_scope=False`` is for the operator's CLI, which runs with the server's rights.
    """
    with transaction.atomic():
        jobs = Job.objects.select_for_update()
        if check_scope:
            jobs = restrict(jobs, actor, for_write=True) | jobs.filter(created_by=actor)
        job = jobs.get(pk=job_id)
        if job.status != JobStatus.FAILED:
            raise ValueError("only a failed job can be retried")
        job.status = JobStatus.QUEUED
        job.error = ""
        job.done = 0
        job.message = ""
        job.finished_at = None
        job.save(update_fields=["status", "error", "done", "message", "finished_at"])
        enqueue_on_commit(job)
    return job
