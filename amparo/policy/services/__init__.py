"""Every write of the watchdog's records: the policy's structure (loaded from its data file, then
completed by the team with every change kept), evidence and its sources, information requests
with their legal deadline, regional instruments, editions and their chapters.

Each write checks `policy.manage` and leaves an audit event. A refusal says, in the user's
language, what is wrong and what to do."""

from amparo.policy.services.common import (  # noqa: F401
    ANSWER_DAYS,
    DATA,
    EVIDENCE_FIELDS,
    INSTRUMENT_FIELDS,
    SERVICE_FIELDS,
)
from amparo.policy.services.editions import (  # noqa: F401
    chapter_save,
    edition_save,
    instrument_save,
    scale_parse,
)
from amparo.policy.services.evidence import (  # noqa: F401
    _money,
    evidence_save,
    source_add,
)
from amparo.policy.services.requests import (  # noqa: F401
    _request_code,
    answer_document_add,
    answer_document_open,
    reminder_add,
    request_create,
    request_due,
    request_update,
)
from amparo.policy.services.structure import (  # noqa: F401
    Loaded,
    _count,
    guideline_save,
    indicator_save,
    service_save,
    structure_load,
    structure_load_shipped,
    targets_parse,
)
