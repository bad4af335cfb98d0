"""Months, deadlines and quarters of the monthly updates (pure date arithmetic, no queries).

An update reports on a month (`period`, the month's first day) and is due on
MONTHLY_UPDATE_DEADLINE_DAY (default the 5th) of the following month; it is overdue from the
day after."""

import calendar
import re
import unicodedata
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

QUARTER_NAMES = {
    1: gettext_noop("first quarter of %(year)s"),
    2: gettext_noop("second quarter of %(year)s"),
    3: gettext_noop("third quarter of %(year)s"),
    4: gettext_noop("fourth quarter of %(year)s"),
}


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(period: date) -> date:
    return date(period.year + period.month // 12, period.month % 12 + 1, 1)


def previous_month(period: date) -> date:
    return month_start(month_start(period) - timedelta(days=1))


def deadline_day() -> int:
    return int(getattr(settings, "MONTHLY_UPDATE_DEADLINE_DAY", 5))


def deadline_of(period: date) -> date:
    """The last day on which the update for `period` is on time."""
    following = next_month(period)
    last = calendar.monthrange(following.year, following.month)[1]
    return following.replace(day=max(1, min(deadline_day(), last)))


def local_today() -> date:
    return timezone.localdate()


def is_due(period: date, today: date) -> bool:
    """Whether the deadline of `period` has passed on `today`."""
    return today > deadline_of(period)


def due_months(year: int, today: date) -> list[int]:
    return [m for m in range(1, 13) if is_due(date(year, m, 1), today)]


def parse_period(text: str | None) -> date | None:
    """ "2005-03", "2005/3", "2005.3" or "2005年3月" (full-width digits too) → date(2005, 3, 1); None if
    it is not a month."""
    text = unicodedata.normalize("NFKC", text or "")
    match = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*", text)
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1949:
        return None
    return date(int(match[1]), int(match[2]), 1)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def month_label(period: date) -> str:
    return date_format(period, "YEAR_MONTH_FORMAT")


def quarter_label(year: int, quarter: int) -> str:
    return _(QUARTER_NAMES[quarter]) % {"year": year}
