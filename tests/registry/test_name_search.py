"""The list page's search by name, read commune by commune from the members' name indexes."""

import pytest

from langso.registry import queries
from langso.registry.filters import HouseholdFilter
from langso.registry.models import Household, Member
from langso.registry.name_search import NameListing
from langso.registry.records import MemberRecord
from langso.registry.services import household_update, member_leave
from tests.factories.accounts import commune_officer, province_admin
from tests.factories.geo import VillageFactory
from tests.factories.registry import household
from tests.factories.sessions import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["rare name", "common name"])
def how_found(request, monkeypatch):
    """Every behaviour holds both for a name found at once and for one read commune by commune."""
    from langso.registry import name_search

    if request.param == "common name":
        monkeypatch.setattr(name_search, "RARE_NAME_PEOPLE", 1)
    return request.param


def _head(name: str) -> MemberRecord:
    return MemberRecord(name, "male", 1980, "head", ethnicity="02")


def _listed(user, q: str, **filters) -> list[Household]:
    page = signed_in(user).get("/households/", {"q": q, **filters})
    return list(page.context["page"].object_list)


@pytest.fixture
def two_communes():
    return VillageFactory(commune_id="01273"), VillageFactory(commune_id="01279")


def test_a_name_search_lists_by_commune_then_registration_order(two_communes):
    here, there = two_communes
    late_there = household(there, _head("Nông Văn Dũng"))
    early_here = household(here, _head("Lý Văn Dũng"))
    household(here, _head("Lý Văn Tư"))
    late_here = household(here, _head("Hoàng Văn Dũng"))
    assert _listed(province_admin("04"), "dung") == [early_here, late_here, late_there]


def test_a_household_with_two_matching_members_is_listed_once(two_communes):
    here, _there = two_communes
    found = household(
        here,
        _head("Nông Văn Dũng"),
        MemberRecord("Nông Văn Dũng", "male", 2010, "child", ethnicity="02"),
    )
    assert _listed(commune_officer("01273"), "dung") == [found]


def test_a_surname_and_a_given_name_match_the_same_word(two_communes):
    here, _there = two_communes
    by_surname = household(here, _head("Hoàng Văn Tư"))
    by_given = household(here, _head("Lý Văn Hoàng"))
    household(here, _head("Lý Văn Tư"))
    assert _listed(commune_officer("01273"), "Hoàng") == [by_surname, by_given]


def test_pages_run_on_from_one_commune_into_the_next(two_communes):
    here, there = two_communes
    ids = [household(here, _head("Nông Văn Dũng")).pk for _ in range(3)]
    ids += [household(there, _head("Nông Văn Dũng")).pk for _ in range(2)]
    listing = NameListing("dung", ["01279", "01273"])
    assert [h.pk for h in listing[2:4]] == ids[2:4]
    assert [h.pk for h in listing[4:6]] == ids[4:]


def test_the_count_stops_at_the_limit_it_is_asked_for(two_communes):
    here, there = two_communes
    for village in (here, here, there, there):
        household(village, _head("Nông Văn Dũng"))
    listing = NameListing("dung", ["01273", "01279"])
    assert (listing.count_upto(3), listing.count_upto(10)) == (3, 4)


def test_a_commune_chosen_in_the_filter_narrows_a_name_search(two_communes):
    here, there = two_communes
    household(here, _head("Nông Văn Dũng"))
    theirs = household(there, _head("Nông Văn Dũng"))
    assert _listed(province_admin("04"), "dung", commune="01279") == [theirs]


def test_a_name_search_with_another_filter_finds_the_same_households(two_communes):
    here, _there = two_communes
    other = VillageFactory(commune_id="01273")
    found = household(here, _head("Nông Văn Dũng"))
    household(other, _head("Nông Văn Dũng"))
    assert _listed(commune_officer("01273"), "dung", village=here.pk) == [found]


def test_a_member_who_left_is_not_found_by_name(two_communes):
    here, _there = two_communes
    officer = commune_officer("01273")
    home = household(
        here, _head("Lý Văn Tư"), MemberRecord("Nông Thị Mai", "female", 1990, "spouse")
    )
    member_leave(
        actor=officer, member_id=home.members.get(full_name="Nông Thị Mai").pk, reason="moved"
    )
    assert _listed(officer, "Mai") == []


def test_a_household_that_moved_commune_is_found_by_its_new_commune(two_communes):
    here, there = two_communes
    moved = household(here, _head("Nông Văn Dũng"))
    household_update(
        actor=province_admin("04"), household_id=moved.pk, changes={"village_id": there.pk}
    )
    assert (
        _listed(commune_officer("01273"), "dung"),
        _listed(commune_officer("01279"), "dung"),
    ) == (
        [],
        [moved],
    )


def test_the_members_of_a_closed_household_are_not_found_by_name(two_communes):
    here, _there = two_communes
    closed = household(here, _head("Nông Văn Dũng"))
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    assert list(
        Member.objects.filter(household=closed).values_list("search_commune", flat=True)
    ) == [None]


def test_searching_a_closed_household_by_name_with_closed_ones_shown_finds_it(two_communes):
    here, _there = two_communes
    closed = household(here, _head("Nông Văn Dũng"))
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    assert _listed(commune_officer("01273"), "dung", inactive="true") == [closed]


def test_the_filter_and_the_name_listing_agree_on_what_they_find(two_communes):
    here, there = two_communes
    for name, village in [("Nông Văn Dũng", here), ("Lý Thị Dung", there), ("Hoàng Văn Tư", here)]:
        household(village, _head(name))
    user = province_admin("04")
    listing = HouseholdFilter({"q": "dung"}, queries.households_for(user), user=user)
    assert isinstance(listing.listing(), NameListing)
    assert sorted(h.pk for h in listing.listing()[:50]) == sorted(h.pk for h in listing.qs)


def test_a_village_team_member_finds_only_their_villages_households_by_name(two_communes):
    from tests.factories.accounts import team_member

    here, _there = two_communes
    mine = household(here, _head("Nông Văn Dũng"))
    household(VillageFactory(commune_id="01273"), _head("Nông Văn Dũng"))
    assert _listed(team_member(here), "dung") == [mine]


def test_a_national_account_finds_households_by_name(two_communes):
    from tests.factories.accounts import UserFactory

    here, there = two_communes
    found = [household(here, _head("Nông Văn Dũng")), household(there, _head("Lý Văn Dũng"))]
    national = UserFactory(role="province_admin", is_superuser=True)
    assert _listed(national, "dung") == found
