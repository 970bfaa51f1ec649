"""Reads of the monitoring, always within the user's scope (`cases_where(user, "alert.view")`):
the inbox, a case's alerts, risk assessments and what an alert says in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amparo.accounts.permissions import Scope, scopes
from amparo.cases import choices as case_choices
from amparo.cases.access import case_allows, cases_where
from amparo.cases.models import Case
from amparo.monitoring import choices
from amparo.monitoring.models import (
    Alert,
    AlertEvent,
    AlertRule,
    AlertRun,
    RiskAssessment,
    RiskInstrument,
)

K = choices.Kind
STATUS_FILTERS = {
    "pendientes": Q(ended_on__isnull=True, status__in=[choices.Status.OPEN,
                                                       choices.Status.ACKNOWLEDGED]),
    "abiertas": Q(ended_on__isnull=True, status=choices.Status.OPEN),
    "pospuestas": Q(ended_on__isnull=True, status=choices.Status.SNOOZED),
    "resueltas": Q(status=choices.Status.RESOLVED),
}
# Where to act on each kind of alert.
TAB = {
    K.LOST_CONTACT: "cases:follow_ups", K.FAILED_ATTEMPTS: "cases:follow_ups",
    K.RISK_LEVEL: "monitoring:risk", K.RISK_SIGN: "cases:follow_ups", K.STALLED: "legal:case",
    K.MISSED_HEARING: "legal:case", K.ARCHIVE: "legal:case", K.DEADLINE_PASSED: "legal:case",
    K.HEARING_SOON: "legal:case", K.DEADLINE_SOON: "legal:case", K.ACTIONS_OVERDUE: "cases:plan",
    K.PLAN_REVIEW: "cases:plan", K.ASSESSMENT_DUE: "cases:assessments",
    K.RISK_DUE: "monitoring:risk", K.MINOR_NO_GUARDIAN: "cases:case", K.LONG_OPEN: "cases:case",
    K.REFERRAL_UNANSWERED: "referrals:case", K.DATA_GAPS: "cases:identity",
}


def open_alerts() -> QuerySet[Alert]:
    """Alerts still pending: live, not snoozed, not resolved."""
    return Alert.objects.filter(STATUS_FILTERS["pendientes"])


def kinds_told() -> dict[str, list[str]]:
    """Slot → the kinds of alert whose rule tells it."""
    told: dict[str, list[str]] = {slot: [] for slot in choices.Slot.values}
    for kind, notify in AlertRule.objects.values_list("kind", "notify"):
        for slot in notify:
            told.setdefault(slot, []).append(kind)
    return told


def told(user) -> QuerySet[Alert]:
    """The alerts the user is told about. Which cases: `cases_where(user, "alert.view")`, the
    access function. Of those, everything in an office or organisation scope; in the assigned
    scope only the kinds whose rule tells the place the user fills in the case's team."""
    visible = cases_where(user, "alert.view")
    wide = Q(pk__in=[])
    assigned = False
    for scope, office_id in scopes(user, "alert.view"):
        if scope == Scope.ALL:
            wide = Q()
        elif scope == Scope.OFFICE:
            wide |= Q(case__office_id=office_id)
        else:
            assigned = True
    if assigned:
        kinds = kinds_told()
        wide |= (Q(case__worker=user, kind__in=kinds["worker"])
                 | Q(case__psychologist=user, kind__in=kinds["psychologist"])
                 | Q(case__lawyer=user, kind__in=kinds["lawyer"]))
    return Alert.objects.filter(case__in=visible.values("pk")).filter(wide)


def inbox(user, *, status: str = "pendientes", kind: str = "", office_id: int | None = None,
          severity: int | None = None, case_code: str = "") -> QuerySet[Alert]:
    alerts = (told(user)
              .exclude(case__status=case_choices.Status.CERRADO, ended_on__isnull=True)
              .filter(STATUS_FILTERS.get(status, STATUS_FILTERS["pendientes"])))
    if kind:
        alerts = alerts.filter(kind=kind)
    if office_id:
        alerts = alerts.filter(case__office_id=office_id)
    if severity:
        alerts = alerts.filter(severity=severity)
    if case_code:
        alerts = alerts.filter(case__code=case_code.strip().upper())
    # The most serious first; within a severity, the situation that began first (an alert's
    # age is its condition's, not the refresh that found it), then the one due first.
    return _with_events(alerts.select_related("case__office", "case__worker", "rule")).order_by(
        "-severity", F("since").asc(nulls_last=True), F("due_on").asc(nulls_last=True),
        "opened_at", "id")


def api_alerts(user, *, kind: str = "", status: str = "", case_code: str = "") -> QuerySet[Alert]:
    """Every alert of the cases the user may see alerts of (not only those told to the user)."""
    alerts = Alert.objects.filter(case__in=cases_where(user, "alert.view").values("pk"))
    if kind:
        alerts = alerts.filter(kind=kind)
    if status in STATUS_FILTERS:
        alerts = alerts.filter(STATUS_FILTERS[status])
    elif status:
        alerts = alerts.filter(status=status)
    if case_code:
        alerts = alerts.filter(case__code=case_code.strip().upper())
    return alerts.select_related("case").order_by("-severity", "opened_at", "id")


def case_alerts(case: Case) -> QuerySet[Alert]:
    """A case's alerts, live first, for a case already fetched through `case_for`."""
    return _with_events(Alert.objects.filter(case=case).select_related("rule", "closed_by")
                        ).order_by("ended_on", "-severity", "-opened_at")


def _with_events(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    return alerts.prefetch_related(Prefetch(
        "events", queryset=AlertEvent.objects.select_related("actor", "data_key").order_by("at")))


def live_counts(user) -> dict[str, int]:
    """Pending alerts told to the user, by severity, for the home page and the menu."""
    found = dict(told(user).filter(STATUS_FILTERS["pendientes"])
                 .exclude(case__status=case_choices.Status.CERRADO)
                 .values_list("severity").annotate(n=Count("pk")).order_by())
    return {level: found.get(level, 0) for level in choices.Severity.values}


def risk_history(case: Case) -> list[dict]:
    """The case's risk assessments, newest first, with the trend against the one before."""
    rows = list(RiskAssessment.objects.filter(case=case)
                .select_related("instrument", "assessed_by", "data_key")
                .prefetch_related("instrument__items").order_by("-assessed_on", "-created_at"))
    result = []
    for n, assessment in enumerate(rows):
        before = rows[n + 1] if n + 1 < len(rows) else None
        trend = None
        if before is not None:
            rank, previous = (choices.LEVEL_RANK[choices.RiskLevel(a.level)]
                              for a in (assessment, before))
            trend = "up" if rank > previous else "down" if rank < previous else "same"
        items = {i.code: i for i in assessment.instrument.items.all()}
        result.append({"assessment": assessment, "trend": trend,
                       "notes": assessment.unseal("notes"),
                       "yes": [items[c] for c in assessment.answers if c in items]})
    return result


@dataclass(frozen=True)
class Said:
    text: str
    url: str


def describe(alert: Alert, today: date) -> Said:
    """What the alert says about this case, in the user's language; numbers and dates only,
    never a name or a free text."""
    days = (today - alert.since).days if alert.since else None
    until = (alert.due_on - today).days if alert.due_on else None
    since = alert.since.strftime("%d/%m/%Y") if alert.since else "—"
    due = alert.due_on.strftime("%d/%m/%Y") if alert.due_on else "—"
    kind = K(alert.kind)
    if kind == K.LOST_CONTACT:
        text = _("Last contact %(since)s, %(days)s days ago.") % {"since": since, "days": days}
    elif kind == K.FAILED_ATTEMPTS:
        text = ngettext("%(n)s attempt without reaching her since %(since)s.",
                        "%(n)s attempts without reaching her since %(since)s.",
                        alert.count or 0) % {"n": alert.count, "since": since}
    elif kind == K.RISK_LEVEL:
        text = _("Assessment of %(since)s, score %(n)s.") % {"since": since, "n": alert.count}
    elif kind == K.RISK_SIGN:
        text = _("Risk signs recorded at the follow-up of %(since)s.") % {"since": since}
    elif kind == K.STALLED:
        text = _("Last movement %(since)s, %(days)s days ago.") % {"since": since, "days": days}
    elif kind == K.MISSED_HEARING:
        text = _("She did not attend the hearing of %(since)s.") % {"since": since}
    elif kind == K.ARCHIVE:
        text = _("Decision of %(since)s; the deadline to challenge it is %(due)s.") % {
            "since": since, "due": due}
    elif kind == K.DEADLINE_PASSED:
        text = _("It was due on %(due)s.") % {"due": due}
    elif kind in (K.HEARING_SOON, K.DEADLINE_SOON):
        text = (_("Today, %(due)s.") if until == 0 else ngettext(
            "On %(due)s, in %(n)s day.", "On %(due)s, in %(n)s days.", until or 0)) % {
            "due": due, "n": until}
    elif kind == K.ACTIONS_OVERDUE:
        text = ngettext("%(n)s action past its date; the oldest was due %(since)s.",
                        "%(n)s actions past their date; the oldest was due %(since)s.",
                        alert.count or 0) % {"n": alert.count, "since": since}
    elif kind == K.PLAN_REVIEW:
        text = (_("Approved %(since)s; review was due %(due)s.") if alert.due_on
                else _("Approved %(since)s, with no review date.")) % {"since": since, "due": due}
    elif kind in (K.ASSESSMENT_DUE, K.RISK_DUE):
        text = _("Last one (or intake) %(since)s, %(days)s days ago.") % {
            "since": since, "days": days}
    elif kind == K.MINOR_NO_GUARDIAN:
        text = _("Intake %(since)s.") % {"since": since}
    elif kind == K.LONG_OPEN:
        text = _("Open since %(since)s.") % {"since": since}
    elif kind == K.DATA_GAPS:
        gaps = case_choices.IDENTITY_GAPS
        missing = [str(gaps[w]) for w in alert.subject.removeprefix("datos:").split(",")
                   if w in gaps]
        text = _("Not recorded: %(fields)s. Complete them in Identity when she or the old "
                 "file says.") % {"fields": ", ".join(missing)}
    else:
        text = _("Referred %(since)s; the answer was expected by %(due)s.") % {
            "since": since, "due": due}
    return Said(text, reverse(TAB[kind], args=[alert.case.code]))


def alerts_of(case: Case) -> QuerySet[Alert]:
    """A case's alerts, for acting on one (the case already fetched through `case_for`)."""
    return Alert.objects.filter(case=case)


def last_run() -> AlertRun | None:
    """The last finished daily refresh, for the inbox's "computed at"."""
    return AlertRun.objects.filter(finished_at__isnull=False, for_cases__isnull=True).first()


def rules() -> list[AlertRule]:
    return list(AlertRule.objects.all())


def instrument_versions() -> QuerySet[RiskInstrument]:
    return RiskInstrument.objects.select_related("created_by").order_by("-version")


def risk_page(user, case: Case) -> str:
    """The case's risk assessment page, when the user may assess the risk there."""
    return reverse("monitoring:risk", args=[case.code]) if case_allows(
        user, case, "risk.assess") and not case.is_closed else ""
