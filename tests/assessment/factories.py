from datetime import date

import factory

from assessment.models import AppraisalCycle, BallotSession, TrainingEvent
from tests.communities.factories import CadreFactory, CommunityFactory  # noqa: F401  (re-exported)


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppraisalCycle
        django_get_or_create = ("year",)

    year = 2005


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BallotSession

    cycle = factory.SubFactory(CycleFactory)
    community = factory.SubFactory(CommunityFactory)
    expected_voters = 40


class TrainingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingEvent

    kind = "class"
    title = factory.Sequence(lambda n: f"培训班第{n}期")
    start_date = date(2005, 3, 15)
    end_date = date(2005, 3, 16)
    place = "街道办事处会议室"
    organiser = "街道党工委"
    hours = 12
