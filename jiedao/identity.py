"""Chinese resident ID numbers and mobile numbers: validation and masking."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> None:
    """An 18-digit ID number (GB 11643): shape, birth date and check digit."""
    value = (value or "").upper()
    if not _ID_RE.match(value):
        raise ValidationError(_("An ID number has 18 characters: 17 digits and a digit or X."), code="id_shape")
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date inside this ID number does not exist."), code="id_birth") from None
    if id_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("The check digit of this ID number is wrong."), code="id_checksum")


def validate_mobile(value: str) -> None:
    if not _MOBILE_RE.match(value or ""):
        raise ValidationError(_("A mobile number has 11 digits and starts with 13–19."), code="mobile")


def mask_id_number(value: str) -> str:
    """510108199001011234 → 510108********123X style: region kept, birth date hidden."""
    return f"{value[:6]}{'*' * 8}{value[14:]}" if value and len(value) == 18 else "*" * len(value or "")


def mask_mobile(value: str) -> str:
    """13812345678 → 138****5678."""
    return f"{value[:3]}****{value[7:]}" if value and len(value) == 11 else "*" * len(value or "")
