"""党费 imports (bases and payments) on jiedao.imports: all or nothing, every bad row listed,
amounts assessed from the rate table, an export re-imports unchanged."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import DuesBase, DuesPayment
from communities.party_life_resources import DuesBaseResource, DuesPaymentResource
from jiedao import imports
from tests.communities.factories import PartyMemberFactory

pytestmark = pytest.mark.django_db


def csv_file(*lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("党费.csv", ("\n".join(lines) + "\n").encode("utf-8"), "text/csv")


@pytest.fixture
def members(community_a):
    return [PartyMemberFactory(community=community_a, name=n) for n in ("张国华", "李秀英")]


def test_bases_are_assessed_and_a_bad_row_writes_nothing(staff, members):
    header = "社区,姓名,起始月份,类别,月基数(元)"
    bad = imports.run_import(
        DuesBaseResource(actor=staff),
        csv_file(
            header,
            "秀水社区,张国华,2005-01,在职,3000",
            "秀水社区,无此人,2005-01,在职,1",
            "A01,李秀英,2005-01,退休工人,1",
        ),
    )
    assert not bad.ok and bad.bad_lines == [3, 4] and not DuesBase.objects.exists()
    good = imports.run_import(
        DuesBaseResource(actor=staff),
        csv_file(header, "秀水社区,张国华,2005-01,在职,3000", "A01,李秀英,2005年3月,离退休,5000.01"),
    )
    assert good.ok and good.created == 2
    amounts = dict(DuesBase.objects.values_list("member__name", "monthly_amount"))
    assert amounts == {"张国华": Decimal("15.00"), "李秀英": Decimal("50.00")}
    assert DuesBase.objects.get(member__name="李秀英").effective_from == date(2005, 3, 1)


def test_payments_move_forward_and_reimport_unchanged(staff, members):
    header = "社区,姓名,金额(元),交纳日期,交至年月"
    rows = csv_file(header, "秀水社区,张国华,45,2005-03-20,2005-03", "秀水社区,张国华,45,2005-06-20,2005-06")
    assert imports.run_import(DuesPaymentResource(actor=staff), rows).ok
    assert DuesPayment.objects.count() == 2
    backwards = imports.run_import(
        DuesPaymentResource(actor=staff), csv_file(header, "秀水社区,张国华,15,2005-07-01,2005-02")
    )
    assert not backwards.ok and "2005年6月" in " ".join(p.message for p in backwards.problems)
    exported = imports.export_bytes(DuesPaymentResource(actor=staff), "csv")
    again = imports.run_import(DuesPaymentResource(actor=staff), SimpleUploadedFile("x.csv", exported, "text/csv"))
    assert again.ok and again.created == 0 and DuesPayment.objects.count() == 2


def test_a_secretary_cannot_import_another_communitys_dues(secretary_b, members):
    outcome = imports.run_import(
        DuesPaymentResource(actor=secretary_b),
        csv_file("社区,姓名,金额(元),交纳日期,交至年月", "秀水社区,张国华,45,2005-03-20,2005-03"),
    )
    assert not outcome.ok and not DuesPayment.objects.exists()
