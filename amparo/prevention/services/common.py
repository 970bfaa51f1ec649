"""What every write of the prevention team shares: the right (`prevention.manage` in the
activity's office), the audit event, the fields an activity takes."""

from __future__ import annotations

from amparo.audit.services import event_record

MAX_QUESTIONS = 50
QUESTION_LENGTH = 300
ACTIVITY_FIELDS = ["kind", "title", "office", "starts_on", "ends_on", "ubigeo", "place_name",
                   "topics", "hours", "audiences", "project", "external_facilitators", "status",
                   "min_attendance", "post_test_required", "test_max", "test_questions"]
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"



def _event(request, actor, action: str, object_type: str, object_id: str, office=None,
           reason: str = "") -> None:
    event_record(action=action, request=request, actor=actor, object_type=object_type,
                 object_id=object_id, section="prevention", office=office, reason=reason)
