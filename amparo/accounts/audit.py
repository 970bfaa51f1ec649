"""allauth sends this signal after the request's transaction commits, so the event is written
at once rather than queued."""

from amparo.accounts import sessions
from amparo.audit.models import Action
from amparo.audit.services import event_record


def record_authenticator_added(sender, request, user, authenticator, **kwargs):
    event_record(
        request=request, actor=user, action=Action.MFA_ENROLLED, object_type="user",
        object_id=str(user.pk), reason=authenticator.type, queue=False,
    )
    if request is not None and hasattr(request, "session"):
        request.session[sessions.MFA_OK] = True
