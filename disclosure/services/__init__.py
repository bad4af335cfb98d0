"""Every write of the disclosure boards, one module per job; import the public names from here."""

from .attachments import ALLOWED_UPLOADS, attachment_add, attachment_delete, max_attachment_bytes
from .boards import board_for_community, catalog_item_save, subdistrict_board
from .feedback import answer_workdays, feedback_answer, feedback_moderate, feedback_submit
from .finance import TOTALS, FinanceData, LineData, finance_lines_replace, finance_problems, finance_snapshot
from .meetings import MEETING_ITEM_NAMES, meeting_draft_notice, meeting_save
from .notices import (
    notice_approve,
    notice_clear,
    notice_correct,
    notice_publish,
    notice_return,
    notice_save,
    notice_submit,
    notice_withdraw,
)
from .reminders import secretaries_of, timeliness_remind

__all__ = [
    "ALLOWED_UPLOADS",
    "MEETING_ITEM_NAMES",
    "TOTALS",
    "FinanceData",
    "LineData",
    "answer_workdays",
    "attachment_add",
    "attachment_delete",
    "board_for_community",
    "catalog_item_save",
    "feedback_answer",
    "feedback_moderate",
    "feedback_submit",
    "finance_lines_replace",
    "finance_problems",
    "finance_snapshot",
    "max_attachment_bytes",
    "meeting_draft_notice",
    "meeting_save",
    "notice_approve",
    "notice_clear",
    "notice_correct",
    "notice_publish",
    "notice_return",
    "notice_save",
    "notice_submit",
    "notice_withdraw",
    "secretaries_of",
    "subdistrict_board",
    "timeliness_remind",
]

from .cases import *  # noqa: E402, F403 — the case ledger's writes, names in cases.__all__
from .decisions import *  # noqa: E402, F403 — decision trails and the event ledger, names in decisions.__all__
from .first_publications import *  # noqa: E402, F403 — the first publications per day, for 公开及时率
from .rights import *  # noqa: E402, F403 — notice read counters for the 四权 index
from .supervision import *  # noqa: E402, F403 — the 居务 chain and the 街道's monitoring, names in supervision.__all__
