"""Every read of the legal records, through the case access function: a case's proceedings
come from a case already fetched with `case_for(..., "legal")`; office views start from
`cases_where(user, "proceeding.view")` and write one access event naming the cases shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.cases.access import cases_where
from amparo.cases.models import Case
from amparo.cases.selectors import keyed
from amparo.legal import choices, services
from amparo.legal.models import (
    CalendarFeed,
    Deadline,
    DeadlineRule,
    Defendant,
    Hearing,
    Measure,
    Offence,
    Proceeding,
    Sentence,
    Step,
)


def proceeding_list(case: Case) -> list[Proceeding]:
    upcoming = Hearing.objects.filter(status=choices.HearingStatus.SCHEDULED,
                                      starts_at__gte=timezone.now()).select_related("court")
    open_deadlines = Deadline.objects.filter(status=choices.DeadlineStatus.OPEN)
    return list(
        Proceeding.objects.filter(case=case)
        .select_related("prosecutor_office", "court", "representative")
        .prefetch_related(Prefetch("hearings", queryset=upcoming, to_attr="upcoming"),
                          Prefetch("deadlines", queryset=open_deadlines, to_attr="open_deadlines"))
    )


def offences() -> dict[str, Offence]:
    return {o.article: o for o in Offence.objects.all()}


def charges_shown(proceeding: Proceeding, table: dict[str, Offence]) -> list[str]:
    """Each charge as the article in force on the date of the facts, with today's number."""
    shown = []
    for article in proceeding.charges:
        offence = table.get(article)
        if offence is None:
            shown.append(article)
            continue
        then = offence.article_on(proceeding.facts_on)
        number = _("art. %(article)s") % {"article": then}
        if then != offence.article:
            number += " " + _("(today %(article)s)") % {"article": offence.article}
        shown.append(f"{number} {offence.name}")
    return shown


@dataclass
class ProceedingFile:
    proceeding: Proceeding
    steps: list[Step]
    hearings: list[Hearing]
    deadlines: list[Deadline]
    sentences: list[Sentence]
    payments: list
    defendants: list[tuple[Defendant, dict]] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    ordered: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    owed: Decimal = Decimal(0)


def proceeding_file(case: Case, proceeding: Proceeding, *, with_defendants: bool) -> ProceedingFile:
    proceeding.data_key = case.data_key
    steps = keyed(proceeding.steps.select_related("issuer", "recorded_by"), case)
    hearings = keyed(proceeding.hearings.select_related("court")
                      .prefetch_related("attendees"), case)
    for row in steps + hearings:
        row.note = row.unseal("note")
    deadlines = list(proceeding.deadlines.select_related("step", "done_by"))
    sentences = list(Sentence.objects.filter(step__proceeding=proceeding)
                     .select_related("step", "defendant"))
    payments = list(proceeding.payments.select_related("recorded_by"))
    ordered, paid, owed = services.reparation_balance(proceeding)
    record = ProceedingFile(proceeding, steps, hearings, deadlines, sentences, payments,
                            measures=keyed(proceeding.measures.select_related("issuer"), case),
                            ordered=ordered, paid=paid, owed=owed)
    if with_defendants:
        record.defendants = [(d, services.defendant_details(d))
                             for d in keyed(proceeding.defendants.all(), case)]
    return record


def measure_list(case: Case) -> list[Measure]:
    return keyed(Measure.objects.filter(case=case).select_related("issuer", "proceeding"), case)


# ---- office views --------------------------------------------------------------------------------

def office_proceedings(user, *, stage: str = "", office_id: int | None = None,
                       stalled_days: int | None = None) -> QuerySet[Proceeding]:
    cases = cases_where(user, "proceeding.view")
    if office_id:
        cases = cases.filter(office_id=office_id)
    rows = (Proceeding.objects.filter(case__in=cases)
            .select_related("case", "case__office", "prosecutor_office", "representative")
            .order_by("last_activity_on", "case__code"))
    if stage:
        rows = rows.filter(stage=stage)
    if stalled_days:
        rows = rows.exclude(stage=choices.Stage.CONCLUDED).filter(
            last_activity_on__lt=timezone.localdate() - timedelta(days=stalled_days))
    return rows


def stage_counts(user, *, office_id: int | None = None) -> list[tuple[str, str, int]]:
    cases = cases_where(user, "proceeding.view")
    if office_id:
        cases = cases.filter(office_id=office_id)
    found = dict(Proceeding.objects.filter(case__in=cases).values_list("stage")
                 .annotate(n=Count("id")).values_list("stage", "n"))
    return [(s.value, s.label, found.get(s.value, 0)) for s in choices.Stage]


@dataclass(frozen=True)
class CalendarItem:
    kind: str  # "hearing" | "deadline"
    starts: datetime | date
    day: date
    case_code: str
    title: str
    where: str
    must_attend: bool
    uid: str
    proceeding_id: str


def calendar(user, *, start: date, end: date, office_id: int | None = None,
             mine: bool = False) -> list[CalendarItem]:
    """Hearings and open deadlines of the cases whose proceedings the user may follow. With
    `mine`, those of the user's own cases and the hearings the user goes to."""
    cases = cases_where(user, "proceeding.view")
    if office_id:
        cases = cases.filter(office_id=office_id)
    tz = timezone.get_current_timezone()
    first = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    last = datetime.combine(end, datetime.max.time(), tzinfo=tz)
    items = []
    hearings = Hearing.objects.filter(proceeding__case__in=cases, starts_at__range=(first, last))
    if mine:
        team = Q(lawyer=user) | Q(worker=user) | Q(psychologist=user)
        hearings = hearings.filter(Q(proceeding__case__in=cases.filter(team))
                                   | Q(pk__in=Hearing.attendees.through.objects.filter(
                                       user=user).values("hearing_id")))
        cases = cases.filter(team)
    hearings = (hearings.exclude(status=choices.HearingStatus.CANCELLED)
                .select_related("court", "proceeding__case"))
    for h in hearings:
        items.append(CalendarItem(
            "hearing", h.starts_at, timezone.localtime(h.starts_at).date(),
            h.proceeding.case.code, str(h.get_kind_display()), str(h.court or ""),
            h.survivor_must_attend, f"hearing-{h.pk}@amparo", str(h.proceeding_id)))
    deadlines = (Deadline.objects.filter(proceeding__case__in=cases, due_on__range=(start, end),
                                         status=choices.DeadlineStatus.OPEN)
                 .select_related("proceeding__case"))
    for d in deadlines:
        items.append(CalendarItem("deadline", d.due_on, d.due_on, d.proceeding.case.code,
                                  d.action, "", False, f"deadline-{d.pk}@amparo",
                                  str(d.proceeding_id)))
    return sorted(items, key=lambda i: (i.day, i.kind != "deadline", str(i.starts)))


def live_feeds():
    """Addresses not revoked and younger than AMPARO_FEED_DAYS: a secret address copied into a
    phone must not work for ever."""
    since = timezone.now() - timedelta(days=settings.AMPARO_FEED_DAYS)
    return CalendarFeed.objects.filter(revoked_at__isnull=True, created_at__gte=since)


def feed_owner(token: str):
    feed = (live_feeds().filter(digest=services.feed_digest(token))
            .select_related("user").first())
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


def feed_active(user) -> CalendarFeed | None:
    return live_feeds().filter(user=user).first()


def proceeding_for(case: Case, pk) -> Proceeding:
    """One of the case's proceedings, with its prosecutor's office, court and representative."""
    return get_object_or_404(Proceeding.objects.select_related(
        "prosecutor_office", "court", "representative"), pk=pk, case=case)


def defendants_of(proceeding: Proceeding) -> QuerySet[Defendant]:
    return Defendant.objects.filter(proceeding=proceeding)


def deadline_rules() -> list[DeadlineRule]:
    return list(DeadlineRule.objects.all())
