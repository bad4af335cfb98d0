"""Shared fixtures: users for every role, and two communities A and B for scoping checks."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from jiedao.models import Profile
from jiedao.pagecache import new_public_version
from jiedao.permissions import ROLE_GROUPS, Role
from jiedao.reporting.cache import new_figures_version
from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.communities.factories import CommunityFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_figures():
    """Each test starts with a new dashboard figures version (jiedao/reporting/cache.py)."""
    new_figures_version()


@pytest.fixture(autouse=True)
def _fresh_public_pages():
    """Each test starts with a new public-page version (jiedao/pagecache.py): no page cached by an
    earlier test, whose data was rolled back, is served again."""
    new_public_version()


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    """Tests sign in with force_login or the password alone; the two-factor tests
    (tests/jiedao/test_signin_otp.py) switch OTP_REQUIRED back on."""
    settings.OTP_REQUIRED = False


@pytest.fixture
def make_user(db):
    def make(username: str, role: Role | None = None, community=None, **extra):
        user = get_user_model().objects.create_user(username=username, password="pw-for-tests-1", **extra)
        if role is not None:
            # get_or_create: a transactional (browser) test flushes the groups the migration made
            user.groups.add(Group.objects.get_or_create(name=ROLE_GROUPS[role])[0])
        Profile.objects.create(user=user, community=community)
        return user

    return make


@pytest.fixture
def community_a(db):
    return CommunityFactory(code="A01", name="秀水社区")


@pytest.fixture
def community_b(db):
    return CommunityFactory(code="B01", name="丛树社区")


@pytest.fixture
def staff(make_user):
    return make_user("staff1", Role.STAFF, email="staff1@example.invalid")


@pytest.fixture
def secretary_a(make_user, community_a):
    return make_user("sec_a", Role.SECRETARY, community_a, email="sec_a@example.invalid")


@pytest.fixture
def secretary_b(make_user, community_b):
    return make_user("sec_b", Role.SECRETARY, community_b, email="sec_b@example.invalid")


@pytest.fixture
def inspector(make_user):
    return make_user("inspector1", Role.INSPECTOR)


@pytest.fixture
def auditor(make_user):
    return make_user("auditor1", Role.AUDITOR)


@pytest.fixture
def resident(make_user):
    """A signed-in account with no role: sees what the public sees."""
    return make_user("resident1")


@pytest.fixture
def supervisor_a(make_user, community_a):
    """A member of community A's 居务监督委员会."""
    return make_user("super_a", Role.SUPERVISOR, community_a)


@pytest.fixture
def personas(staff, secretary_a, secretary_b, inspector, auditor, resident, supervisor_a):
    """Every kind of visitor of the permission matrices (DESIGN §10); None is anonymous."""
    return {
        "anonymous": None,
        "resident": resident,
        "secretary_a": secretary_a,
        "secretary_b": secretary_b,
        "staff": staff,
        "inspector": inspector,
        "auditor": auditor,
        "supervisor_a": supervisor_a,
    }


@pytest.fixture
def real_worker():
    """A real Celery worker thread on Redis for the test (eager mode off meanwhile); see tests/worker.py."""
    from tests.worker import running_worker

    with running_worker():
        yield


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run: Playwright's sync API allows one running instance per
    process, so the browser journeys (tests/e2e) and the production smoke test share it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
