"""The report's 来信来访 from the case ledger: from the ledger's first year on the count of cases
(the typed SubDistrictYear figure is ignored), before it the typed figure; and the demo's 2005
report reads 69 (−12.7 %) from its ledger cases."""

import io
import re
from datetime import date

import pytest

from disclosure import demo_cases
from disclosure.models import Case, CaseChannel
from disclosure.selectors import case_figures
from jiedao.models import SubDistrictYear
from jiedao.reporting.annual import annual_report_html
from jiedao.reporting.figures import economy
from tests.disclosure.case_helpers import recorded

pytestmark = pytest.mark.django_db


def _letters(eco):
    return next(f for f in eco.figures() if f.key == "letters_visits")


def test_ledger_years_count_cases_and_earlier_years_keep_the_typed_figure(community_a, staff):
    SubDistrictYear.objects.create(year=2003, fiscal_revenue=1000, letters_visits=90, per_capita_income=4000)
    SubDistrictYear.objects.create(year=2004, fiscal_revenue=1236, letters_visits=500, per_capita_income=4610)
    for _i in range(3):
        recorded(staff, community_a, received_on=date(2004, 5, 10))
    recorded(staff, community_a, received_on=date(2004, 6, 1), channel=CaseChannel.VISIT, collective=True)
    eco = economy(year=2004)
    letters = _letters(eco)
    assert (letters.current, letters.previous) == (4, 90)  # 2004 from the ledger, 2003 typed
    assert eco.letters_now == {"total": 4, "collective": 1, "ledger": True}
    assert eco.cases == case_figures(2004)
    history = {h["year"]: h["letters_visits"] for h in eco.history}
    assert history == {2003: 90, 2004: 4}
    # a ledger year with no case counts 0, it does not fall back to a typed figure
    SubDistrictYear.objects.create(year=2005, fiscal_revenue=1768, letters_visits=69, per_capita_income=5406)
    assert _letters(economy(year=2005)).current == 0


def test_the_demo_2005_report_reads_69_letters_and_visits_from_the_ledger(community_a, community_b, staff):
    for year, typed in ((2004, 1), (2005, 2)):  # typed figures that must not be read
        SubDistrictYear.objects.create(year=year, fiscal_revenue=1000, letters_visits=typed, per_capita_income=4000)
    demo_cases.load(stdout=io.StringIO())
    demo_cases.load(stdout=io.StringIO())  # idempotent
    assert Case.objects.of_year(2005).count() == 69 and Case.objects.of_year(2004).count() == 79
    figures = case_figures(2005)
    assert figures.collective == 0 and figures.closed == 69
    assert figures.on_time_rate >= 90 and figures.satisfaction_rate >= 90
    assert set(Case.objects.values_list("community", flat=True)) == {community_a.pk, community_b.pk}
    assert len(set(Case.objects.values_list("category", flat=True))) >= 5
    letters = _letters(economy(year=2005))
    assert (letters.current, letters.previous) == (69, 79)
    assert round(float(letters.change) * 100, 1) == -12.7
    html = annual_report_html(year=2005)
    row = re.search(r"<tr><th scope=\"row\">来信来访</th>.*?</tr>", html, re.S).group(0)
    assert ">79<" in re.sub(r"\s", "", row) or "79" in row
    assert "69" in row and "12.7" in row
    paragraph = re.search(r'data-testid="report-letters">(.*?)</p>', html, re.S).group(1)
    assert "69" in paragraph and "79" in paragraph and "0" in paragraph
