"""Every write to a criminal proceeding: one transaction, the access check (`proceeding.edit`,
held by the case's lawyer), the procedural rules of `procedure.py`, and the audit event."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.permissions import can
from amparo.audit.services import event_record
from amparo.cases.access import case_allows
from amparo.cases.guards import case_event, check_not_future, works_in_office
from amparo.cases.models import Case
from amparo.core.versioning import bump, locked
from amparo.legal import choices, procedure
from amparo.legal.models import (
    CalendarFeed,
    Deadline,
    DeadlineRule,
    Defendant,
    Hearing,
    Measure,
    Offence,
    Payment,
    Proceeding,
    Sentence,
    Step,
)
from amparo.referrals.choices import InstitutionKind
from amparo.referrals.models import Institution

PROCEEDING_FIELDS = [
    "police_report", "prosecutor_file", "court_file", "prosecutor_office", "court",
    "judicial_district", "facts_on", "charges", "track", "civil_party", "civil_party_on",
    "representation", "representative",
]
PROSECUTORS = {InstitutionKind.FISTRAP, InstitutionKind.PROSECUTOR}
HEARING_FIELDS = ["kind", "starts_at", "court", "room", "survivor_must_attend",
                  "survivor_attended", "status"]
HEARING_TRACKED = [f"{f}_sealed" if f == "room" else f for f in HEARING_FIELDS]  # room is sealed
MEASURE_FIELDS = ["kind", "proceeding", "requested_on", "granted_on", "ends_on", "issuer",
                  "status"]


def _legal_editable(actor: User, case: Case) -> None:
    if not case_allows(actor, case, "proceeding.edit"):
        raise PermissionDenied
    if case.is_closed:
        raise ValidationError(_("This case is closed; reopen it to record in it."))


def _label(enum, code: str) -> str:
    return str(dict(enum.choices).get(code, code))


def _works_in_office(user: User | None, case: Case, field: str, message: str) -> None:
    if user is not None and not works_in_office(user, case):
        raise ValidationError({field: message})


def _institution_kind(institution: Institution | None, kinds: set[str], field: str,
                      message: str) -> None:
    if institution is not None and institution.kind not in kinds:
        raise ValidationError({field: message})


# ---- proceedings -------------------------------------------------------------------------------

@transaction.atomic
def proceeding_save(*, actor: User, request=None, case: Case, data: dict,
                    proceeding: Proceeding | None = None, version: int | None = None,
                    stage: str = choices.Stage.COMPLAINT,
                    stage_since: date | None = None) -> Proceeding:
    """Create or edit a proceeding's identifiers and parties. A new proceeding starts at
    `stage` (a complaint, unless it is brought in at a later stage) on `stage_since`."""
    _legal_editable(actor, case)
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
    if values["judicial_district"] and values["judicial_district"] not in choices.JUDICIAL_DISTRICTS:
        raise ValidationError({"judicial_district": _("Choose the judicial district from the list.")})
    if values["track"] not in choices.Track.values:
        raise ValidationError({"track": _("Choose the procedural track.")})
    if values["representation"] not in choices.Representation.values:
        raise ValidationError({"representation": _("Say who represents her.")})
    _institution_kind(values["prosecutor_office"], PROSECUTORS, "prosecutor_office",
                      _("Choose a prosecutor's office (FISTRAP or another fiscalía)."))
    _institution_kind(values["court"], {InstitutionKind.COURT}, "court", _("Choose a court."))
    if values["civil_party"] and not values["civil_party_on"]:
        raise ValidationError({"civil_party_on": _(
            "Write the date she was constituted as actor civil.")})
    if not values["civil_party"]:
        values["civil_party_on"] = None
        if values["representation"] != choices.Representation.PROSECUTOR:
            values["representation"] = choices.Representation.PROSECUTOR
    check_not_future(values["civil_party_on"], "civil_party_on")
    _works_in_office(values["representative"], case, "representative",
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
    return record


def _refuse_step(current: str, wanted: str, allowed: list[str], enum) -> ValidationError:
    names = ", ".join(f"«{_label(enum, a)}»" for a in allowed) or _("nothing: it is concluded")
    return ValidationError({"code": _(
        "A proceeding in «%(stage)s» cannot take «%(wanted)s». From this stage it can take: "
        "%(allowed)s.") % {"stage": _label(choices.Stage, current),
                            "wanted": _label(enum, wanted), "allowed": names}})


def _has_conviction(proceeding: Proceeding) -> bool:
    return proceeding.steps.filter(decision__in=procedure.SENTENCING).exists()


@transaction.atomic
def step_record(*, actor: User, request=None, case: Case, proceeding: Proceeding, kind: str,
                code: str, taken_on: date, issuer: Institution | None = None,
                note: str = "", version: int | None = None) -> Step:
    """A change of stage or a decision, checked against the procedure. A decision with a
    deadline rule opens the deadline, counted from its date."""
    _legal_editable(actor, case)
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
    return step


def due_date(start: date, days: int, working_days: bool) -> date:
    """`days` after `start`; working days skip Saturdays and Sundays."""
    if not working_days:
        return start + timedelta(days=days)
    day, left = start, days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


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
    _legal_editable(actor, case)
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
    return record


# ---- sentence and reparation -------------------------------------------------------------------

@transaction.atomic
def sentence_record(*, actor: User, request=None, case: Case, step: Step,
                    defendant: Defendant | None, penalty: str, prison_years: Decimal | None,
                    fine_days: int | None, disqualification: str, reparation: Decimal,
                    final_on: date | None) -> Sentence:
    _legal_editable(actor, case)
    if step.proceeding.case_id != case.pk:
        raise PermissionDenied
    if step.decision not in procedure.SENTENCING:
        raise ValidationError(_("A sentence is recorded with a judgment that convicts."))
    if defendant is not None and defendant.proceeding_id != step.proceeding_id:
        raise ValidationError({"defendant": _("The defendant must belong to this proceeding.")})
    if penalty not in choices.PenaltyKind.values:
        raise ValidationError({"penalty": _("Say whether the penalty is custodial, suspended or "
                                            "life imprisonment.")})
    if penalty == choices.PenaltyKind.LIFE:
        prison_years = None
    elif prison_years is None or not Decimal("0.1") <= prison_years <= Decimal("35"):
        raise ValidationError({"prison_years": _("Write the years of prison, from 0.1 to 35.")})
    if reparation is None or reparation < 0:
        raise ValidationError({"reparation": _(
            "Write the civil reparation ordered in soles (0 if none was ordered).")})
    check_not_future(final_on, "final_on")
    if final_on and final_on < step.taken_on:
        raise ValidationError({"final_on": _("A judgment becomes final after it is issued.")})
    sentence = Sentence.objects.create(
        step=step, defendant=defendant, penalty=penalty, prison_years=prison_years,
        fine_days=fine_days, disqualification=disqualification.strip(),
        reparation=reparation, final_on=final_on, recorded_by=actor)
    if defendant is not None:
        Defendant.objects.filter(pk=defendant.pk).update(
            situation=choices.DefendantSituation.CONVICTED)
    case_event(request, actor, "create", case, "legal", reason=f"sentence in {step.proceeding_id}")
    return sentence


def sentences_in_force(proceeding: Proceeding) -> list[Sentence]:
    """The latest sentence for each defendant (an appeal's replaces the first instance's)."""
    latest: dict = {}
    for sentence in (Sentence.objects.filter(step__proceeding=proceeding)
                     .select_related("step", "defendant").order_by("step__taken_on", "id")):
        latest[sentence.defendant_id] = sentence
    return list(latest.values())


def reparation_balance(proceeding: Proceeding) -> tuple[Decimal, Decimal, Decimal]:
    """(ordered, paid, owed) in soles."""
    ordered = sum((s.reparation for s in sentences_in_force(proceeding)), Decimal("0"))
    paid = proceeding.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return ordered, paid, max(ordered - paid, Decimal("0"))


@transaction.atomic
def payment_record(*, actor: User, request=None, case: Case, proceeding: Proceeding,
                   paid_on: date, amount: Decimal, receipt: str = "") -> Payment:
    _legal_editable(actor, case)
    record = Proceeding.objects.select_for_update().get(pk=proceeding.pk)
    if record.case_id != case.pk:
        raise PermissionDenied
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Write the amount received, in soles.")})
    check_not_future(paid_on, "paid_on")
    ordered, _paid, owed = reparation_balance(record)
    if ordered <= 0:
        raise ValidationError({"amount": _(
            "No civil reparation is recorded for this proceeding. Record the sentence that "
            "ordered it first.")})
    if amount > owed:
        raise ValidationError({"amount": _(
            "This payment is more than what is still owed (S/ %(owed)s). Check the amount.")
            % {"owed": f"{owed:,.2f}"}})
    payment = Payment.objects.create(proceeding=record, paid_on=paid_on, amount=amount,
                                     receipt=receipt.strip(), recorded_by=actor)
    case_event(request, actor, "create", case, "legal", reason=f"payment in {record.pk}")
    return payment


# ---- defendants --------------------------------------------------------------------------------

DEFENDANT_DETAILS = ("name", "alias", "document", "relation", "notes")


@transaction.atomic
def defendant_save(*, actor: User, request=None, case: Case, proceeding: Proceeding, role: str,
                   situation: str, details: dict[str, str], defendant: Defendant | None = None,
                   version: int | None = None) -> Defendant:
    _legal_editable(actor, case)
    if not case_allows(actor, case, "defendant.view"):
        raise PermissionDenied
    if proceeding.case_id != case.pk:
        raise PermissionDenied
    if role not in choices.DefendantRole.values:
        raise ValidationError({"role": _("Choose the defendant's role.")})
    if situation not in choices.DefendantSituation.values:
        raise ValidationError({"situation": _("Choose the defendant's situation.")})
    clean = {k: (details.get(k) or "").strip() for k in DEFENDANT_DETAILS}
    if not (clean["name"] or clean["alias"]) and situation != choices.DefendantSituation.UNIDENTIFIED:
        raise ValidationError({"name": _(
            "Write a name or an alias, or mark the defendant as not identified.")})
    if defendant is None:
        record = Defendant(proceeding=proceeding, data_key=case.data_key, created_by=actor)
    else:
        record = locked(Defendant, defendant.pk, version, ["role", "situation", "details_sealed"])
        if record.proceeding_id != proceeding.pk:
            raise PermissionDenied
        record.data_key = case.data_key
        bump(record)
    record.role, record.situation = role, situation
    record.seal("details", json.dumps(clean, ensure_ascii=False))
    record.save()
    case_event(request, actor, "create" if defendant is None else "update", case, "defendants",
           reason=f"proceeding {proceeding.pk}")
    return record


def defendant_details(defendant: Defendant) -> dict[str, str]:
    stored = json.loads(defendant.unseal("details") or "{}")
    return {k: stored.get(k, "") for k in DEFENDANT_DETAILS}


# ---- hearings and measures ---------------------------------------------------------------------

@transaction.atomic
def hearing_save(*, actor: User, request=None, case: Case, proceeding: Proceeding, data: dict,
                 attendees: list[User], note: str = "", hearing: Hearing | None = None,
                 version: int | None = None) -> Hearing:
    _legal_editable(actor, case)
    if proceeding.case_id != case.pk:
        raise PermissionDenied
    if hearing is None:
        record = Hearing(proceeding=proceeding, data_key=case.data_key, created_by=actor)
    else:
        record = locked(Hearing, hearing.pk, version, HEARING_TRACKED)
        if record.proceeding_id != proceeding.pk:
            raise PermissionDenied
        record.data_key = case.data_key
        bump(record)
    values = {k: data.get(k, getattr(record, k, None)) for k in HEARING_FIELDS}
    if values["kind"] not in choices.HearingKind.values:
        raise ValidationError({"kind": _("Choose the type of hearing.")})
    if not isinstance(values["starts_at"], datetime):
        raise ValidationError({"starts_at": _("Write the date and time of the hearing.")})
    status = values["status"] or choices.HearingStatus.SCHEDULED
    if status not in choices.HearingStatus.values:
        raise ValidationError({"status": _("Choose the hearing's status.")})
    if status == choices.HearingStatus.HELD and values["starts_at"] > timezone.now():
        raise ValidationError({"status": _("A hearing in the future cannot have been held yet.")})
    if values["survivor_attended"] is not None and status != choices.HearingStatus.HELD:
        raise ValidationError({"survivor_attended": _(
            "Whether she attended is recorded once the hearing was held.")})
    _institution_kind(values["court"], {InstitutionKind.COURT}, "court", _("Choose a court."))
    for person in attendees:
        _works_in_office(person, case, "attendees",
                         _("Those who go from the team must work in this case's office."))
    values["status"] = status
    for key, value in values.items():
        setattr(record, key, value)
    record.seal("note", note)
    record.save()
    record.attendees.set(attendees)
    day = min(timezone.localtime(record.starts_at).date(), timezone.localdate())
    if status == choices.HearingStatus.HELD and day > proceeding.last_activity_on:
        Proceeding.objects.filter(pk=proceeding.pk).update(last_activity_on=day)
    case_event(request, actor, "create" if hearing is None else "update", case, "legal",
           reason=f"hearing in {proceeding.pk}")
    return record


@transaction.atomic
def measure_save(*, actor: User, request=None, case: Case, data: dict, note: str = "",
                 measure: Measure | None = None, version: int | None = None) -> Measure:
    _legal_editable(actor, case)
    if measure is None:
        record = Measure(case=case, data_key=case.data_key, created_by=actor)
    else:
        record = locked(Measure, measure.pk, version, MEASURE_FIELDS)
        if record.case_id != case.pk:
            raise PermissionDenied
        record.data_key = case.data_key
        bump(record)
    values = {k: data.get(k, getattr(record, k, None)) for k in MEASURE_FIELDS}
    if values["kind"] not in choices.MeasureKind.values:
        raise ValidationError({"kind": _("Choose the measure.")})
    if values["status"] not in choices.MeasureStatus.values:
        raise ValidationError({"status": _("Choose the measure's status.")})
    if not values["requested_on"]:
        raise ValidationError({"requested_on": _("Write the date it was requested.")})
    check_not_future(values["requested_on"], "requested_on")
    check_not_future(values["granted_on"], "granted_on")
    granted = {choices.MeasureStatus.GRANTED, choices.MeasureStatus.CARRIED_OUT}
    if values["status"] in granted and not values["granted_on"]:
        raise ValidationError({"granted_on": _("Write the date it was granted.")})
    if values["granted_on"] and values["granted_on"] < values["requested_on"]:
        raise ValidationError({"granted_on": _("It cannot be granted before it was requested.")})
    if values["ends_on"] and values["granted_on"] and values["ends_on"] < values["granted_on"]:
        raise ValidationError({"ends_on": _("It cannot end before it was granted.")})
    if values["proceeding"] is not None and values["proceeding"].case_id != case.pk:
        raise ValidationError({"proceeding": _("The proceeding must belong to this case.")})
    for key, value in values.items():
        setattr(record, key, value)
    record.seal("note", note)
    record.save()
    case_event(request, actor, "create" if measure is None else "update", case, "legal",
           reason=f"measure {record.kind}")
    return record


# ---- the calendar feed ---------------------------------------------------------------------------

def feed_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, actor: User, request=None) -> str:
    """A new secret address for the user's calendar; any earlier one stops working. Returns the
    token, shown once."""
    calendar_feed_revoke(actor=actor, request=request, quiet=True)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=actor, digest=feed_digest(token), prefix=token[:8])
    _event(request, actor, "create")
    return token


def calendar_feed_revoke(*, actor: User, request=None, quiet: bool = False,
                         owner: User | None = None) -> int:
    """Revoke the user's calendar address; an administrator may revoke anyone's (`owner`)."""
    owner = owner or actor
    if owner != actor and not can(actor, "user.manage"):
        raise PermissionDenied
    count = CalendarFeed.objects.filter(user=owner, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    if count and not quiet:
        _event(request, actor, "update", reason="revoked", owner=owner)
    return count


def _event(request, actor, action, reason="", owner=None):
    event_record(action=action, request=request, actor=actor, object_type="calendar_feed",
                 object_id=str((owner or actor).pk), reason=reason)


@transaction.atomic
def deadline_rule_update(*, actor: User, request=None, rule: DeadlineRule, days: int,
                         working_days: bool, active: bool) -> DeadlineRule:
    """Change how many days a rule gives. Deadlines already opened keep their date."""
    if not can(actor, "reference.manage"):
        raise PermissionDenied
    if not 1 <= days <= 365:
        raise ValidationError({"days": _("Write a number of days from 1 to 365.")})
    rule.days, rule.working_days, rule.active = days, working_days, active
    rule.save()
    event_record(action="update", request=request, actor=actor, object_type="deadline_rule",
                 object_id=str(rule.pk), reason=f"{rule.decision}: {days}")
    return rule
