"""Chinese resident ID numbers and mobile numbers: validation and masking."""

import re
from datetime import date
from operator import mul

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


_ZERO_SUM = ord("0") * sum(_ID_WEIGHTS)


def id_check_digit(first17: str) -> str:
    if len(first17) == 17 and first17.isascii() and first17.isdigit():  # the usual case: on the codes directly
        return _ID_CHECK[(sum(map(mul, first17.encode("ascii"), _ID_WEIGHTS)) - _ZERO_SUM) % 11]
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> None:
    """An 18-digit ID number (GB 11643): shape, birth date and check digit."""
    value = (value or "").upper()
    if not ID_RE.match(value):
        raise ValidationError(_("An ID number has 18 characters: 17 digits and a digit or X."), code="id_shape")
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date inside this ID number does not exist."), code="id_birth") from None
    if id_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("The check digit of this ID number is wrong."), code="id_checksum")


def birth_date_of(id_number: str) -> date:
    """The birth date written inside a valid ID number (characters 7–14)."""
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def validate_mobile(value: str) -> None:
    if not _MOBILE_RE.match(value or ""):
        raise ValidationError(_("A mobile number has 11 digits and starts with 13–19."), code="mobile")


# -- masks: the one family used on every page, form, export and audit entry ------------------------
# A role without the reveal permission (jiedao.permissions.can_reveal_identity) sees an ID number as
# its last four characters only: no region digits and no birth date, and the birth date itself is
# shown nowhere to it (age in whole years instead), so nothing it receives rebuilds a full ID.
# An empty value stays empty.

ID_KEPT = 4


def mask_id_number(value: str | None) -> str:
    """510108199001011234 → **************1234."""
    value = str(value or "").strip()
    if not value:
        return ""
    return "*" * max(len(value) - ID_KEPT, 0) + value[-ID_KEPT:] if len(value) > ID_KEPT else "*" * len(value)


def mask_mobile(value: str | None) -> str:
    """13812345678 → 138****5678; anything not shaped like a mobile keeps at most its last four digits."""
    value = str(value or "").strip()
    if not value:
        return ""
    if _MOBILE_RE.match(value):
        return f"{value[:3]}****{value[7:]}"
    return mask_digits(value)


def mask_name(value: str | None) -> str:
    """张三 → 张*, 欧阳小明 → 欧**明, 王小明 → 王*明: the first character always shows, never only the last."""
    value = str(value or "").strip()
    if len(value) <= 1:
        return "*" if value else ""
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_digits(value: str) -> str:
    """Every digit but the last four replaced by *."""
    total = sum(c.isdigit() for c in value)
    seen, out = 0, []
    for char in value:
        if char.isdigit():
            seen += 1
            out.append(char if seen > total - ID_KEPT else "*")
        else:
            out.append(char)
    return "".join(out)


def age_on(birth_date: date | None, today: date | None = None) -> int | None:
    """Age in whole years: what a role without the reveal permission sees instead of the birth date."""
    if birth_date is None:
        return None
    today = today or timezone.localdate()
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
