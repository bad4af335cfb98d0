"""One check for every uploaded file: its size, and its type recognised from its content (never its name).

The messages (and codes) are the caller's, so each app keeps its own wording and error structure.
"""

import filetype
from django.core.exceptions import ValidationError

# filetype itself never looks past the first 8192 bytes, so reading more would change nothing.
HEAD_BYTES = 8192


def sniff(upload, allowed_mimes):
    """The upload's filetype kind read from its first bytes, or None if it is not one of allowed_mimes.

    The file is read from its start and left rewound to it."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind if kind is not None and kind.mime in allowed_mimes else None


def _error(message, *, code, params, field):
    error = ValidationError(message, code=code, params=params)
    return ValidationError({field: error}) if field else error


def check_size(upload, *, max_bytes, message, code=None, params=None, field=None) -> None:
    """Raise ValidationError(message) — keyed by field if given — when the upload exceeds max_bytes."""
    if upload.size > max_bytes:
        raise _error(message, code=code, params=params, field=field)


def check_type(upload, *, allowed_mimes, message, code=None, params=None, field=None):
    """The upload's filetype kind; ValidationError(message) when its content is not one of allowed_mimes."""
    kind = sniff(upload, allowed_mimes)
    if kind is None:
        raise _error(message, code=code, params=params, field=field)
    return kind


def check_upload(
    upload,
    *,
    allowed_mimes,
    max_bytes,
    too_large_message,
    wrong_type_message,
    field=None,
    too_large_code=None,
    wrong_type_code=None,
    params=None,
):
    """Check the size, then the type by content; return the filetype kind (with .mime and .extension)."""
    check_size(upload, max_bytes=max_bytes, message=too_large_message, code=too_large_code, params=params, field=field)
    return check_type(
        upload,
        allowed_mimes=allowed_mimes,
        message=wrong_type_message,
        code=wrong_type_code,
        params=params,
        field=field,
    )
