"""Runs a Job through django-tasks: one task that looks up the job and calls its handler.

Progress is written with plain UPDATEs outside the handler's transaction (at most twice a
second), so the page and the CLI can follow a long job while it runs.
"""

import logging
import time
import traceback
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from langso.jobs.models import Job, JobStatus
from langso.jobs.registry import JobFailed, Progress, handler_for

logger = logging.getLogger(__name__)


class DbProgress(Progress):
    def __init__(
        self, job: Job, *, interval: float = 0.5, echo: Callable[[Job], None] | None = None
    ):
        self.job = job
        self.interval = interval
        self.echo = echo
        self._last = 0.0
        self._lines: list[str] = []

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        self.job.done = done
        if total is not None:
            self.job.total = total
        if message:
            self.job.message = message[:300]
        now = time.monotonic()
        if now - self._last >= self.interval or (total is not None and done >= total):
            self._last = now
            Job.objects.filter(pk=self.job.pk).update(
                done=self.job.done, total=self.job.total, message=self.job.message
            )
            if self.echo:
                self.echo(self.job)

    def log(self, line: str) -> None:
        self._lines.append(line)
        Job.objects.filter(pk=self.job.pk).update(log="\n".join(self._lines[-200:]))


@task()
def execute(job_id: int) -> str:
    """The django-tasks entry point: run one job by id and store its outcome."""
    run(job_id)
    return "ok"


def run(job_id: int, *, echo: Callable[[Job], None] | None = None) -> Job:
    """Run a job in this process; ``echo`` is called with the job on each progress update."""
    job = Job.objects.get(pk=job_id)
    if job.status == JobStatus.SUCCEEDED:
        return job  # a task delivered twice does nothing the second time
    from langso.audit import context

    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), error="", attempts=job.attempts + 1
    )
    job.refresh_from_db()
    progress = DbProgress(job, echo=echo)
    try:
        with context.origin("job"):
            result = handler_for(job.kind)(job, progress)
    except JobFailed as exc:
        return _finish(job, JobStatus.FAILED, error=str(exc))
    except Exception as exc:
        logger.exception("job %s failed", job.pk)
        return _finish(
            job,
            JobStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            trace=traceback.format_exc(),
        )
    return _finish(job, JobStatus.SUCCEEDED, result=result)


def _finish(
    job: Job, status: JobStatus, *, result: Any = None, error: str = "", trace: str = ""
) -> Job:
    fields: dict[str, Any] = {"status": status, "finished_at": timezone.now(), "error": error}
    if result is not None:
        fields["result"] = result
    if status == JobStatus.SUCCEEDED and job.total:
        fields["done"] = job.total
    if trace:
        fields["log"] = (job.log + "\n" + trace).strip()
    Job.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def enqueue_on_commit(job: Job) -> None:
    def send() -> None:
        result = execute.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(send)
