import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from langso.geo.models import Village
from langso.jobs.models import Job
from langso.jobs.registry import JobFailed, register
from langso.jobs.services import job_retry, job_start
from tests.factories.accounts import commune_officer, province_admin
from tests.factories.sessions import signed_in

pytestmark = pytest.mark.django_db

GOOD = "Mã xã,Tên thôn,Loại\n01273,Nà Rị,Thôn\n01273,Bó Mạ,Bản\n".encode()
BAD = "Mã xã,Tên thôn,Loại\n01273,Nà Rị,Thôn\n99999,Bó Mạ,Bản\n".encode()

_calls = {"n": 0}


@register("test.flaky")
def _flaky(job, progress):
    _calls["n"] += 1
    for i in range(3):
        progress(i + 1, 3, f"step {i + 1}")
    if job.params.get("fail_first") and _calls["n"] == 1:
        raise JobFailed("the network was down")
    return {"steps": 3}


def _start(user, kind, capture, **kw):
    with capture(execute=True):
        job = job_start(actor=user, kind=kind, title="t", **kw)
    job.refresh_from_db()
    return job


def test_a_job_runs_and_stores_its_progress_and_result(django_capture_on_commit_callbacks):
    job = _start(province_admin(), "test.flaky", django_capture_on_commit_callbacks)
    assert (job.status, job.done, job.total, job.result) == ("succeeded", 3, 3, {"steps": 3})
    assert job.started_at is not None
    assert job.finished_at is not None


def test_a_failed_job_says_why_and_can_be_retried(django_capture_on_commit_callbacks):
    _calls["n"] = 0
    user = province_admin()
    job = _start(
        user, "test.flaky", django_capture_on_commit_callbacks, params={"fail_first": True}
    )
    assert (job.status, job.error) == ("failed", "the network was down")
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(actor=user, job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("succeeded", 2)


def test_only_failed_jobs_can_be_retried(django_capture_on_commit_callbacks):
    user = province_admin()
    job = _start(user, "test.flaky", django_capture_on_commit_callbacks)
    with pytest.raises(ValueError, match="only a failed job"):
        job_retry(actor=user, job_id=job.pk)


def test_an_unexpected_crash_is_recorded_with_its_trace(django_capture_on_commit_callbacks):
    job = _start(province_admin(), "no.such.kind", django_capture_on_commit_callbacks)
    assert job.status == "failed"
    assert "unknown job kind" in job.error


def test_village_import_page_runs_a_job_and_shows_the_result(django_capture_on_commit_callbacks):
    client = signed_in(commune_officer("01273"))
    upload = SimpleUploadedFile("thon.csv", GOOD, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/geo/villages/import/", {"file": upload})
    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    page = client.get(response.url).content.decode()
    assert 'data-status="succeeded"' in page
    assert Village.objects.filter(commune_id="01273").count() == 2


def test_village_import_with_errors_fails_and_lists_every_bad_row(
    django_capture_on_commit_callbacks,
):
    client = signed_in(commune_officer("01273"))
    upload = SimpleUploadedFile("thon.csv", BAD, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/geo/villages/import/", {"file": upload})
    job = Job.objects.get()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert job.status == "failed"
    assert "không có mã xã này" in page
    assert not Village.objects.filter(commune_id="01273").exists()


def test_the_progress_fragment_polls_until_the_job_finishes():
    user = commune_officer("01273")
    job = Job.objects.create(kind="x", title="t", created_by=user, done=40, total=100)
    client = signed_in(user)
    fragment = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert 'value="40"' in fragment
    Job.objects.filter(pk=job.pk).update(status="succeeded")
    fragment = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment


def test_someone_elses_job_outside_the_area_is_not_found():
    job = Job.objects.create(
        kind="x", title="t", created_by=province_admin("24"), province_code="24"
    )
    assert signed_in(commune_officer("01273")).get(f"/jobs/{job.pk}/").status_code == 404


def test_cli_import_prints_progress_and_counts(tmp_path):
    officer = commune_officer("01273")
    path = tmp_path / "thon.csv"
    path.write_bytes(GOOD)
    out = io.StringIO()
    call_command("import_villages", str(path), "--as", officer.username, stdout=out)
    assert "2 created" in out.getvalue()
    assert "100%" in out.getvalue()


def test_cli_import_reports_bad_rows_and_fails(tmp_path):
    officer = commune_officer("01273")
    path = tmp_path / "thon.csv"
    path.write_bytes(BAD)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_villages", str(path), "--as", officer.username, stderr=err, stdout=io.StringIO()
        )
    assert "thon.csv: row 3, commune_code: không có mã xã này (99999)" in err.getvalue()


def test_jobs_command_shows_a_job(django_capture_on_commit_callbacks):
    job = _start(province_admin(), "test.flaky", django_capture_on_commit_callbacks)
    out = io.StringIO()
    call_command("jobs", "show", str(job.pk), stdout=out)
    assert "status: succeeded" in out.getvalue()
