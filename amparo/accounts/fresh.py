"""A fresh second factor before the acts an attacker at an unlocked screen would want most:
granting or approving roles, exporting survivors' rows, breaking the glass.

The person must have given her second factor (authenticator code, or security key) within the
last `FRESH_SECONDS`; otherwise she is sent to confirm it (allauth's MFA reauthentication) and
what she posted is replayed afterwards, so nothing she typed is lost."""

from __future__ import annotations

import time
from functools import wraps

from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from django.conf import settings
from django.urls import reverse

from amparo.accounts.passkeys import passkey_required

FRESH_SECONDS = 300


def second_factor_fresh(request, *, key: bool) -> bool:
    """Given within FRESH_SECONDS; with the security key when `key` (administrators and the
    direction)."""
    if settings.AMPARO_DEMO:  # the demo has no second factor at all
        return True
    now = time.time()
    return any(record.get("method") == "mfa" and now - record.get("at", 0) <= FRESH_SECONDS
               and (not key or record.get("type") == "webauthn")
               for record in get_authentication_records(request, request.user))


def fresh_second_factor(view=None, *, methods: tuple[str, ...] = ("POST",), when=None):
    """Require a fresh second factor for requests with these methods (POST by default; an
    export that downloads with GET passes `methods=("GET",)`), and, given `when`, only for the
    requests it accepts."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and (when is None or when(request)):
                key = passkey_required(request.user)
                if not second_factor_fresh(request, key=key):
                    confirm = "mfa_reauthenticate_webauthn" if key else "mfa_reauthenticate"
                    return suspend_request(request, reverse(confirm))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate
