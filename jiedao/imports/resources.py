"""PortalResource: the base of every import resource (explicit whitelist, writes through services)."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.fields import NOT_PROVIDED
from import_export.instance_loaders import ModelInstanceLoader
from import_export.results import RowResult
from import_export.widgets import ManyToManyWidget

from .bulk import filter_in, new_instance
from .widgets import CELL_ERRORS, Field, NaturalKeyWidget


class _TolerantLoader(ModelInstanceLoader):
    """Finds the existing row by `import_id_fields`; a key that cannot be read means a new row,
    so the row's cells are all checked (and all reported) by `import_instance`. With a single
    key column every existing row is loaded in one query."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.cache = None
        keys = resource.get_import_id_fields()
        self.key_field = resource.fields[keys[0]] if len(keys) == 1 else None
        if self.key_field is not None and dataset is not None and self.key_field.column_name in (dataset.headers or []):
            values = set()
            for row in dataset.dict:
                try:
                    values.add(self.key_field.clean(row))
                except ValueError:
                    continue
            self.preload(values)

    def preload(self, values) -> None:
        """Load the existing rows of these (single-column) key values in one query."""
        qs = filter_in(self.get_queryset(), self.key_field.attribute, values)
        self.cache = {self.key_field.get_value(obj): obj for obj in qs}

    def get_instance(self, row):
        try:
            if self.cache is not None:
                return self.cache.get(self.key_field.clean(row))
            return super().get_instance(row)
        except ValueError:
            return None


def _plain_field(field) -> bool:
    """A portal Field on a plain attribute, whose cell the bulk loop may read inline."""
    return (
        isinstance(field, Field)
        and type(field).clean is Field.clean
        and type(field).save is fields.Field.save
        and "__" not in field.attribute
    )


def _refused(result) -> bool:
    """A bad file: `Result.has_errors` looks for row errors in per-row results, which the bulk
    loop does not keep, so its error rows are counted here."""
    return bool(result.has_errors() or result.has_validation_errors() or result.error_rows)


class PortalResource(resources.ModelResource):
    """Base of every portal resource. Subclasses declare `Field`s, an explicit `Meta.fields`
    whitelist and `Meta.import_id_fields` (the natural key), and override `save_via_service`.

    - `actor`: the user importing or exporting (services check their permissions).
    - `optional_columns`: column headers that an import file may leave out (the model's
      default, or the existing value, is kept).
    - `constraint_messages`: {constraint name: (field name, message)} — a database
      CheckConstraint broken by a row is reported on that column with that message.

    Bulk mode (`Meta.use_bulk = True`, for big files such as party-member rosters): rows are
    checked in Python only — field validators, the natural key, `check_row` — and written all
    at once at the end by `save_many_via_service(created=[...], updated=[(old, new), ...])`,
    which must call a service that checks permissions, writes in bulk and records the change
    log (`jiedao.audit.log_import`). A bulk resource must make its natural key cover every
    unique field of the model, and `check_row` every CheckConstraint; anything the database
    still refuses fails the whole file (with no line number). Its rows go through
    `_import_in_bulk`, a lean copy of django-import-export's row loop (the same hooks and
    checks, without its per-row bookkeeping of results and savepoints).
    """

    optional_columns: tuple[str, ...] = ()
    constraint_messages: dict = {}

    class Meta:
        skip_diff = True
        clean_model_instances = True
        use_transactions = True
        instance_loader_class = _TolerantLoader

    def __init__(self, *, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor

    @classmethod
    def columns(cls) -> list[str]:
        """The column headers, in file order."""
        return cls().get_export_headers()

    def save_via_service(self, instance, is_create: bool) -> None:
        """Write one row. Override to call the app's service with `self.actor`."""
        instance.full_clean()
        instance.save()

    def do_instance_save(self, instance, is_create):
        self.save_via_service(instance, is_create)

    def save_many_via_service(self, *, created: list, updated: list) -> None:
        """Bulk mode: write every row at once. Override to call a bulk service; this default
        saves row by row through `save_via_service`."""
        for instance in created:
            self.save_via_service(instance, True)
        for _old, instance in updated:
            self.save_via_service(instance, False)

    def check_row(self, instance) -> dict:
        """Bulk mode: {field name: message} for rules the database would otherwise enforce."""
        return {}

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not self._meta.use_bulk:
            try:
                super().validate_instance(instance, errors, validate_unique)
            except ValidationError as error:
                raise ValidationError(self._explain_constraints(error.error_dict)) from None
            return
        # no database query: foreign keys were resolved by their widgets, keys by the loader
        errors = self._clean_in_bulk(instance, errors)
        for name, message in self.check_row(instance).items():
            if name not in errors:
                errors[name] = [ValidationError(message)]
        if errors:
            raise ValidationError(errors)

    def _clean_in_bulk(self, instance, errors: dict) -> dict:
        """`instance.full_clean(exclude=..., validate_unique=False, validate_constraints=False)`:
        Django's clean_fields and clean, with the fields to check worked out once per import. Not
        checked: cells already refused, and foreign keys that no cell sets or that a
        NaturalKeyWidget resolved (a default or a stored value, held by the database's foreign
        key: checking them would cost a query per row)."""
        model = type(instance)
        checked = self.__dict__.get("_bulk_checked")
        if checked is None:
            resolved = {f.attribute for f in self.fields.values() if isinstance(f.widget, NaturalKeyWidget)}
            set_by_cells = {f.attribute for f in self.fields.values() if f.attribute}
            checked = self._bulk_checked = [
                f
                for f in model._meta.fields
                if f.name not in resolved and not f.generated and (not f.is_relation or f.name in set_by_cells)
            ]
        if model.full_clean is not Model.full_clean or model.clean_fields is not Model.clean_fields:
            try:  # the model checks in its own way
                instance.full_clean(
                    exclude={f.name for f in model._meta.fields if f not in checked} | set(errors),
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as error:
                errors = error.update_error_dict(errors)
            return errors
        for field in checked:
            if field.name in errors:
                continue
            raw = getattr(instance, field.attname)
            if field.blank and raw in field.empty_values:
                continue
            try:
                setattr(instance, field.attname, field.clean(raw, instance))
            except ValidationError as error:
                errors[field.name] = error.error_list
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        return errors

    def init_instance(self, row=None):
        if self._meta.use_bulk:  # many rows: the defaults copied, not set one by one
            return new_instance(self._meta.model)
        return super().init_instance(row)

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        if not self._meta.use_bulk or raise_errors or kwargs.get("collect_failed_rows"):
            return super().import_data(
                dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=use_transactions, **kwargs
            )
        kwargs.pop("collect_failed_rows", None)
        kwargs.pop("rollback_on_validation_errors", None)  # bulk mode writes nothing from a bad file anyway
        with transaction.atomic(using=self.get_db_connection_name()):
            result = self._import_in_bulk(dataset, dry_run=dry_run, **kwargs)
            if dry_run or _refused(result):
                transaction.set_rollback(True, using=self.get_db_connection_name())
        return result

    def _import_in_bulk(self, dataset, **kwargs):
        """Every row read and checked (`import_row` without a RowResult per row), then every good
        row written at once by `save_many_via_service` — or nothing when a row is bad. The key of
        each row is read once, and the existing rows are loaded in one query."""
        result = self.get_result_class()()
        result.diff_headers = self.get_diff_headers()
        result.total_rows = len(dataset)
        try:
            self.before_import(dataset, **kwargs)
            self._check_import_id_fields(dataset.headers)
        except Exception as error:  # noqa: BLE001 - reported for the whole file, as import_data does
            self.handle_import_error(result, error)
        headers = dataset.headers
        rows = [dict(zip(headers, values, strict=False)) for values in dataset]
        key_fields = [self.fields[name] for name in self.get_import_id_fields()]
        keys = [self._key_of(row, key_fields) for row in rows]
        loader = self._meta.instance_loader_class(self, None)
        keyed = getattr(loader, "key_field", None) is not None and loader.key_field.column_name in headers
        keyed = keyed and not self._meta.force_init_instance
        if keyed:
            loader.preload({key[0] for key in keys if key is not None})
        fields = [
            (f, _plain_field(f))
            for f in self.get_import_fields()
            if f.attribute and not f.readonly and f.column_name in headers
            and not isinstance(f.widget, ManyToManyWidget)
        ]  # fmt: skip
        self.create_instances, self.update_instances = [], []
        for number, (row, key) in enumerate(zip(rows, keys, strict=True), 1):
            kwargs["row_number"] = number
            try:
                self.before_import_row(row, **kwargs)
                if not keyed:
                    instance, new = self.get_or_init_instance(loader, row)
                elif key is not None and (found := loader.cache.get(key[0])) is not None:
                    instance, new = found, False
                else:
                    instance, new = self.init_instance(row), True
                self.after_init_instance(instance, new, row, import_key=key, **kwargs)
                errors = {}
                for field, plain in fields:  # import_instance and Field.save/clean, inlined
                    try:
                        if not plain:
                            field.save(instance, row, **kwargs)
                            continue
                        value = field.widget.clean(row[field.column_name], row=row, **kwargs)
                        if field.default is not NOT_PROVIDED and value in field.empty_values:
                            value = field.default() if callable(field.default) else field.default
                        if value is not None or field.saves_null_values:
                            setattr(instance, field.attribute, value)
                    except CELL_ERRORS as error:
                        errors[field.attribute] = [ValidationError(force_str(error), code="invalid")]
                self.validate_instance(instance, errors)
                self.save_instance(instance, new, row, **kwargs)
            except ValidationError as error:
                result.append_invalid_row(number, row, error)
                result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
            except Exception as error:  # noqa: BLE001 - reported on its row, as import_row does
                result.append_error_row(number, row, [self.get_error_result_class()(error, row=row, number=number)])
                result.totals[RowResult.IMPORT_TYPE_ERROR] += 1
        result.totals[RowResult.IMPORT_TYPE_NEW] = len(self.create_instances)
        result.totals[RowResult.IMPORT_TYPE_UPDATE] = len(self.update_instances)
        self.bulk_create(True, kwargs.get("dry_run", False), False, result=result)
        try:
            self.after_import(dataset, result, **kwargs)
        except Exception as error:  # noqa: BLE001 - reported for the whole file, as import_data does
            self.handle_import_error(result, error)
        return result

    @staticmethod
    def _key_of(row, key_fields) -> tuple | None:
        """The row's natural key, or None when a key cell is missing or cannot be read."""
        try:
            return tuple(field.clean(row) for field in key_fields)
        except (ValueError, KeyError):
            return None

    def _explain_constraints(self, error_dict: dict) -> dict:
        general = []
        for error in error_dict.get(NON_FIELD_ERRORS, []):
            text = force_str(error.message)
            for name, (field_name, message) in self.constraint_messages.items():
                if name in text:
                    error_dict.setdefault(field_name, []).append(ValidationError(message))
                    break
            else:
                general.append(error)
        if general:
            error_dict[NON_FIELD_ERRORS] = general
        else:
            error_dict.pop(NON_FIELD_ERRORS, None)
        return error_dict

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        created, self.create_instances = list(self.create_instances), []
        updated, self.update_instances = list(self.update_instances), []
        if not (created or updated):
            return
        if result is not None and _refused(result):
            return  # the file is refused anyway: write nothing
        try:
            self.save_many_via_service(created=created, updated=[(self._originals.get(i.pk), i) for i in updated])
        except Exception as error:  # noqa: BLE001 - reported for the whole file, then rolled back
            self.handle_import_error(result, error, raise_errors)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self.bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)

    def before_import(self, dataset, **kwargs):
        self._seen_keys = {}
        self._originals = {}
        self._lines = kwargs.get("lines") or []

    def after_init_instance(self, instance, new, row, **kwargs):
        """Two rows with the same key in one file: the second is refused (it would silently win).
        Bulk mode keeps a copy of each existing row for the change log."""
        if self._meta.use_bulk and not new:
            model = type(instance)
            self._originals[instance.pk] = model(
                **{f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields}
            )
        if "import_key" in kwargs:  # read once already by the bulk loop
            key = kwargs["import_key"]
        else:
            key = self._key_of(row, [self.fields[name] for name in self.get_import_id_fields()])
        if key is None:
            return  # the bad key cell is reported with the row's other cells
        number = kwargs.get("row_number") or 0
        if key in self._seen_keys:
            first = self._seen_keys[key]
            line = self._lines[first - 1] if 0 < first <= len(self._lines) else first + 1
            raise ValidationError(
                _("This row repeats line %(line)d (same %(columns)s).")
                % {"line": line, "columns": "、".join(self.fields[n].column_name for n in self.get_import_id_fields())}
            )
        self._seen_keys[key] = number

    def column_of(self, name: str) -> str:
        """The column header for a model field name (or the field's verbose name)."""
        for f in self.fields.values():
            if f.attribute == name:
                return f.column_name
        if name == NON_FIELD_ERRORS:
            return ""
        try:
            return force_str(self._meta.model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - an unknown key is shown as it is
            return name
