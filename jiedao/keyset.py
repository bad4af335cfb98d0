"""Keyset ("seek") paging for long staff lists (issue 16): no `COUNT(*)` over every row and no
OFFSET that reads and throws away the pages before; each page is one indexed range scan whatever
its depth.

The list is ordered newest first by (`field`, id), both descending. A page is asked for with
`?after=<cursor>` (the rows after the last one shown: the next page) or `?before=<cursor>` (the
rows before the first one shown: the previous page); a cursor is the row's `field` value as
microseconds since the epoch and its id (`1700000000000000-42`). A cursor that does not parse
gives the first page. Each page reads `per_page + 1` rows: the extra one says whether there is a
page beyond.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def encode(value: datetime, pk: int) -> str:
    delta = value - EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}-{pk}"


def decode(cursor: str | None) -> tuple[datetime, int] | None:
    if not cursor or len(cursor) > 40:
        return None
    micros, sep, pk = cursor.partition("-")
    if not sep or not cursor.isascii() or not micros.isdigit() or not pk.isdigit():
        return None
    try:
        return EPOCH + timedelta(microseconds=int(micros)), int(pk)
    except OverflowError:
        return None


@dataclass
class KeysetPage:
    object_list: list
    next_cursor: str | None = None  # ?after=… for the next (older) page
    previous_cursor: str | None = None  # ?before=… for the previous (newer) page
    extra: dict = field(default_factory=dict)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor)


def keyset_page(queryset: QuerySet, params, *, field_name: str, per_page: int) -> KeysetPage:
    """One page of `queryset` (any filters applied, no ordering needed) newest first by
    (`field_name`, id), from the request's `after` / `before` parameters."""
    after, before = decode(params.get("after")), decode(params.get("before"))
    desc = queryset.order_by(f"-{field_name}", "-id")
    if before is not None:
        value, pk = before
        newer = Q(**{f"{field_name}__gt": value}) | Q(**{field_name: value, "id__gt": pk})
        rows = list(queryset.filter(newer).order_by(field_name, "id")[: per_page + 1])
        more_newer = len(rows) > per_page
        rows = rows[:per_page][::-1]
        return _page(rows, field_name, has_next=True, has_previous=more_newer)
    if after is not None:
        value, pk = after
        older = Q(**{f"{field_name}__lt": value}) | Q(**{field_name: value, "id__lt": pk})
        rows = list(desc.filter(older)[: per_page + 1])
        return _page(rows[:per_page], field_name, has_next=len(rows) > per_page, has_previous=True)
    rows = list(desc[: per_page + 1])
    return _page(rows[:per_page], field_name, has_next=len(rows) > per_page, has_previous=False)


def _page(rows: list, field_name: str, *, has_next: bool, has_previous: bool) -> KeysetPage:
    if not rows:
        return KeysetPage(object_list=[])
    first, last = rows[0], rows[-1]
    return KeysetPage(
        object_list=rows,
        next_cursor=encode(getattr(last, field_name), last.pk) if has_next else None,
        previous_cursor=encode(getattr(first, field_name), first.pk) if has_previous else None,
    )
