"""Sub-district-wide writes: notifications and the sub-district's yearly indicators."""

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from jiedao.models import Notification, SubDistrictYear
from jiedao.permissions import Role, ensure_role


def notify(*, recipient, key: str, title: str, body: str = "", url: str = "", email: bool = True) -> bool:
    """Put a notice in `recipient`'s inbox (and mail it) once per `key`. Returns whether it was new,
    so a job that runs twice sends one reminder."""
    with transaction.atomic():
        _notification, created = Notification.objects.get_or_create(
            recipient=recipient, key=key, defaults={"title": title, "body": body, "url": url}
        )
    if created and email and recipient.email:
        transaction.on_commit(
            lambda: send_mail(title, f"{body}\n\n{url}".strip(), settings.DEFAULT_FROM_EMAIL, [recipient.email])
        )
    return created


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise Http404
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def subdistrict_year_save(*, actor, instance: SubDistrictYear) -> SubDistrictYear:
    ensure_role(actor, Role.STAFF)
    instance.full_clean()
    instance.save()
    return instance


# -- files ---------------------------------------------------------------------------------------


def write_atomically(path: Path, chunks) -> None:
    """Write `chunks` (bytes) to `path` so that readers see the old file or the whole new one,
    never half of it: a temporary file in the same directory, fsync, os.replace, fsync the
    directory. On any error the temporary file is removed and `path` is untouched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
