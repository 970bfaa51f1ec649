"""Every write to a criminal proceeding: one transaction, the access check (`proceeding.edit`,
held by the case's lawyer), the procedural rules of `procedure.py`, and the audit event. One
module per topic; callers import from here."""

from amparo.legal.services.calendar import (  # noqa: F401
    calendar_feed_create,
    calendar_feed_revoke,
    deadline_rule_update,
    feed_digest,
)
from amparo.legal.services.common import PROCEEDING_FIELDS  # noqa: F401
from amparo.legal.services.parties import (  # noqa: F401
    defendant_details,
    defendant_save,
    hearing_outcome,
    hearing_save,
    measure_save,
)
from amparo.legal.services.proceedings import (  # noqa: F401
    deadline_close,
    due_date,
    proceeding_save,
    step_record,
)
from amparo.legal.services.reparation import (  # noqa: F401
    payment_record,
    reparation_balance,
    sentence_record,
    sentences_in_force,
)
