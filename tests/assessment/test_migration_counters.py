"""Migration 0003 folds the online ballots of the first version into counters and drops the
per-ballot tables: the tally of every cadre is the same before and after."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("assessment", "0002_session_voting_closed")]
AFTER = [("assessment", "0003_online_tallies_and_slip_jobs")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_online_ballots_become_counters_with_the_same_tally(community_a, community_b):
    apps = migrate(BEFORE)
    try:
        cycle_model = apps.get_model("assessment", "AppraisalCycle")
        session_model = apps.get_model("assessment", "BallotSession")
        ballot_model = apps.get_model("assessment", "Ballot")
        choice_model = apps.get_model("assessment", "BallotChoice")
        cadre_model = apps.get_model("communities", "Cadre")
        paper_model = apps.get_model("assessment", "PaperTally")
        cycle = cycle_model.objects.create(year=2005, status="open")
        session = session_model.objects.create(cycle=cycle, community_id=community_a.pk, expected_voters=10)
        other = session_model.objects.create(cycle=cycle, community_id=community_b.pk, expected_voters=5)
        zhang = cadre_model.objects.create(
            community_id=community_a.pk, name="张国华", post="党委书记", term_start="2003-01-01"
        )
        li = cadre_model.objects.create(
            community_id=community_a.pk, name="李秀英", post="主任", term_start="2003-01-01"
        )
        chen = cadre_model.objects.create(
            community_id=community_b.pk, name="陈丛树", post="党委书记", term_start="2003-01-01"
        )
        cast = [("satisfied", "basic"), ("satisfied", "unsatisfied"), ("basic", "basic")]
        for for_zhang, for_li in cast:
            ballot = ballot_model.objects.create(session=session, cast_on="2005-12-01")
            choice_model.objects.create(ballot=ballot, cadre=zhang, choice=for_zhang)
            choice_model.objects.create(ballot=ballot, cadre=li, choice=for_li)
        paper_model.objects.create(session=other, cadre=chen, satisfied=3, basic=1, unsatisfied=1)

        apps = migrate(AFTER)
        tally_model = apps.get_model("assessment", "OnlineTally")
        counts = {(t.session_id, t.cadre_id, t.choice): t.count for t in tally_model.objects.all()}
        assert counts == {
            (session.pk, zhang.pk, "satisfied"): 2,
            (session.pk, zhang.pk, "basic"): 1,
            (session.pk, zhang.pk, "unsatisfied"): 0,
            (session.pk, li.pk, "satisfied"): 0,
            (session.pk, li.pk, "basic"): 2,
            (session.pk, li.pk, "unsatisfied"): 1,
        }
        # paper tallies stay as they were; the per-ballot tables are gone
        paper = apps.get_model("assessment", "PaperTally").objects.get()
        assert (paper.satisfied, paper.basic, paper.unsatisfied) == (3, 1, 1)
        tables = set(connection.introspection.table_names())
        assert not {"assessment_ballot", "assessment_ballotchoice"} & tables
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
