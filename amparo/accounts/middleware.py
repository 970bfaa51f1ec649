import time

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from amparo.accounts import sessions
from amparo.accounts.passkeys import has_passkey, passkey_required
from amparo.audit.models import Action
from amparo.audit.services import event_record

# Only rewrite the session when the last-seen time is this stale, not on every request.
LAST_SEEN_RESOLUTION = 60


def _redirect(request, url: str):
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SessionPolicyMiddleware:
    """Ends a session after 30 minutes without activity or 12 hours after login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            login_at = session.setdefault(sessions.LOGIN_AT, now)
            last_seen = session.get(sessions.LAST_SEEN, now)
            reason = None
            if now - login_at > settings.AMPARO_SESSION_MAX_SECONDS:
                reason = "absolute"
                message = _("Your session reached its maximum length. Please sign in again.")
            elif now - last_seen > settings.AMPARO_SESSION_IDLE_SECONDS:
                reason = "idle"
                message = _("Your session was closed after 30 minutes without activity. "
                            "Please sign in again.")
            if reason:
                event_record(request=request, action=Action.SESSION_EXPIRED, reason=reason)
                logout(request)
                messages.info(request, message)
                return _redirect(request, f"{reverse('account_login')}?next={request.path}")
            if now - last_seen >= LAST_SEEN_RESOLUTION or sessions.LAST_SEEN not in session:
                session[sessions.LAST_SEEN] = now
        return self.get_response(request)


class RequireMFAMiddleware:
    """Outside the demo, an account reaches nothing but the enrolment page (and logout and
    the language switch) until it has enrolled a TOTP authenticator."""

    ALLOWED = frozenset(
        {
            "mfa_activate_totp",
            "mfa_view_recovery_codes",
            "mfa_download_recovery_codes",
            "mfa_generate_recovery_codes",
            "mfa_index",
            "account_logout",
            "account_reauthenticate",
            "mfa_reauthenticate",
            "mfa_add_webauthn",
            "mfa_list_webauthn",
            "mfa_reauthenticate_webauthn",
            "set_language",
            "change_confirm",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.AMPARO_DEMO
            or not request.user.is_authenticated
            or request.session.get(sessions.MFA_OK)
        ):
            return self.get_response(request)
        has_totp = is_mfa_enabled(request.user, [Authenticator.Type.TOTP])
        key_missing = has_totp and passkey_required(request.user) and not has_passkey(
            request.user)
        if has_totp and not key_missing:
            request.session[sessions.MFA_OK] = True
            return self.get_response(request)
        try:
            url_name = resolve(request.path_info).url_name
        except Resolver404:
            url_name = None
        if url_name in self.ALLOWED:
            return self.get_response(request)
        if key_missing:
            messages.warning(request, _(
                "Your role can change who reads survivors' files, so it needs a security key "
                "or passkey as well: add one now (the phone's screen lock, a fingerprint "
                "reader or a USB key)."))
            return _redirect(request, reverse("mfa_add_webauthn"))
        messages.warning(
            request,
            _("Before you continue, set up two-step verification with an authenticator app."),
        )
        return _redirect(request, reverse("mfa_activate_totp"))
