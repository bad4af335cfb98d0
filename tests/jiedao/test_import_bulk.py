"""The bulk path of big imports (issue 16): `bulk_insert` writes exactly what `bulk_create` writes,
`filter_in` finds what `__in` finds in one array parameter, `new_instance` is `model()`, and a
roster import's queries do not grow with its rows, creating or updating."""

from datetime import date, datetime, timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from communities.models import PartyMember, Person
from communities.resources import PartyMemberResource
from jiedao import imports
from jiedao.imports.bulk import bulk_insert, filter_in, new_instance
from tests.communities.factories import valid_id_number
from tests.communities.test_import_export import MEMBER_HEADER, csv_upload

pytestmark = pytest.mark.django_db

COMPARED = [f.attname for f in PartyMember._meta.concrete_fields if f.attname not in {"id", "created_at", "updated_at"}]


def members(community, first: int, n: int, **extra) -> list[PartyMember]:
    return [
        PartyMember(
            community=community,
            name=f"党员{first + i}",
            gender="female" if i % 2 else "male",
            birth_date=date(1970, 1, 1 + i),
            id_number=valid_id_number(first + i, date(1970, 1, 1 + i)),
            mobile="" if i % 3 else "13812345678",
            joined_on=date(1995, 7, 1),
            full_on=None if i % 2 else date(1996, 7, 1),
            **extra,
        )
        for i in range(n)
    ]


def stored(objs, *, leave_out=()) -> list[tuple]:
    names = [name for name in COMPARED if name not in leave_out]
    return list(PartyMember.objects.filter(pk__in=[m.pk for m in objs]).order_by("pk").values_list(*names))


def test_bulk_insert_writes_what_bulk_create_writes(community_a):
    by_django = PartyMember.objects.bulk_create(members(community_a, 0, 5))
    ours = bulk_insert(PartyMember, members(community_a, 100, 5))
    assert all(m.pk and not m._state.adding and m.created_at and m.updated_at for m in ours)
    assert [m.pk for m in ours] == sorted(m.pk for m in ours) and len({m.pk for m in ours}) == 5
    unique = ("name", "id_number")  # the only values that differ between the two lists
    assert stored(ours, leave_out=unique) == stored(by_django, leave_out=unique)
    keys = [(row[COMPARED.index("name")], row[COMPARED.index("id_number")]) for row in stored(ours)]
    assert keys == [(m.name, m.id_number) for m in ours]  # each object got its own row's id
    assert PartyMember.objects.get(pk=ours[0].pk).created_at == ours[0].created_at


def test_bulk_insert_converts_values_of_another_type_as_django_does(community_a):
    member = members(community_a, 0, 1)[0]
    member.joined_on = datetime(1995, 7, 1, 10, 30)  # a datetime for a date column
    member.name = 12345  # a number for a text column
    bulk_insert(PartyMember, [member])
    row = PartyMember.objects.get(pk=member.pk)
    assert (row.joined_on, row.name) == (date(1995, 7, 1), "12345")


def test_bulk_insert_takes_the_id_of_a_related_row_saved_after_it_was_set(community_a):
    person = Person(community=community_a, name="王一")
    member = members(community_a, 0, 1)[0]
    member.person = person  # not saved yet
    bulk_insert(Person, [person])
    bulk_insert(PartyMember, [member])
    assert PartyMember.objects.get(pk=member.pk).person_id == person.pk


def test_bulk_insert_falls_back_to_bulk_create_for_other_columns(staff, community_a):
    kind = ContentType.objects.get_for_model(PartyMember)
    entry = LogEntry(content_type=kind, object_pk="1", object_repr="x", action=0, changes={"name": ["", "x"]})
    bulk_insert(LogEntry, [entry])  # a JSON column: written by bulk_create
    assert LogEntry.objects.get(pk=entry.pk).changes_dict == {"name": ["", "x"]}


def test_filter_in_finds_what_in_finds_in_one_parameter(community_a):
    saved = PartyMember.objects.bulk_create(members(community_a, 0, 30))
    wanted = [m.id_number for m in saved[::3]] + ["510108197001010000"]
    with CaptureQueriesContext(connection) as queries:
        found = sorted(filter_in(PartyMember.objects.all(), "id_number", wanted).values_list("pk", flat=True))
    assert found == sorted(PartyMember.objects.filter(id_number__in=wanted).values_list("pk", flat=True))
    assert len(found) == 10 and "unnest" in queries[0]["sql"] and queries[0]["sql"].count("5101") <= 1 + len(wanted)
    assert list(filter_in(PartyMember.objects.all(), "id_number", [])) == []
    # anything that is not plain text or numbers is an ordinary IN
    assert filter_in(PartyMember.objects.all(), "community", [community_a]).count() == 30


def test_new_instance_is_model():
    made, copied = PartyMember(), new_instance(PartyMember)
    assert {k: v for k, v in copied.__dict__.items() if k != "_state"} == {
        k: v for k, v in made.__dict__.items() if k != "_state"
    }
    assert copied._state.adding and copied._state is not new_instance(PartyMember)._state
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(listener, sender=Person)
    try:
        person = new_instance(Person)  # someone listens: made the usual way
    finally:
        post_init.disconnect(listener, sender=Person)
    assert seen == [person]


def roster(first: int, n: int, mobile: str = "13812345678") -> list[list[str]]:
    rows = [MEMBER_HEADER]
    for i in range(first, first + n):
        birth = date(1960, 1, 1) + timedelta(days=i)
        rows.append(
            ["A01", f"党员{i}", "男", birth.isoformat(), valid_id_number(i, birth), mobile, "1995-07-01", "正式"]
        )
    return rows


def queries_of(resource, rows) -> int:
    with CaptureQueriesContext(connection) as queries:
        outcome = imports.run_import(resource, csv_upload(rows))
    assert outcome.ok, outcome.problems
    return len(queries)


def test_a_roster_imports_in_the_same_queries_whatever_its_length(staff, community_a):
    created = [queries_of(PartyMemberResource(actor=staff), roster(first, n)) for first, n in ((0, 3), (100, 40))]
    assert PartyMember.objects.count() == Person.objects.count() == 43
    assert created[0] == created[1], created
    # every row updated (a new mobile): the stored foreign keys are not checked row by row
    updated = [
        queries_of(PartyMemberResource(actor=staff), roster(first, n, mobile="13987654321"))
        for first, n in ((0, 3), (100, 40))
    ]
    assert updated[0] == updated[1], updated
    assert set(PartyMember.objects.values_list("mobile", flat=True)) == {"13987654321"}


def test_log_bulk_records_a_new_row_as_auditlog_does_without_a_query_per_row(staff, community_a):
    from jiedao.audit import log_bulk

    saved = members(community_a, 0, 1)[0]
    saved.save()  # auditlog's own entry
    by_auditlog = LogEntry.objects.get_for_object(saved).get().changes_dict
    written = bulk_insert(PartyMember, members(community_a, 10, 5))
    with CaptureQueriesContext(connection) as queries:
        log_bulk(actor=staff, created=written)
    assert len(queries) == 1  # the entries, in one statement
    first = LogEntry.objects.get_for_object(written[0]).get().changes_dict
    assert set(first) == set(by_auditlog)
