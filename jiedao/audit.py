"""The change log: entries for writes that send no model signals, the auditor's reading of an
entry, and the retention job.

django-auditlog records `save()`/`delete()` and m2m changes of the registered models. `bulk_create`,
`bulk_update` and `QuerySet.update` send no signals, so the services that use them call `log_bulk`
(imports: one entry per row, exactly as auditlog would write it), `log_update` (a queryset update:
one entry per changed row with the changed values) or `log_event` (a write summarised on its
parent object, e.g. "12 ballot codes issued" without the codes).

Entries are append-only in PostgreSQL (migration jiedao 0005): only `purge_expired`, which first
archives the rows it removes, may delete them."""

import gzip
import hashlib
import json
import re
from datetime import UTC, datetime, timedelta

from auditlog.cid import get_cid
from auditlog.context import auditlog_value
from auditlog.diff import mask_str, model_instance_diff, track_field
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models.signals import pre_save
from django.dispatch import Signal
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.encoding import smart_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiedao.identity import mask_id_number
from jiedao.personal_numbers import mask_personal_numbers

# -- writing entries ----------------------------------------------------------------------------

# Sent (sender = the model) by log_bulk, log_import, log_update and log_event: writes that send no
# model signal but are audited. Caches of figures listen (jiedao/reporting/cache.py).
rows_logged = Signal()


def request_context() -> dict:
    """auditlog's actor and address for the request being served, or {}. auditlog leaves its context
    variable set after the request; only while its set_actor block runs is its receiver connected."""
    context = auditlog_value.get({})
    uid = context.get("signal_duid")
    if uid is None or not any(key[0] == uid for key, *_rest in pre_save.receivers):
        return {}
    return context


def _common(actor) -> dict:
    context = request_context()
    return {
        "actor": actor if getattr(actor, "pk", None) else None,
        "actor_email": getattr(actor, "email", None) or None,
        "cid": get_cid(),
        "remote_addr": context.get("remote_addr"),
        "remote_port": context.get("remote_port"),
    }


def _entry(instance, action, changes, common) -> LogEntry:
    return LogEntry(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=str(instance.pk),
        object_id=instance.pk if isinstance(instance.pk, int) else None,
        object_repr=smart_str(instance),
        action=action,
        changes=changes,
        **common,
    )


def log_bulk(*, actor, created=(), updated=()) -> int:
    """Record `created` instances (already saved, with pks) and `updated` (old, new) pairs.
    Rows whose registered fields did not change get no entry. Returns the number of entries."""
    common = _common(actor)
    use_json = settings.AUDITLOG_STORE_JSON_CHANGES
    entries = []
    for action, pairs in (
        (LogEntry.Action.CREATE, ((None, new) for new in created)),
        (LogEntry.Action.UPDATE, updated),
    ):
        for old, new in pairs:
            fields = _without_reverse_one_to_one(new) if old is None else None
            changes = model_instance_diff(old, new, fields_to_check=fields, use_json_for_changes=use_json)
            if changes:
                entries.append(_entry(new, action, changes, common))
    LogEntry.objects.bulk_create(entries, batch_size=1000)
    for model in {type(entry_instance) for entry_instance in _instances(created, updated)}:
        rows_logged.send(sender=model)
    return len(entries)


def _without_reverse_one_to_one(instance) -> list[str]:
    """The fields auditlog diffs for a new row, less the reverse one-to-one relations: reading one
    is a query per row, and a row just written has none (auditlog would record nothing for it)."""
    return [
        f.name
        for f in instance._meta.get_fields()
        if track_field(f) and not (f.one_to_one and f.auto_created and not f.concrete)
    ]


def _instances(created, updated):
    yield from created
    for _old, new in updated:
        yield new


# An import of more rows than this is recorded as one entry listing the rows (log_import); a
# smaller one keeps an entry per row, so each row's own history shows it.
IMPORT_ROWS_PER_ROW_ENTRIES = 100


def log_import(*, actor, model, created=(), updated=()) -> int:
    """The change-log record of an import of `model` rows: one entry per row for a small import
    (as `log_bulk`), else ONE entry on the model listing every created row (id and name) and every
    changed row with its changed fields (masked as auditlog masks them). Returns the entries
    written."""
    created, updated = list(created), list(updated)
    if len(created) + len(updated) <= IMPORT_ROWS_PER_ROW_ENTRIES:
        return log_bulk(actor=actor, created=created, updated=updated)
    use_json = settings.AUDITLOG_STORE_JSON_CHANGES
    changed_lines = []
    for old, new in updated:
        diff = model_instance_diff(old, new, use_json_for_changes=use_json)
        if diff:
            fields = "，".join(f"{_label_of(model, name)} {values[0]} → {values[1]}" for name, values in diff.items())
            changed_lines.append(f"#{new.pk} {smart_str(new)}：{fields}")
    if not created and not changed_lines:
        return 0
    changes = {}
    if created:
        changes[IMPORT_CREATED] = "；".join(f"#{obj.pk} {smart_str(obj)}" for obj in created)
    if changed_lines:
        changes[IMPORT_CHANGED] = "；".join(changed_lines)
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="",
        object_id=None,
        object_repr=_("Import: %(created)s created, %(changed)s changed")
        % {"created": len(created), "changed": len(changed_lines)},
        action=LogEntry.Action.CREATE if created and not changed_lines else LogEntry.Action.UPDATE,
        changes=changes,
        **_common(actor),
    )
    rows_logged.send(sender=model)
    return 1


IMPORT_CREATED, IMPORT_CHANGED = "import_created", "import_changed"


def _label_of(model, name: str) -> str:
    field = _field(model, name)
    return str(field.verbose_name) if field is not None else name


def _tracked(model, name: str) -> str | None:
    """How auditlog tracks the field `name` of a registered model: "plain", "masked", or None (not
    tracked, or the model is not registered)."""
    from auditlog.registry import auditlog

    if not auditlog.contains(model):
        return None
    fields = auditlog.get_model_fields(model)
    if fields["include_fields"] and name not in fields["include_fields"]:
        return None
    if name in fields["exclude_fields"]:
        return None
    return "masked" if name in fields["mask_fields"] else "plain"


def log_update(queryset: models.QuerySet, *, actor, **values) -> int:
    """`queryset.update(**values)` (F() expressions allowed) with one entry per row whose tracked
    values changed, holding those fields' old and new values (masked fields masked, as auditlog
    does). Returns the number of rows updated."""
    model = queryset.model
    fields = [model._meta.get_field(name) for name in values]
    tracked = {f.attname: (f.name, _tracked(model, f.name)) for f in fields}
    tracked = {attname: (name, how) for attname, (name, how) in tracked.items() if how}
    if not tracked:
        count = queryset.update(**values)
        rows_logged.send(sender=model)
        return count
    before = {row["pk"]: row for row in queryset.values("pk", *tracked)}
    count = queryset.update(**values)
    if not count:  # another writer got there first (a conditional update): nothing of ours to log
        return 0
    after = {row["pk"]: row for row in model._default_manager.filter(pk__in=before).values("pk", *tracked)}
    objects = model._default_manager.in_bulk(list(after))
    common = _common(actor)
    entries = []
    for pk, row in after.items():
        changes = {}
        for attname, (name, how) in tracked.items():
            if before[pk][attname] != row[attname]:
                pair = [smart_str(before[pk][attname]), smart_str(row[attname])]
                changes[name] = [mask_str(v) for v in pair] if how == "masked" else pair
        if changes and pk in objects:
            entries.append(_entry(objects[pk], LogEntry.Action.UPDATE, changes, common))
    LogEntry.objects.bulk_create(entries, batch_size=1000)
    rows_logged.send(sender=model)
    return count


def log_event(instance, *, actor, changes: dict) -> LogEntry:
    """One UPDATE entry on `instance` for a write summarised there: `changes` maps a label (a field
    name of the model, or an English description translated on the audit page) to (old, new)."""
    changes = {name: [smart_str(old), smart_str(new)] for name, (old, new) in changes.items()}
    entry = _entry(instance, LogEntry.Action.UPDATE, changes, _common(actor))
    entry.save()
    rows_logged.send(sender=type(instance))
    return entry


# -- reading entries ----------------------------------------------------------------------------

ACTION_LABELS = {
    LogEntry.Action.CREATE: gettext_lazy("Created"),
    LogEntry.Action.UPDATE: gettext_lazy("Changed"),
    LogEntry.Action.DELETE: gettext_lazy("Deleted"),
    LogEntry.Action.ACCESS: gettext_lazy("Accessed"),
}
# Labels of `log_event` changes that are not fields of the model.
EVENT_LABELS = {
    "codes_issued": gettext_lazy("Ballot codes issued"),
    IMPORT_CREATED: gettext_lazy("Rows created"),
    IMPORT_CHANGED: gettext_lazy("Rows changed"),
    "password": gettext_lazy("Password"),
}
M2M_OPERATIONS = {
    "add": gettext_lazy("added"),
    "delete": gettext_lazy("removed"),
    "clear": gettext_lazy("cleared"),
}
EMPTY = "—"
RELATED_MANAGER_RE = re.compile(r"^[a-z_]+\.[A-Za-z]+\.None$")
# As everywhere for a role without the reveal permission (jiedao/identity.py): an ID number shows its
# last four characters at most, a birth date nothing.
HIDDEN_DATE_FIELDS = {"birth_date"}


def mask_text(text: str) -> str:
    """Personal numbers inside free text, masked as on every other page."""
    return mask_personal_numbers(text)


def _local(value: datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i:s")


def _display_value(field, raw, lookups: dict) -> str:
    if raw is None or raw == "None" or raw == "" or RELATED_MANAGER_RE.match(str(raw)):
        return EMPTY  # auditlog writes a reverse or generic relation as "app.Model.None"
    raw = str(raw)
    if field is None:
        return mask_text(raw)
    if field.name == "password":
        return _("changed")
    if field.name == "id_number":
        return mask_id_number(raw)
    if field.name in HIDDEN_DATE_FIELDS:
        return "****-**-**"
    if getattr(field, "choices", None):
        labels = {str(key): label for key, label in field.flatchoices}
        return str(labels.get(raw, raw))
    kind = field.get_internal_type()
    if kind == "BooleanField":
        return _("Yes") if raw == "True" else _("No") if raw == "False" else raw
    if kind == "DateTimeField":
        parsed = parse_datetime(raw)
        return _local(parsed) if parsed else raw
    if field.is_relation and field.related_model is not None:
        model = field.related_model
        key = (model, raw)
        if key not in lookups:
            found = model._default_manager.filter(pk=raw).first() if raw.isdigit() else None
            lookups[key] = mask_text(smart_str(found)) if found is not None else f"#{raw}"
        return lookups[key]
    return mask_text(raw)


def _field(model, name):
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None  # a reverse relation has no verbose name


def change_rows(entry: LogEntry, lookups: dict | None = None) -> list[dict]:
    """The entry's changes as rows {field, old, new} for people: the fields' verbose names,
    choice labels, local times, masked numbers. Many-to-many changes give one row {field, text}."""
    lookups = {} if lookups is None else lookups
    model = entry.content_type.model_class() if entry.content_type_id else None
    rows = []
    for name, values in (entry.changes_dict or {}).items():
        field = _field(model, name)
        label = str(EVENT_LABELS.get(name) or (field.verbose_name if field is not None else name))
        if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": ..., "objects": [...]}
            operation = str(M2M_OPERATIONS.get(values.get("operation"), values.get("operation", "")))
            objects = "、".join(mask_text(smart_str(o)) for o in values.get("objects") or ()) or EMPTY
            rows.append({"field": label, "text": f"{operation}：{objects}"})
            continue
        if not isinstance(values, (list, tuple)) or len(values) != 2:
            rows.append({"field": label, "text": mask_text(smart_str(values))})
            continue
        old, new = (_display_value(field, value, lookups) for value in values)
        rows.append({"field": label, "old": old, "new": new})
    return rows


def change_text(rows: list[dict]) -> str:
    return "；".join(
        f"{row['field']}：{row['text']}" if "text" in row else f"{row['field']}：{row['old']} → {row['new']}"
        for row in rows
    )


def entry_display(entry: LogEntry, lookups: dict | None = None) -> dict:
    """Everything the audit page and its export show of one entry."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    return {
        "entry": entry,
        "time": _local(entry.timestamp),
        "actor": smart_str(entry.actor) if entry.actor_id else EMPTY,
        "action": str(ACTION_LABELS.get(entry.action, entry.action)),
        "object_type": str(model._meta.verbose_name) if model is not None else entry.content_type.model,
        "object": mask_text(entry.object_repr or "") or EMPTY,
        "changes": change_rows(entry, lookups),
        "remote_addr": entry.remote_addr or EMPTY,
    }


# -- retention ----------------------------------------------------------------------------------

ARCHIVE_DIR = "audit-archive"
MIN_RETENTION_DAYS = 180


def retention_cutoff(now=None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)


def _archive_line(entry: dict) -> bytes:
    return (json.dumps(entry, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True) + "\n").encode()


@transaction.atomic
def purge_expired(*, now=None) -> dict:
    """Entries older than AUDIT_RETENTION_DAYS: written to a gzip JSON Lines file in the storage (with
    a .sha256 beside it), read back and checked, and only then deleted in the same transaction.
    Returns {"count", "name", "sha256"}; nothing is written when no entry is due."""
    cutoff = retention_cutoff(now)
    expired = LogEntry.objects.filter(timestamp__lt=cutoff).order_by("timestamp", "pk")
    rows = list(expired.values())
    if not rows:
        return {"count": 0, "name": None, "sha256": None}
    data = gzip.compress(b"".join(_archive_line(row) for row in rows))
    digest = hashlib.sha256(data).hexdigest()
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%dT%H%M%S")
    name = default_storage.save(f"{ARCHIVE_DIR}/auditlog-{stamp}.jsonl.gz", ContentFile(data))
    default_storage.save(f"{name}.sha256", ContentFile(f"{digest}  {name.rsplit('/', 1)[-1]}\n".encode()))
    with default_storage.open(name, "rb") as handle:  # what the storage holds, not what we meant to write
        stored = handle.read()
    if hashlib.sha256(stored).hexdigest() != digest:
        raise RuntimeError(f"audit archive {name} does not match its checksum; nothing deleted")
    pks = [row["id"] for row in rows]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jiedao.audit_retention = 'on'")  # the trigger lets this transaction delete
    LogEntry.objects.filter(pk__in=pks).delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # called inside a larger transaction, nothing else may delete
            cursor.execute("SET LOCAL jiedao.audit_retention = 'off'")
    return {"count": len(pks), "name": name, "sha256": digest}


def check_retention_days(app_configs=None, **kwargs):
    """Start-up check: the change log is kept at least 180 days."""
    from django.core.checks import Error

    days = getattr(settings, "AUDIT_RETENTION_DAYS", None)
    if not isinstance(days, int) or days < MIN_RETENTION_DAYS:
        return [
            Error(
                f"AUDIT_RETENTION_DAYS must be at least {MIN_RETENTION_DAYS} (is {days!r}).",
                id="jiedao.E101",
            )
        ]
    return []


# -- passwords ----------------------------------------------------------------------------------


def _remember_password(sender, instance, **kwargs):
    if instance.pk:
        stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
        instance._audit_password_changed = stored is not None and stored != instance.password


def _log_password(sender, instance, created, **kwargs):
    if not created and getattr(instance, "_audit_password_changed", False):
        instance._audit_password_changed = False
        actor = request_context().get("actor")
        log_event(instance, actor=actor, changes={"password": ("", "changed")})  # a marker, never the hash


def connect_password_signals() -> None:
    """A changed password leaves an entry "password changed" on the user, never the hash."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_save

    user_model = get_user_model()
    pre_save.connect(_remember_password, sender=user_model, dispatch_uid="jiedao.audit.password.pre")
    post_save.connect(_log_password, sender=user_model, dispatch_uid="jiedao.audit.password.post")
