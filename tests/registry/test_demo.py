import pytest

from langso.demo.services import demo_build
from langso.registry.models import DigitalObservation, Household, Member
from langso.registry.queries import digital_profile
from tests.factories.demo import remove_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """One demo build for the module (a few seconds), removed afterwards with its audit rows."""
    from langso.audit.models import ChangeEvent

    with django_db_blocker.unblock():
        last_event = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        demo_build(province_code="04", households=3000, seed=7, with_users=False)
        yield
        remove_demo("04")
        ChangeEvent.objects.filter(id__gt=last_event).delete()


def test_every_household_gets_members_a_head_and_a_first_survey(built):
    assert 2900 <= Household.objects.count() <= 3100
    assert Member.objects.filter(relationship="head").count() == Household.objects.count()
    surveyed = DigitalObservation.objects.filter(source="survey")
    assert surveyed.count() == 2 * Household.objects.count()


def test_member_counts_match_the_members_stored(built):
    household = Household.objects.order_by("?").first()
    assert household.member_count == household.members.count()


def test_building_again_adds_nothing(built):
    before = (Household.objects.count(), Member.objects.count())
    demo_build(province_code="04", households=3000, seed=7, with_users=False)
    assert (Household.objects.count(), Member.objects.count()) == before


def test_about_half_of_households_have_fixed_broadband(built):
    share = DigitalObservation.objects.filter(member=None, has_fixed_broadband=True).count() / (
        Household.objects.count()
    )
    assert 0.35 < share < 0.65


def test_most_households_are_ethnic_minority_as_in_cao_bang(built):
    assert (
        Household.objects.filter(is_ethnic_minority=True).count() / Household.objects.count() > 0.85
    )


def test_generated_id_numbers_are_unique_apart_from_the_planted_duplicates(built):
    hashes = list(
        Member.objects.exclude(id_number_hash="").values_list("id_number_hash", flat=True)
    )
    planted = Member.objects.filter(relationship="parent").exclude(id_number_hash="").count()
    assert len(set(hashes)) == len(hashes) - planted > 1000


def test_some_people_are_planted_in_two_households_for_the_duplicates_page(built):
    from django.db.models import Count

    twice = (
        Member.objects.exclude(id_number_hash="")
        .values("id_number_hash")
        .annotate(n=Count("household", distinct=True))
        .filter(n=2)
    )
    assert twice.exists()


def test_generated_id_numbers_are_decryptable(built):
    from langso.core import field_encryption

    member = Member.objects.exclude(id_number_hash="").first()
    number = field_encryption.decrypt(member.id_number_encrypted)
    assert number.startswith("004")
    assert number[4:6] == f"{member.birth_year % 100:02d}"


def test_the_heads_profile_is_readable(built):
    household = Household.objects.first()
    head = household.members.get(relationship="head")
    assert digital_profile(household, member_id=head.pk)["uses_internet"] is not None


def test_households_average_about_four_people_like_the_province(built):
    assert 3.9 <= Member.objects.count() / Household.objects.count() <= 4.5
