"""Reads shared within one piece of work (jiedao.readonce): the annual report reads the catalogue
and the year's 公开及时率 once for the two chapters that show them; everything else reads afresh."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.selectors import proactive_items
from jiedao.readonce import read_once, shared_reads
from jiedao.reporting.annual import annual_report_context
from tests.disclosure.factories import CatalogItemFactory

calls = []


@read_once
def counted(year: int, as_of=None, boards=None):
    calls.append((year, as_of, boards))
    return {"year": year}


@pytest.fixture(autouse=True)
def no_calls():
    calls.clear()


def test_inside_a_block_each_arguments_are_read_once_defaults_included():
    with shared_reads():
        first = counted(2005)
        assert counted(year=2005, as_of=None) is first  # the same arguments, spelt otherwise
        counted(2004)
        with shared_reads():  # a nested block shares the reads of the one around it
            assert counted(2005) is first
    assert calls == [(2005, None, None), (2004, None, None)]


def test_outside_a_block_and_with_a_list_argument_every_call_reads():
    counted(2005)
    counted(2005)
    with shared_reads():
        counted(2005, boards=[1, 2])  # a list cannot be a key: read as usual
        counted(2005, boards=[1, 2])
    counted(2005)  # the block's reads are gone with it
    assert len(calls) == 5


@pytest.mark.django_db
def test_a_page_after_the_block_sees_what_changed():
    with shared_reads():
        before = proactive_items()
        CatalogItemFactory(name="新增公开事项", mode="proactive", active=True)
        assert proactive_items() == before  # one piece of work reads one state
    assert len(proactive_items()) == len(before) + 1


@pytest.mark.django_db
def test_the_report_reads_the_catalogue_and_the_boards_once():
    with CaptureQueriesContext(connection) as captured:
        annual_report_context(year=2005)
    for table in ("disclosure_catalogitem", "disclosure_board"):
        reads = [q["sql"] for q in captured if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]]
        assert len(reads) == 1, (table, reads)
