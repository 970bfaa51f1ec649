"""Every write of the prevention team: one transaction, the right (`prevention.manage` in the
activity's office), the checks, the audit event. Participants are recognised here, once, so
that every count downstream can simply follow `merged_into`."""

from amparo.prevention.services.activities import (  # noqa: F401
    _activity_check,
    _questions_kept,
    activity_code_next,
    activity_save,
)
from amparo.prevention.services.attendance import (  # noqa: F401
    _answers,
    _decimal,
    attendance_record,
    document_add,
    document_open,
    reach_record,
    score_record,
)
from amparo.prevention.services.common import (  # noqa: F401
    ACTIVITY_FIELDS,
    CODE_ALPHABET,
    MAX_QUESTIONS,
    QUESTION_LENGTH,
)
from amparo.prevention.services.participants import (  # noqa: F401
    Found,
    _complete,
    _participant_code,
    _root,
    pair_decide,
    participant_find_or_create,
)
