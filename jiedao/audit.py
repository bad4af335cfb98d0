"""Change-log entries for bulk writes.

`bulk_create`/`bulk_update` send no model signals, so django-auditlog records nothing for them.
Services that write many rows at once (imports) call `log_bulk` to record one entry per created or
changed row, exactly as auditlog would (same diff, masked fields masked), in one INSERT."""

from auditlog.cid import get_cid
from auditlog.context import auditlog_value
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils.encoding import smart_str


def log_bulk(*, actor, created=(), updated=()) -> int:
    """Record `created` instances (already saved, with pks) and `updated` (old, new) pairs.
    Rows whose registered fields did not change get no entry. Returns the number of entries."""
    context = auditlog_value.get({})
    common = {
        "actor": actor if getattr(actor, "pk", None) else None,
        "actor_email": getattr(actor, "email", None) or None,
        "cid": get_cid(),
        "remote_addr": context.get("remote_addr"),
        "remote_port": context.get("remote_port"),
    }
    use_json = settings.AUDITLOG_STORE_JSON_CHANGES
    entries = []
    for action, pairs in (
        (LogEntry.Action.CREATE, ((None, new) for new in created)),
        (LogEntry.Action.UPDATE, updated),
    ):
        for old, new in pairs:
            changes = model_instance_diff(old, new, use_json_for_changes=use_json)
            if not changes:
                continue
            entries.append(
                LogEntry(
                    content_type=ContentType.objects.get_for_model(new),
                    object_pk=str(new.pk),
                    object_id=new.pk if isinstance(new.pk, int) else None,
                    object_repr=smart_str(new),
                    action=action,
                    changes=changes,
                    **common,
                )
            )
    LogEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)
