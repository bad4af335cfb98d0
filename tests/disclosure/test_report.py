"""The dashboard and annual-report contract: figures, their query counts and the chapter fragment."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from disclosure import selectors, services
from disclosure.choices import Category, Frequency, MeetingKind
from disclosure.models import CatalogItem, Feedback, NoticeRevision, OpenMeeting
from tests.communities.factories import CommunityFactory
from tests.disclosure.factories import CatalogItemFactory, at, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarterly_item():
    item = CatalogItemFactory(
        category=Category.RESIDENTS, name="居务季报", frequency=Frequency.QUARTERLY, deadline_workdays=10
    )
    CatalogItem.objects.exclude(pk=item.pk).update(active=False)
    return item


@pytest.fixture
def year_2005(quarterly_item, secretary_a, staff, approver, community_a, community_b):
    """Board A: Q1 on time, Q2 late, Q3 on time (after National Day), Q4 missing. Board B: nothing.
    Two open working-committee meetings; three questions (one answered on time, one late, one open);
    one correction and one withdrawal."""
    common = {
        "author": secretary_a,
        "reviewer": staff,
        "approver": approver,
        "community": community_a,
        "item": quarterly_item,
    }
    q1 = published(**common, period_start=date(2005, 1, 1), at_=at(date(2005, 4, 8)), title="一季度")
    published(**common, period_start=date(2005, 4, 1), at_=at(date(2005, 7, 20)), title="二季度")
    q3 = published(**common, period_start=date(2005, 7, 1), at_=at(date(2005, 10, 19)), title="三季度")
    services.notice_correct(actor=staff, notice=q1, title=q1.title, body="<p>更正</p>", reason="数字有误")
    NoticeRevision.objects.filter(notice=q1, number=2).update(created_at=at(date(2005, 4, 20)))
    services.notice_withdraw(actor=staff, notice=q3, reason="重复")
    from disclosure.models import Notice

    Notice.objects.filter(pk=q3.pk).update(withdrawn_at=at(date(2005, 10, 25)))
    board = services.subdistrict_board()
    for day, topic in ((date(2005, 1, 18), "地区经济发展"), (date(2005, 2, 22), "北湖深度开发")):
        OpenMeeting.objects.create(
            kind=MeetingKind.WORKING_COMMITTEE,
            board=board,
            date=day,
            topic=topic,
            agenda="议程",
            party_member_reps=5,
            resident_reps=8,
        )
    OpenMeeting.objects.create(
        kind=MeetingKind.WORKING_COMMITTEE, board=board, date=date(2004, 12, 1), topic="上一年的会议", agenda="议程"
    )
    asked = [services.feedback_submit(notice=q1, body=f"问题{i}") for i in range(3)]
    services.feedback_answer(actor=staff, feedback=asked[0], answer="答复")
    services.feedback_answer(actor=staff, feedback=asked[1], answer="答复")
    Feedback.objects.filter(pk=asked[0].pk).update(
        created_at=at(date(2005, 4, 10)), due_on=date(2005, 4, 22), answered_at=at(date(2005, 4, 15))
    )
    Feedback.objects.filter(pk=asked[1].pk).update(
        created_at=at(date(2005, 4, 10)), due_on=date(2005, 4, 22), answered_at=at(date(2005, 5, 15))
    )
    Feedback.objects.filter(pk=asked[2].pk).update(created_at=at(date(2005, 6, 1)), due_on=date(2005, 6, 15))


def test_dashboard_figures(year_2005):
    figures = selectors.dashboard_figures(year=2005)
    # board A: Q1, Q3 on time, Q2 late, Q4 missing (Q3 was withdrawn: no longer counts); board B: 4 missing
    assert figures == {"disclosure_timeliness": Decimal("0.1250")}


def test_dashboard_timeliness_is_none_when_nothing_is_expected(quarterly_item):
    CatalogItem.objects.update(active=False)
    assert selectors.dashboard_figures(year=2005)["disclosure_timeliness"] is None


def test_annual_report_section(year_2005, community_a, community_b):
    with translation.override("zh-hans"):
        section = selectors.annual_report_section(year=2005)
    assert section["open_meetings"]["count"] == 2
    assert [(m["date"], m["topic"]) for m in section["open_meetings"]["list"]] == [
        (date(2005, 1, 18), "地区经济发展"),
        (date(2005, 2, 22), "北湖深度开发"),
    ]
    assert section["questions"] == {"received": 3, "answered": 2, "answered_on_time": 1}
    assert (section["corrections"], section["withdrawals"]) == (1, 1)
    residents = next(r for r in section["timeliness_by_category"] if r["label"] == "居务公开")
    assert (residents["expected"], residents["on_time"], residents["late"], residents["missing"]) == (8, 1, 1, 6)
    by_community = {r["label"]: r for r in section["timeliness_by_community"]}
    assert by_community["秀水社区"]["rate"] == Decimal("0.2500")
    assert by_community["丛树社区"]["rate"] == Decimal("0")
    with translation.override("zh-hans"):
        html = render_to_string("jiedao/report/_disclosure.html", {"section": section})
    assert "北湖深度开发" in html and "居务公开" in html and "秀水社区" in html and "25%" in html
    assert "<script" not in html and "href=" not in html and 'class="figures"' in html and 'class="num"' in html


def test_report_query_count_does_not_grow_with_communities(year_2005, quarterly_item, secretary_a, staff, approver):
    with CaptureQueriesContext(connection) as few:
        selectors.annual_report_section(year=2005)
        selectors.dashboard_figures(year=2005)
    for i in range(6):
        community = CommunityFactory(code=f"X{i:02d}", name=f"新增{i}社区")
        published(
            author=staff,
            reviewer=staff,
            approver=approver,
            community=community,
            item=quarterly_item,
            period_start=date(2005, 1, 1) + timedelta(days=100 * (i % 3)),
            at_=at(date(2005, 12, 1)),
        )
    with CaptureQueriesContext(connection) as many:
        section = selectors.annual_report_section(year=2005)
        selectors.dashboard_figures(year=2005)
    assert len(many) == len(few)
    assert len(section["timeliness_by_community"]) == 8


def test_demo_data_figures(db):
    """The demo loaders, run as `seed_demo` runs them: the seed's 16 meetings, one correction, late notices."""
    from communities import demo as communities_demo
    from disclosure import demo as disclosure_demo
    from jiedao import demo as jiedao_demo

    out = StringIO()
    communities_demo.load(stdout=out, password="demo-pass-1")
    jiedao_demo.load(stdout=out, password="demo-pass-1")
    disclosure_demo.load(stdout=out, password="demo-pass-1")
    disclosure_demo.load(stdout=out, password="demo-pass-1")  # idempotent
    with translation.override("zh-hans"):
        section = selectors.annual_report_section(year=2005)
    figures = selectors.dashboard_figures(year=2005)
    assert section["open_meetings"]["count"] == 16
    assert section["open_meetings"]["list"][0]["topic"] == "2005年地区经济发展目标"
    assert (section["corrections"], section["withdrawals"]) == (1, 1)
    assert section["timeliness"]["late"] > 0 and section["timeliness"]["missing"] > 0
    assert Decimal("0.75") < figures["disclosure_timeliness"] < Decimal("0.95")
    assert len(section["timeliness_by_community"]) == 20
    assert (section["questions"]["received"], section["questions"]["answered"]) == (8, 6)
    assert sum(r["expected"] for r in section["timeliness_by_category"]) == section["timeliness"]["expected"]
    finance = next(r for r in section["timeliness_by_category"] if r["label"] == "财务公开")
    assert finance["expected"] >= 20 * 12
    # synthetic history for benchmarks: another year on every board, the 2005 figures unchanged
    assert disclosure_demo.load_history(years=[2004], stdout=out) > 500
    assert selectors.dashboard_figures(year=2004)["disclosure_timeliness"] is not None
    after = selectors.dashboard_figures(year=2005)
    assert after["disclosure_timeliness"] == figures["disclosure_timeliness"]
    published_after = selectors.annual_report_section(year=2005)["notices_published"]
    assert published_after > section["notices_published"]  # 2004's year-end notices appear in 2005
