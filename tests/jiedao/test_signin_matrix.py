"""Every URL of the account pages (namespace accounts) for every persona."""

import pytest
from django.urls import reverse

from tests.matrix import LOGIN, PERSONAS, STAFF_ONLY, assert_matrix_covers, check_matrix

pytestmark = pytest.mark.django_db

SIGNED_IN = {**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN}


def test_permission_matrix_over_every_account_url(personas, auditor):
    checked = set()

    def check(name, expected, method="get", data=None):
        checked.add(name)
        check_matrix(personas, reverse(f"accounts:{name}"), expected, method, data)

    check("password_change", SIGNED_IN)
    check("password_change_done", SIGNED_IN)
    check("two_factor_setup", SIGNED_IN)
    # without a device nobody has a code to enter: the page sends them to the set-up
    check("two_factor_verify", {**dict.fromkeys(PERSONAS, 302)})
    check("locked_accounts", STAFF_ONLY)
    check(
        "unlock_account",
        {**STAFF_ONLY, "staff": 302},
        "post",
        {"username": auditor.username},
    )
    assert_matrix_covers("accounts", checked)
