"""Validators of uploaded files, shared by forms and model fields (so services check them too)."""

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png"}


def sniff_photo_type(file) -> str | None:
    """The photo's MIME type read from its first bytes (never from its name); None if not JPEG/PNG."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(261)
    file.seek(position)
    kind = filetype.guess(head)
    return kind.mime if kind is not None and kind.mime in PHOTO_TYPES else None


def validate_photo(file) -> None:
    if file.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than 5 MB."), code="photo_too_large", params={"name": getattr(file, "name", "")}
        )
    if sniff_photo_type(file) is None:
        raise ValidationError(
            _("%(name)s is not a JPEG or PNG picture."), code="photo_type", params={"name": getattr(file, "name", "")}
        )
