"""Progress reported from inside a handler's transaction is visible to other connections while
the transaction is still open (the page polls from another request, i.e. another connection)."""

import threading

import pytest
from django.db import connection, transaction

from langso.accounts.models import User
from langso.jobs import runner
from langso.jobs.models import Job
from langso.jobs.registry import register
from langso.jobs.services import job_start

pytestmark = pytest.mark.django_db(transaction=True)
_seen: dict[str, tuple] = {}


def from_another_connection(job_id: int) -> dict[str, tuple]:
    """What a request served by another thread (so another database connection) reads."""
    out: dict[str, tuple] = {}

    def read() -> None:
        try:
            row = Job.objects.get(pk=job_id)
            out["row"] = (row.done, row.total, row.message)
            job = runner.live(row)
            out["live"] = (job.done, job.total, job.message)
        finally:
            connection.close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    return out


@register("test.long_write")
def _long_write(job, progress) -> dict:
    with transaction.atomic():
        User.objects.create(username="written-in-the-transaction")
        progress(5, 10, "Đã ghi 5/10 hộ")
        _seen.update(from_another_connection(job.pk))
    return {"ok": True}


def test_progress_inside_a_transaction_is_visible_to_other_connections():
    job = job_start(actor=None, kind="test.long_write", title="t", enqueue=False)
    _seen.clear()
    job = runner.run(job.pk)
    assert _seen["live"] == (5, 10, "Đã ghi 5/10 hộ")
    if connection.vendor == "postgresql":  # the row itself, through a second connection
        assert _seen["row"] == (5, 10, "Đã ghi 5/10 hộ")
    assert (job.status, job.done, job.total) == ("succeeded", 10, 10)
    assert not runner.progress_file(job.pk).exists()


def test_a_finished_job_ignores_a_stale_progress_file():
    job = job_start(actor=None, kind="test.long_write", title="t", enqueue=False)
    job = runner.run(job.pk)
    path = runner.progress_file(job.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"done": 1, "total": 99, "message": "old", "at": 0}')
    assert runner.live(job).total == 10
