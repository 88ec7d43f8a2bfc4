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


def consent(member, *, actor=None, purpose: str = "contact", status: str = "given", **kw):
    """A member's consent (by default: to be contacted, on a signed form) as an officer of the
    member's commune records it."""
    from langso.registry.privacy import consent_record
    from tests.factories.accounts import commune_officer

    kw.setdefault("given_on", dt.date(2026, 1, 15))
    kw.setdefault("method", "signed_form")
    return consent_record(
        actor=actor or commune_officer(member.household.commune_id),
        member_id=member.pk,
        purpose=purpose,
        status=status,
        today=dt.date(2026, 11, 23),
        **kw,
    )
