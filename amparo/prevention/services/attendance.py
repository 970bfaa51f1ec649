"""Attendance, test scores, a campaign's reach and an activity's documents."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.permissions import can, must
from amparo.audit.services import section_event
from amparo.core import documents
from amparo.crypto.envelope import data_key_create
from amparo.prevention import choices
from amparo.prevention.matching import pairs_find
from amparo.prevention.models import (
    Activity,
    ActivityDocument,
    Attendance,
    Participant,
    Reach,
    Score,
)
from amparo.prevention.services.participants import _root, participant_find_or_create

# ---- attendance, tests, reach -------------------------------------------------------------------

@transaction.atomic
def attendance_record(*, actor: User, request=None, activity: Activity, person: dict,
                      hours: Decimal | None = None, source: str = "page",
                      match: bool = True) -> Attendance:
    """She attended: found or registered once, then recorded once per activity (a second line
    for the same person updates her hours). A new record is matched against everyone registered
    (`matching.pairs_find`); an import asks for that once, for all its new records, with
    `match=False` here."""
    must(actor, "prevention.manage", activity.office.pk)
    if activity.is_campaign:
        raise ValidationError(_("A campaign has no attendance list; record its reach."))
    if activity.status == choices.Status.CANCELLED:
        raise ValidationError(_("This activity was cancelled, so it has no attendance; if it "
                                "was held after all, change its status to held first."))
    if hours is not None and (hours < 0 or (activity.hours and hours > activity.hours)):
        raise ValidationError({"hours": _("Hours attended go from 0 to the activity's %(h)s.")
                               % {"h": activity.hours}})
    found = participant_find_or_create(actor=actor, data=person)
    if found.created and match:
        pairs_find([found.participant.pk])
    participant = _root(found.participant)
    record, created = Attendance.objects.get_or_create(
        activity=activity, participant=participant,
        defaults={"hours": hours, "source": source, "recorded_by": actor})
    if not created and hours is not None and record.hours != hours:
        record.hours = hours
        record.save(update_fields=["hours"])
    section_event(request, "prevention", "activity", activity.code,
                  f"attendance {participant.code} ({found.how})",
                  action="create" if created else "update", actor=actor, office=activity.office)
    return record


def _decimal(value, field: str) -> Decimal:
    try:
        return Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Write a number, such as 14 or 14.5.")}) from None


@transaction.atomic
def score_record(*, actor: User, request=None, activity: Activity, participant: Participant,
                 phase: str, score=None, answers: list | None = None) -> Score:
    """A test result. When the test has questions, `answers` says, question by question, whether
    she answered it right (True), wrong (False) or left it blank (None), and the score follows
    from them; a score alone is kept too (the sheet with the answers may be lost)."""
    must(actor, "prevention.manage", activity.office.pk)
    if phase not in choices.Phase.values:
        raise ValidationError({"phase": _("Choose reaction, pre-test, post-test or follow-up.")})
    answers = _answers(activity, phase, answers)
    if answers:
        worked_out = (Decimal(sum(1 for a in answers if a)) / len(answers) * activity.test_max
                      ).quantize(Decimal("0.1"))
        if score not in (None, "") and _decimal(score, "score") != worked_out:
            raise ValidationError({"score": _(
                "The questions marked right give %(worked)s, not %(score)s; check the marks or "
                "leave the score empty.") % {"worked": worked_out, "score": score}})
        score = worked_out
    elif score in (None, ""):
        raise ValidationError({"score": _(
            "Write the score, or mark the questions she answered right.")})
    value = _decimal(score, "score")
    if phase == choices.Phase.REACTION:
        low, high = choices.REACTION_SCALE
        if not low <= value <= high:
            raise ValidationError({"score": _("Satisfaction goes from %(low)s to %(high)s.")
                                   % {"low": low, "high": high}})
    elif not activity.test_max:
        raise ValidationError(_("Say the test's highest score in the activity first."))
    elif not 0 <= value <= activity.test_max:
        raise ValidationError({"score": _("The score goes from 0 to %(max)s.")
                               % {"max": activity.test_max}})
    participant = _root(participant)
    if not Attendance.objects.filter(activity=activity, participant=participant).exists():
        raise ValidationError({"participant": _(
            "Record her attendance first: only those who attended take the test.")})
    record, _created = Score.objects.update_or_create(
        activity=activity, participant=participant, phase=phase,
        defaults={"score": value, "answers": answers, "recorded_by": actor})
    section_event(request, "prevention", "activity", activity.code,
                  f"{phase} score {participant.code}", action="update", actor=actor,
                  office=activity.office)
    return record


def _answers(activity: Activity, phase: str, answers: list | None) -> list:
    """One mark per question of the activity's test (True, False or None), or none at all."""
    if not answers:
        return []
    if phase == choices.Phase.REACTION or not activity.test_questions:
        raise ValidationError({"answers": _(
            "This test has no questions written in the activity; record the score alone, or "
            "write the questions in the activity first.")})
    if len(answers) != len(activity.test_questions) or any(
            a not in (True, False, None) for a in answers):
        raise ValidationError({"answers": _(
            "Give one mark per question (%(n)s): right, wrong or blank.")
            % {"n": len(activity.test_questions)}})
    return [None if a is None else bool(a) for a in answers]


@transaction.atomic
def reach_record(*, actor: User, request=None, activity: Activity, estimated_audience: int,
                 source: str, method: str, mentions: int | None = None) -> Reach:
    """A campaign's estimated audience. It is never added to people trained."""
    must(actor, "prevention.manage", activity.office.pk)
    if not activity.is_campaign:
        raise ValidationError(_("Reach is recorded for campaigns; a training has attendance."))
    if estimated_audience is None or estimated_audience < 0:
        raise ValidationError({"estimated_audience": _("Write the estimated audience.")})
    if not (source or "").strip() or not (method or "").strip():
        raise ValidationError({"source": _(
            "Say where the figure comes from and how it was estimated: a donor will ask.")})
    record = Reach.objects.create(activity=activity, estimated_audience=estimated_audience,
                                  source=source.strip(), method=method.strip(),
                                  mentions=mentions, recorded_by=actor)
    section_event(request, "prevention", "activity", activity.code, "reach", action="create",
                  actor=actor, office=activity.office)
    return record


@transaction.atomic
def document_add(*, actor: User, request=None, activity: Activity, kind: str, title: str,
                 content: bytes) -> ActivityDocument:
    """An agenda, photos or the signed sheet, sealed like a case's documents (the type is read
    from the content, never trusted from the name)."""
    must(actor, "prevention.manage", activity.office.pk)
    if kind not in ActivityDocument.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    found = documents.accepted(content)
    record = ActivityDocument(activity=activity, data_key=data_key_create(), kind=kind,
                              title=title.strip() or found.extension.upper(),
                              content_type=found.content_type, extension=found.extension,
                              size=len(content), uploaded_by=actor)
    documents.sealed_store(record, content, f"prevention/{activity.code}")
    record.save()
    section_event(request, "prevention", "activity", activity.code, f"document {record.pk}",
                  action="create", actor=actor, office=activity.office)
    return record


def document_open(*, actor: User, request=None, activity: Activity,
                  document: ActivityDocument) -> bytes:
    if document.activity_id != activity.pk or not can(actor, "prevention.view",
                                                       activity.office_id):
        raise PermissionDenied
    section_event(request, "prevention", "activity", activity.code, f"document {document.pk}",
                  action="view", actor=actor, office=activity.office)
    return documents.sealed_read(document)
