"""An appraisal in progress for 秀水 (community A) with three cadres, and a ballot session."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment import services
from assessment.models import Appraisal, AppraisalCycle, BallotSession
from tests.communities.factories import CadreFactory


@pytest.fixture
def cadres_a(community_a):
    return [
        CadreFactory(community=community_a, name="张国华", post="党委书记"),
        CadreFactory(community=community_a, name="李秀英", post="居委会主任"),
        CadreFactory(community=community_a, name="王建明", post="党委委员"),
    ]


@pytest.fixture
def cadres_b(community_b):
    return [CadreFactory(community=community_b, name="陈丛树", post="党委书记")]


@pytest.fixture
def open_cycle(staff, cadres_a, cadres_b):
    cycle = services.cycle_save(actor=staff, cycle=AppraisalCycle(year=2005))
    services.cycle_start(actor=staff, cycle=cycle)
    cycle.refresh_from_db()
    return cycle


@pytest.fixture
def session_a(staff, open_cycle, community_a):
    return services.session_save(
        actor=staff, session=BallotSession(cycle=open_cycle, community=community_a, expected_voters=10)
    )


def score(staff, appraisal, *, committee=80, target=80, veto_reason=""):
    """The committee's scores through the service; the target score is not typed (a finalised target
    sheet writes it, tests/assessment/test_targets.py), so it is set here as that sheet would."""
    Appraisal.objects.filter(pk=appraisal.pk).update(target_score=Decimal(target))
    for name in ("score_de", "score_neng", "score_qin", "score_ji", "score_lian"):
        setattr(appraisal, name, Decimal(committee))
    appraisal.veto = bool(veto_reason)
    appraisal.veto_reason = veto_reason
    return services.appraisal_save(actor=staff, appraisal=appraisal)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The code-guessing counter lives in the cache (Redis db 3 in tests): start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def closed(staff, open_cycle, session_a, cadres_a):
    """The 2005 appraisal closed with paper results; a work-report file on 张国华's appraisal."""
    counts = {c.pk: (6, 1, 1) for c in cadres_a}
    services.paper_tally_save(actor=staff, session=session_a, present=8, valid=8, invalid=0, counts=counts)
    for appraisal in open_cycle.appraisals.all():
        score(staff, appraisal, committee=90, target=88)
    appraisal = open_cycle.appraisals.get(cadre__name="张国华")
    services.appraisal_save(
        actor=staff, appraisal=appraisal, report_upload=SimpleUploadedFile("述职.pdf", PDF, "application/pdf")
    )
    services.cycle_close(actor=staff, cycle=open_cycle)
    open_cycle.refresh_from_db()
    return open_cycle


@pytest.fixture
def later(staff, cadres_a):
    """The 2006 appraisal, in progress, with a session for 秀水."""
    cycle = services.cycle_save(actor=staff, cycle=AppraisalCycle(year=2006))
    services.cycle_start(actor=staff, cycle=cycle)
    session = services.session_save(
        actor=staff, session=BallotSession(cycle=cycle, community=cadres_a[0].community, expected_voters=5)
    )
    return cycle, session
