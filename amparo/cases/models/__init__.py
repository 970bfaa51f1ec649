from amparo.cases.models.case import (  # noqa: F401
    ADULT_AGE,
    BreakGlass,
    Case,
    CaseCounter,
    Identity,
    Person,
    StatusChange,
    age_on,
)
from amparo.cases.models.records import (
    Assessment,
    CarePlan,
    CaseDocument,
    Consent,
    Episode,
    FollowUp,
    Note,
    PlanAction,
    PlanGoal,
    Service,
)

__all__ = [
    "ADULT_AGE", "BreakGlass",
    "Assessment", "CarePlan", "Case", "CaseCounter", "CaseDocument", "Consent", "Episode",
    "FollowUp", "Identity", "Note", "Person", "PlanAction", "PlanGoal", "Service", "StatusChange",
]
