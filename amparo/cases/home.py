"""The case files' blocks on the home page: the survivors of one's own cases not reached for a
month, plan actions overdue; for a coordinator, plans to approve and closures to decide."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.cases import choices
from amparo.cases.access import cases_where
from amparo.cases.models import CarePlan, PlanAction
from amparo.core.home import Block, HomeBlock, Line, Who, at

# Practice is a contact a month; the lost-contact alert comes later (60 days, 30 for a child).
FOLLOW_UP_DUE_DAYS = 30


def open_cases(cases):
    return cases.exclude(status=choices.Status.CERRADO)


def own_cases(user, permission: str = "case.view"):
    """The open cases where she is the caseworker, the psychologist or the lawyer."""
    team = Q(worker=user) | Q(psychologist=user) | Q(lawyer=user)
    return open_cases(cases_where(user, permission)).filter(team)


def follow_ups_due(who: Who) -> Block:
    today = who.today
    rows = (own_cases(who.user)
            .annotate(last=Max("follow_ups__contacted_on", filter=Q(follow_ups__reached=True)))
            .filter(Q(last__lt=today - timedelta(days=FOLLOW_UP_DUE_DAYS))
                    | Q(last__isnull=True, intake_date__lt=today - timedelta(
                        days=FOLLOW_UP_DUE_DAYS)))
            .order_by("last", "intake_date", "code"))
    block = Block("follow_ups", _("Follow-ups due"),
                  _("Every survivor of your cases was reached in the last 30 days."),
                  order=_("the longest without contact first"))
    block.total = rows.count()
    for case in rows.values("code", "last", "intake_date")[:who.limit]:
        since = case["last"] or case["intake_date"]
        days = (today - since).days
        block.lines.append(Line(case["code"], str(_("no contact for %(days)s days") % {
            "days": days}), reverse("cases:follow_ups", args=[case["code"]]), since))
    return block


def actions_overdue(who: Who) -> Block:
    rows = (PlanAction.objects
            .filter(goal__plan__case__in=own_cases(who.user),
                    goal__plan__status=choices.PlanStatus.APPROVED,
                    status__in=[choices.ActionStatus.PENDING, choices.ActionStatus.IN_PROGRESS],
                    due_on__lt=who.today)
            .order_by("due_on", "id"))
    block = Block("actions", _("Overdue plan actions"), _("No plan action is overdue."),
                  order=_("the longest overdue first"))
    block.total = rows.count()
    for code, due in rows.values_list("goal__plan__case__code", "due_on")[:who.limit]:
        block.lines.append(Line(code, str(_("was due on %(date)s") % {
            "date": due.strftime("%d/%m/%Y")}), reverse("cases:plan", args=[code]), due))
    return block


def plans_to_approve(who: Who) -> Block:
    cases = open_cases(cases_where(who.user, "plan.approve"))
    rows = (CarePlan.objects.filter(case__in=cases, status=choices.PlanStatus.DRAFT)
            .order_by("created_at"))
    block = Block("plans", _("Plans waiting for your approval"), _("No plan is waiting."),
                  order=_("the longest waiting first"))
    block.total = rows.count()
    for code, created in rows.values_list("case__code", "created_at")[:who.limit]:
        day = timezone.localtime(created).date()
        block.lines.append(Line(code, str(_("drafted on %(date)s") % {
            "date": day.strftime("%d/%m/%Y")}), reverse("cases:plan", args=[code]), day))
    return block


def closures_to_decide(who: Who) -> Block:
    """Cases in follow-up whose approved plan has nothing left to do: the closure is the
    coordinator's decision."""
    cases = cases_where(who.user, "case.close").filter(status=choices.Status.SEGUIMIENTO)
    open_action = PlanAction.objects.filter(
        goal__plan__case=OuterRef("pk"), goal__plan__status=choices.PlanStatus.APPROVED,
        status__in=[choices.ActionStatus.PENDING, choices.ActionStatus.IN_PROGRESS])
    approved = CarePlan.objects.filter(case=OuterRef("pk"), status=choices.PlanStatus.APPROVED)
    rows = (cases.filter(Exists(approved)).exclude(Exists(open_action))
            .order_by("intake_date", "code"))
    block = Block("closures", _("Closures to decide (plan completed)"),
                  _("No case has completed its plan."))
    block.total = rows.count()
    for code in rows.values_list("code", flat=True)[:who.limit]:
        block.lines.append(Line(code, str(_("every plan action done")),
                                reverse("cases:close", args=[code])))
    return block


def _accompanies(who: Who) -> bool:
    return who.accompanies


def _coordinates(who: Who) -> bool:
    return who.coordinates


HOME_BLOCKS = (
    HomeBlock("follow_ups", _accompanies, follow_ups_due, at(10)),
    HomeBlock("actions", _accompanies, actions_overdue, at(20)),
    HomeBlock("plans", _coordinates, plans_to_approve, at(60)),
    HomeBlock("closures", _coordinates, closures_to_decide, at(70)),
)
