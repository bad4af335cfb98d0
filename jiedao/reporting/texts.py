"""The annual report's words that figures cannot give: the saved 存在问题和下步打算 and 落款 of a
year, or their draft from the communities' monthly updates (reads; the write is in services.py)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.selectors import problems_and_plans
from jiedao.models import AnnualReportText


def annual_report_text_draft(*, year: int) -> AnnualReportText:
    """What staff start from (not saved): the problems and plans the communities' latest accepted
    monthly updates of the year state, one line a community, and the committee's 落款."""
    rows = problems_and_plans(year)
    return AnnualReportText(
        year=year,
        problems="\n".join(f"{r['community']}：{r['problems']}" for r in rows if r["problems"]),
        plans="\n".join(f"{r['community']}：{r['plans']}" for r in rows if r["plans"]),
        signatory=_("%(name)s Party Working Committee") % {"name": settings.SUBDISTRICT_NAME},
        signed_on=timezone.localdate(),
    )


def annual_report_text_of(*, year: int) -> AnnualReportText:
    """The saved text of the year, or the draft."""
    return AnnualReportText.objects.filter(year=year).first() or annual_report_text_draft(year=year)
