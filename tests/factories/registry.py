import datetime as dt

from langso.registry.records import HouseholdRecord, MemberRecord


def household_record(village, *members: MemberRecord, **kw) -> HouseholdRecord:
    members = members or (
        MemberRecord(
            "Nông Văn Dũng", "male", 1980, "head", ethnicity="02", id_number="004080012345"
        ),
        MemberRecord("Hoàng Thị Lan", "female", 1984, "spouse", ethnicity="07"),
        MemberRecord(
            "Nông Văn An", "male", 2012, "child", ethnicity="02", birth_date=dt.date(2012, 5, 4)
        ),
    )
    return HouseholdRecord(village_id=village.pk, members=list(members), **kw)


def household(village, *members: MemberRecord, actor=None, **kw):
    """A household registered through the service, as an officer of its commune would."""
    from langso.registry.services import household_create
    from tests.factories.accounts import commune_officer

    actor = actor or commune_officer(village.commune_id)
    return household_create(
        actor=actor, record=household_record(village, *members, **kw), today=dt.date(2026, 11, 23)
    )
