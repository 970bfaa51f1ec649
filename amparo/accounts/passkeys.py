"""Security keys and passkeys (WebAuthn, through allauth's MFA) for the roles that decide who
reads survivors' files: administrators and the direction. They must add one before anything
else, and their fresh second-factor checks (granting roles, exports, breaking the glass) ask
for the key, not a six-digit code that can be read over a shoulder or phished."""

from __future__ import annotations

from allauth.mfa.models import Authenticator

from amparo.accounts.roles import Role

PASSKEY_ROLES = frozenset({Role.ADMIN, Role.DIRECTOR})


def passkey_required(user) -> bool:
    return user.role_assignments.filter(role__in=PASSKEY_ROLES).exists()


def has_passkey(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).exists()
