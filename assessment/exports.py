"""The cycle's results as an XLSX workbook (openpyxl): the ranking and the grade distribution.
Only the columns are specific; jiedao.spreadsheets escapes every cell and writes the file."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from jiedao.spreadsheets import workbook_bytes

from . import selectors
from .models import AppraisalCycle


def _num(value):
    return float(value) if value is not None else None


def results_xlsx(cycle: AppraisalCycle) -> bytes:
    ranking = selectors.ranking(cycle)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Ranking")
    sheet.append(
        [
            _("Rank"),
            _("Community"),
            _("Cadre name"),
            _("Post"),
            "德",
            "能",
            "勤",
            "绩",
            "廉",
            _("Working committee's score"),
            _("Democratic evaluation score"),
            _("Satisfaction rate"),
            _("Target appraisal score"),
            _("Weighted total"),
            _("One-vote veto"),
            _("Grade"),
            _("Pay coefficient"),
        ]
    )
    for rank, a in enumerate(ranking, start=1):
        sheet.append(
            [
                rank if a.total is not None else None,
                a.cadre.community.name,
                a.cadre.name,
                a.cadre.post,
                _num(a.score_de),
                _num(a.score_neng),
                _num(a.score_qin),
                _num(a.score_ji),
                _num(a.score_lian),
                _num(a.committee_score),
                _num(a.democratic_score),
                _num(a.satisfaction),
                _num(a.target_score),
                _num(a.total),
                a.veto_reason if a.veto else "",
                a.get_grade_display(),
                _num(a.pay_coefficient),
            ]
        )
    dist = book.create_sheet(_("Grade distribution"))
    dist.append([_("Grade"), _("Cadres")])
    for label, count in selectors.grade_distribution(ranking).items():
        dist.append([label, count])
    return workbook_bytes(book)
