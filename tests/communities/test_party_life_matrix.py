"""Permission matrix of the 三会一课 register, the 党费 ledger and the party member's own pages
(namespace partylife): every URL as every persona, plus two party members (one of community A's
branch, one of another branch). The last test fails when a URL is missing here."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from communities.models import DuesBase, DuesLapseReview, DuesPayment, DuesRateBand, MeetingAttendance, PartyMeeting
from communities.models.dues import DuesCategory
from communities.models.meetings import MeetingKind, MeetingPhoto
from communities.services.meetings import meeting_signin_token
from jiedao.permissions import Role
from tests.communities.party_life import branch_of, member_of_branch
from tests.matrix import LOGIN, READERS, STAFF_ONLY, assert_matrix_covers, check_matrix, status_for

pytestmark = pytest.mark.django_db

READERS_OF_A = {**READERS, "secretary_a": 200, "secretary_b": 404}
KEEPERS_OF_A = {**STAFF_ONLY, "secretary_a": 200, "secretary_b": 404}
READERS_ALL = {**READERS, "secretary_a": 200, "secretary_b": 200}
MEMBERS_ONLY = {**STAFF_ONLY, "staff": 403}
KEEPERS = {**STAFF_ONLY, "secretary_a": 200, "secretary_b": 200}  # each for their own organisations


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def world(community_a, community_b, make_user):
    branch = branch_of(community_a)
    other = branch_of(community_b)
    member_user = make_user("dangyuan_a", Role.MEMBER)
    outsider_user = make_user("dangyuan_b", Role.MEMBER)
    member = member_of_branch(branch, user=member_user, name="张党员")
    member_of_branch(other, user=outsider_user, name="李党员")
    today = date.today()
    meeting = PartyMeeting.objects.create(organisation=branch, kind=MeetingKind.GENERAL, held_on=today, topic="学习")
    photo = MeetingPhoto.objects.create(
        meeting=meeting,
        file=SimpleUploadedFile("a.jpg", jpeg()),
        original_name="a.jpg",
        content_type="image/jpeg",
        size=10,
    )
    DuesBase.objects.create(
        member=member, effective_from=date(2004, 1, 1), category=DuesCategory.REDUCED, monthly_amount=Decimal("0.2")
    )
    DuesPayment.objects.create(member=member, amount=1, paid_on=date(2004, 12, 1), paid_through=date(2004, 12, 1))
    review = DuesLapseReview.objects.create(member=member, flagged_on=today, months_unpaid=6)
    return {
        "community": community_a,
        "member": member,
        "member_user": member_user,
        "outsider_user": outsider_user,
        "meeting": meeting,
        "photo": photo,
        "review": review,
        "band": DuesRateBand.objects.first(),
    }


def url(name, *args):
    return reverse(f"partylife:{name}", args=args)


def get_cases(world):
    c, m, meeting = world["community"].pk, world["member"].pk, world["meeting"]
    return (
        [
            ("dues_rates", url("dues_rates"), READERS_ALL),
            ("dues_rate_update", url("dues_rate_update", world["band"].pk), STAFF_ONLY),
            ("dues_ledger", url("dues_ledger", c), READERS_OF_A),
            ("dues_member", url("dues_member", m), READERS_OF_A),
            ("dues_base_create", url("dues_base_create", m), KEEPERS_OF_A),
            ("dues_payment_create", url("dues_payment_create", m), KEEPERS_OF_A),
            ("dues_review_decide", url("dues_review_decide", world["review"].pk), KEEPERS_OF_A),
            ("meeting_list", url("meeting_list", c), READERS_OF_A),
            ("meeting_create", url("meeting_create", c), KEEPERS_OF_A),
            ("meeting_detail", url("meeting_detail", meeting.pk), READERS_OF_A),
            ("meeting_update", url("meeting_update", meeting.pk), KEEPERS_OF_A),
            ("meeting_photo", url("meeting_photo", meeting.pk, world["photo"].pk), READERS_OF_A),
            ("meeting_signin", url("meeting_signin", meeting_signin_token(meeting)), MEMBERS_ONLY),
            ("my_dues", url("my_dues"), MEMBERS_ONLY),
            ("my_meetings", url("my_meetings"), MEMBERS_ONLY),
        ]
        + [
            (f"{base}_{action}", url(f"{base}_{action}"), STAFF_ONLY)
            for base in ("dues_base", "dues_payment")
            for action in ("import", "export", "template")
        ]
        + [(f"meeting_{action}", url(f"meeting_{action}"), KEEPERS) for action in ("import", "export", "template")]
    )


def post_cases(world):
    c, meeting = world["community"].pk, world["meeting"].pk
    writes = {**STAFF_ONLY, "staff": 302, "secretary_a": 302, "secretary_b": 404}
    return [
        ("dues_half_year_draft", url("dues_half_year_draft", c), writes),
        ("meeting_attendance", url("meeting_attendance", meeting), writes),
        ("meeting_photos", url("meeting_photos", meeting), writes),
        ("meeting_signin_reset", url("meeting_signin_reset", meeting), writes),
    ]


def test_only_staff_may_post_a_dues_import(personas):
    for base in ("dues_base", "dues_payment"):
        check_matrix(personas, url(f"{base}_import"), {**STAFF_ONLY, "staff": 400}, method="post")
    keepers_no_file = {**STAFF_ONLY, "staff": 400, "secretary_a": 400, "secretary_b": 400}
    check_matrix(personas, url("meeting_import"), keepers_no_file, method="post")


def test_the_meeting_export_holds_only_the_readers_own_community(world, secretary_b, staff):
    MeetingAttendance.objects.create(meeting=world["meeting"], member=world["member"], present=True)
    for user, sees in ((staff, True), (secretary_b, False)):
        client = Client()
        client.force_login(user)
        body = client.get(url("meeting_export") + "?format=csv").content.decode("utf-8-sig")
        assert ("张党员" in body) is sees


def test_permission_matrix_over_every_get_url(personas, world):
    for _name, target, expected in get_cases(world):
        check_matrix(personas, target, expected)


def test_permission_matrix_over_the_posts(personas, world):
    for _name, target, expected in post_cases(world):
        check_matrix(personas, target, expected, method="post")


def test_party_members_see_only_their_own_pages(world):
    """A member reads their own dues and meetings and signs in to their own branch's meeting; the
    staff pages are 403, another branch's meeting sign-in is 404."""
    member_user, outsider_user = world["member_user"], world["outsider_user"]
    signin = url("meeting_signin", meeting_signin_token(world["meeting"]))
    for target in (url("my_dues"), url("my_meetings"), signin):
        assert status_for(member_user, target) == 200, target
    assert status_for(outsider_user, signin) == 404
    assert status_for(outsider_user, signin, "post") == 404
    assert not MeetingAttendance.objects.exists()
    for _name, target, expected in get_cases(world):
        if expected is not MEMBERS_ONLY:
            assert status_for(member_user, target) in (403, 404), target
    page = Client()
    page.force_login(outsider_user)
    assert "张党员" not in page.get(url("my_meetings")).content.decode()


def test_a_member_signs_in_by_post(world):
    client = Client()
    client.force_login(world["member_user"])
    response = client.post(url("meeting_signin", meeting_signin_token(world["meeting"])))
    assert response.status_code == 302 and MeetingAttendance.objects.get().present


def test_anonymous_visitors_of_the_sign_in_link_log_in_first(world):
    target = url("meeting_signin", meeting_signin_token(world["meeting"]))
    assert status_for(None, target) == LOGIN


def test_the_matrix_covers_every_url(world):
    assert_matrix_covers("partylife", [n for n, _u, _e in get_cases(world) + post_cases(world)])
