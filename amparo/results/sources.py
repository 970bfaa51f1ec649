"""The records an indicator can be computed from, and the dimensions it can be broken down by.
This is the one place that knows the other apps' models; an indicator names a source, what to
count and its filters as data (`Indicator.measure`), never code of its own.

Each source reads, for the records dated in a range and in the user's scope, one row per record:
its date, the person and case it belongs to, an amount (for sums), and the raw values of its
dimensions. `compute.py` does the rest in Python, the same way for every source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from amparo.accounts.permissions import can
from amparo.accounts.selectors import offices_where
from amparo.cases.access import cases_where
from amparo.cases.models import Case, FollowUp, Service
from amparo.legal.models import Measure, Payment, Proceeding, Step
from amparo.monitoring.models import Alert
from amparo.policy.models import Evidence, RegionalInstrument
from amparo.prevention import choices as prevention_choices
from amparo.prevention.models import Attendance
from amparo.prevention.selectors import completed
from amparo.referrals.models import Referral

PERMISSION = "statistics.view"


@dataclass(frozen=True)
class Dimension:
    key: str
    label: object
    path: str  # the field read from each row ("" when computed from others)
    # term (a vocabulary), bool, age, age_event, department, exploitation, forms, office,
    # audience, new, text
    kind: str = "term"
    vocabulary: str = ""


@dataclass(frozen=True)
class Source:
    key: str
    label: object
    rows: Callable  # (user, start, end) -> QuerySet of the records in range and scope
    date: str
    person: str  # the path to the person counted (distinct people)
    case: str = ""  # the path to the case (distinct cases)
    amount: str = ""  # the path summed by a "sum" measure
    filters: dict = field(default_factory=dict)  # measure filter name -> field path
    dimensions: dict = field(default_factory=dict)  # key -> Dimension
    prefix: str = ""  # path from the row to the case ("case__"), for the case dimensions
    of_cases: bool = True  # its rows belong to survivors' cases (the case dimensions apply)


def _cases_in_scope(user) -> QuerySet[Case]:
    return cases_where(user, PERMISSION)


def _case_rows(model, date_field: str, case: str = "case"):
    def rows(user, start: date, end: date) -> QuerySet:
        return model.objects.filter(**{f"{case}__in": _cases_in_scope(user).values("pk"),
                                       f"{date_field}__range": (start, end)})
    return rows


def _cases(user, start: date, end: date) -> QuerySet:
    return _cases_in_scope(user).filter(intake_date__range=(start, end))


def _proceedings(user, start: date, end: date) -> QuerySet:
    """Criminal proceedings opened in the range: by the day their first stage began, as first
    recorded (its history keeps it after later stages move `stage_since`)."""
    first = Proceeding.history.model.objects.filter(id=OuterRef("pk")).order_by(
        "history_date").values("stage_since")[:1]
    return Proceeding.objects.filter(case__in=_cases_in_scope(user).values("pk")).annotate(
        on=Coalesce(Subquery(first), "stage_since")).filter(on__range=(start, end))


def _decisions(user, start: date, end: date) -> QuerySet:
    return Step.objects.filter(proceeding__case__in=_cases_in_scope(user).values("pk"),
                               kind=Step.Kind.DECISION, taken_on__range=(start, end))


def _alerts(user, start: date, end: date) -> QuerySet:
    """Alerts raised in the range (by the day they opened)."""
    return Alert.objects.filter(case__in=_cases_in_scope(user).values("pk")).annotate(
        on=F("opened_at__date")).filter(on__range=(start, end))


def _trained(user, start: date, end: date) -> QuerySet:
    rows = Attendance.objects.filter(
        activity__office__in=offices_where(user, "prevention.view"),
        activity__starts_on__range=(start, end),
        activity__kind__in=prevention_choices.LEARNING).exclude(
        activity__status=prevention_choices.Status.CANCELLED)
    rows = completed(rows).annotate(root=Coalesce("participant__merged_into", "participant"))
    return rows if can(user, "prevention.view") else rows.none()  # none() keeps the columns


def _instruments(user, start: date, end: date) -> QuerySet:
    rows = RegionalInstrument.objects.filter(has_objectives=True).exclude(
        ends__lt=start.year).exclude(starts__gt=end.year).annotate(
        on=F("updated_at__date"))
    return rows if can(user, "policy.view") else rows.none()


def _budget(user, start: date, end: date) -> QuerySet:
    """The watchdog's evidence of the State's budget, service by service and region by region,
    for the years the range touches (evidence is yearly)."""
    rows = Evidence.objects.filter(year__range=(start.year, end.year)).annotate(
        on=F("updated_at__date"))
    return rows if can(user, "policy.view") else rows.none()


# Dimensions of the survivor, read through the case.
CASE_DIMENSIONS = {
    "sex": Dimension("sex", _("Sex"), "person__identity__sex", vocabulary="sexo"),
    "age_intake": Dimension("age_intake", _("Age at intake"), "", kind="age"),
    "age_event": Dimension("age_event", _("Age on the date of the record"), "", kind="age_event"),
    "minor": Dimension("minor", _("Minor or adult at intake"), "is_minor", kind="bool"),
    "nationality": Dimension("nationality", _("Nationality"), "person__identity__nationality",
                             vocabulary="nacionalidad"),
    "indigenous": Dimension("indigenous", _("Indigenous people"),
                            "person__identity__indigenous_people", vocabulary="pueblo_indigena"),
    "form": Dimension("form", _("Form of exploitation"), "forms", kind="forms",
                      vocabulary="forma_explotacion"),
    "office": Dimension("office", _("Office"), "office__code", kind="office"),
    "origin": Dimension("origin", _("Department of origin"), "person__identity__origin_ubigeo",
                        kind="department"),
    "exploitation": Dimension("exploitation", _("Department of exploitation"), "",
                              kind="exploitation"),
    "new": Dimension("new", _("New or continuing"), "", kind="new"),
}
PARTICIPANT_DIMENSIONS = {
    "sex": Dimension("sex", _("Sex"), "participant__sex", vocabulary="sexo"),
    "audience": Dimension("audience", _("Profession or role"), "participant__audience",
                          kind="audience"),
    "department": Dimension("department", _("Department"), "participant__department",
                            kind="department"),
    "office": Dimension("office", _("Office"), "activity__office__code", kind="office"),
}
INSTRUMENT_DIMENSIONS = {  # the region of a regional instrument or of the State's evidence
    "department": Dimension("department", _("Department"), "department", kind="department"),
}

SOURCES = {s.key: s for s in (
    Source("cases", _("Cases opened"), _cases, "intake_date", "person_id", "pk",
           filters={"minor": "is_minor", "arrival": "arrival", "office": "office__code"},
           dimensions=CASE_DIMENSIONS),
    Source("services", _("Services delivered"), _case_rows(Service, "delivered_on"),
           "delivered_on", "case__person_id", "case_id", prefix="case__",
           filters={"kind": "kind", "minor": "case__is_minor"}, dimensions=CASE_DIMENSIONS),
    Source("followups", _("Follow-ups"), _case_rows(FollowUp, "contacted_on"), "contacted_on",
           "case__person_id", "case_id", prefix="case__",
           filters={"reached": "reached", "minor": "case__is_minor"}, dimensions=CASE_DIMENSIONS),
    Source("referrals", _("Referrals"), _case_rows(Referral, "referred_on"), "referred_on",
           "case__person_id", "case_id", prefix="case__",
           filters={"direction": "direction", "purpose": "purpose"}, dimensions=CASE_DIMENSIONS),
    Source("reparations", _("Civil reparation paid"),
           _case_rows(Payment, "paid_on", "proceeding__case"),
           "paid_on", "proceeding__case__person_id", "proceeding__case_id", amount="amount",
           prefix="proceeding__case__", dimensions=CASE_DIMENSIONS),
    Source("proceedings", _("Criminal proceedings opened"), _proceedings, "on",
           "case__person_id", "case_id", prefix="case__",
           filters={"stage": "stage", "track": "track", "civil_party": "civil_party"},
           dimensions=CASE_DIMENSIONS),
    Source("decisions", _("Decisions in criminal proceedings"), _decisions, "taken_on",
           "proceeding__case__person_id", "proceeding__case_id", prefix="proceeding__case__",
           filters={"decision": "decision", "stage": "stage_after"}, dimensions=CASE_DIMENSIONS),
    Source("measures", _("Protection and procedural measures granted"),
           _case_rows(Measure, "granted_on"), "granted_on", "case__person_id", "case_id",
           prefix="case__", filters={"kind": "kind"}, dimensions=CASE_DIMENSIONS),
    Source("alerts", _("Monitoring alerts raised"), _alerts, "on", "case__person_id",
           "case_id", prefix="case__",
           filters={"kind": "kind", "severity": "severity", "status": "status"},
           dimensions=CASE_DIMENSIONS),
    Source("trained", _("People who completed a training"), _trained, "activity__starts_on",
           "root", filters={"audience": "participant__audience"},
           dimensions=PARTICIPANT_DIMENSIONS, of_cases=False),
    Source("policy_budget", _("State budget executed on the national policy's services (S/)"),
           _budget, "on", "pk", amount="budget_executed",
           filters={"service": "service__number", "implementation": "implementation"},
           dimensions=INSTRUMENT_DIMENSIONS, of_cases=False),
    Source("regional_instruments", _("Regions with anti-trafficking objectives in their plans"),
           _instruments, "on", "department", dimensions=INSTRUMENT_DIMENSIONS, of_cases=False),
)}


def dimensions_for(measure: dict) -> dict[str, Dimension]:
    """The dimensions a measure can be broken down by: its source's (a percent's: its
    numerator's); none for a manual indicator."""
    part = measure.get("numerator") or measure
    source = SOURCES.get(part.get("source"))
    return source.dimensions if source else {}


def path_of(source: Source, dimension: Dimension) -> str:
    """The dimension's field as seen from the source's rows."""
    if not source.of_cases or not dimension.path:
        return dimension.path
    return source.prefix + dimension.path
