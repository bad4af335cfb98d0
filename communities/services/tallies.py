"""The monthly updates counted per month and status (MonthlyTally), kept as updates are written.

A save or delete of an update recounts its month (`monthly_update_written`, connected in apps.py),
whoever saves it; the workflow's version-guarded UPDATE sends no signal and recounts through
`monthly_tally_refresh` itself (services._write). Bulk loads (seed_scale) recount with
`monthly_tally_rebuild`."""

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import Count, QuerySet

from communities.choices import MonthlyStatus
from communities.models import MonthlyTally, MonthlyUpdate

__all__ = ["monthly_tally_rebuild", "monthly_tally_refresh", "monthly_update_written", "tallied"]


def monthly_update_written(sender, instance: MonthlyUpdate, **kwargs) -> None:
    """post_save / post_delete of an update: recount its month."""
    monthly_tally_refresh([instance.period])


@transaction.atomic
def monthly_tally_refresh(periods) -> None:
    """Count anew the updates of each month in `periods`. Each month's row is made if missing and
    locked first, so two writes to one month at once, in two communities, are counted one after
    the other, the second seeing the first."""
    periods = sorted(set(periods))
    if not periods:
        return
    MonthlyTally.objects.bulk_create([MonthlyTally(period=p) for p in periods], ignore_conflicts=True)
    rows = list(MonthlyTally.objects.select_for_update().filter(period__in=periods).order_by("period"))
    _recount(MonthlyUpdate.objects.filter(period__in=periods), rows)


@transaction.atomic
def monthly_tally_rebuild(*, year: int | None = None) -> int:
    """Count every month anew (of `year`, or all); returns the months counted."""
    updates, rows = MonthlyUpdate.objects.all(), MonthlyTally.objects.all()
    if year is not None:
        updates, rows = updates.filter(period__year=year), rows.filter(period__year=year)
    return _recount(updates, list(rows))


def _recount(updates: QuerySet, rows: list[MonthlyTally]) -> int:
    """`rows` (the kept months) and any month of `updates` not kept yet set to the counts of
    `updates`."""
    counts = tallied(updates)
    kept = {row.period: row for row in rows}
    for period, row in kept.items():
        for status in MonthlyStatus.values:
            setattr(row, status, counts.get(period, {}).get(status, 0))
    MonthlyTally.objects.bulk_update(kept.values(), MonthlyStatus.values)
    MonthlyTally.objects.bulk_create(MonthlyTally(period=p, **n) for p, n in counts.items() if p not in kept)
    return len(kept.keys() | counts.keys())


def tallied(updates: QuerySet) -> dict[date, dict[str, int]]:
    """{month: {status: updates}} of `updates`. Written for the update model given, so that the
    migration creating the table fills it with the same count."""
    counts: dict[date, dict[str, int]] = defaultdict(dict)
    for period, status, n in updates.order_by().values_list("period", "status").annotate(n=Count("*")):
        counts[period][status] = n
    return counts
