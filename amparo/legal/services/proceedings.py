"""A proceeding, its procedural steps (each moving its stage along `procedure.py`) and the
deadlines a step opens."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.cases.extensions import cases_changed
from amparo.cases.guards import case_event, check_not_future
from amparo.cases.models import Case
from amparo.core.dates import working_days_after
from amparo.core.versioning import bump, locked
from amparo.legal import choices, procedure
from amparo.legal.models import (
    Deadline,
    DeadlineRule,
    Offence,
    Proceeding,
    Step,
)
from amparo.legal.services.common import (
    PROCEEDING_FIELDS,
    PROSECUTORS,
    institution_check,
    label_of,
    legal_editable,
    staff_check,
)
from amparo.referrals.choices import InstitutionKind
from amparo.referrals.models import Institution


@transaction.atomic
def proceeding_save(*, actor: User, request=None, case: Case, data: dict,
                    proceeding: Proceeding | None = None, version: int | None = None,
                    stage: str = choices.Stage.COMPLAINT,
                    stage_since: date | None = None) -> Proceeding:
    """Create or edit a proceeding's identifiers and parties. A new proceeding starts at
    `stage` (a complaint, unless it is brought in at a later stage) on `stage_since`."""
    legal_editable(actor, case)
    if proceeding is None:
        record = Proceeding(case=case, data_key=case.data_key, created_by=actor)
    else:
        record = locked(Proceeding, proceeding.pk, version, PROCEEDING_FIELDS)
        if record.case_id != case.pk:
            raise PermissionDenied
    values = {k: data.get(k, getattr(record, k)) for k in PROCEEDING_FIELDS}
    for key in ("police_report", "prosecutor_file", "court_file"):
        values[key] = (values[key] or "").strip()
    charges = [str(c) for c in values["charges"] or []]
    known = set(Offence.objects.filter(article__in=charges).values_list("article", flat=True))
    if set(charges) - known:
        raise ValidationError({"charges": _("Choose the charges from the list of articles.")})
    values["charges"] = sorted(set(charges), key=charges.index)
    check_not_future(values["facts_on"], "facts_on")
    district = values["judicial_district"]
    if district and district not in choices.JUDICIAL_DISTRICTS:
        raise ValidationError({"judicial_district": _(
            "Choose the judicial district from the list.")})
    if values["track"] not in choices.Track.values:
        raise ValidationError({"track": _("Choose the procedural track.")})
    if values["representation"] not in choices.Representation.values:
        raise ValidationError({"representation": _("Say who represents her.")})
    institution_check(values["prosecutor_office"], PROSECUTORS, "prosecutor_office",
                      _("Choose a prosecutor's office (FISTRAP or another fiscalía)."))
    institution_check(values["court"], {InstitutionKind.COURT}, "court", _("Choose a court."))
    if values["civil_party"] and not values["civil_party_on"]:
        raise ValidationError({"civil_party_on": _(
            "Write the date she was constituted as actor civil.")})
    if not values["civil_party"]:
        values["civil_party_on"] = None
        if values["representation"] != choices.Representation.PROSECUTOR:
            values["representation"] = choices.Representation.PROSECUTOR
    check_not_future(values["civil_party_on"], "civil_party_on")
    staff_check(values["representative"], case, "representative",
                     _("Our lawyer must work in this case's office."))
    for key, value in values.items():
        setattr(record, key, value)
    if proceeding is None:
        if stage not in choices.Stage.values or stage == choices.Stage.CONCLUDED:
            raise ValidationError({"stage": _("Choose the stage the proceeding is in.")})
        start = stage_since or timezone.localdate()
        check_not_future(start, "stage_since")
        record.stage, record.stage_since, record.last_activity_on = stage, start, start
        record.save()
        first = Step(proceeding=record, data_key=case.data_key, kind=Step.Kind.STAGE,
                     stage_before=stage, stage_after=stage, taken_on=start, recorded_by=actor)
        first.seal("note", "")
        first.save()
    else:
        bump(record)
        record.save()
    case_event(request, actor, "create" if proceeding is None else "update", case, "legal",
           reason=f"proceeding {record.pk}")
    cases_changed([case.pk])  # its alerts follow, once committed
    return record


def _refuse_step(current: str, wanted: str, allowed: list[str], enum) -> ValidationError:
    names = ", ".join(f"«{label_of(enum, a)}»" for a in allowed) or _("nothing: it is concluded")
    return ValidationError({"code": _(
        "A proceeding in «%(stage)s» cannot take «%(wanted)s». From this stage it can take: "
        "%(allowed)s.") % {"stage": label_of(choices.Stage, current),
                            "wanted": label_of(enum, wanted), "allowed": names}})


def _has_conviction(proceeding: Proceeding) -> bool:
    return proceeding.steps.filter(decision__in=procedure.SENTENCING).exists()


@transaction.atomic
def step_record(*, actor: User, request=None, case: Case, proceeding: Proceeding, kind: str,
                code: str, taken_on: date, issuer: Institution | None = None,
                note: str = "", version: int | None = None) -> Step:
    """A change of stage or a decision, checked against the procedure. A decision with a
    deadline rule opens the deadline, counted from its date."""
    legal_editable(actor, case)
    record = locked(Proceeding, proceeding.pk, version, ["stage", "stage_since"])
    if record.case_id != case.pk:
        raise PermissionDenied
    current = record.stage
    check_not_future(taken_on, "taken_on")
    if taken_on < record.stage_since:
        raise ValidationError({"taken_on": _(
            "This date is before the current stage began (%(since)s). Record the steps in the "
            "order they happened.") % {"since": record.stage_since.strftime("%d/%m/%Y")}})
    if kind == Step.Kind.STAGE:
        if code not in choices.Stage.values:
            raise ValidationError({"code": _("Choose the stage.")})
        allowed = [s for s in procedure.ORDER if s in procedure.NEXT_STAGES[current]]
        if code not in procedure.NEXT_STAGES[current]:
            raise _refuse_step(current, code, allowed, choices.Stage)
        if code == choices.Stage.ENFORCEMENT and not _has_conviction(record):
            raise ValidationError({"code": _(
                "Only a conviction is enforced: record the judgment that convicted before "
                "moving to enforcement.")})
        decision, after = "", code
    elif kind == Step.Kind.DECISION:
        rule = procedure.DECISIONS.get(code)
        if rule is None:
            raise ValidationError({"code": _("Choose the decision.")})
        if current not in rule.allowed_in:
            allowed = [d for d, r in procedure.DECISIONS.items() if current in r.allowed_in]
            raise _refuse_step(current, code, allowed, choices.Decision)
        if code == choices.Decision.REOPENING:
            last = record.steps.exclude(decision="").order_by("-taken_on", "-recorded_at").first()
            if last is None or last.decision not in procedure.REOPENABLE:
                raise ValidationError({"code": _(
                    "Only an archived or provisionally shelved proceeding can be reopened; "
                    "this one ended by another decision.")})
        if code == choices.Decision.FINAL and not _has_conviction(record):
            raise ValidationError({"code": _(
                "A final judgment here means a final conviction; no conviction is recorded. If "
                "the acquittal became final, move the proceeding to «Concluded».")})
        decision, after = code, rule.moves_to or current
    else:
        raise ValidationError({"kind": _("Say whether it is a stage or a decision.")})
    if issuer is not None and issuer.kind not in PROSECUTORS | {InstitutionKind.COURT}:
        raise ValidationError({"issuer": _("Decisions are issued by a prosecutor or a court.")})
    step = Step(proceeding=record, data_key=case.data_key, kind=kind, decision=decision,
                stage_before=current, stage_after=after, taken_on=taken_on, issuer=issuer,
                recorded_by=actor)
    step.seal("note", note)
    step.save()
    if after != current:
        record.stage, record.stage_since = after, taken_on
    record.last_activity_on = max(record.last_activity_on, taken_on)
    bump(record)
    record.save()
    if decision:
        _deadlines_open(record, step)
    case_event(request, actor, "create", case, "legal",
           reason=f"proceeding {record.pk}: {decision or after}")
    cases_changed([case.pk])  # its alerts follow, once committed
    return step


def due_date(start: date, days: int, working_days: bool) -> date:
    """`days` after `start`; working days skip Saturdays, Sundays and national holidays."""
    if not working_days:
        return start + timedelta(days=days)
    return working_days_after(start, days)


def _deadlines_open(proceeding: Proceeding, step: Step) -> None:
    rules = DeadlineRule.objects.filter(decision=step.decision, active=True)
    Deadline.objects.bulk_create([
        Deadline(proceeding=proceeding, step=step, rule=rule, action=rule.action_es,
                 due_on=due_date(step.taken_on, rule.days, rule.working_days))
        for rule in rules
    ])


@transaction.atomic
def deadline_close(*, actor: User, request=None, case: Case, deadline: Deadline, version: int,
                   status: str, done_on: date | None) -> Deadline:
    legal_editable(actor, case)
    record = locked(Deadline, deadline.pk, version, ["status", "done_on"])
    if record.proceeding.case_id != case.pk:
        raise PermissionDenied
    if status not in (choices.DeadlineStatus.MET, choices.DeadlineStatus.WAIVED):
        raise ValidationError({"status": _("Say whether it was met or is not needed.")})
    if status == choices.DeadlineStatus.MET and not done_on:
        raise ValidationError({"done_on": _("Write the date it was done.")})
    check_not_future(done_on, "done_on")
    record.status, record.done_on, record.done_by = status, done_on, actor
    bump(record)
    record.save()
    case_event(request, actor, "update", case, "legal", reason=f"deadline {record.pk} {status}")
    cases_changed([case.pk])  # its alerts follow, once committed
    return record
