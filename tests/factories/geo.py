import factory

from langso.geo.models import Village, VillageKind
from langso.geo.names import plain, village_key


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    commune_id = "01273"  # Phường Thục Phán, Cao Bằng
    name = factory.Sequence(lambda n: f"Nà Mạ {n}")
    kind = VillageKind.THON
    name_key = factory.LazyAttribute(lambda v: village_key(v.name))
    plain_name = factory.LazyAttribute(lambda v: plain(v.name))
