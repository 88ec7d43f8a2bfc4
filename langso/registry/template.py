"""The downloadable import template: Vietnamese headers, an example household, allowed values."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from langso.geo.models import Village
from langso.registry import import_format as fmt
from langso.registry import records
from langso.registry.ethnicity import catalogue
from langso.registry.models import (
    Durability,
    Education,
    Latrine,
    Relationship,
    Sex,
    WaterSource,
    WorkStatus,
)

COLUMNS = [
    "household_code",
    "commune_code",
    "village",
    "address",
    *records.HOUSEHOLD_FACTS,
    "full_name",
    "sex",
    "birth_date",
    "birth_year",
    "ethnicity",
    "relationship",
    "id_number",
    "phone",
    *records.MEMBER_FACTS,
]


def template_xlsx(village: Village | None) -> bytes:
    commune = village.commune_id if village else "01273"
    village_name = village.name if village else "Nà Rị"
    book = Workbook()
    sheet = book.active
    sheet.title = "Hộ và thành viên"
    sheet.append([fmt.HEADERS[c] for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    example = [
        {
            "household_code": "",
            "commune_code": commune,
            "village": village_name,
            "wall": "Bền chắc",
            "column": "Bền chắc",
            "roof": "Không bền chắc",
            "floor_area_m2": "36",
            "water_source": "Giếng khoan",
            "latrine": "Bán tự hoại",
            "income_per_person": "1400000",
            "is_person_of_merit": "Không",
            "no_working_capacity": "Không",
            "full_name": "Nông Văn Dũng",
            "sex": "Nam",
            "birth_year": "1980",
            "ethnicity": "Tày",
            "relationship": "Chủ hộ",
            "work_status": "Tự làm (nông nghiệp, buôn bán…)",
            "has_health_insurance": "Có",
            "education": "Trung học cơ sở",
        },
        {
            "full_name": "Hoàng Thị Lan",
            "sex": "Nữ",
            "birth_year": "1984",
            "ethnicity": "Nùng",
            "relationship": "Vợ / chồng",
            "has_health_insurance": "Có",
        },
        {
            "full_name": "Nông Văn An",
            "sex": "Nam",
            "birth_date": "04/05/2012",
            "ethnicity": "Tày",
            "relationship": "Con",
            "in_school": "Có",
            "school_level_fits_age": "Có",
            "has_health_insurance": "Có",
        },
    ]
    for row in example:
        sheet.append([row.get(c, "") for c in COLUMNS])
    guide = book.create_sheet("Giá trị hợp lệ")
    guide.append(["Cột", "Giá trị"])
    for header, choices in [
        ("Tường / Cột / Mái", Durability.choices),
        ("Nguồn nước", WaterSource.choices),
        ("Nhà tiêu", Latrine.choices),
        ("Giới tính", Sex.choices),
        ("Quan hệ với chủ hộ", Relationship.choices),
        ("Việc làm", WorkStatus.choices),
        ("Trình độ", Education.choices),
    ]:
        guide.append([header, "; ".join(str(label) for _v, label in choices)])
    guide.append(["Dân tộc", "; ".join(g.name for g in catalogue().groups)])
    guide.append(["Cột Có/Không", "Có hoặc Không; để trống nếu chưa biết"])
    guide.append(
        [
            "Ghi chú",
            "Mỗi dòng một người; các dòng của một hộ liền nhau; thông tin hộ ghi "
            "ở dòng đầu (chủ hộ). Ngày sinh dạng ngày/tháng/năm.",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
