"""The staff timeliness page opens on the latest year with published notices and its picker lists
only the years with published notices and the current one (issue 13 finding 2, the rule of every
year picker: jiedao.viewkit.year_choices / chosen_year)."""

import re
from datetime import date

import pytest
from django.utils import timezone

from tests.disclosure.factories import at, published
from tests.disclosure.test_timeliness import monthly_item  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def picker(page: str) -> list[int]:
    select = re.search(r'<select[^>]*name="year".*?</select>', page, re.S).group(0)
    return [int(y) for y in re.findall(r'<option value="(\d{4})"', select)]


def test_timeliness_opens_on_the_latest_year_with_notices(
    client,
    monthly_item,  # noqa: F811
    secretary_a,
    staff,
    approver,
    community_a,
):
    client.force_login(staff)
    this_year = timezone.localdate().year
    empty = client.get("/disclosure/timeliness/")
    assert empty.context["timeliness"].year == this_year and picker(empty.content.decode()) == [this_year]

    published(
        author=secretary_a,
        reviewer=staff,
        approver=approver,
        community=community_a,
        item=monthly_item,
        period_start=date(2005, 9, 1),
        at_=at(date(2005, 10, 19)),
    )
    response = client.get("/disclosure/timeliness/")
    assert response.context["timeliness"].year == 2005  # not the empty current year
    assert picker(response.content.decode()) == [this_year, 2005]  # not every year 2005…now
    empty_year = client.get("/disclosure/timeliness/", {"year": "2004"})
    assert empty_year.context["timeliness"].year == 2005  # 2004 holds nothing
