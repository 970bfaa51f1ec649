"""How django-allauth behaves in Amparo: no sign-up, every login and failure audited, TOTP
seeds sealed under the key ring, and a second factor that users cannot remove themselves."""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings
from django.core.exceptions import ValidationError

from amparo.accounts import sessions
from amparo.accounts.models import User
from amparo.audit.models import Action
from amparo.audit.services import event_record
from amparo.crypto.secretbox import PREFIX, seal, unseal

TOTP_CONTEXT = "mfa_authenticator:totp_secret"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def login(self, request, user) -> None:
        super().login(request, user)
        now = time.time()
        request.session[sessions.LOGIN_AT] = now
        request.session[sessions.LAST_SEEN] = now
        event_record(request=request, actor=user, action=Action.LOGIN)

    def logout(self, request) -> None:
        if request.user.is_authenticated:
            event_record(request=request, action=Action.LOGOUT)
        super().logout(request)

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            self._record_failure(request, credentials, "locked: too many failed attempts")
            raise

    def authentication_failed(self, request, **credentials) -> None:
        self._record_failure(request, credentials, "wrong password or inactive account")

    def _record_failure(self, request, credentials, reason: str) -> None:
        # The attempted name is kept only when it is a real account: a mistyped password in the
        # user-name field must not land in an append-only log.
        name = (credentials.get("username") or "").strip()
        user = User.objects.filter(username__iexact=name).only("pk", "username").first()
        event_record(
            request=request,
            actor=None,
            actor_username=user.username if user else "",
            role="",
            office=None,
            action=Action.LOGIN_FAILED,
            object_type="user" if user else "",
            object_id=str(user.pk) if user else "",
            reason=reason if user else "unknown user name",
        )


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return seal(text, TOTP_CONTEXT)

    def decrypt(self, encrypted_text: str) -> str:
        return unseal(encrypted_text, TOTP_CONTEXT)

    def can_delete_authenticator(self, authenticator) -> bool:
        # Outside the demo a second factor is mandatory; an administrator resets a lost one.
        return settings.AMPARO_DEMO


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions) -> None:
        from amparo.accounts.services import user_sessions_end

        user_sessions_end(sessions=sessions)


def second_factors_reseal(current: str) -> int:
    """Key rotation: the TOTP secrets and recovery seeds sealed under an older key, resealed under
    `current` (registered with `crypto.services` by this app's ready())."""
    from allauth.mfa.models import Authenticator
    from django.db import transaction

    count = 0
    with transaction.atomic():
        for authenticator in Authenticator.objects.select_for_update():
            changed = False
            for field in ("secret", "seed"):
                sealed = authenticator.data.get(field)
                if (isinstance(sealed, str) and sealed.startswith(f"{PREFIX}:")
                        and sealed.split(":", 2)[1] != current):
                    authenticator.data[field] = seal(unseal(sealed, TOTP_CONTEXT), TOTP_CONTEXT)
                    changed = True
            if changed:
                authenticator.save(update_fields=["data"])
                count += 1
    return count
