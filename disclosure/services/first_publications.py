"""The first publications counted per day (FirstPublicationDay), kept as notices change.

A notice that is or was published (published, withdrawn) is counted anew with its item's period
whenever it is saved or deleted (`notice_written`, connected in apps.py), whoever saves it. Writes
that send no signal (the demo's and seed_scale's bulk_create) recount their years with
`first_publications_rebuild`."""

from datetime import date

from django.db import connection, transaction
from django.db.models import Min, Q, QuerySet
from django.db.models.functions import TruncDate

from disclosure.choices import Level, NoticeStatus
from disclosure.models import CatalogItem, FirstPublicationDay, Notice

__all__ = ["first_publications_rebuild", "first_publications_refresh", "notice_written"]

COUNTED = (NoticeStatus.PUBLISHED, NoticeStatus.WITHDRAWN)  # a notice that was ever counted


def notice_written(sender, instance: Notice, **kwargs) -> None:
    """post_save / post_delete of a notice: recount its item's period if it is or was published."""
    if instance.status in COUNTED and instance.catalog_item_id and instance.period_start:
        first_publications_refresh([(instance.catalog_item_id, instance.period_start)])


@transaction.atomic
def first_publications_refresh(groups) -> None:
    """Count anew the boards' first publications of each (catalogue item id, period start) in
    `groups`. The items are locked first (as the notice chain's `_lock` does), so two writes to
    one period at once, in two communities, are counted one after the other, the second seeing
    the first."""
    groups = set(groups)
    if not groups:
        return
    list(
        CatalogItem.objects.select_for_update(no_key=True)
        .filter(pk__in={item for item, _start in groups})
        .order_by("pk")
        .values_list("pk")
    )
    match = Q()
    for item, start in groups:
        match |= Q(catalog_item_id=item, period_start=start)
    _recount(match)


@transaction.atomic
def first_publications_rebuild(*, year: int | None = None) -> int:
    """Count every first publication anew (of periods starting in `year`, or of all); returns the
    rows written."""
    return _recount(Q(period_start__year=year) if year is not None else Q())


def _recount(periods: Q) -> int:
    """The kept rows of the periods `periods` selects replaced by a fresh count of their notices."""
    FirstPublicationDay.objects.filter(periods).delete()
    rows = [FirstPublicationDay(**row) for row in counted(Notice.objects.filter(periods))]
    return len(FirstPublicationDay.objects.bulk_create(rows, batch_size=2000))


def counted(notices: QuerySet) -> list[dict]:
    """Each board's first published notice of each item's period among `notices`, counted per day
    and board level: FirstPublicationDay's fields. Written for the notice model given, so that
    the migration creating the table fills it with the same count."""
    key = ("period_start", "catalog_item_id", "board_id")
    firsts = (
        notices.filter(status=NoticeStatus.PUBLISHED)
        .values(*key)
        .annotate(first_on=Min(TruncDate("published_at")))
        .order_by()
    )
    sql, params = firsts.query.sql_with_params()
    board_table = notices.model._meta.get_field("board").related_model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT firsts.catalog_item_id, firsts.period_start, board.community_id IS NULL, firsts.first_on,"
            f" COUNT(*) FROM ({sql}) AS firsts JOIN {board_table} AS board ON board.id = firsts.board_id"
            " GROUP BY 1, 2, 3, 4",
            params,
        )
        rows = cursor.fetchall()
    return [
        {
            "catalog_item_id": item,
            "period_start": _day(start),
            "level": Level.SUBDISTRICT if subdistrict else Level.COMMUNITY,
            "day": _day(first_on),
            "boards": boards,
        }
        for item, start, subdistrict, first_on, boards in rows
    ]


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)  # SQLite answers text
