"""What every step on a notice shares: the row lock, the status guard, the step record and the
refusal of personal numbers in public text."""

import html

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiedao.personal_numbers import has_personal_numbers
from jiedao.richtext import plain_text

from ..models import Notice, NoticeStep


def _step(notice: Notice, action: str, actor, comment: str = "") -> None:
    NoticeStep.objects.create(notice=notice, action=action, actor=actor, comment=comment)


def _expect(notice: Notice, *statuses: str) -> None:
    if notice.status not in statuses:
        raise ValidationError(
            _("This step is not possible: the notice is “%(status)s”.") % {"status": notice.get_status_display()}
        )


def _lock(notice: Notice) -> Notice:
    """The notice re-read under a row lock, so two reviewers cannot both move it."""
    locked = Notice.objects.select_for_update().select_related("board", "catalog_item").get(pk=notice.pk)
    notice.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def _refuse_personal_numbers(*texts: str) -> None:
    """Public notices never carry ID or mobile numbers (the secrecy review's first check, automated)."""
    # Entities unescaped: "138&nbsp;1234&nbsp;5678" is what a reader sees as 138 1234 5678.
    if any(has_personal_numbers(html.unescape(plain_text(t))) for t in texts):
        raise ValidationError(
            {"body": _("The text contains an ID number or a mobile number; remove it before publishing.")}
        )
