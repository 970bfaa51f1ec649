"""Session keys and session ending, shared by the login adapter, the session policy and the
user services."""

from allauth.usersessions.models import UserSession

LOGIN_AT = "amparo_login_at"
LAST_SEEN = "amparo_last_seen"
MFA_OK = "amparo_mfa_ok"


def sessions_end_all(user) -> int:
    """End every session of the user at once (deactivation, MFA reset)."""
    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        user_session.end()
        ended += 1
    return ended
