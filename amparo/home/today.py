"""The home page says what to do today, for each role, from each app's own selectors.

This module composes; it sits above the apps (the `home` app is the top layer) and holds no
query logic of its own beyond choosing what each role sees. Every list is within the user's scope
(`cases_where`), every item links to where the work is done, and the case codes shown are
recorded as one access event by the view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from amparo.accounts.models import Office
from amparo.accounts.permissions import Scope, can, scopes
from amparo.accounts.selectors import changes_to_decide, grants_to_decide
from amparo.cases import choices as case_choices
from amparo.cases.access import cases_where
from amparo.cases.models import CarePlan, PlanAction
from amparo.imports.models import ImportRun
from amparo.imports.selectors import runs_for
from amparo.legal.selectors import calendar, office_proceedings
from amparo.linkage.selectors import queue_for
from amparo.monitoring import choices as alert_choices
from amparo.monitoring.selectors import describe, inbox, live_counts, open_alerts
from amparo.policy.choices import RequestState
from amparo.policy.models import Edition
from amparo.policy.selectors import requests_register

# Practice is a contact a month; the lost-contact alert comes later (60 days, 30 for a child).
FOLLOW_UP_DUE_DAYS = 30
STALLED_DAYS = 90
LIST_LIMIT = 8


@dataclass
class Line:
    code: str
    text: str
    url: str
    when: date | None = None
    severity: int = 0


@dataclass
class Block:
    """One thing to do: a title, how many, the first few lines and where to see them all."""
    key: str
    title: Promise
    empty: Promise
    lines: list[Line] = field(default_factory=list)
    total: int = 0
    more_url: str = ""
    more_label: Promise | None = None


@dataclass
class Today:
    blocks: list[Block] = field(default_factory=list)
    alert_counts: dict | None = None
    offices: list[dict] | None = None
    codes: set[str] = field(default_factory=set)


def _open(cases):
    return cases.exclude(status=case_choices.Status.CERRADO)


def _mine(user, permission: str = "case.view"):
    team = Q(worker=user) | Q(psychologist=user) | Q(lawyer=user)
    return _open(cases_where(user, permission)).filter(team)


def _office_wide(user, permission: str) -> bool:
    return any(s in (Scope.OFFICE, Scope.ALL) for s, _o in scopes(user, permission))


def follow_ups_due(cases, today: date) -> Block:
    rows = (cases.annotate(last=Max("follow_ups__contacted_on",
                                    filter=Q(follow_ups__reached=True)))
            .filter(Q(last__lt=today - timedelta(days=FOLLOW_UP_DUE_DAYS))
                    | Q(last__isnull=True, intake_date__lt=today - timedelta(
                        days=FOLLOW_UP_DUE_DAYS)))
            .order_by("last", "intake_date", "code"))
    block = Block("follow_ups", _("Follow-ups due"),
                  _("Every survivor of your cases was reached in the last 30 days."))
    block.total = rows.count()
    for case in rows.values("code", "last", "intake_date")[:LIST_LIMIT]:
        since = case["last"] or case["intake_date"]
        days = (today - since).days
        block.lines.append(Line(case["code"], str(_("no contact for %(days)s days") % {
            "days": days}), reverse("cases:follow_ups", args=[case["code"]]), since))
    return block


def actions_overdue(cases, today: date) -> Block:
    rows = (PlanAction.objects
            .filter(goal__plan__case__in=cases, goal__plan__status=case_choices.PlanStatus.APPROVED,
                    status__in=[case_choices.ActionStatus.PENDING,
                                case_choices.ActionStatus.IN_PROGRESS],
                    due_on__lt=today)
            .order_by("due_on", "id"))
    block = Block("actions", _("Overdue plan actions"), _("No plan action is overdue."))
    block.total = rows.count()
    for code, due in rows.values_list("goal__plan__case__code", "due_on")[:LIST_LIMIT]:
        block.lines.append(Line(code, str(_("due on %(date)s") % {
            "date": due.strftime("%d/%m/%Y")}), reverse("cases:plan", args=[code]), due))
    return block


def high_alerts(user, today: date, *, besides_lost_contact: bool = False) -> Block:
    rows = inbox(user, severity=3)
    if besides_lost_contact:  # the coordinator sees those in a block of their own
        rows = rows.exclude(kind=alert_choices.Kind.LOST_CONTACT)
    block = Block("alerts", _("High alerts"), _("No high alert."),
                  more_url=reverse("monitoring:inbox") + "?gravedad=3")
    block.total = rows.count()
    for alert in rows[:LIST_LIMIT]:
        said = describe(alert, today)
        block.lines.append(Line(alert.case.code, said.text, said.url, alert.since, 3))
    return block


def week_in_court(user, today: date, *, deadlines: bool) -> Block:
    items = [i for i in calendar(user, start=today, end=today + timedelta(days=6), mine=True)
             if deadlines or i.kind == "hearing"]
    title = (_("Hearings and deadlines this week") if deadlines
             else _("Hearings today and this week"))
    block = Block("court", title, _("Nothing in court this week."),
                  more_url=reverse("legal:calendar"))
    block.total = len(items)
    for item in items[:LIST_LIMIT]:
        when = (_("today") if item.day == today else item.day.strftime("%d/%m"))
        kind = pgettext("court", "Hearing") if item.kind == "hearing" else _("Deadline")
        block.lines.append(Line(item.case_code, f"{when} · {kind}: {item.title}",
                                reverse("legal:case", args=[item.case_code]), item.day,
                                2 if item.day == today else 0))
    return block


def proceedings_stalled(user) -> Block:
    rows = office_proceedings(user, stalled_days=STALLED_DAYS)
    if not _office_wide(user, "proceeding.view"):
        rows = rows.filter(case__lawyer=user)
    block = Block("stalled", _("Proceedings without movement for 90 days"),
                  _("Every proceeding moved in the last 90 days."),
                  more_url=reverse("legal:office") + f"?sin_movimiento={STALLED_DAYS}")
    block.total = rows.count()
    for p in rows[:LIST_LIMIT]:
        block.lines.append(Line(p.case.code, str(_("last movement %(date)s") % {
            "date": p.last_activity_on.strftime("%d/%m/%Y")}) if p.last_activity_on else "",
            reverse("legal:case", args=[p.case.code]), p.last_activity_on))
    return block


def nobody_reached(user, today: date) -> Block:
    rows = inbox(user, kind=alert_choices.Kind.LOST_CONTACT)
    block = Block("lost", _("Survivors nobody reached"), _("Every survivor was reached."),
                  more_url=reverse("monitoring:inbox") + f"?tipo={alert_choices.Kind.LOST_CONTACT}")
    block.total = rows.count()
    for alert in rows[:LIST_LIMIT]:
        said = describe(alert, today)
        block.lines.append(Line(alert.case.code, said.text, said.url, alert.since,
                                alert.severity))
    return block


def plans_to_approve(user) -> Block:
    cases = _open(cases_where(user, "plan.approve"))
    rows = (CarePlan.objects.filter(case__in=cases, status=case_choices.PlanStatus.DRAFT)
            .order_by("created_at"))
    block = Block("plans", _("Plans waiting for your approval"), _("No plan is waiting."))
    block.total = rows.count()
    for code, created in rows.values_list("case__code", "created_at")[:LIST_LIMIT]:
        day = timezone.localtime(created).date()
        block.lines.append(Line(code, str(_("drafted on %(date)s") % {
            "date": day.strftime("%d/%m/%Y")}), reverse("cases:plan", args=[code]), day))
    return block


def closures_to_decide(user) -> Block:
    """Cases in follow-up whose approved plan has nothing left to do: the closure is the
    coordinator's decision."""
    cases = cases_where(user, "case.close").filter(status=case_choices.Status.SEGUIMIENTO)
    open_action = PlanAction.objects.filter(
        goal__plan__case=OuterRef("pk"), goal__plan__status=case_choices.PlanStatus.APPROVED,
        status__in=[case_choices.ActionStatus.PENDING, case_choices.ActionStatus.IN_PROGRESS])
    approved = CarePlan.objects.filter(case=OuterRef("pk"),
                                       status=case_choices.PlanStatus.APPROVED)
    rows = (cases.filter(Exists(approved)).exclude(Exists(open_action))
            .order_by("intake_date", "code"))
    block = Block("closures", _("Closures to decide (plan completed)"),
                  _("No case has completed its plan."))
    block.total = rows.count()
    for code in rows.values_list("code", flat=True)[:LIST_LIMIT]:
        block.lines.append(Line(code, str(_("every plan action done")),
                                reverse("cases:close", args=[code])))
    return block


def linkage_waiting(user) -> Block:
    rows = queue_for(user)
    block = Block("linkage", _("Possible matches to review"), _("No pair is waiting."),
                  more_url=reverse("linkage:queue"), more_label=_("Open the review queue"))
    block.total = rows.count()
    return block


def imports_waiting(user) -> Block:
    waiting = [ImportRun.Status.UPLOADED, ImportRun.Status.CHECKED, ImportRun.Status.QUEUED,
               ImportRun.Status.RUNNING, ImportRun.Status.REFUSED, ImportRun.Status.FAILED]
    rows = runs_for(user).filter(status__in=waiting).order_by("-created_at")
    block = Block("imports", _("Imports waiting for you"), _("No import is waiting."),
                  more_url=reverse("imports:runs"))
    block.total = rows.count()
    for run in rows[:LIST_LIMIT]:
        block.lines.append(Line("", f"{run.office.name} · {run.get_status_display()}",
                                reverse("imports:run", args=[run.pk])))
    return block


def roles_to_approve(user) -> Block:
    rows = grants_to_decide(user)
    block = Block("grants", _("Roles waiting for your approval"),
                  _("No role is waiting for your approval."),
                  more_url=reverse("accounts:grants"), more_label=_("Decide on them"))
    block.total = rows.count()
    changes = changes_to_decide(user).count()  # a new e-mail, a second-factor reset
    if changes:
        block.total += changes
        block.lines.append(Line("", ngettext(
            "%(n)s account change (e-mail, second factor)",
            "%(n)s account changes (e-mail, second factor)", changes) % {"n": changes},
            reverse("accounts:grants")))
    return block


def requests_overdue(today: date) -> Block:
    """The watchdog's: the latest edition's information requests past their legal deadline,
    the oldest first (an earlier edition's are history, on the register). No case code: these
    lines name State entities, not survivors."""
    edition = Edition.objects.first()
    rows = [r for r in requests_register(edition=edition, today=today)
            if r.state == RequestState.OVERDUE] if edition else []
    block = Block("requests", _("Information requests overdue"),
                  _("No request is overdue."), more_url=reverse("policy:requests") + (
                      "?estado=" + RequestState.OVERDUE), more_label=_("See the register"))
    block.total = len(rows)
    block.lines = [Line("", f"{r.code} · {r.entity} · " + ngettext(
        "%(n)s day late", "%(n)s days late", r.days_late) % {"n": r.days_late},
        reverse("policy:request", args=[r.code]), r.deadline) for r in rows[:LIST_LIMIT]]
    return block


def offices_side_by_side(user, today: date) -> list[dict]:
    cases = cases_where(user, "case.view")
    counts = {row["office_id"]: row for row in _open(cases).values("office_id").annotate(
        open=Count("pk"), minors=Count("pk", filter=Q(is_minor=True))).order_by()}
    alerts = open_alerts().filter(case__in=_open(cases).values("pk"))
    high = dict(alerts.filter(severity=3).values_list("case__office_id").annotate(
        n=Count("pk")).order_by())
    lost = dict(alerts.filter(kind=alert_choices.Kind.LOST_CONTACT).values_list(
        "case__office_id").annotate(n=Count("pk")).order_by())
    rows = []
    for office in Office.objects.filter(active=True).order_by("name"):
        if office.pk not in counts and not cases.filter(office=office).exists():
            continue
        row = counts.get(office.pk, {})
        rows.append({"office": office, "open": row.get("open", 0), "minors": row.get("minors", 0),
                     "high": high.get(office.pk, 0), "lost": lost.get(office.pk, 0)})
    return rows


def today_for(user, today: date | None = None) -> Today:
    today = today or timezone.localdate()
    result = Today()
    add = result.blocks.append
    if can(user, "alert.view"):
        result.alert_counts = live_counts(user)
    coordinates = can(user, "plan.approve")
    if can(user, "case.view") and not coordinates and not _office_wide(user, "case.view"):
        mine = _mine(user)
        add(follow_ups_due(mine, today))
        add(actions_overdue(mine, today))
        if can(user, "alert.view"):
            add(high_alerts(user, today))
    if can(user, "proceeding.edit"):
        add(week_in_court(user, today, deadlines=True))
        add(proceedings_stalled(user))
    elif can(user, "proceeding.view") and not coordinates and not _office_wide(
            user, "case.view"):
        add(week_in_court(user, today, deadlines=False))
    if coordinates:
        add(high_alerts(user, today, besides_lost_contact=True))
        add(nobody_reached(user, today))
        add(plans_to_approve(user))
        add(closures_to_decide(user))
        if can(user, "linkage.review"):
            add(linkage_waiting(user))
        if can(user, "import.run"):
            add(imports_waiting(user))
    if can(user, "role.approve"):
        add(roles_to_approve(user))
    if can(user, "policy.manage"):
        add(requests_overdue(today))
    if _office_wide(user, "case.view") and not coordinates:
        result.offices = offices_side_by_side(user, today)
    for block in result.blocks:
        result.codes.update(line.code for line in block.lines if line.code)
    return result
