"""Reads of case files. Every function takes a case already fetched through
`access.case_for` (which checked the section and recorded the read) or the user whose scope
limits the list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.shortcuts import get_object_or_404

from amparo.accounts.models import User
from amparo.audit.models import AccessEvent
from amparo.cases import choices, extensions
from amparo.cases.access import case_allows, scope_q, visible_cases
from amparo.cases.models import (
    Assessment,
    BreakGlass,
    CarePlan,
    Case,
    CaseDocument,
    Consent,
    Episode,
    FollowUp,
    Identity,
    Note,
    Person,
    PlanAction,
    PlanGoal,
    Service,
)
from amparo.core.text import document_key, fold
from amparo.reference.models import Term


def case_list(user, *, mine: bool = False, status: str = "", office=None, worker=None,
              minor: bool | None = None, form: str = "", q: str = "",
              alert: str = "") -> QuerySet[Case]:
    """`alert`: "alguna" (any open alert), "alta" (a high one) or an alert type. Each row
    carries `alerted`: the highest severity of its open alerts (None without, or when no app
    registered an alert source)."""
    cases = _with_alerts(visible_cases(user).select_related("office", "worker"), alert)
    if mine:
        cases = cases.filter(Q(worker=user) | Q(psychologist=user) | Q(lawyer=user))
    if status == "abiertos":
        cases = cases.exclude(status=choices.Status.CERRADO)
    elif status:
        cases = cases.filter(status=status)
    if office is not None:
        cases = cases.filter(office=office)
    if worker is not None:
        cases = cases.filter(worker=worker)
    if minor is not None:
        cases = cases.filter(is_minor=minor)
    if form:
        cases = cases.filter(json_list_has("forms", form))
    if q.strip():
        cases = _search(user, cases, q)
    return cases.order_by("-intake_date", "-id")


def _with_alerts(cases: QuerySet[Case], alert: str) -> QuerySet[Case]:
    source = extensions.alert_source()
    if source is None:
        return cases.annotate(alerted=Value(None, output_field=IntegerField()))
    pending = source.open_alerts
    cases = cases.annotate(alerted=Subquery(
        pending().filter(case=OuterRef("pk")).order_by("-severity").values("severity")[:1]))
    if alert == "alguna":
        return cases.filter(Exists(pending().filter(case=OuterRef("pk"))))
    if alert == "alta":
        return cases.filter(Exists(pending().filter(case=OuterRef("pk"), severity=3)))
    if alert:
        return cases.filter(Exists(pending().filter(case=OuterRef("pk"), kind=alert)))
    return cases


def json_list_has(field: str, code: str) -> Q:
    """A JSON list of codes holds `code`: containment on PostgreSQL; on SQLite, which has no
    JSON containment, the quoted code in the stored text."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return Q(**{f"{field}__contains": [code]})
    return Q(**{f"{field}__icontains": f'"{code}"'})


def _search(user, cases: QuerySet[Case], q: str) -> QuerySet[Case]:
    """By case code, person code, document number or name; accents and case ignored. Names and
    documents only match where the user may see identities. Matching identities are found
    first (a trigram index serves the name on PostgreSQL), then the cases."""
    text = q.strip()
    by_code = Q(code=text.upper()) | Q(
        person_id__in=Person.objects.filter(code=text.upper()).values("pk"))
    identity_scope = scope_q(user, "identity.view")
    if identity_scope is None:
        return cases.filter(by_code)
    identities = Identity.objects.all()
    for word in fold(text).split():
        identities = identities.filter(search_name__contains=word)
    key = document_key(text)
    if key:
        identities = identities | Identity.objects.filter(search_document=key)
    by_identity = Q(person_id__in=identities.values("person_id")) & identity_scope
    return cases.filter(by_code | by_identity)


def labels(*vocabularies: str) -> dict[str, dict[str, str]]:
    """Vocabulary → code → label in the current language, in one query."""
    result: dict[str, dict[str, str]] = {v: {} for v in vocabularies}
    for term in Term.objects.filter(vocabulary__code__in=vocabularies).select_related("vocabulary"):
        result[term.vocabulary.code][term.code] = term.label
    return result


def keyed(rows, case: Case) -> list:
    """Rows sealed under the case's key share its (already unwrapped) data key."""
    rows = list(rows)
    for row in rows:
        if row is not None and row.data_key_id == case.data_key_id:
            row.data_key = case.data_key
    return rows


def episode_list(case: Case) -> list[Episode]:
    return keyed(Episode.objects.filter(case=case), case)


def consent_rows(case: Case) -> list[tuple]:
    """Each consent scope, its label and the consent in force (None without one)."""
    state = consent_state(case)
    return [(scope, label, state[scope]) for scope, label in choices.ConsentScope.choices]


def consent_state(case: Case) -> dict[str, Consent | None]:
    """The decision in force for each scope (the latest one), or None when none is recorded."""
    state: dict[str, Consent | None] = dict.fromkeys(choices.ConsentScope.values)
    for consent in consent_list(case):
        if state.get(consent.scope) is None:
            state[consent.scope] = consent
    return state


def consent_list(case: Case) -> list[Consent]:
    consents = keyed(Consent.objects.filter(case=case).select_related("recorded_by", "form"),
                     case)
    keyed([c.form for c in consents], case)  # the signed form's title is sealed
    return consents


@dataclass
class AssessmentRow:
    domain: str
    label: str
    scores: list[int | None]
    notes: list[str]


def assessment_table(case: Case) -> tuple[list[Assessment], list[AssessmentRow]]:
    """Assessments oldest first, and one row per domain so that change over time reads across."""
    assessments = keyed(
        Assessment.objects.filter(case=case).select_related("assessed_by")
        .order_by("assessed_on", "created_at"), case
    )
    notes = [json.loads(a.unseal("notes") or "{}") for a in assessments]
    rows = [
        AssessmentRow(d.value, d.label, [a.scores.get(d.value) for a in assessments],
                      [n.get(d.value, "") for n in notes])
        for d in choices.Domain
    ]
    return assessments, rows


def plan_list(case: Case) -> list[CarePlan]:
    actions = PlanAction.objects.select_related("owner")
    goals = PlanGoal.objects.prefetch_related(Prefetch("actions", queryset=actions))
    plans = list(
        CarePlan.objects.filter(case=case).select_related("created_by", "approved_by")
        .prefetch_related(Prefetch("goals", queryset=goals))
    )
    for plan in plans:  # goals and actions are sealed under the case's key
        for goal in keyed(plan.goals.all(), case):
            keyed(goal.actions.all(), case)
    return plans


def service_list(case: Case) -> list[Service]:
    return keyed(Service.objects.filter(case=case).select_related("staff"), case)


def follow_up_list(case: Case) -> list[FollowUp]:
    return keyed(FollowUp.objects.filter(case=case).select_related("created_by"), case)


def note_sensitivities(user, case: Case) -> list[str]:
    """General notes for everyone on the case; psychological and legal notes only for the
    case's psychologist and lawyer."""
    allowed = [choices.Sensitivity.GENERAL.value]
    for sensitivity, (code, slot) in choices.NOTE_ACCESS.items():
        if case_allows(user, case, code, slot=slot):
            allowed.append(sensitivity.value)
    return allowed


def note_list(user, case: Case) -> list[Note]:
    return keyed(
        Note.objects.filter(case=case, sensitivity__in=note_sensitivities(user, case))
        .select_related("author"), case
    )


def documents_visible(user, case: Case) -> QuerySet[CaseDocument]:
    """The documents the user may open: general ones, and psychological or legal ones only for
    the case's psychologist or lawyer (as notes)."""
    return case.documents.filter(sensitivity__in=note_sensitivities(user, case))


def document_list(user, case: Case) -> list[CaseDocument]:
    return keyed(documents_visible(user, case).select_related("uploaded_by"), case)


def case_accesses(case: Case, *, limit: int = 200) -> QuerySet[AccessEvent]:
    """Who read or changed this case: events naming it directly. (List views name it in
    `object_ids`; `amparo audit` and the access log find those.)"""
    return (
        AccessEvent.objects.filter(object_type="case", object_id=case.code)
        .select_related("actor")
        .order_by("-occurred_at")[:limit]
    )


@dataclass(frozen=True)
class TimelineItem:
    day: date
    kind: str
    text: str


def case_timeline(case: Case) -> list[TimelineItem]:
    """What happened in the case, newest first: status changes, services, follow-ups, plans,
    assessments. (Note and episode texts stay in their tabs.)"""
    items = [TimelineItem(case.intake_date, "intake", case.get_arrival_display())]
    for change in keyed(case.status_changes.all(), case):
        if change.from_status:  # why it moved (closed, reopened, stepped back) is sealed
            why = change.reason
            items.append(TimelineItem(change.changed_at.date(), "status",
                                      f"{change.get_to_status_display()}: {why}" if why
                                      else str(change.get_to_status_display())))
    for s in Service.objects.filter(case=case).only("kind", "delivered_on", "mode"):
        items.append(TimelineItem(s.delivered_on, "service", s.get_kind_display()))
    for f in FollowUp.objects.filter(case=case).only("contacted_on", "reached", "channel"):
        items.append(TimelineItem(f.contacted_on, "follow_up", f.get_channel_display()))
    for a in Assessment.objects.filter(case=case).only("assessed_on"):
        items.append(TimelineItem(a.assessed_on, "assessment", ""))
    for p in CarePlan.objects.filter(case=case).only("created_at", "horizon", "status"):
        items.append(TimelineItem(p.created_at.date(), "plan", p.get_horizon_display()))
    return sorted(items, key=lambda i: i.day, reverse=True)


def plan_goal_of(case: Case, pk) -> PlanGoal:
    """One goal of the case's plans (the case already fetched through `case_for`)."""
    return get_object_or_404(PlanGoal.objects.select_related("plan"), pk=pk, plan__case=case)


def plan_action_of(case: Case, pk) -> PlanAction:
    return get_object_or_404(PlanAction.objects.select_related("goal__plan"), pk=pk,
                             goal__plan__case=case)


def caseworkers_in(offices) -> QuerySet[User]:
    """The caseworkers of some offices, for the case list's filter."""
    return User.objects.filter(role_assignments__office__in=offices,
                               role_assignments__role="caseworker").distinct()


def glass_of(user) -> QuerySet[BreakGlass]:
    """The user's own emergency accesses, the latest first."""
    return BreakGlass.objects.filter(user=user).select_related("case__office")


@dataclass
class Pending:
    """What the case summary leads with: how long since anyone reached her, and her open
    alerts (the most serious first)."""

    last_contact: date | None
    days: int
    alerts: list


def case_pending(case: Case, today: date) -> Pending:
    reached = (FollowUp.objects.filter(case=case, reached=True)
               .aggregate(last=Max("contacted_on"))["last"])
    served = Service.objects.filter(case=case).aggregate(last=Max("delivered_on"))["last"]
    last = max((d for d in (reached, served) if d), default=None)
    source = extensions.alert_source()
    alerts = list(source.open_alerts().filter(case=case).order_by("-severity", "pk")[:5]
                  ) if source else []
    return Pending(last, (today - (last or case.intake_date)).days, alerts)
