"""Working days: China's public holidays and 调休 working days as data (chinesecalendar),
corrected by the staff-kept WorkdayOverride table."""

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from jiedao.models import WorkdayOverride


@lru_cache(maxsize=4096)  # the calendar's data is fixed for a release; pages and reports ask for the same days
def _calendar_says_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the calendar data does not cover yet
        return day.weekday() < 5


def workdays(start: date, end: date) -> list[date]:
    """Every working day in [start, end], with one query for the overrides."""
    overrides = dict(WorkdayOverride.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))
    days, day = [], start
    while day <= end:
        if overrides[day] if day in overrides else _calendar_says_workday(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def is_workday(day: date) -> bool:
    return bool(workdays(day, day))


def add_workdays(start: date, n: int) -> date:
    """The n-th working day after `start` (a deadline "within n working days" of `start`)."""
    if n <= 0:
        return start
    horizon = start + timedelta(days=n * 2 + 30)  # long enough for the longest holiday run
    days = workdays(start + timedelta(days=1), horizon)
    while len(days) < n:
        horizon += timedelta(days=60)
        days = workdays(start + timedelta(days=1), horizon)
    return days[n - 1]
