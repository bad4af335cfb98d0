import pytest

from jiedao.permissions import Role


@pytest.fixture
def approver(make_user):
    """A second staff member: the approver is never the author."""
    return make_user("staff2", Role.STAFF, email="staff2@example.invalid")
