"""Validators of uploaded files, shared by forms and model fields (so services check them too)."""

from django.utils.translation import gettext_lazy as _

from jiedao.uploads import check_upload, sniff

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png"}


def sniff_photo_type(file) -> str | None:
    """The photo's MIME type read from its first bytes (never from its name); None if not JPEG/PNG."""
    kind = sniff(file, PHOTO_TYPES)
    return kind.mime if kind is not None else None


def validate_photo(file) -> None:
    check_upload(
        file,
        allowed_mimes=PHOTO_TYPES,
        max_bytes=PHOTO_MAX_BYTES,
        too_large_message=_("%(name)s is larger than 5 MB."),
        too_large_code="photo_too_large",
        wrong_type_message=_("%(name)s is not a JPEG or PNG picture."),
        wrong_type_code="photo_type",
        params={"name": getattr(file, "name", "")},
    )
