import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, InternalError, connection, transaction
from django.db.utils import DatabaseError

from amparo.audit.models import AccessEvent, AppendOnlyError
from amparo.audit.services import GENESIS_HASH, chain_verify


def raw(sql, params=()):
    """Tamper with the table behind the application's back, as a superuser could (on
    PostgreSQL that means switching triggers off for the session first)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def test_events_form_a_chain_from_the_genesis_hash(events):
    assert events[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    report = chain_verify()
    assert report.intact and report.checked == 5 and report.head == events[-1].hash


def test_an_edited_event_breaks_the_chain_at_that_event(events):
    raw("UPDATE audit_accessevent SET object_id = %s WHERE id = %s",
        ["LIM-2026-9999", events[2].pk])
    report = chain_verify()
    assert report.broken_id == events[2].pk and "changed" in report.problem


def test_a_deleted_event_breaks_the_chain_at_the_next_one(events):
    raw("DELETE FROM audit_accessevent WHERE id = %s", [events[1].pk])
    report = chain_verify()
    assert report.broken_id == events[2].pk and "deleted or reordered" in report.problem


def test_two_swapped_events_break_the_chain(events):
    a, b = events[1], events[3]
    raw("UPDATE audit_accessevent SET object_id = %s, hash = %s, prev_hash = %s WHERE id = %s",
        [b.object_id, "x" * 64, b.prev_hash, a.pk])
    raw("UPDATE audit_accessevent SET object_id = %s, hash = %s, prev_hash = %s WHERE id = %s",
        [a.object_id, a.hash, a.prev_hash, b.pk])
    raw("UPDATE audit_accessevent SET hash = %s WHERE id = %s", [b.hash, a.pk])
    assert chain_verify().broken_id == a.pk


def test_the_verify_command_exits_zero_when_intact_and_names_the_broken_event(events, capsys):
    call_command("audit", "verify")
    assert "intact: 5 events" in capsys.readouterr().out
    raw("UPDATE audit_accessevent SET reason = 'borrado' WHERE id = %s", [events[4].pk])
    with pytest.raises(CommandError, match=f"BROKEN at event #{events[4].pk}"):
        call_command("audit", "verify")


def test_verify_with_an_expected_head_catches_a_cut_off_tail(events):
    call_command("audit", "verify", "--expect-head", events[-1].hash)
    raw("DELETE FROM audit_accessevent WHERE id = %s", [events[-1].pk])
    with pytest.raises(CommandError, match="expected head"):
        call_command("audit", "verify", "--expect-head", events[-1].hash)


def test_the_model_refuses_updates_and_deletes(events):
    event = events[0]
    event.reason = "otra cosa"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()


@pytest.mark.postgres
@pytest.mark.parametrize("sql", [
    "UPDATE audit_accessevent SET reason = 'x'",
    "DELETE FROM audit_accessevent",
])
def test_postgres_itself_refuses_to_change_or_delete_events(events, sql):
    with (pytest.raises((InternalError, DatabaseError, IntegrityError), match="append-only"),
          transaction.atomic(), connection.cursor() as cursor):
        cursor.execute(sql)
    assert AccessEvent.objects.count() == 5
