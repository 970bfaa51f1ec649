"""Forms of the case file. They offer choices and parse input; the services decide what is
valid (so the API and the importer get the same checks)."""

from amparo.cases.forms.case import (  # noqa: F401
    IDENTITY_VOCABULARIES,
    AssignForm,
    CaseFields,
    CaseFilterForm,
    CaseForm,
    CloseForm,
    IdentityFields,
    IdentityForm,
    IntakeForm,
    ReopenForm,
    StatusForm,
)
from amparo.cases.forms.common import (  # noqa: F401
    VersionedForm,
    _english,
    _ubigeo_code,
    _vocabularies,
)
from amparo.cases.forms.records import (  # noqa: F401
    PLAN_GOAL_ROWS,
    AssessmentForm,
    ConsentForm,
    DocumentForm,
    EpisodeForm,
    FollowUpForm,
    NoteForm,
    PlanActionForm,
    PlanActionStatusForm,
    PlanForm,
    ServiceForm,
    staff_of,
)
