"""Every assessment URL × every persona, and what the pages show."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse
from openpyxl import load_workbook

from assessment import selectors, services
from assessment import urls as assessment_urls
from assessment.choices import Choice
from assessment.models import AppraisalCycle, Ballot, BallotSession, TrainingRecord
from tests.assessment.conftest import score
from tests.assessment.factories import TrainingEventFactory
from tests.communities.factories import CadreFactory, CommunityFactory
from tests.matrix import check_matrix

pytestmark = pytest.mark.django_db

STAFF_ONLY = {
    "anonymous": 302,
    "resident": 403,
    "secretary_a": 403,
    "secretary_b": 403,
    "staff": 200,
    "inspector": 403,
    "auditor": 403,
}
STAFF_POST = {**STAFF_ONLY, "staff": 302}
OWN_WHEN_CLOSED = {**STAFF_ONLY, "secretary_a": 200, "secretary_b": 404}
OWN_NOT_YET = {**STAFF_ONLY, "secretary_a": 404, "secretary_b": 404}
SECRETARIES = {**STAFF_ONLY, "staff": 403, "secretary_a": 200, "secretary_b": 200}
PUBLIC = dict.fromkeys(STAFF_ONLY, 200)

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def closed(staff, open_cycle, session_a, cadres_a):
    """The 2005 appraisal closed with paper results; a work-report file on 张国华's appraisal."""
    counts = {c.pk: (6, 1, 1) for c in cadres_a}
    services.paper_tally_save(actor=staff, session=session_a, present=8, valid=8, invalid=0, counts=counts)
    for appraisal in open_cycle.appraisals.all():
        score(staff, appraisal, committee=90, target=88)
    appraisal = open_cycle.appraisals.get(cadre__name="张国华")
    services.appraisal_save(
        actor=staff, appraisal=appraisal, report_upload=SimpleUploadedFile("述职.pdf", PDF, "application/pdf")
    )
    services.cycle_close(actor=staff, cycle=open_cycle)
    open_cycle.refresh_from_db()
    return open_cycle


@pytest.fixture
def later(staff, cadres_a):
    """The 2006 appraisal, in progress, with a session for 秀水."""
    cycle = services.cycle_save(actor=staff, cycle=AppraisalCycle(year=2006))
    services.cycle_start(actor=staff, cycle=cycle)
    session = services.session_save(
        actor=staff, session=BallotSession(cycle=cycle, community=cadres_a[0].community, expected_voters=5)
    )
    return cycle, session


def all_url_names():
    return {p.name for p in assessment_urls.urlpatterns if isinstance(p, URLPattern)}


def test_permission_matrix_over_every_assessment_url(personas, closed, later, community_a, community_b, staff):
    cycle_2006, session_2006 = later
    appraisal = closed.appraisals.get(cadre__name="张国华")
    appraisal_2006 = cycle_2006.appraisals.get(cadre__name="张国华")
    session = closed.sessions.get()
    event = TrainingEventFactory()
    record = services.training_record_save(actor=staff, record=TrainingRecord(event=event, cadre=appraisal.cadre))
    draft = services.cycle_save(actor=staff, cycle=AppraisalCycle(year=2007))
    checked = set()

    def check(name, args, expected, method="get", data=None):
        checked.add(name)
        check_matrix(personas, reverse(f"assessment:{name}", args=args), expected, method, data)

    check("cycle_list", [], STAFF_ONLY)
    check("cycle_create", [], STAFF_ONLY)
    check("cycle_detail", [closed.pk], STAFF_ONLY)
    check("cycle_update", [cycle_2006.pk], STAFF_ONLY)
    check("cycle_results", [closed.pk], STAFF_ONLY)
    check("cycle_export", [closed.pk], STAFF_ONLY)
    check("cycle_recalculate", [cycle_2006.pk], STAFF_POST, "post")
    check("cycle_start", [draft.pk], STAFF_POST, "post")
    check("cycle_close", [draft.pk], STAFF_POST, "post")
    check("session_create", [cycle_2006.pk], STAFF_ONLY)
    check("session_detail", [session.pk], STAFF_ONLY)
    check("session_update", [session_2006.pk], STAFF_ONLY)
    check("session_paper", [session_2006.pk], STAFF_ONLY)
    check("session_slips", [session.pk], STAFF_ONLY)
    check("session_codes_issue", [session_2006.pk], STAFF_POST, "post", {"count": 1})
    check("session_close_voting", [session_2006.pk], STAFF_POST, "post")
    check("appraisal_update", [appraisal_2006.pk], STAFF_ONLY)
    check("training_event_list", [], STAFF_ONLY)
    check("training_event_create", [], STAFF_ONLY)
    check("training_event_detail", [event.pk], STAFF_ONLY)
    check("training_event_update", [event.pk], STAFF_ONLY)
    check("training_hours", [], STAFF_ONLY)
    check("training_record_delete", [record.pk], STAFF_POST, "post")
    check("training_event_delete", [TrainingEventFactory().pk], STAFF_POST, "post")
    check("my_results", [], SECRETARIES)
    # a secretary reads their own community's results once the cycle is closed; nothing of another
    check("community_results", [closed.pk, community_a.pk], OWN_WHEN_CLOSED)
    check("appraisal_detail", [appraisal.pk], OWN_WHEN_CLOSED)
    check("appraisal_report_file", [appraisal.pk], OWN_WHEN_CLOSED)
    check("community_results", [cycle_2006.pk, community_a.pk], OWN_NOT_YET)
    check("appraisal_detail", [appraisal_2006.pk], OWN_NOT_YET)
    check_matrix(
        personas,
        reverse("assessment:community_results", args=[closed.pk, community_b.pk]),
        {**STAFF_ONLY, "secretary_a": 404, "secretary_b": 200},
    )
    # a closed cycle's forms are gone
    check_matrix(personas, reverse("assessment:cycle_update", args=[closed.pk]), {**STAFF_ONLY, "staff": 404})
    check_matrix(personas, reverse("assessment:appraisal_update", args=[appraisal.pk]), {**STAFF_ONLY, "staff": 404})
    check_matrix(personas, reverse("assessment:session_paper", args=[session.pk]), {**STAFF_ONLY, "staff": 404})
    # attendance import, export and template: tests/assessment/test_import.py
    assert checked | {"attendance_import", "attendance_export", "attendance_template"} == all_url_names()
    for name in ("ceping:start", "ceping:done"):
        check_matrix(personas, reverse(name), PUBLIC)


def test_secretary_sees_only_own_cadres_in_results(client, secretary_a, closed):
    client.force_login(secretary_a)
    page = client.get(reverse("assessment:my_results")).content.decode()
    assert "2005年度考核" in page
    page = client.get(
        reverse("assessment:community_results", args=[closed.pk, secretary_a.profile.community_id])
    ).content.decode()
    assert "张国华" in page and "陈丛树" not in page
    assert "应到10人，实到8人，有效票8张，废票0张" in page


def test_report_file_is_served_as_attachment(client, staff, closed):
    client.force_login(staff)
    appraisal = closed.appraisals.get(cadre__name="张国华")
    response = client.get(reverse("assessment:appraisal_report_file", args=[appraisal.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF


def test_report_file_must_really_be_a_document(client, staff, open_cycle):
    client.force_login(staff)
    appraisal = open_cycle.appraisals.get(cadre__name="李秀英")
    response = client.post(
        reverse("assessment:appraisal_update", args=[appraisal.pk]),
        {"report_text": "述职内容", "score_de": "88", "upload": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "只能上传PDF、Word、JPEG或PNG文件" in page and "述职内容" in page  # what was typed is kept
    appraisal.refresh_from_db()
    assert appraisal.report_text == "" and not appraisal.report_file


def test_cycle_form_refuses_weights_not_adding_to_100(client, staff):
    client.force_login(staff)
    data = {
        "year": 2006, "weight_committee": 30, "weight_democratic": 30, "weight_target": 30,
        "band_excellent": 90, "band_competent": 80, "band_basic": 70,
        "pay_excellent": "1.2", "pay_competent": "1", "pay_basic": "0.8", "pay_incompetent": "0.5",
        "points_satisfied": 100, "points_basic": 60, "points_unsatisfied": 0,
    }  # fmt: skip
    response = client.post(reverse("assessment:cycle_create"), data)
    assert "三项权重之和必须为100" in response.content.decode()
    assert not AppraisalCycle.objects.exists()
    data["weight_target"] = 40
    response = client.post(reverse("assessment:cycle_create"), data)
    assert response.status_code == 302 and AppraisalCycle.objects.get().weight_target == 40


def test_results_page_ranks_and_distributes(client, staff, closed):
    client.force_login(staff)
    response = client.get(reverse("assessment:cycle_results", args=[closed.pk]))
    page = response.content.decode()
    # 秀水's cadres: democratic (6×100 + 1×60 + 1×0) / 8 = 82.5; 90×20% + 82.5×30% + 88×50% = 86.75 → 称职
    ranking = page.split('data-testid="ranking"')[1].split("</table>")[0]
    assert ranking.count("86.75") == 3
    # 陈丛树 of 丛树 had no democratic evaluation: no total, no grade, ranked last
    assert ranking.rindex("陈丛树") > ranking.rindex("王建明")
    assert response.context["distribution"] == {"优秀": 0, "称职": 3, "基本称职": 0, "不称职": 0}


def test_export_is_a_workbook_with_every_cadre(client, staff, closed):
    client.force_login(staff)
    response = client.get(reverse("assessment:cycle_export", args=[closed.pk]))
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].values)
    assert rows[0][:4] == ("名次", "社区", "姓名", "职务")
    names = {r[2] for r in rows[1:]}
    assert {"张国华", "李秀英", "王建明", "陈丛树"} == names
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "private, no-store"


def test_slips_pdf_has_every_unused_code(client, staff, session_a, tmp_path):
    import subprocess

    codes = services.ballot_codes_issue(actor=staff, session=session_a, count=3)
    services.ballot_cast(code=codes[0], ratings={c.pk: Choice.SATISFIED for c in selectors.ballot_cadres(session_a)})
    client.force_login(staff)
    response = client.get(reverse("assessment:session_slips", args=[session_a.pk]))
    assert response["Content-Type"] == "application/pdf"
    # live voting codes: a protected download, never kept in a shared cache
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    (tmp_path / "slips.pdf").write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", str(tmp_path / "slips.pdf"), "-"], capture_output=True, text=True).stdout
    assert services.format_code(codes[0]) not in text  # spent: no slip
    assert all(services.format_code(c) in text for c in codes[1:])
    assert "秀水社区" in text and "/ceping/" in text


def test_paper_form_shows_errors_and_keeps_input(client, staff, session_a, cadres_a):
    client.force_login(staff)
    data = {"paper_present": 6, "paper_valid": 6, "paper_invalid": 0}
    for c in cadres_a:
        data |= {f"c{c.pk}_satisfied": 4, f"c{c.pk}_basic": 1, f"c{c.pk}_unsatisfied": 0}
    response = client.post(reverse("assessment:session_paper", args=[session_a.pk]), data)
    page = response.content.decode()
    assert "三项票数合计5张" in page or "三项票数合计5" in page
    assert 'value="4"' in page
    session_a.refresh_from_db()
    assert session_a.paper_present == 0
    for c in cadres_a:
        data[f"c{c.pk}_unsatisfied"] = 1
    response = client.post(reverse("assessment:session_paper", args=[session_a.pk]), data)
    assert response.status_code == 302
    session_a.refresh_from_db()
    assert (session_a.paper_present, session_a.paper_valid) == (6, 6)


def test_public_vote_with_the_client(client, staff, session_a, cadres_a):
    [code] = services.ballot_codes_issue(actor=staff, session=session_a, count=1)
    response = client.post(reverse("ceping:start"), {"code": services.format_code(code).lower()})
    assert response.url == reverse("ceping:ballot", args=[code])
    page = client.get(response.url).content.decode()
    assert all(c.name in page for c in cadres_a) and "满意" in page
    incomplete = {f"cadre_{cadres_a[0].pk}": Choice.SATISFIED}
    page = client.post(reverse("ceping:ballot", args=[code]), incomplete).content.decode()
    assert "请对每位干部作出评价后再提交" in page and not Ballot.objects.exists()
    full = {f"cadre_{c.pk}": Choice.BASIC for c in cadres_a}
    response = client.post(reverse("ceping:ballot", args=[code]), full)
    assert response.url == reverse("ceping:done")
    assert Ballot.objects.count() == 1
    page = client.post(reverse("ceping:start"), {"code": code}).content.decode()
    assert "该测评码已使用" in page


def test_guessing_codes_is_cut_off(client, staff, session_a, settings):
    [code] = services.ballot_codes_issue(actor=staff, session=session_a, count=1)
    from django.core.cache import cache

    cache.clear()
    from assessment.public_views import CODE_ATTEMPTS_PER_HOUR

    for n in range(CODE_ATTEMPTS_PER_HOUR):
        response = client.post(reverse("ceping:start"), {"code": f"WRONG{n:07d}"})
        assert response.status_code == 200
    response = client.post(reverse("ceping:start"), {"code": code})  # even the right code, for an hour
    assert response.status_code == 429
    assert "错误测评码输入次数过多" in response.content.decode()
    assert client.get(reverse("ceping:ballot", args=[code])).status_code == 429
    cache.clear()


def test_cycle_pages_query_count_does_not_grow(client, staff, django_assert_max_num_queries):
    client.force_login(staff)

    def build(n):
        for i in range(n):
            community = CommunityFactory()
            for j in range(3):
                CadreFactory(community=community, name=f"干部{i}-{j}")
        return community

    build(2)
    cycle = services.cycle_save(actor=staff, cycle=AppraisalCycle(year=2005))
    services.cycle_start(actor=staff, cycle=cycle)
    urls = [
        reverse("assessment:cycle_detail", args=[cycle.pk]),
        reverse("assessment:cycle_results", args=[cycle.pk]),
        reverse("assessment:cycle_list"),
        reverse("assessment:training_hours") + "?year=2005",
    ]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(30) as captured:
            client.get(url)
        counts[url] = len(captured.captured_queries)
    services.cycle_save(actor=staff, cycle=AppraisalCycle(year=2004))
    build(10)  # ten more communities, thirty more cadres; the 2005 appraisal starts over with all of them
    cycle.delete()
    cycle = services.cycle_save(actor=staff, cycle=AppraisalCycle(year=2005))
    services.cycle_start(actor=staff, cycle=cycle)
    assert cycle.appraisals.count() == 36
    urls[0] = reverse("assessment:cycle_detail", args=[cycle.pk])
    urls[1] = reverse("assessment:cycle_results", args=[cycle.pk])
    for before, url in zip(counts.values(), urls, strict=True):
        with django_assert_max_num_queries(before):
            assert client.get(url).status_code == 200


def test_training_pages_list_below_minimum(client, staff, cadres_a):
    event = TrainingEventFactory(hours=30)
    services.training_record_save(actor=staff, record=TrainingRecord(event=event, cadre=cadres_a[0]))
    client.force_login(staff)
    response = client.post(reverse("assessment:training_hours") + "?year=2005", {"minimum_hours": "24"})
    assert response.status_code == 302
    page = client.get(reverse("assessment:training_hours") + "?year=2005").content.decode()
    assert "2名干部未达最低学时" in page
    below = page.split('data-testid="below-minimum"')[1].split("</ul>")[0]
    assert "李秀英" in below and "王建明" in below and "张国华" not in below
    assert Decimal(selectors.minimum_hours(2005)) == 24
