"""The importer at scale: what it remembers across the file lives on disk, not in memory; the
checked households wait there encrypted; and its progress shows while the write pass runs."""

import io
import pickle
import threading

import pytest
from django.db import connection

from langso.jobs import runner
from langso.jobs.models import Job
from langso.registry import importer
from langso.registry.models import Household, Member
from tests.factories.accounts import commune_officer
from tests.factories.geo import VillageFactory
from tests.registry.test_import import _csv, _household, _import

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    VillageFactory(commune_id="01273", name="Nà Rị")
    return commune_officer("01273")


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(importer, "CHUNK", 2)


def _households(n: int) -> list[dict]:
    rows = []
    for i in range(n):
        rows += _household(f"H{i}", f"Lý Văn Tư {chr(65 + i)}", f"00408001{i:04d}")
    return rows


def test_scratch_remembers_first_rows_across_batches():
    scratch = importer._Scratch()
    try:
        assert scratch.first_rows("codes", {"A": 2, "B": 5}) == {"A": 2, "B": 5}
        assert scratch.first_rows("codes", {"C": 9, "A": 12}) == {"C": 9, "A": 2}
        scratch.keep([("x",), ("y",)])
        scratch.keep([("z",)])
        assert [c for chunk in scratch.kept() for c in chunk] == [("x",), ("y",), ("z",)]
        assert scratch.spooled == 3
    finally:
        scratch.close()


def test_duplicates_far_apart_in_the_file_are_found(officer, small_chunks):
    rows = _households(6)
    rows += _household("H1", "Hà Văn Sáu", "004080019999")  # code of the 2nd household again
    rows[-3]["id_number"] = "004080010000"  # the head's CCCD of the 1st household
    report = _import(officer, _csv(rows))
    found = {(e.row, e.column, e.reason) for e in report.errors}
    assert (20, "Mã hộ", "trùng mã hộ ở dòng 5") in found
    assert (20, "Số CCCD", "trùng số CCCD ở dòng 2") in found
    assert not report.written
    assert Household.objects.count() == 0


def test_many_chunks_write_every_household_once(officer, small_chunks):
    report = _import(officer, _csv(_households(5)))
    assert (report.created, report.households, report.members) == (5, 5, 15)
    assert (Household.objects.count(), Member.objects.count()) == (5, 15)
    again = _import(officer, _csv(_households(5)))
    assert (again.created, again.updated, Household.objects.count()) == (0, 5, 5)


def test_two_households_of_one_file_are_never_merged(officer, small_chunks):
    """Same village, heads with the same name and birth year, no CCCD: two households, as the
    file says (only households stored before the import are matched)."""
    rows = _household("X1", head_id="") + _households(3) + _household("X2", head_id="")
    report = _import(officer, _csv(rows))
    assert (report.created, report.updated) == (5, 0)
    again = _import(officer, _csv(rows))
    assert (again.created, again.updated, Household.objects.count()) == (0, 5, 5)


def test_kept_households_hold_no_plain_id_numbers(officer, monkeypatch):
    kept: list[bytes] = []
    keep = importer._Scratch.keep

    def spy(self, households):
        kept.append(pickle.dumps(households))
        keep(self, households)

    monkeypatch.setattr(importer._Scratch, "keep", spy)
    _import(officer, _csv(_household("H1")))
    assert kept
    assert b"004080012345" not in b"".join(kept)
    assert Member.objects.get(relationship="head").id_number_last4 == "2345"


@pytest.mark.django_db(transaction=True)
def test_progress_of_the_write_pass_shows_on_other_connections(units, monkeypatch, tmp_path):
    from django.core.files import File

    from langso.jobs.services import job_start

    VillageFactory(commune_id="01273", name="Nà Rị")
    user = commune_officer("01273")
    monkeypatch.setattr(importer, "CHUNK", 1)
    monkeypatch.setattr(runner.DbProgress, "interval", 0)
    seen: list[tuple] = []
    write = importer._write

    def write_and_look(*args):
        write(*args)
        job = Job.objects.get(kind="registry.import_households")
        result: list[tuple] = []

        def look() -> None:  # another thread: another connection, like the polling page
            try:
                other = runner.live(Job.objects.get(pk=job.pk))
                result.append((other.done, other.total, other.message))
            finally:
                connection.close()

        thread = threading.Thread(target=look)
        thread.start()
        thread.join()
        seen.extend(result)

    monkeypatch.setattr(importer, "_write", write_and_look)
    data = io.BytesIO(_csv(_households(3)))
    job = job_start(
        actor=user,
        kind="registry.import_households",
        title="t",
        params={"filename": "ho.csv"},
        input_file=File(data, name="ho.csv"),
        enqueue=False,
    )
    job = runner.run(job.pk)
    assert job.status == "succeeded", job.error
    # after chunk n is written, others already see "n-1 of 3" (the tick follows the write)
    assert seen == [
        (0, 3, "Đang ghi vào cơ sở dữ liệu"),
        (1, 3, "Đã ghi 1/3 hộ"),
        (2, 3, "Đã ghi 2/3 hộ"),
    ]
