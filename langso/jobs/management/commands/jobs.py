import json
import time

from django.core.management.base import BaseCommand, CommandError

from langso.jobs.models import Job
from langso.jobs.progress_bar import render
from langso.jobs.runner import live
from langso.jobs.services import job_retry


class Command(BaseCommand):
    help = "Background jobs: list, show, watch (live progress), retry. Workers: langso db_worker."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="the 30 newest jobs")
        for name in ("show", "watch", "retry"):
            sub.add_parser(name).add_argument("job_id", type=int)

    def handle(self, *args, action, job_id=None, **options):
        if action == "list":
            for job in Job.objects.all()[:30]:
                self.stdout.write(f"#{job.pk:<6} {job.status:<10} {job.kind:<24} {job.title}")
            return
        try:
            job = Job.objects.get(pk=job_id)
        except Job.DoesNotExist:
            raise CommandError(f"no job #{job_id}") from None
        if action == "retry":
            try:
                job = job_retry(actor=None, job_id=job.pk, check_scope=False)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"#{job.pk} queued again")
        elif action == "watch":
            while not job.is_finished:
                self.stdout.write("\r" + render(job), ending="")
                self.stdout.flush()
                time.sleep(0.5)
                job.refresh_from_db()
                live(job)
            self.stdout.write("\r" + render(job))
        self._show(job)
        if job.status == "failed":
            raise CommandError(job.error)

    def _show(self, job: Job) -> None:
        self.stdout.write(f"#{job.pk} {job.title}\nstatus: {job.status}  attempts: {job.attempts}")
        if job.result is not None:
            self.stdout.write(json.dumps(job.result, ensure_ascii=False, indent=2)[:4000])
        if job.error:
            self.stdout.write(self.style.ERROR(job.error))
