from django.db.models import QuerySet

from amparo.accounts.permissions import can, offices_for
from amparo.audit.models import AccessEvent

# Events about accounts, offices, keys and settings: what an administrator (who reads no case)
# needs to keep the system safe. Logins and failures carry no object.
SECURITY_OBJECTS = ("", "user", "office", "api_token", "calendar_feed", "keyring",
                    "alert_rule", "deadline_rule", "risk_instrument", "institution")


def event_list(
    *, fetched_by, actor: str = "", action: str = "", object_type: str = "", object_id: str = "",
    since=None, until=None,
) -> QuerySet[AccessEvent]:
    """The access log as far as the reader may see it: coordinators their offices' events,
    directors all of it; a reader who reads no case (an administrator) the account and
    security events only: who opened which survivor's file, and why a consent was overridden,
    is not hers to know."""
    events = AccessEvent.objects.select_related("office").order_by("-id")
    offices = offices_for(fetched_by, "audit.view")
    if offices is not None:
        events = events.filter(office_id__in=offices)
    if not can(fetched_by, "case.view"):
        events = events.filter(object_type__in=SECURITY_OBJECTS)
    if actor:
        events = events.filter(actor_username__iexact=actor)
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if since:
        events = events.filter(occurred_at__date__gte=since)
    if until:
        events = events.filter(occurred_at__date__lte=until)
    return events
