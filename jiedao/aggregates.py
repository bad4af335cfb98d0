"""Totals of a row's related rows, each as a subquery of its own (issue 16).

Two counted joins on one row multiply one count by the other's rows (a meeting showed each opinion
once per decision), and every other subquery of the row then runs once per joined row."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def related_total(rows: QuerySet, link: str, total=None, *, empty=0, output_field=None) -> Coalesce:
    """`total` (a Count or a Sum; the rows counted by default) of those of `rows` whose `link` is
    the outer row, `empty` when there are none."""
    rows = rows.filter(**{link: OuterRef("pk")}).order_by().values(link)
    total = rows.annotate(related_total=total if total is not None else Count("pk")).values("related_total")[:1]
    return Coalesce(Subquery(total), Value(empty), output_field=output_field or IntegerField())
