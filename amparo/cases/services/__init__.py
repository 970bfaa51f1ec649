"""Every write to a case file: one transaction, the access check, the audit event."""

from amparo.cases.services.case import (  # noqa: F401
    case_assign,
    case_close,
    case_intake,
    case_reopen,
    case_status_change,
    case_update,
    identity_update,
)
from amparo.cases.services.records import (  # noqa: F401
    assessment_record,
    consent_record,
    document_add,
    document_open,
    episode_save,
    follow_up_record,
    note_add,
    plan_action_add,
    plan_action_update,
    plan_approve,
    plan_create,
    service_record,
)
