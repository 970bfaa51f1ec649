import pytest

from amparo.audit.models import AccessEvent, Action
from amparo.audit.services import event_record


@pytest.fixture
def events(make_user):
    actor = make_user("coordinator@lima")
    for n in range(5):
        event_record(actor=actor, action=Action.VIEW, object_type="case",
                     object_id=f"LIM-2026-{n:04d}", section="summary")
    return list(AccessEvent.objects.order_by("id"))
