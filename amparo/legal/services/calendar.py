"""The personal calendar feed (its secret shown once, only a digest stored) and the deadline
rules coordinators may adjust."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.permissions import can
from amparo.audit.services import event_record
from amparo.legal.models import (
    CalendarFeed,
    DeadlineRule,
)


def feed_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, actor: User, request=None) -> str:
    """A new secret address for the user's calendar; any earlier one stops working. Returns the
    token, shown once."""
    calendar_feed_revoke(actor=actor, request=request, quiet=True)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=actor, digest=feed_digest(token), prefix=token[:8])
    _event(request, actor, "create")
    return token


def calendar_feed_revoke(*, actor: User, request=None, quiet: bool = False,
                         owner: User | None = None) -> int:
    """Revoke the user's calendar address; an administrator may revoke anyone's (`owner`)."""
    owner = owner or actor
    if owner != actor and not can(actor, "user.manage"):
        raise PermissionDenied
    count = CalendarFeed.objects.filter(user=owner, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    if count and not quiet:
        _event(request, actor, "update", reason="revoked", owner=owner)
    return count


def _event(request, actor, action, reason="", owner=None):
    event_record(action=action, request=request, actor=actor, object_type="calendar_feed",
                 object_id=str((owner or actor).pk), reason=reason)


@transaction.atomic
def deadline_rule_update(*, actor: User, request=None, rule: DeadlineRule, days: int,
                         working_days: bool, active: bool) -> DeadlineRule:
    """Change how many days a rule gives. Deadlines already opened keep their date."""
    if not can(actor, "reference.manage"):
        raise PermissionDenied
    if not 1 <= days <= 365:
        raise ValidationError({"days": _("Write a number of days from 1 to 365.")})
    rule.days, rule.working_days, rule.active = days, working_days, active
    rule.save()
    event_record(action="update", request=request, actor=actor, object_type="deadline_rule",
                 object_id=str(rule.pk), reason=f"{rule.decision}: {days}")
    return rule
