"""Open meetings, and the draft notice made from a meeting's record."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from jiedao.pagecache import bump_public_version
from jiedao.permissions import ensure_can_draft

from ..choices import Category
from ..models import CatalogItem, Notice, OpenMeeting
from .notices import notice_save


@transaction.atomic
def meeting_save(*, actor, meeting: OpenMeeting) -> OpenMeeting:
    ensure_can_draft(actor, meeting.board)
    meeting.full_clean()
    meeting.save()
    bump_public_version()  # an announced meeting's record is on its public trail
    return meeting


MEETING_ITEM_NAMES = {"subdistrict": "开放党工委会议", "community": "党组织会议及“三会一课”情况"}


@transaction.atomic
def meeting_draft_notice(*, actor, meeting: OpenMeeting) -> Notice:
    """Turn a meeting's record into a draft notice on the party-affairs board; it then goes
    through the review chain like any other notice."""
    ensure_can_draft(actor, meeting.board)
    if meeting.notice_id:
        raise ValidationError(_("A notice for this meeting already exists."))
    item = (
        CatalogItem.objects.filter(
            level=meeting.board.level, category=Category.PARTY, name=MEETING_ITEM_NAMES[meeting.board.level]
        ).first()
        or CatalogItem.objects.filter(level=meeting.board.level, category=Category.PARTY).first()
    )
    if item is None:
        raise ValidationError(_("The catalogue has no party-affairs item for this board."))
    notice = Notice(
        board=meeting.board,
        catalog_item=item,
        title=f"{meeting.get_kind_display()}：{meeting.topic}",
        body=render_to_string("disclosure/_meeting_notice.html", {"meeting": meeting}),
        period_start=meeting.date,
        period_end=meeting.date,
        event_date=meeting.date,
    )
    notice = notice_save(actor=actor, notice=notice)
    meeting.notice = notice
    meeting.save(update_fields=["notice", "updated_at"])
    return notice
