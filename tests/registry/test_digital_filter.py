"""The digital filters of a commune or province, read from the profiles' own index."""

import datetime as dt

import pytest

from langso.registry.models import DigitalProfile
from langso.registry.services import digital_observe
from tests.factories.accounts import commune_officer, province_admin
from tests.factories.geo import VillageFactory
from tests.factories.registry import household
from tests.factories.sessions import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def village():
    return VillageFactory(commune_id="01273", name="Nà Rị")


def _observe(home, **facts):
    digital_observe(
        actor=commune_officer(home.commune_id),
        household_id=home.pk,
        observed_on=dt.date(2026, 6, 1),
        source="survey",
        facts=facts,
    )


def _page(user, **filters):
    page = signed_in(user).get("/households/", filters).context["page"]
    return list(page.object_list), page.paginator.count


def test_households_without_a_smartphone_are_listed_and_counted(village):
    without, with_phone = household(village), household(village)
    _observe(without, has_smartphone=False)
    _observe(with_phone, has_smartphone=True)
    found = _page(commune_officer("01273"), digital="has_smartphone", digital_value="no")
    assert found == ([without], 1)


def test_a_household_never_asked_is_unknown(village):
    asked, never = household(village), household(village)
    _observe(asked, has_smartphone=True)
    found = _page(commune_officer("01273"), digital="has_smartphone", digital_value="unknown")
    assert found == ([never], 1)


def test_vneid_yes_means_any_level(village):
    level_1, none = household(village), household(village)
    _observe(level_1, vneid_level=1)
    _observe(none, vneid_level=0)
    assert _page(province_admin("04"), digital="vneid_level") == ([level_1], 1)


def test_a_profile_knows_its_households_commune(village):
    home = household(village)
    _observe(home, has_tv=True)
    assert DigitalProfile.objects.get(household=home).listed_commune == "01273"


def test_a_closed_household_is_not_counted_by_the_digital_filter(village):
    closed, kept = household(village), household(village)
    for home in (closed, kept):
        _observe(home, has_tv=True)
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    assert _page(commune_officer("01273"), digital="has_tv") == ([kept], 1)


def test_a_household_that_moved_is_counted_in_its_new_commune(village):
    from langso.registry.services import household_update

    there = VillageFactory(commune_id="01279")
    home = household(village)
    _observe(home, has_tv=True)
    household_update(
        actor=province_admin("04"), household_id=home.pk, changes={"village_id": there.pk}
    )
    assert (
        _page(commune_officer("01273"), digital="has_tv"),
        _page(commune_officer("01279"), digital="has_tv"),
    ) == (([], 0), ([home], 1))
