"""The permission matrix of the case ledger and the 四权 index: every URL of them (disclosure:case_*,
gongkai:case_*, gongkai:rights_*, the read counters) as every persona. A case of community A is 404
to community B's secretary; inspectors, auditors and the supervision committee have no part in the
ledger (403). test_views.py's coverage test reads the URL names requested here."""

import pytest
from django.urls import reverse

from disclosure import services
from disclosure.models import Case
from disclosure.services import board_for_community
from tests.disclosure.case_helpers import filed, recorded
from tests.disclosure.factories import residents_item
from tests.disclosure.test_public_pages import bulk_published
from tests.matrix import PERSONAS, PUBLIC, STAFF_ONLY, check_matrix, status_for

pytestmark = pytest.mark.django_db

HANDLERS = {**STAFF_ONLY, "secretary_a": 200, "secretary_b": 200}
HANDLERS_OF_A = {**STAFF_ONLY, "secretary_a": 200, "secretary_b": 404}
HANDLERS_OF_A_POST = {**STAFF_ONLY, "staff": 302, "secretary_a": 302, "secretary_b": 404}


@pytest.fixture(autouse=True)
def _generous_limits(settings):
    settings.CASE_FILINGS_PER_HOUR = 1000


def test_get_matrix(personas, community_a):
    case = filed(community_a).case  # a resident's own filing
    check_matrix(personas, reverse("disclosure:case_list"), HANDLERS)
    check_matrix(personas, reverse("disclosure:case_create"), HANDLERS)
    check_matrix(personas, reverse("disclosure:case_detail", args=[case.pk]), HANDLERS_OF_A)
    check_matrix(personas, reverse("gongkai:case_file"), PUBLIC)
    check_matrix(personas, reverse("gongkai:case_query"), PUBLIC)


@pytest.mark.parametrize(
    ("name", "data", "ready"),
    [
        ("disclosure:case_reply", {"reply": "已安排维修。"}, None),
        ("disclosure:case_assign", {"handler": "sec_a"}, None),
        ("disclosure:case_transfer", {"community": "B", "reason": "属丛树社区"}, None),
        ("disclosure:case_close", {}, "replied"),
    ],
)
def test_action_matrix(personas, community_a, community_b, staff, name, data, ready):
    data = {**data}
    if data.get("handler"):
        data["handler"] = personas["secretary_a"].pk
    if data.get("community"):
        data["community"] = community_b.pk
    for persona in PERSONAS:
        case = recorded(staff, community_a).case
        if ready == "replied":
            services.case_reply(actor=staff, case=case, reply="已答复")
        before = list(case.events.values_list("kind", flat=True))
        got = status_for(personas[persona], reverse(name, args=[case.pk]), "post", data)
        assert got == HANDLERS_OF_A_POST[persona], (name, persona)
        after = list(case.events.values_list("kind", flat=True))
        assert (after != before) == (persona in ("staff", "secretary_a")), (name, persona)


def test_record_post_matrix(personas, community_a):
    data = {
        "community": community_a.pk,
        "channel": "letter",
        "category": "housing",
        "received_on": "2005-03-07",
        "body": "来信反映屋顶漏水。",
        "contact": "",
    }
    expected = {**STAFF_ONLY, "staff": 302, "secretary_a": 302, "secretary_b": 200}  # B: the form refuses A
    for persona in PERSONAS:
        count = Case.objects.count()
        assert status_for(personas[persona], reverse("disclosure:case_create"), "post", data) == expected[persona]
        assert Case.objects.count() == count + (persona in ("staff", "secretary_a")), persona


def test_public_post_matrix(personas, community_a):
    data = {"community": community_a.pk, "category": "environment", "body": "路灯不亮。", "contact": ""}
    check_matrix(personas, reverse("gongkai:case_file"), PUBLIC, "post", data)
    assert Case.objects.count() == len(PERSONAS)
    new = filed(community_a)
    check_matrix(personas, reverse("gongkai:case_query"), PUBLIC, "post", {"code": new.code})


def test_lists_show_only_the_secretarys_own_community(client, community_a, community_b, staff, secretary_b):
    a_case = recorded(staff, community_a).case
    b_case = recorded(staff, community_b).case
    client.force_login(secretary_b)
    page = client.get(reverse("disclosure:case_list")).content.decode()
    assert b_case.number in page and a_case.number not in page


def test_rights_pages_and_read_counters_are_public(personas, community_a, staff):
    board = board_for_community(community=community_a)
    notice = bulk_published(board, residents_item(), staff, 1)[0]
    check_matrix(personas, reverse("gongkai:rights_index"), PUBLIC)
    check_matrix(personas, reverse("gongkai:rights_method"), PUBLIC)
    check_matrix(personas, reverse("gongkai:rights_community", args=[board.slug]), PUBLIC)
    check_matrix(personas, reverse("gongkai:notice_read", args=[notice.pk]), dict.fromkeys(PERSONAS, 204), "post")
    check_matrix(personas, reverse("gongkai:notice_qr", args=[notice.pk]), dict.fromkeys(PERSONAS, 302))
