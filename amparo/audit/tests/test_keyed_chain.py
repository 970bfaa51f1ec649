"""Issue 16, finding 14: the chain is keyed (HMAC with a key-ring key, not the database), so
someone who can write the database cannot rebuild it after a change; its head is anchored
outside the database, so a log cut short or rebuilt does not match its anchors."""

import hashlib
import json
from datetime import UTC

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amparo.audit.models import AccessEvent
from amparo.audit.services import GENESIS_HASH, anchor_write, anchors_check, chain_verify
from amparo.audit.tests.test_chain import raw
from amparo.crypto.keyring import parse_keyring


def _plain(event, prev, **changes) -> str:
    """What an insider can compute: the old SHA-256 link, without the key ring."""
    payload = {"prev": prev, "at": event.occurred_at.astimezone(UTC).isoformat(
        timespec="microseconds"), "actor": event.actor_id, "username": event.actor_username,
        "role": event.role, "office": event.office_id, "action": event.action,
        "type": event.object_type, "id": event.object_id, "ids": list(event.object_ids),
        "section": event.section, "ip": event.ip, "reason": event.reason, **changes}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def test_new_events_are_linked_with_the_current_key_ring_key(events, settings):
    assert {e.key_id for e in events} == {settings.AMPARO_KEYRING.current_id}
    assert events[0].hash != _plain(events[0], GENESIS_HASH)  # not a bare SHA-256
    assert chain_verify().intact


def test_an_insider_who_rebuilds_the_chain_without_the_key_is_caught(events):
    """She edits an event and recomputes every link after it, in the old plain form."""
    previous = events[1].hash
    for event in events[2:]:
        reason = "nada que ver" if event.pk == events[2].pk else event.reason
        new = _plain(event, previous, reason=reason)
        raw("UPDATE audit_accessevent SET reason = %s, key_id = '', prev_hash = %s, hash = %s "
            "WHERE id = %s", [reason, previous, new, event.pk])
        previous = new
    report = chain_verify()
    assert report.broken_id == events[2].pk and "without the key" in report.problem


def test_the_whole_log_rebuilt_unkeyed_is_caught_by_its_anchors(events):
    anchor_write()
    previous = GENESIS_HASH
    for event in events:
        new = _plain(event, previous)
        raw("UPDATE audit_accessevent SET key_id = '', prev_hash = %s, hash = %s WHERE id = %s",
            [previous, new, event.pk])
        previous = new
    assert chain_verify().intact  # in itself it looks like an old, unkeyed log
    problems = anchors_check().problems
    assert len(problems) == 1 and "rebuilt" in problems[0]
    with pytest.raises(CommandError, match="does not match its anchors"):
        call_command("audit", "verify")


def test_a_chain_signed_with_another_key_does_not_verify(events, settings):
    settings.AMPARO_KEYRING = parse_keyring(
        "test2:" + "MzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzM=")
    assert "was changed" in chain_verify().problem
    settings.AMPARO_KEYRING = parse_keyring(
        "other:" + "MzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzM=")
    assert "not in the key ring" in chain_verify().problem


def test_a_tail_cut_after_an_anchor_is_caught(events, capsys):
    anchor_write()
    call_command("audit", "verify")
    assert "1 anchors match" in capsys.readouterr().out
    raw("DELETE FROM audit_accessevent WHERE id >= %s", [events[3].pk])
    assert chain_verify().intact  # the rest still links up
    problems = anchors_check().problems
    assert len(problems) == 1 and "gone: the log was cut" in problems[0]


def test_a_forged_anchor_is_refused(events, settings):
    anchor_write()
    path = settings.AMPARO_AUDIT_ANCHOR
    entry = json.loads(path.read_text())
    entry["count"] = 99
    path.write_text(json.dumps(entry) + "\n")
    assert anchors_check().problems == ["line 1: forged or altered anchor"]


def test_the_anchor_command_appends_the_head(events, settings, capsys):
    call_command("audit", "anchor")
    call_command("audit", "anchor")
    lines = settings.AMPARO_AUDIT_ANCHOR.read_text().splitlines()
    assert len(lines) == 2
    head = json.loads(lines[-1])
    assert head["id"] == AccessEvent.objects.order_by("-id").first().pk
    assert head["count"] == AccessEvent.objects.count()
    assert f"#{head['id']}" in capsys.readouterr().out
