"""Production smoke test: the portal as deploy/ and docs/deploy.md set it up — DEBUG off, the
manifest static storage after collectstatic, gunicorn, a Celery worker and beat on Redis, nginx
with TLS in front, a fresh PostgreSQL database with the 2005 demo — driven in Chromium through
nginx over HTTPS. Marked `production`; part of `make test`."""

import http.client
import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.production.stack import DEMO_PASSWORD, ProductionStack

pytestmark = pytest.mark.production

NOTICE_TITLE = "2005年第四季度党员活动经费公示（部署检查）"


@pytest.fixture(scope="module")
def stack():
    with ProductionStack() as stack:
        stack.prepare(seed=True)
        stack.start_web()
        stack.start_worker()
        stack.start_beat()
        stack.start_nginx()
        try:
            yield stack
        finally:  # shown by pytest when the test failed: what each process said
            for name in ("web", "worker", "beat", "nginx"):
                print(f"----- {name} -----\n{stack.log(name)[-6000:]}")


def new_page(browser, stack, **options):
    context = browser.new_context(base_url=stack.url, locale="zh-CN", ignore_https_errors=True, **options)
    page = context.new_page()
    page.set_default_timeout(20000)
    return page


def login(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").last.click()
    page.wait_for_load_state()
    assert "退出" in page.content(), f"{username} could not sign in"
    assert page.url.endswith("/todo/"), page.url  # everyone lands on 我的待办


def click(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def test_the_deployed_portal_serves_a_day_of_work(stack, browser, tmp_path):
    # -- the rendered units are valid systemd units (what `systemctl daemon-reload` would load)
    units = sorted(str(p) for p in (stack.root / "conf" / "systemd").glob("*.service"))
    verify = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True)
    assert verify.returncode == 0 and not verify.stderr.strip(), verify.stderr

    # -- nginx: HTTPS only, static files from STATIC_ROOT under their hashed names, no media
    staff = new_page(browser, stack)
    response = staff.goto("/")
    assert response.status == 200 and response.url.startswith("https://")
    assert response.headers.get("strict-transport-security")  # HTTPS=true from the env file
    assert "Traceback" not in staff.content() and "DEBUG" not in staff.content()
    stylesheet = staff.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), stylesheet  # the manifest storage
    css = staff.request.get(stylesheet)
    assert css.ok and "immutable" in css.headers["cache-control"]  # served by nginx's /static/
    assert staff.request.get("/media/reports/").status == 404
    assert staff.request.get("/no-such-page/").status == 404  # DEBUG off: no URL list
    plain = http.client.HTTPConnection("localhost", stack.http_port, timeout=10)
    plain.request("GET", "/subdistrict/reports/", headers={"Host": "localhost"})
    redirect = plain.getresponse()
    assert redirect.status == 301 and redirect.getheader("Location") == "https://localhost/subdistrict/reports/"

    # -- a secretary files a monthly update; staff accept it
    secretary = new_page(browser, stack)
    username, community = _demo_secretary(stack)
    login(secretary, username)
    secretary.goto("/communities/monthly/new/?period=2006-01")
    secretary.get_by_label("本月重点工作").fill("年终总结，部署检查月报。")
    secretary.get_by_label("党员活动情况").fill(
        "全体党员集中学习。"
    )  # the label carries the * of a text required to submit
    secretary.get_by_label("存在问题和困难").fill("活动场地不足。")
    secretary.get_by_label("下月工作计划").fill("召开党员大会。")
    secretary.get_by_label("参加人次").fill("40")
    click(secretary, "保存草稿")
    assert "草稿已保存" in secretary.content()
    click(secretary, "提交")
    assert "月报已提交" in secretary.content(), secretary.locator("main").inner_text()[:2000]
    update_url = secretary.url

    login(staff, "staff")
    staff.goto(update_url)
    click(staff, "通过")
    assert "月报已审核通过" in staff.content()
    # counted at once in MonthlyTally (the dashboard's 报送率), as a recount of the month finds it
    kept = stack.sql(
        "SELECT draft, submitted, returned, accepted FROM communities_monthlytally WHERE period = %s", ["2006-01-01"]
    )
    recounted = stack.sql(
        "SELECT COUNT(*) FILTER (WHERE status = 'draft'), COUNT(*) FILTER (WHERE status = 'submitted'),"
        " COUNT(*) FILTER (WHERE status = 'returned'), COUNT(*) FILTER (WHERE status = 'accepted')"
        " FROM communities_monthlyupdate WHERE period = %s",
        ["2006-01-01"],
    )
    assert kept == recounted and kept[0][3] >= 1

    # -- a notice: drafted by the secretary, reviewed and approved by two staff, published
    secretary.goto("/disclosure/notices/new/")
    options = secretary.locator("#id_catalog_item option").all()
    choice = next(o for o in options if o.get_attribute("value") and "财务" not in o.inner_text())
    secretary.select_option("#id_catalog_item", choice.get_attribute("value"))
    secretary.fill("#id_title", NOTICE_TITLE)
    secretary.fill("#id_body", "<p>第四季度党员活动经费共支出 3,600 元。</p>")
    secretary.fill("#id_period_start", "2005-10-01")
    secretary.locator("input[type=submit]").click()
    secretary.wait_for_load_state()
    assert "草稿已保存" in secretary.content()
    notice_url = secretary.url
    click(secretary, "提交审核")
    staff.goto(notice_url)
    click(staff, "保密审核通过")
    approver = new_page(browser, stack)
    login(approver, "shenpi")
    approver.goto(notice_url)
    click(approver, "审批通过")
    click(approver, "发布")
    assert approver.get_by_test_id("notice-status").inner_text() == "已发布"
    # counted at once for 公开及时率 (FirstPublicationDay, kept by the deployed code as notices change),
    # and the staff timeliness page of that year opens on it
    (kept, boards), *_ = stack.sql(
        "SELECT (SELECT SUM(d.boards) FROM disclosure_firstpublicationday d"
        "        WHERE d.catalog_item_id = n.catalog_item_id AND d.period_start = n.period_start),"
        "       (SELECT COUNT(DISTINCT m.board_id) FROM disclosure_notice m WHERE m.status = 'published'"
        "        AND m.catalog_item_id = n.catalog_item_id AND m.period_start = n.period_start)"
        " FROM disclosure_notice n WHERE n.title = %s",
        [NOTICE_TITLE],
    )
    assert kept == boards >= 1
    timeliness = staff.goto("/disclosure/timeliness/?year=2005")
    assert timeliness.ok and staff.get_by_test_id("timeliness-total").inner_text().strip()

    # -- a resident reads it on a phone, signed in as nobody
    phone = new_page(browser, stack, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.goto("/gongkai/")
    phone.get_by_role("link", name=f"{community}公开栏").click()
    phone.get_by_role("link", name=NOTICE_TITLE).click()
    phone.wait_for_load_state()
    assert "3,600 元" in phone.get_by_test_id("notice-body").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    assert "退出" not in phone.content()

    # -- files a 诉求 (a form posted through nginx over HTTPS: CSRF and the rate limit as deployed)
    # and follows it with the query code; then the 四权 index and a decision trail, kept pages
    phone.goto("/gongkai/suqiu/")
    phone.select_option("#id_community", label=community)
    phone.select_option("#id_category", "environment")
    phone.fill("#id_body", "三组路灯坏了一个月，晚上出行不便。")
    phone.fill("#id_contact", "13812345678")
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_load_state()
    code = phone.get_by_test_id("case-code").inner_text()
    phone.goto("/gongkai/suqiu/chaxun/")
    phone.fill("#id_code", code)
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_load_state()
    assert phone.get_by_test_id("case-state").inner_text() == "办理中", phone.locator("main").inner_text()[:2000]
    assert "13812345678" not in phone.content()
    index = phone.goto("/gongkai/siquan/")
    assert index.ok and index.headers.get("etag") and community in phone.get_by_test_id("rights-table").inner_text()
    phone.get_by_role("link", name=community, exact=True).click()
    phone.wait_for_load_state()
    assert phone.get_by_test_id("rights-chart").count() == 1
    (board,) = stack.sql("SELECT slug FROM disclosure_board WHERE community_id IS NULL")[0]
    meetings = phone.goto(f"/gongkai/{board}/yishi/")
    assert meetings.ok and meetings.headers.get("etag")
    phone.get_by_test_id("public-meeting").first.click()
    phone.wait_for_load_state()
    assert phone.get_by_test_id("trail-opinions").count() == 1

    # -- staff build the 2005 annual report: the worker (not the web process) makes it
    staff.goto("/subdistrict/reports/")
    staff.get_by_label("年度").select_option("2005")
    staff.get_by_role("button", name="生成").click()
    staff.wait_for_load_state()
    download_link = staff.get_by_role("link", name="下载 PDF")
    failed = staff.get_by_text("生成失败")
    download_link.or_(failed).wait_for(timeout=180000)
    assert not failed.count(), staff.locator("#report-progress").inner_text()
    with staff.expect_download() as download_info:
        download_link.click()
    pdf = tmp_path / "report.pdf"
    download_info.value.save_as(pdf)
    report_id = re.search(r"/reports/(\d+)/", staff.url)[1]
    worker_log = stack.log("worker")
    assert re.search(rf"task start name=jiedao.annual_report_build id=\S+ report_id={report_id}\b", worker_log)
    assert re.search(
        rf"task end name=jiedao.annual_report_build id=\S+ report_id={report_id} state=SUCCESS", worker_log
    )

    # -- the PDF as a reader gets it: cover, contents, the seed's figures, Noto Sans CJK SC only
    assert pdf.read_bytes().startswith(b"%PDF")
    cover = _pdf_text(pdf, first=1, last=1)
    assert "2005" in cover and "龙潭街道" in cover and "目录" not in cover and "第1页" not in cover
    assert "目录" in _pdf_text(pdf, first=2, last=2)
    text = _pdf_text(pdf)
    assert "723.76万元" in text and "+60.8%" in text and "5,406元" in text
    for heading in ("概况", "一、队伍建设", "二、示范点创建", "三、基层民主政治建设", "四、经济社会发展", "附表"):
        assert heading in text
    # sections numbered by the chapter's CSS counter, and the chapter staff edit before the build
    assert "（五）公推直选" in text and "五、存在问题和下步打算" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert names and all(name.startswith("Noto-Sans-CJK-SC") for name in names), fonts

    # -- the operator's logs: a line per request with nginx's request id and the user's id, never
    # a name; no traceback anywhere
    response = staff.request.get("/subdistrict/reports/")
    request_id = response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # made by nginx ($request_id)
    web_log = stack.log("web")
    (staff_id,) = stack.sql("SELECT id FROM auth_user WHERE username = 'staff'")[0]
    line = re.search(
        rf"request id={request_id} user=(\S+) method=GET path=/subdistrict/reports/ status=200 duration_ms=\d+", web_log
    )
    assert line and line[1] == str(staff_id), web_log[-3000:]
    assert username not in web_log and "shenpi" not in web_log
    for name in ("web", "worker", "beat"):
        assert "Traceback" not in stack.log(name), stack.log(name)[-4000:]

    # -- an upgrade's graceful reload (systemctl reload jiedao-web: HUP): readers see no error
    booted = stack.log("web").count("Booting worker")
    reader = new_page(browser, stack)
    stack.reload("web")
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline:
        assert reader.request.get("/gongkai/").status == 200
    assert stack.log("web").count("Booting worker") >= booted + 2  # both workers replaced
    assert reader.request.get("/gongkai/").status == 200


def _demo_secretary(stack) -> tuple[str, str]:
    """The demo secretary of the first community (jiedao.demo.secretary_username) and its name."""
    code, name = stack.sql("SELECT code, name FROM communities_community ORDER BY code LIMIT 1")[0]
    return f"shuji-{code.lower()}", name


def _pdf_text(path: Path, *, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    text = subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", text)
