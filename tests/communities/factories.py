from datetime import date

import factory

from communities.choices import CommunityKind, Gender
from communities.models import Cadre, Community, CommunityYear, PartyMember, Person
from jiedao.identity import id_check_digit


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"测试{n}社区")
    kind = CommunityKind.VILLAGE
    area_km2 = "1.50"
    households = 1000
    population = 3200
    party_org_name = factory.LazyAttribute(lambda o: f"中共{o.name}委员会")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"人员{n}")


class CadreFactory(factory.django.DjangoModelFactory):
    """A post held by a Person (one human, however many posts: pass `person=` to share one)."""

    class Meta:
        model = Cadre

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"干部{n}")
    post = "党委书记"
    term_start = date(2004, 3, 1)
    person = factory.SubFactory(
        PersonFactory, community=factory.SelfAttribute("..community"), name=factory.SelfAttribute("..name")
    )


def valid_id_number(n: int, birth: date = date(1970, 1, 1)) -> str:
    first17 = f"510108{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_digit(first17)


class PartyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyMember

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"党员{n}")
    gender = Gender.MALE
    birth_date = date(1970, 1, 1)
    id_number = factory.Sequence(lambda n: valid_id_number(n))
    mobile = factory.Sequence(lambda n: f"138{n:08d}")
    joined_on = date(1995, 7, 1)


class CommunityYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityYear

    community = factory.SubFactory(CommunityFactory)
    year = 2005
    collective_income = "10.00"
    per_capita_income = "5000.00"
    party_member_count = 20
