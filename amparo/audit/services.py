"""Writing and verifying the access log.

Inside a request, `event_record` only queues the event; `AuditedTransactionMiddleware` writes
the queue at the end of the request, in the request's own transaction, so the chain lock is held
for milliseconds and a request whose events cannot be written fails as a whole. Outside a
request (commands, tasks) the event is written at once.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from amparo.accounts.permissions import grants
from amparo.audit.models import AccessEvent
from amparo.crypto.keyring import KeyringError

GENESIS_HASH = "0" * 64
UNKEYED = ""  # the key id of events written before the chain was keyed (plain SHA-256)
# Any constant works; it names the PostgreSQL advisory lock that serialises chain appends.
_CHAIN_LOCK_KEY = 4_721_042_017


def event_record(
    *,
    action: str,
    request=None,
    actor=None,
    actor_username: str | None = None,
    object_type: str = "",
    object_id: str = "",
    object_ids: list[str] | tuple[str, ...] = (),
    section: str = "",
    reason: str = "",
    role: str | None = None,
    office=None,
    queue: bool = True,
) -> AccessEvent:
    """Record one event. `queue=False` writes it at once even inside a request (for callbacks
    that run after the request's transaction, such as allauth's on-commit signals)."""
    request = getattr(request, "_request", request)  # a DRF request wraps Django's
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if actor is not None and not actor.is_authenticated:
        actor = None
    event = AccessEvent(
        occurred_at=timezone.now(),
        actor=actor,
        actor_username=actor_username if actor_username is not None else _username(actor),
        role=role if role is not None else _role_summary(actor),
        office=office if office is not None else _single_office(actor),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_ids=[str(i) for i in object_ids],
        section=section,
        ip=_client_ip(request),
        reason=reason,
    )
    pending = getattr(request, "_audit_queue", None) if queue and request is not None else None
    if pending is not None:
        pending.append(event)
    else:
        events_write([event])
    return event


def section_event(request, section: str, object_type: str, object_id="", reason: str = "", *,
                  action: str = "view", actor=None, office=None) -> AccessEvent:
    """The event of a page or an answer of a section that is not a case file (policy, results,
    research, prevention): who read or did what, there. The one helper every such app uses."""
    return event_record(action=action, request=request, actor=actor, object_type=object_type,
                        object_id=str(object_id), section=section, reason=reason, office=office)


def events_write(events: list[AccessEvent]) -> None:
    """Append events to the chain. Must succeed, or the caller's transaction fails."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        previous = (
            AccessEvent.objects.order_by("-id").values_list("hash", flat=True).first()
            or GENESIS_HASH
        )
        key_id = settings.AMPARO_KEYRING.current_id
        for event in events:
            event.prev_hash, event.key_id = previous, key_id
            event.hash = event_hash(event)
            previous = event.hash
        AccessEvent.objects.bulk_create(events)


@lru_cache(maxsize=16)
def _chain_key(key: bytes) -> bytes:
    """The chain's own key, derived from a key-ring key (never stored in the database)."""
    return hmac.new(key, b"amparo audit chain v1", hashlib.sha256).digest()


def chain_mac(key_id: str, text: str) -> str:
    """HMAC-SHA256 under the chain key derived from key-ring key `key_id` (KeyringError when
    the key ring no longer holds it)."""
    key = _chain_key(settings.AMPARO_KEYRING.get(key_id))
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def event_hash(event: AccessEvent) -> str:
    """The event's link in the chain: an HMAC under a key-ring key, so whoever can write the
    database cannot rebuild the chain after changing it. (Events from before the chain was
    keyed keep their plain SHA-256; the first keyed event seals them by its `prev`.)"""
    payload = {
        "prev": event.prev_hash,
        "at": event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "username": event.actor_username,
        "role": event.role,
        "office": event.office_id,
        "action": event.action,
        "type": event.object_type,
        "id": event.object_id,
        "ids": list(event.object_ids),
        "section": event.section,
        "ip": event.ip,
        "reason": event.reason,
    }
    if event.key_id != UNKEYED:
        payload["key"] = event.key_id
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if event.key_id == UNKEYED:
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return chain_mac(event.key_id, canonical)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head: str
    broken_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_id is None


def chain_verify() -> ChainReport:
    """Recompute the whole chain in order; stop at the first event that does not fit."""
    previous, checked, keyed = GENESIS_HASH, 0, False
    for event in AccessEvent.objects.order_by("id").iterator(chunk_size=5000):
        if event.key_id == UNKEYED and keyed:
            return ChainReport(checked, previous, event.pk,
                               "it claims the old unkeyed form after keyed events: it was "
                               "rewritten by someone without the key")
        keyed = keyed or event.key_id != UNKEYED
        if event.prev_hash != previous:
            return ChainReport(
                checked,
                previous,
                event.pk,
                "it does not follow the event before it: an event was deleted or reordered",
            )
        try:
            fits = hmac.compare_digest(event_hash(event), event.hash)
        except KeyringError:
            return ChainReport(checked, previous, event.pk,
                               f"it was signed with key '{event.key_id}', which is not in the "
                               "key ring: add the key back to check it")
        if not fits:
            return ChainReport(
                checked, previous, event.pk, "its content does not match its hash: it was changed"
            )
        previous = event.hash
        checked += 1
    return ChainReport(checked, previous)


def _username(actor) -> str:
    return actor.get_username() if actor is not None else ""


def _role_summary(actor) -> str:
    if actor is None:
        return ""
    return ",".join(sorted({g.role.value for g in grants(actor)}))


def _single_office(actor):
    if actor is None:
        return None
    offices = {g.office_id for g in grants(actor) if g.office_id is not None}
    if len(offices) == 1:
        from amparo.accounts.models import Office

        return Office(pk=offices.pop())
    return None


def _client_ip(request) -> str | None:
    if request is None:
        return None
    from allauth.account.adapter import get_adapter  # honours the trusted proxy settings

    try:
        return ipaddress.ip_address(get_adapter(request).get_client_ip(request)).compressed
    except (ValueError, TypeError, PermissionDenied):  # no usable address on the request
        return None


# ---- anchors: the head written outside the database ---------------------------------------------

def _anchor_text(entry: dict) -> str:
    return f"{entry['at']}|{entry['id']}|{entry['hash']}|{entry['count']}"


def anchor_write(path=None) -> dict:
    """Append the chain's head (last event id and hash, number of events) to the anchor file,
    with an HMAC under the current key-ring key: whoever rebuilds or cuts the log in the
    database cannot make it agree with the anchors, nor forge an anchor without the key."""
    path = Path(path or settings.AMPARO_AUDIT_ANCHOR)
    head = AccessEvent.objects.order_by("-id").values("id", "hash").first() or {
        "id": 0, "hash": GENESIS_HASH}
    key_id = settings.AMPARO_KEYRING.current_id
    entry = {"at": timezone.now().astimezone(UTC).isoformat(timespec="seconds"),
             "id": head["id"], "hash": head["hash"],
             "count": AccessEvent.objects.filter(id__lte=head["id"]).count(), "key": key_id}
    entry["mac"] = chain_mac(key_id, _anchor_text(entry))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(entry, sort_keys=True) + "\n")
    return entry


@dataclass(frozen=True)
class AnchorReport:
    checked: int
    problems: list[str]
    missing: bool = False


def anchors_check(path=None) -> AnchorReport:
    """Each anchor must be genuine (its HMAC) and the database must still hold its event, with
    its hash, and as many events up to it as when it was written."""
    path = Path(path or settings.AMPARO_AUDIT_ANCHOR)
    if not path.exists():
        return AnchorReport(0, [], missing=True)
    problems, checked = [], 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            expected = chain_mac(entry["key"], _anchor_text(entry))
        except (ValueError, KeyError, TypeError):
            problems.append(f"line {number}: not an anchor")
            continue
        except KeyringError:
            problems.append(f"line {number}: key '{entry['key']}' is not in the key ring")
            continue
        if not hmac.compare_digest(expected, str(entry.get("mac", ""))):
            problems.append(f"line {number}: forged or altered anchor")
            continue
        checked += 1
        if entry["id"] == 0:
            continue
        stored = AccessEvent.objects.filter(pk=entry["id"]).values_list("hash", flat=True).first()
        if stored != entry["hash"]:
            problems.append(f"line {number} ({entry['at']}): event #{entry['id']} is "
                            + ("gone: the log was cut" if stored is None else
                               "not the one anchored: the log was rebuilt"))
        elif AccessEvent.objects.filter(id__lte=entry["id"]).count() != entry["count"]:
            problems.append(f"line {number} ({entry['at']}): events up to #{entry['id']} were "
                            f"{entry['count']}, now they are not: some were removed")
    return AnchorReport(checked, problems)
