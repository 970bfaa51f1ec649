"""Writes of the linkage app: importing reports, proposing candidates from the engine's pairs,
and the decisions coordinators take on them (linking a report to a case, merging two persons,
and taking either back). Each runs in one transaction and leaves an audit event.

The consent gate: linking a report to a case tells whoever sent the report that she is known to
the organisation, so it needs the case's consent for sharing in force, or a coordinator's
written, audited override (the same gate as an outgoing referral's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Office, User
from amparo.accounts.permissions import must, offices_for
from amparo.audit.services import event_record
from amparo.cases.access import case_allows, cases_for_job
from amparo.cases.models import Case
from amparo.core.liveness import abandoned
from amparo.crypto.envelope import data_key_create
from amparo.linkage.models import (
    Candidate,
    CandidateDecision,
    Decision,
    MatchRun,
    Merge,
    MissingReport,
    ReportStatus,
    ReportStatusChange,
)
from amparo.linkage.reports import FIELDS, report_rows
from amparo.linkage.selectors import merged_away
from amparo.linkage.tasks import match_execute
from amparo.referrals.services import sharing_allowed

PERMISSION = "linkage.review"
STATUS_REASON_MIN = 10  # characters of the reason for marking a report found or closed
CHUNK = 5000


@dataclass
class ReportsResult:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)



def reports_import(*, actor: User, request=None, content: bytes, name: str,
                   source: str) -> ReportsResult:
    """All rows or none: a file with any wrong row saves nothing and says what to fix. A report
    already here (same source and number) is updated when the file says something new."""
    must(actor, PERMISSION)
    rows, problems = report_rows(content, name, source=source)
    result = ReportsResult(problems=problems)
    if problems or not rows:
        if not rows and not problems:
            result.problems.append(_("The file holds no report."))
        return result
    try:
        _reports_save(actor, request, name, rows, result)
    except IntegrityError:  # the same reports saved by another upload at this very moment
        result.problems.append(_("These reports were being saved by another upload at the "
                                 "same moment. Upload the file again: nothing is duplicated."))
        result.created, result.updated, result.unchanged = [], [], 0
    return result


@transaction.atomic
def _reports_save(actor, request, name, rows, result: ReportsResult) -> None:
    """One transaction: every row saved, or none."""
    existing = {}
    numbers = sorted({row.number for row in rows})
    for start in range(0, len(numbers), CHUNK):
        for r in MissingReport.objects.filter(number__in=numbers[start:start + CHUNK]):
            existing[(r.source, r.number)] = r
    fresh = []
    for row in rows:
        report = existing.get((row.source, row.number))
        if report is None:
            fresh.append(MissingReport(source=row.source, number=row.number,
                                       imported_by=actor, **row.values))
            continue
        changed = [f for f in FIELDS if getattr(report, f) != row.values[f]]
        if not changed:
            result.unchanged += 1
            continue
        for name_ in changed:
            setattr(report, name_, row.values[name_])
        report.save(update_fields=[*changed, "updated_at"])
        result.updated.append(report.pk)
    created = MissingReport.objects.bulk_create(fresh)
    result.created = [r.pk for r in created]
    event_record(action="import", request=request, actor=actor,
                 object_type="missing_report",
                 object_ids=[str(pk) for pk in result.created + result.updated],
                 reason=f"{name}: {len(result.created)} new, {len(result.updated)} updated, "
                        f"{result.unchanged} unchanged")
    touched = result.created + result.updated
    if touched:
        transaction.on_commit(lambda: match_queue(actor=actor, reports=touched))


@transaction.atomic
def report_status_set(*, actor: User, request=None, report: MissingReport,
                      status: str, reason: str = "") -> MissingReport:
    """Missing, found or closed, with a written reason, by a reviewer of the office whose
    department she was last seen in (any reviewer when the report says no department). Linked
    comes only from a decision on a possible match, and a linked report is unlinked there,
    where the consent gate and the audit are."""
    must(actor, PERMISSION)
    report = MissingReport.objects.select_for_update().get(pk=report.pk)
    offices = offices_for(actor, PERMISSION)
    if report.department and offices is not None and not Office.objects.filter(
            pk__in=offices, department_id=report.department).exists():
        raise ValidationError({"status": _(
            "This report is of another region: a coordinator of the office there changes its "
            "status.")})
    if report.status == ReportStatus.LINKED:
        raise ValidationError({"status": _(
            "This report is linked to a case: take the link back in its possible match first.")})
    if status not in (ReportStatus.MISSING, ReportStatus.FOUND, ReportStatus.CLOSED):
        raise ValidationError({"status": _(
            "Choose missing, found or closed. A report is linked to a case by deciding on a "
            "possible match.")})
    reason = reason.strip()
    if len(reason) < STATUS_REASON_MIN:
        raise ValidationError({"reason": _(
            "Say in a few words why (who said she was found, or why the report is closed).")})
    change = ReportStatusChange(report=report, from_status=report.status, to_status=status,
                                changed_by=actor, data_key=data_key_create())
    change.seal("reason", reason)
    change.save()
    report.status = status
    report.save(update_fields=["status", "updated_at"])
    event_record(action="update", request=request, actor=actor, object_type="missing_report",
                 object_id=str(report.pk),
                 reason=f"status {status}; reason sealed in status change {change.pk}")
    return report


class RunUnderWay(ValidationError):
    def __init__(self, run: MatchRun):
        super().__init__(_("A matching run is already under way; its progress is below."),
                         code="under_way")
        self.run = run


def runs_recover() -> int:
    """Fail the runs whose worker is gone (killed, restarted, its machine down) so that another
    can start: at once when it ran on this host (core.liveness), otherwise after
    AMPARO_RUN_ABANDON_HOURS; a run still queued after that long was lost by the queue. A failed
    run wrote nothing but its proposals, which the next run proposes again. Returns how many."""
    now = timezone.now()
    limit = now - timedelta(hours=settings.AMPARO_RUN_ABANDON_HOURS)
    gone = [run.pk for run in MatchRun.objects.filter(finished_at__isnull=True).only(
        "pk", "status", "worker", "started_at", "created_at")
        if (abandoned(run.worker, run.started_at) if run.status == MatchRun.Status.RUNNING
            else run.created_at < limit)]
    failed = 0
    for pk in gone:  # each only if still unfinished: a run that ended meanwhile stays as it is
        if MatchRun.objects.filter(pk=pk, finished_at__isnull=True).update(
                status=MatchRun.Status.FAILED, finished_at=now, stage="",
                error=_("Stopped: the background worker ended before finishing this run (it "
                        "was restarted or killed). The pairs already proposed stay; start the "
                        "matching again.")):
            failed += 1
            event_record(action="update", actor=None, actor_username="system",
                         object_type="match_run", object_id=str(pk), section="linkage",
                         queue=False, reason="worker gone: run failed so another can start")
    return failed


def match_queue(*, actor: User | None, reports: list[int] = (), persons: list[int] = ()):
    """A matching run in the background worker: everything (no ids given) or only the new
    reports and persons against the rest. One full run at a time, whoever asks: a second one
    while the first is queued or running raises RunUnderWay (the database's constraint decides
    between two clicks at the same instant)."""
    if actor is not None and not (reports or persons):
        must(actor, PERMISSION)
    kind = MatchRun.Kind.NEW if reports or persons else MatchRun.Kind.FULL
    runs_recover()
    try:
        with transaction.atomic():
            run = MatchRun.objects.create(kind=kind, started_by=actor)
    except IntegrityError:
        raise RunUnderWay(MatchRun.objects.filter(kind=kind, finished_at__isnull=True)
                          .first()) from None
    transaction.on_commit(lambda: match_execute.enqueue(str(run.pk), list(reports),
                                                        list(persons)))
    return run


def _latest_case(actor: User, cases) -> Case | None:
    cases = [c for c in cases.select_related("office").order_by("-intake_date", "-id")
             if case_allows(actor, c, PERMISSION)]
    return cases[0] if cases else None


def _reviewable(actor: User, candidate: Candidate) -> list[Case]:
    """The cases the decision touches; refuses unless the actor reviews every person's. A
    person merged by this candidate is judged by the cases the merge moved."""
    merge = Merge.objects.filter(candidate=candidate, undone_at__isnull=True).first()
    cases = []
    for person_id in filter(None, (candidate.person_id, candidate.other_id)):
        own = cases_for_job("merge").filter(person_id=person_id)
        if merge is not None and person_id == merge.merged_id:
            own = cases_for_job("merge").filter(pk__in=merge.cases)
        case = _latest_case(actor, own)
        if case is None:
            raise PermissionDenied
        cases.append(case)
    return cases


def _sharing(actor: User, case: Case, override_reason: str) -> str:
    """The referrals' consent gate, in linking's words; the override's reason, or ""."""
    _consent, reason = sharing_allowed(actor, case, override_reason, missing={
        "override_reason": _(
            "Linking this report tells whoever reported her missing that she is known here, "
            "and case %(code)s has no consent for sharing in force. Record her consent (or "
            "her guardian's) in the case's Consent tab, or, as a coordinator, write why it "
            "must be linked without it.") % {"code": case.code}},
        unauthorised=_("Only a coordinator of the case's office can link without consent."),
        too_short=_("Explain in a sentence or two why she cannot consent and why linking is "
                    "needed now."))
    return reason


@transaction.atomic
def candidate_decide(*, actor: User, request=None, candidate: Candidate, decision: str,
                     comment: str = "", override_reason: str = "") -> Candidate:
    """Record a decision. "The same person" links the report to her latest case (consent gate)
    or merges the two persons; any other decision on a pair decided "the same" takes that
    back: the report is unlinked, the merge undone. "Different people" keeps the pair out of
    later runs."""
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose a decision.")})
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("report").get(
        pk=candidate.pk)
    cases = _reviewable(actor, candidate)
    comment = comment.strip()
    if decision == Decision.DIFFERENT and not comment:
        raise ValidationError({"comment": _(
            "Say in a few words what shows they are different people (it keeps the pair from "
            "being proposed again).")})
    reason = ""
    was_same = candidate.status == Candidate.Status.SAME
    if decision == Decision.SAME and not was_same:
        if candidate.kind == Candidate.Kind.REPORT:
            reason = _sharing(actor, cases[0], override_reason)
            _link(candidate.report, cases[0])
        else:
            _merge(actor, candidate)
    elif decision != Decision.SAME and was_same:
        if candidate.kind == Candidate.Kind.REPORT:
            _unlink(candidate.report)
        else:
            _unmerge(actor, candidate)
    record = CandidateDecision.objects.create(candidate=candidate, decision=decision,
                                              data_key=cases[0].data_key, decided_by=actor)
    record.seal("comment", comment)
    record.seal("override_reason", reason)
    record.save(update_fields=["comment_sealed", "override_reason_sealed"])
    candidate.status = decision
    candidate.save(update_fields=["status", "updated_at"])
    codes = [c.code for c in cases]
    event_record(action="decide", request=request, actor=actor, object_type="candidate",
                 object_id=str(candidate.pk), object_ids=codes, section="linkage",
                 office=cases[0].office, reason=f"{candidate.kind}: {decision}")
    if reason:
        # That it happened and where the sealed reason is; never the reason itself.
        event_record(action="override", request=request, actor=actor, object_type="case",
                     object_id=cases[0].code, section="linkage", office=cases[0].office,
                     reason=f"consent for sharing missing; reason sealed in linkage decision "
                            f"{record.pk}")
    return candidate


def _link(report: MissingReport, case: Case) -> None:
    if report.status == ReportStatus.LINKED and report.case_id != case.pk:
        raise ValidationError({"decision": _(
            "This report is already linked to case %(code)s. Take that link back first.")
            % {"code": report.case.code}})
    report.person_id, report.case, report.status = case.person_id, case, ReportStatus.LINKED
    report.save(update_fields=["person", "case", "status", "updated_at"])


def _unlink(report: MissingReport) -> None:
    report.person, report.case, report.status = None, None, ReportStatus.MISSING
    report.save(update_fields=["person", "case", "status", "updated_at"])


def _merge(actor: User, candidate: Candidate) -> Merge:
    """The person registered first is kept; the other's cases (each saved, so its history
    shows the change) and reports move to her. Nothing is deleted."""
    kept, merged = candidate.person_id, candidate.other_id
    if merged_away({kept, merged}):
        raise ValidationError({"decision": _(
            "One of them is already merged into someone else. Review that merge first.")})
    moved = []
    for case in cases_for_job("merge").filter(person_id=merged).order_by("id"):
        case.person_id = kept
        case.save(update_fields=["person"])
        moved.append(case.pk)
    reports = list(MissingReport.objects.filter(person_id=merged).values_list("pk", flat=True))
    MissingReport.objects.filter(pk__in=reports).update(person_id=kept)
    return Merge.objects.create(candidate=candidate, kept_id=kept, merged_id=merged, cases=moved,
                                reports=reports, merged_by=actor)


def _unmerge(actor: User, candidate: Candidate) -> None:
    merge = Merge.objects.filter(candidate=candidate, undone_at__isnull=True).first()
    if merge is None:
        return
    for case in cases_for_job("merge").filter(pk__in=merge.cases,
                                              person_id=merge.kept_id).order_by("id"):
        case.person_id = merge.merged_id
        case.save(update_fields=["person"])
    MissingReport.objects.filter(pk__in=merge.reports, person_id=merge.kept_id).update(
        person_id=merge.merged_id)
    merge.undone_at, merge.undone_by = timezone.now(), actor
    merge.save(update_fields=["undone_at", "undone_by"])


def people_match(person_ids: list[int]) -> None:
    """New or corrected people are matched against the reports and the rest in the background."""
    match_queue(actor=None, persons=list(person_ids))
