"""Disclosure periods (a month, a quarter, a half-year, a year) and deadlines in working days,
computed against one working-day calendar read once per range."""

import bisect
from dataclasses import dataclass
from datetime import date, timedelta

from jiedao.workdays import add_workdays, workdays

from .choices import Frequency

MONTHS_PER_PERIOD = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6, Frequency.YEARLY: 12}


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def _month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)


def period_containing(frequency: str, day: date) -> Period:
    months = MONTHS_PER_PERIOD[frequency]
    first_month = (day.month - 1) // months * months + 1
    return Period(date(day.year, first_month, 1), _month_end(day.year, first_month + months - 1))


def periods_of_year(frequency: str, year: int) -> list[Period]:
    months = MONTHS_PER_PERIOD[frequency]
    return [period_containing(frequency, date(year, m, 1)) for m in range(1, 13, months)]


class WorkdayCalendar:
    """Working days of [start, end] with one query; `add(day, n)` is the n-th working day after day."""

    def __init__(self, start: date, end: date):
        self.start, self.end = start, end
        self.days = workdays(start, end)

    def add(self, day: date, n: int) -> date:
        if n <= 0:
            return day
        index = bisect.bisect_right(self.days, day) + n - 1
        if day < self.start or index >= len(self.days):  # outside the range read: ask the calendar again
            return add_workdays(day, n)
        return self.days[index]


def calendar_for_year(year: int) -> WorkdayCalendar:
    """Long enough for a December period's deadline in the next year."""
    return WorkdayCalendar(date(year - 1, 12, 1), date(year + 1, 4, 30))
