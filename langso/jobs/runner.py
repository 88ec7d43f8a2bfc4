"""Runs a Job through django-tasks: one task that looks up the job and calls its handler.

Progress is written at most twice a second, so the page, the API and the CLI can follow a long
job while it runs. A handler that writes inside one long transaction (an import's write pass)
would hide its own progress updates until it commits, so while the job's connection is inside
a transaction the progress goes around it:

- PostgreSQL: through a second connection to the same database (autocommit), so the job row
  itself changes for every reader;
- SQLite: it allows one writer at a time and the handler's transaction holds that lock, so no
  other connection can write the row until it commits. The progress goes to a small file in
  ``DATA_DIR/jobs/progress/``, which ``live()`` lays over the row for readers of running jobs.
"""

import json
import logging
import os
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone
from django_tasks import task

from langso.jobs.models import Job, JobStatus
from langso.jobs.registry import JobFailed, Progress, handler_for

logger = logging.getLogger(__name__)
_PROGRESS_FIELDS = ("done", "total", "message")


def progress_file(job_id: int) -> Path:
    return Path(settings.DATA_DIR) / "jobs" / "progress" / f"{job_id}.json"


def live(job: Job) -> Job:
    """The job with the progress its handler reported from inside a transaction (SQLite), for
    pages and commands that show a running job; other jobs are returned as they are."""
    if job.status != JobStatus.RUNNING:
        return job
    try:
        data = json.loads(progress_file(job.pk).read_text())
    except (OSError, ValueError):
        return job
    started = job.started_at.timestamp() if job.started_at else 0.0
    if data.get("at", 0) >= started:
        for name in _PROGRESS_FIELDS:
            if name in data:
                setattr(job, name, data[name])
    return job


class DbProgress(Progress):
    interval = 0.5  # seconds between two stored updates

    def __init__(
        self,
        job: Job,
        *,
        interval: float | None = None,
        echo: Callable[[Job], None] | None = None,
    ):
        self.job = job
        self.interval = self.interval if interval is None else interval
        self.echo = echo
        self._last = 0.0
        self._lines: list[str] = []
        self._side: Any = None  # the second connection (PostgreSQL), opened when first needed
        self._file_written = False
        self._log_pending = False
        self._side_failed = False

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        self.job.done = done
        if total is not None:
            self.job.total = total
        if message:
            self.job.message = message[:300]
        now = time.monotonic()
        if now - self._last >= self.interval or (total is not None and done >= total):
            self._last = now
            self._store(done=self.job.done, total=self.job.total, message=self.job.message)
            if self.echo:
                self.echo(self.job)

    def log(self, line: str) -> None:
        self._lines.append(line)
        self._store(log="\n".join(self._lines[-200:]))

    def _store(self, **fields: Any) -> None:
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job.pk).update(**fields)
        elif connection.vendor == "postgresql":
            self._store_aside(fields)
        elif "log" in fields:  # SQLite: the log waits for the end of the transaction
            self._log_pending = True
        else:
            self._store_in_file(fields)

    def _store_aside(self, fields: dict[str, Any]) -> None:
        """UPDATE the job row through a second connection (never the job's own: inside its
        transaction the row would be locked until commit, and the second connection would wait
        for it)."""
        quote = connection.ops.quote_name
        columns = ", ".join(f"{quote(Job._meta.get_field(n).column)} = %s" for n in fields)
        sql = f"UPDATE {quote(Job._meta.db_table)} SET {columns} WHERE {quote('id')} = %s"
        if self._side_failed:
            return
        try:
            if self._side is None:
                default = connections["default"]
                self._side = type(default)(dict(default.settings_dict), alias="jobs-progress")
                with self._side.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '2s'")
            with self._side.cursor() as cursor:
                cursor.execute(sql, [*fields.values(), self.job.pk])
        except DatabaseError:
            # e.g. the handler's transaction itself changed the job row, and holds its lock
            logger.warning("job %s: progress not stored aside", self.job.pk, exc_info=True)
            self._side_failed = True

    def _store_in_file(self, fields: dict[str, Any]) -> None:
        path = progress_file(self.job.pk)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_suffix(".part")
            part.write_text(json.dumps({**fields, "at": time.time()}))
            os.replace(part, path)  # readers never see half a file
            self._file_written = True
        except OSError:
            logger.warning("job %s: progress file not written", self.job.pk, exc_info=True)

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
        if self._file_written:
            progress_file(self.job.pk).unlink(missing_ok=True)
        if self._log_pending:
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
        try:
            with context.origin("job"):
                result = handler_for(job.kind)(job, progress)
        finally:
            progress.close()
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
    # the last progress reported, which may have gone around a transaction (see DbProgress)
    fields.update(done=job.done, total=job.total, message=job.message)
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
