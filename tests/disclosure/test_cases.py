"""The 诉求/信访 ledger's services: numbers and codes, deadlines in working days, assignment,
transfer, answer, closing, the resident's rating and re-opening, the overdue reminder."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from disclosure import services
from disclosure.models import Case, CaseCategory, CaseChannel, CaseEventKind, CaseStatus, Satisfaction
from disclosure.selectors import case_figures
from jiedao.models import Notification, WorkdayOverride
from tests.disclosure.case_helpers import filed, recorded

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def test_numbers_run_per_year_and_the_code_is_kept_only_as_a_hash(community_a, staff):
    first = recorded(staff, community_a, received_on=date(2005, 1, 4))
    second = recorded(staff, community_a, received_on=date(2005, 2, 1))
    other_year = recorded(staff, community_a, received_on=date(2004, 12, 30))
    assert [first.case.number, second.case.number, other_year.case.number] == ["2005-0001", "2005-0002", "2004-0001"]
    assert len(first.code) == 12 and first.code not in first.case.query_hash
    stored = Case.objects.filter(pk=first.case.pk).values_list(flat=True)
    assert all(first.code not in str(v) for v in Case.objects.filter(pk=first.case.pk).values().first().values())
    assert stored  # the row exists, the code is nowhere in it
    assert services.case_by_code(first.code) == first.case
    assert services.case_by_code(services.format_code(first.code).lower()) == first.case  # dashes, lower case


def test_a_deadline_counts_working_days_over_the_national_day_holiday(community_a, staff):
    # 2005-09-30 + 5 working days: 1–7 October is the holiday, Sat 8 and Sun 9 are 调休 working days.
    new = recorded(staff, community_a, received_on=date(2005, 9, 30), category=CaseCategory.ENVIRONMENT)
    assert new.case.deadline == date(2005, 10, 12)
    # a staff-kept override (the 10th declared a day off) moves it one day on
    WorkdayOverride.objects.create(date=date(2005, 10, 10), is_workday=False, note="test")
    again = recorded(staff, community_a, received_on=date(2005, 9, 30), category=CaseCategory.ENVIRONMENT)
    assert again.case.deadline == date(2005, 10, 13)


def test_a_resident_files_online_and_the_community_is_told(community_a, secretary_a):
    new = filed(community_a)
    case = new.case
    assert case.channel == CaseChannel.ONLINE and case.status == CaseStatus.OPEN and case.handler is None
    assert list(case.events.values_list("kind", flat=True)) == [CaseEventKind.FILED]
    assert Notification.objects.filter(recipient=secretary_a, key=f"disclosure:case-new:{case.pk}").exists()


def test_bad_filings_change_nothing(community_a):
    with pytest.raises(ValidationError) as err:
        services.case_file(community=community_a, category="nonsense", body="  ")
    assert {"body", "category"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError):  # a phone number belongs in the contact field
        services.case_file(community=community_a, category=CaseCategory.OTHER, body="请回电13812345678")
    assert not Case.objects.exists()


def test_recording_is_for_staff_and_the_community_secretary(
    community_a, community_b, secretary_a, secretary_b, inspector
):
    recorded(secretary_a, community_a)
    with pytest.raises(Http404):
        recorded(secretary_b, community_a)
    with pytest.raises(PermissionDenied):
        recorded(inspector, community_a)
    with pytest.raises(ValidationError):
        services.case_record(
            actor=secretary_a, community=community_a, category=CaseCategory.OTHER, channel=CaseChannel.ONLINE, body="x"
        )
    assert Case.objects.count() == 1


def test_assign_transfer_reply_close_rate_as_events(community_a, community_b, staff, secretary_a, secretary_b):
    new = recorded(staff, community_a, collective=True)
    case = services.case_assign(actor=staff, case=new.case, handler=secretary_a)
    with pytest.raises(ValidationError):  # another community's secretary cannot handle it
        services.case_assign(actor=staff, case=case, handler=secretary_b)
    with pytest.raises(ValidationError):
        services.case_transfer(actor=secretary_a, case=case, community=community_b, reason=" ")
    case = services.case_transfer(actor=secretary_a, case=case, community=community_b, reason="属丛树社区辖区")
    assert case.community == community_b and case.handler is None  # sec A cannot handle B's case
    with pytest.raises(Http404):  # and now it is out of A's reach
        services.case_reply(actor=secretary_a, case=case, reply="已处理")
    with pytest.raises(ValidationError):
        services.case_close(actor=secretary_b, case=case)  # not answered yet
    case = services.case_reply(actor=secretary_b, case=case, reply="已联系物业维修。")
    assert case.handler == secretary_b  # who answers an unassigned case handles it
    case = services.case_close(actor=secretary_b, case=case)
    with pytest.raises(ValidationError):
        services.case_rate(code=new.code, satisfaction="ecstatic")
    services.case_rate(code=new.code, satisfaction=Satisfaction.BASICALLY)
    with pytest.raises(ValidationError):
        services.case_rate(code=new.code, satisfaction=Satisfaction.SATISFIED)
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["recorded", "assigned", "transferred", "replied", "closed", "rated"]
    transfer = case.events.get(kind=CaseEventKind.TRANSFERRED)
    assert (transfer.from_community, transfer.to_community, transfer.from_handler) == (
        community_a,
        community_b,
        secretary_a,
    )


def test_reopen_once_within_the_window(community_a, staff):
    new = recorded(staff, community_a)
    services.case_reply(actor=staff, case=new.case, reply="已答复")
    case = services.case_close(actor=staff, case=new.case)
    services.case_rate(code=new.code, satisfaction=Satisfaction.DISSATISFIED)
    closed_on = timezone.localdate(case.closed_at)
    until = services.reopen_until(Case.objects.get(pk=case.pk))
    assert until > closed_on
    with pytest.raises(ValidationError):
        services.case_reopen(code=new.code, reason="没修好", today=until + timedelta(days=1))
    case = services.case_reopen(code=new.code, reason="没修好", today=until)
    assert case.is_open and case.satisfaction == "" and case.reopen_count == 1
    assert case.deadline == services.case_deadline(category=case.category, received_on=until)
    services.case_reply(actor=staff, case=case, reply="再次维修")
    services.case_close(actor=staff, case=case)
    with pytest.raises(ValidationError):  # once only
        services.case_reopen(code=new.code, reason="还是不行")


def test_a_wrong_code_finds_nothing(community_a):
    filed(community_a)
    for code in ["", "ABC", "2" * 12, "x" * 200]:
        with pytest.raises(Http404):
            services.case_by_code(code)


def test_overdue_cases_remind_the_handler_once_a_day(community_a, community_b, staff, secretary_a, secretary_b):
    mine = recorded(staff, community_a, received_on=date(2005, 3, 1)).case
    services.case_assign(actor=staff, case=mine, handler=secretary_a)
    unassigned = recorded(staff, community_b, received_on=date(2005, 3, 1)).case
    answered = recorded(staff, community_a, received_on=date(2005, 3, 1)).case
    services.case_reply(actor=staff, case=answered, reply="已答复")
    day = mine.deadline + timedelta(days=1)
    assert services.case_overdue_remind(today=mine.deadline) == 0  # due today is not overdue
    assert services.case_overdue_remind(today=day) == 2
    assert services.case_overdue_remind(today=day) == 0  # the second run that day sends nothing
    assert Notification.objects.filter(recipient=secretary_a, key__startswith="disclosure:case-overdue:").count() == 1
    assert Notification.objects.filter(
        recipient=secretary_b, key=f"disclosure:case-overdue:{unassigned.pk}:{day}"
    ).exists()
    assert not Notification.objects.filter(key__startswith=f"disclosure:case-overdue:{answered.pk}:").exists()
    assert services.case_overdue_remind(today=day + timedelta(days=1)) == 2  # the next day, again


def test_figures_are_counted_from_the_ledger(community_a, community_b, staff):
    on_time = recorded(staff, community_a, received_on=date(2005, 3, 1), channel=CaseChannel.VISIT, collective=True)
    late = recorded(staff, community_b, received_on=date(2005, 3, 1), channel=CaseChannel.CALL)
    recorded(staff, community_a, received_on=date(2005, 3, 2))  # unanswered
    recorded(staff, community_a, received_on=date(2004, 3, 2))  # another year
    services.case_reply(actor=staff, case=on_time.case, reply="ok")
    Case.objects.filter(pk=on_time.case.pk).update(replied_at=datetime(2005, 3, 3, 23, 30, tzinfo=TZ))
    services.case_close(actor=staff, case=on_time.case)
    services.case_rate(code=on_time.code, satisfaction=Satisfaction.SATISFIED)
    services.case_reply(actor=staff, case=late.case, reply="ok")
    Case.objects.filter(pk=late.case.pk).update(replied_at=datetime(2005, 4, 30, 9, tzinfo=TZ))
    figures = case_figures(2005)
    assert (figures.total, figures.letters, figures.visits, figures.calls, figures.collective) == (3, 1, 1, 1, 1)
    assert (figures.answered, figures.answered_on_time, figures.rated, figures.satisfied) == (2, 1, 1, 1)
    assert str(figures.on_time_rate) == "33.3" and str(figures.satisfaction_rate) == "100.0"
    mine = case_figures(2005, community=community_a)
    assert (mine.total, mine.answered_on_time, mine.collective) == (2, 1, 1)
    assert case_figures(2005, community=community_b.pk).answered_on_time == 0
