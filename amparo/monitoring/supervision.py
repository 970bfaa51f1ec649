"""The supervisor's view of one office: open cases by stage, cases with each alert type, the
team's caseloads, who nobody has reached, proceedings by stage, and the share of survivors who
reached access-to-justice and reintegration milestones, by year of intake. Aggregates in the
database; only the list of cases without contact names codes (and is audited as a list)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.permissions import can
from amparo.cases import choices as case_choices
from amparo.cases.access import cases_where
from amparo.cases.selectors import json_list_has
from amparo.core import charts
from amparo.legal import choices as legal_choices
from amparo.legal.models import Payment, Proceeding, Step
from amparo.legal.procedure import CONVICTIONS
from amparo.monitoring import choices
from amparo.monitoring.models import Alert

YEARS = 8
LISTED = 25
S = legal_choices.Stage
FORMAL_STAGES = [S.INVESTIGATION, S.INTERMEDIATE, S.TRIAL, S.APPEAL, S.CASSATION,
                 S.ENFORCEMENT]
REINTEGRATION = [case_choices.Outcome.STUDIES, case_choices.Outcome.WORK,
                 case_choices.Outcome.BUSINESS]


def _live():
    return Alert.objects.filter(ended_on__isnull=True, status__in=choices.LIVE)


def board(user, office_id: int, *, today: date) -> dict:
    if not can(user, "supervision.view", office_id):
        raise PermissionDenied
    cases = cases_where(user, "supervision.view").filter(office_id=office_id)
    open_cases = cases.exclude(status=case_choices.Status.CERRADO)

    by_status = dict(open_cases.values_list("status").annotate(n=Count("pk")).order_by())
    status_rows = [(s.label, by_status.get(s.value, 0)) for s in case_choices.WORKFLOW]

    live = _live().filter(case__in=open_cases.values("pk"))
    by_kind = dict(live.values_list("kind").annotate(n=Count("case", distinct=True)).order_by())
    kind_rows = [(k.label, by_kind[k.value]) for k in choices.Kind if by_kind.get(k.value)]

    caseloads = _caseloads(open_cases)

    lost = list(live.filter(kind=choices.Kind.LOST_CONTACT).select_related("case__worker")
                .order_by("since")[:LISTED])
    lost_count = live.filter(kind=choices.Kind.LOST_CONTACT).count()

    stages = dict(Proceeding.objects.filter(case__in=cases.values("pk"))
                  .values_list("stage").annotate(n=Count("pk")).order_by())
    stage_rows = [(s.label, stages.get(s.value, 0)) for s in S if stages.get(s.value)]

    return {
        "open": sum(by_status.values()), "status_rows": status_rows, "kind_rows": kind_rows,
        "caseloads": caseloads, "without_contact": [
            {"code": a.case.code, "since": a.since, "days": (today - a.since).days,
             "worker": a.case.worker.display_name} for a in lost],
        "without_contact_count": lost_count,
        "without_contact_codes": [a.case.code for a in lost],
        "stage_rows": stage_rows, "milestones": _milestones(cases, today),
    }


def _caseloads(open_cases) -> list[dict]:
    """Open cases per member of the team, in each place they fill, with how many have a high
    alert."""
    high = Exists(_live().filter(case=OuterRef("pk"), severity=choices.Severity.HIGH))
    cases = open_cases.annotate(high=high)
    loads: dict[int, dict] = {}
    for slot in ("worker", "psychologist", "lawyer"):
        rows = (cases.filter(**{f"{slot}__isnull": False}).values(slot)
                .annotate(n=Count("pk"), urgent=Count("pk", filter=Q(high=True))).order_by())
        for row in rows:
            entry = loads.setdefault(row[slot], {"worker": 0, "psychologist": 0, "lawyer": 0,
                                                 "urgent": 0})
            entry[slot] = row["n"]
            entry["urgent"] += row["urgent"]
    names = {u.pk: u.display_name for u in User.objects.filter(pk__in=loads)}
    result = [{"name": names[pk], **load, "total": load["worker"] + load["psychologist"]
               + load["lawyer"]} for pk, load in loads.items()]
    return sorted(result, key=lambda r: (-r["total"], r["name"]))


def _milestones(cases, today: date) -> list[tuple[int, str, float, int]]:
    """Per year of intake: the share of survivors with a complaint, a formal investigation, a
    conviction, reparation paid, and studies, work or a business recorded at closure."""
    first = today.year - YEARS + 1
    # Each milestone as "the case is in this set": the database hashes each set once.
    steps = Step.objects.values("proceeding__case_id")
    milestones = {
        "complaint": Q(pk__in=Proceeding.objects.values("case_id")),
        "formal": Q(pk__in=Proceeding.objects.filter(stage__in=FORMAL_STAGES).values("case_id"))
        | Q(pk__in=steps.filter(stage_after__in=FORMAL_STAGES)),
        "conviction": Q(pk__in=steps.filter(decision__in=CONVICTIONS)),
        "paid": Q(pk__in=Payment.objects.values("proceeding__case_id")),
        "reintegrated": Q(),
    }
    for outcome in REINTEGRATION:
        milestones["reintegrated"] |= json_list_has("closure_outcomes", outcome.value)
    rows = (cases.filter(intake_date__year__gte=first).values("intake_date__year")
            .order_by("intake_date__year")
            .annotate(total=Count("pk"),
                      **{key: Count("pk", filter=q) for key, q in milestones.items()}))
    labels = {
        "complaint": _("Complaint filed"), "formal": _("Formal investigation or beyond"),
        "conviction": _("Conviction"), "paid": _("Reparation paid (any)"),
        "reintegrated": _("Studies, work or own business at closure"),
    }
    result = []
    for row in rows:
        for key, label in labels.items():
            result.append((row["intake_date__year"], label, row[key] / row["total"], row["total"]))
    return result


def charts_for(board: dict) -> list[charts.Chart]:
    made = [
        charts.bars(_("Open cases by stage"), board["status_rows"], label=_("Stage"),
                    value=_("Cases")),
    ]
    if board["kind_rows"]:
        made.append(charts.bars(_("Cases with each alert"), board["kind_rows"],
                                label=_("Alert"), value=_("Cases")))
    if board["caseloads"]:
        parts = {"worker": _("responsible worker"), "psychologist": _("psychologist"),
                 "lawyer": _("lawyer")}
        made.append(charts.stacked(
            _("Caseloads"), [(r["name"], parts[slot], r[slot]) for r in board["caseloads"]
                             for slot in parts if r[slot]],
            label=_("Team member"), part=_("As"), value=_("Open cases")))
    if board["stage_rows"]:
        made.append(charts.bars(_("Criminal proceedings by stage"), board["stage_rows"],
                                label=_("Stage"), value=_("Proceedings")))
    if board["milestones"]:
        made.append(charts.lines(
            _("Milestones reached, by year of intake"),
            [(str(y), label, share) for y, label, share, _n in board["milestones"]],
            x=_("Year of intake"), series=_("Milestone"), value=_("Share of survivors")))
    return made
