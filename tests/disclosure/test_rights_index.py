"""The 四权 index: each part recomputed by hand from the records it counts, the read counters of
the 知情 part (the notice page's beacon and the printed board's QR code), and the public pages."""

import re
import time
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disclosure.choices import FeedbackStatus, MeetingKind, NoticeStatus
from disclosure.models import Case, MeetingOpinion, Notice, NoticeReadDay, OpenMeeting
from disclosure.public_rights import RIGHTS_REFRESH
from disclosure.selectors.rights import rights_by_year, rights_index
from disclosure.services import board_for_community, case_close, case_rate, case_reply, notice_read_count
from jiedao.pagecache import bump_public_version
from jiedao.reporting.annual import annual_report_html
from tests.communities.factories import CommunityFactory
from tests.disclosure.case_helpers import recorded
from tests.disclosure.factories import residents_item
from tests.disclosure.test_public_pages import bulk_published

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def meeting(board, day, *, decisions="", opinions="", residents=0, members=0):
    return OpenMeeting.objects.create(
        kind=MeetingKind.COUNCIL,
        board=board,
        date=day,
        topic=f"议题{day}",
        agenda="议程",
        decisions=decisions,
        opinions=opinions,
        resident_reps=residents,
        party_member_reps=members,
    )


@pytest.fixture
def records(community_a, community_b, staff):
    board = board_for_community(community=community_a)
    meeting(board, date(2005, 3, 1), decisions="修建文化广场", opinions="居民代表赞成", residents=8, members=4)
    heard_on_agenda = meeting(board, date(2005, 5, 1), decisions="整治排水沟", residents=6)
    MeetingOpinion.objects.create(meeting=heard_on_agenda, body="先修北段", status=FeedbackStatus.PUBLISHED)
    MeetingOpinion.objects.create(meeting=heard_on_agenda, body="待审的意见", status=FeedbackStatus.PENDING)
    meeting(board, date(2005, 7, 1), decisions="调整议事规则", residents=3)  # decided, nobody heard
    meeting(board, date(2005, 9, 1), residents=5, members=2)  # heard reports, decided nothing
    meeting(board, date(2004, 9, 1), decisions="上一年", opinions="上一年")  # another year
    answered = recorded(staff, community_a, received_on=date(2005, 4, 1))
    case_reply(actor=staff, case=answered.case, reply="已办理")
    Case.objects.filter(pk=answered.case.pk).update(replied_at=datetime(2005, 4, 4, 10, tzinfo=TZ))
    case_close(actor=staff, case=answered.case)
    case_rate(code=answered.code, satisfaction="basically")
    recorded(staff, community_a, received_on=date(2005, 6, 1))  # never answered
    notice = bulk_published(board, residents_item(), staff, 1)[0]
    for _i in range(150):
        notice_read_count(notice=notice, day=date(2005, 8, 8))
    notice_read_count(notice=notice, qr=True, day=date(2005, 8, 9))
    return board


def test_each_part_is_recomputed_from_the_records(records, community_a, community_b):
    row, other = rights_index(2005)
    assert (row.community, other.community) == (community_a, community_b)
    # 知情
    assert (row.reads, row.qr_scans) == (151, 1)
    assert row.due > 0
    expected = (Decimal("0.8") * row.on_time / row.due + Decimal("0.2") * Decimal(151) / 1000) * 100
    assert row.know == expected.quantize(Decimal("0.1"))
    # 参与: 4 meetings (full marks), 8+4+6+3+5+2 representatives and 1 shown opinion of 40
    assert (row.meetings, row.representatives, row.opinions, row.questions) == (4, 28, 1, 0)
    assert row.take_part == ((Decimal("0.5") + Decimal("0.5") * Decimal(29) / 40) * 100).quantize(Decimal("0.1"))
    # 决策: three meetings decided, two of them after hearing residents
    assert (row.decided, row.decided_after_hearing) == (3, 2)
    assert row.decide == Decimal("66.7")
    # 监督: no questions; cases 1 of 2 on time, 1 of 1 rated satisfied
    assert (row.cases, row.cases_on_time, row.cases_rated, row.cases_satisfied) == (2, 1, 1, 1)
    assert row.supervise == Decimal("75.0")
    assert row.index == ((row.know + row.take_part + row.decide + row.supervise) / 4).quantize(Decimal("0.1"))
    # a community without records for a part has no value there, and it is left out of its index
    assert (other.take_part, other.decide, other.supervise) == (None, None, None)
    assert other.index == other.know


def test_the_beacon_and_the_qr_code_count_reads(client, community_a, staff):
    board = board_for_community(community=community_a)
    notice = bulk_published(board, residents_item(), staff, 1)[0]
    assert client.post(reverse("gongkai:notice_read", args=[notice.pk])).status_code == 204
    response = client.get(reverse("gongkai:notice_qr", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == notice.get_public_url()
    day = NoticeReadDay.objects.get(notice=notice)
    assert (day.reads, day.qr_scans) == (2, 1)
    assert client.get(reverse("gongkai:notice_read", args=[notice.pk])).status_code == 405
    notice.status = "draft"
    notice.save(update_fields=["status"])
    assert client.post(reverse("gongkai:notice_read", args=[notice.pk])).status_code == 404
    assert client.get(reverse("gongkai:notice_qr", args=[notice.pk])).status_code == 404
    assert NoticeReadDay.objects.get(notice=notice).reads == 2


def test_the_print_page_qr_leads_through_the_counter_and_the_page_sends_the_beacon(client, community_a, staff):
    board = board_for_community(community=community_a)
    notice = bulk_published(board, residents_item(), staff, 1)[0]
    page = client.get(reverse("gongkai:notice", args=[board.slug, notice.pk])).content.decode()
    assert f'data-read-beacon="{reverse("gongkai:notice_read", args=[notice.pk])}"' in page
    assert "js/read-beacon" in page


def test_public_pages_show_the_index_with_a_fixed_number_of_queries(
    client, records, community_a, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        page = client.get(reverse("gongkai:rights_index") + "?year=2005")
    assert page.status_code == 200 and "66.7" in page.content.decode()
    with django_assert_max_num_queries(60):
        page = client.get(reverse("gongkai:rights_community", args=[records.slug]) + "?year=2005")
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="rights-chart"' in text and "<rect" in text
    assert "2003" in text and "2004" in text and "2005" in text  # year on year
    method = client.get(reverse("gongkai:rights_method")).content.decode()
    assert "80%" in method and "40" in method
    assert client.get(reverse("gongkai:rights_community", args=["no-such-board"])).status_code == 404


def test_the_annual_report_has_the_index_year_on_year(records, community_a):
    html = annual_report_html(year=2005)
    table = re.search(r'data-testid="report-rights">(.*?)</table>', html, re.S).group(1)
    row = rights_index(2005, communities=[community_a])[0]
    assert community_a.name in table and str(row.index) in table and str(row.decide) in table
    assert "2004" in html and 'class="chart"' in html


def test_the_index_costs_the_same_queries_for_more_communities(records, django_assert_num_queries):
    with CaptureQueriesContext(connection) as two:
        rights_index(2005)
    for n in range(4):
        CommunityFactory(code=f"Z{n:02d}", name=f"新增{n}社区")
    with django_assert_num_queries(len(two.captured_queries)):
        rows = rights_index(2005)
    assert len(rows) == 6


def test_the_index_opens_on_the_latest_year_with_published_notices(client, records):
    """Issue 13 finding 2: not on the empty current year."""
    latest = Notice.objects.filter(status=NoticeStatus.PUBLISHED).latest("period_start").period_start.year
    response = client.get(reverse("gongkai:rights_index"))
    assert response.context["year"] == latest < timezone.localdate().year
    assert list(response.context["years"])[-1] == timezone.localdate().year


def test_the_index_is_paged_and_finds_a_community_by_name(client, records, community_a, community_b, monkeypatch):
    """A district of thousands of communities: the index shows a page of them, and a box finds one."""
    monkeypatch.setattr("disclosure.selectors.rights.COMMUNITIES_PER_PAGE", 1)
    first, second = sorted([community_a, community_b], key=lambda c: c.code)
    url = reverse("gongkai:rights_index") + "?year=2005"
    page_one = client.get(url).content.decode()
    assert f'data-testid="rights-{first.code}"' in page_one and f'data-testid="rights-{second.code}"' not in page_one
    assert "第 1 页 / 共 2 页" in page_one
    page_two = client.get(url + "&page=2").content.decode()
    assert f'data-testid="rights-{second.code}"' in page_two and f'data-testid="rights-{first.code}"' not in page_two
    found = client.get(url + "&community=" + second.name[1:]).content.decode()
    assert f'data-testid="rights-{second.code}"' in found and f'data-testid="rights-{first.code}"' not in found
    assert "共 1 个社区" in found
    assert "没有符合条件的社区" in client.get(url + "&community=没有这个社区").content.decode()


def test_the_index_is_kept_for_visitors_and_renewed_every_period(client, records, community_a, monkeypatch):
    """Meetings and reads announce no public-version bump: the kept page is renewed every
    RIGHTS_REFRESH seconds, with a new ETag; a bump (a publication) renews it at once."""
    board = board_for_community(community=community_a)
    url = reverse("gongkai:rights_community", args=[board.slug]) + "?year=2005"
    before = client.get(url)
    assert "数字每 10 分钟更新一次" in before.content.decode()
    meeting(board, date(2005, 11, 1), decisions="修缮活动室", opinions="居民代表赞成", residents=30, members=6)
    kept = client.get(url)
    assert kept.content == before.content and kept["ETag"] == before["ETag"]  # the same period: kept
    bump_public_version()
    bumped = client.get(url)
    assert bumped.content != before.content and bumped["ETag"] != before["ETag"]

    meeting(board, date(2005, 11, 8), decisions="增设路灯", opinions="居民代表赞成", residents=40, members=6)
    assert client.get(url).content == bumped.content
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + RIGHTS_REFRESH)
    renewed = client.get(url)
    assert renewed.content != bumped.content and renewed["ETag"] != bumped["ETag"]


def test_several_years_at_once_count_as_each_year_alone(records, community_a, staff, django_assert_max_num_queries):
    """rights_by_year (the report's two years, a community page's history) reads every year's
    records at once; each year's rows are those rights_index gives for that year alone."""
    recorded(staff, community_a, received_on=date(2004, 11, 1))  # a 诉求 of the year before
    notice_read_count(notice=Notice.objects.get(board=records), day=date(2004, 12, 30))
    years = [2004, 2005, 2006]
    with django_assert_max_num_queries(5 + 6 * len(years)):  # the records once, the timeliness per year
        by_year = rights_by_year(years)
    assert list(by_year) == years
    for year in years:
        assert by_year[year] == rights_index(year), year
    row_2004 = by_year[2004][0]
    assert (row_2004.meetings, row_2004.cases, row_2004.reads) == (1, 1, 1)
    assert by_year[2005][0].meetings == 4 and by_year[2006][0].meetings == 0
