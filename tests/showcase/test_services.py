from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from jiedao.models import Notification
from showcase import services
from showcase.choices import FundingSource, RectificationStatus, SiteStatus, StandardCategory
from showcase.models import Funding, Rectification, Site, Standard
from showcase.selectors import funding_totals, overdue_rectifications, site_detail_queryset
from showcase.tasks import notify_overdue_rectifications
from tests.showcase.factories import check_of, png

pytestmark = pytest.mark.django_db


def progress(staff, site):
    return site_detail_queryset(user=staff).get(pk=site.pk).progress


# -- progress ---------------------------------------------------------------------------------


def test_progress_is_the_points_weighted_share_of_standards_met(staff, inspector, programme, site_a):
    assert progress(staff, site_a) == Decimal("0")
    services.check_record(actor=inspector, check=check_of(site_a, "A"), met=True)
    assert progress(staff, site_a) == Decimal("0.5")  # 50 of 100 points
    services.check_record(actor=inspector, check=check_of(site_a, "C"), met=True)
    assert progress(staff, site_a) == Decimal("0.7")  # 70 of 100, not 2 of 3 standards
    services.check_record(actor=inspector, check=check_of(site_a, "A"), met=False)
    assert progress(staff, site_a) == Decimal("0.2")


def test_a_new_standard_counts_against_every_site(staff, inspector, programme, site_a, site_b):
    services.check_record(actor=inspector, check=check_of(site_a, "A"), met=True)
    services.standard_save(
        actor=staff,
        standard=Standard(
            programme=programme, code="D", category=StandardCategory.SOFTWARE, title="公开栏", points=100
        ),
    )
    assert progress(staff, site_a) == Decimal("0.25")  # 50 of 200
    assert site_b.checks.count() == 4


def test_a_programme_without_standards_has_no_progress(staff, community_a):
    from tests.showcase.factories import make_programme, make_site

    empty = make_programme(staff, year=2006, standards=())
    site = make_site(staff, empty, community_a)
    assert progress(staff, site) is None


def test_default_standards_add_up_to_100_points_and_load_once(staff, programme):
    assert services.standards_load_defaults(actor=staff, programme=programme) == 12
    assert services.standards_load_defaults(actor=staff, programme=programme) == 0
    codes = programme.standards.exclude(code__in=["A", "B", "C"])
    assert sum(codes.values_list("points", flat=True)) == 100


# -- acceptance and the award rule ------------------------------------------------------------


def award(site, amount="5.00"):
    return Funding(
        site=site, source=FundingSource.AWARD, amount=Decimal(amount), date=date(2005, 12, 25), purpose="奖励"
    )


def test_an_award_is_refused_before_acceptance_and_nothing_is_written(staff, site_a):
    with pytest.raises(ValidationError) as exc:
        services.funding_save(actor=staff, funding=award(site_a))
    assert "source" in exc.value.message_dict
    assert not Funding.objects.exists()


def test_an_award_is_refused_for_a_site_that_failed_acceptance(staff, site_a):
    services.site_accept(actor=staff, site=site_a, passed=False, score=Decimal("55"), accepted_on=date(2005, 12, 20))
    with pytest.raises(ValidationError):
        services.funding_save(actor=staff, funding=award(site_a))
    assert not Funding.objects.exists()


def test_an_award_is_recorded_for_an_accepted_site(staff, inspector, site_a):
    for code in ("A", "B"):
        services.check_record(actor=inspector, check=check_of(site_a, code), met=True)
    services.site_accept(actor=staff, site=site_a, passed=True, score=Decimal("92.5"), accepted_on=date(2005, 12, 20))
    services.funding_save(actor=staff, funding=award(site_a, "3.00"))
    subsidy = Funding(
        site=site_a, source=FundingSource.SUBSIDY, amount=Decimal("10"), date=date(2005, 4, 1), purpose="补助"
    )
    services.funding_save(actor=staff, funding=subsidy)
    totals = funding_totals(programme=site_a.programme)
    assert (totals.award, totals.subsidy, totals.self_raised, totals.total) == (
        Decimal("3.00"),
        Decimal("10.00"),
        Decimal("0"),
        Decimal("13.00"),
    )


def test_a_site_passes_acceptance_only_when_every_required_standard_is_met(staff, inspector, site_a):
    services.check_record(actor=inspector, check=check_of(site_a, "A"), met=True)
    with pytest.raises(ValidationError, match="B"):
        services.site_accept(actor=staff, site=site_a, passed=True, score=Decimal("90"), accepted_on=date(2005, 12, 1))
    site_a.refresh_from_db()
    assert site_a.status == SiteStatus.BUILDING and site_a.accepted_on is None
    services.check_record(actor=inspector, check=check_of(site_a, "B"), met=True)  # C is optional
    site = services.site_accept(
        actor=staff, site=site_a, passed=True, score=Decimal("90"), accepted_on=date(2005, 12, 1)
    )
    assert site.status == SiteStatus.ACCEPTED and site.acceptance_score == Decimal("90")


def test_an_applying_site_must_be_approved_before_acceptance(staff, programme, community_b):
    from tests.showcase.factories import make_site

    site = make_site(staff, programme, community_b, start=False)
    assert site.status == SiteStatus.APPLIED
    with pytest.raises(ValidationError):
        services.site_accept(actor=staff, site=site, passed=False, score=Decimal("10"), accepted_on=date(2005, 12, 1))


def test_negative_or_zero_funding_is_refused(staff, site_a):
    line = Funding(site=site_a, source=FundingSource.SUBSIDY, amount=Decimal("0"), date=date(2005, 4, 1), purpose="x")
    with pytest.raises(ValidationError):
        services.funding_save(actor=staff, funding=line)


def test_roles_are_enforced_by_the_services(staff, inspector, secretary_a, site_a):
    with pytest.raises(PermissionDenied):
        services.check_record(actor=secretary_a, check=check_of(site_a, "A"), met=True)
    with pytest.raises(PermissionDenied):
        services.check_record(actor=staff, check=check_of(site_a, "A"), met=True)
    line = Funding(site=site_a, source=FundingSource.SUBSIDY, amount=Decimal("1"), date=date(2005, 4, 1), purpose="x")
    with pytest.raises(PermissionDenied):
        services.funding_save(actor=inspector, funding=line)
    with pytest.raises(PermissionDenied):
        services.site_start(actor=inspector, site=site_a)


# -- rectifications ---------------------------------------------------------------------------


def inspection(inspector, programme, sites):
    from showcase.choices import InspectionKind
    from showcase.models import Inspection

    return services.inspection_record(
        actor=inspector,
        inspection=Inspection(
            programme=programme, kind=InspectionKind.WEEKLY, date=date(2005, 5, 9), participants="督查组"
        ),
        sites=sites,
    )


def open_item(inspector, site, *, code="A", deadline=None, meeting=None):
    return services.rectification_open(
        actor=inspector,
        rectification=Rectification(
            site=site,
            inspection=meeting,
            standard=site.programme.standards.get(code=code),
            description="公开栏未更新",
            deadline=deadline or date(2099, 1, 1),
        ),
        photo=png("before.png"),
    )


def test_the_rectification_journey_moves_the_standard(staff, inspector, secretary_a, programme, site_a):
    services.check_record(actor=inspector, check=check_of(site_a, "A"), met=True)
    item = open_item(inspector, site_a, meeting=inspection(inspector, programme, [site_a]))
    assert not check_of(site_a, "A").met  # an open item means the standard is not met
    assert progress(staff, site_a) == Decimal("0")

    item = services.rectification_report(actor=secretary_a, rectification=item, note="已更新", photo=png("after.png"))
    assert item.status == RectificationStatus.REPORTED
    assert sorted(item.photos.values_list("kind", flat=True)) == ["after", "before"]

    item = services.rectification_close(actor=inspector, rectification=item)
    assert item.status == RectificationStatus.CLOSED and item.closed_by == inspector
    assert check_of(site_a, "A").met
    assert progress(staff, site_a) == Decimal("0.5")
    with pytest.raises(ValidationError):
        services.rectification_close(actor=inspector, rectification=item)


def test_a_sent_back_item_is_open_again_and_the_standard_stays_unmet(inspector, secretary_a, site_a):
    item = open_item(inspector, site_a)
    item = services.rectification_report(actor=secretary_a, rectification=item, note="已改", photo=png())
    item = services.rectification_return(actor=inspector, rectification=item)
    assert item.status == RectificationStatus.OPEN
    assert not check_of(site_a, "A").met


def test_only_the_sites_own_secretary_reports_a_fix(staff, inspector, secretary_b, site_a):
    item = open_item(inspector, site_a)
    with pytest.raises(Http404):
        services.rectification_report(actor=secretary_b, rectification=item, note="x", photo=png())
    with pytest.raises(PermissionDenied):
        services.rectification_report(actor=staff, rectification=item, note="x", photo=png())
    with pytest.raises(PermissionDenied):
        services.rectification_report(actor=inspector, rectification=item, note="x", photo=png())
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN


def test_a_fix_needs_a_real_photo(inspector, secretary_a, site_a):
    item = open_item(inspector, site_a)
    with pytest.raises(ValidationError):
        services.rectification_report(actor=secretary_a, rectification=item, note="已改", photo=None)
    fake = SimpleUploadedFile("fix.png", b"this is not an image at all", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        services.rectification_report(actor=secretary_a, rectification=item, note="已改", photo=fake)
    assert "photo" in exc.value.message_dict
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN and item.photos.count() == 1


def test_a_rectification_site_must_have_been_inspected(inspector, programme, site_a, site_b):
    meeting = inspection(inspector, programme, [site_a])
    with pytest.raises(ValidationError):
        open_item(inspector, site_b, meeting=meeting)
    assert not Rectification.objects.exists()


# -- overdue ----------------------------------------------------------------------------------


def test_overdue_items_are_open_or_reported_items_past_their_deadline(inspector, secretary_a, site_a):
    today = timezone.localdate()
    late = open_item(inspector, site_a, deadline=today - timedelta(days=1))
    due_today = open_item(inspector, site_a, code="B", deadline=today)
    reported_late = open_item(inspector, site_a, code="C", deadline=today - timedelta(days=3))
    services.rectification_report(actor=secretary_a, rectification=reported_late, note="已改", photo=png())
    assert [i.pk for i in overdue_rectifications(today=today)] == [reported_late.pk, late.pk]
    assert due_today.pk not in [i.pk for i in overdue_rectifications(today=today)]


def test_closed_items_are_never_overdue(inspector, secretary_a, site_a):
    item = open_item(inspector, site_a, deadline=timezone.localdate() - timedelta(days=10))
    item = services.rectification_report(actor=secretary_a, rectification=item, note="已改", photo=png())
    services.rectification_close(actor=inspector, rectification=item)
    assert not overdue_rectifications().exists()


def test_the_daily_job_notifies_staff_once_per_overdue_item(staff, make_user, inspector, secretary_a, site_a):
    from jiedao.permissions import Role

    other_staff = make_user("staff2", Role.STAFF)
    late = open_item(inspector, site_a, deadline=timezone.localdate() - timedelta(days=2))
    open_item(inspector, site_a, code="B")  # not due yet
    assert notify_overdue_rectifications.delay().get() == 2
    assert notify_overdue_rectifications.delay().get() == 0  # idempotent
    for user in (staff, other_staff):
        notes = Notification.objects.filter(recipient=user)
        assert notes.count() == 1
        assert notes.get().url == late.get_absolute_url()
    overdue_notices = Notification.objects.filter(key__startswith="showcase:rectification-overdue:")
    assert not overdue_notices.filter(recipient__in=[inspector, secretary_a]).exists()


def test_a_site_cannot_join_a_community_twice(staff, programme, site_a, community_a):
    from tests.showcase.factories import make_site

    with pytest.raises(ValidationError):
        make_site(staff, programme, community_a)
    assert Site.objects.filter(community=community_a).count() == 1


def test_the_people_who_act_next_are_notified(inspector, secretary_a, secretary_b, site_a):
    item = open_item(inspector, site_a)
    assert Notification.objects.filter(recipient=secretary_a, url=item.get_absolute_url()).count() == 1
    assert not Notification.objects.filter(recipient=secretary_b).exists()
    item = services.rectification_report(actor=secretary_a, rectification=item, note="已改", photo=png())
    assert Notification.objects.filter(recipient=inspector, url=item.get_absolute_url()).count() == 1
    services.rectification_return(actor=inspector, rectification=item)
    assert Notification.objects.filter(recipient=secretary_a).count() == 2


def test_the_overdue_job_is_scheduled_daily_by_celery_beat():
    from jiedao.celery import app

    entry = app.conf.beat_schedule["showcase-overdue-rectifications"]
    assert entry["task"] == notify_overdue_rectifications.name
    assert notify_overdue_rectifications.name in app.tasks
