"""Who may open every showcase URL: each persona's status code, and every URL name of the app
is in this matrix."""

from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse

from tests.matrix import PUBLIC, READERS, SECRETARIES, STAFF_ONLY, assert_matrix_covers, check_matrix
from tests.showcase.factories import make_site

pytestmark = pytest.mark.django_db

INSPECTOR_ONLY = {**READERS, "staff": 403, "auditor": 403}
SCOPED = {**READERS, "secretary_a": 200, "secretary_b": 404}
OWN_SECRETARY = {**SECRETARIES, "secretary_b": 404}


def url(name, *args):
    return reverse(f"showcase:{name}", args=args)


def get_cases(world):
    p, s, i = world["programme"].pk, world["site"].pk, world["item"].pk
    return [
        (url("programme_list"), READERS),
        (url("programme_detail", p), READERS),
        (url("inspection_list", p), READERS),
        (url("inspection_detail", world["inspection"].pk), READERS),
        (url("programme_create"), STAFF_ONLY),
        (url("programme_update", p), STAFF_ONLY),
        (url("standard_create", p), STAFF_ONLY),
        (url("standard_update", world["standard"].pk), STAFF_ONLY),
        (url("site_create", p), STAFF_ONLY),
        (url("site_update", s), STAFF_ONLY),
        (url("site_accept", s), STAFF_ONLY),
        (url("funding_create", s), STAFF_ONLY),
        (url("check_update", world["check"].pk), INSPECTOR_ONLY),
        (url("inspection_create", p), INSPECTOR_ONLY),
        (url("rectification_create", world["inspection"].pk), INSPECTOR_ONLY),
        (url("site_detail", s), SCOPED),
        (url("rectification_detail", i), SCOPED),
        (url("photo_download", world["evidence"].pk), SCOPED),
        (url("photo_download", world["before"].pk), SCOPED),
        (url("site_mine"), SECRETARIES),
        (url("standard_import"), STAFF_ONLY),
        (url("standard_export"), STAFF_ONLY),
        (url("standard_template"), STAFF_ONLY),
        (url("funding_import"), STAFF_ONLY),
        (url("funding_export"), STAFF_ONLY),
        (url("funding_template"), STAFF_ONLY),
        (url("rectification_report", i), OWN_SECRETARY),
        (reverse("shifan:showcase"), PUBLIC),
        (reverse("shifan:photo", args=[world["evidence"].pk]), PUBLIC),
        (reverse("shifan:photo", args=[world["before"].pk]), dict.fromkeys(READERS, 404)),
    ]


def post_cases(world, applied):
    done = {**READERS, "staff": 302, "inspector": 403, "auditor": 403}
    by_inspector = {**READERS, "staff": 403, "inspector": 302, "auditor": 403}
    return [
        (url("site_start", applied.pk), done),
        (url("standard_defaults", world["programme"].pk), done),
        (url("funding_delete", world["funding"].pk), done),
        (url("rectification_close", world["item"].pk), by_inspector),
        (url("rectification_return", world["item"].pk), by_inspector),
        # the other community's secretary cannot report on A's item, nor learn that it exists
        (url("rectification_report", world["item"].pk), OWN_SECRETARY),
    ]


def test_permission_matrix_over_every_get_url(personas, world):
    for target, expected in get_cases(world):
        check_matrix(personas, target, expected)


def test_permission_matrix_over_every_post_url(personas, world, staff, programme, community_b):
    applied = make_site(staff, programme, community_b, start=False)
    for target, expected in post_cases(world, applied):
        check_matrix(personas, target, expected, method="post")
    world["item"].refresh_from_db()
    assert world["item"].status == "open"


def test_every_showcase_url_is_in_the_matrix(world, staff, programme, community_b):
    applied = make_site(staff, programme, community_b, start=False)
    matches = [resolve(urlsplit(target).path) for target, _ in get_cases(world) + post_cases(world, applied)]
    assert_matrix_covers("showcase", {m.url_name for m in matches if m.namespace == "showcase"})
    assert_matrix_covers("shifan", {m.url_name for m in matches if m.namespace == "shifan"})
