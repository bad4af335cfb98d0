"""Issue 11: personal numbers hidden by formatting. Each variant is refused wherever a notice's
text is saved (draft, finance lines, correction after the full review chain) and masked where a
resident's answered question is shown on the public page."""

import html
import re
import unicodedata
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from disclosure import services
from tests.disclosure.factories import draft, finance_item, finance_lines, published

pytestmark = pytest.mark.django_db

MOBILE_DIGITS = "13812345678"
ID_CHARS = "51010819700101001X"
VARIANTS = {
    "spaces": "138 1234 5678",
    "hyphens": "138-1234-5678",
    "full-width digits": "１３８１２３４５６７８",
    "zero-width spaces": "138\u200b1234\u200b5678",
    "spaced ID": "5101 0819 7001 0100 1X",
    "plain mobile": MOBILE_DIGITS,
    "plain ID": ID_CHARS,
    "entities": "138&nbsp;1234&nbsp;5678",
}
PARAMS = pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())


def _bare(page: str) -> str:
    """What a reader could copy out of the page, reduced to letters and digits."""
    text = unicodedata.normalize("NFKC", html.unescape(re.sub(r"<[^>]+>", "", page)))
    return "".join(c for c in text if c.isalnum()).upper()


@PARAMS
def test_a_draft_carrying_a_formatted_number_is_refused(variant, secretary_a, community_a):
    with pytest.raises(ValidationError):
        draft(author=secretary_a, community=community_a, body=f"<p>联系 {variant} 办理</p>")
    with pytest.raises(ValidationError):
        draft(author=secretary_a, community=community_a, title=f"关于{variant}的公示")


@PARAMS
def test_a_finance_line_carrying_a_formatted_number_is_refused(variant, secretary_a, community_a):
    notice = draft(author=secretary_a, community=community_a, item=finance_item(), period_start=date(2005, 3, 1))
    with pytest.raises(ValidationError):
        services.finance_lines_replace(
            actor=secretary_a, notice=notice, lines=finance_lines(("income", f"租金 {variant}", "50"))
        )


@PARAMS
def test_a_correction_after_the_review_chain_is_refused(variant, secretary_a, staff, approver, community_a):
    notice = published(author=secretary_a, reviewer=staff, approver=approver, community=community_a)
    with pytest.raises(ValidationError):
        services.notice_correct(
            actor=staff, notice=notice, title=notice.title, body=f"<p>请联系 {variant}</p>", reason="补充"
        )
    notice.refresh_from_db()
    assert _bare(variant) not in _bare(notice.body)


@PARAMS
def test_an_answered_question_shows_the_number_masked(variant, client, secretary_a, staff, approver, community_a):
    notice = published(author=secretary_a, reviewer=staff, approver=approver, community=community_a)
    question = services.feedback_submit(notice=notice, body=f"我的号码 {variant}，为何没有我家？")
    services.feedback_answer(actor=staff, feedback=question, answer=f"已联系 {variant} 核实。")
    page = client.get(reverse("gongkai:notice", args=[notice.board.slug, notice.pk])).content.decode()
    assert "为何没有我家" in page and "核实" in page
    bare = _bare(page)
    assert MOBILE_DIGITS not in bare and ID_CHARS not in bare
    assert "12345678" not in bare and "19700101" not in bare  # not even the middle digits
