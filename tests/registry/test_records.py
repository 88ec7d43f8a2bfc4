import datetime as dt

from langso.registry.records import HouseholdRecord, MemberRecord, validate_household

TODAY = dt.date(2026, 11, 23)


def _member(**kw) -> MemberRecord:
    args = {
        "full_name": "Nông Văn Dũng",
        "sex": "male",
        "birth_year": 1980,
        "relationship": "head",
    } | kw
    return MemberRecord(**args)


def _problems(*members, **kw):
    record = HouseholdRecord(village_id=1, members=list(members), **kw)
    return {(p.field, p.reason) for p in validate_household(record, today=TODAY)}


def test_a_household_with_one_head_is_valid():
    assert _problems(_member(), _member(relationship="spouse", sex="female")) == set()


def test_a_household_needs_exactly_one_head():
    assert ("members", "hộ phải có đúng một chủ hộ (đang có 2)") in _problems(_member(), _member())


def test_a_future_birth_date_is_reported_on_that_member():
    found = _problems(
        _member(), _member(relationship="child", birth_year=None, birth_date=dt.date(2027, 1, 1))
    )
    assert ("members[1].birth_date", "ngày sinh ở tương lai") in found


def test_an_impossible_birth_year_is_reported():
    assert any(f == "members[0].birth_year" for f, _ in _problems(_member(birth_year=1850)))


def test_ethnicity_given_by_name_is_stored_as_its_code():
    member = _member(ethnicity="Tày")
    validate_household(HouseholdRecord(village_id=1, members=[member]), today=TODAY)
    assert member.ethnicity == "02"


def test_an_unknown_ethnicity_is_reported():
    assert any(f == "members[0].ethnicity" for f, _ in _problems(_member(ethnicity="Elf")))


def test_the_same_id_number_twice_in_one_household_is_reported():
    a = _member(id_number="004080012345")
    b = _member(relationship="spouse", id_number="004080012345")
    assert any(f == "members[1].id_number" for f, _ in _problems(a, b))
