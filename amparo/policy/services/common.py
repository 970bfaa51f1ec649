"""What every write of the watchdog's records shares: who may write (`policy.manage`), the
audit event, the fields each record takes."""

from __future__ import annotations

from pathlib import Path

from amparo.audit.services import event_record

DATA = Path(__file__).parent.parent / "data"  # amparo/policy/data
ANSWER_DAYS = 10  # working days, TUO of Ley 27806 (DS 021-2019-JUS), art. 11 b
SERVICE_FIELDS = ["guideline", "number", "name", "receptor", "condition", "provider",
                  "standards", "axis", "known"]
EVIDENCE_FIELDS = ["budget_assigned", "budget_executed", "implementation", "delivered",
                   "delivered_count", "assessment", "notes"]
INSTRUMENT_FIELDS = ["department", "kind", "name", "norm", "starts", "ends", "has_objectives",
                     "budget_lines", "budget", "notes"]



def _event(request, actor, action: str, object_type: str, object_id, reason: str = "") -> None:
    event_record(action=action, request=request, actor=actor, object_type=object_type,
                 object_id=str(object_id), section="policy", reason=reason)
