import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command

from langso.jobs import runner
from langso.jobs.models import Job
from langso.poverty import file_check
from langso.poverty.queries import area_types
from langso.poverty.standard import for_year
from tests.factories.accounts import commune_officer
from tests.factories.sessions import signed_in

pytestmark = pytest.mark.django_db

HEADER = [
    "Mã hộ", "Mã xã", "Thôn", "Họ và tên", "Giới tính", "Năm sinh", "Quan hệ với chủ hộ",
    "Có BHYT", "Việc làm", "Nhà tiêu", "Nguồn nước", "Diện tích nhà (m2)",
    "Thu nhập BQ (đồng/người/tháng)", "Dùng Internet", "Có ti vi",
]  # fmt: skip
POOR = [
    ["H1", "01273", "Nà Rị", "Nông Văn Dũng", "Nam", "1980", "Chủ hộ", "có", "Tự làm",
     "Không có nhà tiêu", "Sông, suối, ao, hồ", "10", "900000", "không", "có"],
    ["H1", "", "", "Hoàng Thị Lan", "Nữ", "1984", "Vợ", "có", "Tự làm", "", "", "", "", "", ""],
]  # fmt: skip
WELL_OFF = [
    ["H2", "01273", "Nà Rị", "Lê Văn Bình", "Nam", "1975", "Chủ hộ", "có", "Tự làm",
     "Tự hoại", "Nước máy", "80", "6000000", "có", ""],
]  # fmt: skip


def _csv(*rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def _check(data: bytes, year: int = 2026):
    standard = for_year(year)
    return list(
        file_check.check(
            "khao-sat.csv",
            io.BytesIO(data),
            standard=standard,
            review_year=year,
            area_type_of=area_types().get,
            today=dt.date(2026, 11, 23),
        )
    )


def _status(checked, code):
    return next(i for i in checked.result.indicators if i.code == code).status


def test_a_poor_household_of_the_file_is_classified_with_its_deprivations():
    poor, _well = _check(_csv(*POOR, *WELL_OFF))
    assert (poor.key, poor.members, poor.result.klass) == ("H1", 2, "poor")
    assert _status(poor, "hygienic_latrine") == "deprived"


def test_digital_columns_feed_the_information_indicators():
    poor, well = _check(_csv(*POOR, *WELL_OFF))
    assert _status(poor, "telecom_use") == "deprived"
    assert _status(poor, "information_access") == "not_deprived"  # has a TV
    assert _status(well, "information_access") == "unknown"  # nobody answered about devices


def test_a_bad_cell_is_reported_and_the_household_still_assessed():
    bad = [row[:] for row in WELL_OFF]
    bad[0][5] = "19x5"
    (checked,) = _check(_csv(*bad))
    assert any("Năm sinh" in p for p in checked.problems)
    assert checked.result is not None


def test_an_unknown_commune_cannot_be_classified_and_says_why():
    bad = [row[:] for row in WELL_OFF]
    bad[0][1] = "99999"
    (checked,) = _check(_csv(*bad))
    assert checked.result is None
    assert any("99999" in p for p in checked.problems)


def test_the_command_writes_one_csv_row_per_household(tmp_path):
    source = tmp_path / "khao-sat.csv"
    source.write_bytes(_csv(*POOR, *WELL_OFF))
    target = tmp_path / "ket-qua.csv"
    call_command("assess_file", str(source), year=2026, output=str(target))
    rows = list(csv.reader(target.open(encoding="utf-8-sig")))
    assert [r[1] for r in rows[1:]] == ["H1", "H2"]
    assert rows[1][rows[0].index("Phân loại")] == "hộ nghèo"


def test_the_page_checks_the_file_as_a_job_and_offers_the_csv():
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer = commune_officer()
    client = signed_in(officer)
    upload = SimpleUploadedFile("khao-sat.csv", _csv(*POOR), content_type="text/csv")
    page = client.post("/poverty/check-file/", {"file": upload, "review_year": 2026})
    job = Job.objects.get(kind="poverty.check_file")
    assert page.url == f"/jobs/{job.pk}/"
    job = runner.run(job.pk)
    assert (job.status, job.result["poor"]) == ("succeeded", 1)
    download = client.get(f"/jobs/{job.pk}/download/")
    assert "hộ nghèo" in b"".join(download.streaming_content).decode("utf-8-sig")
