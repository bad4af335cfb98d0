"""What the assessment pages show (who may open them: test_matrix.py)."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessment import selectors, services
from assessment.choices import Choice
from assessment.models import AppraisalCycle, BallotCode, OnlineTally, SlipJob, TrainingRecord
from tests.assessment.conftest import PDF
from tests.assessment.factories import TrainingEventFactory
from tests.communities.factories import CadreFactory, CommunityFactory

pytestmark = pytest.mark.django_db


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


def test_slips_pdf_is_built_by_a_task_and_has_every_unused_code(
    client, staff, session_a, tmp_path, django_capture_on_commit_callbacks
):
    import subprocess

    codes = services.ballot_codes_issue(actor=staff, session=session_a, count=3)
    services.ballot_cast(code=codes[0], ratings={c.pk: Choice.SATISFIED for c in selectors.ballot_cadres(session_a)})
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):  # the eager worker runs the task on commit
        response = client.post(reverse("assessment:session_slips", args=[session_a.pk]))
    assert response.url == session_a.get_absolute_url()
    job = SlipJob.objects.get()
    assert job.is_done and job.progress == 100 and job.slips == 2 and job.requested_by == staff
    page = client.get(session_a.get_absolute_url()).content.decode()
    download = reverse("assessment:slip_job_download", args=[job.pk])
    assert download in page and 'data-status="done"' in page
    response = client.get(download)
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


def test_slip_build_shows_progress_then_failure(client, staff, session_a, monkeypatch):
    from assessment import slips

    services.ballot_codes_issue(actor=staff, session=session_a, count=2)
    job = services.slip_job_request(actor=staff, session=session_a, base_url="https://example.invalid/ceping/")
    # pressing the button again while a build is queued: the same build
    assert services.slip_job_request(actor=staff, session=session_a, base_url="x") == job
    client.force_login(staff)
    panel = client.get(reverse("assessment:slip_job_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in panel.content.decode()  # queued: it polls

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(slips, "render_pdf", broken)
    slips.slip_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.is_failed and "no fonts" in job.error and not job.file
    panel = client.get(reverse("assessment:slip_job_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in panel and "no fonts" in panel
    assert client.get(reverse("assessment:slip_job_download", args=[job.pk])).status_code == 404
    # a failed build does not block the next one
    assert services.slip_job_request(actor=staff, session=session_a, base_url="x") != job


def test_slip_qr_codes_carry_the_code_only_after_the_hash(staff, session_a):
    """The QR code's address puts the code after "#": browsers never send it, so no log holds it."""
    from assessment import slips

    url = slips.slip_url("https://dangjian.example.invalid/ceping/", "ABCDEFGHJKLM")
    assert url == "https://dangjian.example.invalid/ceping/#ABCDEFGHJKLM"


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


def _token(page: str) -> str:
    return page.split('name="token" value="')[1].split('"')[0]


def test_public_vote_with_the_client(client, staff, session_a, cadres_a):
    [code] = services.ballot_codes_issue(actor=staff, session=session_a, count=1)
    # the code form answers with the ballot itself: no redirect to an address that names the code
    response = client.post(reverse("ceping:start"), {"code": services.format_code(code).lower()})
    assert response.status_code == 200 and response["Cache-Control"].count("no-store")
    page = response.content.decode()
    assert all(c.name in page for c in cadres_a) and "满意" in page
    assert f'action="{reverse("ceping:vote")}"' in page
    token = _token(page)
    incomplete = {"token": token, f"cadre_{cadres_a[0].pk}": Choice.SATISFIED}
    page = client.post(reverse("ceping:vote"), incomplete).content.decode()
    assert "请对每位干部作出评价后再提交" in page and not OnlineTally.objects.filter(count__gt=0).exists()
    assert _token(page) == token  # the ballot again, with the same token
    full = {"token": token} | {f"cadre_{c.pk}": Choice.BASIC for c in cadres_a}
    response = client.post(reverse("ceping:vote"), full)
    assert response.url == reverse("ceping:done")
    assert sum(OnlineTally.objects.values_list("count", flat=True)) == len(cadres_a)
    page = client.post(reverse("ceping:start"), {"code": code}).content.decode()
    assert "该测评码已使用" in page
    # the same ballot posted again: the code is spent, nothing more is counted
    page = client.post(reverse("ceping:vote"), full).content.decode()
    assert "该测评码已使用" in page
    assert sum(OnlineTally.objects.values_list("count", flat=True)) == len(cadres_a)


def test_a_forged_or_missing_token_opens_no_ballot(client, staff, session_a, cadres_a):
    [code] = services.ballot_codes_issue(actor=staff, session=session_a, count=1)
    full = {f"cadre_{c.pk}": Choice.BASIC for c in cadres_a}
    for token in ("", code, "x" * 40, f"{code}:forged"):
        response = client.post(reverse("ceping:vote"), {"token": token} | full)
        assert response.status_code == 200 and "测评码" in response.content.decode()
    assert not BallotCode.objects.get().spent
    assert client.get(reverse("ceping:vote")).status_code == 405


def test_guessing_codes_is_cut_off_but_a_valid_code_still_votes(client, staff, session_a, cadres_a):
    from assessment.public_views import CODE_ATTEMPTS_PER_HOUR

    [code] = services.ballot_codes_issue(actor=staff, session=session_a, count=1)
    for n in range(CODE_ATTEMPTS_PER_HOUR):
        response = client.post(reverse("ceping:start"), {"code": f"WRONG{n:07d}"})
        assert response.status_code == 200
    response = client.post(reverse("ceping:start"), {"code": "WRONG9999999"})
    assert response.status_code == 429
    assert "错误测评码输入次数过多" in response.content.decode()
    # the code on a slip is never refused by the guessing limit
    response = client.post(reverse("ceping:start"), {"code": code})
    assert response.status_code == 200 and "ballot-cadre" in response.content.decode()


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


def test_export_escapes_cells_a_spreadsheet_would_run(client, staff, closed):
    from communities.models import Cadre

    Cadre.objects.filter(name="张国华").update(post='=HYPERLINK("http://example.invalid")')
    Cadre.objects.filter(name="李秀英").update(post="\n+1")
    Cadre.objects.filter(name="王建明").update(post="'已有引号")
    client.force_login(staff)
    response = client.get(reverse("assessment:cycle_export", args=[closed.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)
    posts = {r[2]: r[3] for r in rows[1:]}
    assert posts["张国华"] == '\'=HYPERLINK("http://example.invalid")'
    assert posts["李秀英"] == "'\n+1"
    assert posts["王建明"] == "''已有引号"


def test_only_failed_code_look_ups_count_towards_the_limit(client, staff, session_a):
    from assessment.public_views import CODE_ATTEMPTS_PER_HOUR

    codes = services.ballot_codes_issue(actor=staff, session=session_a, count=10)

    def open_ballot(code):
        return client.post(reverse("ceping:start"), {"code": code}).status_code

    for _ in range(CODE_ATTEMPTS_PER_HOUR + 20):  # a room opening its ballots through one address
        assert open_ballot(codes[0]) == 200
    for n in range(CODE_ATTEMPTS_PER_HOUR - 1):
        assert open_ballot(f"WRONG{n:07d}") == 200
    assert open_ballot("WRONG9999998") == 200  # the 100th failure is still answered
    assert open_ballot("WRONG9999999") == 429  # from the 101st on: refused
    assert open_ballot(codes[1]) == 200  # a real code is not
