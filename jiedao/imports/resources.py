"""PortalResource: the base of every import resource (explicit whitelist, writes through services)."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import resources
from import_export.instance_loaders import ModelInstanceLoader

from .widgets import NaturalKeyWidget


class _TolerantLoader(ModelInstanceLoader):
    """Finds the existing row by `import_id_fields`; a key that cannot be read means a new row,
    so the row's cells are all checked (and all reported) by `import_instance`. With a single
    key column every existing row is loaded in one query."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.cache = None
        keys = resource.get_import_id_fields()
        if len(keys) == 1 and dataset is not None:
            self.key_field = resource.fields[keys[0]]
            if self.key_field.column_name in (dataset.headers or []):
                values = set()
                for row in dataset.dict:
                    try:
                        values.add(self.key_field.clean(row))
                    except ValueError:
                        continue
                qs = self.get_queryset().filter(**{f"{self.key_field.attribute}__in": values})
                self.cache = {self.key_field.get_value(obj): obj for obj in qs}

    def get_instance(self, row):
        try:
            if self.cache is not None:
                return self.cache.get(self.key_field.clean(row))
            return super().get_instance(row)
        except ValueError:
            return None


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
    log (`jiedao.audit.log_bulk`). A bulk resource must make its natural key cover every
    unique field of the model, and `check_row` every CheckConstraint; anything the database
    still refuses fails the whole file (with no line number).
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
        resolved = [f.attribute for f in self.fields.values() if isinstance(f.widget, NaturalKeyWidget)]
        try:  # no database query: foreign keys were resolved by their widgets, keys by the loader
            instance.full_clean(exclude=set(errors) | set(resolved), validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, message in self.check_row(instance).items():
            if name not in errors:
                errors[name] = [ValidationError(message)]
        if errors:
            raise ValidationError(errors)

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
        if result is not None and (result.has_errors() or result.has_validation_errors()):
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
        try:
            key = tuple(self.fields[name].clean(row) for name in self.get_import_id_fields())
        except (ValueError, KeyError):
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
