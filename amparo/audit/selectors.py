from django.db.models import QuerySet

from amparo.accounts.permissions import offices_for
from amparo.audit.models import AccessEvent


def event_list(
    *, fetched_by, actor: str = "", action: str = "", object_type: str = "", object_id: str = "",
    since=None, until=None,
) -> QuerySet[AccessEvent]:
    """The access log as far as the reader may see it: coordinators their offices' events,
    directors and administrators all of it."""
    events = AccessEvent.objects.select_related("office").order_by("-id")
    offices = offices_for(fetched_by, "audit.view")
    if offices is not None:
        events = events.filter(office_id__in=offices)
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
