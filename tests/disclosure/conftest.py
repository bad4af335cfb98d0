import pytest

from jiedao.permissions import Role


@pytest.fixture
def approver(make_user):
    """A second staff member: the approver is never the author."""
    return make_user("staff2", Role.STAFF, email="staff2@example.invalid")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The question rate limit lives in the shared cache: every test starts with none counted."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
