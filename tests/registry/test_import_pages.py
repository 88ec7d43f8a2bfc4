import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from langso.jobs.models import Job
from langso.registry.models import Household
from tests.factories.accounts import analyst, commune_officer
from tests.factories.geo import VillageFactory
from tests.factories.sessions import signed_in
from tests.registry.test_import import _csv, _household

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    VillageFactory(commune_id="01273", name="Nà Rị")
    return commune_officer("01273")


def test_the_template_is_an_xlsx_with_vietnamese_headers_and_an_example_from_my_area(officer):
    response = signed_in(officer).get("/households/import/template.xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = rows.to_python()
    assert rows[0][:3] == ["Mã hộ", "Mã xã", "Thôn"]
    assert (str(rows[1][1]), rows[1][2]) == ("01273", "Nà Rị")


def test_the_template_as_downloaded_imports_cleanly(officer, django_capture_on_commit_callbacks):
    client = signed_in(officer)
    template = client.get("/households/import/template.xlsx").content
    upload = SimpleUploadedFile("mau.xlsx", template)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/households/import/", {"file": upload})
    job = Job.objects.get()
    assert (job.status, job.result["created"]) == ("succeeded", 1)
    assert Household.objects.get().members.count() == 3


def test_a_failed_import_offers_an_error_file_with_every_bad_row(
    officer, django_capture_on_commit_callbacks
):
    rows = _household("H1")
    rows[1]["sex"] = "Khác"
    client = signed_in(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/households/import/", {"file": SimpleUploadedFile("ho.csv", _csv(rows))})
    job = Job.objects.get()
    lines = list(
        csv.reader(
            io.StringIO(client.get(f"/jobs/{job.pk}/errors.csv").content.decode("utf-8-sig"))
        )
    )
    assert lines[0] == ["Dòng", "Cột", "Giá trị", "Lý do"]
    assert lines[1] == ["3", "Giới tính", "Khác", "không có trong danh mục"]


def test_the_import_page_is_closed_to_read_only_roles():
    assert signed_in(analyst("04")).get("/households/import/").status_code == 403
