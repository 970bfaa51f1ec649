"""Writes inside a case: episodes, consent, assessments, the care plan, services, follow-ups,
notes and documents. Each checks `case.edit` on the case (from `case_for(..., purpose="edit")`)
and records an audit event naming the section."""

from __future__ import annotations

import json
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.cases import choices, validation
from amparo.cases.access import case_allows
from amparo.cases.extensions import cases_changed
from amparo.cases.guards import case_event, check_editable, check_not_future, works_in_office
from amparo.cases.models import (
    Assessment,
    CarePlan,
    Case,
    CaseDocument,
    Consent,
    Episode,
    FollowUp,
    Note,
    PlanAction,
    PlanGoal,
    Service,
)
from amparo.core import documents
from amparo.core.versioning import bump, locked

EPISODE_FIELDS = [
    "kind", "place_ubigeo", "place_country", "started_on", "ended_on", "period", "forms",
    "sexual_types", "means", "control", "recruitment", "recruiter_relation", "sector", "ended_by",
]
def _forms_refresh(case: Case) -> None:
    found = set()
    for forms in Episode.objects.filter(case=case).values_list("forms", flat=True):
        found.update(forms or [])
    Case.objects.filter(pk=case.pk).update(forms=sorted(found))


@transaction.atomic
def episode_save(*, actor: User, request=None, case: Case, data: dict, description: str = "",
                 perpetrators: str | None = None, episode: Episode | None = None,
                 version: int | None = None) -> Episode:
    check_editable(actor, case)
    if episode is None:
        record = Episode(case=case, data_key=case.data_key, created_by=actor)
    else:
        record = locked(Episode, episode.pk, version,
                        [f for f in EPISODE_FIELDS if f != "period"]
                        + ["period_sealed", "description_sealed", "perpetrators_sealed"])
        record.data_key = case.data_key
    values = {k: data.get(k, getattr(record, k)) for k in EPISODE_FIELDS}
    if values["kind"] not in choices.EpisodeKind.values:
        raise ValidationError({"kind": _("Choose recruitment, transit or exploitation.")})
    stored = {k: getattr(record, k) for k in validation.EPISODE_VOCABULARIES}
    validation.vocabulary_check(values, validation.EPISODE_VOCABULARIES, allowed=stored)
    validation.ubigeo_or_country(values["place_ubigeo"], values["place_country"], "place_country")
    check_not_future(values["started_on"], "started_on")
    if values["started_on"] and values["ended_on"] and values["ended_on"] < values["started_on"]:
        raise ValidationError({"ended_on": _("The end is before the start.")})
    if values["ended_by"] and values["ended_by"] not in choices.EpisodeEnd.values:
        raise ValidationError({"ended_by": _("Choose how it ended from the list.")})
    for key, value in values.items():
        setattr(record, key, value)
    record.seal("description", description.strip())
    if perpetrators is not None:
        record.seal("perpetrators", perpetrators.strip())
    if episode is not None:
        bump(record)
    record.save()
    _forms_refresh(case)
    case_event(request, actor, "create" if episode is None else "update", case, "episodes")
    return record


@transaction.atomic
def consent_record(*, actor: User, request=None, case: Case, scope: str, given: bool,
                   decided_on: date, given_by: str, note: str = "",
                   form: CaseDocument | None = None) -> Consent:
    """A decision is never edited: a withdrawal is a new record, so the history stays."""
    check_editable(actor, case)
    if scope not in choices.ConsentScope.values:
        raise ValidationError({"scope": _("Choose what the consent is for.")})
    if given_by not in choices.ConsentGiver.values:
        raise ValidationError({"given_by": _("Say who decided.")})
    if case.is_minor and given_by == choices.ConsentGiver.SURVIVOR and given:
        raise ValidationError({"given_by": _(
            "She was a minor at intake: her guardian gives consent (record her own assent in "
            "the note).")})
    check_not_future(decided_on, "decided_on")
    if form is not None and form.case_id != case.pk:
        raise ValidationError({"form": _("The signed form must be a document of this case.")})
    record = Consent(case=case, data_key=case.data_key, scope=scope, given=given,
                     decided_on=decided_on, given_by=given_by, form=form, recorded_by=actor)
    record.seal("note", note.strip())
    record.save()
    case_event(request, actor, "create", case, "consents",
               reason=f"{scope}={'yes' if given else 'no'}")
    return record


@transaction.atomic
def assessment_record(*, actor: User, request=None, case: Case, assessed_on: date,
                      scores: dict[str, int], notes: dict[str, str]) -> Assessment:
    check_editable(actor, case)
    check_not_future(assessed_on, "assessed_on")
    domains = set(choices.Domain.values)
    if not scores:
        raise ValidationError(_("Score at least one domain."))
    if set(scores) - domains or set(notes) - domains:
        raise ValidationError(_("Unknown assessment domain."))
    if any(not isinstance(v, int) or not 0 <= v <= 4 for v in scores.values()):
        raise ValidationError(_("Scores go from 0 (no need) to 4 (critical)."))
    record = Assessment(case=case, data_key=case.data_key, assessed_on=assessed_on,
                        scores=scores, assessed_by=actor)
    record.seal("notes", json.dumps({k: v for k, v in notes.items() if v.strip()},
                                    ensure_ascii=False))
    record.save()
    case_event(request, actor, "create", case, "assessments")
    cases_changed([case.pk])  # its alerts follow, once committed
    return record


@transaction.atomic
def plan_create(*, actor: User, request=None, case: Case, horizon: str,
                goals: list[tuple[str, str]], review_on: date | None = None) -> CarePlan:
    """A new draft plan. The survivor chooses the horizon; goals are in her words."""
    check_editable(actor, case)
    if horizon not in choices.Horizon.values:
        raise ValidationError({"horizon": _("Choose the horizon she chose.")})
    goals = [(d, g.strip()) for d, g in goals if g and g.strip()]
    if not goals:
        raise ValidationError({"goals": _("Write at least one goal.")})
    if any(d not in choices.Domain.values for d, _g in goals):
        raise ValidationError({"goals": _("Each goal needs a domain from the list.")})
    plan = CarePlan.objects.create(case=case, horizon=horizon, review_on=review_on,
                                   created_by=actor)
    PlanGoal.objects.bulk_create([PlanGoal(plan=plan, data_key=case.data_key, domain=d, goal=g)
                                  for d, g in goals])
    case_event(request, actor, "create", case, "plan")
    cases_changed([case.pk])  # its alerts follow, once committed
    return plan


@transaction.atomic
def plan_approve(*, actor: User, request=None, case: Case, plan: CarePlan,
                 version: int) -> CarePlan:
    """A coordinator approves; nobody approves a plan they wrote. The approved plan replaces
    the one before it."""
    if not case_allows(actor, case, "plan.approve"):
        raise PermissionDenied
    record = locked(CarePlan, plan.pk, version, ["status", "horizon", "review_on"])
    if record.case_id != case.pk:
        raise PermissionDenied
    if record.created_by_id == actor.pk:
        raise ValidationError(_("You wrote this plan; another coordinator must approve it."))
    if record.status != choices.PlanStatus.DRAFT:
        raise ValidationError(_("Only a draft plan can be approved."))
    for older in CarePlan.objects.filter(case=case, status=choices.PlanStatus.APPROVED):
        older.status = choices.PlanStatus.SUPERSEDED
        bump(older)
        older.save()
    record.status, record.approved_by, record.approved_at = (
        choices.PlanStatus.APPROVED, actor, timezone.now())
    bump(record)
    record.save()
    case_event(request, actor, "update", case, "plan", reason="plan approved")
    cases_changed([case.pk])  # its alerts follow, once committed
    return record

def _action_check(case: Case, goal: PlanGoal, owner: User | None, status: str) -> None:
    if goal.plan.case_id != case.pk:
        raise PermissionDenied
    if goal.plan.status == choices.PlanStatus.SUPERSEDED:
        raise ValidationError(_("This plan was replaced; work on the current plan."))
    if status not in choices.ActionStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if owner is not None and not works_in_office(owner, case):
        raise ValidationError({"owner": _("The person responsible must work in this office.")})


@transaction.atomic
def plan_action_add(*, actor: User, request=None, case: Case, goal: PlanGoal, description: str,
                    owner: User | None, due_on: date | None,
                    status: str = choices.ActionStatus.PENDING) -> PlanAction:
    check_editable(actor, case)
    _action_check(case, goal, owner, status)
    if not description.strip():
        raise ValidationError({"description": _("Describe the action.")})
    action = PlanAction.objects.create(goal=goal, data_key=case.data_key,
                                       description=description.strip(), owner=owner,
                                       due_on=due_on, status=status)
    case_event(request, actor, "create", case, "plan")
    cases_changed([case.pk])  # its alerts follow, once committed
    return action


@transaction.atomic
def plan_action_update(*, actor: User, request=None, case: Case, action: PlanAction,
                       version: int, status: str, due_on: date | None,
                       owner: User | None) -> PlanAction:
    check_editable(actor, case)
    record = locked(PlanAction, action.pk, version, ["status", "due_on", "owner"])
    _action_check(case, record.goal, owner, status)
    record.status, record.due_on, record.owner = status, due_on, owner
    bump(record)
    record.save()
    case_event(request, actor, "update", case, "plan")
    cases_changed([case.pk])  # its alerts follow, once committed
    return record


@transaction.atomic
def service_record(*, actor: User, request=None, case: Case, kind: str, mode: str,
                   delivered_on: date, minutes: int | None = None, staff: User,
                   note: str = "") -> Service:
    check_editable(actor, case)
    if kind not in choices.ServiceKind.values:
        raise ValidationError({"kind": _("Choose the service from the list.")})
    if mode not in choices.Mode.values:
        raise ValidationError({"mode": _("Say whether it was in person or remote.")})
    check_not_future(delivered_on, "delivered_on")
    if minutes is not None and not 1 <= minutes <= 1440:
        raise ValidationError({"minutes": _("The duration is in minutes, from 1 to 1440.")})
    if not works_in_office(staff, case):
        raise ValidationError({"staff": _("The staff member must work in this office.")})
    record = Service(case=case, data_key=case.data_key, kind=kind, mode=mode,
                     delivered_on=delivered_on, minutes=minutes, staff=staff)
    record.seal("note", note.strip())
    record.save()
    case_event(request, actor, "create", case, "services")
    cases_changed([case.pk])  # its alerts follow, once committed
    return record


@transaction.atomic
def follow_up_record(*, actor: User, request=None, case: Case, contacted_on: date, channel: str,
                     reached: bool, wellbeing: str = "", risk_signs: list[str] = (),
                     note: str = "") -> FollowUp:
    check_editable(actor, case)
    if channel not in choices.Channel.values:
        raise ValidationError({"channel": _("Choose the channel from the list.")})
    check_not_future(contacted_on, "contacted_on")
    if not reached and (wellbeing or risk_signs):
        raise ValidationError({"wellbeing": _(
            "If she was not reached, leave how she is and the risk signs empty.")})
    if wellbeing and wellbeing not in choices.Wellbeing.values:
        raise ValidationError({"wellbeing": _("Choose how she is from the list.")})
    if set(risk_signs) - set(choices.RiskSign.values):
        raise ValidationError({"risk_signs": _("Choose the risk signs from the list.")})
    record = FollowUp(case=case, data_key=case.data_key, contacted_on=contacted_on,
                      channel=channel, reached=reached, wellbeing=wellbeing,
                      risk_signs=sorted(set(risk_signs)), created_by=actor)
    record.seal("note", note.strip())
    record.save()
    case_event(request, actor, "create", case, "follow_ups")
    cases_changed([case.pk])  # its alerts follow, once committed
    return record


@transaction.atomic
def note_add(*, actor: User, request=None, case: Case, text: str,
             sensitivity: str = choices.Sensitivity.GENERAL) -> Note:
    """A psychological note is written by the case's psychologist, a legal note by its lawyer:
    whoever may write it may read it."""
    check_editable(actor, case)
    if sensitivity not in choices.Sensitivity.values:
        raise ValidationError({"sensitivity": _("Choose general, psychological or legal.")})
    if sensitivity in choices.NOTE_ACCESS:
        code, slot = choices.NOTE_ACCESS[sensitivity]
        if not case_allows(actor, case, code, slot=slot):
            raise ValidationError({"sensitivity": _(
                "Only the case's psychologist writes psychological notes, and only its lawyer "
                "legal notes.")})
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    record = Note(case=case, data_key=case.data_key, sensitivity=sensitivity, author=actor)
    record.seal("text", text.strip())
    record.save()
    case_event(request, actor, "create", case, "notes", reason=sensitivity)
    return record


@transaction.atomic
def document_add(*, actor: User, request=None, case: Case, kind: str, title: str,
                 content: bytes, sensitivity: str | None = None) -> CaseDocument:
    check_editable(actor, case)
    if kind not in choices.DocumentKind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    if sensitivity is None:
        sensitivity = (choices.Sensitivity.PSYCHOLOGICAL if kind == choices.DocumentKind.MEDICAL
                       else choices.Sensitivity.GENERAL)
    if sensitivity not in choices.Sensitivity.values:
        raise ValidationError({"sensitivity": _("Choose general, psychological or legal.")})
    found = documents.accepted(content)
    record = CaseDocument(case=case, data_key=case.data_key, kind=kind, sensitivity=sensitivity,
                          title=title.strip() or found.extension.upper(),
                          content_type=found.content_type, extension=found.extension,
                          size=len(content), uploaded_by=actor)
    documents.sealed_store(record, content, f"cases/{case.data_key_id}")
    record.save()
    case_event(request, actor, "create", case, "documents")
    return record


def document_open(*, actor: User, request=None, case: Case, document: CaseDocument) -> bytes:
    """The plaintext of one document (the caller got `case` from `case_for(..., "documents")`,
    which already recorded the read)."""
    if document.case_id != case.pk:
        raise PermissionDenied
    document.data_key = case.data_key
    return documents.sealed_read(document)
