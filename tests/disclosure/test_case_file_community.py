"""The filing page's community field: a list up to COMMUNITY_CHOICES_LIMIT communities, a box for
the community's full name past it, so the page does not grow with the city (3,000 communities)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure import case_forms
from disclosure.models import Case
from tests.communities.factories import CommunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_the_limit(monkeypatch, community_a, community_b):
    monkeypatch.setattr(case_forms, "COMMUNITY_CHOICES_LIMIT", 1)


def test_past_the_limit_the_page_has_a_name_box_and_no_list(client, past_the_limit, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        page = client.get(reverse("gongkai:case_file"))
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="case-community-name"' in text
    assert '<select name="community"' not in text
    assert "秀水社区" not in text and "丛树社区" not in text
    assert "请输入所在社区的全称" in text


def test_a_case_filed_by_name_lands_on_that_community(client, past_the_limit, community_b):
    page = client.post(
        reverse("gongkai:case_file"),
        {"community": " 丛树社区 ", "category": "environment", "body": "垃圾桶满了没人清", "contact": "13812345678"},
    )
    case = Case.objects.get()
    assert page.status_code == 200 and case.number in page.content.decode()
    assert case.community == community_b and case.body == "垃圾桶满了没人清"


def test_an_unknown_name_says_so_keeps_the_input_and_files_nothing(client, past_the_limit):
    page = client.post(
        reverse("gongkai:case_file"),
        {"community": "秀水", "category": "environment", "body": "路灯坏了三天", "contact": "13812345678"},
    )
    text = page.content.decode()
    assert page.status_code == 400
    assert "没有名为“秀水”的社区，请核对社区全称。" in text
    assert 'value="秀水"' in text and "路灯坏了三天" in text
    assert not Case.objects.exists()


def test_the_name_box_error_is_escaped(client, past_the_limit):
    page = client.post(reverse("gongkai:case_file"), {"community": "<b>x</b>", "category": "other", "body": "正常诉求"})
    assert page.status_code == 400 and "<b>x</b>" not in page.content.decode()
    assert not Case.objects.exists()


def test_the_page_queries_do_not_grow_with_the_communities(client, past_the_limit):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("gongkai:case_file")).status_code == 200
        return len(captured)

    few = queries()
    CommunityFactory.create_batch(20)
    assert queries() == few


def test_below_the_limit_the_list_still_files(client, community_a, community_b, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        page = client.get(reverse("gongkai:case_file"))
    text = page.content.decode()
    assert '<select name="community"' in text and "秀水社区" in text and "丛树社区" in text
    assert 'data-testid="case-community-name"' not in text
    page = client.post(
        reverse("gongkai:case_file"), {"community": community_a.pk, "category": "environment", "body": "垃圾桶满了"}
    )
    assert page.status_code == 200 and Case.objects.get().community == community_a
