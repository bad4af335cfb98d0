from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from showcase import services
from showcase.choices import FundingSource, InspectionKind
from showcase.models import Funding, Inspection, Rectification
from tests.showcase.factories import check_of, make_site, png

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"showcase:{name}", args=args)


def test_a_secretary_lists_only_their_own_sites(client, secretary_b, world, staff, programme, community_b):
    make_site(staff, programme, community_b, theme="土地流转")
    client.force_login(secretary_b)
    page = client.get(url("site_mine")).content.decode()
    assert "土地流转" in page and "农家乐旅游" not in page


def test_the_programme_page_flags_overdue_items(client, staff, inspector, world):
    Rectification.objects.filter(pk=world["item"].pk).update(deadline=timezone.localdate() - timedelta(days=1))
    client.force_login(staff)
    response = client.get(url("programme_detail", world["programme"].pk))
    assert response.status_code == 200
    assert "1 项整改事项逾期" in response.content.decode()
    assert 'data-testid="overdue"' in response.content.decode()


def test_no_overdue_flag_when_nothing_is_late(client, staff, world):
    client.force_login(staff)
    assert 'data-testid="overdue"' not in client.get(url("programme_detail", world["programme"].pk)).content.decode()


def test_an_award_for_a_site_not_yet_accepted_shows_the_error_and_keeps_the_input(client, staff, world):
    client.force_login(staff)
    data = {"source": FundingSource.AWARD, "amount": "8.50", "date": "2005-12-25", "purpose": "以奖代补奖励"}
    response = client.post(url("funding_create", world["site"].pk), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "以奖代补奖励" in page and "8.50" in page
    assert response.context["form"].errors["source"]
    assert Funding.objects.count() == 1


def test_the_inspector_marks_a_standard_met_with_a_photo(client, staff, inspector, world):
    check = check_of(world["site"], "B")
    client.force_login(inspector)
    response = client.post(url("check_update", check.pk), {"met": "on", "note": "已查看", "photo": png()})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.met and check.checked_by == inspector and check.photos.count() == 1


def test_a_photo_that_is_not_an_image_is_refused_with_nothing_changed(client, inspector, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    check = check_of(world["site"], "B")
    client.force_login(inspector)
    fake = SimpleUploadedFile("x.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = client.post(url("check_update", check.pk), {"met": "on", "note": "已查看", "photo": fake})
    assert response.status_code == 200 and response.context["form"].errors["photo"]
    check.refresh_from_db()
    assert not check.met


def test_list_pages_query_count_does_not_grow_with_rows(
    client, staff, secretary_a, world, programme, django_assert_max_num_queries
):
    from tests.communities.factories import CommunityFactory

    client.force_login(staff)
    pages = [url("programme_detail", programme.pk), url("inspection_list", programme.pk), reverse("shifan:showcase")]

    def counts():
        result = []
        for page in pages:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                assert client.get(page).status_code == 200
            result.append(len(ctx))
        return result

    before = counts()
    for n in range(5):
        site = make_site(staff, programme, CommunityFactory(code=f"X{n}"), theme=f"主题{n}")
        services.funding_save(
            actor=staff,
            funding=Funding(
                site=site, source=FundingSource.SELF_RAISED, amount=Decimal("2"), date=date(2005, 6, 1), purpose="x"
            ),
        )
        services.inspection_record(
            actor=world["inspection"].recorded_by,
            inspection=Inspection(
                programme=programme, kind=InspectionKind.VISIT, date=date(2005, 6, n + 1), participants="督查组"
            ),
            sites=[site, world["site"]],
        )
    assert counts() == before


def test_staff_create_a_programme_with_the_default_checklist_and_a_site(client, staff, community_b):
    client.force_login(staff)
    response = client.post(
        url("programme_create"),
        {"year": "2006", "name": "示范点创建", "description": "", "bonus_points": "3", "load_defaults": "on"},
    )
    from showcase.models import Programme

    programme = Programme.objects.get(year=2006)
    assert response.status_code == 302 and programme.standards.count() == 12
    response = client.post(
        url("site_create", programme.pk),
        {"community": community_b.pk, "theme": "土地流转", "goal": "壮大集体经济", "economic_tier": "average"},
    )
    site = programme.sites.get()
    assert response.status_code == 302 and site.status == "applied" and site.checks.count() == 12
    # the same community twice in one programme: the form says so and nothing is added
    response = client.post(
        url("site_create", programme.pk),
        {"community": community_b.pk, "theme": "重复", "goal": "", "economic_tier": "average"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert programme.sites.count() == 1


def test_acceptance_through_the_form_then_the_award(client, staff, inspector, world):
    site = world["site"]
    client.force_login(staff)
    data = {"passed": "1", "score": "95", "accepted_on": "2005-12-20", "note": "合格"}
    response = client.post(url("site_accept", site.pk), data)
    assert response.status_code == 200  # B is required and not met yet (A was reopened by the item)
    assert "尚未达到全部必备标准" in response.content.decode()
    for code in ("A", "B"):
        services.check_record(actor=inspector, check=check_of(site, code), met=True)
    assert client.post(url("site_accept", site.pk), data).status_code == 302
    site.refresh_from_db()
    assert site.status == "accepted" and site.acceptance_score == Decimal("95")
    award = {"source": FundingSource.AWARD, "amount": "5", "date": "2005-12-25", "purpose": "以奖代补"}
    assert client.post(url("funding_create", site.pk), award).status_code == 302
    assert Funding.objects.filter(source=FundingSource.AWARD).count() == 1


def test_site_pages_query_count_does_not_grow_with_rows(client, staff, inspector, secretary_a, world, programme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from showcase.models import StandardCheck

    def count(user, page):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page).status_code == 200
        return len(ctx)

    pages = [(staff, url("site_detail", world["site"].pk)), (secretary_a, url("site_mine"))]
    before = [count(user, page) for user, page in pages]
    site = world["site"]
    for n in range(3):
        services.funding_save(
            actor=staff,
            funding=Funding(
                site=site, source="self_raised", amount=Decimal("1"), date=date(2005, 7, n + 1), purpose=f"{n}"
            ),
        )
        check = StandardCheck.objects.get(site=site, standard__code="B")
        services.check_record(actor=inspector, check=check, met=True, photo=png())
    assert [count(user, page) for user, page in pages] == before


def test_changes_are_in_the_audit_log(staff, world):
    from auditlog.models import LogEntry

    assert LogEntry.objects.get_for_object(world["funding"]).exists()
    assert LogEntry.objects.get_for_object(world["item"]).exists()


def test_secretaries_see_their_items_to_put_right_and_inspectors_the_fixes_to_verify(
    client, inspector, secretary_a, secretary_b, world
):
    client.force_login(secretary_a)
    assert "公开栏未更新" in client.get(url("site_mine")).content.decode()
    client.force_login(secretary_b)
    assert "公开栏未更新" not in client.get(url("site_mine")).content.decode()
    services.rectification_report(actor=secretary_a, rectification=world["item"], note="已更新", photo=png())
    client.force_login(inspector)
    page = client.get(url("programme_detail", world["programme"].pk)).content.decode()
    assert 'data-testid="awaiting-verification"' in page and "公开栏未更新" in page


def test_a_refused_action_shows_the_service_message_and_changes_nothing(client, staff, inspector, world):
    item = world["item"]
    client.force_login(inspector)
    response = client.post(url("rectification_close", item.pk), follow=True)
    assert response.redirect_chain[-1][0] == item.get_absolute_url()
    assert "只有已报整改的事项才能销号。" in response.content.decode()
    item.refresh_from_db()
    assert item.is_open
    client.force_login(staff)
    started = client.post(url("site_start", world["site"].pk), follow=True)
    assert started.redirect_chain[-1][0] == world["site"].get_absolute_url()
    assert [m.level_tag for m in started.context["messages"]] == ["error"]


def test_the_admin_shows_programmes_and_standards_read_only(admin_client, programme):
    page = admin_client.get(reverse("admin:showcase_programme_change", args=[programme.pk]))
    assert page.status_code == 200 and "标准A" in page.content.decode()
    assert admin_client.get(reverse("admin:showcase_programme_add")).status_code == 403
