from amparo.cases.views.case import (  # noqa: F401
    case_assign,
    case_close,
    case_edit,
    case_list,
    case_status,
    case_summary,
    identity,
    intake,
)
from amparo.cases.views.glass import glass_log, glass_open  # noqa: F401
from amparo.cases.views.records import (  # noqa: F401
    accesses,
    assessments,
    consents,
    document_download,
    documents_tab,
    episodes,
    follow_ups,
    notes,
    plan,
    plan_action_add,
    plan_action_update,
    plan_approve,
    services_tab,
    timeline,
)
