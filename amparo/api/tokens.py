"""API tokens: `amp_<prefix>_<secret>`; the database keeps only the prefix and a digest."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from amparo.accounts.changes import tell
from amparo.accounts.permissions import can
from amparo.api.models import ApiToken
from amparo.audit.services import event_record


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


MAX_DAYS = 90  # a token skips the second factor: it lives weeks, not a year
MIN_REASON = 10


@transaction.atomic
def token_create(*, user, name: str, days: int = 30, reason: str = "", actor=None,
                 request=None) -> tuple[ApiToken, str]:
    """A token for a program acting as `user`, who says why. The secret is returned once and
    never stored. A token acts only as the person who made it: `actor` makes one for herself,
    or (an administrator) for a service account, whose roles a second person approved. From
    the command line (`actor` None: the server's operator) the person is told by e-mail."""
    if actor is not None and actor.pk != user.pk and not (
            user.is_service and can(actor, "user.manage")):
        raise PermissionDenied(_(
            "A token acts only as the person who makes it. For a program, make a service "
            "account (its roles approved by a second person) and a token for it."))
    errors = {}
    if not user.is_active:
        errors["user"] = _("This account is deactivated; a token for it would not work.")
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        errors["days"] = _("Choose from 1 to %(n)s days.") % {"n": MAX_DAYS}
    if len((reason or "").strip()) < MIN_REASON:
        errors["reason"] = _("Say in a few words what the token is for and who asked for it.")
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    secret = f"amp_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user=user, name=(name or "api").strip()[:100], prefix=prefix,
                     digest=_digest(secret), created_by=actor,
                     expires_at=timezone.now() + timedelta(days=days))
    token.reason = reason.strip()
    token.save()
    event_record(action="create", request=request, actor=actor,
                 actor_username=None if actor else "(command)", object_type="api_token",
                 object_id=str(token.pk),
                 reason=f"token {prefix} for {user.username}: {token.name}; {days} days; "
                        f"why: sealed in token {token.pk}")
    if actor is None and not user.is_service:
        said = _("A token that acts as your Amparo account %(user)s was made from the server's "
                 "command line (%(prefix)s…, until %(until)s): %(why)s") % {
                     "user": user.username, "prefix": prefix,
                     "until": f"{token.expires_at:%d/%m/%Y}", "why": reason.strip()}
        transaction.on_commit(lambda: tell(user, _("a token for your account"), [said]))
    return token, secret


def token_acts_for_its_maker(token: ApiToken) -> bool:
    """Made by the person it acts as, for a service account, or by the server's operator."""
    return (token.created_by_id is None or token.created_by_id == token.user_id
            or token.user.is_service)


@transaction.atomic
def token_revoke(*, token: ApiToken, actor=None, request=None) -> None:
    if actor is not None and not can(actor, "user.manage"):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        event_record(action="delete", request=request, actor=actor,
                     actor_username=None if actor else "(command)", object_type="api_token",
                     object_id=str(token.pk), reason=f"token {token.prefix} revoked")


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header.startswith(f"{self.keyword} "):
            return None
        secret = header[len(self.keyword) + 1 :].strip()
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=_digest(secret), revoked_at__isnull=True,
                    expires_at__gt=timezone.now())
            .first()
        )
        # A token an administrator once made as somebody else no longer opens anything.
        if token is None or not token.user.is_active or not token_acts_for_its_maker(token):
            raise exceptions.AuthenticationFailed(_(
                "This token is not valid, has expired or was revoked; ask for a new one "
                "(amparo token create)."))
        if token.last_used_at is None or timezone.now() - token.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class TokenScheme(OpenApiAuthenticationExtension):
    """Describes the bearer token in the OpenAPI schema."""

    target_class = "amparo.api.tokens.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "`amparo token create <username>` prints a token."}
