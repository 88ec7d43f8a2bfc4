"""Old communes' results (before the 2025 reform): loaded all or nothing, re-aggregated to
today's communes through the crosswalk, split communes flagged; the seed article's sentence
from them."""

import io

import pytest
from django.core.exceptions import ValidationError

from langso.geo.models import CommuneSuccession, LegacyCommune
from langso.poverty.legacy import legacy_results_load
from langso.poverty.models import LegacyResult
from langso.poverty.queries import legacy_results, year_figures
from langso.poverty.reports import change_sentence
from tests.factories.accounts import analyst, province_admin
from tests.factories.sessions import signed_in

pytestmark = pytest.mark.django_db
HEADER = "Mã xã cũ,Năm,Số hộ,Hộ nghèo,Hộ cận nghèo,Hộ dân tộc thiểu số,Hộ nghèo DTTS\n"


def _old_communes(split: bool, n: int = 1, province: str = "04") -> list[str]:
    """Old communes whose default successor is in ``province`` today, split or not."""
    rows = CommuneSuccession.objects.filter(
        is_default=True, commune__province_id=province, legacy_commune__is_split=split
    ).values_list("legacy_commune_id", flat=True)
    return list(rows[:n])


def _load(text: str, name: str = "bao-cao-cu.csv", province: str = "04"):
    return legacy_results_load(
        actor=province_admin(province),
        name=name,
        stream=io.BytesIO(text.encode()),
        source="Báo cáo tỉnh",
    )


def test_a_file_with_a_bad_row_is_refused_whole_naming_file_row_and_column():
    (good,) = _old_communes(False)
    text = HEADER + f"{good},2023,1000,200,100,,\n99999,2023,10,1,1,,\n{good},2030,5,1,1,,\n"
    with pytest.raises(ValidationError) as refused:
        _load(text)
    assert refused.value.messages == [
        "bao-cao-cu.csv, dòng 3, cột mã xã cũ: không có xã cũ mã 99999",
        "bao-cao-cu.csv, dòng 4, cột năm: chỉ nhận năm rà soát 2016–2025 (trước khi sắp xếp xã)",
    ]
    assert not LegacyResult.objects.exists()


def test_more_poor_than_households_is_refused():
    (good,) = _old_communes(False)
    with pytest.raises(ValidationError) as refused:
        _load(HEADER + f"{good},2023,100,80,30,,\n")
    assert "hộ nghèo và cận nghèo nhiều hơn tổng số hộ" in refused.value.messages[0]


def test_loading_the_same_commune_and_year_again_replaces_it():
    (good,) = _old_communes(False)
    _load(HEADER + f"{good},2023,100,20,10,,\n")
    report = _load(HEADER + f"{good},2023,100,25,10,,\n")
    assert (report.created, report.updated) == (0, 1)
    assert LegacyResult.objects.get().poor == 25


def test_old_results_sum_into_the_new_commune_and_split_ones_are_flagged():
    province = (
        CommuneSuccession.objects.filter(is_default=True, legacy_commune__is_split=True)
        .values_list("commune__province_id", flat=True)
        .first()
    )
    (whole,) = _old_communes(False, province=province)
    (split,) = _old_communes(True, province=province)
    _load(HEADER + f"{whole},2023,100,20,10,,\n{split},2023,300,30,30,,\n", province=province)
    rows = legacy_results(analyst(province), 2023)
    by_unit = {r["unit"]: r for r in rows}
    whole_to = CommuneSuccession.objects.get(legacy_commune_id=whole, is_default=True).commune_id
    split_to = CommuneSuccession.objects.get(legacy_commune_id=split, is_default=True).commune_id
    assert by_unit[whole_to]["poor"] == (50 if whole_to == split_to else 20)
    assert by_unit[split_to]["approximate"] is True
    assert (rows[-1]["households"], rows[-1]["poor"], rows[-1]["approximate"]) == (400, 50, True)
    assert rows[-1]["poor_rate"] == 12.5


def test_the_seed_articles_sentence_comes_from_old_results():
    a, b = _old_communes(False, 2)
    # two old communes, 126,454 households in all; minority households 100,000
    _load(
        HEADER
        + f"{a},2022,63227,18298,5000,50000,16500\n{b},2022,63227,18298,5000,50000,16500\n"
        + f"{a},2023,63227,15624,5000,50000,14395\n{b},2023,63227,15623,5000,50000,14395\n"
    )
    user = analyst("04")
    sentence = change_sentence(year_figures(user, 2022), year_figures(user, 2023))
    assert sentence == (
        "Tỷ lệ hộ nghèo giảm 4,23 điểm phần trăm (5.349 hộ), từ 28,94% năm 2022 xuống còn "
        "24,71% năm 2023; hộ nghèo dân tộc thiểu số giảm 4,21 điểm phần trăm."
    )
    page = signed_in(user).get("/poverty/reports/", {"year": 2023}).content.decode()
    assert "24,71% năm 2023" in page
    assert 'data-testid="legacy-note"' in page


def test_an_old_commune_of_another_province_is_refused():
    other = (
        LegacyCommune.objects.exclude(successions__commune__province_id="04")
        .values_list("code", flat=True)
        .first()
    )
    with pytest.raises(ValidationError) as refused:
        _load(HEADER + f"{other},2023,100,20,10,,\n")
    assert "không thuộc tỉnh của bạn" in refused.value.messages[0]


def test_a_count_one_old_commune_did_not_give_leaves_the_total_unknown():
    a, b = _old_communes(False, 2)
    header = "Mã xã cũ,Năm,Số hộ,Hộ nghèo,Hộ cận nghèo,Số người,Người nghèo\n"
    _load(header + f"{a},2023,100,20,10,400,90\n{b},2023,100,20,10,,\n")
    total = legacy_results(analyst("04"), 2023)[-1]
    assert (total["persons"], total["poor_person_rate"], total["poor_rate"]) == (None, None, 20.0)
    response = signed_in(province_admin("04")).get("/poverty/reports/xlsx/", {"year": 2023})
    assert response.status_code == 200


def test_poor_persons_without_the_number_of_persons_is_refused():
    (a,) = _old_communes(False)
    header = "Mã xã cũ,Năm,Số hộ,Hộ nghèo,Hộ cận nghèo,Người nghèo\n"
    with pytest.raises(ValidationError) as refused:
        _load(header + f"{a},2023,100,20,10,90\n")
    assert "cần tổng số người" in refused.value.messages[0]
