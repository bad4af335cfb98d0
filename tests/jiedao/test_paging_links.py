"""Paging links keep every filter of the list (each value of a repeated parameter too) and carry
one page number, the next or the previous: the address does not grow as a reader pages on."""

import re

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


@pytest.mark.parametrize("template", ["includes/pagination.html", "public/_pager.html"])
def test_the_links_keep_the_filters_and_replace_the_page(template):
    request = RequestFactory().get("/list/", {"status": ["draft", "review"], "q": "公开 栏", "page": "2"})
    page = Paginator(range(90), 30).get_page(2)
    html = render_to_string(template, {"page_obj": page, "is_paginated": True, "request": request})
    links = re.findall(r'href="\?([^"]*)"', html)
    assert links == [
        "status=draft&amp;status=review&amp;q=%E5%85%AC%E5%BC%80+%E6%A0%8F&amp;page=1",
        "status=draft&amp;status=review&amp;q=%E5%85%AC%E5%BC%80+%E6%A0%8F&amp;page=3",
    ]
