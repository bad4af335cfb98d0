"""One check for every uploaded file: its size, and its type recognised from its content (never its name).

The messages (and codes) are the caller's, so each app keeps its own wording and error structure.
"""

import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# filetype itself never looks past the first 8192 bytes, so reading more would change nothing.
HEAD_BYTES = 8192
ZIP_MAGIC = b"PK\x03\x04"
INFLATE_CHUNK = 1024 * 1024


def sniff(upload, allowed_mimes):
    """The upload's filetype kind read from its first bytes, or None if it is not one of allowed_mimes.

    The file is read from its start and left rewound to it."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind if kind is not None and kind.mime in allowed_mimes else None


def detect_type(handle) -> str:
    """The content type of an open file from its first bytes: a type filetype knows, else plain
    text when they decode as UTF-8, else application/octet-stream. The handle is left rewound."""
    handle.seek(0)
    head = handle.read(HEAD_BYTES)
    handle.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:  # not just a character cut at the end of the head
            return "application/octet-stream"
    return "text/plain"


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


def archive_error() -> ValidationError:
    return ValidationError(
        _(
            "The file is a compressed archive that unpacks to more than %(mb)d MB or holds more than "
            "%(members)d files; it is refused."
        ),
        code="archive",
        params={
            "mb": settings.UPLOAD_MAX_INFLATED_BYTES // (1024 * 1024),
            "members": settings.UPLOAD_MAX_ARCHIVE_MEMBERS,
        },
    )


def check_archive(upload) -> None:
    """A zip (and xlsx, docx …, which are zips) must not inflate beyond UPLOAD_MAX_INFLATED_BYTES
    in all nor hold more than UPLOAD_MAX_ARCHIVE_MEMBERS members. The directory's sizes are read
    first; then every member is inflated in chunks, counting, and the count stops at the limit,
    so a directory that lies about its sizes is caught too (a member longer than it says fails
    its CRC). Anything else passes untouched; the file is left rewound."""
    upload.seek(0)
    if upload.read(4) != ZIP_MAGIC:
        upload.seek(0)
        return
    upload.seek(0)
    limit, most = settings.UPLOAD_MAX_INFLATED_BYTES, settings.UPLOAD_MAX_ARCHIVE_MEMBERS
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > most or sum(m.file_size for m in members) > limit:
                raise archive_error()
            left = limit
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(INFLATE_CHUNK):
                        left -= len(chunk)
                        if left < 0:
                            raise archive_error()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, RuntimeError):
        raise archive_error() from None  # a damaged or encrypted archive is not accepted either
    finally:
        upload.seek(0)


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
    """Check the size, then the type by content, then (for zip-based types) the inflated size;
    return the filetype kind (with .mime and .extension)."""
    check_size(upload, max_bytes=max_bytes, message=too_large_message, code=too_large_code, params=params, field=field)
    kind = check_type(
        upload,
        allowed_mimes=allowed_mimes,
        message=wrong_type_message,
        code=wrong_type_code,
        params=params,
        field=field,
    )
    try:
        check_archive(upload)
    except ValidationError as error:
        raise ValidationError({field: error}) if field else error from None
    return kind
