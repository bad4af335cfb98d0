"""三会一课 import: meetings with attendance, all or nothing, every bad row listed."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import MeetingAttendance, PartyMeeting
from communities.models.meetings import MeetingKind
from communities.party_life_resources import MeetingAttendanceResource, meetings_import
from jiedao import imports
from tests.communities.party_life import branch_of, group_of, member_of_branch

pytestmark = pytest.mark.django_db
HEADER = "组织,日期,会议类型,议题,姓名,到会,缺席原因"


def csv_file(*lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("三会一课.csv", ("\n".join((HEADER, *lines)) + "\n").encode("utf-8"), "text/csv")


@pytest.fixture
def branch(community_a):
    branch = branch_of(community_a, "秀水社区党支部")
    group = group_of(branch, "秀水第一党小组")
    for name in ("张国华", "李秀英"):
        member_of_branch(branch, group, name=name)
    return branch


def test_a_good_file_records_the_meetings_and_their_attendance(secretary_a, branch):
    outcome = meetings_import(
        actor=secretary_a,
        uploaded=csv_file(
            "秀水社区党支部,2005-03-20,支部党员大会,学习党章,张国华,是,",
            "秀水社区党支部,2005-03-20,支部党员大会,学习党章,李秀英,否,外出务工",
            "秀水第一党小组,2005-03-12,党小组会,交流体会,张国华,是,",
        ),
    )
    assert outcome.ok and outcome.total == 3
    assert sorted(PartyMeeting.objects.values_list("kind", flat=True)) == [MeetingKind.GENERAL, MeetingKind.GROUP]
    absent = MeetingAttendance.objects.get(present=False)
    assert (absent.member.name, absent.absence_reason) == ("李秀英", "外出务工")
    exported = imports.export_bytes(MeetingAttendanceResource(actor=secretary_a), "csv").decode("utf-8-sig")
    assert "秀水社区党支部,2005-03-20,支部党员大会,学习党章,李秀英,否,外出务工" in exported


def test_one_bad_row_writes_nothing_and_every_bad_row_is_listed(secretary_a, branch):
    meetings_import(actor=secretary_a, uploaded=csv_file("秀水社区党支部,2005-01-05,支委会,部署,张国华,是,"))
    PartyMeeting.objects.all().delete()
    PartyMeeting.objects.create(organisation=branch, kind=MeetingKind.LECTURE, held_on=date(2005, 3, 30), topic="党课")
    outcome = meetings_import(
        actor=secretary_a,
        uploaded=csv_file(
            "秀水社区党支部,2005-03-20,支部党员大会,学习党章,张国华,是,",  # fine
            "秀水社区党支部,2005-03-20,支部党员大会,学习党章,李秀英,否,",  # no reason
            "秀水社区党支部,2005-03-20,支部党员大会,学习党章,无此人,是,",  # not a member
            "秀水社区党支部,2005-03-21,党小组会,交流,张国华,是,",  # a branch holds no group meeting
            "秀水社区党支部,2005-03-30,党课,党课,张国华,是,",  # already recorded
            "不存在的支部,2005-03-20,党课,党课,张国华,是,",
        ),
    )
    assert not outcome.ok and outcome.bad_lines == [3, 4, 5, 6, 7]
    assert PartyMeeting.objects.count() == 1 and not MeetingAttendance.objects.exists()


def test_another_communitys_secretary_cannot_import_into_this_branch(secretary_b, branch):
    outcome = meetings_import(
        actor=secretary_b, uploaded=csv_file("秀水社区党支部,2005-03-20,支部党员大会,学习,张国华,是,")
    )
    assert not outcome.ok and not PartyMeeting.objects.exists()
