"""The case pages as people use them: the resident's filing and look-up (only that case, never the
contact or the handler), bad input and limits, the staff list's masking and flat query count, and
the change log's masking."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from disclosure import services
from disclosure.models import Case
from tests.disclosure.case_helpers import filed, recorded

pytestmark = pytest.mark.django_db


def test_filing_shows_the_number_and_the_code_once(client, community_a, secretary_a):
    page = client.post(
        reverse("gongkai:case_file"),
        {"community": community_a.pk, "category": "environment", "body": "垃圾桶满了没人清", "contact": "13812345678"},
    )
    case = Case.objects.get()
    text = page.content.decode()
    assert page.status_code == 200 and case.number in text
    assert "13812345678" not in text
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    code = text.split('data-testid="case-code">')[1].split("<")[0]
    assert services.case_by_code(code) == case


def test_bad_filings_say_why_in_chinese_and_keep_nothing(client, community_a, settings):
    page = client.post(reverse("gongkai:case_file"), {"community": community_a.pk, "category": "x", "body": ""})
    assert page.status_code == 400 and "这个字段是必填项" in page.content.decode()
    page = client.post(
        reverse("gongkai:case_file"),
        {"community": community_a.pk, "category": "other", "body": "请回电 13812345678"},
    )
    assert page.status_code == 400 and "联系方式" in page.content.decode()
    honeypot = {"community": community_a.pk, "category": "other", "body": "机器人", "website": "http://spam"}
    assert client.post(reverse("gongkai:case_file"), honeypot).status_code == 200
    assert not Case.objects.exists()
    settings.CASE_FILINGS_PER_HOUR = 2
    ok = {"community": community_a.pk, "category": "other", "body": "正常诉求"}
    assert [client.post(reverse("gongkai:case_file"), ok).status_code for _i in range(3)] == [200, 200, 429]
    assert Case.objects.count() == 2


def test_the_code_shows_only_its_own_case_and_no_contact_or_handler(client, community_a, staff, secretary_a):
    mine = filed(community_a, body="我家门口的路灯坏了", contact="13812345678")
    other = filed(community_a, body="邻居的另一件事", contact="13987654321")
    services.case_assign(actor=staff, case=mine.case, handler=secretary_a)
    services.case_reply(actor=secretary_a, case=mine.case, reply="已报修。")
    page = client.post(reverse("gongkai:case_query"), {"code": mine.code}).content.decode()
    assert mine.case.number in page and "我家门口的路灯坏了" in page and "已报修。" in page
    assert other.case.number not in page and "邻居的另一件事" not in page
    for secret in ("13812345678", "138****5678", "13987654321", secretary_a.username, staff.username):
        assert secret not in page
    assert mine.code not in client.get(reverse("gongkai:case_query")).content.decode()


def test_wrong_codes_are_refused_and_limited(client, community_a, settings):
    new = filed(community_a)
    settings.CASE_LOOKUPS_PER_HOUR = 3
    statuses = [client.post(reverse("gongkai:case_query"), {"code": "ABCD-EFGH-JKLM"}).status_code for _i in range(4)]
    assert statuses == [404] * 4
    last = client.post(reverse("gongkai:case_query"), {"code": "ABCD-EFGH-JKLM"}).content.decode()
    assert "输错查询码次数过多" in last
    assert client.post(reverse("gongkai:case_query"), {"code": new.code}).status_code == 200  # a valid code works


def test_rating_and_reopening_through_the_page(client, community_a, staff):
    new = filed(community_a)
    services.case_reply(actor=staff, case=new.case, reply="已处理")
    url = reverse("gongkai:case_query")
    page = client.post(url, {"action": "rate", "code": new.code, "satisfaction": "satisfied"})
    assert page.status_code == 400 and "办结后才能评价" in page.content.decode()
    services.case_close(actor=staff, case=new.case)
    assert client.post(url, {"action": "rate", "code": new.code, "satisfaction": "satisfied"}).status_code == 200
    page = client.post(url, {"action": "reopen", "code": new.code, "reason": "灯又坏了"})
    assert page.status_code == 200
    new.case.refresh_from_db()
    assert new.case.is_open and new.case.reopen_count == 1 and new.case.satisfaction == ""


def test_the_staff_list_masks_the_contact_and_its_queries_do_not_grow(
    client, community_a, community_b, staff, django_assert_max_num_queries
):
    recorded(staff, community_a, contact="13812345678")
    client.force_login(staff)
    url = reverse("disclosure:case_list")
    with django_assert_max_num_queries(30) as few:
        page = client.get(url).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    for n in range(25):
        recorded(staff, community_a if n % 2 else community_b, received_on=date(2005, 3, 1 + n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    detail = client.get(reverse("disclosure:case_detail", args=[Case.objects.get(contact="13812345678").pk]))
    assert "13812345678" in detail.content.decode()  # the handler needs it to call back


def test_the_change_log_masks_the_contact_and_leaves_out_the_code(community_a, staff):
    new = recorded(staff, community_a, contact="13812345678")
    entry = LogEntry.objects.get_for_object(new.case).first()
    text = str(entry.changes)
    assert "13812345678" not in text and "138****5678" in text
    assert new.case.query_hash not in text and "query_hash" not in text
