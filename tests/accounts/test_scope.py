import pytest

from langso.accounts.models import User
from langso.accounts.scope import area_of, restrict
from langso.audit.models import ChangeEvent
from langso.geo.models import Commune, Province, Village
from tests.factories.accounts import UserFactory, commune_officer, team_member
from tests.factories.geo import VillageFactory

pytestmark = pytest.mark.django_db


def test_a_user_without_assignment_sees_nothing():
    user = UserFactory()
    assert area_of(user).is_empty
    assert not restrict(Commune.objects.all(), user).exists()


def test_an_inactive_user_sees_nothing():
    user = commune_officer("01273", is_active=False)
    assert not restrict(Commune.objects.all(), user).exists()


def test_superuser_sees_every_province():
    assert restrict(Province.objects.all(), User(is_superuser=True, is_active=True)).count() == 34


def test_village_user_reads_their_commune_and_province_names():
    village = VillageFactory(commune_id="01273")
    member = team_member(village)
    assert list(restrict(Commune.objects.all(), member).values_list("code", flat=True)) == ["01273"]
    assert list(restrict(Province.objects.all(), member).values_list("code", flat=True)) == ["04"]


def test_village_user_cannot_write_to_their_commune():
    member = team_member(VillageFactory(commune_id="01273"))
    assert not restrict(Commune.objects.all(), member, for_write=True).exists()


def test_data_rows_do_not_show_ancestors():
    """Audit events of the commune are not visible to a village user of that commune."""
    village = VillageFactory(commune_id="01273")
    ChangeEvent.objects.create(
        action="update", object_type="x", commune_code="01273", province_code="04"
    )
    assert not restrict(ChangeEvent.objects.all(), team_member(village)).exists()


def test_a_model_without_area_fields_cannot_be_scoped():
    with pytest.raises(TypeError):
        restrict(User.objects.all(), commune_officer())


def test_officer_of_two_communes_sees_both():
    user = UserFactory(communes=["01273", "07210"])
    assert set(restrict(Village.objects.all(), user).values_list("commune_id", flat=True)) <= {
        "01273",
        "07210",
    }
    assert restrict(Commune.objects.all(), user).count() == 2
