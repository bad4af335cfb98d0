"""Reading and writing many rows at once, for big imports and the bulk services behind them
(issue 16).

`filter_in(queryset, name, values)` is `queryset.filter(name__in=values)` with the values sent as
one array (`IN (SELECT unnest(%s))`) rather than one placeholder each: for a 10,000-row file the
usual IN list takes longer to build, send and plan than the rows take to read.

`new_instance(model)` is `model()` for the many rows of a file: Django's `Model.__init__` sets
every field's default one by one (about as long as the row takes to check); this copies them
from one instance made the usual way, calling only callable defaults again, and falls back to
`model()` when anything listens to the model's init signals.

`bulk_insert(model, objs)` is `model.objects.bulk_create(objs)` for new rows, in one statement
per table (PostgreSQL `INSERT … SELECT FROM UNNEST(…) RETURNING id`, as Django 5.2 itself does)
without Django's per-value preparation, which is most of bulk_create's time: a value already of
the column's plain Python type is sent as it is, anything else goes through the field's
`get_db_prep_save` exactly as bulk_create would send it. Models or fields it does not know fall
back to bulk_create. Like bulk_create it sends no signals: the caller audits the rows."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models, router
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_init, pre_init

# The rows of one statement: big enough for any import (IMPORT_MAX_ROWS), bounded for memory.
CHUNK = 20_000

_PLAIN_TYPES = {
    "CharField": (str,),
    "TextField": (str,),
    "SlugField": (str,),
    "EmailField": (str,),
    "BooleanField": (bool,),
    "IntegerField": (int,),
    "SmallIntegerField": (int,),
    "BigIntegerField": (int,),
    "PositiveIntegerField": (int,),
    "PositiveSmallIntegerField": (int,),
    "PositiveBigIntegerField": (int,),
    "AutoField": (int,),
    "BigAutoField": (int,),
    "SmallAutoField": (int,),
    "DecimalField": (Decimal,),
    "DateField": (date,),
    "DateTimeField": (datetime,),
}


def _column_type(field, connection):
    """The array element type for the field, or None when it cannot be sent as a plain array."""
    target = field.target_field if field.is_relation else field
    kind = target.get_internal_type()
    if kind not in _PLAIN_TYPES or kind not in connection.data_types or hasattr(field, "get_placeholder"):
        return None
    return field.db_type(connection).split("(")[0], _PLAIN_TYPES[kind]


def _prepared(field, values: list, plain: tuple, connection) -> list:
    """The column's values as bulk_create would send them: None and values exactly of the column's
    type (not a subclass: Django converts a datetime for a date column, a bool for an integer one)
    as they are, a datetime only with its time zone, anything else through `get_db_prep_save`."""
    prep = field.get_db_prep_save
    if plain == (datetime,):
        return [
            v if v is None or (type(v) is datetime and v.tzinfo is not None) else prep(v, connection=connection)
            for v in values
        ]
    return [v if v is None or type(v) in plain else prep(v, connection=connection) for v in values]


def _sets_value(field) -> bool:
    """Whether `field.pre_save` does more than read the attribute (auto_now and the like)."""
    method = type(field).pre_save
    if method is models.Field.pre_save:
        return False
    if method in (models.DateField.pre_save, models.DateTimeField.pre_save):
        return field.auto_now or field.auto_now_add
    return True


class _Template:
    def __init__(self, model):
        self.fresh = [f for f in model._meta.concrete_fields if f.has_default() and callable(f.default)]
        made = model()
        self.values = {name: value for name, value in made.__dict__.items() if name != "_state"}


_templates: dict = {}


def new_instance(model):
    """`model()`, for many rows (see the module's docstring)."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model()
    template = _templates.get(model)
    if template is None:
        template = _templates[model] = _Template(model)
    obj = model.__new__(model)
    obj.__dict__.update(template.values)
    obj._state = ModelState()
    for field in template.fresh:
        setattr(obj, field.attname, field.get_default())
    return obj


def filter_in(queryset, name: str, values):
    """`queryset.filter(**{name + "__in": values})`, the values sent as one array parameter when they
    are plain text or numbers of a plain column of the queryset's model."""
    values = list(values)
    connection = connections[queryset.db]
    try:
        field = queryset.model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    column = _column_type(field, connection) if field is not None and field.concrete else None
    if (
        connection.vendor != "postgresql"
        or column is None
        or column[1] not in {(str,), (int,)}
        or not all(type(value) in column[1] for value in values)
    ):
        return queryset.filter(**{f"{name}__in": values})
    return queryset.filter(**{f"{name}__in": RawSQL(f"SELECT unnest(%s::{column[0]}[])", [values])})


def bulk_insert(model, objs: list, *, using: str | None = None) -> list:
    """Insert new, unsaved `objs` of `model` (no primary key yet); sets their `pk` and returns them."""
    objs = list(objs)
    if not objs:
        return objs
    using = using or router.db_for_write(model)
    connection = connections[using]
    opts = model._meta
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    types = [_column_type(f, connection) for f in fields]
    if (
        connection.vendor != "postgresql"
        or opts.parents
        or not opts.pk.get_internal_type().endswith("AutoField")
        or any(t is None for t in types)
        or any(obj.pk is not None for obj in objs)
    ):
        return model._default_manager.using(using).bulk_create(objs, batch_size=1000)
    for obj in objs:  # as bulk_create: a related object saved since it was set gives its id
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    sql = "INSERT INTO {} ({}) SELECT * FROM UNNEST({}) RETURNING {}".format(
        connection.ops.quote_name(opts.db_table),
        ", ".join(connection.ops.quote_name(f.column) for f in fields),
        ", ".join(f"%s::{db_type}[]" for db_type, _types in types),
        connection.ops.quote_name(opts.pk.column),
    )
    for start in range(0, len(objs), CHUNK):
        chunk = objs[start : start + CHUNK]
        columns = []
        for field, (_db_type, plain) in zip(fields, types, strict=True):
            if _sets_value(field):  # auto_now / auto_now_add set the value on the object too
                values = [field.pre_save(obj, True) for obj in chunk]
            else:
                values = list(map(attrgetter(field.attname), chunk))
            columns.append(_prepared(field, values, plain, connection))
        with connection.cursor() as cursor:
            cursor.execute(sql, columns)
            ids = [row[0] for row in cursor.fetchall()]
        for obj, pk in zip(chunk, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = using
    return objs
