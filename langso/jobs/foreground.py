"""Running a job inside a management command: a live progress line, then its row errors."""

import sys

from django.core.management.base import BaseCommand

from langso.jobs import runner
from langso.jobs.models import Job
from langso.jobs.progress_bar import render


def run_with_progress(command: BaseCommand, job: Job) -> Job:
    """Run the job in this process; one line redrawn on a terminal, one line per update in logs."""
    tty = sys.stdout.isatty()

    def echo(current: Job) -> None:
        command.stdout.write(("\r" if tty else "") + render(current), ending="" if tty else "\n")

    job = runner.run(job.pk, echo=echo)
    command.stdout.write(("\r" if tty else "") + render(job))
    return job


def write_row_errors(command: BaseCommand, filename: str, job: Job, *, limit: int = 1000) -> None:
    """Each reported error as "file: row N, column: reason (value)" on standard error."""
    errors = (job.result or {}).get("errors", []) if isinstance(job.result, dict) else []
    for e in errors[:limit]:
        column = e.get("column") or e.get("field", "")
        value = f" ({e['value']})" if e.get("value") else ""
        command.stderr.write(f"{filename}: row {e['row']}, {column}: {e['reason']}{value}")
    if len(errors) > limit:
        command.stderr.write(f"{filename}: … and {len(errors) - limit} more errors")
