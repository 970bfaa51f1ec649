"""When each kind of alert holds, as one query per rule over every case at once.

Each function takes the rule (its thresholds) and the day, and returns a queryset of rows with
the columns of `AlertCondition`: `c_case`, `c_subject`, `c_since`, `c_due`, `c_count`,
`c_severity`. The refresh writes those rows to the scratch table with one INSERT … SELECT and
diffs them against the live alerts in the database; nothing loops over cases in Python.

Every condition is limited to open cases, so closing a case ends its alerts at the next
refresh.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    Case as CaseWhen,
)
from django.db.models import (
    CharField,
    Count,
    DateField,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Greatest, TruncDate

from amparo.cases import choices as case_choices
from amparo.cases.access import cases_for_job
from amparo.cases.models import (
    ADULT_AGE,
    Assessment,
    CarePlan,
    Case,
    FollowUp,
    PlanAction,
    Service,
)
from amparo.legal import choices as legal_choices
from amparo.legal.models import Deadline, Hearing, Proceeding
from amparo.monitoring import choices
from amparo.monitoring.models import AlertRule, RiskAssessment
from amparo.referrals import choices as referral_choices
from amparo.referrals.models import Referral

COLUMNS = ("c_case", "c_subject", "c_since", "c_due", "c_count", "c_severity")
# Decisions whose deadline is the survivor's chance to challenge a closing of the investigation.
CLOSING_DECISIONS = (legal_choices.Decision.ARCHIVE, legal_choices.Decision.PROVISIONAL_RESERVE)
UPCOMING_HEARINGS = (legal_choices.HearingStatus.SCHEDULED, legal_choices.HearingStatus.POSTPONED)
OPEN_ACTIONS = (case_choices.ActionStatus.PENDING, case_choices.ActionStatus.IN_PROGRESS)
LONGEST_YEARS = 40


def conditions(rule: AlertRule, today: date) -> QuerySet:
    return COMPUTE[choices.Kind(rule.kind)](rule, today)


def _rows(qs: QuerySet, rule: AlertRule, *, case="pk", subject=None, since=None, due=None,
          count=None, severity=None) -> QuerySet:
    """The six columns, in a fixed set of names, from whatever the kind computed."""
    return qs.annotate(
        c_case=F(case),
        c_subject=subject if subject is not None else Value("", output_field=CharField()),
        c_since=since if since is not None else _null(DateField()),
        c_due=due if due is not None else _null(DateField()),
        c_count=count if count is not None else _null(IntegerField()),
        c_severity=severity if severity is not None else Value(rule.severity),
    ).order_by().values(*COLUMNS)


def _null(field):
    # Typed, so that PostgreSQL accepts it in the INSERT … SELECT.
    return Cast(Value(None), field)


def _key(prefix: str, field: str = "pk"):
    return Concat(Value(f"{prefix}:"), Cast(field, CharField()), output_field=CharField())


def open_cases() -> QuerySet[Case]:
    return cases_for_job("alerts").exclude(status=case_choices.Status.CERRADO)


def still_minor(today: date) -> Q:
    """A child at intake who is still under 18 today. Without a birth date she counts as a
    child until someone records it: the shorter threshold is the safer mistake."""
    eighteen_ago = years_before(today, ADULT_AGE)
    return Q(is_minor=True) & (
        Q(person__identity__birth_date__isnull=True)
        | Q(person__identity__birth_date__gt=eighteen_ago)
    )


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _last_reached():
    return (FollowUp.objects.filter(case=OuterRef("pk"), reached=True)
            .order_by("-contacted_on").values("contacted_on")[:1])


def lost_contact(rule, today):
    """No follow-up that reached her and no service she received for N days (a child: the
    shorter number), counted from intake when there is none."""
    last_service = (Service.objects.filter(case=OuterRef("pk"))
                    .order_by("-delivered_on").values("delivered_on")[:1])
    cases = open_cases().annotate(last=Greatest(
        Coalesce(Subquery(_last_reached()), F("intake_date")),
        Coalesce(Subquery(last_service), F("intake_date")),
        output_field=DateField()))
    minor = still_minor(today)
    limit_minor = today - timedelta(days=rule.days_minor or rule.days)
    cases = cases.filter(
        (minor & Q(last__lte=limit_minor))
        | (~minor & Q(last__lte=today - timedelta(days=rule.days)))
    )
    return _rows(cases, rule, since=F("last"))


def failed_attempts(rule, today):
    """The last K or more follow-ups, after the last one that reached her, did not reach her."""
    failed = (FollowUp.objects.filter(case=OuterRef("pk"), reached=False,
                                      contacted_on__gt=OuterRef("last"))
              .order_by().values("case").annotate(n=Count("pk"), first=Min("contacted_on")))
    cases = (open_cases()
             .annotate(last=Coalesce(Subquery(_last_reached()), Value(date(1900, 1, 1))))
             .annotate(failed=Subquery(failed.values("n")),
                       first_failed=Subquery(failed.values("first")))
             .filter(failed__gte=rule.count or 1))
    return _rows(cases, rule, since=F("first_failed"), count=F("failed"))


def _latest_risk(field: str):
    return (RiskAssessment.objects.filter(case=OuterRef("pk"))
            .order_by("-assessed_on", "-created_at").values(field)[:1])


def risk_level(rule, today):
    levels = [lvl for lvl, rank in choices.LEVEL_RANK.items()
              if rank >= choices.LEVEL_RANK[choices.RiskLevel(rule.level or "alto")]]
    cases = (open_cases().annotate(risk=Subquery(_latest_risk("level")),
                                   risk_on=Subquery(_latest_risk("assessed_on")),
                                   risk_score=Subquery(_latest_risk("score")))
             .filter(risk__in=levels))
    return _rows(cases, rule, since=F("risk_on"), count=F("risk_score"))


def risk_sign(rule, today):
    """The latest follow-up that reached her recorded risk signs. A new follow-up with signs is
    a new alert; one without signs ends it."""
    latest = (FollowUp.objects.filter(case=OuterRef("case"), reached=True)
              .order_by("-contacted_on", "-created_at").values("pk")[:1])
    follow_ups = (FollowUp.objects.filter(reached=True)
                  .exclude(case__status=case_choices.Status.CERRADO)
                  .exclude(risk_signs=[]).filter(pk=Subquery(latest)))
    return _rows(follow_ups, rule, case="case_id", subject=_key("seguimiento"),
                 since=F("contacted_on"))


def stalled(rule, today):
    proceedings = (Proceeding.objects.exclude(stage=legal_choices.Stage.CONCLUDED)
                   .exclude(case__status=case_choices.Status.CERRADO)
                   .filter(last_activity_on__lte=today - timedelta(days=rule.days)))
    return _rows(proceedings, rule, case="case_id", subject=_key("proceso"),
                 since=F("last_activity_on"))


def missed_hearing(rule, today):
    hearings = (Hearing.objects.filter(survivor_must_attend=True, survivor_attended=False)
                .exclude(proceeding__case__status=case_choices.Status.CERRADO)
                .annotate(day=TruncDate("starts_at"))
                .filter(day__gt=today - timedelta(days=rule.days), day__lte=today))
    return _rows(hearings, rule, case="proceeding__case_id", subject=_key("audiencia"),
                 since=F("day"))


def _pending_deadlines():
    return (Deadline.objects.filter(status=legal_choices.DeadlineStatus.OPEN)
            .exclude(proceeding__case__status=case_choices.Status.CERRADO))


CLOSING = Q(step__decision__in=CLOSING_DECISIONS) | Q(rule__decision__in=CLOSING_DECISIONS)


def archive_unchallenged(rule, today):
    deadlines = _pending_deadlines().filter(CLOSING)
    return _rows(deadlines, rule, case="proceeding__case_id", subject=_key("plazo"),
                 since=F("step__taken_on"), due=F("due_on"))


def deadline_passed(rule, today):
    deadlines = _pending_deadlines().exclude(CLOSING).filter(due_on__lt=today)
    return _rows(deadlines, rule, case="proceeding__case_id", subject=_key("plazo"),
                 due=F("due_on"))


def _countdown(rule, today, field):
    """High from `urgent_days` before; the rule's own severity before that."""
    urgent = today + timedelta(days=rule.urgent_days or 0)
    return CaseWhen(When(**{f"{field}__lte": urgent}, then=Value(choices.Severity.HIGH)),
                 default=Value(rule.severity))


def hearing_soon(rule, today):
    """A hearing within N days. The subject names the date, so a hearing moved to another day
    is a new alert and the old one ends."""
    hearings = (Hearing.objects.filter(status__in=UPCOMING_HEARINGS)
                .exclude(proceeding__case__status=case_choices.Status.CERRADO)
                .annotate(day=TruncDate("starts_at"))
                .filter(day__gte=today, day__lte=today + timedelta(days=rule.days)))
    subject = Concat(_key("audiencia"), Value(":"), Cast("day", CharField()),
                     output_field=CharField())
    return _rows(hearings, rule, case="proceeding__case_id", subject=subject, due=F("day"),
                 severity=_countdown(rule, today, "day"))


def deadline_soon(rule, today):
    deadlines = (_pending_deadlines().exclude(CLOSING)
                 .filter(due_on__gte=today, due_on__lte=today + timedelta(days=rule.days)))
    return _rows(deadlines, rule, case="proceeding__case_id", subject=_key("plazo"),
                 due=F("due_on"), severity=_countdown(rule, today, "due_on"))


def actions_overdue(rule, today):
    """Per case: how many actions of the approved plan are N or more days past their date."""
    actions = (PlanAction.objects
               .filter(status__in=OPEN_ACTIONS, goal__plan__status=case_choices.PlanStatus.APPROVED,
                       due_on__lte=today - timedelta(days=rule.days))
               .exclude(goal__plan__case__status=case_choices.Status.CERRADO)
               .order_by().values(case_id=F("goal__plan__case_id"))
               .annotate(n=Count("pk"), first=Min("due_on")))
    return _rows(actions, rule, case="case_id", since=F("first"), count=F("n"))


def plan_review(rule, today):
    plans = (CarePlan.objects.filter(status=case_choices.PlanStatus.APPROVED)
             .exclude(case__status=case_choices.Status.CERRADO)
             .annotate(approved_on=TruncDate("approved_at"))
             .filter(Q(review_on__lt=today)
                     | Q(review_on__isnull=True,
                         approved_on__lte=today - timedelta(days=rule.days))))
    return _rows(plans, rule, case="case_id", subject=_key("plan"), since=F("approved_on"),
                 due=F("review_on"))


def _assessment_due(rule, today, latest):
    """The latest is N or more days old, or there is none `first_days` after intake."""
    cases = open_cases().annotate(latest=Subquery(latest)).filter(
        Q(latest__lte=today - timedelta(days=rule.days))
        | Q(latest__isnull=True,
            intake_date__lte=today - timedelta(days=rule.first_days or rule.days)))
    return _rows(cases, rule, since=Coalesce(F("latest"), F("intake_date")))


def assessment_due(rule, today):
    latest = (Assessment.objects.filter(case=OuterRef("pk"))
              .order_by("-assessed_on").values("assessed_on")[:1])
    return _assessment_due(rule, today, latest)


def risk_due(rule, today):
    return _assessment_due(rule, today, _latest_risk("assessed_on"))


def minor_no_guardian(rule, today):
    cases = open_cases().filter(still_minor(today), guardian_type="",
                                intake_date__lte=today - timedelta(days=rule.days))
    return _rows(cases, rule, since=F("intake_date"))


def long_open(rule, today):
    """Open N days or more. The subject is the anniversary, so a review resolved by hand holds
    until the next year and then the alert comes back."""
    first = today - timedelta(days=rule.days)
    years = [When(intake_date__gt=years_before(today, n + 1), then=Value(f"años:{n}"))
             for n in range(1, LONGEST_YEARS)]
    cases = open_cases().filter(intake_date__lte=first)
    return _rows(cases, rule, subject=CaseWhen(*years, default=Value(f"años:{LONGEST_YEARS}"),
                                            output_field=CharField()),
                 since=F("intake_date"))


def referral_unanswered(rule, today):
    referrals = (Referral.objects
                 .filter(direction=referral_choices.Direction.OUTGOING,
                         status__in=referral_choices.AWAITING,
                         answer_due_on__lte=today - timedelta(days=rule.days))
                 .exclude(case__status=case_choices.Status.CERRADO))
    return _rows(referrals, rule, case="case_id", subject=_key("derivacion"),
                 since=F("referred_on"), due=F("answer_due_on"))


def data_gaps(rule, today):
    """A case that came in with gaps (an old register's row: no age, no document type, no
    sex), this many days after intake. The subject names what is missing, so filling one
    field ends this alert and the rest opens as a new one."""
    identity = "person__identity__"
    no_age = Q(**{f"{identity}birth_date__isnull": True, f"{identity}estimated_age__isnull": True})
    no_document = Q(**{f"{identity}document_type": ""})
    no_sex = Q(**{f"{identity}sex": ""})
    cases = (open_cases().filter(no_age | no_document | no_sex)
             .filter(created_at__date__lte=today - timedelta(days=rule.days or 0)))
    part = [CaseWhen(When(condition, then=Value(word)), default=Value(""),
                     output_field=CharField())
            for condition, word in ((no_age, "edad,"), (no_document, "documento,"),
                                    (no_sex, "sexo,"))]
    return _rows(cases, rule, subject=Concat(Value("datos:"), *part, output_field=CharField()),
                 since=F("intake_date"))


K = choices.Kind
COMPUTE = {
    K.LOST_CONTACT: lost_contact,
    K.FAILED_ATTEMPTS: failed_attempts,
    K.RISK_LEVEL: risk_level,
    K.RISK_SIGN: risk_sign,
    K.STALLED: stalled,
    K.MISSED_HEARING: missed_hearing,
    K.ARCHIVE: archive_unchallenged,
    K.DEADLINE_PASSED: deadline_passed,
    K.HEARING_SOON: hearing_soon,
    K.DEADLINE_SOON: deadline_soon,
    K.ACTIONS_OVERDUE: actions_overdue,
    K.PLAN_REVIEW: plan_review,
    K.ASSESSMENT_DUE: assessment_due,
    K.RISK_DUE: risk_due,
    K.MINOR_NO_GUARDIAN: minor_no_guardian,
    K.LONG_OPEN: long_open,
    K.REFERRAL_UNANSWERED: referral_unanswered,
    K.DATA_GAPS: data_gaps,
}
# Which thresholds each kind reads (the rule form shows only these), and which kinds a person
# may resolve by hand: the others end on their own when the data says so (a follow-up that
# reached her, a new stage, a deadline met), and can only be acknowledged or snoozed.
PARAMS = {
    K.LOST_CONTACT: ("days", "days_minor"),
    K.FAILED_ATTEMPTS: ("count",),
    K.RISK_LEVEL: ("level",),
    K.RISK_SIGN: (),
    K.STALLED: ("days",),
    K.MISSED_HEARING: ("days",),
    K.ARCHIVE: (),
    K.DEADLINE_PASSED: (),
    K.HEARING_SOON: ("days", "urgent_days"),
    K.DEADLINE_SOON: ("days", "urgent_days"),
    K.ACTIONS_OVERDUE: ("days",),
    K.PLAN_REVIEW: ("days",),
    K.ASSESSMENT_DUE: ("days", "first_days"),
    K.RISK_DUE: ("days", "first_days"),
    K.MINOR_NO_GUARDIAN: ("days",),
    K.LONG_OPEN: ("days",),
    K.REFERRAL_UNANSWERED: ("days",),
    K.DATA_GAPS: ("days",),
}
RESOLVED_BY_HAND = {K.RISK_SIGN, K.MISSED_HEARING, K.LONG_OPEN}
