"""The attacks of issue 11 on the secrecy of the online ballot, re-run (threat model: an insider
with read access to the database and its dumps, and the web server's access log after the vote).

(a) joining the spent codes with every table that holds voting data on PostgreSQL's xmin, on
    physical order (ctid) and on id order;
(b) pairing the sequence of requests an access log records with anything stored per ballot.
Each test fails if a ballot can be paired with its code or its moment better than chance.
"""

import logging
import random
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse

from assessment import selectors, services
from assessment.choices import Choice
from assessment.models import BallotCode, OnlineTally
from jiedao.permissions import ROLE_GROUPS

BALLOTS = 20

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="xmin and ctid are PostgreSQL's"
    ),
    pytest.mark.django_db(transaction=True),  # every cast commits on its own, as in production
]


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    """The role groups come from a data migration; an earlier transactional test's flush removes them."""
    for name in ROLE_GROUPS.values():
        Group.objects.get_or_create(name=name)


@pytest.fixture
def voting(staff, session_a):
    """20 codes of a session of 30 expected voters, and 20 different ballots to cast with them."""
    session_a.expected_voters = 30
    services.session_save(actor=staff, session=session_a)
    codes = services.ballot_codes_issue(actor=staff, session=session_a, count=BALLOTS)
    cadres = list(selectors.ballot_cadres(session_a))
    rng = random.Random(11)
    ballots = [{c.pk: rng.choice(Choice.values) for c in cadres} for _ in codes]
    return session_a, codes, ballots


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _voting_tables() -> list[str]:
    """Every table of the assessment app but the codes' own: wherever a ballot could have left a trace."""
    return [
        t
        for t in connection.introspection.table_names()
        if t.startswith("assessment_") and t != "assessment_ballotcode"
    ]


def _xmins(table: str) -> set[str]:
    return {x for (x,) in _rows(f"SELECT xmin::text FROM {table}")}  # noqa: S608 (names from introspection)


def _counters(session) -> tuple[list, list]:
    """(cadre, rating) of the session's counters in physical order, and in id order."""
    table = OnlineTally._meta.db_table
    sql = f"SELECT cadre_id, choice FROM {table} WHERE session_id = %s ORDER BY "  # noqa: S608
    return _rows(sql + "ctid", [session.pk]), _rows(sql + "id", [session.pk])


def _cast_and_watch(session, codes, ballots) -> int:
    """Cast the ballots, and after each one play the attacker who reads the table at once: check
    the counters' xmin and id order, and guess each cadre's rating in the ballot just cast as the
    one of that cadre's three counters written last on disk. Returns how many guesses were right."""
    id_order = _counters(session)[1]
    hits = 0
    for code, ratings in zip(codes, ballots, strict=True):
        services.ballot_cast(code=code, ratings=ratings)
        # every counter carries one transaction id, whatever was chosen
        assert len(_xmins(OnlineTally._meta.db_table)) == 1
        by_ctid, by_id = _counters(session)
        assert by_id == id_order  # ids are fixed before the vote and never move
        last_on_disk = dict(by_ctid)  # the last of each cadre's counters on disk wins
        hits += sum(last_on_disk[cadre_id] == choice for cadre_id, choice in ratings.items())
    return hits


def test_the_xmin_ctid_and_id_joins_pair_no_ballot_with_its_code(staff, voting):
    session, codes, ballots = voting
    assert not {"assessment_ballot", "assessment_ballotchoice"} & set(connection.introspection.table_names())
    table = OnlineTally._meta.db_table
    hits = _cast_and_watch(session, codes, ballots)
    # Physical order: every cast rewrites every counter, so where a row lands does not depend on
    # what was chosen; guessing from it is right a third of the time, as guessing blind is (60
    # guesses: mean 20, standard deviation 3.7). Rows written per ballot would give 60 of 60.
    guesses = sum(len(b) for b in ballots)
    assert hits < guesses / 3 + 4 * (guesses * (1 / 3) * (2 / 3)) ** 0.5
    spent = dict(_rows("SELECT code, xmin::text FROM assessment_ballotcode WHERE spent"))
    assert set(spent) == set(codes)
    # While voting is open the counters share the last cast's xmin with the last code: one join,
    # and it says nothing, since every counter has it (the totals, not the last ballot).
    assert {code for code, xmin in spent.items() if xmin in _xmins(table)} == {codes[-1]}

    services.session_close_voting(actor=staff, session=session)
    # After the vote: no table holding voting data shares an xmin with any spent code
    spent = dict(_rows("SELECT code, xmin::text FROM assessment_ballotcode WHERE spent"))
    for voting_table in _voting_tables():
        assert not _xmins(voting_table) & set(spent.values()), voting_table
    assert len(_xmins(table)) == 1
    # and the tally is what was cast
    tallies = selectors.tallies(cycle_id=session.cycle_id, community_id=session.community_id)
    for cadre_id, tally in tallies.items():
        cast = [b[cadre_id] for b in ballots]
        expected = tuple(cast.count(choice) for choice in (Choice.SATISFIED, Choice.BASIC, Choice.UNSATISFIED))
        assert (tally.satisfied, tally.basic, tally.unsatisfied) == expected


def test_the_requests_an_access_log_records_cannot_be_paired_with_ballots(client, staff, voting, caplog):
    session, codes, ballots = voting
    tables = connection.introspection.table_names()

    def row_counts():
        return {t: _rows(f"SELECT count(*) FROM {t}")[0][0] for t in tables}  # noqa: S608

    before = row_counts()
    access_log = []  # what nginx would write: method, path, time

    def request(path, data):
        access_log.append(("POST", path, time.time()))
        return client.post(path, data)

    caplog.set_level(logging.DEBUG)
    for code, ratings in zip(codes, ballots, strict=True):
        page = request(reverse("ceping:start"), {"code": services.format_code(code)}).content.decode()
        token = page.split('name="token" value="')[1].split('"')[0]
        response = request(reverse("ceping:vote"), {"token": token} | {f"cadre_{k}": v for k, v in ratings.items()})
        assert response.status_code == 302
        client.get(response.url)
    assert BallotCode.objects.filter(spent=True).count() == BALLOTS
    # no address names a code: every vote is "POST /ceping/" then "POST /ceping/vote/"
    assert {path for _, path, _ in access_log} == {reverse("ceping:start"), reverse("ceping:vote")}
    assert not any(code in path or services.format_code(code) in path for code in codes for _, path, _ in access_log)
    # no log line carries a code either
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert not any(code in logged or services.format_code(code) in logged for code in codes)
    # nothing is stored per ballot: no table gained a row (no ballot rows, no sessions, no log entries)
    assert row_counts() == before
    # so the only per-request sequence (the log's) has nothing stored to be lined up against: the
    # counters hold one xmin, shared by every counter whatever each voter chose
    assert len(_xmins(OnlineTally._meta.db_table)) == 1
