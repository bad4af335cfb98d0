"""Files attached to a draft notice."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from jiedao import uploads
from jiedao.permissions import ensure_can_draft

from ..choices import NoticeStatus
from ..models import Attachment, Notice
from .common import _expect, _lock

# extension → content types it may carry, as recognised from the content itself
ALLOWED_UPLOADS = {
    "pdf": {"application/pdf"},
    "png": {"image/png"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "gif": {"image/gif"},
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}


def max_attachment_bytes() -> int:
    return settings.DISCLOSURE_MAX_ATTACHMENT_BYTES


@transaction.atomic
def attachment_add(*, actor, notice: Notice, uploaded) -> Attachment:
    """A PDF, image or XLSX for a draft: size-limited, its type recognised from its content."""
    ensure_can_draft(actor, notice.board)
    _expect(_lock(notice), NoticeStatus.DRAFT)
    limit = max_attachment_bytes()
    uploads.check_size(
        uploaded,
        max_bytes=limit,
        message=_("The file is too large: at most %(mb)s MB.") % {"mb": f"{limit / 1024 / 1024:.0f}"},
        code="too_large",
    )
    name = uploaded.name.rsplit("/", 1)[-1][-150:]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_UPLOADS:
        raise ValidationError(_("Only PDF, PNG, JPEG, GIF and XLSX files can be attached."), code="type")
    kind = uploads.check_type(
        uploaded,
        allowed_mimes=ALLOWED_UPLOADS[extension],
        message=_("The content of “%(name)s” is not a %(ext)s file.") % {"name": name, "ext": extension.upper()},
        code="disguised",
    )
    uploads.check_archive(uploaded)  # an XLSX is a zip: bounded when inflated, before it can be published
    content = b"".join(uploaded.chunks())
    digest = hashlib.sha256(content).hexdigest()
    attachment = Attachment(
        notice=notice, name=name, extension=extension, content_type=kind.mime, size=len(content), content_hash=digest
    )
    attachment.file.save(f"{digest}.{extension}", ContentFile(content), save=False)
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, actor, attachment: Attachment) -> None:
    ensure_can_draft(actor, attachment.notice.board)
    _expect(_lock(attachment.notice), NoticeStatus.DRAFT)
    attachment.file.delete(save=False)
    attachment.delete()
