"""党费: the rate table's boundaries, payments, arrears at three and six months, the lapse review
(never automatic) and the half-yearly draft notice."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from communities.models import DuesBase, DuesLapseReview, DuesPayment, DuesRateBand, PartyMember
from communities.models.dues import DuesCategory, DuesReviewStatus
from communities.selectors.dues import dues_standings, monthly_dues, months_unpaid, rate_bands
from communities.services.dues import (
    dues_arrears_scan,
    dues_base_save,
    dues_half_year_draft,
    dues_payment_record,
    dues_rate_band_save,
    dues_rate_table_ensure,
    dues_review_decide,
)
from communities.tasks import dues_arrears
from disclosure.choices import Audience, NoticeStatus
from disclosure.models import Notice
from jiedao.celery import app
from jiedao.models import Notification
from tests.communities.factories import PartyMemberFactory

pytestmark = pytest.mark.django_db

EMPLOYED, RETIRED, REDUCED = DuesCategory.EMPLOYED, DuesCategory.RETIRED, DuesCategory.REDUCED


@pytest.mark.parametrize(
    ("category", "base", "expected"),
    [
        (EMPLOYED, "0.00", "0.00"),
        (EMPLOYED, "2999.99", "15.00"),
        (EMPLOYED, "3000.00", "15.00"),  # ≤3000: 0.5 %
        (EMPLOYED, "3000.01", "30.00"),  # 1 %
        (EMPLOYED, "5000.00", "50.00"),  # ≤5000: 1 %
        (EMPLOYED, "5000.01", "75.00"),  # 1.5 %
        (EMPLOYED, "10000.00", "150.00"),  # ≤10000: 1.5 %
        (EMPLOYED, "10000.01", "200.00"),  # 2 %
        (EMPLOYED, "12345.00", "246.90"),
        (RETIRED, "5000.00", "25.00"),  # ≤5000: 0.5 %
        (RETIRED, "5000.01", "50.00"),  # 1 %
        (RETIRED, "1800.00", "9.00"),
        (REDUCED, "0.00", "0.20"),
        (REDUCED, "800.00", "0.20"),  # fixed, whatever the income
    ],
)
def test_the_2008_table_seeded_by_the_migration_and_its_boundaries(category, base, expected):
    assert monthly_dues(rate_bands(), category, Decimal(base)) == Decimal(expected)


def test_the_rate_table_is_data_that_staff_edit(staff, secretary_a):
    band = DuesRateBand.objects.get(category=REDUCED)
    band.fixed_amount = Decimal("0.50")
    with pytest.raises(PermissionDenied):  # a secretary may not
        dues_rate_band_save(actor=secretary_a, band=band)
    dues_rate_band_save(actor=staff, band=band)
    assert monthly_dues(rate_bands(), REDUCED, Decimal(0)) == Decimal("0.50")
    both = DuesRateBand(category=REDUCED, income_above=Decimal(1), rate_percent=Decimal(1), fixed_amount=Decimal(1))
    with pytest.raises(ValidationError):
        dues_rate_band_save(actor=staff, band=both)


def test_a_base_is_assessed_from_the_table_and_starts_on_the_first_of_its_month(secretary_a, community_a):
    member = PartyMemberFactory(community=community_a)
    base = dues_base_save(
        actor=secretary_a,
        base=DuesBase(member=member, effective_from=date(2005, 3, 17), category=EMPLOYED, monthly_base=Decimal("4200")),
    )
    assert base.effective_from == date(2005, 3, 1) and base.monthly_amount == Decimal("42.00")


def test_another_communitys_secretary_cannot_touch_the_ledger(secretary_b, community_a):
    member = PartyMemberFactory(community=community_a)
    with pytest.raises(Http404):
        dues_base_save(
            actor=secretary_b, base=DuesBase(member=member, effective_from=date(2005, 1, 1), category=REDUCED)
        )
    with pytest.raises(Http404):
        dues_payment_record(
            actor=secretary_b,
            payment=DuesPayment(member=member, amount=1, paid_on=date(2005, 1, 3), paid_through=date(2005, 1, 1)),
        )
    assert not DuesBase.objects.exists() and not DuesPayment.objects.exists()


def test_payments_move_paid_through_forward_only(secretary_a, community_a):
    member = PartyMemberFactory(community=community_a)
    pay = {"member": member, "amount": Decimal("60.00"), "paid_on": date(2005, 3, 2)}
    dues_payment_record(
        actor=secretary_a, payment=DuesPayment(paid_through=date(2005, 3, 9), **pay), today=date(2005, 3, 5)
    )
    assert DuesPayment.objects.get().paid_through == date(2005, 3, 1)
    with pytest.raises(ValidationError) as caught:
        dues_payment_record(
            actor=secretary_a, payment=DuesPayment(paid_through=date(2005, 2, 1), **pay), today=date(2005, 3, 5)
        )
    assert "paid_through" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        dues_payment_record(
            actor=secretary_a,
            payment=DuesPayment(member=member, amount=1, paid_on=date(2005, 4, 1), paid_through=date(2005, 4, 1)),
            today=date(2005, 3, 5),
        )
    assert "paid_on" in caught.value.error_dict
    assert DuesPayment.objects.count() == 1


@pytest.mark.parametrize(
    ("paid_through", "today", "expected"),
    [
        (date(2005, 1, 1), date(2005, 2, 28), 0),  # February is still running
        (date(2005, 1, 1), date(2005, 4, 30), 2),  # February, March
        (date(2005, 1, 1), date(2005, 5, 1), 3),  # February to April: three months
        (date(2005, 1, 1), date(2005, 7, 31), 5),
        (date(2005, 1, 1), date(2005, 8, 1), 6),  # six months
        (date(2004, 11, 1), date(2005, 3, 1), 3),  # across the year
    ],
)
def test_months_unpaid_counts_ended_months_only(paid_through, today, expected):
    assert months_unpaid(dues_start=date(2004, 1, 1), paid_through=paid_through, today=today) == expected


def test_months_unpaid_of_a_member_who_never_paid_start_with_their_first_base():
    assert months_unpaid(dues_start=date(2005, 3, 1), paid_through=None, today=date(2005, 6, 1)) == 3
    assert months_unpaid(dues_start=None, paid_through=None, today=date(2005, 6, 1)) == 0


@pytest.fixture
def arrears(secretary_a, community_a):
    """A member paid through January 2005 whose dues began in 2004."""
    member = PartyMemberFactory(community=community_a, name="欠费人")
    dues_base_save(
        actor=secretary_a,
        base=DuesBase(member=member, effective_from=date(2004, 1, 1), category=EMPLOYED, monthly_base=Decimal("2000")),
    )
    dues_payment_record(
        actor=secretary_a,
        payment=DuesPayment(
            member=member, amount=Decimal("10"), paid_on=date(2005, 1, 5), paid_through=date(2005, 1, 1)
        ),
        today=date(2005, 1, 5),
    )
    return member


def test_three_months_unpaid_tells_the_secretary_once(arrears, secretary_a, secretary_b):
    assert dues_arrears_scan(today=date(2005, 4, 30))["notified"] == 0
    assert dues_arrears_scan(today=date(2005, 5, 1))["notified"] == 1
    assert dues_arrears_scan(today=date(2005, 5, 2))["notified"] == 0  # once per arrear
    note = Notification.objects.get(recipient=secretary_a)
    assert "欠费人" in note.title and "3" in note.title
    assert not Notification.objects.filter(recipient=secretary_b).exists()
    assert not DuesLapseReview.objects.exists()
    standing = dues_standings([arrears], today=date(2005, 5, 1))[0]
    assert standing.warned and not standing.lapsing and standing.owed == Decimal("30.00")


def test_six_months_opens_one_review_and_changes_nothing_about_the_member(arrears, secretary_a):
    dues_arrears_scan(today=date(2005, 7, 31))
    assert not DuesLapseReview.objects.exists()
    result = dues_arrears_scan(today=date(2005, 8, 1))
    assert result["reviews"] == 1
    dues_arrears_scan(today=date(2005, 9, 1))  # still one open review
    review = DuesLapseReview.objects.get()
    assert review.is_open and review.months_unpaid == 6 and review.paid_through == date(2005, 1, 1)
    assert PartyMember.objects.filter(pk=arrears.pk).exists()  # never removed
    assert Notification.objects.filter(recipient=secretary_a, key__endswith=":6").count() == 1


def test_the_secretary_decides_the_review_with_a_reason(arrears, secretary_a, secretary_b):
    dues_arrears_scan(today=date(2005, 8, 1))
    review = DuesLapseReview.objects.get()
    with pytest.raises(Http404):
        dues_review_decide(actor=secretary_b, review=review, status=DuesReviewStatus.EDUCATED, note="谈话")
    with pytest.raises(ValidationError):
        dues_review_decide(actor=secretary_a, review=review, status=DuesReviewStatus.EDUCATED, note=" ")
    dues_review_decide(actor=secretary_a, review=review, status=DuesReviewStatus.REFERRED, note="提交支部大会讨论")
    review.refresh_from_db()
    assert review.status == DuesReviewStatus.REFERRED and review.decided_by == secretary_a
    with pytest.raises(ValidationError):
        dues_review_decide(actor=secretary_a, review=review, status=DuesReviewStatus.EDUCATED, note="again")


def test_paying_up_settles_the_open_review(arrears, secretary_a):
    dues_arrears_scan(today=date(2005, 8, 1))
    dues_payment_record(
        actor=secretary_a,
        payment=DuesPayment(
            member=arrears, amount=Decimal("70"), paid_on=date(2005, 8, 2), paid_through=date(2005, 8, 1)
        ),
        today=date(2005, 8, 2),
    )
    assert DuesLapseReview.objects.get().status == DuesReviewStatus.SETTLED


def test_the_half_yearly_report_is_a_party_internal_draft_from_the_ledger(arrears, secretary_a, community_a):
    other = PartyMemberFactory(community=community_a)
    dues_payment_record(
        actor=secretary_a,
        payment=DuesPayment(
            member=other, amount=Decimal("120.50"), paid_on=date(2005, 6, 30), paid_through=date(2005, 6, 1)
        ),
        today=date(2005, 7, 1),
    )
    dues_payment_record(  # the next half: not counted
        actor=secretary_a,
        payment=DuesPayment(
            member=other, amount=Decimal("99"), paid_on=date(2005, 7, 1), paid_through=date(2005, 7, 1)
        ),
        today=date(2005, 7, 1),
    )
    notice = dues_half_year_draft(actor=secretary_a, community=community_a, year=2005, half=1)
    assert notice.status == NoticeStatus.DRAFT and notice.catalog_item.audience == Audience.GROUP
    assert notice.board.community == community_a
    assert (notice.period_start, notice.period_end) == (date(2005, 1, 1), date(2005, 6, 30))
    assert "130.50" in notice.body  # 10 + 120.50
    assert not Notice.objects.public().filter(pk=notice.pk).exists()


def test_the_daily_job_is_scheduled_and_runs_the_scan(arrears, secretary_a):
    assert app.conf.beat_schedule["communities-dues-arrears"]["task"] == "communities.dues_arrears"
    assert dues_arrears.delay().get()["notified"] >= 1  # the member is far behind today


def test_an_emptied_rate_table_gets_the_2008_rules_back_and_a_kept_one_is_left_alone():
    """The demo loads on a database emptied since its migrations ran (a wipe and restore)."""
    DuesRateBand.objects.all().delete()
    assert dues_rate_table_ensure() == 7
    bands = rate_bands()
    assert monthly_dues(bands, DuesCategory.EMPLOYED, Decimal("3000.00")) == Decimal("15.00")
    assert monthly_dues(bands, DuesCategory.REDUCED, Decimal("0")) == Decimal("0.20")
    DuesRateBand.objects.filter(category=DuesCategory.RETIRED).delete()  # staff's own table
    assert dues_rate_table_ensure() == 0
    assert not DuesRateBand.objects.filter(category=DuesCategory.RETIRED).exists()
