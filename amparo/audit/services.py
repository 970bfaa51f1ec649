"""Writing and verifying the access log.

Inside a request, `event_record` only queues the event; `AuditedTransactionMiddleware` writes
the queue at the end of the request, in the request's own transaction, so the chain lock is held
for milliseconds and a request whose events cannot be written fails as a whole. Outside a
request (commands, tasks) the event is written at once.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from amparo.accounts.permissions import grants
from amparo.audit.models import AccessEvent

GENESIS_HASH = "0" * 64
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
        for event in events:
            event.prev_hash = previous
            event.hash = event_hash(event)
            previous = event.hash
        AccessEvent.objects.bulk_create(events)


def event_hash(event: AccessEvent) -> str:
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
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
    previous, checked = GENESIS_HASH, 0
    for event in AccessEvent.objects.order_by("id").iterator(chunk_size=5000):
        if event.prev_hash != previous:
            return ChainReport(
                checked,
                previous,
                event.pk,
                "it does not follow the event before it: an event was deleted or reordered",
            )
        if event_hash(event) != event.hash:
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
