import factory

from langso.accounts.models import AreaAssignment, User
from langso.accounts.roles import Role

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    role = Role.COMMUNE_OFFICER.value
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def provinces(self, create, codes, **kwargs):
        for code in codes or ():
            AreaAssignment.objects.create(user=self, province_id=code)

    @factory.post_generation
    def communes(self, create, codes, **kwargs):
        for code in codes or ():
            AreaAssignment.objects.create(user=self, commune_id=code)

    @factory.post_generation
    def villages(self, create, villages, **kwargs):
        for village in villages or ():
            AreaAssignment.objects.create(user=self, village=village)


def province_admin(code: str = "04", **kw) -> User:
    return UserFactory(role=Role.PROVINCE_ADMIN.value, provinces=[code], **kw)


def commune_officer(code: str = "01273", **kw) -> User:
    return UserFactory(role=Role.COMMUNE_OFFICER.value, communes=[code], **kw)


def team_member(village, **kw) -> User:
    return UserFactory(role=Role.TEAM_MEMBER.value, villages=[village], **kw)


def analyst(code: str = "04", **kw) -> User:
    return UserFactory(role=Role.ANALYST.value, provinces=[code], **kw)
